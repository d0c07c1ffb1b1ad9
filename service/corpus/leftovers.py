"""Scrape leftovers: lines of the raw sources that are page furniture, not the authors' text.

They stay in corpus/ (each document is a verbatim slice of its source), but ingest marks them
non-content: no chunk holds them, so they are never indexed, retrieved or quoted. The rules look at
the form of one line only (a "Keywords:" prefix, an instruction to click, a call to subscribe), never
at which document it is in, so a newly scraped source is cleaned the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: A Markdown list, quote or heading marker in front of a line, ignored when a rule looks at the line.
_LINE_MARKER = re.compile(r"^\s*(?:[-*+]\s+|\d+[.)]\s+|>\s?|#{1,6}\s+)?")


@dataclass(frozen=True)
class LeftoverRule:
    name: str
    pattern: re.Pattern
    #: The rule applies only to lines of at most this many words (a call to action is short; prose is not).
    max_words: int = 40


#: Every rule, in one place. A line matching any of them is not content.
LEFTOVER_RULES: tuple[LeftoverRule, ...] = (
    # "Keywords: blitzscaling, Reid Hoffman, GPU race, ..." (SEO tags under a blog post)
    LeftoverRule("keyword line", re.compile(r"^(?:Keywords|Tags|Topics)\s*:", re.IGNORECASE), max_words=80),
    # "Click any card to flip it and see what happened." (an instruction to a widget the scrape dropped)
    LeftoverRule(
        "interface instruction",
        re.compile(
            r"^(?:Click|Tap|Hover(?: over)?|Swipe|Scroll|Drag|Toggle)\b.{0,80}\b(?:card|cards|button|chart|tab|image|icon|slider|below|above|here|flip|expand|reveal)\b",
            re.IGNORECASE,
        ),
        max_words=20,
    ),
    # "If you're new, start with the first post and subscribe to be notified ..." / "Join the newsletter"
    LeftoverRule(
        "subscription promo",
        re.compile(
            r"^(?:Join|Subscribe|Sign up)\b|\b(?:subscribe|sign up|newsletter)\b.*\byou|\byou.*\b(?:subscribe|sign up|newsletter)\b",
            re.IGNORECASE,
        ),
        max_words=30,
    ),
    # "Share on X", "Share this:", "Tweet | Share | Email"
    LeftoverRule(
        "share buttons",
        re.compile(
            r"^(?:Share|Tweet|Email|Print|Like)(?:\s+(?:this|on \w+|via \w+))?[\s:|·•,]*(?:(?:Share|Tweet|Email|Print|Like|Facebook|Twitter|LinkedIn|X|Reddit)[\s|·•,]*)*$",
            re.IGNORECASE,
        ),
    ),
    # "Full research and data: publications.example.com" (a label pointing at a bare web address)
    LeftoverRule(
        "link-out line",
        re.compile(r"^[^:.]{1,60}:\s*(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?\s*$", re.IGNORECASE),
        max_words=12,
    ),
    # "© 2026 Robert Barcik · ..."
    LeftoverRule(
        "copyright footer", re.compile(r"^(?:©|\(c\)\s|Copyright\s+(?:©|\(c\)|\d{4}))", re.IGNORECASE), max_words=25
    ),
    # "—" or "* * *" between the article and its footer
    LeftoverRule("separator", re.compile(r"^[\s—–\-_*=~·•]+$")),
)


def leftover_rule(line: str) -> str | None:
    """The name of the rule that marks this line as a scrape leftover, or None for content."""
    text = _LINE_MARKER.sub("", line, count=1).strip()
    if not text and not line.strip():
        return None  # a blank line separates blocks; it is neither content nor leftover
    if not text:
        return "separator"  # a list or quote marker with nothing after it
    words = len(text.split())
    for rule in LEFTOVER_RULES:
        if words <= rule.max_words and rule.pattern.search(text):
            return rule.name
    return None


def is_leftover(line: str) -> bool:
    return leftover_rule(line) is not None
