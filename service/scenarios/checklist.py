"""Trigger checklists: the booklet's own signals, verbatim and cited, for the user's situation."""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.contracts import Checklist, ChecklistCurrent, ChecklistItem, ReviewCadence
from service.llm.catalog import EXTRACTIVE
from service.scenarios.currents import Current, TriggerSignal, find_current
from service.scenarios.documents import render
from service.scenarios.explanations import Explanation
from service.scenarios.signals import SignalMatcher

#: The booklet's method: review quarterly, retire a current whose triggers stay quiet this long.
REVIEW_CADENCE = "quarterly"
RETIRE_AFTER_MONTHS = 18
#: With no current named: the closest one, and up to two more whose signals match the context as a news line
#: would match them (the signal watch's threshold) or score within this margin of the closest.
MAX_CHOSEN = 3
CHOICE_MARGIN = 0.08
#: When the chapter holds no sentence beyond its trigger list (a corpus being written, say).
NO_EXPLANATION = "The {current} chapter says no more about this signal than its trigger list."


def choose_currents(context: str, currents: list[Current], matcher: SignalMatcher) -> list[tuple[Current, str]]:
    """The currents whose signals are closest to the context, each with the reason it was chosen."""
    best_by_current: dict[str, tuple[float, TriggerSignal]] = {}
    for match in matcher.scores(context):
        best_by_current.setdefault(match.trigger.current, (match.score, match.trigger))
    ranked = sorted(best_by_current.items(), key=lambda kv: -kv[1][0])
    top = ranked[0][1][0]
    chosen = []
    for rank, (name, (score, trigger)) in enumerate(ranked[:MAX_CHOSEN]):
        if rank == 0:
            chosen.append(
                (
                    find_current(currents, name),
                    f"its signal “{trigger.signal}” is the closest of the booklet's signals to this context",
                )
            )
        elif score >= min(top - CHOICE_MARGIN, matcher.config.threshold):
            chosen.append((find_current(currents, name), f"its signal “{trigger.signal}” also bears on this context"))
    return chosen


async def tailored_whys(gateway, prompts, model: str, context: str, items: list[ChecklistItem]) -> list[str] | None:
    """One sentence per item from a model, grounded in the passage each item quotes; None when the model fails
    or answers in another shape."""
    try:
        completion = await gateway.complete(
            model, [{"role": "user", "content": prompts.render("why_it_matters", context=context, items=items)}]
        )
    except Exception:  # the checklist stands without tailoring; the signals never depended on the model
        return None
    lines = {
        int(m.group(1)): m.group(2).strip()
        for m in re.finditer(r"^\s*(\d+)[.)]\s*(.+)$", completion.text, re.MULTILINE)
    }
    if not all(n in lines for n in range(1, len(items) + 1)):
        return None
    return [lines[n] for n in range(1, len(items) + 1)]


def checklist_items(
    chosen: Sequence[tuple[Current, str | None]], explanations: dict[tuple[str, str], Explanation]
) -> list[ChecklistItem]:
    """Every signal of the chosen currents; `explanations`: per (current, signal), the chapter sentence quoted as why
    it matters."""
    items = []
    for current, _ in chosen:
        for signal in current.signals:
            explanation = explanations.get((current.name, signal.signal))
            items.append(
                ChecklistItem(
                    current=current.name,
                    signal=signal.signal,
                    kind=signal.kind,
                    # The booklet's own sentence; a model alias may replace it with a tailored one (service.py).
                    why_it_matters=f"“{explanation.sentence}”"
                    if explanation
                    else NO_EXPLANATION.format(current=current.name),
                    why_citation=explanation.citation if explanation else None,
                    citation=signal.citation,
                )
            )
    return items


def build_checklist(
    context: str,
    chosen: Sequence[tuple[Current, str | None]],
    horizon_months: int | None,
    items: list[ChecklistItem],
    model: str,
) -> Checklist:
    checklist = Checklist(
        title="Trigger checklist: " + ", ".join(c.name for c, _ in chosen),
        context=context,
        horizon_months=horizon_months,
        currents=[ChecklistCurrent(name=c.name, framing_question=c.framing_question, reason=r) for c, r in chosen],
        items=items,
        review=ReviewCadence(cadence=REVIEW_CADENCE, retire_after_months=RETIRE_AFTER_MONTHS),
        model=model,
        markdown="",
    )
    return checklist.model_copy(update={"markdown": checklist_markdown(checklist)})


def checklist_markdown(checklist: Checklist) -> str:
    """The signals are sources 1..N, in order; the passages quoted as why they matter follow, each once."""
    items = checklist.items
    sources = [{"number": n, "citation": item.citation} for n, item in enumerate(items, 1)]
    numbered, why_numbers = [], {}
    for n, item in enumerate(items, 1):
        why = item.why_citation
        why_number = None
        if why:
            key = (why.chunk_id, why.quote)
            if key not in why_numbers:
                why_numbers[key] = len(sources) + 1
                sources.append({"number": why_numbers[key], "citation": why})
            why_number = why_numbers[key]
        numbered.append({**dict(item), "number": n, "why_number": why_number})
    return render("checklist.md.j2", **{**dict(checklist), "items": numbered, "sources": sources})


def wants_model(model: str | None, default: str) -> str | None:
    alias = model or default
    return None if alias == EXTRACTIVE else alias
