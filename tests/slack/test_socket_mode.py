"""Socket Mode: the same bot over a WebSocket (here the fake's, on loopback), acknowledging each envelope."""

from __future__ import annotations

import asyncio

from service.slack import blocks as kit
from service.slack.bot import SlackBot, socket_mode_handler
from service.slack.settings import SlackSettings
from tests.slack.conftest import APP_TOKEN, BOT_TOKEN, CHANNEL, TEAM, USER, event_body, mention, track_lazy_listeners
from tests.slack.fake_slack import FakeSlack

META = "How much did Meta commit in its blitzscaling bet?"


def envelope(envelope_id: str, kind: str, payload: dict, *, retry_attempt: int = 0) -> dict:
    return {
        "envelope_id": envelope_id,
        "type": kind,
        "accepts_response_payload": kind != "events_api",
        "retry_attempt": retry_attempt,
        "retry_reason": "timeout" if retry_attempt else "",
        "payload": payload,
    }


async def test_socket_mode_answers_in_threads_acks_envelopes_and_skips_retries(corpus_services, tmp_path):
    settings = SlackSettings(
        bot_token=BOT_TOKEN, app_token=APP_TOKEN, signing_secret=None, feedback_db=tmp_path / "fb.sqlite3"
    )
    assert settings.socket_mode_ready and not settings.enabled  # no signing secret: Slack holds the socket
    with FakeSlack() as fake:
        bot = SlackBot(corpus_services, settings, api_url=fake.api_url)
        listeners = track_lazy_listeners(bot)
        handler = socket_mode_handler(bot, APP_TOKEN)
        await handler.connect_async()
        try:
            event = event_body(mention(META, "1700000050.000100"), "Ev-socket")
            fake.send_envelope(envelope("env-1", "events_api", event))
            assert await asyncio.to_thread(fake.wait_for_ack, "env-1") == {"envelope_id": "env-1"}
            [posted] = await asyncio.to_thread(fake.wait_for, "chat.postMessage")
            expected = await corpus_services.answers.ask(META)
            assert posted == {
                "channel": CHANNEL,
                "thread_ts": "1700000050.000100",
                "text": expected.answer,
                "blocks": kit.answer_blocks(expected, f"{CHANNEL}-1700000050.000100"),
                "unfurl_links": False,
                "unfurl_media": False,
                "team_id": TEAM,
            }

            fake.send_envelope(envelope("env-2", "events_api", event, retry_attempt=1))
            await asyncio.to_thread(fake.wait_for_ack, "env-2")  # acknowledged once Bolt has handled it
            await asyncio.to_thread(listeners.wait_idle)
            assert listeners.started == ["_answer_event"]  # the retry started no second answer
            assert len(fake.calls_to("chat.postMessage")) == 1

            command = {
                "team_id": TEAM,
                "channel_id": CHANNEL,
                "user_id": USER,
                "command": "/strategy",
                "text": "help",
                "response_url": fake.response_url(),
                "trigger_id": "1.2.3",
                "api_app_id": "A0FAKE",
            }
            fake.send_envelope(envelope("env-3", "slash_commands", command))
            ack = await asyncio.to_thread(fake.wait_for_ack, "env-3")
            assert ack == {
                "envelope_id": "env-3",
                "payload": {"text": "How to use /strategy", "blocks": kit.help_blocks(), "response_type": "ephemeral"},
            }
        finally:
            await handler.close_async()
    [connections_open] = [c for c in fake.calls if c.method == "apps.connections.open"]
    assert connections_open.authorization == f"Bearer {APP_TOKEN}"  # the app-level token opens the socket, nothing else
    assert all(c.authorization == f"Bearer {BOT_TOKEN}" for c in fake.calls if c.method != "apps.connections.open")
