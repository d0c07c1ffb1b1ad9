"""ScenarioService: currents, checklists, briefings and the signal watch, for the API, the CLI and Slack."""

from __future__ import annotations

import datetime as dt
import threading

from starlette.concurrency import run_in_threadpool

from service.scenarios.briefing import briefing_html, build_briefing
from service.scenarios.checklist import build_checklist, checklist_markdown, choose_currents, tailored_whys, wants_model
from service.scenarios.currents import Current, extract_currents, find_current
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

    async def checklist(self, context: str, currents: list[str] | None = None, horizon_months: int | None = None, model: str | None = None) -> dict:
        all_currents, matcher = await run_in_threadpool(self._state)
        model_alias = wants_model(self._answers.catalog.resolve(model, self._default_model), self._default_model)
        if currents:
            chosen = [(find_current(all_currents, name), None) for name in dict.fromkeys(currents)]
        else:
            chosen = await run_in_threadpool(choose_currents, context, all_currents, matcher)
        checklist = build_checklist(context, chosen, horizon_months)
        checklist["model"] = "extractive"
        if model_alias:
            whys = await tailored_whys(self._gateway, self._prompts, model_alias, context, checklist["items"])
            if whys:
                for item, why in zip(checklist["items"], whys):
                    item["why_it_matters"] = why
                checklist["model"] = model_alias
        checklist["markdown"] = checklist_markdown(checklist)
        return checklist

    async def briefing(self, topic: str, audience: str | None = None, length: str = "standard", model: str | None = None) -> dict:
        currents, matcher = await run_in_threadpool(self._state)
        answer = (await self._answers.ask(topic, model)).to_dict()
        retrieval = await run_in_threadpool(self._retriever.retrieve, topic, BRIEFING_PASSAGES)
        return await run_in_threadpool(build_briefing, topic, audience, length, answer, retrieval, self._retriever, matcher, currents)

    @staticmethod
    def briefing_html(briefing: dict) -> str:
        return briefing_html(briefing)

    def record_signal(self, text: str, observed_on: dt.date | None = None, source_url: str | None = None) -> dict:
        _, matcher = self._state()
        matches = [m.to_dict() for m in matcher.match(text)]
        return self.store.add(text, observed_on or dt.date.today(), source_url, matches)

    def list_signals(self, since: dt.date | None = None) -> list[dict]:
        return self.store.list(since)

    def review(self, as_of: dt.date | None = None) -> dict:
        return build_review(self.list_currents(), self.store.list(limit=100_000), as_of or dt.date.today())
