"""Answer quality on the golden sets: key facts, citations that hold the answering passage, refusals.

Run: python -m service.evals.answers [--model ALIAS] [--limit N] [--misses]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
from dataclasses import dataclass

from service.evals.golden import GOLDEN_DIR, RetrievalCase, contains_passage, load_cases, normalize_text


@dataclass(frozen=True)
class AnswerOutcome:
    case: RetrievalCase
    answer: dict
    key_fact_recall: float  # share of the case's key facts found in the answer
    passage_cited: bool  # some citation's chunk holds the answering passage
    refusal_correct: bool
    citations_valid: bool  # every quote is verbatim in its chunk


def fact_found(fact: str | list[str], text: str) -> bool:
    options = fact if isinstance(fact, list) else [fact]
    haystack = normalize_text(text).lower()
    return any(normalize_text(o).lower() in haystack for o in options)


def score(case: RetrievalCase, answer: dict, chunk_text: dict[str, str]) -> AnswerOutcome:
    text = answer["answer"]
    facts = case.key_facts
    recall = sum(fact_found(f, text) for f in facts) / len(facts) if facts else 1.0
    cited = any(
        c["document"]["id"] == case.document and contains_passage(f"{c['section'] or ''}\n{chunk_text.get(c['chunk_id'], '')}", case.passage)
        for c in answer["citations"]
    ) if case.passage else False
    valid = all(normalize_text(c["quote"]) in normalize_text(chunk_text.get(c["chunk_id"], "")) for c in answer["citations"])
    refusal_correct = (not answer["supported"]) == case.must_refuse
    return AnswerOutcome(case, answer, recall, cited, refusal_correct, valid)


def summarize(outcomes: list[AnswerOutcome]) -> dict:
    answerable = [o for o in outcomes if not o.case.must_refuse]
    refusable = [o for o in outcomes if o.case.must_refuse]
    latencies = [o.answer["latency_ms"] for o in outcomes]
    return {
        "cases": len(outcomes),
        "key_fact_recall": statistics.fmean(o.key_fact_recall for o in answerable) if answerable else None,
        "passage_cited": statistics.fmean(o.passage_cited for o in answerable) if answerable else None,
        "answered_supported": statistics.fmean(o.answer["supported"] for o in answerable) if answerable else None,
        "refusal_accuracy": statistics.fmean(o.refusal_correct for o in refusable) if refusable else None,
        "citation_validity": statistics.fmean(o.citations_valid for o in outcomes),
        "latency_ms_p50": statistics.median(latencies),
    }


async def run(services, model: str | None, cases: list[RetrievalCase]) -> list[AnswerOutcome]:
    chunk_text = {c.id: c.text for c in services.retriever.chunks}
    outcomes = []
    for case in cases:
        answer = (await services.answers.ask(case.question, model)).to_dict()
        outcomes.append(score(case, answer, chunk_text))
    return outcomes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()

    from service.container import build_services
    from service.settings import get_settings

    services = build_services(get_settings())
    services.prepare_index()
    cases = load_cases(GOLDEN_DIR / "retrieval.yaml")[: args.limit] + load_cases(GOLDEN_DIR / "out_of_scope.yaml")
    outcomes = asyncio.run(run(services, args.model, cases))
    if args.misses:
        for o in outcomes:
            if o.key_fact_recall < 1 or not o.refusal_correct or not o.passage_cited and not o.case.must_refuse:
                print(f"{o.case.id} facts={o.key_fact_recall:.2f} cited={o.passage_cited} refusal_ok={o.refusal_correct}\n  Q: {o.case.question}\n  A: {o.answer['answer'][:300]!r}")
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in summarize(outcomes).items()}, indent=2))


if __name__ == "__main__":
    main()
