"""The quarterly review draft in Markdown: one fired trigger (or counter-trigger) per list item."""

from __future__ import annotations

import datetime as dt

from markdown_it import MarkdownIt

from service.scenarios.review import build_review
from tests.scenarios.records import matched, record


def _items_under(markdown: str, heading: str) -> list[str]:
    """The rendered list items between a heading and the next one."""
    parsed = MarkdownIt("commonmark").parse(markdown)
    items, inside = [], False
    for i, token in enumerate(parsed):
        if token.type == "heading_open":
            inside = parsed[i + 1].content == heading
        elif inside and token.type == "list_item_open":
            items.append(parsed[i + 2].content)
    return items


def test_each_fired_trigger_and_counter_trigger_is_its_own_list_item(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    sovereignty = next(c for c in currents if c.name == "Sovereignty")
    triggers = [s.signal for s in sovereignty.triggers[:3]]
    counter = sovereignty.counter_triggers[0].signal
    signals = [
        record("2026-10-01", [matched("Sovereignty", triggers[0]), matched("Sovereignty", triggers[1])]),
        record("2026-04-01", [matched("Sovereignty", triggers[2])]),
        record("2026-11-02", [matched("Sovereignty", counter, "counter-trigger")]),
        record("2026-11-03", [matched("Sovereignty", triggers[0])]),
    ]
    review = build_review(currents, signals, dt.date(2026, 11, 25))
    items = _items_under(review.markdown, "Sovereignty — active")
    assert len(items) == 4
    assert [item.count("fired:") for item in items] == [1, 1, 1, 1]
    assert [item.split(" fired:")[0] for item in items] == ["**Trigger", "**Trigger", "**Trigger", "**Counter-trigger"]
    assert triggers[0] in items[0] and "2 time(s), last 2026-11-03 (this quarter)" in items[0]
    assert triggers[2] in items[2] and "(this quarter)" not in items[2]
    assert counter in items[3] and "last 2026-11-02 (this quarter)" in items[3]
    # The Markdown source too: one line per fired signal.
    lines = [line for line in review.markdown.splitlines() if " fired:** " in line]
    assert len(lines) == 4 and all(line.startswith("- **") for line in lines)


def test_a_quiet_current_says_so_on_its_own_line(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    review = build_review(
        currents,
        [record("2026-10-01", [matched("Sovereignty", currents[3].triggers[0].signal)])],
        dt.date(2026, 11, 25),
    )
    assert _items_under(review.markdown, "Continued Scaling — quiet so far") == [
        "No trigger has fired since 2026-10-01."
    ]
