"""The four tables of the SQLite files of before: api_keys, signals, answers, feedback.

A table that already exists is adopted as it is (an SQLite file written before migrations had the same
columns), so an old file can be opened as a database directly.

Revision ID: 0001
Revises:
Create Date: 2026-06-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if "api_keys" not in existing:
        op.create_table(
            "api_keys",
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("name", sa.Text, nullable=False),
            sa.Column("secret_sha256", sa.Text, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.Column("revoked_at", sa.Text),
        )
    if "signals" not in existing:
        op.create_table(
            "signals",
            sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
            sa.Column("text", sa.Text, nullable=False),
            sa.Column("observed_on", sa.Text, nullable=False),
            sa.Column("source_url", sa.Text),
            sa.Column("recorded_at", sa.Text, nullable=False),
            sa.Column("matches", sa.Text, nullable=False),
        )
        op.create_index("signals_observed_on", "signals", ["observed_on"])
    if "answers" not in existing:
        op.create_table(
            "answers",
            sa.Column("id", sa.Text, primary_key=True),
            sa.Column("kind", sa.Text, nullable=False),
            sa.Column("team", sa.Text),
            sa.Column("channel", sa.Text, nullable=False),
            sa.Column("thread_ts", sa.Text),
            sa.Column("user", sa.Text),
            sa.Column("question", sa.Text, nullable=False),
            sa.Column("answer", sa.Text, nullable=False),
            sa.Column("supported", sa.Boolean, nullable=False),
            sa.Column("citations", sa.Text, nullable=False),
            sa.Column("model", sa.Text, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
        )
    if "feedback" not in existing:
        op.create_table(
            "feedback",
            sa.Column("answer_id", sa.Text, nullable=False),
            sa.Column("user", sa.Text, nullable=False),
            sa.Column("rating", sa.Text, nullable=False),
            sa.Column("created_at", sa.Text, nullable=False),
            sa.PrimaryKeyConstraint("answer_id", "user"),
            sa.CheckConstraint("rating IN ('helpful', 'not_helpful')", name="feedback_rating"),
        )


def downgrade() -> None:
    for table in ("feedback", "answers", "signals", "api_keys"):
        op.drop_table(table)
