"""POST /slack/events: Slack's events, slash commands and button clicks, in the same FastAPI app.

The signature is checked here first, with slack_sdk's SignatureVerifier, so a forged or replayed request
gets the service's JSON error shape and a 401 without touching Bolt or the answerer; Bolt checks it again
(defence in depth). A signed body Bolt cannot read is a 400, never a crash.
"""

from __future__ import annotations

import json
import re

from fastapi import APIRouter, FastAPI, Request, Response
from slack_sdk.signature import Clock, SignatureVerifier

from service.api.schemas import ErrorResponse
from service.errors import ServiceError
from service.slack.payloads import payload_problem
from service.slack.settings import SlackSettings, get_slack_settings

#: Slack's rule: a request signed more than five minutes ago (or ahead) is a replay.
MAX_AGE_S = 5 * 60
#: Slack's headers as Slack writes them: Unix seconds, and `v0=` with a hex SHA-256. Anything else is not from Slack
#: (and would overflow the age check or break the constant-time comparison).
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")

router = APIRouter(tags=["slack"])

_TEXT = {"type": "string"}
#: What Slack sends (the route reads the raw body to check its signature, so FastAPI cannot infer this).
SLACK_REQUEST_DOC = {
    "parameters": [
        {
            "name": "X-Slack-Request-Timestamp",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": "^[0-9]{1,12}$"},
            "description": "Unix seconds when Slack signed the request; more than five minutes away is refused.",
        },
        {
            "name": "X-Slack-Signature",
            "in": "header",
            "required": False,
            "schema": {"type": "string", "pattern": "^v0=[0-9a-f]{64}$"},
            "description": "`v0=` and the hex HMAC-SHA256 of `v0:{timestamp}:{body}` with the app's signing secret.",
        },
    ],
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "An Events API delivery: url_verification, or event_callback with an app_mention or message event.",
                    "required": ["type"],
                    "properties": {
                        "type": {"type": "string", "enum": ["url_verification", "event_callback"]},
                        "challenge": _TEXT,
                        "token": _TEXT,
                        "team_id": _TEXT,
                        "api_app_id": _TEXT,
                        "event_id": _TEXT,
                        "event_time": {"type": "integer"},
                        "event": {
                            "type": "object",
                            "required": ["type"],
                            "properties": {
                                "type": {"type": "string", "enum": ["app_mention", "message"]},
                                "user": _TEXT,
                                "text": {"type": "string", "examples": ["<@UBOT> What is the Jevons paradox in AI?"]},
                                "ts": {"type": "string", "examples": ["1700000000.000100"]},
                                "thread_ts": _TEXT,
                                "channel": _TEXT,
                                "channel_type": _TEXT,
                                "bot_id": _TEXT,
                                "team": _TEXT,
                            },
                        },
                        "authorizations": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {"team_id": _TEXT, "user_id": _TEXT, "is_bot": {"type": "boolean"}},
                            },
                        },
                    },
                }
            },
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "description": "A slash command, or an interaction whose `payload` is JSON (a feedback button).",
                    "properties": {
                        "command": {"type": "string", "examples": ["/strategy"]},
                        "text": {
                            "type": "string",
                            "examples": [
                                "ask What is the Jevons paradox in AI?",
                                "checklist a bank | Sovereignty",
                                "currents",
                            ],
                        },
                        "user_id": _TEXT,
                        "channel_id": _TEXT,
                        "team_id": _TEXT,
                        "trigger_id": _TEXT,
                        "response_url": _TEXT,
                        "payload": _TEXT,
                    },
                }
            },
        },
    },
}


class SlackNotConfiguredError(ServiceError):
    code = "slack_not_configured"
    status_code = 404


class SlackSignatureError(ServiceError):
    code = "invalid_slack_signature"
    status_code = 401


class SlackRequestTooOldError(ServiceError):
    code = "stale_slack_request"
    status_code = 401


class SlackPayloadError(ServiceError):
    code = "invalid_slack_payload"
    status_code = 400


class SlackUnhandledError(ServiceError):
    code = "unhandled_slack_request"
    status_code = 404


class _FixedClock(Clock):
    def __init__(self, now: float):
        self._now = now

    def now(self) -> float:
        return self._now


def verify_slack_request(
    signing_secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None
) -> None:
    """Slack's v0 scheme (HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret, timestamp within five
    minutes), checked by slack_sdk once the headers have Slack's shape."""
    if not timestamp or not _TIMESTAMP.fullmatch(timestamp):
        raise SlackSignatureError(
            "Missing or malformed X-Slack-Request-Timestamp: requests must come from Slack, signed."
        )
    clock = Clock() if now is None else _FixedClock(now)
    if abs(clock.now() - int(timestamp)) > MAX_AGE_S:
        raise SlackRequestTooOldError(
            "The request timestamp is more than five minutes away from now: replays are refused."
        )
    if not signature or not _SIGNATURE.fullmatch(signature):
        raise SlackSignatureError(
            "Missing or malformed X-Slack-Signature: requests must come from Slack, signed with v0=<hex>."
        )
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise SlackPayloadError("The request body is not UTF-8; Slack sends UTF-8 JSON or form data.") from None
    if not SignatureVerifier(signing_secret, clock=clock).is_valid(body, timestamp, signature):
        raise SlackSignatureError(
            "Wrong X-Slack-Signature: check SLACK_SIGNING_SECRET matches the app's signing secret."
        )


def read_slack_request(request: Request, body: bytes):
    """The signed body as Bolt's request; a body Bolt cannot read (not JSON, not an object, fields of the wrong
    type) is a SlackPayloadError: Slack itself never sends one."""
    from slack_bolt.adapter.starlette.async_handler import (
        to_async_bolt_request,  # slack_bolt only once Slack is configured
    )
    from slack_bolt.error import BoltError
    from slack_bolt.request.internals import parse_body

    content_type = (request.headers.get("content-type") or "").split(";")[0].strip() or None
    try:
        payload = parse_body(body.decode("utf-8"), content_type)
    except ValueError:
        raise SlackPayloadError("The request body is not Slack's JSON, nor a form whose `payload` is JSON.") from None
    if not isinstance(payload, dict):
        raise SlackPayloadError(f"The request body must be a JSON object, not {json.dumps(payload)[:40]}.")
    problem = payload_problem(payload)
    if problem:
        raise SlackPayloadError(f"This is not a payload Slack sends ({problem}).")
    try:
        return to_async_bolt_request(request, body)
    except (AttributeError, BoltError, IndexError, KeyError, TypeError, ValueError) as exc:
        # Bolt reads ids (team, user, channel, ...) from several places; one of the wrong type stops it.
        raise SlackPayloadError(
            f"The Slack payload has a field of an unexpected type ({type(exc).__name__})."
        ) from None


@router.post(
    "/slack/events",
    summary="Slack events, slash commands and interactivity (signed by Slack)",
    responses={
        400: {"model": ErrorResponse, "description": "A signed body Slack would never send (invalid_slack_payload)"},
        401: {
            "model": ErrorResponse,
            "description": "Missing or wrong signature, or a timestamp older than five minutes",
        },
        404: {
            "model": ErrorResponse,
            "description": "Slack is not configured (slack_not_configured), or a request this app "
            "has no handler for (unhandled_slack_request)",
        },
    },
    openapi_extra=SLACK_REQUEST_DOC,
)
async def slack_events(request: Request) -> Response:
    bot = getattr(request.app.state, "slack_bot", None)
    if bot is None:
        raise SlackNotConfiguredError(
            "The Slack bot is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see the README's Slack section) and restart."
        )
    body = await request.body()
    verify_slack_request(
        bot.settings.signing_secret.get_secret_value(),
        body,
        request.headers.get("x-slack-request-timestamp"),
        request.headers.get("x-slack-signature"),
    )
    from slack_bolt.adapter.starlette.async_handler import to_starlette_response

    response = await bot.app.async_dispatch(read_slack_request(request, body))
    if response.status == 404:  # Bolt's {"error": "unhandled request"}, in the service's error shape
        raise SlackUnhandledError(
            f"No handler for this Slack request: this app answers {bot.settings.command}, mentions, direct messages and its "
            "feedback buttons. Check the app's manifest (service/slack/manifests/)."
        )
    return to_starlette_response(response)


def install_slack(app: FastAPI, services, settings: SlackSettings | None = None, *, api_url: str | None = None):
    """Add POST /slack/events to `app` (once) and attach a SlackBot when Slack is configured; returns the bot or None.

    Without SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET nothing is built: the route answers 404 slack_not_configured
    and the rest of the service runs as usual."""
    settings = settings or get_slack_settings()
    bot = None
    if settings.enabled:
        from service.slack.bot import SlackBot  # slack_bolt is imported only when Slack is configured

        bot = SlackBot(services, settings, api_url=api_url)
    app.state.slack_bot = bot
    if not getattr(app.state, "slack_routes_installed", False):
        app.include_router(router)
        app.state.slack_routes_installed = True
    return bot
