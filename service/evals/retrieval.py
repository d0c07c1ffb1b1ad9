"""Retrieval quality on the golden set: Recall@1, Recall@5 and MRR, computed by ir-measures (trec_eval).

Run: python -m service.evals.retrieval [--cases evals/golden/retrieval.yaml] [--misses]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

import ir_measures
from ir_measures import RR, Qrel, R, ScoredDoc

from service.evals.golden import GOLDEN_DIR, RetrievalCase, contains_passage, load_cases

DEPTH = 20


@dataclass(frozen=True)
class RankedCase:
    case: RetrievalCase
    rank: int | None  # 1-based rank of the first chunk holding a supporting passage
    top_chunk: str
    relevant: frozenset[str]
    ranking: tuple[tuple[str, float], ...]


def relevant_chunks(case: RetrievalCase, chunks) -> frozenset[str]:
    """Chunks that hold one of the case's supporting passages; a passage that is a heading
    counts for the first chunk under it."""
    relevant = set()
    for passage in case.supporting:
        in_document = [c for c in chunks if c.document_id == passage.document]
        holders = [c for c in in_document if contains_passage(c.text, passage.passage)]
        if not holders:
            holders = sorted((c for c in in_document if contains_passage(c.section_path, passage.passage)), key=lambda c: c.ordinal)[:1]
        relevant.update(c.id for c in holders)
    return frozenset(relevant)


def rank_cases(retriever, cases: list[RetrievalCase], depth: int = DEPTH) -> list[RankedCase]:
    chunks = retriever.chunks
    ranked = []
    for case in cases:
        relevant = relevant_chunks(case, chunks)
        hits = retriever.search(case.question, depth)
        rank = next((i for i, h in enumerate(hits, 1) if h.chunk.id in relevant), None)
        ranked.append(RankedCase(case, rank, hits[0].chunk.id if hits else "", relevant, tuple((h.chunk.id, h.score) for h in hits)))
    return ranked


def metrics(ranked: list[RankedCase]) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR over the cases (each case's supporting chunks are its qrels)."""
    qrels = [Qrel(r.case.id, chunk_id, 1) for r in ranked for chunk_id in r.relevant]
    run = [ScoredDoc(r.case.id, chunk_id, score) for r in ranked for chunk_id, score in r.ranking]
    # trec_eval skips queries with no judged passage; count them as misses instead.
    missing = [r for r in ranked if not r.relevant]
    qrels += [Qrel(r.case.id, f"{r.case.id}:unfindable", 1) for r in missing]
    per_query = {m: {} for m in (R @ 1, R @ 5, RR)}
    for metric in ir_measures.iter_calc([R @ 1, R @ 5, RR], qrels, run):
        per_query[metric.measure][metric.query_id] = metric.value
    n = len(ranked)
    return {
        "cases": n,
        "recall@1": sum(per_query[R @ 1].values()) / n,
        "recall@5": sum(per_query[R @ 5].values()) / n,
        "mrr": sum(per_query[RR].values()) / n,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=GOLDEN_DIR / "retrieval.yaml")
    parser.add_argument("--misses", action="store_true", help="List the cases not ranked first.")
    args = parser.parse_args()

    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    cases = [c for c in load_cases(args.cases) if c.kind in ("question", "multi_doc")]
    ranked = rank_cases(services.retriever, cases)
    if args.misses:
        for r in ranked:
            if r.rank != 1:
                print(f"{r.case.id} rank={r.rank} q={r.case.question!r} top={r.top_chunk}")
    print(json.dumps({k: round(v, 4) for k, v in metrics(ranked).items()}, indent=2))


if __name__ == "__main__":
    main()
