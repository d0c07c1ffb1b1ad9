import datetime as dt
import multiprocessing
import re
import sqlite3
import threading

import pytest

from service.scenarios.review import build_review
from service.scenarios.signals import SignalStore
from service.storage.database import Database
from tests.conftest import CURRENT_NAMES
from tests.scenarios.records import matched, record
from tests.scenarios.signal_watch import is_hit, load_news_lines, measure

LINES, UNRELATED = load_news_lines()


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9$]+", text.lower())


def test_the_news_lines_cover_every_current_and_keep_a_third_held_out():
    assert len(LINES) >= 30
    assert {line.current for line in LINES} == set(CURRENT_NAMES)
    held_out = [line for line in LINES if line.held_out]
    assert len(held_out) * 3 >= len(LINES)
    for current in CURRENT_NAMES:
        assert sum(line.held_out for line in LINES if line.current == current) >= 1, current
        assert sum(not line.held_out for line in LINES if line.current == current) >= 4, current


def test_news_lines_paraphrase_rather_than_copy_their_trigger(corpus_services):
    signals = {s.signal: s for c in corpus_services.scenarios.list_currents() for s in c.signals}
    for line in LINES:
        (signal,) = [text for text, s in signals.items() if line.trigger in text and s.current == line.current]
        trigger_runs = {tuple(_words(signal)[i : i + 4]) for i in range(len(_words(signal)) - 3)}
        line_runs = {tuple(_words(line.text)[i : i + 4]) for i in range(len(_words(line.text)) - 3)}
        assert not trigger_runs & line_runs, (line.text, signal)


def test_paraphrased_news_matches_its_trigger_first_on_tuned_and_held_out_lines(corpus_services):
    _, matcher = corpus_services.scenarios._state()
    result = measure(matcher)
    hits, totals = result["hits"], result["totals"]
    misses = [line.text for line in LINES if not is_hit(matcher, line)]
    assert hits["tuned"] + hits["held_out"] >= 0.9 * len(LINES), misses
    assert hits["tuned"] >= 0.9 * totals["tuned"] and hits["held_out"] >= 0.85 * totals["held_out"], misses
    for current in CURRENT_NAMES:  # no current is left to chance
        assert (
            hits["tuned", current] + hits["held_out", current]
            >= totals["tuned", current] + totals["held_out", current] - 1
        ), (current, misses)


def test_the_line_reviewers_reported_now_matches_sovereignty(corpus_services):
    _, matcher = corpus_services.scenarios._state()
    first = matcher.match("EU regulator orders banks to keep LLM inference on EU soil")[0]
    assert first.trigger.current == "Sovereignty" and first.trigger.signal.startswith("New sovereign-AI regulations")


@pytest.mark.parametrize("text", [line.text for line in UNRELATED])
def test_unrelated_news_matches_nothing(corpus_services, text):
    _, matcher = corpus_services.scenarios._state()
    assert matcher.match(text) == []


def test_a_trend_signal_is_not_matched_by_news_moving_the_other_way(corpus_services):
    _, matcher = corpus_services.scenarios._state()
    cut = matcher.scores("Alphabet and Microsoft cut next year's data-center spending plans")[0].trigger.signal
    raised = matcher.scores("Alphabet and Microsoft raise next year's data-center spending plans")[0].trigger.signal
    assert "flattens or declines" in cut and "continues rising" in raised


def test_store_survives_a_restart(database_url):
    match = matched("Sovereignty", "New sovereign-AI regulations")
    added = SignalStore(Database(database_url)).add("first", dt.date(2026, 1, 5), "https://example.invalid/a", [match])
    again = SignalStore(Database(database_url))
    (row,) = again.list()
    assert row == added and row.text == "first" and row.observed_on == "2026-01-05" and row.matches == [match]
    assert again.list(since=dt.date(2026, 2, 1)) == []


def _write_many(url, worker, count):
    store = SignalStore(Database(url))
    for n in range(count):
        store.add(f"w{worker}-{n}", dt.date(2026, 3, 1), None, [])


def test_concurrent_writers_lose_no_row(database_url):
    SignalStore(Database(database_url)).list()
    threads = [threading.Thread(target=_write_many, args=(database_url, w, 40)) for w in range(4)]
    processes = [
        multiprocessing.get_context("spawn").Process(target=_write_many, args=(database_url, 10 + w, 40))
        for w in range(2)
    ]
    for worker in threads + processes:
        worker.start()
    for worker in threads + processes:
        worker.join(timeout=120)
    assert all(p.exitcode == 0 for p in processes)
    rows = SignalStore(Database(database_url)).list(limit=10_000)
    assert len(rows) == 6 * 40 and len({r.text for r in rows}) == 240 and len({r.id for r in rows}) == 240
    if database_url.startswith("sqlite"):
        assert sqlite3.connect(database_url.removeprefix("sqlite:///")).execute(
            "PRAGMA integrity_check"
        ).fetchone() == ("ok",)


def test_review_fired_quiet_and_retire_candidates(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    signals = [
        record("2024-01-10", [matched("Continued Scaling", "a scaling signal")]),
        record("2026-10-01", [matched("Sovereignty", "New sovereign-AI regulations")]),
        record("2026-09-15", [matched("Hours and Dollars", "net agent cost", "counter-trigger")]),
    ]
    review = build_review(currents, signals, dt.date(2026, 11, 25))
    status = {c.name: c.status for c in review.currents}
    assert status["Sovereignty"] == "active"
    assert status["Continued Scaling"].startswith("quiet for 18+ months")
    assert "Continued Scaling" in review.retire_candidates and "Sovereignty" not in review.retire_candidates
    assert any("counter-trigger fired" in d for d in review.decisions)
    assert "## Sovereignty — active" in review.markdown


def test_review_is_honest_when_the_watch_is_young(corpus_services):
    currents = corpus_services.scenarios.list_currents()
    review = build_review(currents, [record("2026-11-01", [])], dt.date(2026, 11, 25))
    assert review.retire_candidates == []
    assert any("no current can be called quiet" in d for d in review.decisions)
