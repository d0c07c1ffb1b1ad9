"""API keys, stored hashed in SQLite: `sa_<id>_<secret>`; only the secret's SHA-256 is kept.

The secret is 32 random bytes, so a fast hash is enough (no password stretching needed); the
comparison is constant-time."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from service.storage import connect, open_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
"""


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: str
    revoked_at: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStore:
    def __init__(self, path: Path):
        self.path = path
        open_database(self.path, _SCHEMA)
        self._active_cache: tuple[float, bool] | None = None

    def _connect(self) -> sqlite3.Connection:
        return connect(self.path)

    def create(self, name: str) -> tuple[ApiKey, str]:
        """A new key; the full key string is returned once and never stored."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._active_cache = None
        with closing(self._connect()) as connection, connection:
            connection.execute("INSERT INTO api_keys (id, name, secret_sha256, created_at) VALUES (?, ?, ?, ?)", (key_id, name, _digest(secret), created))
        return ApiKey(key_id, name, created, None), f"sa_{key_id}_{secret}"

    def list(self) -> list[ApiKey]:
        with closing(self._connect()) as connection:
            rows = connection.execute("SELECT id, name, created_at, revoked_at FROM api_keys ORDER BY created_at").fetchall()
        return [ApiKey(*row) for row in rows]

    def revoke(self, key_id: str) -> bool:
        revoked = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        self._active_cache = None
        with closing(self._connect()) as connection, connection:
            cursor = connection.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", (revoked, key_id))
        return cursor.rowcount == 1

    def has_active_keys(self, max_age_s: float = 2.0) -> bool:
        """Whether any key is active (cached briefly: it is asked on every request)."""
        now = time.monotonic()
        if self._active_cache and now - self._active_cache[0] < max_age_s:
            return self._active_cache[1]
        with closing(self._connect()) as connection:
            active = connection.execute("SELECT 1 FROM api_keys WHERE revoked_at IS NULL LIMIT 1").fetchone() is not None
        self._active_cache = (now, active)
        return active

    def verify(self, presented: str) -> ApiKey | None:
        """The active key this string is, or None."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != "sa":
            return None
        _, key_id, secret = parts
        with closing(self._connect()) as connection:
            row = connection.execute("SELECT id, name, created_at, revoked_at, secret_sha256 FROM api_keys WHERE id = ?", (key_id,)).fetchone()
        expected = row[4] if row else _digest("no such key")  # compare anyway: same time whether the id exists or not
        matches = hmac.compare_digest(expected, _digest(secret))
        if not row or not matches or row[3] is not None:
            return None
        return ApiKey(*row[:4])
