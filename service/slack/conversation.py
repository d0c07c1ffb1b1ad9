"""Reading Slack: slash-command text, mentions, and a thread's earlier messages as the answerer's history."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.api.schemas import MAX_QUERY_CHARS
from service.scenarios.limits import MAX_TEXT_CHARS, MAX_TOPIC_CHARS
from service.slack.blocks import QUESTION_EVENT

_MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
_SPACE = re.compile(r"\s+")
#: Subcommands that need text after them, and those that take none.
NEEDS_TEXT = ("ask", "checklist", "brief", "signal")
BARE = ("currents", "help")
#: The same limits as the HTTP API and the service layer (which checks them again).
MAX_CHARS = {"ask": MAX_QUERY_CHARS, "checklist": MAX_TEXT_CHARS, "brief": MAX_TOPIC_CHARS, "signal": MAX_TEXT_CHARS}
#: Longest text one turn of history keeps; a long briefing in the thread is context, not the question.
TURN_LIMIT = 2000


@dataclass(frozen=True)
class Command:
    kind: str  # ask | checklist | brief | signal | currents | help
    text: str = ""
    currents: list[str] = field(default_factory=list)
    problem: str | None = None  # set when the command cannot run; the usage follows it


def unescape(text: str) -> str:
    """Slack escapes &, < and > in message text."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def strip_mentions(text: str) -> str:
    return _SPACE.sub(" ", unescape(_MENTION.sub(" ", text or ""))).strip()


def parse_command(text: str) -> Command:
    """`ask <question>`, `checklist <context> [| current, ...]`, `brief <topic>`, `signal <news>`, `currents`, `help`."""
    words = (text or "").strip().split(maxsplit=1)
    if not words:
        return Command("help")
    kind, rest = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
    if kind in BARE:
        return Command(kind)
    if kind not in NEEDS_TEXT:
        return Command("help", problem=f"I don't know `{words[0]}`.")
    currents = []
    if kind == "checklist" and "|" in rest:
        rest, _, names = rest.partition("|")
        rest = rest.strip()
        currents = [n.strip() for n in names.split(",") if n.strip()]
        if not rest:
            return Command(kind, rest, currents, "Describe your situation before the `|`.")
    if not rest:
        what = {"ask": "a question", "checklist": "your situation", "brief": "a topic", "signal": "the news"}[kind]
        return Command(kind, problem=f"`{kind}` needs {what} after it.")
    if len(rest) > MAX_CHARS[kind]:
        return Command(
            kind, problem=f"`{kind}` takes at most {MAX_CHARS[kind]:,} characters (this is {len(rest):,}): shorten it."
        )
    return Command(kind, rest, currents)


def thread_history(
    messages: list[dict], *, bot_user_id: str | None, bot_id: str | None = None, before_ts: str, limit: int
) -> list[dict]:
    """The thread's messages before `before_ts` as {role, content} turns: the bot's replies are the assistant's,
    a question the bot posted for a slash command is the user's, other bots are left out."""
    turns = []
    for message in messages:
        if float(message.get("ts", "0")) >= float(before_ts):
            continue
        metadata = message.get("metadata") or {}
        if metadata.get("event_type") == QUESTION_EVENT:
            text = (metadata.get("event_payload") or {}).get("question", "")
            role = "user"
        elif (bot_user_id and message.get("user") == bot_user_id) or (bot_id and message.get("bot_id") == bot_id):
            text, role = unescape(message.get("text", "")), "assistant"
        elif message.get("bot_id") or message.get("subtype"):
            continue
        else:
            text, role = strip_mentions(message.get("text", "")), "user"
        if text.strip():
            turns.append({"role": role, "content": text.strip()[:TURN_LIMIT]})
    return turns[-limit:] if limit else []
