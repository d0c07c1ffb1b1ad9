"""Scenario routes: currents, trigger checklists, briefings, the signal watch and the quarterly review."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, StringConstraints
from pydantic_core import PydanticCustomError
from starlette.concurrency import run_in_threadpool

from service.api.deps import ScenariosDep
from service.api.errors import ERROR_RESPONSES
from service.api.schemas import StrictModel
from service.contracts import Briefing, BriefingLength, Checklist, Review, SignalLog, SignalRecord
from service.scenarios.currents import Current
from service.scenarios.limits import (
    DATE_FORMAT_HINT,
    MAX_CURRENT_NAME_CHARS,
    MAX_CURRENTS,
    MAX_HORIZON_MONTHS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MAX_TOPIC_CHARS,
    MAX_URL_CHARS,
    OBSERVED_AHEAD_DAYS,
    REVIEW_AHEAD_DAYS,
    date_problem,
)

router = APIRouter(tags=["scenarios"])

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_iso_date(value):
    """Only "YYYY-MM-DD": pydantic alone would read 0 as 1970-01-01 (a Unix time) and accept a datetime."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            return dt.date.fromisoformat(value)
    except ValueError:  # 2026-02-30
        pass
    raise PydanticCustomError("date_format", f"use {DATE_FORMAT_HINT}")


def _plausible(ahead_days: int):
    def check(value: dt.date) -> dt.date:
        problem = date_problem(value, ahead_days)
        if problem:
            raise PydanticCustomError("date_range", problem)
        return value

    return AfterValidator(check)


ObservedDate = Annotated[dt.date, BeforeValidator(_written_as_iso_date), _plausible(OBSERVED_AHEAD_DAYS)]
ReviewDate = Annotated[dt.date, BeforeValidator(_written_as_iso_date), _plausible(REVIEW_AHEAD_DAYS)]


LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TEXT_CHARS)]
TopicText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_TOPIC_CHARS)]


class ChecklistRequest(StrictModel):
    context: LongText = Field(description="Your situation, e.g. 'a European bank moving its support LLM on-shore'.")
    currents: list[Annotated[str, Field(min_length=1, max_length=MAX_CURRENT_NAME_CHARS)]] | None = Field(
        None,
        max_length=MAX_CURRENTS,
        description="Current names (any case) or numbers; each current is listed once. None: chosen for the context.",
    )
    horizon_months: int | None = Field(None, ge=1, le=MAX_HORIZON_MONTHS)
    model: str | None = Field(
        None, max_length=200, description="A model alias to tailor why_it_matters; signals never come from it."
    )


class BriefingRequest(StrictModel):
    topic: TopicText
    audience: str | None = Field(None, max_length=MAX_NAME_CHARS)
    length: BriefingLength = "standard"
    model: str | None = Field(None, max_length=200)


class SignalRequest(StrictModel):
    text: LongText = Field(description="A piece of news, e.g. a headline or a paragraph.")
    observed_on: ObservedDate | None = Field(
        None, description="When it happened, YYYY-MM-DD, not in the future (default: today)."
    )
    source_url: str | None = Field(None, max_length=MAX_URL_CHARS)


class ReviewRequest(StrictModel):
    as_of: ReviewDate | None = Field(None, description="Review date, YYYY-MM-DD (default: today).")


class CurrentList(BaseModel):
    currents: list[Current] = Field(description="The booklet's currents, in booklet order.")


@router.get("/v1/currents")
async def list_currents(scenarios: ScenariosDep) -> CurrentList:
    """The booklet's six currents with their framing question, triggers, counter-triggers and data sources."""
    return CurrentList(currents=await run_in_threadpool(scenarios.list_currents))


@router.get("/v1/currents/{name}", responses=ERROR_RESPONSES)
async def get_current(name: str, scenarios: ScenariosDep) -> Current:
    """One current, by name (any case), number or document id."""
    return await run_in_threadpool(scenarios.get_current, name)


@router.post("/v1/checklist", responses=ERROR_RESPONSES)
async def checklist(body: ChecklistRequest, scenarios: ScenariosDep) -> Checklist:
    """A trigger checklist for your context: the booklet's signals verbatim, each cited."""
    return await scenarios.checklist(body.context, body.currents, body.horizon_months, body.model)


@router.post(
    "/v1/briefing",
    response_model=Briefing,
    responses={
        **ERROR_RESPONSES,
        200: {"content": {"application/json": {}, "text/html": {}}, "description": "JSON, or a printable HTML page"},
    },
)
async def briefing(
    body: BriefingRequest,
    request: Request,
    scenarios: ScenariosDep,
    format: Literal["json", "html"] | None = Query(None),
):
    """A briefing draft (summary, frameworks, key figures, triggers, open questions), each part cited.
    Ask for HTML with `Accept: text/html` or `?format=html`."""
    result = await scenarios.briefing(body.topic, body.audience, body.length, body.model)
    wants_html = format == "html" or (format is None and "text/html" in request.headers.get("accept", ""))
    if wants_html:
        return HTMLResponse(scenarios.briefing_html(result))
    return result


@router.post("/v1/signals", status_code=201, responses=ERROR_RESPONSES)
async def record_signal(body: SignalRequest, scenarios: ScenariosDep) -> SignalRecord:
    """Match a piece of news to the trigger signals and keep it in the watch log."""
    return await run_in_threadpool(scenarios.record_signal, body.text, body.observed_on, body.source_url)


@router.get("/v1/signals", responses=ERROR_RESPONSES)
async def list_signals(
    scenarios: ScenariosDep,
    since: ReviewDate | None = Query(None, description="Only signals observed on or after this date (YYYY-MM-DD)."),
) -> SignalLog:
    """The watch log: recorded news with the trigger signals each matched."""
    return SignalLog(signals=await run_in_threadpool(scenarios.list_signals, since))


@router.post("/v1/review", responses=ERROR_RESPONSES)
async def review(scenarios: ScenariosDep, body: ReviewRequest | None = None) -> Review:
    """Draft the quarterly review: which triggers fired and when, which currents are candidates to retire."""
    return await run_in_threadpool(scenarios.review, body.as_of if body else None)
