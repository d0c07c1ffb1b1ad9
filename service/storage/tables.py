"""The tables, as SQLAlchemy Core sees them; migrations/ creates and changes them.

Dates stay ISO-8601 text (as in the SQLite files they came from): they sort as they read, and every
database compares them the same way. JSON columns are text for the same reason.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, Index, Integer, MetaData, PrimaryKeyConstraint, Table, Text

metadata = MetaData()

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Text, primary_key=True),
    Column("name", Text, nullable=False),
    Column("secret_sha256", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text),
)

signals = Table(
    "signals",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("text", Text, nullable=False),
    Column("observed_on", Text, nullable=False),
    Column("source_url", Text),
    Column("recorded_at", Text, nullable=False),
    Column("matches", Text, nullable=False),
    Index("signals_observed_on", "observed_on"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Text, primary_key=True),
    Column("kind", Text, nullable=False),
    Column("team", Text),
    Column("channel", Text, nullable=False),
    Column("thread_ts", Text),
    Column("user", Text),
    Column("question", Text, nullable=False),
    Column("answer", Text, nullable=False),
    Column("supported", Boolean, nullable=False),
    Column("citations", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("created_at", Text, nullable=False),
)

feedback = Table(
    "feedback",
    metadata,
    Column("answer_id", Text, nullable=False),
    Column("user", Text, nullable=False),
    Column("rating", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    PrimaryKeyConstraint("answer_id", "user"),
    CheckConstraint("rating IN ('helpful', 'not_helpful')", name="feedback_rating"),
)


def upsert_insert(connection, table: Table):
    """INSERT with ON CONFLICT clauses (on_conflict_do_nothing / _do_update), in the connection's dialect."""
    if connection.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgresql_insert

        return postgresql_insert(table)
    if connection.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table)
    raise ValueError(f"unsupported database {connection.dialect.name!r}: use SQLite or PostgreSQL")
