"""The signal watch: match a piece of news to the booklet's trigger signals, and keep what was seen.

Matching embeds every trigger twice, whole and as its core claim, both with the booklet's jargon
read in plain words (service/scenarios/signal_kinds.py), and scores a news line by cosine similarity,
plus a little weight for shared content words, less a penalty when a trend signal moves the other way.
The store is the service's database (one short transaction per write), so it survives restarts and
concurrent writers, and several replicas share one log.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select

from service.contracts import SignalMatch, SignalRecord
from service.scenarios.currents import Current, TriggerSignal
from service.scenarios.signal_kinds import core_claim, direction, plain_words
from service.storage.database import Database
from service.storage.tables import signals
from service.text import content_words


@dataclass(frozen=True)
class MatchConfig:
    """The numbers behind a match; measured on tests/scenarios/news_lines.yaml (python -m tests.scenarios.signal_watch)."""

    #: A news line matches a trigger when its score reaches this: above every unrelated line, below the paraphrases.
    threshold: float = 0.38
    #: Weight of the core claim's similarity against the whole signal's (the rest).
    core_weight: float = 0.5
    #: Weight of the share of the signal's content words the news line uses.
    lexical_weight: float = 0.3
    #: Taken off a trend signal when the news moves the other way (a cut where the signal rises).
    direction_penalty: float = 0.15
    max_matches: int = 3
    #: Further matches are reported only when this close to the best one.
    margin: float = 0.08


@dataclass(frozen=True)
class ScoredSignal:
    """A trigger with its score for one text, at full precision for ranking; `as_match()` is what callers get."""

    trigger: TriggerSignal
    score: float

    def as_match(self) -> SignalMatch:
        trigger = self.trigger
        return SignalMatch(
            current=trigger.current,
            signal=trigger.signal,
            kind=trigger.kind,
            score=self.score,
            citation=trigger.citation,
        )


class SignalMatcher:
    def __init__(self, currents: list[Current], embedder, config: MatchConfig | None = None):
        self.config = config or MatchConfig()
        self._signals = [s for c in currents for s in c.signals]
        self._embedder = embedder
        if self._signals:
            whole = [plain_words(s.signal) for s in self._signals]
            cores = [plain_words(core_claim(s.signal)) for s in self._signals]
            vectors = embedder.embed(whole + cores)
            self._whole, self._cores = vectors[: len(whole)], vectors[len(whole) :]
        self._words = [content_words(plain_words(s.signal)) for s in self._signals]
        self._directions = np.array([direction(core_claim(s.signal)) for s in self._signals])

    def scores(self, text: str) -> list[ScoredSignal]:
        """Every trigger with its score for this text, best first."""
        if not self._signals:
            return []
        config = self.config
        vector = self._embedder.embed([text])[0]
        similarity = (1 - config.core_weight) * (self._whole @ vector) + config.core_weight * (self._cores @ vector)
        words = content_words(text)
        overlap = np.array([len(words & signal_words) / max(len(signal_words), 1) for signal_words in self._words])
        against = (self._directions * direction(text)) < 0
        total = similarity + config.lexical_weight * overlap - config.direction_penalty * against
        ranked = [ScoredSignal(signal, float(score)) for signal, score in zip(self._signals, total, strict=True)]
        return sorted(ranked, key=lambda m: -m.score)

    def match(self, text: str) -> list[ScoredSignal]:
        config = self.config
        ranked = self.scores(text)[: config.max_matches]
        if not ranked or ranked[0].score < config.threshold:
            return []
        return [m for m in ranked if m.score >= max(config.threshold, ranked[0].score - config.margin)]


class SignalStore:
    """Observed signals in the database (SQLite under data_dir, or the replicas' shared PostgreSQL)."""

    def __init__(self, database: Database):
        self.database = database

    def add(self, text: str, observed_on: dt.date, source_url: str | None, matches: list[SignalMatch]) -> SignalRecord:
        recorded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        row = {
            "text": text,
            "observed_on": observed_on.isoformat(),
            "source_url": source_url,
            "recorded_at": recorded_at,
        }
        stored = json.dumps([m.model_dump(mode="json") for m in matches], ensure_ascii=False)
        with self.database.transaction() as connection:  # one transaction: the row is written whole or not at all
            result = connection.execute(signals.insert().values(**row, matches=stored))
            row_id = result.inserted_primary_key[0]  # type: ignore[index]  # always set by a one-row INSERT
        return SignalRecord(id=row_id, **row, matches=matches)

    def list(self, since: dt.date | None = None, limit: int = 500) -> list[SignalRecord]:
        query = select(signals)
        if since:
            query = query.where(signals.c.observed_on >= since.isoformat())
        query = query.order_by(signals.c.observed_on.desc(), signals.c.id.desc()).limit(limit)
        with self.database.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [SignalRecord.model_validate({**row, "matches": json.loads(row["matches"])}) for row in rows]
