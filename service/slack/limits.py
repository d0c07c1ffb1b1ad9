"""Guards: a per-user moving-window rate limit, and the deliveries already answered.

In one process's memory by default. With STRATEGY_REDIS_URL, shared_guards() keeps both in Redis, so
replicas behind one Slack app count a user once and answer a retry that lands on another replica once;
while Redis is down each process falls back to its own memory (service/storage/shared.py).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from limits import RateLimitItemPerMinute

from service.storage.shared import RedisLink, SharedLimiter, SharedSeen


class RateLimiter:
    """At most `limit` requests a minute per key (team:user): the `limits` library's moving window, in Redis
    when a link is given (shared by the replicas), else in this process's memory."""

    def __init__(self, limit: int, link: RedisLink | None = None):
        self.limit = limit
        self._item = RateLimitItemPerMinute(limit)
        self._limiter = SharedLimiter(link, "slack")

    def hit(self, key: str) -> float | None:
        """Count one request; None when allowed, else the seconds until the next one is."""
        if self._limiter.hit(self._item, key):
            return None
        return max(self._limiter.seconds_to_reset(self._item, key), 0.1)


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
            while self._seen and (
                next(iter(self._seen.values())) <= now - self._ttl_s or len(self._seen) > self._max_size
            ):
                self._seen.popitem(last=False)
            if any(k in self._seen for k in keys):
                return False
            for key in keys:
                self._seen[key] = now
            return True


def shared_guards(link: RedisLink | None, limit: int, clock: Callable[[], float] = time.monotonic):
    """The rate limiter and the delivery memory: in Redis when a link is given, else in this process."""
    if link is None:
        return RateLimiter(limit), SeenDeliveries(clock=clock)
    return RateLimiter(limit, link), SharedSeen(link, SeenDeliveries(clock=clock))
