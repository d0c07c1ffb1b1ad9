"""Retrieval quality on the golden set: Recall@1, Recall@5 and MRR.

Run: python -m service.evals.retrieval [--cases evals/golden/retrieval.yaml] [--misses]
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path

from service.evals.golden import GOLDEN_DIR, RetrievalCase, contains_passage, load_cases


@dataclass(frozen=True)
class RankedCase:
    case: RetrievalCase
    rank: int | None  # 1-based rank of the first chunk holding the passage, None if not in the list
    top_chunk: str


def rank_cases(retriever, cases: list[RetrievalCase], depth: int = 20) -> list[RankedCase]:
    ranked = []
    for case in cases:
        hits = retriever.search(case.question, depth)
        rank = next(
            (i for i, h in enumerate(hits, 1) if h.chunk.document_id == case.document and contains_passage(f"{h.chunk.section_path}\n{h.chunk.text}", case.passage)),
            None,
        )
        ranked.append(RankedCase(case, rank, hits[0].chunk.id if hits else ""))
    return ranked


def metrics(ranked: list[RankedCase]) -> dict[str, float]:
    n = len(ranked)
    return {
        "cases": n,
        "recall@1": sum(1 for r in ranked if r.rank == 1) / n,
        "recall@5": sum(1 for r in ranked if r.rank and r.rank <= 5) / n,
        "mrr": sum(1 / r.rank for r in ranked if r.rank) / n,
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
    ranked = rank_cases(services.retriever, load_cases(args.cases))
    if args.misses:
        for r in ranked:
            if r.rank != 1:
                print(f"{r.case.id} rank={r.rank} q={r.case.question!r} top={r.top_chunk}")
    print(json.dumps({k: round(v, 4) for k, v in metrics(ranked).items()}, indent=2))


if __name__ == "__main__":
    main()
