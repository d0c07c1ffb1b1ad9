"""POST /slack/events on the real app: signatures, url_verification, mentions answered in threads, retries, follow-ups."""

from __future__ import annotations

import json
import logging
import time

from fastapi.testclient import TestClient

from service.app import create_app
from service.slack import blocks as kit
from service.slack.routes import install_slack
from service.slack.settings import SlackSettings
from tests.slack.conftest import BOT_TOKEN, CHANNEL, SIGNING_SECRET, TEAM, USER, ask_directly, event_body, mention, sign

META = "How much did Meta commit in its blitzscaling bet?"


def test_url_verification_is_answered_once_signed(slack):
    body = json.dumps(
        {
            "token": "unused",
            "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
            "type": "url_verification",
        }
    ).encode()
    response = slack.post(body, "application/json")
    assert response.status_code == 200
    assert response.json() == {"challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P"}


def test_a_wrong_or_missing_signature_is_401_and_never_reaches_the_answerer(slack):
    body = json.dumps(event_body(mention(META, "1700000000.000100"), "Ev-forged")).encode()
    wrong = sign(body, secret="not-the-secret")
    for headers in (wrong, {"x-slack-request-timestamp": wrong["x-slack-request-timestamp"]}, {}):
        response = slack.client.post(
            "/slack/events", content=body, headers={"content-type": "application/json", **headers}
        )
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "invalid_slack_signature"
    # a challenge is not answered unsigned either
    challenge = json.dumps({"challenge": "abc", "type": "url_verification"}).encode()
    assert (
        slack.client.post("/slack/events", content=challenge, headers={"content-type": "application/json"}).status_code
        == 401
    )
    slack.wait_idle()
    assert slack.listeners.started == [] and slack.fake.calls == []


def test_a_timestamp_older_than_five_minutes_is_401(slack):
    body = json.dumps(event_body(mention(META, "1700000000.000200"), "Ev-stale")).encode()
    response = slack.post(body, "application/json", timestamp=int(time.time()) - 5 * 60 - 10)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "stale_slack_request"
    slack.wait_idle()
    assert slack.listeners.started == [] and slack.fake.calls == []


def test_a_mention_is_answered_in_a_thread_with_sources_and_feedback_buttons(slack, corpus_services):
    response = slack.event(mention(META, "1700000001.000100"), "Ev-mention-1")
    assert response.status_code == 200
    [posted] = slack.fake.wait_for("chat.postMessage")
    expected = ask_directly(corpus_services, META)
    answer_id = f"{CHANNEL}-1700000001.000100"
    assert posted == {
        "channel": CHANNEL,
        "thread_ts": "1700000001.000100",
        "text": expected.answer,
        "blocks": kit.answer_blocks(expected, answer_id),
        "unfurl_links": False,
        "unfurl_media": False,
        "team_id": TEAM,  # Bolt's client names the workspace on every call
    }
    assert "14.8" in expected.answer and expected.citations
    section, sources, footer, actions = posted["blocks"]
    assert section == {"type": "section", "text": {"type": "mrkdwn", "text": expected.answer}}
    first = expected.citations[0]
    assert sources["type"] == "context" and sources["elements"][0]["text"] == "*Sources*"
    assert sources["elements"][1]["text"].startswith(f"*[1]* {first.document.title}")
    assert f"“{first.quote}”" in sources["elements"][1]["text"] or "…" in sources["elements"][1]["text"]
    assert footer["elements"][0]["text"] == "Answered by `extractive`"
    assert [e["action_id"] for e in actions["elements"]] == ["feedback_helpful", "feedback_not_helpful"]
    assert {e["value"] for e in actions["elements"]} == {answer_id}
    # the bot token reached Slack; the fake saw auth.test once for the bot's identity
    assert all(c.authorization == "Bearer xoxb-test-token-not-real" for c in slack.fake.calls)


def test_slack_not_configured_is_a_404_and_the_rest_runs(corpus_services, tmp_path):
    app = create_app(corpus_services.settings, services=corpus_services)
    assert install_slack(app, corpus_services, SlackSettings(bot_token=None, signing_secret=None)) is None
    with TestClient(app) as client:
        response = client.post("/slack/events", content=b"{}", headers={"content-type": "application/json"})
        assert response.status_code == 404
        error = response.json()["error"]
        assert error["code"] == "slack_not_configured" and "SLACK_BOT_TOKEN" in error["message"]
        assert client.get("/healthz").status_code == 200


def test_a_retried_delivery_is_answered_once(slack):
    event = mention(META, "1700000002.000100")
    assert slack.event(event, "Ev-retry").status_code == 200
    for n in (1, 2):
        retry = slack.event(
            event, "Ev-retry", headers={"x-slack-retry-num": str(n), "x-slack-retry-reason": "http_timeout"}
        )
        assert retry.status_code == 200 and retry.headers["x-slack-no-retry"] == "1"
    slack.wait_idle()
    assert slack.listeners.started == ["_answer_event"]  # the retries were acknowledged without starting an answer
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_a_direct_message_is_answered_in_its_thread_once_even_if_also_delivered_as_a_mention(slack, corpus_services):
    question = "What is the Jevons paradox in AI?"
    dm = {
        "type": "message",
        "channel_type": "im",
        "user": USER,
        "text": question,
        "ts": "1700000003.000100",
        "channel": "D0001",
        "event_ts": "1700000003.000100",
    }
    assert slack.event(dm, "Ev-dm").status_code == 200
    assert (
        slack.event({**mention(question, "1700000003.000100", channel="D0001")}, "Ev-dm-as-mention").status_code == 200
    )
    [posted] = slack.fake.wait_for("chat.postMessage")
    expected = ask_directly(corpus_services, question)
    assert posted["channel"] == "D0001" and posted["thread_ts"] == "1700000003.000100"
    assert posted["blocks"] == kit.answer_blocks(expected, "D0001-1700000003.000100")
    slack.wait_idle()
    assert slack.listeners.started == ["_answer_event"]
    assert len(slack.fake.calls_to("chat.postMessage")) == 1


def test_channel_chatter_and_bot_messages_are_acknowledged_and_ignored(slack):
    chatter = {
        "type": "message",
        "channel_type": "channel",
        "user": USER,
        "text": "lunch?",
        "ts": "1700000004.000100",
        "channel": CHANNEL,
    }
    edited = {
        "type": "message",
        "subtype": "message_changed",
        "channel_type": "im",
        "channel": "D0001",
        "ts": "1700000004.000200",
        "message": {"type": "message", "user": USER, "text": "edited", "ts": "1700000004.000100"},
    }
    other_bot = {
        "type": "message",
        "channel_type": "im",
        "bot_id": "B0OTHER",
        "user": "U0OTHER",
        "text": "beep",
        "ts": "1700000004.000300",
        "channel": "D0001",
    }
    for n, event in enumerate((chatter, edited, other_bot)):
        assert slack.event(event, f"Ev-ignore-{n}").status_code == 200
    slack.wait_idle()
    assert slack.listeners.started == []  # acknowledged by the listener that ignores them: no answer started
    assert slack.fake.calls_to("chat.postMessage") == []


def test_a_follow_up_in_a_thread_is_answered_with_the_thread_as_context(slack, corpus_services):
    first = "What are the trigger signals of the Sovereignty current?"
    follow_up = "Which data sources should we watch?"
    earlier = ask_directly(corpus_services, first)
    parent, reply, current = "1700000005.000100", "1700000005.000200", "1700000005.000300"
    slack.fake.threads[(CHANNEL, parent)] = [
        {"type": "message", "user": USER, "text": f"<@UBOT> {first}", "ts": parent, "thread_ts": parent},
        {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "text": earlier.answer,
            "ts": reply,
            "thread_ts": parent,
        },
        {
            "type": "message",
            "user": "U0OTHER",
            "bot_id": "B0OTHER",
            "text": "an unrelated bot",
            "ts": "1700000005.000250",
            "thread_ts": parent,
        },
        {"type": "message", "user": USER, "text": f"<@UBOT> {follow_up}", "ts": current, "thread_ts": parent},
    ]
    assert slack.event(mention(follow_up, current, thread_ts=parent), "Ev-follow-up").status_code == 200
    [posted] = slack.fake.wait_for("chat.postMessage")
    [replies] = slack.fake.calls_to("conversations.replies")
    assert replies == {"channel": CHANNEL, "ts": parent, "limit": "200", "include_all_metadata": "1", "team_id": TEAM}
    history = [{"role": "user", "content": first}, {"role": "assistant", "content": earlier.answer}]
    expected = ask_directly(corpus_services, follow_up, history=history)
    assert posted["thread_ts"] == parent
    assert posted["blocks"] == kit.answer_blocks(expected, f"{CHANNEL}-{current}")
    # the thread changed the answer: alone, the question is refused or answered from another document
    alone = ask_directly(corpus_services, follow_up)
    assert expected.supported and expected.citations[0].document.id == "scenario-planning-04-sovereignty"
    assert not alone.citations or alone.citations[0].document.id != "scenario-planning-04-sovereignty"


def test_a_bare_mention_gets_the_usage_in_a_thread(slack):
    assert slack.event(mention("", "1700000006.000100"), "Ev-bare").status_code == 200
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000006.000100" and posted["blocks"] == kit.help_blocks()


def test_credentials_never_reach_the_logs(slack, caplog):
    caplog.set_level(logging.DEBUG)
    body = json.dumps(event_body(mention(META, "1700000007.000100"), "Ev-logs")).encode()
    slack.client.post(
        "/slack/events", content=body, headers={"content-type": "application/json", **sign(body, secret="wrong")}
    )
    assert slack.event(mention(META, "1700000007.000100"), "Ev-logs").status_code == 200
    slack.fake.wait_for("chat.postMessage")
    assert caplog.records  # Bolt and slack_sdk did log, at debug level
    for secret in (BOT_TOKEN, SIGNING_SECRET):
        assert secret not in caplog.text
    assert BOT_TOKEN not in repr(slack.bot.settings) and SIGNING_SECRET not in repr(slack.bot.settings)


def test_when_the_thread_cannot_be_read_the_follow_up_is_still_answered(slack, corpus_services):
    question = "What is the Jevons paradox in AI?"
    # the fake knows no such thread: conversations.replies fails as it does without the *:history scope
    assert (
        slack.event(mention(question, "1700000008.000300", thread_ts="1700000008.000100"), "Ev-no-history").status_code
        == 200
    )
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert slack.fake.results_of("conversations.replies") == [{"ok": False, "error": "thread_not_found"}]
    assert posted["thread_ts"] == "1700000008.000100"
    assert posted["blocks"] == kit.answer_blocks(
        ask_directly(corpus_services, question), f"{CHANNEL}-1700000008.000300"
    )
