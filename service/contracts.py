"""The JSON contracts: one pydantic model per shape the service hands out.

The same model goes from the service that builds it to every reader: the HTTP API (its response_model, so
/openapi.json documents it), the SSE events, Slack's blocks, the CLI (its --json prints `model_dump`) and
the HTTP client, which validates the server's JSON back into it. Field names and values are read by other
tools: change them only on purpose. This module imports nothing of the service, so every layer can use it.
"""

from __future__ import annotations

from typing import Annotated, Literal, Protocol

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _rounded(digits: int) -> AfterValidator:
    return AfterValidator(lambda value: round(value, digits))


class Contract(BaseModel):
    """A shape of the API: a field no model declares is an error, so a builder cannot drift from it."""

    model_config = ConfigDict(extra="forbid")


# --- citations -----------------------------------------------------------------------------------


class ChunkLike(Protocol):
    """What a citation reads of a chunk (service.corpus.chunking.Chunk), without importing the corpus layer."""

    @property
    def id(self) -> str: ...
    @property
    def document_id(self) -> str: ...
    @property
    def document_title(self) -> str: ...
    @property
    def section(self) -> str | None: ...


class DocumentRef(Contract):
    id: str = Field(description="The document id (its file name under corpus/, without .md).")
    title: str = Field(description="The document's title.")


class Citation(Contract):
    chunk_id: str = Field(description="The cited chunk: POST /v1/search returns it with its full text.")
    quote: str = Field(description="A verbatim span of the cited chunk, checked in code.")
    document: DocumentRef
    section: str | None = Field(description="The heading the chunk sits under; null before the first heading.")

    @classmethod
    def of(cls, chunk: ChunkLike, quote: str) -> Citation:
        """The one conversion from a chunk and a quote of it to the contract."""
        return cls(
            chunk_id=chunk.id,
            quote=quote,
            document=DocumentRef(id=chunk.document_id, title=chunk.document_title),
            section=chunk.section,
        )


# --- answers -------------------------------------------------------------------------------------

AnswerMode = Literal["generated", "extractive", "retrieval-only", "refusal"]


class Usage(Contract):
    prompt_tokens: int = Field(0, description="Tokens of the prompt (0 for extractive answers and refusals).")
    completion_tokens: int = Field(0, description="Tokens the model wrote.")
    total_tokens: int = Field(0, description="prompt_tokens + completion_tokens, as the provider counts them.")
    cost_usd: float = Field(0.0, description="What the call cost, by LiteLLM's price list; 0 for local models.")


class Answer(Contract):
    answer: str = Field(description="The answer; markers [1], [2] refer to citations in order.")
    supported: bool = Field(description="False when the corpus does not cover the question.")
    citations: list[Citation] = Field(description="The passages the answer quotes, numbered as its markers.")
    model: str = Field(description="The model alias that answered (after any fallback).")
    usage: Usage
    latency_ms: Annotated[float, _rounded(1)] = Field(description="Time to answer, in milliseconds (0.1 ms steps).")
    requested_model: str = Field(description="The model alias asked for (or the default).")
    fallback: bool = Field(description="True when another model than the requested one answered.")
    mode: AnswerMode = Field(description="generated, extractive, retrieval-only (a model failed) or refusal.")
    unsupported_claims: list[str] = Field(description="Sentences of a generated answer no cited source supports.")
    ignored_instructions: list[str] = Field(
        description="Instructions to the assistant found in the question and not followed (the rest was answered)."
    )


class CitationsEvent(Contract):
    """The `citations` event of a streamed answer, just before `done` (which carries the whole Answer)."""

    citations: list[Citation]


#: A streamed answer: ("delta", {"text"}) ..., ("reset", {"reason"}) when a fallback restarts the answer,
#: then ("citations", CitationsEvent) and ("done", Answer).
AnswerEvent = tuple[str, dict[str, str] | CitationsEvent | Answer]

# --- trigger signals ----------------------------------------------------------------------------

SignalKind = Literal["trigger", "counter-trigger"]


class SignalMatch(Contract):
    current: str = Field(description="The current whose signal the news matches.")
    signal: str = Field(description="The booklet's trigger signal, verbatim.")
    kind: SignalKind
    score: Annotated[float, _rounded(4)] = Field(
        description="How closely the news matches the signal (similarity plus shared words; 4 decimals)."
    )
    citation: Citation = Field(description="Where the booklet lists the signal.")


class SignalRecord(Contract):
    id: int = Field(description="The record's id in the watch log.")
    text: str = Field(description="The news, as recorded.")
    observed_on: str = Field(description="When it happened, YYYY-MM-DD.")
    source_url: str | None
    recorded_at: str = Field(description="When it was recorded, ISO 8601 in UTC, to the second.")
    matches: list[SignalMatch] = Field(description="The trigger signals it matches, best first; may be empty.")


class SignalLog(Contract):
    signals: list[SignalRecord] = Field(description="Recorded signals, the most recently observed first.")


# --- checklists ----------------------------------------------------------------------------------


class ChecklistCurrent(Contract):
    name: str
    framing_question: str | None = Field(description="The current's framing question, verbatim from the booklet.")
    reason: str | None = Field(description="Why it was chosen for the context; null when the caller named it.")


class ChecklistItem(Contract):
    current: str
    signal: str = Field(description="The booklet's trigger signal, verbatim.")
    kind: SignalKind
    why_it_matters: str = Field(
        description="The chapter's sentence on why it matters (quoted), or a model's sentence tailored from it."
    )
    why_citation: Citation | None = Field(description="The chapter sentence why_it_matters is based on.")
    citation: Citation = Field(description="Where the booklet lists the signal.")


class ReviewCadence(Contract):
    cadence: str = Field(description="How often to review the checklist.")
    retire_after_months: int = Field(description="Retire a current whose triggers stay quiet this long.")


class Checklist(Contract):
    title: str
    context: str = Field(description="The situation, as given.")
    horizon_months: int | None
    currents: list[ChecklistCurrent]
    items: list[ChecklistItem] = Field(description="Every signal of each current, in booklet order.")
    review: ReviewCadence
    model: str = Field(description="extractive, or the model alias that tailored why_it_matters.")
    markdown: str = Field(description="The checklist as a Markdown document; its sources numbered [1], [2], ...")


# --- briefings -----------------------------------------------------------------------------------


class BriefingLine(Contract):
    text: str
    refs: list[int] = Field(description="Numbers of the briefing's citations this line quotes (1-based).")


class BriefingSection(Contract):
    heading: str
    lines: list[BriefingLine]
    body: str = Field(description="The section as Markdown, its markers numbered as the briefing's citations.")
    citations: list[Citation] = Field(description="The citations of the section's lines, in order.")


BriefingLength = Literal["short", "standard"]


class Briefing(Contract):
    title: str
    topic: str
    audience: str | None
    length: BriefingLength
    supported: bool = Field(description="The summary answer's `supported`: False when the corpus does not cover it.")
    coverage_note: str | None = Field(description="Shown when the corpus does not cover the topic directly.")
    model: str = Field(description="The model alias that wrote the summary.")
    sections: list[BriefingSection]
    citations: list[Citation] = Field(description="Every citation of the briefing, numbered as its markers.")
    markdown: str = Field(description="The briefing as a Markdown document.")


# --- the quarterly review ------------------------------------------------------------------------


class FiredSignal(Contract):
    signal: str
    kind: SignalKind
    count: int = Field(description="Recorded news lines that matched it.")
    first_observed: str = Field(description="YYYY-MM-DD")
    last_observed: str = Field(description="YYYY-MM-DD")
    in_quarter: bool = Field(description="Fired in the three months before as_of.")


class CurrentReview(Contract):
    name: str
    status: str = Field(
        description="active, fired before this quarter, quiet so far, or quiet for N+ months: candidate to retire."
    )
    last_trigger_fired: str | None = Field(description="YYYY-MM-DD; counter-triggers do not count.")
    fired: list[FiredSignal] = Field(description="Its signals that fired, the most recent first.")


class Review(Contract):
    as_of: str = Field(description="The review date, YYYY-MM-DD.")
    quiet_months: int = Field(description="Triggers quiet this long mark a current as a candidate to retire.")
    watching_since: str | None = Field(description="The first recorded signal's date; null when none is recorded.")
    total_signals: int
    currents: list[CurrentReview]
    retire_candidates: list[str]
    decisions: list[str]
    markdown: str = Field(description="The review as a Markdown document.")
