"""Scrape leftovers stay in corpus/ but are never chunked, indexed or quoted."""

import pytest

from service.corpus.chunking import chunk_document
from service.corpus.documents import load_corpus, load_document
from service.corpus.leftovers import LEFTOVER_RULES, is_leftover, leftover_rule
from service.settings import PROJECT_ROOT
from tests.conftest import write_doc


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("Keywords: platform paradox, Meta AI, platform economics, build vs buy", "keyword line"),
        ("Tags: AI, strategy", "keyword line"),
        ("Click any card to flip it and see what happened.", "interface instruction"),
        ("Tap the chart to expand it.", "interface instruction"),
        ("Hover over a bar to reveal the figure.", "interface instruction"),
        (
            "If you’re new, start with the first post and subscribe to be notified as new posts are published.",
            "subscription promo",
        ),
        ("Join the newsletter", "subscription promo"),
        ("Sign up for weekly updates.", "subscription promo"),
        ("Share on LinkedIn", "share buttons"),
        ("Tweet | Share | Email", "share buttons"),
        ("Full research and data: publications.example.training", "link-out line"),
        ("Interactive versions of all visualizations: https://demos.example.com/ai", "link-out line"),
        ("© 2026 Jane Doe · Example s.r.o. · example.com", "copyright footer"),
        ("Copyright 2025 Example Media. All rights reserved.", "copyright footer"),
        ("—", "separator"),
        ("* * *", "separator"),
        ("-", "separator"),
    ],
)
def test_each_rule_marks_its_kind_of_leftover(line, rule):
    assert leftover_rule(line) == rule
    assert leftover_rule(f"- {line}") == rule  # a list marker in front changes nothing


@pytest.mark.parametrize(
    "line",
    [
        "Individual subscribers buying Claude or ChatGPT at $20–$200 a month report value clearly.",
        "Users can click through a hundred options before they find the right model, and most give up.",
        "Data: court filings (Anthropic v. DoD) • vendor releases (Meta Muse Spark, Mistral Medium 3.5)",
        "Strategy: Custom silicon escape route",
        "Timeline: 2024-2026",
        "GPT-4o: 4.0 on the benchmark",
        "Keyword stuffing no longer works for search, the author argues, because models read the whole page.",
        "Share of revenue: Anthropic earns more per user than OpenAI.",
        "- Copyright ruling against a frontier lab forces licensing of training data",
        "",
    ],
)
def test_content_lines_are_not_leftovers(line):
    assert not is_leftover(line), leftover_rule(line)


def test_rules_are_listed_in_one_place_with_distinct_names():
    names = [rule.name for rule in LEFTOVER_RULES]
    assert len(names) == len(set(names)) >= 6


BODY = """# Growth

## The Death Zone

Companies with 1,000-10,000 GPUs face extinction.
Click any card to flip it and see what happened.
Mid-sized players are acquired or die.

## Conclusion

Speed wins in the end.

—

Keywords: growth, GPUs, speed, scale, extinction, acquisition
"""


def test_leftovers_split_blocks_and_never_reach_a_chunk(tmp_path):
    document = load_document(write_doc(tmp_path, "growth.md", "Growth", BODY))
    chunks = chunk_document(document, max_words=100, model_name="m")
    texts = [c.text for c in chunks]
    assert texts == [
        "Companies with 1,000-10,000 GPUs face extinction.",
        "Mid-sized players are acquired or die.",
        "Speed wins in the end.",
    ]
    assert all(text in document.body for text in texts)  # still verbatim slices of the document


def test_corpus_keeps_its_leftovers_but_no_chunk_holds_one():
    documents = load_corpus(PROJECT_ROOT / "corpus")
    leftovers = [line for d in documents for line in d.body.splitlines() if is_leftover(line)]
    kinds = {leftover_rule(line) for line in leftovers}
    assert {"keyword line", "interface instruction", "subscription promo", "link-out line", "copyright footer"} <= kinds
    for document in documents:
        for chunk in chunk_document(document, max_words=110, model_name="m"):
            assert chunk.text in document.body
            assert not any(is_leftover(line) for line in chunk.text.splitlines()), (chunk.id, chunk.text[:200])
