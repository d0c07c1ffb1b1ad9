"""OpenAI-compatible /v1/chat/completions and /v1/models, answering with retrieval and citations.

Existing OpenAI clients and chat front ends can point their base URL at this service. Citations travel
twice: as a `citations` field next to `choices`, and as a Sources list at the end of the message text
(for front ends that show only the text).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sse_starlette import EventSourceResponse

from service.api.deps import AnswersDep, ServicesDep
from service.api.errors import ERROR_RESPONSES
from service.api.schemas import MAX_QUERY_CHARS
from service.contracts import Answer, AnswerEvent, Citation
from service.errors import InvalidRequestError, ServiceError

router = APIRouter(tags=["openai-compatible"])


class ContentPart(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(p.text or "" for p in self.content if p.type == "text").strip()
        return (self.content or "").strip()


class ChatCompletionRequest(BaseModel):
    """OpenAI's request shape; sampling fields are accepted and ignored (answers are grounded, not sampled)."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(max_length=200)
    messages: list[ChatMessage] = Field(min_length=1, max_length=100)
    stream: bool = False


def sources_footer(citations: list[Citation]) -> str:
    if not citations:
        return ""
    lines = ["", "", "Sources:"]
    for n, c in enumerate(citations, 1):
        where = c.document.title + (f" — {c.section}" if c.section else "")
        lines.append(f"[{n}] {where}: “{c.quote}”")
    return "\n".join(lines)


def _citations(answer: Answer) -> list[dict]:
    """The answer's citations as /v1/ask sends them, next to OpenAI's `choices`."""
    return [c.model_dump(mode="json") for c in answer.citations]


def _split(request: ChatCompletionRequest) -> tuple[str, list[dict]]:
    question = request.messages[-1].text() if request.messages[-1].role == "user" else ""
    if not question:
        raise InvalidRequestError("The last message must be a user message with text content: the question to answer.")
    if len(question) > MAX_QUERY_CHARS:
        raise InvalidRequestError(f"The question is longer than {MAX_QUERY_CHARS} characters; shorten it.")
    history = [{"role": m.role, "content": m.text()} for m in request.messages[:-1] if m.role in ("user", "assistant")]
    return question, history


@router.get("/v1/models")
def list_models(services: ServicesDep) -> dict:
    """The configured model aliases, in OpenAI's list format, each saying whether it can answer now
    (`available`, with the `reason`: key missing, server unreachable, embedded model loading)."""
    catalog = services.gateway.catalog
    data = []
    for alias in catalog.aliases:
        status = services.gateway.availability.check(alias)
        data.append(
            {
                "id": alias,
                "object": "model",
                "created": 0,
                "owned_by": catalog.provider(alias),
                "available": status.available,
                "reason": status.reason,
            }
        )
    return {"object": "list", "data": data}


@router.post("/v1/chat/completions", responses=ERROR_RESPONSES)
async def chat_completions(request: ChatCompletionRequest, answers: AnswersDep):
    """Answer the last user message from the corpus; earlier messages are the conversation."""
    question, history = _split(request)
    completion_id = f"chatcmpl-{uuid.uuid4().hex}"
    created = int(time.time())
    if request.stream:
        events = await answers.stream(question, request.model, history)
        return EventSourceResponse(_chunks(events, completion_id, created, request.model), ping=15)
    answer = await answers.ask(question, request.model, history)
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": created,
        "model": answer.model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer.answer + sources_footer(answer.citations)},
                "finish_reason": "stop",
            }
        ],
        "usage": answer.usage.model_dump(include={"prompt_tokens", "completion_tokens", "total_tokens"}),
        "citations": _citations(answer),
        "supported": answer.supported,
    }


async def _chunks(
    events: AsyncIterator[AnswerEvent], completion_id: str, created: int, model: str
) -> AsyncIterator[dict]:
    def chunk(delta: dict, finish: str | None = None, **extra) -> dict:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": extra.pop("answered_by", model),
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
            **extra,
        }
        return {"data": json.dumps(body, ensure_ascii=False)}

    yield chunk({"role": "assistant"})
    try:
        async for name, data in events:
            if name == "delta" and isinstance(data, dict):
                yield chunk({"content": data["text"]})
            elif name == "reset":  # OpenAI's stream cannot take text back: say where the fallback starts
                yield chunk({"content": "\n\n(The model stopped mid-answer; quoted from the sources instead:)\n\n"})
            elif name == "done" and isinstance(data, Answer):
                yield chunk(
                    {"content": sources_footer(data.citations)},
                    "stop",
                    answered_by=data.model,
                    citations=_citations(data),
                    supported=data.supported,
                )
    except ServiceError as exc:
        yield {"data": json.dumps(exc.to_dict(), ensure_ascii=False)}
    yield {"data": "[DONE]"}
