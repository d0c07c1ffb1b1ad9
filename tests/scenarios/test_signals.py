import datetime as dt
import multiprocessing
import sqlite3
import threading

import pytest

from service.scenarios.review import build_review
from service.scenarios.signals import SignalStore
from tests.scenarios.paraphrases import PARAPHRASED_NEWS


def test_paraphrased_news_matches_its_trigger_first(corpus_services):
    _, matcher = corpus_services.scenarios._state()
    hits = [want in matcher.scores(text)[0].trigger.signal for text, want in PARAPHRASED_NEWS]
    assert sum(hits) >= 0.9 * len(PARAPHRASED_NEWS), list(zip(hits, [t for t, _ in PARAPHRASED_NEWS]))


@pytest.mark.parametrize("text", ["Apple releases a new phone with a better camera", "The weather in Paris was sunny today"])
def test_unrelated_news_matches_nothing(corpus_services, text):
    _, matcher = corpus_services.scenarios._state()
    assert matcher.match(text) == []


def test_store_survives_a_restart(tmp_path):
    path = tmp_path / "signals.sqlite3"
    SignalStore(path).add("first", dt.date(2026, 1, 5), "https://example.invalid/a", [{"current": "Sovereignty"}])
    again = SignalStore(path)
    (row,) = again.list()
    assert row["text"] == "first" and row["observed_on"] == "2026-01-05" and row["matches"] == [{"current": "Sovereignty"}]
    assert again.list(since=dt.date(2026, 2, 1)) == []


def _write_many(path, worker, count):
    store = SignalStore(path)
    for n in range(count):
        store.add(f"w{worker}-{n}", dt.date(2026, 3, 1), None, [])


def test_concurrent_writers_lose_no_row(tmp_path):
    path = tmp_path / "signals.sqlite3"
    SignalStore(path)
    threads = [threading.Thread(target=_write_many, args=(path, w, 40)) for w in range(4)]
    processes = [multiprocessing.get_context("spawn").Process(target=_write_many, args=(path, 10 + w, 40)) for w in range(2)]
    for worker in threads + processes:
        worker.start()
    for worker in threads + processes:
        worker.join(timeout=120)
    assert all(p.exitcode == 0 for p in processes)
    rows = SignalStore(path).list(limit=10_000)
    assert len(rows) == 6 * 40 and len({r["text"] for r in rows}) == 240
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_review_fired_quiet_and_retire_candidates(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    signals = [
        {"observed_on": "2024-01-10", "matches": [{"current": "Continued Scaling", "signal": "x", "kind": "trigger"}]},
        {"observed_on": "2026-10-01", "matches": [{"current": "Sovereignty", "signal": "New sovereign-AI regulations", "kind": "trigger"}]},
        {"observed_on": "2026-09-15", "matches": [{"current": "Hours and Dollars", "signal": "net agent cost", "kind": "counter-trigger"}]},
    ]
    review = build_review(currents, signals, dt.date(2026, 11, 25))
    status = {c["name"]: c["status"] for c in review["currents"]}
    assert status["Sovereignty"] == "active"
    assert status["Continued Scaling"].startswith("quiet for 18+ months")
    assert "Continued Scaling" in review["retire_candidates"] and "Sovereignty" not in review["retire_candidates"]
    assert any("counter-trigger fired" in d for d in review["decisions"])
    assert "## Sovereignty — active" in review["markdown"]


def test_review_is_honest_when_the_watch_is_young(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    review = build_review(currents, [{"observed_on": "2026-11-01", "matches": []}], dt.date(2026, 11, 25))
    assert review["retire_candidates"] == []
    assert any("no current can be called quiet" in d for d in review["decisions"])
