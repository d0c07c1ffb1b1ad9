"""Train the second-stage reranker on the golden set's dev split and write service/retrieval/rerank_model.txt.

Run `make tune-rerank` (or `python -m service.evals.train_rerank --heldout`). For every dev question (and
two-document question) it records the fused ranking's first candidates with their features
(service/retrieval/rerank.py), labels the ones holding an answering passage, and fits a LightGBM
lambdarank model. It prints 5-fold cross-validated retrieval metrics (folds by question) next to the
fused order's, and, with --heldout, the held-back split's (reported, never tuned on). The JSON beside the
model records the parameters and the numbers.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass

import numpy as np

from service.evals.golden import GOLDEN_DIR, LATER_SETS, RetrievalCase, load_cases
from service.evals.retrieval import WORD_BUDGETS, passage_holders, words_to_answer
from service.evals.shipping import SMALL_TREES, ship_lightgbm
from service.retrieval.query_adapter import QueryAdapter
from service.retrieval.rerank import FEATURES, MODEL_FILE, RerankConfig

CANDIDATES = RerankConfig().candidates
PARAMS = {
    **SMALL_TREES,
    "objective": "lambdarank",
    "metric": "ndcg",
    "ndcg_eval_at": [1, 5],
    "lambdarank_truncation_level": 30,
}
ROUNDS = 150


@dataclass
class Query:
    case: RetrievalCase
    chunks: list  # the candidates, in fused order
    features: np.ndarray
    labels: np.ndarray
    holders: list[frozenset[str]]


class _Recorder:
    """Stands in for the reranker while features are collected: keeps the fused order, remembers the rows."""

    config = RerankConfig(candidates=CANDIDATES)
    enabled = True

    def __init__(self):
        self.rows: list[np.ndarray] = []

    def scores(self, features: np.ndarray) -> np.ndarray:
        self.rows.append(features)
        return -np.arange(len(features), dtype=float)


def collect(retriever, cases: list[RetrievalCase]) -> list[Query]:
    shipped, recorder = retriever.reranker, _Recorder()
    # the reranker orders only the plain ranking (a mapped one stands as fused): its rows are the plain similarities'
    # whether or not the query adapter is on, and so are the candidates they are labelled on
    adapter = retriever.adapter
    retriever.reranker = recorder
    retriever.adapter = QueryAdapter(embedding_model="", enabled=False)
    try:
        queries = []
        for case in cases:
            holders = passage_holders(case, retriever.chunks)
            relevant = frozenset().union(*holders)
            recorder.rows.clear()
            hits = retriever.search(case.search_query, CANDIDATES)
            features = recorder.rows[0] if recorder.rows else np.zeros((0, len(FEATURES)))
            chunks = [h.chunk for h in hits][: len(features)]
            labels = np.array([1.0 if c.id in relevant else 0.0 for c in chunks])
            queries.append(Query(case, chunks, features, labels, holders))
        return queries
    finally:
        retriever.reranker, retriever.adapter = shipped, adapter


def measure(queries: list[Query], scores: list[np.ndarray] | None) -> dict[str, float]:
    """R@1, R@5, MRR and reached@Nw over the candidates, ordered by `scores` (None: the fused order)."""
    totals = {"recall@1": 0.0, "recall@5": 0.0, "mrr": 0.0, **{f"reached@{b}w": 0.0 for b in WORD_BUDGETS}}
    for n, query in enumerate(queries):
        order = np.arange(len(query.chunks)) if scores is None else np.argsort(-scores[n], kind="stable")
        labels = query.labels[order] if len(order) else query.labels
        first = int(np.argmax(labels)) + 1 if labels.any() else None
        totals["recall@1"] += first == 1
        totals["recall@5"] += first is not None and first <= 5
        totals["mrr"] += 1.0 / first if first else 0.0
        words = words_to_answer(query.case, [query.chunks[i] for i in order], query.holders)
        for budget in WORD_BUDGETS:
            totals[f"reached@{budget}w"] += words is not None and words <= budget
    return {k: round(v / max(1, len(queries)), 4) for k, v in totals.items()}


def _dataset(queries: list[Query]):
    import lightgbm

    usable = [q for q in queries if len(q.labels)]
    x = np.vstack([q.features for q in usable])
    y = np.concatenate([q.labels for q in usable])
    return lightgbm.Dataset(
        x, y, group=[len(q.labels) for q in usable], feature_name=list(FEATURES), free_raw_data=False
    )


def train(queries: list[Query], rounds: int = ROUNDS):
    import lightgbm

    return lightgbm.train(PARAMS, _dataset(queries), num_boost_round=rounds)


def cross_validated(queries: list[Query], folds: int = 5) -> list[np.ndarray]:
    """Each query scored by a model that never saw it (folds by question, fixed shuffle)."""
    rng = np.random.default_rng(0)
    fold_of = rng.permutation(len(queries)) % folds
    scores: list[np.ndarray] = [np.zeros(0)] * len(queries)
    for fold in range(folds):
        model = train([q for q, f in zip(queries, fold_of, strict=True) if f != fold])
        for i in np.flatnonzero(fold_of == fold):
            scores[i] = model.predict(queries[i].features, num_threads=1) if len(queries[i].labels) else np.zeros(0)
    return scores


def main(heldout: bool) -> None:
    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    retriever = services.retriever

    def asked(split):
        excluded = LATER_SETS if split == "dev" else ()
        return [
            c for c in load_cases(GOLDEN_DIR, split, excluded) if c.kind in ("question", "multi_doc") and c.question
        ]

    dev = collect(retriever, asked("dev"))
    report = {
        "candidates": CANDIDATES,
        "rounds": ROUNDS,
        "dev_questions": len(dev),
        "dev_fused": measure(dev, None),
        "dev_cv_reranked": measure(dev, cross_validated(dev)),
    }
    model = train(dev)
    if heldout:
        held = collect(retriever, asked("heldout"))
        report["heldout_questions"] = len(held)
        report["heldout_fused"] = measure(held, None)
        report["heldout_reranked"] = measure(
            held, [model.predict(q.features, num_threads=1) if len(q.labels) else np.zeros(0) for q in held]
        )
    ship_lightgbm(model, MODEL_FILE, FEATURES, PARAMS, report)
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also report the held-back split (never tuned on)")
    main(parser.parse_args().heldout)
