"""API keys, stored hashed in the database: `sa_<id>_<secret>`; only the secret's SHA-256 is kept.

The secret is 32 random bytes, so a fast hash is enough (no password stretching needed); the
comparison is constant-time. Every replica reads the same table, so a key created or revoked with the
CLI is honoured everywhere within ACTIVE_CACHE_S. While the database cannot be reached, a key this
process verified before keeps working (a revocation needs the database, so none can be missed), and an
unknown key is a 503, not a 401.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select, update

from service.storage.database import Database, DatabaseUnavailableError
from service.storage.tables import api_keys

#: How long "does any key exist?" is cached: it is asked on every request.
ACTIVE_CACHE_S = 1.0


@dataclass(frozen=True)
class ApiKey:
    id: str
    name: str
    created_at: str
    revoked_at: str | None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class KeyStore:
    def __init__(self, database: Database):
        self.database = database
        self._active_cache: tuple[float, bool] | None = None
        self._verified: dict[str, tuple[str, ApiKey]] = {}  # key id -> (secret digest, key), for a database outage
        self._lock = threading.Lock()

    def create(self, name: str) -> tuple[ApiKey, str]:
        """A new key; the full key string is returned once and never stored."""
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        created = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.database.transaction() as connection:
            connection.execute(
                api_keys.insert().values(id=key_id, name=name, secret_sha256=_digest(secret), created_at=created)
            )
        self._active_cache = None
        return ApiKey(key_id, name, created, None), f"sa_{key_id}_{secret}"

    def list(self) -> list[ApiKey]:
        query = select(api_keys.c.id, api_keys.c.name, api_keys.c.created_at, api_keys.c.revoked_at).order_by(
            api_keys.c.created_at, api_keys.c.id
        )
        with self.database.connect() as connection:
            return [ApiKey(*row) for row in connection.execute(query)]

    def revoke(self, key_id: str) -> bool:
        revoked = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        with self.database.transaction() as connection:
            result = connection.execute(
                update(api_keys)
                .where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                .values(revoked_at=revoked)
            )
        self._active_cache = None
        with self._lock:
            self._verified.pop(key_id, None)
        return result.rowcount == 1

    def has_active_keys(self, max_age_s: float = ACTIVE_CACHE_S) -> bool:
        """Whether any key is active (cached briefly; the last answer stands while the database is down)."""
        now = time.monotonic()
        cached = self._active_cache
        if cached and now - cached[0] < max_age_s:
            return cached[1]
        try:
            with self.database.connect() as connection:
                active = (
                    connection.execute(select(api_keys.c.id).where(api_keys.c.revoked_at.is_(None)).limit(1)).first()
                    is not None
                )
        except DatabaseUnavailableError:
            if cached is None:  # never known: do not guess that no key is needed
                raise
            return cached[1]
        self._active_cache = (now, active)
        return active

    def verify(self, presented: str) -> ApiKey | None:
        """The active key this string is, or None."""
        parts = presented.split("_", 2)
        if len(parts) != 3 or parts[0] != "sa":
            return None
        _, key_id, secret = parts
        digest = _digest(secret)
        query = select(
            api_keys.c.id, api_keys.c.name, api_keys.c.created_at, api_keys.c.revoked_at, api_keys.c.secret_sha256
        ).where(api_keys.c.id == key_id)
        try:
            with self.database.connect() as connection:
                row = connection.execute(query).first()
        except DatabaseUnavailableError:
            known = self._verified.get(key_id)
            if known is None:  # cannot tell: a 503, not a 401
                raise
            return known[1] if hmac.compare_digest(known[0], digest) else None
        expected = row[4] if row else _digest("no such key")  # compare anyway: same time whether the id exists or not
        matches = hmac.compare_digest(expected, digest)
        if not row or not matches or row[3] is not None:
            with self._lock:
                if not row or row[3] is not None:
                    self._verified.pop(key_id, None)
            return None
        key = ApiKey(*row[:4])
        with self._lock:
            self._verified[key_id] = (digest, key)
        return key
