"""Briefings: the coverage badge follows the summary answer's `supported`, in JSON, Markdown and HTML."""

from __future__ import annotations

import pytest

from service.scenarios.briefing import NOT_COVERED


@pytest.mark.parametrize(
    ("topic", "covered"),
    [
        ("GPU overcapacity and AI infrastructure spending", True),
        ("the Jevons paradox in AI", True),
        ("how to train for a marathon", False),
        ("Sovereignty risk for a European bank", True),  # the reader's situation is not the topic
        ("a packing list for a hiking trip for my family", False),
    ],
)
async def test_the_coverage_badge_agrees_with_the_answer_service(corpus_services, topic, covered):
    scenarios = corpus_services.scenarios
    answer = await corpus_services.answers.ask(topic, topic=True)
    briefing = await scenarios.briefing(topic, length="short")
    assert answer.supported is covered and briefing.supported is covered
    html = scenarios.briefing_html(briefing)
    if covered:
        assert briefing.coverage_note is None
        assert NOT_COVERED not in briefing.markdown and 'class="badge"' not in html
    else:
        assert briefing.coverage_note == NOT_COVERED
        assert f"**{NOT_COVERED}.**" in briefing.markdown and f'<p class="badge">{NOT_COVERED}.</p>' in html


async def test_quoted_lines_are_prose_not_table_rows(corpus_services):
    briefing = await corpus_services.scenarios.briefing(
        "DeepSeek V3 training cost", length="standard"
    )  # its chapter tabulates the costs
    quoted = [line.text for section in briefing.sections[1:3] for line in section.lines]
    assert quoted and not [text for text in quoted if "|" in text]
