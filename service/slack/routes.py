"""POST /slack/events: Slack's events, slash commands and button clicks, in the same FastAPI app.

The signature is checked here first, so a forged or replayed request gets the service's JSON error
shape and a 401 without touching Bolt or the answerer; Bolt checks it again (defence in depth).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from fastapi import APIRouter, FastAPI, Request, Response

from service.errors import ServiceError
from service.slack.settings import SlackSettings, get_slack_settings

#: Slack's rule: a request signed more than five minutes ago (or ahead) is a replay.
MAX_AGE_S = 5 * 60

router = APIRouter(tags=["slack"])


class SlackNotConfiguredError(ServiceError):
    code = "slack_not_configured"
    status_code = 404


class SlackSignatureError(ServiceError):
    code = "invalid_slack_signature"
    status_code = 401


class SlackRequestTooOldError(ServiceError):
    code = "stale_slack_request"
    status_code = 401


def verify_slack_request(signing_secret: str, body: bytes, timestamp: str | None, signature: str | None, now: float | None = None) -> None:
    """Slack's v0 scheme: HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret, timestamp within five minutes."""
    try:
        sent_at = int(timestamp or "")
    except ValueError:
        raise SlackSignatureError("Missing or malformed X-Slack-Request-Timestamp: requests must come from Slack, signed.") from None
    if abs((now if now is not None else time.time()) - sent_at) > MAX_AGE_S:
        raise SlackRequestTooOldError("The request timestamp is more than five minutes away from now: replays are refused.")
    expected = "v0=" + hmac.new(signing_secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    if not signature or not hmac.compare_digest(expected, signature):
        raise SlackSignatureError("Missing or wrong X-Slack-Signature: check SLACK_SIGNING_SECRET matches the app's signing secret.")


@router.post(
    "/slack/events",
    summary="Slack events, slash commands and interactivity (signed by Slack)",
    responses={401: {"description": "Missing or wrong signature, or a timestamp older than five minutes"},
               404: {"description": "Slack is not configured (slack_not_configured)"}},
)
async def slack_events(request: Request) -> Response:
    bot = getattr(request.app.state, "slack_bot", None)
    if bot is None:
        raise SlackNotConfiguredError(
            "The Slack bot is not configured: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see the README's Slack section) and restart."
        )
    body = await request.body()  # Starlette caches it; Bolt's handler reads the same bytes
    verify_slack_request(bot.settings.signing_secret.get_secret_value(), body,
                         request.headers.get("x-slack-request-timestamp"), request.headers.get("x-slack-signature"))
    return await bot.handler.handle(request)


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
