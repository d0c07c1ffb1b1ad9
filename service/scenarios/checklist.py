"""Trigger checklists: the booklet's own signals, verbatim and cited, for the user's situation."""

from __future__ import annotations

import re

from service.llm.catalog import EXTRACTIVE
from service.scenarios.currents import Current, TriggerSignal, find_current
from service.scenarios.documents import render
from service.scenarios.signals import SignalMatcher

#: The booklet's method: review quarterly, retire a current whose triggers stay quiet this long.
REVIEW_CADENCE = "quarterly"
RETIRE_AFTER_MONTHS = 18
#: With no current named: at most this many, those scoring within this margin of the best.
MAX_CHOSEN = 3
CHOICE_MARGIN = 0.08


def choose_currents(context: str, currents: list[Current], matcher: SignalMatcher) -> list[tuple[Current, str]]:
    """The currents whose signals are closest to the context, each with the reason it was chosen."""
    best_by_current: dict[str, tuple[float, TriggerSignal]] = {}
    for match in matcher.scores(context):
        best_by_current.setdefault(match.trigger.current, (match.score, match.trigger))
    ranked = sorted(best_by_current.items(), key=lambda kv: -kv[1][0])
    top = ranked[0][1][0]
    chosen = []
    for name, (score, trigger) in ranked[:MAX_CHOSEN]:
        if score >= top - CHOICE_MARGIN:
            reason = f"its signal “{trigger.signal}” is the closest to this context (score {score:.2f})"
            chosen.append((find_current(currents, name), reason))
    return chosen


def default_why(item: TriggerSignal, current: Current, context: str) -> str:
    situation = context if len(context) <= 80 else context[:77].rsplit(" ", 1)[0] + "…"
    if item.kind == "counter-trigger":
        return f"If it fires, the {current.name} current is weakening: re-check what your plan (“{situation}”) counts on from it."
    framing = f" ({current.framing_question})" if current.framing_question else ""
    return f"If it fires, the {current.name} current{framing} is gaining force: revisit what your plan (“{situation}”) assumes about it."


async def tailored_whys(gateway, prompts, model: str, context: str, items: list[dict]) -> list[str] | None:
    """One sentence per item from a model; None when the model fails or answers in another shape."""
    try:
        completion = await gateway.complete(model, [{"role": "user", "content": prompts.render("why_it_matters", context=context, items=items)}])
    except Exception:  # the checklist stands without tailoring; the signals never depended on the model
        return None
    lines = {int(m.group(1)): m.group(2).strip() for m in re.finditer(r"^\s*(\d+)[.)]\s*(.+)$", completion.text, re.MULTILINE)}
    if not all(n in lines for n in range(1, len(items) + 1)):
        return None
    return [lines[n] for n in range(1, len(items) + 1)]


def build_checklist(context: str, chosen: list[tuple[Current, str | None]], horizon_months: int | None) -> dict:
    items = []
    for current, _ in chosen:
        for signal in current.signals:
            items.append(
                {
                    "current": current.name,
                    "signal": signal.signal,
                    "kind": signal.kind,
                    "why_it_matters": default_why(signal, current, context),
                    "citation": signal.citation.model_dump(),
                }
            )
    title = "Trigger checklist: " + ", ".join(c.name for c, _ in chosen)
    return {
        "title": title,
        "context": context,
        "horizon_months": horizon_months,
        "currents": [{"name": c.name, "framing_question": c.framing_question, "reason": r} for c, r in chosen],
        "items": items,
        "review": {"cadence": REVIEW_CADENCE, "retire_after_months": RETIRE_AFTER_MONTHS},
    }


def checklist_markdown(checklist: dict) -> str:
    numbered = [{**item, "number": n} for n, item in enumerate(checklist["items"], 1)]
    return render("checklist.md.j2", **{**checklist, "items": numbered})


def wants_model(model: str | None, default: str) -> str | None:
    alias = model or default
    return None if alias == EXTRACTIVE else alias
