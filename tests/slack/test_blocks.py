"""The pure parts: Block Kit builders, command parsing, thread history, the guards, the signature check."""

from __future__ import annotations

import hashlib
import hmac
import time

import pytest

from service.contracts import Answer, Checklist, Citation
from service.errors import IndexNotReadyError, InvalidRequestError
from service.llm.gateway import AllModelsFailedError
from service.slack import blocks as kit
from service.slack.conversation import Command, parse_command, strip_mentions, thread_history
from service.slack.limits import RateLimiter, SeenDeliveries
from service.slack.routes import SlackRequestTooOldError, SlackSignatureError, verify_slack_request
from service.slack.settings import SlackSettings

JEVONS = {
    "chunk_id": "jevons:1",
    "quote": "usage rose a hundredfold",
    "document": {"id": "jevons", "title": "The Jevons Paradox in AI"},
    "section": None,
}
DEATH = {
    "chunk_id": "growth:2",
    "quote": "Companies with 1,000-10,000 GPUs face extinction",
    "document": {"id": "growth", "title": "Blitzscaling"},
    "section": "The Death Zone",
}


def _answer(**fields) -> Answer:
    """An Answer with these fields; the others as an extractive answer has them."""
    extractive = {
        "answer": "",
        "supported": True,
        "citations": [],
        "model": "extractive",
        "usage": {},
        "latency_ms": 12.0,
        "requested_model": "extractive",
        "fallback": False,
        "mode": "extractive",
        "unsupported_claims": [],
        "ignored_instructions": [],
    }
    return Answer.model_validate({**extractive, **fields})


def test_answer_blocks_are_the_answer_its_sources_the_model_and_the_buttons():
    answer = _answer(
        answer="Usage rose <a lot> & more [1]. Mid-sized players face extinction [2].",
        citations=[JEVONS, DEATH],
        requested_model="gpt-test",
        mode="retrieval-only",
        fallback=True,
    )
    assert kit.answer_blocks(answer, "C1-1.2") == [
        {
            "type": "section",
            "text": {
                "type": "mrkdwn",
                "text": "Usage rose &lt;a lot&gt; &amp; more [1]. Mid-sized players face extinction [2].",
            },
        },
        {
            "type": "context",
            "elements": [
                {"type": "mrkdwn", "text": "*Sources*"},
                {"type": "mrkdwn", "text": "*[1]* The Jevons Paradox in AI — “usage rose a hundredfold”"},
                {
                    "type": "mrkdwn",
                    "text": "*[2]* Blitzscaling › The Death Zone — “Companies with 1,000-10,000 GPUs face extinction”",
                },
            ],
        },
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Answered by `extractive` (fell back from `gpt-test`)"}],
        },
        {
            "type": "actions",
            "block_id": "feedback",
            "elements": [
                {
                    "type": "button",
                    "action_id": "feedback_helpful",
                    "value": "C1-1.2",
                    "text": {"type": "plain_text", "text": "Helpful", "emoji": True},
                },
                {
                    "type": "button",
                    "action_id": "feedback_not_helpful",
                    "value": "C1-1.2",
                    "text": {"type": "plain_text", "text": "Not helpful", "emoji": True},
                },
            ],
        },
    ]


def test_a_refusal_has_no_sources_and_says_so():
    refusal = _answer(answer="The corpus does not cover this.", supported=False, mode="refusal")
    blocks = kit.answer_blocks(refusal, "C1-9")
    assert [b["type"] for b in blocks] == ["section", "context", "actions"]
    assert blocks[1]["elements"][0]["text"] == "Answered by `extractive` · not covered by the corpus"


def test_sources_stay_within_slacks_limits():
    many = [Citation.model_validate({**JEVONS, "quote": "x" * 500, "section": f"Part {n}"}) for n in range(12)]
    block = kit.sources_block(many)
    assert len(block["elements"]) == 10
    assert block["elements"][-1]["text"].endswith("… and 3 more")
    assert all(len(e["text"]) < 300 for e in block["elements"])
    long = kit.answer_blocks(_answer(answer="y" * 5000, model="m"), None)
    assert len(long[0]["text"]["text"]) == 3000 and long[0]["text"]["text"].endswith("…")
    assert kit.header("z" * 400)["text"]["text"].endswith("…") and len(kit.header("z" * 400)["text"]["text"]) == 150


def test_checklist_blocks_group_signals_by_current_with_numbered_sources():
    signal = {
        "current": "Sovereignty",
        "signal": "New sovereign-AI regulations",
        "kind": "trigger",
        "why_it_matters": "Plans move.",
        "why_citation": None,
        "citation": JEVONS,
    }
    counter = {
        **signal,
        "signal": "A diplomatic settlement",
        "kind": "counter-trigger",
        "why_it_matters": "Plans relax.",
    }
    checklist = Checklist.model_validate(
        {
            "title": "Trigger checklist: Sovereignty",
            "context": "A bank",
            "horizon_months": 12,
            "currents": [
                {"name": "Sovereignty", "framing_question": "What if your vendor can't sell to you?", "reason": None}
            ],
            "items": [signal, counter],
            "review": {"cadence": "quarterly", "retire_after_months": 18},
            "model": "extractive",
            "markdown": "",
        }
    )
    blocks = kit.checklist_blocks(checklist, "C1-3")
    assert blocks[0]["type"] == "header"
    assert (
        blocks[1]["elements"][0]["text"]
        == "*Context:* A bank · *Horizon:* 12 months · *Review:* quarterly; retire a current whose triggers stay quiet for 18 months"
    )
    assert blocks[2]["text"]["text"] == (
        "*Sovereignty* — What if your vendor can't sell to you?\n"
        "☐ *Trigger:* New sovereign-AI regulations [1]\n      _Why it matters:_ Plans move.\n"
        "☐ *Counter-trigger:* A diplomatic settlement [2]\n      _Why it matters:_ Plans relax."
    )
    assert [b["type"] for b in blocks[3:]] == ["context", "context", "actions"]


def test_apologies_say_what_happened_without_internals():
    assert kit.apology_text(AllModelsFailedError("every model failed: gpt-test")).startswith(
        "Sorry — the language models are not answering"
    )
    assert "still loading" in kit.apology_text(IndexNotReadyError("index loading"))
    assert kit.apology_text(InvalidRequestError("Unknown current 'x'.")) == "I couldn't do that: Unknown current 'x'."
    assert "Traceback" not in kit.apology_text(RuntimeError("boom")) and "boom" not in kit.apology_text(
        RuntimeError("boom")
    )


@pytest.mark.parametrize(
    ("text", "command"),
    [
        ("ask What is blitzscaling?", Command("ask", "What is blitzscaling?")),
        ("ASK   spaced  out ", Command("ask", "spaced  out")),
        ("checklist A bank moving to on-shore inference", Command("checklist", "A bank moving to on-shore inference")),
        ("checklist A bank | Sovereignty, 2", Command("checklist", "A bank", ["Sovereignty", "2"])),
        (
            "checklist | Sovereignty",
            Command("checklist", "", ["Sovereignty"], "Describe your situation before the `|`."),
        ),
        ("brief Jevons paradox", Command("brief", "Jevons paradox")),
        ("signal EU passes an AI law", Command("signal", "EU passes an AI law")),
        ("currents", Command("currents")),
        ("help", Command("help")),
        ("", Command("help")),
        ("brief", Command("brief", problem="`brief` needs a topic after it.")),
        ("what is this", Command("help", problem="I don't know `what`.")),
    ],
)
def test_parse_command(text, command):
    assert parse_command(text) == command


def test_strip_mentions_and_unescape():
    assert strip_mentions("<@UBOT>  what is R&amp;D &lt;spend&gt;? <@U2|ada>") == "what is R&D <spend>?"


def test_thread_history_roles_order_and_limit():
    messages = [
        {
            "user": "UBOT",
            "bot_id": "BBOT",
            "ts": "1.0",
            "text": "<@U1> asked: q",
            "metadata": {"event_type": kit.QUESTION_EVENT, "event_payload": {"question": "What is X?"}},
        },
        {"user": "UBOT", "bot_id": "BBOT", "ts": "2.0", "text": "X is &lt;y&gt; [1]."},
        {"user": "U9", "bot_id": "B9", "ts": "2.5", "text": "another bot"},
        {"user": "U1", "ts": "2.7", "subtype": "channel_join", "text": "joined"},
        {"user": "U1", "ts": "3.0", "text": "<@UBOT> and Y?"},
        {"user": "U1", "ts": "4.0", "text": "<@UBOT> the current question"},
        {"user": "U1", "ts": "5.0", "text": "a later message"},
    ]
    turns = thread_history(messages, bot_user_id="UBOT", before_ts="4.0", limit=10)
    assert turns == [
        {"role": "user", "content": "What is X?"},
        {"role": "assistant", "content": "X is <y> [1]."},
        {"role": "user", "content": "and Y?"},
    ]
    assert thread_history(messages, bot_user_id="UBOT", before_ts="4.0", limit=1) == [
        {"role": "user", "content": "and Y?"}
    ]
    assert thread_history(messages, bot_user_id=None, bot_id="BBOT", before_ts="4.0", limit=10) == turns
    assert thread_history(messages, bot_user_id="UBOT", before_ts="4.0", limit=0) == []


def test_rate_limiter_slides_and_is_per_user(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])  # the clock of the `limits` library's memory storage
    limiter = RateLimiter(2)
    assert limiter.hit("T:U1") is None and limiter.hit("T:U1") is None
    assert limiter.hit("T:U1") == pytest.approx(60.0)
    assert limiter.hit("T:U2") is None
    now[0] += 30.0
    assert limiter.hit("T:U1") == pytest.approx(30.0)
    now[0] += 30.5
    assert limiter.hit("T:U1") is None


def test_seen_deliveries_match_any_key_and_expire():
    now = [0.0]
    seen = SeenDeliveries(ttl_s=100, clock=lambda: now[0])
    assert seen.first_time("event:Ev1", "message:C1:1.0")
    assert not seen.first_time("event:Ev1")  # a retry
    assert not seen.first_time("event:Ev2", "message:C1:1.0")  # the same message as another event type
    assert seen.first_time("event:Ev3", "")
    now[0] = 200.0
    assert seen.first_time("event:Ev1")


def _signature(secret: str, ts: str, body: bytes) -> str:
    return "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()


def test_verify_slack_request():
    body, now = b'{"type":"event_callback"}', 1_800_000_000
    verify_slack_request("s3cret", body, str(now), _signature("s3cret", str(now), body), now=now + 299)
    with pytest.raises(SlackSignatureError):
        verify_slack_request("s3cret", body, str(now), _signature("other", str(now), body), now=now)
    with pytest.raises(SlackSignatureError):
        verify_slack_request("s3cret", body + b" ", str(now), _signature("s3cret", str(now), body), now=now)
    with pytest.raises(SlackSignatureError):
        verify_slack_request("s3cret", body, "yesterday", "v0=00", now=now)
    with pytest.raises(SlackSignatureError):
        verify_slack_request("s3cret", body, str(now), None, now=now)
    for skew in (-301, 301):  # a replay, or a clock far ahead
        with pytest.raises(SlackRequestTooOldError):
            verify_slack_request("s3cret", body, str(now + skew), _signature("s3cret", str(now + skew), body), now=now)


def test_settings_read_slacks_variables_and_mask_them(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-env")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret-from-env")
    monkeypatch.setenv("STRATEGY_SLACK_RATE_LIMIT_PER_MINUTE", "3")
    monkeypatch.setenv("BOT_TOKEN", "not-this-one")
    settings = SlackSettings()
    assert settings.enabled and not settings.socket_mode_ready and settings.rate_limit_per_minute == 3
    assert settings.bot_token.get_secret_value() == "xoxb-from-env"
    assert "xoxb-from-env" not in repr(settings) and "secret-from-env" not in str(settings)
    assert settings.feedback_path(tmp_path) == tmp_path / "slack_feedback.sqlite3"
    monkeypatch.delenv("SLACK_SIGNING_SECRET")
    assert not SlackSettings().enabled
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
    assert not SlackSettings().enabled
