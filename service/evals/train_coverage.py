"""Train the coverage classifier on the golden set's dev split and write service/answering/coverage_model.json.

Run `make tune-coverage` (or `python -m service.evals.train_coverage`). It prints 5-fold cross-validated
errors both ways on dev — out-of-scope answered, in-scope refused — for logistic regression (what ships)
and gradient boosting (for comparison), picks the decision threshold on the cross-validated
probabilities, and, with --heldout, the errors on the held-back split (reported, never tuned on).
"""

from __future__ import annotations

import argparse
import asyncio
import json

import numpy as np
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from service.answering.coverage import FEATURES, MODEL_FILE, CoverageModel
from service.evals.golden import GOLDEN_DIR, RetrievalCase, load_cases

IN_SCOPE = ("question", "multi_doc")
OUT_OF_SCOPE = ("out_of_scope",)
#: Untrained weights, used only while features are collected (the decision is not used then).
NEUTRAL = CoverageModel(
    mean=(0.0,) * len(FEATURES),
    scale=(1.0,) * len(FEATURES),
    weights=(0.0,) * len(FEATURES),
    intercept=0.0,
    threshold=0.5,
)


#: Cases another rule decides before the classifier (service/answering/coverage.py, off_topic): as rows
#: of zeros they would only teach it that nothing looks like nothing.
DECIDED_BEFORE = ("named_off_topic",)


def labelled(cases: list[RetrievalCase]) -> list[RetrievalCase]:
    return [
        c
        for c in cases
        if c.question
        and c.style not in DECIDED_BEFORE
        and (c.kind in IN_SCOPE or (c.kind in OUT_OF_SCOPE and c.must_refuse))
    ]


async def collect(services, cases: list[RetrievalCase]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """The features the service computes for each case's question (after guard and follow-up rewriting)."""
    services.answers.coverage_model = NEUTRAL
    rows, labels, ids = [], [], []
    for case in cases:
        prepared = await services.answers.examine(
            case.question, "extractive", [t.model_dump() for t in case.history] or None
        )
        features = prepared.coverage.features
        if not features:  # no passage at all, or nothing to look up: refused before the classifier
            features = dict.fromkeys(FEATURES, 0.0)
        rows.append([features[f] for f in FEATURES])
        labels.append(1 if case.kind in IN_SCOPE else 0)
        ids.append(case.id)
    return np.array(rows), np.array(labels), ids


def errors(y: np.ndarray, covered: np.ndarray) -> dict[str, float]:
    """Both ways: out-of-scope questions answered, in-scope questions refused."""
    return {
        "out_of_scope_answered": float(covered[y == 0].mean()) if (y == 0).any() else 0.0,
        "in_scope_refused": float(1 - covered[y == 1].mean()) if (y == 1).any() else 0.0,
    }


def choose_threshold(y: np.ndarray, p: np.ndarray) -> float:
    """The threshold with the lowest balanced error on cross-validated probabilities (ties: the stricter)."""
    best, best_cost = 0.5, float("inf")
    for t in np.linspace(0.05, 0.95, 181):
        e = errors(y, p >= t)
        cost = e["out_of_scope_answered"] + e["in_scope_refused"]
        if cost < best_cost - 1e-12 or (abs(cost - best_cost) <= 1e-12 and t > best):
            best, best_cost = float(t), cost
    return best


def fit(x: np.ndarray, y: np.ndarray) -> tuple[CoverageModel, dict]:
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
    logistic = make_pipeline(StandardScaler(), LogisticRegression(C=1.0, class_weight="balanced", max_iter=1000))
    p_cv = cross_val_predict(logistic, x, y, cv=folds, method="predict_proba")[:, 1]
    threshold = choose_threshold(y, p_cv)
    boosted = GradientBoostingClassifier(n_estimators=150, max_depth=2, learning_rate=0.05, random_state=0)
    p_boost = cross_val_predict(boosted, x, y, cv=folds, method="predict_proba")[:, 1]
    logistic.fit(x, y)
    scaler, regression = logistic[0], logistic[1]
    model = CoverageModel(
        mean=tuple(float(v) for v in scaler.mean_),
        scale=tuple(float(v) for v in scaler.scale_),
        weights=tuple(float(v) for v in regression.coef_[0]),
        intercept=float(regression.intercept_[0]),
        threshold=threshold,
    )
    report = {
        "dev_cases": int(len(y)),
        "dev_in_scope": int(y.sum()),
        "cv_logistic": errors(y, p_cv >= threshold),
        "cv_gradient_boosting": errors(y, p_boost >= choose_threshold(y, p_boost)),
    }
    return model, report


async def main(heldout: bool) -> None:
    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    dev = labelled(load_cases(GOLDEN_DIR, split="dev"))
    x, y, _ = await collect(services, dev)
    model, report = fit(x, y)
    if heldout:
        held = labelled(load_cases(GOLDEN_DIR, split="heldout"))
        xh, yh, _ = await collect(services, held)
        probabilities = np.array([model.probability(dict(zip(FEATURES, row, strict=True))) for row in xh])
        report["heldout"] = errors(yh, probabilities >= model.threshold) | {"cases": int(len(yh))}
    MODEL_FILE.write_text(model.to_json(trained_on="evals/golden dev split", report=report), encoding="utf-8")
    print(
        json.dumps(
            report | {"threshold": model.threshold, "weights": dict(zip(FEATURES, model.weights, strict=True))},
            indent=2,
        )
    )
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also report the errors on the held-back split")
    asyncio.run(main(parser.parse_args().heldout))
