"""The quarterly review draft: which triggers fired and when, which currents are candidates to retire."""

from __future__ import annotations

import datetime as dt

from service.contracts import CurrentReview, FiredSignal, Review, SignalKind, SignalRecord
from service.scenarios.checklist import RETIRE_AFTER_MONTHS
from service.scenarios.currents import Current
from service.scenarios.documents import render


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    return dt.date(year, month + 1, min(day.day, 28))


def build_review(
    currents: list[Current], signals: list[SignalRecord], as_of: dt.date, quiet_months: int = RETIRE_AFTER_MONTHS
) -> Review:
    signals = [s for s in signals if s.observed_on <= as_of.isoformat()]
    watching_since = min((s.observed_on for s in signals), default=None)
    quarter_start = months_before(as_of, 3).isoformat()
    quiet_since = months_before(as_of, quiet_months).isoformat()
    watched_long_enough = watching_since is not None and watching_since <= quiet_since

    summary: list[CurrentReview] = []
    decisions = []
    for current in currents:
        observed: dict[str, list[str]] = {}  # per signal of this current, the days news matched it
        kinds: dict[str, SignalKind] = {}
        for record in signals:
            for match in record.matches:
                if match.current == current.name:
                    observed.setdefault(match.signal, []).append(record.observed_on)
                    kinds.setdefault(match.signal, match.kind)
        fired = [
            FiredSignal(
                signal=signal,
                kind=kinds[signal],
                count=len(days),
                first_observed=min(days),
                last_observed=max(days),
                in_quarter=max(days) >= quarter_start,
            )
            for signal, days in observed.items()
        ]
        triggers_fired = [f for f in fired if f.kind == "trigger"]
        last_fired = max((f.last_observed for f in triggers_fired), default=None)
        if last_fired and last_fired >= quiet_since:
            status = "active" if any(f.in_quarter for f in triggers_fired) else "fired before this quarter"
        elif watched_long_enough:
            status = f"quiet for {quiet_months}+ months: candidate to retire"
            decisions.append(f"Retire or rethink {current.name}: none of its triggers fired since {quiet_since}.")
        else:
            status = "quiet so far"
        if any(f.kind == "counter-trigger" and f.in_quarter for f in fired):
            decisions.append(
                f"{current.name}: a counter-trigger fired this quarter; check what the current's plans assume."
            )
        if any(f.kind == "trigger" and f.in_quarter for f in fired):
            decisions.append(f"{current.name}: triggers fired this quarter; adjust the plans that depend on it.")
        summary.append(
            CurrentReview(
                name=current.name,
                status=status,
                last_trigger_fired=last_fired,
                fired=sorted(fired, key=lambda f: f.last_observed, reverse=True),
            )
        )
    if not watched_long_enough:
        decisions.append(
            f"The watch has run since {watching_since or 'today'}; no current can be called quiet for {quiet_months} months yet."
        )
    review = Review(
        as_of=as_of.isoformat(),
        quiet_months=quiet_months,
        watching_since=watching_since,
        total_signals=len(signals),
        currents=summary,
        retire_candidates=[c.name for c in summary if c.status.startswith("quiet for")],
        decisions=decisions or ["No trigger fired this quarter: keep the plans and the watch as they are."],
        markdown="",
    )
    return review.model_copy(update={"markdown": render("review.md.j2", **dict(review))})
