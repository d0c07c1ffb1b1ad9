"""Request bodies of the HTTP API, and the responses that are the API's own (search, errors, health).

What a service returns (an answer, a checklist, a briefing, ...) is defined once in service.contracts."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.contracts import DocumentRef

MAX_QUERY_CHARS = 2000
MAX_TOP_K = 50

QueryText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUERY_CHARS),
    Field(description=f"Non-blank text of at most {MAX_QUERY_CHARS} characters."),
]


class StrictModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SearchRequest(StrictModel):
    query: QueryText
    top_k: int = Field(5, ge=1, le=MAX_TOP_K, description=f"How many passages to return (1 to {MAX_TOP_K}).")
    document: str | None = Field(None, max_length=200, description="Only passages of this document id.")
    current: str | None = Field(
        None,
        max_length=200,
        description="Only passages of this scenario current: its name (any case), number or document id, as a "
        'string, e.g. "Sovereignty", "4" or "scenario-planning-04-sovereignty".',
    )


class SearchResult(BaseModel):
    chunk_id: str
    text: str
    score: float
    document: DocumentRef
    section: str | None


class SearchResponse(BaseModel):
    results: list[SearchResult]


class Turn(StrictModel):
    role: Literal["user", "assistant", "system"]
    content: str = Field(max_length=MAX_QUERY_CHARS * 4)


class AskRequest(StrictModel):
    question: QueryText
    model: str | None = Field(
        None, max_length=200, description="A configured model alias (GET /v1/models); default: the service's."
    )
    history: list[Turn] | None = Field(
        None, max_length=40, description="Earlier turns of the conversation, oldest first."
    )
    stream: bool = Field(False, description="Answer as Server-Sent Events: delta..., citations, done.")


class ErrorBody(BaseModel):
    code: str = Field(description="Stable, machine-readable error code.")
    message: str = Field(description="What went wrong and how to fix it.")
    details: dict | list | None = None


class ErrorResponse(BaseModel):
    error: ErrorBody


class HealthResponse(BaseModel):
    status: str


class ReadyResponse(BaseModel):
    status: str
    index: str | None = None
    chunks: int | None = None
    embedding_model: str | None = None
