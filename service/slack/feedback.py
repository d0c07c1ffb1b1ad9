"""Answers the bot gave and the Helpful / Not helpful votes on them, in the service's database; exported as golden cases.

One short transaction per write, as the signal store does. A vote refers to the answer row, which keeps
the question, the answer, its citations and the model, so an export has everything a golden case needs.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field

import yaml
from sqlalchemy import case, func, select

from service.storage.database import Database
from service.storage.tables import answers, feedback, upsert_insert

RATINGS = ("helpful", "not_helpful")

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
    def __init__(self, database: Database):
        self.database = database

    def record_answer(self, record: AnswerRecord) -> None:
        values = {
            "id": record.id,
            "kind": record.kind,
            "team": record.team,
            "channel": record.channel,
            "thread_ts": record.thread_ts,
            "user": record.user,
            "question": record.question,
            "answer": record.answer,
            "supported": bool(record.supported),
            "citations": json.dumps(record.citations, ensure_ascii=False),
            "model": record.model,
            "created_at": record.created_at,
        }
        with self.database.transaction() as connection:
            insert = upsert_insert(connection, answers).values(**values)
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=["id"], set_={k: insert.excluded[k] for k in values if k != "id"}
                )
            )

    def record_feedback(self, answer_id: str, user: str, rating: str) -> bool:
        """One vote per user and answer (a changed mind replaces it); False when the answer is unknown."""
        if rating not in RATINGS:
            raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.database.transaction() as connection:
            known = connection.execute(select(answers.c.id).where(answers.c.id == answer_id)).first() is not None
            insert = upsert_insert(connection, feedback).values(
                answer_id=answer_id, user=user, rating=rating, created_at=now
            )
            connection.execute(
                insert.on_conflict_do_update(
                    index_elements=["answer_id", "user"],
                    set_={"rating": insert.excluded.rating, "created_at": insert.excluded.created_at},
                )
            )
        return known

    def answer(self, answer_id: str) -> dict | None:
        with self.database.connect() as connection:
            row = connection.execute(select(answers).where(answers.c.id == answer_id)).mappings().first()
        return _answer_dict(row) if row else None

    def rated(self, kind: str | None = "ask") -> list[dict]:
        """Answers with at least one vote, each with its `helpful` and `not_helpful` counts, oldest first."""

        def votes(rating: str):
            return func.sum(case((feedback.c.rating == rating, 1), else_=0)).label(rating)

        query = select(answers, votes("helpful"), votes("not_helpful")).join(
            feedback, feedback.c.answer_id == answers.c.id
        )
        if kind:
            query = query.where(answers.c.kind == kind)
        query = query.group_by(*answers.c).order_by(answers.c.created_at, answers.c.id)
        with self.database.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            {**_answer_dict(row), "helpful": int(row["helpful"]), "not_helpful": int(row["not_helpful"])}
            for row in rows
        ]

    def export_cases(self, rating: str = "helpful") -> list[dict]:
        """Rated questions as golden cases; `rating` picks those voted mostly helpful, mostly not helpful, or all."""
        chosen = []
        for row in self.rated("ask"):
            if (
                rating == "all"
                or (rating == "helpful" and row["helpful"] > row["not_helpful"])
                or (rating == "not_helpful" and row["not_helpful"] > row["helpful"])
            ):
                chosen.append(golden_case(row))
        return chosen


def cases_yaml(cases: list[dict]) -> str:
    return (
        EXPORT_HEADER
        + "\n"
        + (yaml.safe_dump(cases, sort_keys=False, allow_unicode=True, width=1000) if cases else "[]\n")
    )


def _answer_dict(row) -> dict:
    data = {column.name: row[column.name] for column in answers.c}
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
            "citations": [
                {"document": c["document"]["id"], "section": c.get("section"), "quote": c["quote"]}
                for c in row["citations"]
            ],
        },
    }
