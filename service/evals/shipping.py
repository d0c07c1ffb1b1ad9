"""Writing a trained LightGBM model into the package, with a JSON of how it was trained and measured."""

from __future__ import annotations

import json
from pathlib import Path


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
