"""Longest modules first: `make suite` hands whole modules to two pytest-xdist workers (`--dist loadfile`),
in collection order. Modules that start real processes take 20-57 s each; dealt out last, one of them kept a
worker busy half a minute after the other had finished. This plugin orders the modules by the seconds their
tests took when last run (pytest's cache, .pytest_cache/), longest first, so the short ones fill in at the
end. A module with a test not timed yet comes first: it may be long. The tests of a module keep their order.

Times are kept per test (setup, call and teardown), so a run of a few tests (`-k`, `-x`) updates only those.
The first test of a worker also carries the session's fixtures (the model, the corpus index): a real cost of
whichever module comes first.

Loaded by `make suite` (`-p tests.longest_first`, with `--no-loadscope-reorder`, which would otherwise order
the modules by their number of tests). Without pytest's cache (`-p no:cacheprovider`) it does nothing.
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "strategy-assistant/test-seconds"

#: This run's seconds per test, from every worker's reports.
SEEN: defaultdict[str, float] = defaultdict(float)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)  # after conftest's own pass over the items
def pytest_collection_modifyitems(config, items):
    cache = getattr(config, "cache", None)
    if cache is None:
        return
    seconds = cache.get(CACHE_KEY, {})
    modules: defaultdict[str, float] = defaultdict(float)
    untimed = set()
    for item in items:
        if item.nodeid in seconds:
            modules[_module(item.nodeid)] += seconds[item.nodeid]
        else:
            untimed.add(_module(item.nodeid))
    first = max(modules.values(), default=0.0) + 1
    items.sort(key=lambda item: -(first if _module(item.nodeid) in untimed else modules[_module(item.nodeid)]))


def pytest_runtest_logreport(report):
    SEEN[report.nodeid] += report.duration  # on the controller, every worker's reports arrive here


def pytest_sessionfinish(session):
    cache = getattr(session.config, "cache", None)
    # A worker's reports reach the controller, which records the whole run.
    if cache is None or hasattr(session.config, "workerinput") or not SEEN:
        return
    cache.set(CACHE_KEY, cache.get(CACHE_KEY, {}) | {nodeid: round(s, 3) for nodeid, s in SEEN.items()})
