"""Writing a trained LightGBM model into the package, with a JSON of how it was trained and measured."""

from __future__ import annotations

import json
from pathlib import Path

#: Small trees, strong leaf minimums: a few hundred questions, and a model must generalise to new phrasings.
#: Single-threaded and seeded, so `make tune` writes the same model twice.
SMALL_TREES = {
    "learning_rate": 0.05,
    "num_leaves": 7,
    "max_depth": 3,
    "min_data_in_leaf": 20,
    "feature_fraction": 0.8,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "lambda_l2": 1.0,
    "num_threads": 1,
    "deterministic": True,
    "seed": 0,
    "verbosity": -1,
}


def ship_lightgbm(model, path: Path, features: tuple[str, ...], params: dict, report: dict) -> None:
    """Write `model` to `path` and its parameters, measurements and per-feature gain beside it (.json); print them."""
    importance = dict(zip(features, (int(v) for v in model.feature_importance("gain")), strict=True))
    path.write_text(model.model_to_string(), encoding="utf-8")
    path.with_suffix(".json").write_text(
        json.dumps({"trained_on": "evals/golden dev split", "params": params, **report, "gain": importance}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(json.dumps(report | {"gain": importance}, indent=2))
