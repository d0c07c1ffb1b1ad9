"""POST /slack/events before Bolt: malformed signature headers are 401, signed bodies Slack never sends are 400."""

from __future__ import annotations

import json
import time
from urllib.parse import urlencode

import pytest

from service.slack.routes import SlackPayloadError, SlackRequestTooOldError, SlackSignatureError, verify_slack_request
from tests.slack.conftest import SIGNING_SECRET, mention, sign

BODY = json.dumps({"token": "unused", "challenge": "abc", "type": "url_verification"}).encode()


def test_a_validly_signed_request_passes_the_check():
    headers = sign(BODY)
    verify_slack_request(SIGNING_SECRET, BODY, headers["x-slack-request-timestamp"], headers["x-slack-signature"])


@pytest.mark.parametrize(
    ("timestamp", "signature", "error"),
    [
        ("9" * 400, None, SlackSignatureError),  # overflowed the age check (OverflowError, a 500)
        ("-5", None, SlackSignatureError),
        ("12.5", None, SlackSignatureError),
        ("", None, SlackSignatureError),
        (None, "v0=é", SlackSignatureError),  # broke hmac.compare_digest (TypeError, a 500)
        (None, "v0=" + "A" * 64, SlackSignatureError),
        (None, "v1=" + "0" * 64, SlackSignatureError),
        (None, "v0=" + "0" * 64, SlackSignatureError),  # well formed, wrong
        (-6 * 60, None, SlackRequestTooOldError),  # seconds from now, taken when the test runs
        (+6 * 60, None, SlackRequestTooOldError),
    ],
)
def test_malformed_wrong_or_stale_headers_are_refused_with_their_code(timestamp, signature, error):
    good = sign(BODY)
    if isinstance(timestamp, int):
        timestamp = str(int(time.time()) + timestamp)
    timestamp = good["x-slack-request-timestamp"] if timestamp is None else timestamp
    signature = good["x-slack-signature"] if signature is None else signature
    with pytest.raises(error) as raised:
        verify_slack_request(SIGNING_SECRET, BODY, timestamp, signature)
    assert raised.value.status_code == 401


def test_the_check_uses_the_given_clock():
    headers = sign(BODY, timestamp=1_700_000_000)
    verify_slack_request(
        SIGNING_SECRET, BODY, headers["x-slack-request-timestamp"], headers["x-slack-signature"], now=1_700_000_100
    )
    with pytest.raises(SlackRequestTooOldError):
        verify_slack_request(
            SIGNING_SECRET, BODY, headers["x-slack-request-timestamp"], headers["x-slack-signature"], now=1_700_000_400
        )


def test_a_body_that_is_not_utf8_is_a_payload_error_not_a_crash():
    body = b'{"type": "\xff\xfe"}'
    headers = sign(body)
    with pytest.raises(SlackPayloadError):
        verify_slack_request(SIGNING_SECRET, body, headers["x-slack-request-timestamp"], headers["x-slack-signature"])


@pytest.mark.parametrize(
    "headers",
    [
        {"x-slack-request-timestamp": "9" * 400, "x-slack-signature": "v0=abc"},
        {"x-slack-request-timestamp": "NOW", "x-slack-signature": "v0=é".encode()},  # NOW: taken when the test runs
        {"x-slack-request-timestamp": "١٢٣".encode(), "x-slack-signature": "v0=abc"},  # Arabic-Indic digits pass int()
    ],
)
def test_malformed_headers_on_the_app_are_401_json(slack, headers):
    if headers["x-slack-request-timestamp"] == "NOW":
        headers = {**headers, "x-slack-request-timestamp": str(int(time.time()))}
    response = slack.client.post("/slack/events", content=BODY, headers={"content-type": "application/json", **headers})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "invalid_slack_signature"
    assert "x-request-id" in response.headers
    slack.wait_idle()
    assert slack.listeners.started == [] and slack.fake.calls == []


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b'{"type":', "application/json"),
        (b'{"type": "event_callback", "event": {"type": "app_mention", "text": "\xff"}}', "application/json"),
        (b"[]", "application/json"),
        (b"null", "application/json"),
        (b"42", "application/json"),
        (b'{"type": "event_callback", "event": null}', "application/json"),
        (b'{"type": "event_callback", "event": ["app_mention"]}', "application/json"),
        (b'{"type": "event_callback", "event": {"type": "app_mention"}, "authorizations": 5}', "application/json"),
        (b'{"type": "event_callback", "event": {"type": "app_mention"}, "enterprise": 7}', "application/json"),
        (b'{"type": "block_actions", "user": 3}', "application/json"),
        (
            b'{"type": "url_verification", "challenge": "", "event": [null, null]}',
            "application/json",
        ),  # found by the fuzz run
        (b'{"type": "url_verification", "challenge": "", "event": null, "authorizations": ["x"]}', "application/json"),
        (b"payload=%7Bnot-json", "application/x-www-form-urlencoded"),
        (b"payload=%5B%5D", "application/x-www-form-urlencoded"),
    ],
)
def test_signed_bodies_slack_never_sends_are_400_and_reach_nothing(slack, body, content_type):
    # signed over the exact bytes: the signature passes and the body itself is what is refused
    response = slack.client.post("/slack/events", content=body, headers={"content-type": content_type, **sign(body)})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_slack_payload" and error["message"]
    slack.wait_idle()
    assert slack.listeners.started == [] and slack.fake.calls == []


def test_a_signed_event_of_another_type_is_acknowledged_and_ignored(slack):
    response = slack.event(
        {"type": "reaction_added", "user": "U1", "item": {"type": "message", "channel": "C1", "ts": "1.2"}},
        "Ev-reaction",
    )
    assert response.status_code == 200  # a 404 would make Slack retry it
    slack.wait_idle()
    assert slack.listeners.started == [] and slack.fake.calls_to("chat.postMessage") == []


def test_a_signed_request_no_handler_takes_is_a_json_404(slack):
    body = urlencode(
        {
            "command": "/other",
            "text": "hi",
            "user_id": "U1",
            "channel_id": "C1",
            "team_id": "T0001",
            "trigger_id": "1.2",
        }
    ).encode()
    response = slack.post(body, "application/x-www-form-urlencoded")
    assert response.status_code == 404 and response.json()["error"]["code"] == "unhandled_slack_request"
    assert "/strategy" in response.json()["error"]["message"]


def test_a_well_formed_mention_still_gets_its_answer(slack):
    assert (
        slack.event(mention("What is the Jevons paradox in AI?", "1700000099.000100"), "Ev-routes-ok").status_code
        == 200
    )
    [posted] = slack.fake.wait_for("chat.postMessage")
    assert posted["thread_ts"] == "1700000099.000100" and posted["text"]


def test_the_route_documents_what_slack_sends(slack):
    operation = slack.client.get("/openapi.json").json()["paths"]["/slack/events"]["post"]
    assert {p["name"] for p in operation["parameters"]} == {"X-Slack-Request-Timestamp", "X-Slack-Signature"}
    assert set(operation["requestBody"]["content"]) == {"application/json", "application/x-www-form-urlencoded"}
    assert {"400", "401", "404"} <= set(operation["responses"])
