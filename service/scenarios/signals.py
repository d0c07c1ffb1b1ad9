"""The signal watch: match a piece of news to the booklet's trigger signals, and keep what was seen.

Matching embeds every trigger once and compares the news line by cosine similarity, plus a little
weight for shared content words; the store is SQLite (WAL, one short transaction per write), so it
survives restarts and concurrent writers without losing a row.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from service.answering.citations import content_words
from service.scenarios.currents import Current, TriggerSignal
from service.storage import connect, open_database

#: A news line matches a trigger when its score reaches this (calibrated on tests/scenarios paraphrases).
MATCH_THRESHOLD = 0.45
LEXICAL_WEIGHT = 0.3
MAX_MATCHES = 3
#: Further matches are reported only when this close to the best one.
MATCH_MARGIN = 0.08


@dataclass(frozen=True)
class SignalMatch:
    trigger: TriggerSignal
    score: float

    def to_dict(self) -> dict:
        return {
            "current": self.trigger.current,
            "signal": self.trigger.signal,
            "kind": self.trigger.kind,
            "score": round(self.score, 4),
            "citation": self.trigger.citation.model_dump(),
        }


class SignalMatcher:
    def __init__(self, currents: list[Current], embedder):
        self._signals = [s for c in currents for s in c.signals]
        self._embedder = embedder
        self._vectors = embedder.embed([s.signal for s in self._signals]) if self._signals else np.zeros((0, 1))
        self._words = [content_words(s.signal) for s in self._signals]

    def scores(self, text: str) -> list[SignalMatch]:
        """Every trigger with its score for this text, best first."""
        if not self._signals:
            return []
        vector = self._embedder.embed([text])[0]
        words = content_words(text)
        similarity = self._vectors @ vector
        ranked = []
        for signal, sim, signal_words in zip(self._signals, similarity, self._words):
            overlap = len(words & signal_words) / max(len(signal_words), 1)
            ranked.append(SignalMatch(signal, float(sim) + LEXICAL_WEIGHT * overlap))
        return sorted(ranked, key=lambda m: -m.score)

    def match(self, text: str) -> list[SignalMatch]:
        ranked = self.scores(text)[:MAX_MATCHES]
        if not ranked or ranked[0].score < MATCH_THRESHOLD:
            return []
        return [m for m in ranked if m.score >= max(MATCH_THRESHOLD, ranked[0].score - MATCH_MARGIN)]


_SCHEMA = """
CREATE TABLE IF NOT EXISTS signals (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    observed_on TEXT NOT NULL,
    source_url TEXT,
    recorded_at TEXT NOT NULL,
    matches TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS signals_observed_on ON signals (observed_on);
"""


class SignalStore:
    """Observed signals in SQLite under the data directory."""

    def __init__(self, path: Path):
        self.path = path
        open_database(self.path, _SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def add(self, text: str, observed_on: dt.date, source_url: str | None, matches: list[dict]) -> dict:
        recorded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as connection:
            with connection:  # one transaction: the row is written whole or not at all
                cursor = connection.execute(
                    "INSERT INTO signals (text, observed_on, source_url, recorded_at, matches) VALUES (?, ?, ?, ?, ?)",
                    (text, observed_on.isoformat(), source_url, recorded_at, json.dumps(matches, ensure_ascii=False)),
                )
                row_id = cursor.lastrowid
        return {"id": row_id, "text": text, "observed_on": observed_on.isoformat(), "source_url": source_url, "recorded_at": recorded_at, "matches": matches}

    def list(self, since: dt.date | None = None, limit: int = 500) -> list[dict]:
        query = "SELECT * FROM signals"
        params: tuple = ()
        if since:
            query += " WHERE observed_on >= ?"
            params = (since.isoformat(),)
        query += " ORDER BY observed_on DESC, id DESC LIMIT ?"
        with closing(self._connect()) as connection:
            rows = connection.execute(query, (*params, limit)).fetchall()
        return [{**dict(row), "matches": json.loads(row["matches"])} for row in rows]
