"""Retrieval quality on the golden set: Recall@1, Recall@5 and MRR (ir-measures, trec_eval), and how many
words of results a reader goes through before the answering passage (reached@150w, reached@300w).

Run: python -m service.evals.retrieval [--cases evals/golden/retrieval.yaml] [--split dev|heldout|all] [--misses]
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ir_measures
from ir_measures import RR, Qrel, R, ScoredDoc

from service.evals.golden import GOLDEN_DIR, RetrievalCase, contains_passage, load_cases, normalize_text

DEPTH = 20
#: Word budgets of reached@Nw: about one short and one long screen of results.
WORD_BUDGETS = (150, 300)


@dataclass(frozen=True)
class RankedCase:
    case: RetrievalCase
    rank: int | None  # 1-based rank of the first chunk holding a supporting passage
    top_chunk: str
    relevant: frozenset[str]
    ranking: tuple[tuple[str, float], ...]
    words_to_answer: int | None = None  # see words_to_answer()


def passage_holders(case: RetrievalCase, chunks) -> list[frozenset[str]]:
    """Per supporting passage, the chunks that hold it; a passage that is a heading
    counts for the first chunk under it."""
    per_passage = []
    for passage in case.supporting:
        in_document = [c for c in chunks if c.document_id == passage.document]
        holders = [c for c in in_document if contains_passage(c.text, passage.passage)]
        if not holders:
            holders = sorted(
                (c for c in in_document if contains_passage(c.section_path, passage.passage)), key=lambda c: c.ordinal
            )[:1]
        per_passage.append(frozenset(c.id for c in holders))
    return per_passage


def relevant_chunks(case: RetrievalCase, chunks) -> frozenset[str]:
    """Chunks that hold one of the case's supporting passages."""
    return frozenset().union(*passage_holders(case, chunks))


def words_to_answer(case: RetrievalCase, ranking: Sequence, holders: list[frozenset[str]]) -> int | None:
    """How many words of the ranked chunks, read in rank order, a reader goes through until the answer.

    Words are the whitespace-separated tokens of each chunk's text without Markdown line markers (the
    text passages are matched on). A passage is reached at the word where the passage itself ends
    inside the first ranked chunk that holds it, counting every word of the chunks ranked above; a
    passage matched only by a heading (it is not in the text) is reached where its first chunk ends.
    A multi-document case is reached when ALL its passages are: at the largest of their offsets.
    None when a passage is not in the ranking (or cannot be found in the corpus at all).
    """
    if not holders or not all(holders):
        return None
    reached: dict[int, int] = {}
    read = 0
    for chunk in ranking:
        text = normalize_text(chunk.text)
        for i, (passage, holding) in enumerate(zip(case.supporting, holders, strict=True)):
            if i in reached or chunk.id not in holding:
                continue
            start = text.find(normalize_text(passage.passage))
            inside = text[: start + len(normalize_text(passage.passage))] if start >= 0 else text
            reached[i] = read + len(inside.split())
        if len(reached) == len(holders):
            return max(reached.values())
        read += len(text.split())
    return None


def _query_vectors(retriever, queries: list[str]) -> list[Any]:
    """Every query's embedding, all asked for at once: the retriever's query batcher then embeds them 16 to a
    model call (a third of the time one by one takes). None for a retriever without one."""
    batcher = getattr(retriever, "query_batcher", None)
    if batcher is None:
        return [None] * len(queries)
    return list(batcher.embed_many(queries))


def rank_cases(retriever, cases: list[RetrievalCase], depth: int = DEPTH) -> list[RankedCase]:
    chunks = retriever.chunks
    ranked = []
    # Embedded as a search embeds them: with the names and terms the query refers to added (HybridRetriever.expand).
    expand = getattr(retriever, "expand", None)
    queries = [expand(c.search_query) if expand else c.search_query for c in cases]
    vectors = _query_vectors(retriever, queries)
    for case, vector in zip(cases, vectors, strict=True):
        holders = passage_holders(case, chunks)
        relevant = frozenset().union(*holders)
        if vector is None:
            hits = retriever.search(case.search_query, depth)
        else:
            hits = retriever.retrieve(case.search_query, depth, vector=vector).hits
        rank = next((i for i, h in enumerate(hits, 1) if h.chunk.id in relevant), None)
        words = words_to_answer(case, [h.chunk for h in hits], holders)
        ranked.append(
            RankedCase(
                case,
                rank,
                hits[0].chunk.id if hits else "",
                relevant,
                tuple((h.chunk.id, h.score) for h in hits),
                words,
            )
        )
    return ranked


def metrics(ranked: list[RankedCase]) -> dict[str, float]:
    """Recall@1, Recall@5 and MRR over the cases (each case's supporting chunks are its qrels), and
    reached@Nw: the share of cases whose answer is reached within the first N words (words_to_answer)."""
    qrels = [Qrel(r.case.id, chunk_id, 1) for r in ranked for chunk_id in r.relevant]
    run = [ScoredDoc(r.case.id, chunk_id, score) for r in ranked for chunk_id, score in r.ranking]
    # trec_eval skips queries with no judged passage; count them as misses instead.
    missing = [r for r in ranked if not r.relevant]
    qrels += [Qrel(r.case.id, f"{r.case.id}:unfindable", 1) for r in missing]
    per_query: dict[Any, dict[str, float]] = {m: {} for m in (R @ 1, R @ 5, RR)}
    for metric in ir_measures.iter_calc([R @ 1, R @ 5, RR], qrels, run):
        per_query[metric.measure][metric.query_id] = metric.value
    n = len(ranked)
    return {
        "cases": n,
        "recall@1": sum(per_query[R @ 1].values()) / n,
        "recall@5": sum(per_query[R @ 5].values()) / n,
        "mrr": sum(per_query[RR].values()) / n,
        **{
            f"reached@{budget}w": sum(r.words_to_answer is not None and r.words_to_answer <= budget for r in ranked) / n
            for budget in WORD_BUDGETS
        },
    }


def failures(ranked: RankedCase) -> list[dict]:
    """The retrieval metrics this case misses (Recall@1 alone is too common a miss to list)."""
    failed = []
    if ranked.rank is None or ranked.rank > 5:
        failed.append({"metric": "recall@5", "detail": f"passage ranked {ranked.rank or f'below {DEPTH}'}"})
    budget = WORD_BUDGETS[-1]
    if ranked.words_to_answer is None or ranked.words_to_answer > budget:
        where = (
            f"after {ranked.words_to_answer} words"
            if ranked.words_to_answer is not None
            else f"not in the top {DEPTH} chunks"
        )
        failed.append({"metric": f"reached@{budget}w", "detail": f"answer reached {where}"})
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=GOLDEN_DIR / "retrieval.yaml")
    parser.add_argument("--misses", action="store_true", help="List the cases not ranked first.")
    parser.add_argument(
        "--split",
        choices=["dev", "heldout", "all"],
        default="all",
        help="Which golden split to rank (heldout: measure only, never tune).",
    )
    args = parser.parse_args()

    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    cases = [c for c in load_cases(args.cases, args.split) if c.kind in ("question", "multi_doc")]
    ranked = rank_cases(services.retriever, cases)
    if args.misses:
        for r in ranked:
            if r.rank != 1:
                print(f"{r.case.id} rank={r.rank} words={r.words_to_answer} q={r.case.question!r} top={r.top_chunk}")
    print(json.dumps({k: round(v, 4) for k, v in metrics(ranked).items()}, indent=2))


if __name__ == "__main__":
    main()
