"""Counters several replicas share in Redis: rate limits (the `limits` library's moving window) and the Slack
deliveries already answered.

Redis is optional. When it is configured but does not answer, each call falls back to this process's memory
(a warning is logged once), requests keep being served, and Redis is tried again every `retry_after_s`:
once it answers, counting is shared again, with no restart.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import redis
from limits import RateLimitItem
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import MovingWindowRateLimiter
from redis.backoff import NoBackoff
from redis.retry import Retry

log = logging.getLogger(__name__)

T = TypeVar("T")
#: Every key this service writes in Redis starts with this.
KEY_PREFIX = "strategy-assistant"
#: A request waits at most this long on Redis before it is counted in memory instead.
SOCKET_TIMEOUT_S = 0.5
_FAILURES = (redis.RedisError, StorageError, OSError)


def redacted(url: str) -> str:
    """The URL without its password, for logs and messages."""
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    return (
        f"{scheme}://{credentials.split(':')[0] + ':***' if ':' in credentials else credentials}{at}{host}"
        if at
        else url
    )


class RedisLink:
    """One Redis connection pool, and whether Redis answered lately."""

    def __init__(self, url: str, *, retry_after_s: float = 1.0, clock: Callable[[], float] = time.monotonic):
        self.url = url
        self.display_url = redacted(url)
        self.retry_after_s = retry_after_s
        self._clock = clock
        # One immediate retry inside redis-py (a pooled connection Redis closed when it restarted is reconnected),
        # no backoff: a Redis that is down costs two refused connections, then the fallback.
        self.pool = redis.ConnectionPool.from_url(
            url,
            socket_timeout=SOCKET_TIMEOUT_S,
            socket_connect_timeout=SOCKET_TIMEOUT_S,
            retry=Retry(NoBackoff(), 1),
            health_check_interval=10,
        )
        self.client = redis.Redis(connection_pool=self.pool)
        self._down_since: float | None = None
        self._next_try = 0.0
        self._lock = threading.Lock()

    @property
    def available(self) -> bool:
        return self._down_since is None

    def run(self, operation: Callable[[], T], fallback: Callable[[], T]) -> T:
        """operation() against Redis; fallback() while Redis is down (tried again every retry_after_s)."""
        if self._down_since is not None and self._clock() < self._next_try:
            return fallback()
        try:
            result = operation()
        except _FAILURES as error:
            self._failed(error)
            return fallback()
        if self._down_since is not None:
            with self._lock:
                if self._down_since is not None:
                    log.warning(
                        "Redis %s answers again after %.0f s: limits and Slack deliveries are shared again",
                        self.display_url,
                        self._clock() - self._down_since,
                    )
                    self._down_since = None
        return result

    def _failed(self, error: Exception) -> None:
        self.pool.disconnect()  # no connection from before the failure is used again
        with self._lock:
            self._next_try = self._clock() + self.retry_after_s
            if self._down_since is None:
                self._down_since = self._clock()
                log.warning(
                    "Redis %s cannot be reached (%s): rate limits and Slack deliveries are counted in this "
                    "process's memory until it answers",
                    self.display_url,
                    type(error).__name__,
                )

    def close(self) -> None:
        self.pool.disconnect()


class SharedLimiter:
    """A moving-window rate limiter: in Redis when a link is given and Redis answers, else in this process's memory."""

    def __init__(self, link: RedisLink | None, namespace: str):
        self._namespace = namespace
        self._link = link
        self._memory = MovingWindowRateLimiter(MemoryStorage())
        self._shared = None
        if link is not None:
            storage = RedisStorage(
                link.url, connection_pool=link.pool, key_prefix=f"{KEY_PREFIX}:limits", wrap_exceptions=True
            )
            self._shared = MovingWindowRateLimiter(storage)

    def _call(self, method: str, item: RateLimitItem, identity: str):
        local = getattr(self._memory, method)
        if self._shared is None or self._link is None:
            return local(item, self._namespace, identity)
        shared = getattr(self._shared, method)
        return self._link.run(
            lambda: shared(item, self._namespace, identity), lambda: local(item, self._namespace, identity)
        )

    def hit(self, item: RateLimitItem, identity: str) -> bool:
        """Count one request; False when the limit is reached (nothing counted then)."""
        return self._call("hit", item, identity)

    def test(self, item: RateLimitItem, identity: str) -> bool:
        """Whether one more request would pass, without counting it."""
        return self._call("test", item, identity)

    def seconds_to_reset(self, item: RateLimitItem, identity: str) -> float:
        """When the oldest counted request leaves the window."""
        stats = self._call("get_window_stats", item, identity)
        return max(0.0, stats.reset_time - time.time())


#: Set every key, with its time to live, only when none exists: 1 when set, 0 when any was there.
_FIRST_TIME = """
for i, key in ipairs(KEYS) do
    if redis.call('EXISTS', key) == 1 then return 0 end
end
for i, key in ipairs(KEYS) do
    redis.call('SET', key, '1', 'EX', ARGV[1])
end
return 1
"""


class SharedSeen:
    """Keys of things already handled (Slack event ids), remembered for ttl_s in Redis, else by `fallback`."""

    def __init__(self, link: RedisLink, fallback, ttl_s: float = 3600.0, namespace: str = "slack:seen"):
        self._link = link
        self._fallback = fallback
        self._ttl_s = int(ttl_s)
        self._prefix = f"{KEY_PREFIX}:{namespace}:"
        self._script = link.client.register_script(_FIRST_TIME)

    def first_time(self, *keys: str) -> bool:
        keys = tuple(k for k in keys if k)
        if not keys:
            return True
        return self._link.run(
            lambda: bool(self._script(keys=[self._prefix + k for k in keys], args=[self._ttl_s])),
            lambda: self._fallback.first_time(*keys),
        )
