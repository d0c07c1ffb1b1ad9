"""SQLite, as every small store of the service uses it: WAL, a busy timeout, one short transaction per write."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path


def connect(path: Path) -> sqlite3.Connection:
    """A connection for one operation (open, use, close): safe across threads and processes."""
    connection = sqlite3.connect(path, timeout=30, isolation_level=None)
    connection.execute("PRAGMA busy_timeout = 30000")
    connection.row_factory = sqlite3.Row
    return connection


def open_database(path: Path, schema: str) -> None:
    """Create the file and its tables if missing, in WAL mode (readers never block the writer)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = WAL")
        connection.executescript(schema)
