"""Rate limits and Slack deliveries shared in a real Redis, and what happens while Redis is down."""

import logging

from limits import parse

from service.slack.limits import SeenDeliveries, shared_guards
from service.storage.shared import RedisLink, SharedLimiter, SharedSeen, redacted


def test_two_processes_share_one_limit(redis_url):
    item = parse("5/minute")
    first, second = SharedLimiter(RedisLink(redis_url), "api"), SharedLimiter(RedisLink(redis_url), "api")
    allowed = [limiter.hit(item, "key:a") for _ in range(4) for limiter in (first, second)]
    assert allowed.count(True) == 5 and allowed[5:] == [False, False, False]
    assert second.hit(item, "key:b")  # another caller has its own budget
    assert 0 < first.seconds_to_reset(item, "key:a") <= 60


def test_redis_down_falls_back_to_memory_and_comes_back_without_restart(redis_server, redis_url, caplog):
    item = parse("3/minute")
    link = RedisLink(redis_url, retry_after_s=0.2)
    limiter, other = SharedLimiter(link, "api"), SharedLimiter(RedisLink(redis_url), "api")
    assert limiter.hit(item, "k") and link.available
    redis_server.stop()
    try:
        with caplog.at_level(logging.WARNING, logger="service.storage.shared"):
            served = [limiter.hit(item, "k") for _ in range(5)]  # counted in this process: its own 3 a minute
        assert served == [True, True, True, False, False] and not link.available
        warnings = [r.getMessage() for r in caplog.records if "cannot be reached" in r.getMessage()]
        assert len(warnings) == 1 and "memory" in warnings[0]  # once, not per request
    finally:
        redis_server.start()
    import time

    time.sleep(0.25)  # the next try after retry_after_s
    assert limiter.hit(item, "k") and link.available  # shared again: Redis (restarted empty) counts it
    assert [other.hit(item, "k") for _ in range(3)] == [True, True, False]  # the other process sees that hit


def test_a_delivery_is_seen_once_across_processes_and_in_memory_while_redis_is_down(redis_server, redis_url):
    first = SharedSeen(RedisLink(redis_url), SeenDeliveries())
    link = RedisLink(redis_url, retry_after_s=60)
    second = SharedSeen(link, SeenDeliveries())
    assert first.first_time("event:Ev1", "message:C1:1.0")
    assert not second.first_time("event:Ev1")  # the retry, on the other replica
    assert not second.first_time("event:Ev2", "message:C1:1.0")  # the same message under another event
    assert second.first_time("event:Ev3") and first.first_time("") is True
    redis_server.stop()
    try:
        assert second.first_time("event:Ev4") and not second.first_time("event:Ev4")  # still de-duplicated, in memory
        assert not link.available
    finally:
        redis_server.start()


def test_slack_guards_are_shared_only_with_a_redis(redis_url):
    memory_limiter, memory_seen = shared_guards(None, 2)
    assert type(memory_limiter).__name__ == "RateLimiter" and isinstance(memory_seen, SeenDeliveries)
    limiter_a, _ = shared_guards(RedisLink(redis_url), 2)
    limiter_b, _ = shared_guards(RedisLink(redis_url), 2)
    assert limiter_a.hit("T1:U1") is None and limiter_b.hit("T1:U1") is None
    wait = limiter_a.hit("T1:U1")
    assert wait is not None and 0 < wait <= 60 and limiter_a.limit == 2


def test_redis_passwords_never_reach_a_log():
    assert redacted("redis://user:s3cret@cache:6379/0") == "redis://user:***@cache:6379/0"
    assert redacted("redis://:s3cret@cache:6379") == "redis://:***@cache:6379"
    assert redacted("redis://cache:6379/1") == "redis://cache:6379/1"
