"""Aggregating per-case outcomes: the two gate errors as metrics of their own, and the metrics per split."""

from service.evals.answers import score_answer
from service.evals.golden import RetrievalCase
from service.evals.runner import HIGHER_IS_BETTER, aggregate, summarize

CHUNK = "Companies with 1,000-10,000 GPUs face extinction in the death zone."


def answerable(id: str, split: str = "dev") -> RetrievalCase:
    return RetrievalCase(
        id=id,
        split=split,
        question="Who faces extinction?",
        document="blitzscaling-ai",
        passage="Companies with 1,000-10,000 GPUs face extinction",
        key_facts=["1,000-10,000 GPUs"],
    )


def must_refuse(id: str, split: str = "dev") -> RetrievalCase:
    return RetrievalCase(id=id, kind="out_of_scope", split=split, question="How do I bake bread?", must_refuse=True)


def outcome(case: RetrievalCase, supported: bool) -> dict:
    citation = {
        "chunk_id": "c1",
        "quote": "1,000-10,000 GPUs face extinction",
        "document": {"id": "blitzscaling-ai", "title": "B"},
    }
    answer = {
        "answer": CHUNK if supported else "The corpus does not cover this.",
        "supported": supported,
        "citations": [citation] if supported else [],
        "latency_ms": 10.0,
    }
    return score_answer(case, answer, {"c1": CHUNK}, {"c1": "The Death Zone"})


def test_answering_what_must_be_refused_and_refusing_what_is_answerable_are_each_a_metric():
    outcomes = [outcome(must_refuse(f"o{i}"), supported=i == 0) for i in range(4)]  # 1 of 4 answered
    outcomes += [outcome(answerable(f"q{i}"), supported=i >= 2) for i in range(5)]  # 2 of 5 refused
    metrics = aggregate(outcomes, [])
    assert (metrics["out_of_scope_answered"], metrics["in_scope_refused"]) == (0.25, 0.4)
    assert metrics["refusal_accuracy"] == 0.75 and metrics["answered_rate"] == 0.6
    assert HIGHER_IS_BETTER["out_of_scope_answered"] is False and HIGHER_IS_BETTER["in_scope_refused"] is False
    assert (
        aggregate([outcome(answerable("q"), True)], [])["out_of_scope_answered"] is None
    )  # nothing to refuse: no score


def test_metrics_are_given_per_split_only_when_the_run_covers_both():
    dev = [outcome(answerable("q1"), True), outcome(must_refuse("o1"), False)]
    heldout = [outcome(answerable("q2", "heldout"), False)]
    error = {"id": "q3", "kind": "question", "split": "heldout", "code": "model_unavailable", "message": "down"}
    run = summarize(dev + heldout, [error])
    assert set(run["by_split"]) == {"dev", "heldout"}
    assert (run["by_split"]["dev"]["in_scope_refused"], run["by_split"]["heldout"]["in_scope_refused"]) == (0.0, 1.0)
    assert (run["by_split"]["dev"]["errors"], run["by_split"]["heldout"]["errors"], run["metrics"]["errors"]) == (
        0,
        1,
        1,
    )
    assert summarize(dev, [])["by_split"] == {}
