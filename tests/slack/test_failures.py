"""When the answer cannot be written, the user reads an apology in the thread: never silence."""

from __future__ import annotations

import httpx
import respx
from fastapi.testclient import TestClient

from service.app import create_app
from service.slack.routes import install_slack
from tests.api.conftest import wait_ready
from tests.conftest import FAKE_ANTHROPIC, FAKE_OPENAI, services_with_models
from tests.slack.conftest import CHANNEL, TEAM, Slack, mention, slack_settings, track_lazy_listeners
from tests.slack.fake_slack import FakeSlack

DEATH_ZONE = "what does the blitzscaling essay call the death zone?"
APOLOGY = "Sorry — the language models are not answering right now, so I couldn't write this answer. Please try again in a minute."


@respx.mock
def test_when_every_model_fails_the_thread_gets_an_apology(corpus_services, models_file, tmp_path, respx_mock):
    respx_mock.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=httpx.Response(500, json={"error": {"message": "down"}})
    )
    respx_mock.post(f"{FAKE_ANTHROPIC}/v1/messages").mock(
        return_value=httpx.Response(500, json={"type": "error", "error": {"type": "api_error", "message": "down"}})
    )
    services = services_with_models(corpus_services, models_file)
    app = create_app(services.settings, services=services)
    with FakeSlack() as fake:
        # gpt-test falls back to claude-test only: with both down, the service raises models_unavailable
        bot = install_slack(app, services, slack_settings(tmp_path, model="gpt-test"), api_url=fake.api_url)
        with TestClient(app) as client:
            wait_ready(client)
            slack = Slack(client, bot, fake, track_lazy_listeners(bot))
            assert slack.event(mention(DEATH_ZONE, "1700000040.000100"), "Ev-models-down").status_code == 200
            [posted] = fake.wait_for("chat.postMessage")
    assert posted == {
        "channel": CHANNEL,
        "thread_ts": "1700000040.000100",
        "text": APOLOGY,
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": f":warning: {APOLOGY}"}}],
        "unfurl_links": False,
        "unfurl_media": False,
        "team_id": TEAM,
    }
    assert respx_mock.calls.call_count >= 2  # both models were really tried
    assert bot.store.rated() == []


def test_an_unexpected_error_is_logged_and_apologised_for(slack, corpus_services, monkeypatch, caplog):
    async def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(corpus_services.answers, "ask", broken)
    slack.event(mention(DEATH_ZONE, "1700000041.000100"), "Ev-bug")
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000041.000100"
    assert (
        posted["text"]
        == "Sorry — something went wrong on my side and I couldn't answer. The error is logged; please try again."
    )
    assert "disk on fire" not in str(posted)
    assert "disk on fire" in caplog.text


def test_blocks_slack_refuses_still_reach_the_thread_as_text(slack):
    slack.fake.failures[("chat.postMessage", "C0BAD")] = "invalid_blocks"
    slack.event(mention(DEATH_ZONE, "1700000042.000100", channel="C0BAD"), "Ev-invalid-blocks")
    first, second = slack.fake.wait_for("chat.postMessage", 2)
    assert "blocks" in first and set(second) == {"channel", "thread_ts", "text", "team_id"}
    assert second["text"] == first["text"] and second["thread_ts"] == "1700000042.000100"
    assert slack.fake.results_of("chat.postMessage")[1]["ok"] is True
