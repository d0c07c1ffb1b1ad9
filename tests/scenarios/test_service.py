"""ScenarioService checks its own input, so the API, the CLI and Slack share one set of limits."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from service.errors import InvalidRequestError
from service.scenarios.limits import EARLIEST_DATE, MAX_TEXT_CHARS, MAX_TOPIC_CHARS

NEWS = "Brussels requires AI inference for public services to stay on-shore"


def test_a_signal_longer_than_the_api_accepts_is_refused_and_not_stored(corpus_services):
    scenarios = corpus_services.scenarios
    before = len(scenarios.list_signals())
    with pytest.raises(InvalidRequestError) as refused:
        scenarios.record_signal("x" * 30_000)
    assert refused.value.status_code == 422
    assert f"at most {MAX_TEXT_CHARS:,} characters" in refused.value.message and "30,000" in refused.value.message
    with pytest.raises(InvalidRequestError):
        scenarios.record_signal("   ")
    assert len(scenarios.list_signals()) == before


@pytest.mark.parametrize(
    "day", [dt.date(1, 1, 1), dt.date(1970, 1, 1), dt.date(1999, 12, 31), dt.date.today() + dt.timedelta(days=30)]
)
def test_implausible_observation_dates_are_refused(corpus_services, day):
    with pytest.raises(InvalidRequestError) as refused:
        corpus_services.scenarios.record_signal(NEWS, day)
    assert "YYYY-MM-DD" in refused.value.message and EARLIEST_DATE.isoformat() in refused.value.message


def test_review_dates_are_checked_before_any_arithmetic(corpus_services):
    for day in (dt.date(1, 1, 1), dt.date(9999, 12, 31)):
        with pytest.raises(InvalidRequestError) as refused:
            corpus_services.scenarios.review(day)
        assert "as_of" in refused.value.message
    assert corpus_services.scenarios.review(EARLIEST_DATE).as_of == EARLIEST_DATE.isoformat()


def test_briefing_and_checklist_texts_are_capped_in_the_service(corpus_services):
    scenarios = corpus_services.scenarios
    with pytest.raises(InvalidRequestError, match="'topic'"):
        asyncio.run(scenarios.briefing("y" * (MAX_TOPIC_CHARS + 1)))
    with pytest.raises(InvalidRequestError, match="'context'"):
        asyncio.run(scenarios.checklist("y" * (MAX_TEXT_CHARS + 1), ["Sovereignty"]))
    with pytest.raises(InvalidRequestError, match="'currents'"):
        asyncio.run(scenarios.checklist("a bank", ["Sovereignty"] * 7))


def test_one_current_named_three_ways_is_listed_once(corpus_services):
    scenarios = corpus_services.scenarios
    once = asyncio.run(scenarios.checklist("a European bank", ["Sovereignty"]))
    thrice = asyncio.run(scenarios.checklist("a European bank", ["Sovereignty", "sovereignty", "4"]))
    assert thrice.items == once.items and [c.name for c in thrice.currents] == ["Sovereignty"]
    both = asyncio.run(scenarios.checklist("a European bank", ["4", "Continued Scaling", "sovereignty"]))
    assert [c.name for c in both.currents] == ["Sovereignty", "Continued Scaling"]
