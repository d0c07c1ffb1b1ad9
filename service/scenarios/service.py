"""ScenarioService: currents, checklists, briefings and the signal watch, for the API, the CLI and Slack."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence

from starlette.concurrency import run_in_threadpool

from service.contracts import Briefing, BriefingLength, Checklist, Review, SignalRecord
from service.errors import InvalidRequestError
from service.llm.catalog import EXTRACTIVE
from service.scenarios.briefing import briefing_html, build_briefing
from service.scenarios.checklist import build_checklist, checklist_items, choose_currents, tailored_whys, wants_model
from service.scenarios.currents import Current, extract_currents, find_current
from service.scenarios.explanations import Explanation, explain_signals
from service.scenarios.limits import (
    MAX_CURRENT_NAME_CHARS,
    MAX_CURRENTS,
    MAX_HORIZON_MONTHS,
    MAX_NAME_CHARS,
    MAX_TEXT_CHARS,
    MAX_TOPIC_CHARS,
    MAX_URL_CHARS,
    OBSERVED_AHEAD_DAYS,
    REVIEW_AHEAD_DAYS,
    check_date,
    check_optional_text,
    check_text,
)
from service.scenarios.review import build_review
from service.scenarios.signals import SignalMatcher, SignalStore

BRIEFING_PASSAGES = 10


class ScenarioService:
    def __init__(self, retriever, embedder, answers, gateway, prompts, store: SignalStore, default_model: str):
        self._retriever = retriever
        self._embedder = embedder
        self._answers = answers
        self._gateway = gateway
        self._prompts = prompts
        self.store = store
        self._default_model = default_model
        self._lock = threading.Lock()
        self._loaded: tuple[str, list[Current], SignalMatcher] | None = None

    def _state(self) -> tuple[list[Current], SignalMatcher]:
        """Currents and the trigger matcher of the active index, rebuilt when the index changes."""
        key = self._retriever.active.collection if self._retriever.active else ""
        with self._lock:
            if self._loaded is None or self._loaded[0] != key:
                currents = extract_currents(self._retriever.chunks)
                self._loaded = (key, currents, SignalMatcher(currents, self._embedder))
            return self._loaded[1], self._loaded[2]

    def list_currents(self) -> list[Current]:
        return self._state()[0]

    def get_current(self, name: str) -> Current:
        return find_current(self.list_currents(), name)

    async def checklist(
        self,
        context: str,
        currents: list[str] | None = None,
        horizon_months: int | None = None,
        model: str | None = None,
    ) -> Checklist:
        context = check_text("context", context, MAX_TEXT_CHARS)
        if currents and len(currents) > MAX_CURRENTS:
            raise InvalidRequestError(
                f"Fix the field 'currents': name at most {MAX_CURRENTS} currents.", details={"field": "currents"}
            )
        for name in currents or []:
            check_text("currents", name, MAX_CURRENT_NAME_CHARS)
        if horizon_months is not None and not 1 <= horizon_months <= MAX_HORIZON_MONTHS:
            raise InvalidRequestError(
                f"Fix the field 'horizon_months': use 1 to {MAX_HORIZON_MONTHS} months.",
                details={"field": "horizon_months"},
            )
        all_currents, matcher = await run_in_threadpool(self._state)
        model_alias = wants_model(self._answers.catalog.resolve(model, self._default_model), self._default_model)
        if currents:
            # "Sovereignty", "sovereignty" and its number are one current: each is listed once, in the order first named.
            resolved = {c.name: c for c in (find_current(all_currents, name) for name in currents)}
            chosen: Sequence[tuple[Current, str | None]] = [(current, None) for current in resolved.values()]
        else:
            chosen = await run_in_threadpool(choose_currents, context, all_currents, matcher)
        explanations = await run_in_threadpool(self._explanations, context, [current for current, _ in chosen])
        items = checklist_items(chosen, explanations)
        tailored_by = EXTRACTIVE
        if model_alias:
            whys = await tailored_whys(self._gateway, self._prompts, model_alias, context, items)
            if whys:
                items = [item.model_copy(update={"why_it_matters": why}) for item, why in zip(items, whys, strict=True)]
                tailored_by = model_alias
        return build_checklist(context, chosen, horizon_months, items, tailored_by)

    def _explanations(self, context: str, currents: list[Current]) -> dict[tuple[str, str], Explanation]:
        """Per (current, signal), the sentence of the current's chapter quoted as why the signal matters."""
        return {
            (current.name, signal): explanation
            for current in currents
            for signal, explanation in explain_signals(current, context, self._retriever).items()
        }

    async def briefing(
        self, topic: str, audience: str | None = None, length: BriefingLength = "standard", model: str | None = None
    ) -> Briefing:
        topic = check_text("topic", topic, MAX_TOPIC_CHARS)
        audience = check_optional_text("audience", audience, MAX_NAME_CHARS)
        currents, matcher = await run_in_threadpool(self._state)
        answer = await self._answers.ask(topic, model, topic=True)
        retrieval = await run_in_threadpool(self._retriever.retrieve, topic, BRIEFING_PASSAGES)
        return await run_in_threadpool(
            build_briefing, topic, audience, length, answer, retrieval, self._retriever, matcher, currents
        )

    @staticmethod
    def briefing_html(briefing: Briefing) -> str:
        return briefing_html(briefing)

    def record_signal(
        self, text: str, observed_on: dt.date | None = None, source_url: str | None = None
    ) -> SignalRecord:
        text = check_text("text", text, MAX_TEXT_CHARS)
        observed_on = check_date("observed_on", observed_on, OBSERVED_AHEAD_DAYS)
        source_url = check_optional_text("source_url", source_url, MAX_URL_CHARS)
        _, matcher = self._state()
        matches = [m.as_match() for m in matcher.match(text)]
        return self.store.add(text, observed_on or dt.date.today(), source_url, matches)

    def list_signals(self, since: dt.date | None = None) -> list[SignalRecord]:
        return self.store.list(check_date("since", since, REVIEW_AHEAD_DAYS))

    def review(self, as_of: dt.date | None = None) -> Review:
        as_of = check_date("as_of", as_of, REVIEW_AHEAD_DAYS)
        return build_review(self.list_currents(), self.store.list(limit=100_000), as_of or dt.date.today())
