"""SlackBot: a Bolt AsyncApp whose listeners call the same service layer as the HTTP API.

Every listener acknowledges at once (process_before_response=True: the ack function runs to the
end before Slack gets its 200, so it must stay trivial) and does the work in a lazy listener,
which Bolt runs after the acknowledgement. Answers go in a thread under the question; a follow-up
in the thread reads the thread back through conversations.replies, so the service stays stateless.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from service.contracts import Citation
from service.errors import ServiceError
from service.slack import blocks as kit
from service.slack.conversation import MAX_CHARS, Command, parse_command, strip_mentions, thread_history
from service.slack.feedback import AnswerRecord, FeedbackStore
from service.slack.limits import shared_guards
from service.slack.settings import SlackSettings

log = logging.getLogger(__name__)

#: Errors of chat.postMessage that mean "the bot is not in this conversation": answer through response_url instead.
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
#: Messages of a thread fetched for a follow-up (Slack returns the oldest first).
REPLIES_PAGE = 200


@dataclass(frozen=True)
class Reply:
    """What a job produced: the Block Kit message, its plain text, and the record feedback will refer to."""

    blocks: list[dict]
    text: str
    record: AnswerRecord | None = None


class SlackBot:
    def __init__(
        self,
        services,
        settings: SlackSettings,
        *,
        api_url: str | None = None,
        store: FeedbackStore | None = None,
        clock: Callable[[], float] = time.monotonic,
    ):
        if not settings.bot_token:
            raise ValueError("SlackBot needs SLACK_BOT_TOKEN")
        self.services = services
        self.settings = settings
        self.store = store or FeedbackStore(services.database)
        if store is None and settings.feedback_db is not None:  # a feedback file of before the shared database
            services.database.add_legacy_file(settings.feedback_db)
        # In Redis when one is configured: replicas count a user once and answer a retried delivery once.
        self.limiter, self.deliveries = shared_guards(
            getattr(services, "redis", None), settings.rate_limit_per_minute, clock
        )
        client = AsyncWebClient(token=settings.bot_token.get_secret_value(), base_url=api_url or settings.api_url)
        self.app = AsyncApp(
            name="strategy-assistant",
            client=client,
            signing_secret=settings.signing_secret.get_secret_value() if settings.signing_secret else "",
            process_before_response=True,
        )
        self._register()

    # --- wiring --------------------------------------------------------------------------------

    def _register(self) -> None:
        app = self.app
        app.use(self._skip_duplicates)
        app.command(self.settings.command)(ack=self._ack_command, lazy=[self._run_command])
        app.event("app_mention")(ack=self._ack_event, lazy=[self._answer_event])
        app.event({"type": "message", "subtype": None}, matchers=[_direct_message])(
            ack=self._ack_event, lazy=[self._answer_event]
        )
        # Edits, joins, channel chatter, events of other types: acknowledged and left alone (an unhandled event would
        # get a 404, and Slack retries those). Listeners are tried in order: this one is last.
        app.event("message")(self._ignore)
        app.event(re.compile(".*"))(self._ignore)
        app.action(re.compile(f"^({kit.HELPFUL}|{kit.NOT_HELPFUL})$"))(
            ack=self._ack_vote, lazy=[self._thank_for_feedback]
        )

    async def _skip_duplicates(self, body: dict, request, next: Callable[[], Awaitable[None]]):
        """A delivery Slack retries (X-Slack-Retry-Num), or the same message as both app_mention and message.im,
        is answered once: the event id and the message's channel:ts are remembered."""
        if body.get("type") == "event_callback":
            event = body.get("event") or {}
            keys = [f"event:{body.get('event_id')}" if body.get("event_id") else ""]
            if event.get("type") in ("app_mention", "message") and event.get("ts"):
                keys.append(f"message:{event.get('channel')}:{event['ts']}")
            if not self.deliveries.first_time(*keys):
                retry = (request.headers.get("x-slack-retry-num") or [None])[0]
                log.info(
                    "slack: event %s already handled (retry %s); acknowledged without answering",
                    body.get("event_id"),
                    retry,
                )
                return BoltResponse(status=200, body="", headers={"x-slack-no-retry": "1"})
        await next()

    async def _ignore(self) -> None:
        return None

    def _rate_key(self, context, user: str | None) -> str:
        return f"{context.team_id or context.enterprise_id or '-'}:{user or '-'}"

    # --- questions by mention or direct message ----------------------------------------------------

    async def _ack_event(self, ack, event: dict, context) -> None:
        await ack()
        context["strategy_wait_s"] = self.limiter.hit(self._rate_key(context, event.get("user")))

    async def _answer_event(self, event: dict, context, client: AsyncWebClient) -> None:
        channel, ts, user = event["channel"], event["ts"], event.get("user")
        thread_ts = event.get("thread_ts") or ts
        wait = context.get("strategy_wait_s")
        if wait is not None:
            await self._ephemeral(client, channel, user, thread_ts, kit.rate_limited_text(self.limiter.limit, wait))
            return
        question = strip_mentions(event.get("text", ""))
        if not question:
            await self._post(client, channel, thread_ts, kit.help_blocks(), "How to ask me")
            return
        if len(question) > MAX_CHARS["ask"]:
            text = f"A question takes at most {MAX_CHARS['ask']:,} characters (this is {len(question):,}): please shorten it."
            await self._post(client, channel, thread_ts, [kit.section(text)], text)
            return
        history = None
        if event.get("thread_ts") and event["thread_ts"] != ts:
            history = await self._thread_history(client, context, channel, event["thread_ts"], ts)
        job = Command("ask", question)
        reply = await self._produce(
            job,
            answer_id=f"{channel}-{ts}",
            channel=channel,
            thread_ts=thread_ts,
            user=user,
            team=context.team_id,
            history=history,
        )
        await self._post(client, channel, thread_ts, reply.blocks, reply.text)

    async def _thread_history(
        self, client: AsyncWebClient, context, channel: str, thread_ts: str, before_ts: str
    ) -> list[dict] | None:
        try:
            page = await client.conversations_replies(
                channel=channel, ts=thread_ts, limit=REPLIES_PAGE, include_all_metadata=True
            )
        except SlackApiError as exc:  # a missing *:history scope: answer the question on its own rather than not at all
            log.warning(
                "slack: conversations.replies failed (%s); answering without the thread", exc.response.get("error")
            )
            return None
        turns = thread_history(
            page.get("messages", []),
            bot_user_id=context.bot_user_id,
            bot_id=context.bot_id,
            before_ts=before_ts,
            limit=self.settings.thread_history,
        )
        return turns or None

    # --- the slash command -------------------------------------------------------------------------

    async def _ack_command(self, ack, command: dict, context) -> None:
        parsed = parse_command(command.get("text", ""))
        if parsed.kind == "help" or parsed.problem:
            intro = [kit.section(f":information_source: {parsed.problem}")] if parsed.problem else []
            await ack(
                text=parsed.problem or f"How to use {self.settings.command}",
                blocks=intro + kit.help_blocks(),
                response_type="ephemeral",
            )
            return
        wait = self.limiter.hit(self._rate_key(context, command.get("user_id")))
        if wait is not None:
            await ack(text=kit.rate_limited_text(self.limiter.limit, wait), response_type="ephemeral")
            return
        context["strategy_command"] = {"kind": parsed.kind, "text": parsed.text, "currents": parsed.currents}
        await ack()

    async def _run_command(self, command: dict, context, client: AsyncWebClient, respond) -> None:
        parsed = context.get("strategy_command")
        if not parsed:  # answered by the acknowledgement (help, usage, rate limit)
            return
        job = Command(parsed["kind"], parsed["text"], parsed["currents"])
        channel, user = command["channel_id"], command["user_id"]
        try:
            posted = await client.chat_postMessage(
                channel=channel,
                text=kit.question_text(user, job.kind, job.text),
                blocks=kit.question_blocks(user, job.kind, job.text),
                metadata={"event_type": kit.QUESTION_EVENT, "event_payload": {"kind": job.kind, "question": job.text}},
            )
        except SlackApiError as exc:
            # No thread to answer in (most often the bot is not in this conversation): answer privately
            # through the command's response_url instead.
            error = exc.response.get("error")
            log.warning("slack: could not post the question in %s (%s); answering through response_url", channel, error)
            reply = await self._produce(
                job,
                answer_id=f"{channel}-{command['trigger_id']}",
                channel=channel,
                thread_ts=None,
                user=user,
                team=context.team_id,
            )
            extra = []
            if error in NOT_A_MEMBER:
                extra = [
                    kit.context(
                        "Invite me to this conversation (`/invite @Strategy`) to get answers in a thread everyone can see."
                    )
                ]
            await respond(
                text=reply.text, blocks=[*reply.blocks, *extra], response_type="ephemeral", replace_original=False
            )
            return
        thread_ts = posted["ts"]
        reply = await self._produce(
            job,
            answer_id=f"{channel}-{thread_ts}",
            channel=channel,
            thread_ts=thread_ts,
            user=user,
            team=context.team_id,
        )
        await self._post(client, channel, thread_ts, reply.blocks, reply.text)

    # --- the jobs: one call into the service layer each ------------------------------------------------

    async def _produce(
        self,
        job: Command,
        *,
        answer_id: str,
        channel: str,
        thread_ts: str | None,
        user: str | None,
        team: str | None,
        history: list[dict] | None = None,
    ) -> Reply:
        """Run one job; a failure becomes an apology to post, never silence."""
        try:
            reply = await self._run_job(job, answer_id, history)
        except ServiceError as exc:
            log.warning("slack: %s failed: %s (%s)", job.kind, exc.code, exc.message)
            return Reply(kit.apology_blocks(exc), kit.apology_text(exc))
        except Exception as exc:
            log.exception("slack: %s failed", job.kind)
            return Reply(kit.apology_blocks(exc), kit.apology_text(exc))
        if reply.record is not None:
            record = dataclasses.replace(reply.record, channel=channel, thread_ts=thread_ts, user=user, team=team)
            try:
                await asyncio.to_thread(self.store.record_answer, record)
            except Exception:  # the answer still goes out; only its feedback would lack context
                log.exception("slack: could not store answer %s", answer_id)
        return reply

    async def _run_job(self, job: Command, answer_id: str, history: list[dict] | None) -> Reply:
        model = self.settings.model
        if job.kind == "ask":
            answer = await self.services.answers.ask(job.text, model, history)
            record = self._record(
                answer_id, "ask", job.text, answer.answer, answer.supported, answer.citations, answer.model
            )
            return Reply(kit.answer_blocks(answer, answer_id), answer.answer, record)
        scenarios = self.services.scenarios
        if job.kind == "checklist":
            checklist = await scenarios.checklist(job.text, job.currents or None, model=model)
            citations = [item.citation for item in checklist.items]
            record = self._record(
                answer_id, "checklist", job.text, checklist.markdown, True, citations, checklist.model
            )
            return Reply(kit.checklist_blocks(checklist, answer_id), checklist.markdown, record)
        if job.kind == "brief":
            briefing = await scenarios.briefing(job.text, model=model)
            record = self._record(
                answer_id,
                "brief",
                job.text,
                briefing.markdown,
                briefing.supported,
                briefing.citations,
                briefing.model,
            )
            return Reply(kit.briefing_blocks(briefing, answer_id), briefing.markdown, record)
        if job.kind == "signal":
            result = await asyncio.to_thread(scenarios.record_signal, job.text)
            citations = [m.citation for m in result.matches]
            summary = "; ".join(f"{m.current}: {m.signal}" for m in result.matches) or "no trigger signal matched"
            record = self._record(
                answer_id, "signal", job.text, summary, bool(result.matches), citations, "signal-watch"
            )
            return Reply(kit.signal_blocks(result, answer_id), f"Signal logged — {summary}", record)
        if job.kind == "currents":
            currents = await asyncio.to_thread(scenarios.list_currents)
            return Reply(
                kit.currents_blocks(currents), "The booklet's currents: " + ", ".join(c.name for c in currents)
            )
        raise ValueError(f"unknown job {job.kind!r}")

    @staticmethod
    def _record(
        answer_id: str, kind: str, question: str, answer: str, supported: bool, citations: list[Citation], model: str
    ) -> AnswerRecord:
        """Where it was asked is filled in by _produce."""
        return AnswerRecord(
            id=answer_id,
            kind=kind,
            channel="",
            question=question,
            answer=answer,
            supported=supported,
            citations=[c.model_dump(mode="json") for c in citations],
            model=model,
        )

    # --- feedback ------------------------------------------------------------------------------------

    async def _ack_vote(self, ack, body: dict, action: dict, context) -> None:
        """The vote is stored before Slack hears it arrived: one user's clicks land in the order they were made
        (stored by lazy listeners running side by side, a changed mind could be overwritten by the first click)."""
        rating = "helpful" if action["action_id"] == kit.HELPFUL else "not_helpful"
        try:
            known = await asyncio.to_thread(
                self.store.record_feedback, action.get("value") or "", _user_id(body), rating
            )
        except ServiceError as exc:  # the database is down: acknowledge anyway (Slack would retry, then show an error)
            log.warning("slack: could not store the vote on %s: %s (%s)", action.get("value"), exc.code, exc.message)
            known = True
        if not known:
            log.warning("slack: feedback on an answer this store does not hold (%s)", action.get("value"))
        context["strategy_rating"] = rating
        await ack()

    async def _thank_for_feedback(self, body: dict, context, client: AsyncWebClient) -> None:
        message = body.get("message") or {}
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        if channel and context.get("strategy_rating"):
            await self._ephemeral(
                client,
                channel,
                _user_id(body),
                message.get("thread_ts") or message.get("ts"),
                kit.thanks_text(context["strategy_rating"]),
            )

    # --- posting -------------------------------------------------------------------------------------

    async def _post(self, client: AsyncWebClient, channel: str, thread_ts: str, blocks: list[dict], text: str) -> None:
        text = kit.clip(text, kit.TEXT_LIMIT)
        try:
            await client.chat_postMessage(
                channel=channel, thread_ts=thread_ts, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
            )
        except SlackApiError as exc:  # Slack refused the blocks: the plain text still reaches the thread
            log.error("slack: chat.postMessage with blocks failed (%s); posting plain text", exc.response.get("error"))
            await client.chat_postMessage(channel=channel, thread_ts=thread_ts, text=text)

    async def _ephemeral(
        self, client: AsyncWebClient, channel: str, user: str | None, thread_ts: str | None, text: str
    ) -> None:
        if user is None:  # an ephemeral message is shown to one user: without one there is no one to show it to
            return
        try:
            await client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread_ts, text=text)
        except SlackApiError as exc:
            log.warning("slack: chat.postEphemeral failed (%s)", exc.response.get("error"))


def _user_id(body: dict) -> str:
    user = body.get("user")
    return (user.get("id") if isinstance(user, dict) else user) or "-"


async def _direct_message(event: dict) -> bool:
    """A person's message in a direct conversation with the bot (channels need a mention)."""
    return event.get("channel_type") == "im" and not event.get("bot_id") and bool(event.get("user"))


def socket_mode_handler(bot: SlackBot, app_token: str):
    """Bolt's Socket Mode adapter for the same app: no public URL, Slack holds the WebSocket open."""
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    return AsyncSocketModeHandler(bot.app, app_token)


async def run_socket_mode(bot: SlackBot, app_token: str) -> None:
    handler = socket_mode_handler(bot, app_token)
    try:
        await handler.start_async()
    finally:
        await handler.close_async()
