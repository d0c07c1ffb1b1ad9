"""The database of API keys, signals and Slack feedback: SQLite under data_dir, or PostgreSQL for several replicas.

Every operation is one short transaction. The schema is migrated by Alembic (migrations/, shipped inside the
package) the first time the database is reached, under a lock so that replicas starting together migrate
once; the SQLite files of before are imported then (service/storage/legacy.py). A database that cannot be
reached is a DatabaseUnavailableError (503, Retry-After), never a crash: the service keeps serving what does
not need it, and the next operation tries again.
"""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import make_url

from service.errors import ServiceError
from service.storage.legacy import LEGACY_FILES, import_legacy_files, retire

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The SQLite file under data_dir when no database URL is set.
DEFAULT_SQLITE_NAME = "state.sqlite3"
#: pg_advisory_xact_lock key held while migrating, so replicas starting together migrate one after the other.
_MIGRATION_LOCK = 0x5354524154  # "STRAT"
RETRY_AFTER_S = 5


class DatabaseUnavailableError(ServiceError):
    code = "database_unavailable"
    status_code = 503

    def __init__(self, message: str):
        super().__init__(message, headers={"Retry-After": str(RETRY_AFTER_S)})


def normalize_url(url: str) -> str:
    """postgres:// and postgresql:// mean psycopg 3 (the driver this service ships), not psycopg2."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain) :]
    return url


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{Path(path).resolve()}"


def _unreachable(error: Exception) -> bool:
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (exc.OperationalError, exc.InterfaceError, exc.TimeoutError))


class Database:
    def __init__(self, url: str, *, legacy_files: Iterable[Path] = ()):
        self.url = normalize_url(url)
        parsed = make_url(self.url)
        self.dialect = parsed.get_backend_name()
        #: Safe to log and to show: the password is masked.
        self.display_url = parsed.render_as_string(hide_password=True)
        self.legacy_files = [Path(p) for p in legacy_files]
        self._sqlite_path = Path(parsed.database).resolve() if self.dialect == "sqlite" and parsed.database else None
        self.engine = self._engine()
        self._migrated = False
        self._migrate_lock = threading.Lock()

    @classmethod
    def from_settings(cls, settings, *, legacy_files: Iterable[Path] = ()) -> Database:
        """The configured database, or SQLite under data_dir; the old SQLite files under data_dir are imported."""
        url = settings.database_url or sqlite_url(settings.data_dir / DEFAULT_SQLITE_NAME)
        return cls(url, legacy_files=[*(settings.data_dir / name for name in LEGACY_FILES), *legacy_files])

    def _engine(self) -> Engine:
        if self.dialect == "sqlite":
            if self._sqlite_path is not None:
                self._sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(self.url, connect_args={"timeout": 30})

            @event.listens_for(engine, "connect")
            def _pragmas(dbapi_connection, _record) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute("PRAGMA journal_mode = WAL")  # readers never block the writer
                cursor.execute("PRAGMA busy_timeout = 30000")
                cursor.close()

            return engine
        # pre_ping: a connection the server dropped (a restart) is replaced instead of failing one request.
        return create_engine(
            self.url,
            pool_pre_ping=True,
            pool_size=5,
            max_overflow=5,
            pool_timeout=5,
            connect_args={"connect_timeout": 3} if self.dialect == "postgresql" else {},
        )

    # --- schema ----------------------------------------------------------------------------------

    def migrate(self) -> None:
        """Bring the schema to the newest revision and import the old SQLite files, once per process."""
        if self._migrated:
            return
        with self._migrate_lock, self._file_lock():
            if self._migrated:
                return
            try:
                with self.engine.begin() as connection:
                    if self.dialect == "postgresql":
                        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
                    config = Config()
                    config.set_main_option("script_location", str(MIGRATIONS))
                    config.attributes["connection"] = connection
                    command.upgrade(config, "head")
                    imported = import_legacy_files(connection, self.legacy_files)
            except exc.SQLAlchemyError as error:
                if _unreachable(error):
                    raise self._unavailable(error) from error
                raise
            for path, counts in imported:
                retire(path)
                log.info(
                    "imported %s into %s (%s); the file is kept as %s.imported",
                    path,
                    self.display_url,
                    counts,
                    path.name,
                )
            self._migrated = True

    def add_legacy_file(self, path: Path) -> None:
        """One more old SQLite file to import (on the next use, if the schema was already migrated)."""
        path = Path(path)
        if path not in self.legacy_files:
            self.legacy_files.append(path)
            self._migrated = False

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """SQLite: processes sharing the file migrate one at a time (PostgreSQL uses an advisory lock)."""
        if self._sqlite_path is None:
            yield
            return
        with open(self._sqlite_path.with_name(self._sqlite_path.name + ".lock"), "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def revision(self) -> str | None:
        with self.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    @staticmethod
    def head() -> str | None:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        return ScriptDirectory.from_config(config).get_current_head()

    # --- use -------------------------------------------------------------------------------------

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection for reads; an unreachable database is a DatabaseUnavailableError."""
        self.migrate()
        with self._unreachable_as_unavailable(), self.engine.connect() as connection:
            yield connection

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction, committed when the block ends: a row is written whole or not at all."""
        self.migrate()
        with self._unreachable_as_unavailable(), self.engine.begin() as connection:
            yield connection

    @contextmanager
    def _unreachable_as_unavailable(self) -> Iterator[None]:
        """An error that says the database cannot be reached becomes a DatabaseUnavailableError (503)."""
        try:
            yield
        except exc.SQLAlchemyError as error:
            if _unreachable(error):
                raise self._unavailable(error) from error
            raise

    def check(self) -> str | None:
        """Why the database cannot be used right now, or None."""
        try:
            with self.connect() as connection:
                connection.execute(text("SELECT 1"))
        except DatabaseUnavailableError as error:
            return error.message
        return None

    def _unavailable(self, error: Exception) -> DatabaseUnavailableError:
        cause = (
            str(getattr(error, "orig", None) or error).strip().splitlines()[0]
            if str(error).strip()
            else type(error).__name__
        )
        return DatabaseUnavailableError(f"The database ({self.display_url}) cannot be reached: {cause}. Retry shortly.")

    def dispose(self) -> None:
        self.engine.dispose()
