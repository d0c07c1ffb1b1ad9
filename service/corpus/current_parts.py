"""Where a booklet chapter keeps the parts of its current: the framing question, the trigger list (with its
counter-triggers) and the data-sources line. Spans of a chunk's text, found by the chapter's layout, shared by the
typed currents (scenarios) and the answers that quote one part (answering)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

from service.corpus.chunking import Chunk

TRIGGER_SECTION = "Trigger signals — what to watch for"
COUNTER_TRIGGER = re.compile(r"^Counter-trigger:\s*", re.IGNORECASE)
_ITEM = re.compile(r"^\s*[-*+]\s+(.+?)\s*$", re.MULTILINE)
#: The quoted line under the current's name, before its first section: "“Have We Seen This Before?”".
_FRAMING = re.compile(r"“[^”]{5,200}”")
_DATA_LINE = re.compile(r"^Data:.*$", re.MULTILINE)

Part = Literal["framing question", "data sources", "triggers", "counter-triggers"]


def framing_question(chunk: Chunk) -> tuple[int, int] | None:
    """The span of the current's framing question, when the chunk opens the chapter with it."""
    if chunk.section is not None:
        return None
    text = chunk.text
    found = _FRAMING.match(text.strip())
    if found is None:
        return None
    start = text.find(found.group(0))
    return start, start + len(found.group(0))


def is_data_line(text: str) -> bool:
    """Whether a line of text is a chapter's "Data: ..." line."""
    return bool(_DATA_LINE.match(text.strip()))


def data_line(chunk: Chunk) -> tuple[int, int] | None:
    """The span of the chapter's "Data: ..." line, if the chunk holds it."""
    found = _DATA_LINE.search(chunk.text)
    return found.span() if found else None


def trigger_items(chunk: Chunk) -> Iterator[tuple[re.Match[str], bool]]:
    """Each item of a trigger list (the item's match: group 1 is its text) and whether it is a counter-trigger."""
    if chunk.section != TRIGGER_SECTION:
        return
    for match in _ITEM.finditer(chunk.text):
        yield match, bool(COUNTER_TRIGGER.match(match.group(1)))


def part_spans(chunks: list[Chunk], part: Part) -> list[tuple[Chunk, int, int]]:
    """The spans of one part of a current, over the chapter's chunks in order: one line each for the framing
    question and the data sources, each item of the trigger list (its whole line, "- " and all) for the triggers or
    the counter-triggers."""
    spans: list[tuple[Chunk, int, int]] = []
    for chunk in chunks:
        if part in ("triggers", "counter-triggers"):
            for m, counter in trigger_items(chunk):
                if counter != (part == "counter-triggers"):
                    continue
                start = chunk.text.rfind("\n", 0, m.start(1)) + 1
                if spans and spans[-1][0] is chunk and not chunk.text[spans[-1][2] : start].strip():
                    start = spans.pop()[1]  # the next item of the same run: one quote of the list
                spans.append((chunk, start, m.end(1)))
            continue
        span = framing_question(chunk) if part == "framing question" else data_line(chunk)
        if span is not None:
            return [(chunk, *span)]
    return spans


def chapters_by_current(chunks: list[Chunk]) -> dict[str, list[Chunk]]:
    """Each current's chapter, its chunks in order, the currents in the booklet's order (its chapters' file names)."""
    chapters: dict[str, list[Chunk]] = {}
    for chunk in sorted((c for c in chunks if c.current), key=lambda c: (c.document_id, c.ordinal)):
        chapters.setdefault(chunk.current or "", []).append(chunk)
    return chapters
