"""The database: migrations on start, the SQLite files of before imported whole, and a database that goes away."""

import datetime as dt
import json
import sqlite3
import threading

import pytest
from typer.testing import CliRunner

from service.cli import app as cli
from service.scenarios.signals import SignalStore
from service.security.keys import KeyStore, _digest
from service.settings import Settings
from service.slack.feedback import FeedbackStore
from service.storage.database import Database, DatabaseUnavailableError, normalize_url

# The schema of the SQLite files as the service wrote them before the shared database (copied, not imported:
# those modules are gone).
OLD_KEYS = """CREATE TABLE IF NOT EXISTS api_keys (id TEXT PRIMARY KEY, name TEXT NOT NULL, secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL, revoked_at TEXT);"""
OLD_SIGNALS = """CREATE TABLE IF NOT EXISTS signals (id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL,
    observed_on TEXT NOT NULL, source_url TEXT, recorded_at TEXT NOT NULL, matches TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signals_observed_on ON signals (observed_on);"""
OLD_FEEDBACK = """CREATE TABLE IF NOT EXISTS answers (id TEXT PRIMARY KEY, kind TEXT NOT NULL, team TEXT, channel TEXT NOT NULL,
    thread_ts TEXT, user TEXT, question TEXT NOT NULL, answer TEXT NOT NULL, supported INTEGER NOT NULL, citations TEXT NOT NULL,
    model TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS feedback (answer_id TEXT NOT NULL, user TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('helpful', 'not_helpful')), created_at TEXT NOT NULL, PRIMARY KEY (answer_id, user));"""
#: A signal's matches as the service wrote them then (the shape of service.contracts.SignalMatch).
OLD_MATCH = {
    "current": "Sovereignty",
    "signal": "New sovereign-AI regulations requiring on-shore inference",
    "kind": "trigger",
    "score": 0.6123,
    "citation": {
        "chunk_id": "scenario-planning-04-sovereignty:7",
        "quote": "New sovereign-AI regulations requiring on-shore inference",
        "document": {"id": "scenario-planning-04-sovereignty", "title": "Sovereignty"},
        "section": "Trigger signals — what to watch for",
    },
}

runner = CliRunner()


def old_file(path, schema: str, inserts: list[tuple[str, tuple]]):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.executescript(schema)
    for sql, params in inserts:
        connection.execute(sql, params)
    return connection  # left open, as a running service of before would: its WAL is not checkpointed


def write_old_files(data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    keys = old_file(
        data_dir / "keys.sqlite3",
        OLD_KEYS,
        [
            (
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?)",
                ("a1b2c3", "team", _digest("secret-one"), "2025-01-02T00:00:00+00:00", None),
            ),
            (
                "INSERT INTO api_keys VALUES (?, ?, ?, ?, ?)",
                ("d4e5f6", "old", _digest("secret-two"), "2025-01-01T00:00:00+00:00", "2025-02-01T00:00:00+00:00"),
            ),
        ],
    )
    signals = old_file(
        data_dir / "signals.sqlite3",
        OLD_SIGNALS,
        [
            (
                "INSERT INTO signals (text, observed_on, source_url, recorded_at, matches) VALUES (?, ?, ?, ?, ?)",
                (
                    f"news {n}",
                    f"2025-0{1 + n % 9}-15",
                    None,
                    f"2025-10-01T00:00:0{n}+00:00",
                    json.dumps([OLD_MATCH]),
                ),
            )
            for n in range(7)
        ],
    )
    feedback = old_file(
        data_dir / "slack_feedback.sqlite3",
        OLD_FEEDBACK,
        [
            (
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    "C1-1.0",
                    "ask",
                    "T1",
                    "C1",
                    "1.0",
                    "U1",
                    "What is Jevons?",
                    "More use.",
                    1,
                    "[]",
                    "extractive",
                    "2025-03-01T00:00:00+00:00",
                ),
            ),
            ("INSERT INTO feedback VALUES (?, ?, ?, ?)", ("C1-1.0", "U1", "helpful", "2025-03-01T00:01:00+00:00")),
            ("INSERT INTO feedback VALUES (?, ?, ?, ?)", ("C1-1.0", "U2", "not_helpful", "2025-03-01T00:02:00+00:00")),
        ],
    )
    return [keys, signals, feedback]


def test_the_sqlite_files_of_before_are_imported_on_first_start_and_nothing_is_lost(tmp_path, database_url):
    data_dir = tmp_path / "data"
    open_connections = write_old_files(data_dir)
    settings = Settings(data_dir=data_dir, database_url=database_url)
    database = Database.from_settings(settings)
    keys, signals, feedback = KeyStore(database), SignalStore(database), FeedbackStore(database)
    assert [(k.id, k.revoked_at is None) for k in keys.list()] == [("d4e5f6", False), ("a1b2c3", True)]
    assert keys.verify("sa_a1b2c3_secret-one").name == "team" and keys.verify("sa_d4e5f6_secret-two") is None
    rows = signals.list(limit=100)
    assert sorted(r.text for r in rows) == [f"news {n}" for n in range(7)]
    assert [m.model_dump(mode="json") for m in rows[0].matches] == [OLD_MATCH]
    (rated,) = feedback.rated()
    assert (rated["question"], rated["supported"], rated["helpful"], rated["not_helpful"]) == (
        "What is Jevons?",
        True,
        1,
        1,
    )
    for connection in open_connections:
        connection.close()
    for name in ("keys", "signals", "slack_feedback"):  # kept, renamed: the next start does not read them again
        assert not (data_dir / f"{name}.sqlite3").exists() and (data_dir / f"{name}.sqlite3.imported").exists()
    assert database.revision() == Database.head()
    # A second replica starting on the same data (files already renamed) and a new signal: ids go on, no duplicates.
    again = Database.from_settings(settings)
    assert SignalStore(again).add("news 7", dt.date(2025, 11, 1), None, []).id == 8
    assert len(SignalStore(again).list(limit=100)) == 8 and len(KeyStore(again).list()) == 2
    database.dispose()
    again.dispose()


def test_an_import_repeated_after_a_crash_adds_nothing(tmp_path, database_url):
    data_dir = tmp_path / "data"
    for connection in write_old_files(data_dir):
        connection.close()
    copies = {p.name: p.read_bytes() for p in data_dir.glob("*.sqlite3")}
    database = Database.from_settings(Settings(data_dir=data_dir, database_url=database_url))
    database.migrate()
    for name, content in copies.items():  # as if the process died after the commit, before the rename
        (data_dir / name).write_bytes(content)
    database.add_legacy_file(data_dir / "keys.sqlite3")  # a fresh start would read every file again
    database._migrated = False
    assert len(SignalStore(database).list(limit=100)) == 7 and len(KeyStore(database).list()) == 2
    assert FeedbackStore(database).rated()[0]["helpful"] == 1
    database.dispose()


def test_replicas_starting_together_migrate_once(tmp_path, database_url):
    databases = [Database(database_url) for _ in range(4)]
    errors = []

    def start(database):
        try:
            database.migrate()
        except Exception as exc:  # noqa: BLE001 (collected for the assertion)
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and {d.revision() for d in databases} == {Database.head()}
    for database in databases:
        database.dispose()


def test_an_old_feedback_file_can_still_be_exported_directly(tmp_path):
    write_old_files(tmp_path)[2].close()
    result = runner.invoke(
        cli, ["feedback", "export", "--rating", "all", "--db", str(tmp_path / "slack_feedback.sqlite3")]
    )
    assert result.exit_code == 0 and "What is Jevons?" in result.stdout and "1 case(s) exported" in result.output


def test_urls_name_the_shipped_driver():
    assert normalize_url("postgresql://u:p@db/strategy") == "postgresql+psycopg://u:p@db/strategy"
    assert normalize_url("postgres://db/strategy") == "postgresql+psycopg://db/strategy"
    assert normalize_url("sqlite:///x.sqlite3") == "sqlite:///x.sqlite3"


def test_postgres_going_away_is_a_503_error_and_it_recovers_without_restart(postgres_server, postgres_url):
    url = postgres_url.replace("strategy@", "strategy:pw-not-shown@")  # trust auth ignores it; no message may show it
    database = Database(url)
    signals = SignalStore(database)
    signals.add("before", dt.date(2026, 1, 1), None, [])
    postgres_server.stop()
    try:
        with pytest.raises(DatabaseUnavailableError) as raised:
            signals.add("during", dt.date(2026, 1, 1), None, [])
        assert (
            raised.value.status_code == 503
            and raised.value.headers["Retry-After"]
            and "pw-not-shown" not in raised.value.message
        )
        assert "cannot be reached" in database.check() and "***" in database.check()
    finally:
        postgres_server.start()
    assert database.check() is None
    signals.add("after", dt.date(2026, 1, 2), None, [])
    assert [r.text for r in signals.list()] == ["after", "before"]
    database.dispose()


def test_keys_verified_before_an_outage_keep_working_and_unknown_ones_get_503(postgres_server, postgres_url):
    keys = KeyStore(Database(postgres_url))
    _, secret = keys.create("a")
    _, never_used = keys.create("b")
    assert keys.verify(secret) and keys.has_active_keys()
    postgres_server.stop()
    try:
        assert keys.verify(secret).name == "a" and keys.has_active_keys(max_age_s=0)  # the last answer stands
        assert keys.verify(secret[:-1] + ("x" if secret[-1] != "x" else "y")) is None  # a known id, a wrong secret
        with pytest.raises(DatabaseUnavailableError):
            keys.verify(never_used)
    finally:
        postgres_server.start()
    keys.database.dispose()


def test_the_migrations_build_the_schema_the_code_uses(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from service.storage.tables import metadata

    database = Database(database_url)
    database.migrate()
    with database.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []  # a change to tables.py needs a migration in service/storage/migrations/versions
    database.dispose()
