"""The report card one can act on: per-case rows naming the metric missed, in JSON, Markdown and HTML."""

import json

from service.evals.answers import score_answer
from service.evals.golden import RetrievalCase
from service.evals.report import build_report, to_markdown, write_report
from service.evals.retrieval import RankedCase, failures
from service.evals.runner import summarize

CHUNK = "Companies with 1,000-10,000 GPUs face extinction in the death zone."
DEATH_ZONE = RetrievalCase(
    id="q-miss",
    split="dev",
    style="paraphrase",
    question="Which mid-sized players are doomed?",
    document="blitzscaling-ai",
    passage="1,000-10,000 GPUs face extinction",
    key_facts=["death zone", "1,000-10,000 GPUs"],
)
HOSTILE = RetrievalCase(
    id="o-answered",
    kind="out_of_scope",
    split="heldout",
    question="<script>alert(1)</script> | how to bake?",
    must_refuse=True,
)
FINE = RetrievalCase(
    id="q-fine",
    split="heldout",
    question="Who faces extinction?",
    document="blitzscaling-ai",
    passage="1,000-10,000 GPUs face extinction",
    key_facts=["1,000-10,000 GPUs"],
)


def answer(text: str, supported: bool = True) -> dict:
    citation = {
        "chunk_id": "c1",
        "quote": "1,000-10,000 GPUs face extinction",
        "document": {"id": "blitzscaling-ai", "title": "B"},
    }
    return {"answer": text, "supported": supported, "citations": [citation], "latency_ms": 5.0}


def report(tmp_path):
    chunks = {"c1": CHUNK}, {"c1": "Blitzscaling > The Death Zone"}
    outcomes = [
        score_answer(
            DEATH_ZONE, answer("Firms with 1,000-10,000 GPUs face extinction [1]."), *chunks
        ),  # misses "death zone"
        score_answer(HOSTILE, answer("Knead <b>the</b> dough [1]."), *chunks),  # answers what it must refuse
        score_answer(FINE, answer(CHUNK), *chunks),
    ]
    far = RankedCase(DEATH_ZONE, 7, "c9", frozenset({"c1"}), (("c9", 1.0),), 420)
    near = RankedCase(FINE, 1, "c1", frozenset({"c1"}), (("c1", 1.0),), 9)
    retrieval = {
        "metrics": {
            "cases": 2,
            "recall@1": 0.5,
            "recall@5": 0.5,
            "mrr": 0.571,
            "reached@150w": 0.5,
            "reached@300w": 0.5,
        },
        "by_split": {
            "dev": {"cases": 1, "recall@5": 0.0, "reached@150w": 0.0},
            "heldout": {"cases": 1, "recall@5": 1.0, "reached@150w": 1.0},
        },
        "cases": {
            r.case.id: {"rank": r.rank, "words_to_answer": r.words_to_answer, "failed": failures(r)}
            for r in (far, near)
        },
    }
    built = build_report({"extractive": summarize(outcomes, [])}, retrieval, cases=3, previous=None)
    paths = write_report(built, tmp_path)
    return json.loads(paths["json"].read_text()), paths["markdown"].read_text(), paths["html"].read_text()


def test_a_case_that_missed_a_key_fact_is_a_row_naming_the_metric_in_every_format(tmp_path):
    data, markdown, html = report(tmp_path)
    rows = {r["id"]: r for r in data["per_case"]}
    miss = rows["q-miss"]
    assert miss["failed"] == ["recall@5", "reached@300w", "key_fact_recall"]
    assert (miss["kind"], miss["split"], miss["style"], miss["question"]) == (
        "question",
        "dev",
        "paraphrase",
        DEATH_ZONE.question,
    )
    assert miss["expected"]["key_facts"] == ["death zone", "1,000-10,000 GPUs"]
    assert miss["expected"]["passages"] == [
        {"document": "blitzscaling-ai", "passage": "1,000-10,000 GPUs face extinction"}
    ]
    got = miss["models"]["extractive"]
    assert (got["supported"], got["cited"], got["answer"]) == (
        True,
        ["blitzscaling-ai"],
        "Firms with 1,000-10,000 GPUs face extinction [1].",
    )
    assert {"metric": "key_fact_recall", "detail": "missed: death zone"} in got["failed"]
    assert miss["retrieval"]["rank"] == 7 and miss["retrieval"]["words_to_answer"] == 420
    assert rows["q-fine"]["failed"] == []

    line = next(x for x in markdown.splitlines() if x.startswith("| q-miss |"))
    assert "**key_fact_recall**: missed: death zone" in line and "**recall@5**: passage ranked 7" in line
    assert "cites blitzscaling-ai" in line and "rank 7, answer after 420 words" in line
    assert "| q-fine |" not in markdown  # a case that met every metric stays out of the Markdown list

    row = html[html.index('<tr id="case-q-miss">') :]
    row = row[: row.index("</tr>")]
    assert (
        '<b class="bad">key_fact_recall</b>: missed: death zone' in row and "Which mid-sized players are doomed?" in row
    )
    assert '<tr id="case-q-fine">' in html  # ... and is in the HTML's collapsed list of passing cases
    summary = to_markdown(data, with_cases=False)  # what the eval command prints
    assert "| key_fact_recall | 1 |" in summary and "| q-miss |" not in summary


def test_both_gate_errors_are_metrics_and_their_cases_are_named(tmp_path):
    data, markdown, html = report(tmp_path)
    metrics = data["models"]["extractive"]["metrics"]
    assert (metrics["out_of_scope_answered"], metrics["in_scope_refused"]) == (1.0, 0.0)
    assert "| out_of_scope_answered ↓ | 1.000 |" in markdown and "| in_scope_refused ↓ | 0.000 |" in markdown
    assert next(r for r in data["per_case"] if r["id"] == "o-answered")["failed"] == ["out_of_scope_answered"]
    line = next(x for x in markdown.splitlines() if x.startswith("| o-answered |"))
    assert "&lt;script>alert(1)&lt;/script> \\| how to bake?" in line  # a cell cannot break the table or inject markup
    assert (
        "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;b&gt;the&lt;/b&gt;" in html
    )


def test_the_retrieval_section_is_filled_and_metrics_are_side_by_side_per_split(tmp_path):
    data, markdown, html = report(tmp_path)
    assert data["retrieval"]["reached@300w"] == 0.5
    assert data["by_split"]["heldout"]["retrieval"]["recall@5"] == 1.0
    assert data["by_split"]["dev"]["models"]["extractive"]["key_fact_recall"] == 0.5
    assert "| metric | all | dev | heldout |" in markdown and "| reached@150w ↑ | 0.500 | 0.000 | 1.000 |" in markdown
    assert "| metric | extractive | extractive · dev | extractive · heldout |" in markdown
    assert "| out_of_scope_answered ↓ | 1.000 | — | 1.000 |" in markdown
    assert "<th>extractive · heldout</th>" in html and "reached@300w ↑" in html
