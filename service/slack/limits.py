"""In-process guards: a per-user sliding-window rate limit, and the deliveries already answered.

Both live in one process's memory: with several replicas behind one Slack app, each keeps its own
(Slack sends one delivery to one replica, so a retry may land elsewhere; the README says so).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class RateLimiter:
    """At most `limit` requests per `window_s` seconds for one key (team:user)."""

    def __init__(self, limit: int, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic):
        self.limit = limit
        self.window_s = window_s
        self._clock = clock
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one is."""
        now = self._clock()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window_s - now
            hits.append(now)
            return None


class SeenDeliveries:
    """Keys of deliveries already handled (event ids, channel:ts of a message), remembered for `ttl_s`."""

    def __init__(self, ttl_s: float = 3600.0, max_size: int = 50_000, clock: Callable[[], float] = time.monotonic):
        self._ttl_s = ttl_s
        self._max_size = max_size
        self._clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, *keys: str) -> bool:
        """True, and remember every key, when none was seen; False when any was (a retry, or the same message twice)."""
        keys = tuple(k for k in keys if k)
        now = self._clock()
        with self._lock:
            while self._seen and (next(iter(self._seen.values())) <= now - self._ttl_s or len(self._seen) > self._max_size):
                self._seen.popitem(last=False)
            if any(k in self._seen for k in keys):
                return False
            for key in keys:
                self._seen[key] = now
            return True
