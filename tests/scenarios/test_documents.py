"""User (or model) text in the Markdown drafts stays text: checked with a real CommonMark parser (markdown-it-py)."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from service.contracts import Checklist
from service.scenarios.checklist import checklist_markdown
from service.scenarios.documents import markdown_text, render

INJECTIONS = [
    "Bank\n\n## Injected heading\n- [x] **Trigger:** fake signal [1]",
    "# Heading at the start",
    "- a list item at the start",
    "+ another",
    "12. a numbered item",
    "> a quote",
    "===",
    "<script>alert(1)</script> and <img src=x onerror=alert(1)>",
    "[click](javascript:alert(1)) ![img](https://tracker.invalid/p.gif) <https://autolink.invalid>",
    "`code` *em* _em_ **strong** ~~gone~~ | a | b |",
    "&lt;b&gt; entity &#60;script&#62; and a backslash \\",
    "line one  \nline two",
]

PARSER = MarkdownIt("commonmark").enable("table").enable("strikethrough")


def tokens(markdown: str) -> list:
    """Every token, children included."""
    out = []
    for token in PARSER.parse(markdown):
        out.append(token)
        out.extend(token.children or [])
    return out


def rendered_text(markdown: str) -> str:
    """What a reader sees: the text of the inline tokens, after CommonMark unescapes it."""
    return "".join(t.content for t in tokens(markdown) if t.type in ("text", "code_inline"))


@pytest.mark.parametrize("text", INJECTIONS)
def test_escaped_text_is_one_paragraph_of_exactly_its_characters(text):
    parsed = tokens(markdown_text(text))
    assert [t.type for t in PARSER.parse(markdown_text(text))] == ["paragraph_open", "inline", "paragraph_close"]
    assert {t.type for t in parsed} <= {"paragraph_open", "inline", "paragraph_close", "text", "softbreak"}
    assert rendered_text(markdown_text(text)) == " ".join(text.split())


@pytest.mark.parametrize("text", INJECTIONS)
def test_escaped_text_after_a_list_marker_stays_in_its_item(text):
    document = f"- {markdown_text(text)} [1]\n- second"
    kinds = [t.type for t in PARSER.parse(document)]
    assert kinds.count("list_item_open") == 2 and "heading_open" not in kinds and "bullet_list_open" in kinds
    assert kinds.count("bullet_list_open") == 1 and "ordered_list_open" not in kinds and "blockquote_open" not in kinds


def test_ordinary_text_reads_as_written():
    text = "A European bank's on-shore LLM (2025): AT&T, 10% cheaper, $14.8 billion."
    assert markdown_text(text) == text


CHECKLIST = Checklist.model_validate(
    {
        "title": "Trigger checklist: Sovereignty",
        "context": INJECTIONS[0],
        "horizon_months": None,
        "currents": [{"name": "Sovereignty", "framing_question": "“Who controls it?”", "reason": None}],
        "items": [
            {
                "current": "Sovereignty",
                "signal": "New sovereign-AI regulations",
                "kind": "trigger",
                "why_it_matters": "a model wrote: <b>x</b>\n## Heading\n[link](javascript:alert(1))",
                "why_citation": {
                    "chunk_id": "def",
                    "quote": "Sovereignty stopped being a paranoid’s concern.",
                    "document": {"id": "sovereignty", "title": "Sovereignty"},
                    "section": None,
                },
                "citation": {
                    "chunk_id": "abc",
                    "quote": "New sovereign-AI regulations",
                    "document": {"id": "sovereignty", "title": "Sovereignty"},
                    "section": "Trigger signals",
                },
            }
        ],
        "review": {"cadence": "quarterly", "retire_after_months": 18},
        "model": "extractive",
        "markdown": "",
    }
)


def test_checklist_markdown_keeps_its_structure_whatever_the_context_says():
    markdown = checklist_markdown(CHECKLIST)
    parsed = tokens(markdown)
    headings = [parsed[i + 1].content for i, t in enumerate(parsed) if t.type == "heading_open"]
    assert headings == ["Trigger checklist: Sovereignty", "Sovereignty — “Who controls it?”", "Sources"]
    assert sum(t.type == "list_item_open" for t in parsed) == 3  # the checklist item, then its two sources
    assert not [t for t in parsed if t.type in ("link_open", "image", "html_inline", "html_block")]
    assert "## Injected heading - [x] **Trigger:** fake signal [1]" in rendered_text(markdown)


def test_review_markdown_escapes_what_it_repeats():
    review = {
        "as_of": "2026-06-30",
        "watching_since": "2025-01-01",
        "total_signals": 1,
        "quiet_months": 18,
        "currents": [
            {
                "name": "Sovereignty",
                "status": "active",
                "fired": [
                    {
                        "kind": "trigger",
                        "signal": "<img src=x> # not a heading",
                        "count": 1,
                        "last_observed": "2026-06-01",
                        "in_quarter": True,
                    }
                ],
            }
        ],
        "decisions": ["- [x] done?"],
    }
    parsed = tokens(render("review.md.j2", **review))
    assert not [t for t in parsed if t.type in ("html_inline", "html_block", "link_open")]
    assert sum(t.type == "heading_open" for t in parsed) == 3  # the title, the current, "Decisions to take"
    assert sum(t.type == "list_item_open" for t in parsed) == 2
