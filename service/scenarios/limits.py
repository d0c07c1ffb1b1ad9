"""What the scenario tools accept, checked in the service so the API, the CLI and Slack apply the same limits."""

from __future__ import annotations

import datetime as dt

from service.errors import InvalidRequestError

#: A situation (checklist) or a piece of news (signal): a paragraph, not a document.
MAX_TEXT_CHARS = 4000
#: A briefing topic, as long as a question.
MAX_TOPIC_CHARS = 2000
MAX_NAME_CHARS = 200
MAX_CURRENT_NAME_CHARS = 100
MAX_CURRENTS = 6
MAX_URL_CHARS = 2000
MAX_HORIZON_MONTHS = 120

#: The watch log is about the generative-AI era: a date before this is a typo (or a number read as a Unix time).
EARLIEST_DATE = dt.date(2000, 1, 1)
#: A signal is observed on or before today (a day ahead for time zones); a review may be drafted ahead for a year.
OBSERVED_AHEAD_DAYS = 1
REVIEW_AHEAD_DAYS = 366
DATE_FORMAT_HINT = "a calendar date written YYYY-MM-DD, e.g. 2025-03-31"


def latest_date(ahead_days: int) -> dt.date:
    return dt.date.today() + dt.timedelta(days=ahead_days)


def date_problem(value: dt.date, ahead_days: int) -> str | None:
    """Why this date is implausible, or None."""
    latest = latest_date(ahead_days)
    if EARLIEST_DATE <= value <= latest:
        return None
    return f"{value.isoformat()} is out of range: use {DATE_FORMAT_HINT}, between {EARLIEST_DATE.isoformat()} and {latest.isoformat()}"


def check_date(field: str, value: dt.date | None, ahead_days: int) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise InvalidRequestError(f"Fix the field '{field}': use {DATE_FORMAT_HINT}.", details={"field": field})
    problem = date_problem(value, ahead_days)
    if problem:
        raise InvalidRequestError(f"Fix the field '{field}': {problem}.", details={"field": field})
    return value


def check_text(field: str, value: str, limit: int) -> str:
    """Non-blank text of at most `limit` characters, stripped."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequestError(f"Fix the field '{field}': write some text.", details={"field": field})
    text = value.strip()
    if len(text) > limit:
        raise InvalidRequestError(
            f"Fix the field '{field}': at most {limit:,} characters are accepted (this is {len(text):,}); shorten it.",
            details={"field": field, "max_chars": limit, "chars": len(text)},
        )
    return text


def check_optional_text(field: str, value: str | None, limit: int) -> str | None:
    return None if value is None or not str(value).strip() else check_text(field, value, limit)
