"""The SQLite files of before the shared database (keys.sqlite3, signals.sqlite3, slack_feedback.sqlite3),
imported into it on first start; each file is then renamed `<name>.imported` and kept as it was.

Importing twice adds nothing: keys, answers and votes keep their ids, and a signal already present
(same text, date and time recorded) is skipped, so ids of two hosts' logs never collide.
"""

from __future__ import annotations

import contextlib
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy import Connection, select

from service.storage.tables import answers, api_keys, feedback, signals, upsert_insert

LEGACY_FILES = ("keys.sqlite3", "signals.sqlite3", "slack_feedback.sqlite3")
IMPORTED_SUFFIX = ".imported"


def _rows(source: sqlite3.Connection, table: str) -> list[dict]:
    present = source.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)).fetchone()
    return [dict(row) for row in source.execute(f"SELECT * FROM {table}")] if present else []  # noqa: S608 (a fixed name)


def import_file(connection: Connection, path: Path) -> dict[str, int]:
    """Copy the rows of one old file into the database; the number of rows read per table."""
    with closing(sqlite3.connect(path, timeout=30)) as source:
        source.row_factory = sqlite3.Row
        counts = {}
        for table, key in ((api_keys, ["id"]), (answers, ["id"]), (feedback, ["answer_id", "user"])):
            rows = _rows(source, table.name)
            if table is answers:
                rows = [{**row, "supported": bool(row["supported"])} for row in rows]
            if rows:
                connection.execute(upsert_insert(connection, table).on_conflict_do_nothing(index_elements=key), rows)
            counts[table.name] = len(rows)
        rows = _rows(source, "signals")
        for row in rows:
            same = select(signals.c.id).where(
                signals.c.text == row["text"],
                signals.c.observed_on == row["observed_on"],
                signals.c.recorded_at == row["recorded_at"],
            )
            if connection.execute(same).first() is None:
                connection.execute(signals.insert().values({k: v for k, v in row.items() if k != "id"}))
        counts["signals"] = len(rows)
    return {table: n for table, n in counts.items() if n}


def import_legacy_files(connection: Connection, paths: list[Path]) -> list[tuple[Path, dict[str, int]]]:
    """Import every old file that exists (and is not the database itself)."""
    database = connection.engine.url.database
    done = []
    for path in paths:
        if path.is_file() and (not database or path.resolve() != Path(database).resolve()):
            done.append((path, import_file(connection, path)))
    return done


def retire(path: Path) -> None:
    """Rename an imported file (and its WAL leftovers) so the next start does not read it again."""
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):  # no WAL left, or a replica sharing the folder renamed it first
            path.with_name(path.name + suffix).replace(path.with_name(path.name + IMPORTED_SUFFIX + suffix))
