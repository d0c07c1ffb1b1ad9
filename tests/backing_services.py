"""A real redis-server and a real PostgreSQL for the test session, on free loopback ports in temporary folders.

`make services` installs Debian's redis-server and postgresql. Both servers are shared by the whole session
(a test gets a flushed Redis and a fresh PostgreSQL database), and either can be stopped and started again
on the same port and data by a test of failure modes.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, process: subprocess.Popen, what: str, log: Path, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}; see {log}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on 127.0.0.1:{port}; see {log}")


def _stop(process: subprocess.Popen | None, sig_name: str = "SIGTERM") -> None:
    if process is None or process.poll() is not None:
        return
    import signal

    process.send_signal(getattr(signal, sig_name))
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class RedisServer:
    def __init__(self, binary: str, folder: Path):
        self.binary = binary
        self.folder = folder
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = self.folder / "redis.log"
        # No persistence: a restart is a Redis that lost its counters, the worst case the service must survive.
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        _wait_port(self.port, self.process, "redis-server", log)

    def stop(self) -> None:
        _stop(self.process)

    def flush(self) -> None:
        import redis

        with redis.Redis.from_url(self.url) as client:
            client.flushall()


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


class PostgresServer:
    """initdb and postgres run as an unprivileged user when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self, bin_dir: Path):
        self.bin_dir = bin_dir
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="strategy-pg-"))
        self.data = self.folder / "data"
        self.user = None
        if os.geteuid() == 0:
            self.user = "postgres" if _has_user("postgres") else "nobody"
            shutil.chown(self.folder, user=self.user)
        self.process: subprocess.Popen | None = None
        self.admin_url = f"postgresql://strategy@127.0.0.1:{self.port}/postgres"

    def _command(self, program: str, *args: str) -> list[str]:
        return [str(self.bin_dir / program), *args]

    def _as_user(self) -> dict:
        """Popen's arguments that run the program itself as the unprivileged user (so signals reach it)."""
        if not self.user:
            return {}
        entry = pwd.getpwnam(self.user)
        return {
            "user": entry.pw_uid,
            "group": entry.pw_gid,
            "extra_groups": [],
            "env": {**os.environ, "HOME": str(self.folder)},
        }

    def init(self) -> None:
        subprocess.run(
            self._command(
                "initdb", "-D", str(self.data), "-U", "strategy", "--auth=trust", "-E", "UTF8", "--no-instructions"
            ),
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=self.folder,
            **self._as_user(),
        )

    def start(self) -> None:
        log = self.folder / "postgres.log"
        with open(log, "ab") as out:
            # fsync off: test data need not survive a power cut, and a test's commits are faster.
            self.process = subprocess.Popen(
                self._command(
                    "postgres",
                    "-D",
                    str(self.data),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.folder),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "fsync=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=200",
                ),
                stdout=out,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                **self._as_user(),
            )
        _wait_port(self.port, self.process, "postgres", log)
        self._wait_accepting()

    def _wait_accepting(self, timeout: float = 30) -> None:
        import psycopg

        deadline = time.monotonic() + timeout
        while True:
            try:
                with psycopg.connect(self.admin_url, connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        _stop(self.process, "SIGINT")  # PostgreSQL's fast shutdown: sessions are cut, nothing committed is lost

    def create_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        import psycopg

        name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.admin_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://strategy@127.0.0.1:{self.port}/{name}"

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the session."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is missing: `make services` installs it (Debian package redis-server)")
    server = RedisServer(binary, tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server) -> str:
    """The session's Redis, running and empty."""
    if redis_server.process is None or redis_server.process.poll() is not None:
        redis_server.start()
    redis_server.flush()
    return redis_server.url


@pytest.fixture(scope="session")
def postgres_server():
    """One real PostgreSQL server for the session."""
    bin_dir = _postgres_bin()
    if bin_dir is None:
        pytest.fail("PostgreSQL is missing: `make services` installs it (Debian package postgresql)")
    server = PostgresServer(bin_dir)
    try:
        server.init()
        server.start()
        yield server
    finally:
        server.stop()
        server.cleanup()


@pytest.fixture
def postgres_url(postgres_server) -> str:
    """A fresh database on the session's PostgreSQL, which is running."""
    if postgres_server.process is None or postgres_server.process.poll() is not None:
        postgres_server.start()
    return postgres_server.create_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    """A fresh database: once an SQLite file, once PostgreSQL (that case is slow: it starts a server)."""
    if request.param == "postgresql":
        return request.getfixturevalue("postgres_url")
    return f"sqlite:///{tmp_path / 'state.sqlite3'}"
