"""Start `strategy-assistant serve` on a free loopback port for a benchmark, and stop it after."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
CLI = str(Path(sys.executable).parent / "strategy-assistant")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url: str, timeout: float = 120) -> float:
    """Seconds until /readyz answers 200."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.05)
    raise RuntimeError(f"{url} not ready after {timeout}s")


@contextlib.contextmanager
def running_server(data_dir: Path, extra_env: dict | None = None):
    port = free_port()
    # Benchmarks measure the service, not the per-client rate limit; and they cycle through a few dozen golden
    # questions, so the query cache is off: every request embeds its query, as a question never asked would.
    env = {
        **os.environ,
        "STRATEGY_DATA_DIR": str(data_dir),
        "STRATEGY_RATE_LIMIT": "1000000/minute",
        "STRATEGY_QUERY_CACHE_SIZE": "0",
        **(extra_env or {}),
    }
    process = subprocess.Popen(
        [CLI, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=30)
