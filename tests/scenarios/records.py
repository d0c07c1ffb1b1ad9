"""Watch-log records for review tests, built from (current, signal, kind) as the signal store returns them."""

from __future__ import annotations

import itertools

from service.contracts import Citation, DocumentRef, SignalKind, SignalMatch, SignalRecord

_IDS = itertools.count(1)


def matched(current: str, signal: str, kind: SignalKind = "trigger") -> SignalMatch:
    """A match of a news line to `signal`, cited as the booklet's trigger list would be."""
    document = DocumentRef(id=current.lower().replace(" ", "-"), title=current)
    citation = Citation(chunk_id=f"{document.id}:1", quote=signal, document=document, section="Trigger signals")
    return SignalMatch(current=current, signal=signal, kind=kind, score=0.5, citation=citation)


def record(observed_on: str, matches: list[SignalMatch]) -> SignalRecord:
    return SignalRecord(
        id=next(_IDS),
        text="a news line",
        observed_on=observed_on,
        source_url=None,
        recorded_at=f"{observed_on}T09:00:00+00:00",
        matches=matches,
    )
