"""The suite's scheduling plugin (tests/longest_first.py): modules ordered by their tests' last times."""

from types import SimpleNamespace

from tests import longest_first


class Cache(dict):
    def set(self, key, value):
        self[key] = value


def items(*nodeids):
    return [SimpleNamespace(nodeid=n) for n in nodeids]


def test_modules_go_longest_first_untimed_ones_before_them_and_a_module_keeps_its_order():
    cache = Cache({longest_first.CACHE_KEY: {"a.py::t1": 1.0, "a.py::t2": 1.5, "b.py::t": 9.0, "c.py::t1": 4.0}})
    collected = items("a.py::t1", "a.py::t2", "b.py::t", "c.py::t1", "c.py::new", "d.py::t")
    longest_first.pytest_collection_modifyitems(SimpleNamespace(cache=cache), collected)
    # c.py and d.py hold tests not timed yet: first, in collection order; then b (9 s), then a (2.5 s).
    assert [i.nodeid for i in collected] == ["c.py::t1", "c.py::new", "d.py::t", "b.py::t", "a.py::t1", "a.py::t2"]


def test_the_controller_keeps_this_runs_times_and_the_others_it_did_not_run(monkeypatch):
    cache = Cache({longest_first.CACHE_KEY: {"a.py::t1": 1.0, "b.py::t": 9.0}})
    monkeypatch.setattr(longest_first, "SEEN", longest_first.defaultdict(float))
    for when, duration in (("setup", 0.5), ("call", 2.0), ("teardown", 0.25)):
        longest_first.pytest_runtest_logreport(SimpleNamespace(nodeid="a.py::t1", when=when, duration=duration))
    worker = SimpleNamespace(config=SimpleNamespace(cache=cache, workerinput={}))
    longest_first.pytest_sessionfinish(worker)  # a worker writes nothing
    assert cache[longest_first.CACHE_KEY] == {"a.py::t1": 1.0, "b.py::t": 9.0}
    longest_first.pytest_sessionfinish(SimpleNamespace(config=SimpleNamespace(cache=cache)))
    assert cache[longest_first.CACHE_KEY] == {"a.py::t1": 2.75, "b.py::t": 9.0}


def test_without_pytests_cache_nothing_changes():
    collected = items("b.py::t", "a.py::t")
    longest_first.pytest_collection_modifyitems(SimpleNamespace(), collected)
    longest_first.pytest_sessionfinish(SimpleNamespace(config=SimpleNamespace()))
    assert [i.nodeid for i in collected] == ["b.py::t", "a.py::t"]
