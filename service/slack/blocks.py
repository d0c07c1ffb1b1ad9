"""Block Kit for every reply: small pure functions from the service's contracts to Slack's JSON, tested directly."""

from __future__ import annotations

from service.contracts import Answer, Briefing, Checklist, Citation, SignalRecord
from service.errors import ServiceError
from service.scenarios.currents import Current

#: Slack's limits: section text 3,000 characters, header 150, 10 elements per context block, 50 blocks a message.
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_ELEMENTS = 10
MAX_BLOCKS = 50
QUOTE_LIMIT = 200
#: The message `text` is the notification and what a follow-up reads back from the thread.
TEXT_LIMIT = 4000

FEEDBACK_BLOCK_ID = "feedback"
HELPFUL = "feedback_helpful"
NOT_HELPFUL = "feedback_not_helpful"
#: Metadata on the question the bot posts for a slash command, so a follow-up can read it back as the user's turn.
QUESTION_EVENT = "strategy_question"

USAGE = (
    "*`/strategy ask <question>`* — a grounded answer with its sources\n"
    "*`/strategy checklist <context> [| current, ...]`* — a trigger checklist for your situation "
    "(name currents after a `|`, e.g. `| Sovereignty`)\n"
    "*`/strategy brief <topic>`* — a briefing draft: summary, frameworks, figures, triggers, open questions\n"
    "*`/strategy signal <news>`* — log a piece of news and see which trigger signals it matches\n"
    "*`/strategy currents`* — the booklet's six currents\n"
    "*`/strategy help`* — this message\n\n"
    "Or mention me in a channel (or write to me directly) with a question. "
    "I answer in a thread; mention me in that thread to follow up."
)


def escape(text: str) -> str:
    """Slack's three control characters; everything else stays as written."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": text}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(clip(text, SECTION_LIMIT))}


def header(text: str) -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": clip(text, HEADER_LIMIT), "emoji": True}}


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(clip(t, SECTION_LIMIT)) for t in texts[:CONTEXT_ELEMENTS]]}


def where(citation: Citation) -> str:
    title = citation.document.title
    return f"{title} › {citation.section}" if citation.section else title


def sources_block(citations: list[Citation]) -> dict | None:
    """One compact context block: `[n] Title › Section — “quote”`, numbered as the reply's markers."""
    if not citations:
        return None
    shown = citations[: CONTEXT_ELEMENTS - 1]
    lines = [f"*[{n}]* {escape(where(c))} — “{escape(clip(c.quote, QUOTE_LIMIT))}”" for n, c in enumerate(shown, 1)]
    if len(citations) > len(shown):
        lines[-1] += f"\n… and {len(citations) - len(shown)} more"
    return context("*Sources*", *lines)


def feedback_block(answer_id: str) -> dict:
    return {
        "type": "actions",
        "block_id": FEEDBACK_BLOCK_ID,
        "elements": [
            {
                "type": "button",
                "action_id": HELPFUL,
                "value": answer_id,
                "text": {"type": "plain_text", "text": "Helpful", "emoji": True},
            },
            {
                "type": "button",
                "action_id": NOT_HELPFUL,
                "value": answer_id,
                "text": {"type": "plain_text", "text": "Not helpful", "emoji": True},
            },
        ],
    }


def model_line(
    model: str, *, requested_model: str | None = None, fallback: bool = False, supported: bool = True
) -> str:
    line = f"Answered by `{model}`"
    if fallback and requested_model and requested_model != model:
        line += f" (fell back from `{requested_model}`)"
    if not supported:
        line += " · not covered by the corpus"
    return line


def _finish(blocks: list[dict | None], citations: list[Citation], footer: str, answer_id: str | None) -> list[dict]:
    out = [b for b in blocks if b]
    sources = sources_block(citations)
    tail = [b for b in (sources, context(footer), feedback_block(answer_id) if answer_id else None) if b]
    return out[: MAX_BLOCKS - len(tail)] + tail


def answer_blocks(answer: Answer, answer_id: str | None) -> list[dict]:
    """The answer (markers [n] as the service wrote them), its Sources, the model, and the feedback buttons."""
    footer = model_line(
        answer.model, requested_model=answer.requested_model, fallback=answer.fallback, supported=answer.supported
    )
    return _finish([section(escape(answer.answer))], answer.citations, footer, answer_id)


def checklist_blocks(checklist: Checklist, answer_id: str | None) -> list[dict]:
    review = checklist.review
    facts = [f"*Context:* {escape(checklist.context)}"]
    if checklist.horizon_months:
        facts.append(f"*Horizon:* {checklist.horizon_months} months")
    facts.append(
        f"*Review:* {review.cadence}; retire a current whose triggers stay quiet for {review.retire_after_months} months"
    )
    blocks: list[dict | None] = [header(checklist.title), context(" · ".join(facts))]
    numbered = list(enumerate(checklist.items, 1))
    for current in checklist.currents:
        title = f"*{escape(current.name)}*"
        if current.framing_question:
            title += f" — {escape(current.framing_question)}"
        if current.reason:
            title += f"\n_Why this current: {escape(current.reason)}_"
        lines = [title]
        for n, item in numbered:
            if item.current == current.name:
                kind = "Counter-trigger" if item.kind == "counter-trigger" else "Trigger"
                lines.append(
                    f"☐ *{kind}:* {escape(item.signal)} [{n}]\n      _Why it matters:_ {escape(item.why_it_matters)}"
                )
        blocks.extend(section(chunk) for chunk in _pack(lines))
    return _finish(blocks, [item.citation for _, item in numbered], f"Checklist by `{checklist.model}`", answer_id)


def briefing_blocks(briefing: Briefing, answer_id: str | None) -> list[dict]:
    blocks: list[dict | None] = [header(briefing.title)]
    if briefing.audience:
        blocks.append(context(f"For: {escape(briefing.audience)}"))
    for part in briefing.sections:
        lines = [f"*{escape(part.heading)}*"]
        lines += [f"• {escape(line.text)}" + "".join(f" [{n}]" for n in line.refs) for line in part.lines] or [
            "• (nothing in the corpus)"
        ]
        blocks.extend(section(chunk) for chunk in _pack(lines))
    footer = model_line(briefing.model, supported=briefing.supported)
    return _finish(blocks, briefing.citations, footer, answer_id)


def signal_blocks(result: SignalRecord, answer_id: str | None) -> list[dict]:
    blocks: list[dict | None] = [section(f"*Signal logged* ({result.observed_on}): “{escape(result.text)}”")]
    matches = result.matches
    if matches:
        lines = ["*Matches the booklet's trigger signals:*"]
        for n, match in enumerate(matches, 1):
            kind = "Counter-trigger" if match.kind == "counter-trigger" else "Trigger"
            lines.append(f"• *{escape(match.current)}* — {kind}: {escape(match.signal)} [{n}]")
        blocks.extend(section(chunk) for chunk in _pack(lines))
    else:
        blocks.append(
            section(
                "No trigger signal of the booklet matches this news closely; it is logged for the quarterly review."
            )
        )
    return _finish(blocks, [m.citation for m in matches], "Matched by the signal watch", answer_id)


def currents_blocks(currents: list[Current]) -> list[dict]:
    """The currents, in booklet order."""
    blocks: list[dict | None] = [header("The booklet's currents")]
    citations = []
    for current in currents:
        line = f"*{current.number}. {escape(current.name)}*" if current.number else f"*{escape(current.name)}*"
        if current.framing_question and current.framing_citation:
            citations.append(current.framing_citation)
            line += f" — {escape(current.framing_question)} [{len(citations)}]"
        line += f"\n{len(current.triggers)} trigger signals · {len(current.counter_triggers)} counter-triggers"
        blocks.append(section(line))
    blocks.append(context("`/strategy checklist <context> | <current>` builds a checklist from a current's signals."))
    out = [b for b in blocks if b]
    sources = sources_block(citations)
    return out + ([sources] if sources else [])


ASKS = {
    "ask": "asked",
    "checklist": "asked for a trigger checklist",
    "brief": "asked for a briefing",
    "signal": "logged a signal",
    "currents": "asked for the booklet's currents",
}


def question_blocks(user_id: str, kind: str, text: str) -> list[dict]:
    """The question a slash command posts, so the reply has a thread to live in."""
    line = f"<@{user_id}> {ASKS[kind]}"
    return [section(f"{line}:\n>" + escape(text).replace("\n", "\n>") if text else line)]


def question_text(user_id: str, kind: str, text: str) -> str:
    line = f"<@{user_id}> {ASKS[kind]}"
    return f"{line}: {escape(text)}" if text else line


def help_blocks() -> list[dict]:
    return [section(USAGE)]


def apology_text(exc: BaseException) -> str:
    """What the user reads in the thread when an answer cannot be written: never silence, never a stack trace."""
    if isinstance(exc, ServiceError):
        if exc.code == "models_unavailable":
            return "Sorry — the language models are not answering right now, so I couldn't write this answer. Please try again in a minute."
        if exc.code in ("index_not_ready", "index_loading", "store_unavailable"):
            return "Sorry — the strategy corpus is still loading. Please try again in a minute."
        if exc.status_code < 500:
            return f"I couldn't do that: {exc.message}"
        return f"Sorry — I couldn't answer this: {exc.message}"
    return "Sorry — something went wrong on my side and I couldn't answer. The error is logged; please try again."


def apology_blocks(exc: BaseException) -> list[dict]:
    return [section(f":warning: {escape(apology_text(exc))}")]


def rate_limited_text(limit: int, wait_s: float) -> str:
    seconds = max(1, round(wait_s))
    return f":hourglass_flowing_sand: You're asking faster than I can keep up — up to {limit} requests a minute. Try again in {seconds} s."


def thanks_text(rating: str) -> str:
    said = "helpful" if rating == "helpful" else "not helpful"
    return f"Thanks — noted as {said}. Feedback like this becomes test cases for the assistant."


def _pack(lines: list[str]) -> list[str]:
    """Join lines into as few section texts as fit Slack's 3,000-character limit."""
    chunks, current = [], ""
    for line in lines:
        line = clip(line, SECTION_LIMIT)
        if current and len(current) + 1 + len(line) > SECTION_LIMIT:
            chunks.append(current)
            current = line
        else:
            current = f"{current}\n{line}" if current else line
    if current:
        chunks.append(current)
    return chunks
