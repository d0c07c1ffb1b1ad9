"""How a trigger signal is read for matching news, by the kind of signal it is.

The booklet writes its signals for strategists, news is written for everybody, and a small embedding
model bridges the two badly in three recurring ways, each handled here for every signal of that kind:

- Signals that lean on jargon or named examples ("capex", "AUP", "CoreWeave-style", "H100"): a headline
  says "capital spending", "usage policy", "a GPU cloud". The matcher reads the jargon with its plain words.
- Signals with an elaboration (an em-dash clause, examples in parentheses): the core claim is compared
  on its own too, so an example ("the $500B+ revenue gap begins to close") cannot outweigh the claim.
- Trend signals, where a quantity rises or falls ("capex guidance continues rising", "flattens or
  declines"): embeddings barely tell up from down, so a news line moving the other way is held back.
"""

from __future__ import annotations

import re
from functools import partial

from service.text import stems, words_of

#: The booklet's abbreviations and named examples, with the words a news line would use instead.
JARGON: dict[str, str] = {
    "capex": "capital spending",
    "Hyperscaler": "big cloud provider such as Alphabet, Amazon, Microsoft or Meta",  # the booklet's own "Big Five"
    "IPO": "stock market listing",
    "AUP": "acceptable-use policy",
    "GPAI": "general-purpose AI models",
    "ROI": "return on investment",
    "CN": "China",
    "H1": "first half of the year",
    "H100": "Nvidia GPU",
    "CoreWeave": "GPU cloud provider",
    "Inflection": "AI startup",
    "Character.AI": "AI startup",
    "NYT": "New York Times",
    "MLOps": "machine-learning operations",
}
_JARGON = [
    (re.compile(rf"(?<![\w.]){re.escape(term)}(?!\w)", re.IGNORECASE), term, plain) for term, plain in JARGON.items()
]

#: Words that move a quantity up or down (or a business into failure), compared by stem.
RISING = frozenset(
    stems(
        [
            "rise",
            "raise",
            "lift",
            "increase",
            "grow",
            "growth",
            "jump",
            "surge",
            "soar",
            "climb",
            "accelerate",
            "expand",
            "boost",
            "gain",
            "higher",
        ]
    )
)
FALLING = frozenset(
    stems(
        [
            "fall",
            "drop",
            "decline",
            "slump",
            "slide",
            "slip",
            "plunge",
            "tumble",
            "sink",
            "cut",
            "lower",
            "reduce",
            "shrink",
            "slow",
            "decelerate",
            "flatten",
            "flat",
            "correct",
            "correction",
            "fail",
            "failure",
            "shut",
            "collapse",
            "default",
            "bankrupt",
            "bankruptcy",
            "writedown",
            "loss",
            "lose",
        ]
    )
)


def plain_words(text: str) -> str:
    """The text with each piece of jargon followed by its plain words in parentheses."""
    for pattern, _, plain in _JARGON:
        text = pattern.sub(partial(_followed_by, plain), text)
    return text


def _followed_by(plain: str, match: re.Match[str]) -> str:
    return f"{match.group(0)} ({plain})"


def core_claim(signal: str) -> str:
    """The signal without its examples in parentheses and without the elaboration after an em dash."""
    without_examples = re.sub(r"\s*\([^)]*\)", "", signal)
    return without_examples.split(" — ")[0].strip() or signal


def direction(text: str) -> int:
    """+1 when the text says something rises, -1 when it falls or fails (a slowing growth falls), 0 otherwise."""
    found = set(stems(words_of(text)))
    if found & FALLING:
        return -1
    return 1 if found & RISING else 0
