"""POST /v1/ask: a grounded answer with verified citations, whole or as Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

from fastapi import APIRouter
from sse_starlette import EventSourceResponse

from service.api.deps import AnswersDep
from service.api.errors import ERROR_RESPONSES
from service.api.schemas import AskRequest
from service.contracts import Answer, AnswerEvent
from service.errors import ServiceError

router = APIRouter(tags=["answers"])


async def sse_events(events: AsyncIterator[AnswerEvent]) -> AsyncIterator[dict]:
    """Format answer events for sse-starlette; a failure mid-stream becomes an `error` event."""
    try:
        async for name, data in events:
            body = data if isinstance(data, dict) else data.model_dump(mode="json")
            yield {"event": name, "data": json.dumps(body, ensure_ascii=False)}
    except ServiceError as exc:
        yield {"event": "error", "data": json.dumps(exc.to_dict(), ensure_ascii=False)}


@router.post(
    "/v1/ask",
    response_model=Answer,
    responses={
        **ERROR_RESPONSES,
        200: {"content": {"text/event-stream": {}}, "description": "JSON, or SSE when stream is true"},
    },
)
async def ask(body: AskRequest, answers: AnswersDep):
    """Answer a framework question from the corpus, citing verbatim passages; refuses what the corpus does not cover."""
    history = [t.model_dump() for t in body.history or []]
    if body.stream:
        events = await answers.stream(body.question, body.model, history)
        return EventSourceResponse(sse_events(events), ping=15)
    return await answers.ask(body.question, body.model, history)
