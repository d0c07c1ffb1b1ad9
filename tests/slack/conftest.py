"""Signed Slack requests against the real FastAPI app, with Slack's Web API faked on loopback."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from slack_bolt.lazy_listener.async_internals import to_runnable_function
from slack_bolt.lazy_listener.async_runner import AsyncLazyListenerRunner
from slack_bolt.util.utils import get_name_for_callable

from service.app import create_app
from service.contracts import Answer
from service.slack.bot import SlackBot
from service.slack.limits import RateLimiter, SeenDeliveries
from service.slack.routes import install_slack
from service.slack.settings import SlackSettings
from service.storage.database import Database, sqlite_url
from tests.api.conftest import wait_ready
from tests.slack.fake_slack import FakeSlack

SIGNING_SECRET = "test-signing-secret-not-real"
BOT_TOKEN = "xoxb-test-token-not-real"
APP_TOKEN = "xapp-test-token-not-real"
TEAM = "T0001"
CHANNEL = "C0001"
USER = "U0001"


def sign(body: bytes, *, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict:
    """Slack's v0 signature, computed here independently of the code under test."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": ts, "x-slack-signature": f"v0={digest}"}


def event_body(event: dict, event_id: str) -> dict:
    return {
        "token": "unused",
        "team_id": TEAM,
        "api_app_id": "A0FAKE",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": TEAM, "user_id": "UBOT", "is_bot": True}],
    }


def mention(text: str, ts: str, *, thread_ts: str | None = None, user: str = USER, channel: str = CHANNEL) -> dict:
    event = {
        "type": "app_mention",
        "user": user,
        "text": f"<@UBOT> {text}",
        "ts": ts,
        "channel": channel,
        "event_ts": ts,
        "team": TEAM,
    }
    if thread_ts:
        event["thread_ts"] = thread_ts
    return event


def command_form(
    text: str, *, response_url: str, user: str = USER, channel: str = CHANNEL, command: str = "/strategy"
) -> bytes:
    return urlencode(
        {
            "token": "unused",
            "team_id": TEAM,
            "team_domain": "fake",
            "channel_id": channel,
            "channel_name": "strategy",
            "user_id": user,
            "user_name": "ada",
            "command": command,
            "text": text,
            "api_app_id": "A0FAKE",
            "response_url": response_url,
            "trigger_id": "1337.42.abcd",
        }
    ).encode()


def action_form(
    action_id: str, value: str, *, message_ts: str, thread_ts: str, response_url: str, user: str = USER
) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": TEAM, "domain": "fake"},
        "user": {"id": user, "username": "ada", "team_id": TEAM},
        "api_app_id": "A0FAKE",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": CHANNEL,
            "is_ephemeral": False,
            "thread_ts": thread_ts,
        },
        "trigger_id": "1337.43.abcd",
        "channel": {"id": CHANNEL, "name": "strategy"},
        "message": {
            "type": "message",
            "user": "UBOT",
            "bot_id": "BBOT",
            "ts": message_ts,
            "thread_ts": thread_ts,
            "text": "…",
        },
        "response_url": response_url,
        "actions": [
            {
                "type": "button",
                "block_id": "feedback",
                "action_id": action_id,
                "value": value,
                "action_ts": "1800000100.000001",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


class LazyListeners(AsyncLazyListenerRunner):
    """Bolt's asyncio runner of lazy listeners (the work after the acknowledgement), keeping count of them.

    A listener is counted before Bolt acknowledges the request, so once a test has its response (or its Socket
    Mode ack), `wait_idle` returns only when all the work that request started is done: whatever the bot has not
    posted by then, it never will. No sleep stands in for that."""

    def __init__(self, logger):
        self.logger = logger
        self.started: list[str] = []  # names of the lazy listeners run, in order
        self._running = 0
        self._changed = threading.Condition()

    def start(self, function, request) -> None:
        with self._changed:
            self._running += 1
            self.started.append(get_name_for_callable(function))
        task = asyncio.ensure_future(to_runnable_function(internal_func=function, logger=self.logger, request=request))
        task.add_done_callback(self._finished)

    def _finished(self, _task) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._running:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"{self._running} lazy listener(s) still running after {timeout} s; started: {self.started}"
                    )
                self._changed.wait(left)

    def reset(self) -> None:
        with self._changed:
            self.started.clear()


def track_lazy_listeners(bot: SlackBot) -> LazyListeners:
    """Run `bot`'s lazy listeners through a LazyListeners: the runner is Bolt's extension point for how lazy
    listeners run, and this one starts them as Bolt's own asyncio runner does."""
    runner = LazyListeners(bot.app.logger)
    bot.app.listener_runner.lazy_listener_runner = runner
    return runner


@dataclass
class Slack:
    """The real app with a SlackBot attached, and the fake Web API it talks to."""

    client: TestClient
    bot: SlackBot
    fake: FakeSlack
    listeners: LazyListeners

    def wait_idle(self) -> None:
        """Wait until the bot has finished everything the requests sent so far started."""
        self.listeners.wait_idle()

    def post(self, body: bytes, content_type: str, *, headers: dict | None = None, timestamp: int | None = None):
        signed = sign(body, timestamp=timestamp)
        return self.client.post(
            "/slack/events", content=body, headers={"content-type": content_type, **signed, **(headers or {})}
        )

    def event(self, event: dict, event_id: str, **kwargs):
        return self.post(json.dumps(event_body(event, event_id)).encode(), "application/json", **kwargs)

    def command(self, text: str, **kwargs):
        return self.post(
            command_form(text, response_url=self.fake.response_url()), "application/x-www-form-urlencoded", **kwargs
        )

    def click(self, action_id: str, value: str, *, message_ts: str, thread_ts: str, user: str = USER):
        form = action_form(
            action_id,
            value,
            message_ts=message_ts,
            thread_ts=thread_ts,
            response_url=self.fake.response_url(),
            user=user,
        )
        return self.post(form, "application/x-www-form-urlencoded")


def slack_settings(tmp_path, **overrides) -> SlackSettings:
    return SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, feedback_db=tmp_path / "slack_feedback.sqlite3", **overrides
    )


def ask_directly(services, question: str, history=None, model=None) -> Answer:
    """The service's own answer to compare the Slack reply with."""
    return asyncio.run(services.answers.ask(question, model, history))


@pytest.fixture(scope="module")
def fake_slack():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def slack_module(corpus_services, fake_slack, tmp_path_factory):
    folder = tmp_path_factory.mktemp("slack")
    # The module's own database: the answers and votes a test counts are its module's only.
    services = dataclasses.replace(corpus_services, database=Database(sqlite_url(folder / "state.sqlite3")))
    app = create_app(corpus_services.settings, services=services)
    bot = install_slack(app, services, slack_settings(folder), api_url=fake_slack.api_url)
    listeners = track_lazy_listeners(bot)
    with TestClient(app) as client:
        wait_ready(client)
        yield Slack(client, bot, fake_slack, listeners)


@pytest.fixture
def slack(slack_module):
    """The module's app, with a clean fake and fresh in-memory guards for each test."""
    slack_module.wait_idle()  # nothing an earlier test started can land in this one's fake
    slack_module.listeners.reset()
    slack_module.fake.reset()
    slack_module.fake.threads.clear()
    slack_module.fake.failures.clear()
    slack_module.bot.deliveries = SeenDeliveries()
    slack_module.bot.limiter = RateLimiter(slack_module.bot.settings.rate_limit_per_minute)
    return slack_module
