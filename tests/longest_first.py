"""Longest modules first: `make suite` hands whole modules to two pytest-xdist workers (`--dist loadfile`),
in collection order. Modules that start real processes take 20-45 s each; dealt out last, one of them kept a
worker busy half a minute after the other had finished. This plugin orders the modules by the seconds each
took in the last run that ran it (pytest's cache, .pytest_cache/), longest first, so the short ones fill in
at the end. A module not timed yet comes first: it may be long. The tests of a module keep their order.

Loaded by `make suite` (`-p tests.longest_first`, with `--no-loadscope-reorder`, which would otherwise order
the modules by their number of tests).
"""

from __future__ import annotations

from collections import defaultdict

import pytest

CACHE_KEY = "strategy-assistant/module-seconds"


#: This run's seconds per module (setup, call and teardown of its tests), from every worker's reports.
SEEN: defaultdict[str, float] = defaultdict(float)


def _module(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


@pytest.hookimpl(trylast=True)  # after conftest's own pass over the items
def pytest_collection_modifyitems(config, items):
    seconds = config.cache.get(CACHE_KEY, {})
    untimed = max(seconds.values(), default=0.0) + 1
    items.sort(key=lambda item: -seconds.get(_module(item.nodeid), untimed))  # stable: a module keeps its order


def pytest_runtest_logreport(report):
    SEEN[_module(report.nodeid)] += report.duration  # on the controller, every worker's reports arrive here


def pytest_sessionfinish(session):
    if hasattr(session.config, "workerinput") or not SEEN:  # a worker: the controller records the whole run
        return
    kept = session.config.cache.get(CACHE_KEY, {})
    session.config.cache.set(CACHE_KEY, kept | {module: round(s, 2) for module, s in SEEN.items()})
