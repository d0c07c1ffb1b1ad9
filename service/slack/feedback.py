"""Answers the bot gave and the Helpful / Not helpful votes on them, in SQLite; exported as golden cases.

stdlib sqlite3 (WAL, one short transaction per write), as the signal store does: two tables and a
handful of queries need no extra dependency. A vote refers to the answer row, which keeps the
question, the answer, its citations and the model, so an export has everything a golden case needs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from service.storage import connect, open_database

RATINGS = ("helpful", "not_helpful")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    team TEXT,
    channel TEXT NOT NULL,
    thread_ts TEXT,
    user TEXT,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    supported INTEGER NOT NULL,
    citations TEXT NOT NULL,
    model TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id TEXT NOT NULL,
    user TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not_helpful')),
    created_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user)
);
"""

EXPORT_HEADER = """\
# Golden cases from Slack feedback (strategy-assistant feedback export).
# Same format as evals/golden/retrieval.yaml. Before promoting a case: check the passage is the best
# one, fill key_facts, set names_document, and drop the `feedback` block (the loader ignores it).
"""


@dataclass
class AnswerRecord:
    id: str
    kind: str  # ask | checklist | brief | signal
    channel: str
    question: str
    answer: str
    supported: bool
    citations: list[dict]
    model: str
    team: str | None = None
    thread_ts: str | None = None
    user: str | None = None
    created_at: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))


class FeedbackStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        open_database(self.path, _SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def record_answer(self, record: AnswerRecord) -> None:
        with closing(self._connect()) as connection, connection:
            connection.execute(
                "INSERT OR REPLACE INTO answers (id, kind, team, channel, thread_ts, user, question, answer, supported, citations, model, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (record.id, record.kind, record.team, record.channel, record.thread_ts, record.user, record.question, record.answer,
                 int(record.supported), json.dumps(record.citations, ensure_ascii=False), record.model, record.created_at),
            )

    def record_feedback(self, answer_id: str, user: str, rating: str) -> bool:
        """One vote per user and answer (a changed mind replaces it); False when the answer is unknown."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with closing(self._connect()) as connection, connection:
            known = connection.execute("SELECT 1 FROM answers WHERE id = ?", (answer_id,)).fetchone() is not None
            connection.execute(
                "INSERT INTO feedback (answer_id, user, rating, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (answer_id, user) DO UPDATE SET rating = excluded.rating, created_at = excluded.created_at",
                (answer_id, user, rating, now),
            )
        return known

    def answer(self, answer_id: str) -> dict | None:
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT * FROM answers WHERE id = ?", (answer_id,)).fetchone()
        return _answer_dict(row) if row else None

    def rated(self, kind: str | None = "ask") -> list[dict]:
        """Answers with at least one vote, each with its `helpful` and `not_helpful` counts, oldest first."""
        query = (
            "SELECT a.*, SUM(f.rating = 'helpful') AS helpful, SUM(f.rating = 'not_helpful') AS not_helpful"
            " FROM answers a JOIN feedback f ON f.answer_id = a.id"
        )
        params: tuple = ()
        if kind:
            query += " WHERE a.kind = ?"
            params = (kind,)
        query += " GROUP BY a.id ORDER BY a.created_at, a.id"
        with closing(self._connect()) as connection:
            rows = connection.execute(query, params).fetchall()
        return [{**_answer_dict(row), "helpful": row["helpful"], "not_helpful": row["not_helpful"]} for row in rows]

    def export_cases(self, rating: str = "helpful") -> list[dict]:
        """Rated questions as golden cases; `rating` picks those voted mostly helpful, mostly not helpful, or all."""
        chosen = []
        for row in self.rated("ask"):
            if rating == "all" or (rating == "helpful" and row["helpful"] > row["not_helpful"]) or (
                rating == "not_helpful" and row["not_helpful"] > row["helpful"]
            ):
                chosen.append(golden_case(row))
        return chosen



def cases_yaml(cases: list[dict]) -> str:
    return EXPORT_HEADER + "\n" + (yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=1000) if cases else "[]\n")


def _answer_dict(row: sqlite3.Row) -> dict:
    data = dict(row)
    data["supported"] = bool(data["supported"])
    data["citations"] = json.loads(data["citations"])
    return data


def golden_case(row: dict) -> dict:
    """One case in the format of evals/golden/retrieval.yaml; a refusal rated helpful becomes a must_refuse case."""
    first = row["citations"][0] if row["citations"] else None
    refused = not row["supported"]
    votes = f"{row['helpful']} helpful, {row['not_helpful']} not helpful"
    return {
        "id": "slack-" + re.sub(r"[^A-Za-z0-9]+", "-", row["id"]).strip("-"),
        "question": row["question"],
        "document": None if refused or not first else first["document"]["id"],
        "passage": None if refused or not first else first["quote"],
        "key_facts": [],
        "names_document": False,
        "must_refuse": refused,
        "why": f"From Slack feedback ({votes}); answered by {row['model']} on {row['created_at'][:10]}.",
        "feedback": {
            "helpful": row["helpful"],
            "not_helpful": row["not_helpful"],
            "model": row["model"],
            "answer": row["answer"],
            "citations": [{"document": c["document"]["id"], "section": c.get("section"), "quote": c["quote"]} for c in row["citations"]],
        },
    }
