"""The booklet's currents as typed, validated objects, extracted from the indexed chunks.

Every trigger, counter-trigger, framing question and data-sources line is a verbatim span of a
chunk, so each carries a citation. Extraction runs at ingest too: a current chapter that stops
parsing (no trigger list, say) fails the ingest with a message naming the document.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from service.contracts import Citation, SignalKind
from service.corpus.chunking import Chunk
from service.corpus.current_parts import (
    COUNTER_TRIGGER,
    TRIGGER_SECTION,
    Part,
    chapters_by_current,
    part_spans,
    trigger_items,
)
from service.errors import CorpusError, InvalidRequestError


class TriggerSignal(BaseModel):
    current: str
    signal: str = Field(min_length=5, description="Verbatim from the booklet.")
    kind: SignalKind
    citation: Citation


class Current(BaseModel):
    name: str
    number: int | None
    document_id: str
    framing_question: str | None
    framing_citation: Citation | None
    triggers: list[TriggerSignal] = Field(min_length=1)
    counter_triggers: list[TriggerSignal] = Field(default_factory=list)
    data_sources: str | None
    data_sources_citation: Citation | None

    @property
    def signals(self) -> list[TriggerSignal]:
        return [*self.triggers, *self.counter_triggers]


class UnknownCurrentError(InvalidRequestError):
    code = "unknown_current"


def extract_currents(chunks: list[Chunk]) -> list[Current]:
    """One Current per document whose chunks carry a `current` name, in booklet order."""
    currents = [
        _extract_one(chapter[0].document_id, chapter, chapter[0].current_number)
        for chapter in chapters_by_current(chunks).values()
    ]
    return sorted(currents, key=lambda c: (c.number or 99, c.name))


def _extract_one(document_id: str, chunks: list[Chunk], number: int | None) -> Current:
    name = chunks[0].current or ""
    triggers: list[TriggerSignal] = []
    counters: list[TriggerSignal] = []
    for chunk in chunks:
        for match, is_counter in trigger_items(chunk):
            item = match.group(1)
            signal = COUNTER_TRIGGER.sub("", item, count=1)
            target = counters if is_counter else triggers
            target.append(
                TriggerSignal(
                    current=name,
                    signal=signal,
                    kind="counter-trigger" if is_counter else "trigger",
                    citation=Citation.of(chunk, item),
                )
            )
    if not triggers:
        raise CorpusError(
            f"{document_id}.md: the current {name!r} has no trigger signals; its chapter needs a "
            f"'## {TRIGGER_SECTION}' section with '- ' items."
        )
    framing, framing_chunk = _part(chunks, "framing question")
    data, data_chunk = _part(chunks, "data sources")
    return Current(
        name=name,
        number=number,
        document_id=document_id,
        framing_question=framing,
        framing_citation=Citation.of(framing_chunk, framing) if framing_chunk and framing else None,
        triggers=triggers,
        counter_triggers=counters,
        data_sources=data,
        data_sources_citation=Citation.of(data_chunk, data) if data_chunk and data else None,
    )


def _part(chunks: list[Chunk], part: Part) -> tuple[str | None, Chunk | None]:
    """The text of a one-line part of the current and its chunk, or (None, None) when the chapter has none."""
    spans = part_spans(chunks, part)
    if not spans:
        return None, None
    chunk, start, end = spans[0]
    return chunk.text[start:end], chunk


def find_current(currents: list[Current], name: str) -> Current:
    """By name (any case), number, or document id; an unknown name lists the valid ones."""
    wanted = name.strip().lower()
    for current in currents:
        if wanted in (current.name.lower(), str(current.number), current.document_id):
            return current
    raise UnknownCurrentError(
        f"Unknown current {name!r}. Valid currents: {', '.join(c.name for c in currents)}.",
        details={"valid_currents": [c.name for c in currents]},
    )
