"""Can an alias answer now? A cached check per alias, for GET /v1/models and the chat page's picker.

Cheap and local: a closed API needs its key in the environment (the vendor itself is not called), a
self-hosted server must accept a TCP connection on its api_base, the embedded server must be up.
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from service.llm.catalog import EXTRACTIVE, ModelCatalog
from service.llm.embedded import EmbeddedModelServer

#: How long a reachability result is reused, in seconds.
CACHE_SECONDS = 15.0
CONNECT_TIMEOUT_S = 0.3
_ENV_REF = "os.environ/"


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str


class AvailabilityChecker:
    def __init__(
        self, catalog: ModelCatalog, embedded: EmbeddedModelServer | None, *, cache_seconds: float = CACHE_SECONDS
    ):
        self._catalog = catalog
        self._embedded = embedded
        self._cache_seconds = cache_seconds
        self._reachable: dict[str, tuple[float, bool]] = {}

    def check(self, alias: str) -> Availability:
        if alias == EXTRACTIVE:
            return Availability(True, "needs no model")
        if self._catalog.is_embedded(alias):
            return self._embedded_state()
        params = (self._catalog.entry(alias) or {}).get("litellm_params", {})
        key = params.get("api_key")
        if isinstance(key, str) and key.startswith(_ENV_REF):
            name = key[len(_ENV_REF) :]
            if not os.environ.get(name):
                return Availability(False, f"{name} is not set")
        base = params.get("api_base")
        if isinstance(base, str) and base.startswith(_ENV_REF):
            base = os.environ.get(base[len(_ENV_REF) :])
        if base:
            if not self._can_connect(base):
                return Availability(False, f"{urlparse(base).netloc or base} does not answer")
            return Availability(True, "server reachable")
        return Availability(True, "key present")

    def _embedded_state(self) -> Availability:
        if self._embedded is None:
            return Availability(False, "no embedded model server is configured")
        state = self._embedded.state
        if state == "ready":
            return Availability(True, "embedded model loaded")
        if state == "stopped":
            return Availability(True, "embedded model starts on first use")
        return Availability(False, f"embedded model {state}")

    def _can_connect(self, base: str) -> bool:
        now = time.monotonic()
        cached = self._reachable.get(base)
        if cached and now - cached[0] < self._cache_seconds:
            return cached[1]
        url = urlparse(base if "://" in base else f"http://{base}")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            with socket.create_connection((url.hostname or "127.0.0.1", port), timeout=CONNECT_TIMEOUT_S):
                ok = True
        except OSError:
            ok = False
        self._reachable[base] = (now, ok)
        return ok
