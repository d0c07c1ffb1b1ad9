"""What a comparison asks of each document it names, when it asks each a question of its own.

"How many GPUs does the Platform Paradox credit Meta with, and what size does the Continued Scaling chapter give for
Meta's Abilene cluster?" asks the essay one question and the chapter another: each document is searched for its own
question (with what the message says before them, which frames both), not for the other's too. "Do the Jevons essay
and the flywheel essay agree on ...?" asks both one question, and "The platform paradox essay treats Llama as a sign
of weakness. How does the defensibility essay read it?" asks only one of them: neither has a question of its own.
"""

from __future__ import annotations

import re

from service.text import content_words

#: Where a message's clauses part: the end of a sentence, a colon or semicolon, or a comma or "and" before a new
#: question ("..., and what does ...", "... and which ...").
_CLAUSE_BREAK = re.compile(
    r"(?<=[.?!:;])\s+|(?<!\s),?\s+(?:and|but|while|whereas)\s+(?=(?:what|how|which|why|where|when|who|does|do|did|is|are)\b)|"
    r",\s+(?=(?:what|how|which|why|where|when|who)\b)",
    re.IGNORECASE,
)
#: A clause that asks: opens with a question word or an auxiliary.
_ASKING = re.compile(
    r"^\W*(?:what|how|which|why|where|when|who|does|do|did|is|are|was|were|can|could|will|would|should)\b",
    re.IGNORECASE,
)


def own_questions(question: str, mentions: dict[str, list[tuple[int, int]]]) -> dict[str, str]:
    """Per document, the question the message asks of it alone, after what it says before its questions; {} unless
    every document named has a question of its own: the message parts into clauses (_CLAUSE_BREAK), and two or more
    of them ask (_ASKING), each naming one document, a different one (`mentions`: where the message names each)."""
    clauses = _clauses(question)
    first_asking = next((i for i, (a, b) in enumerate(clauses) if _ASKING.match(question[a:b])), None)
    if first_asking is None:
        return {}
    asked: dict[str, str] = {}
    for start, end in clauses[first_asking:]:
        named = {d for d, spans in mentions.items() for a, _ in spans if start <= a < end}
        if len(named) != 1 or not _ASKING.match(question[start:end]):
            return {}
        document = named.pop()
        if document in asked:
            return {}
        asked[document] = question[start:end].strip()
    if len(asked) != len(mentions) or len(asked) < 2:
        return {}
    frame = question[: clauses[first_asking][0]].strip()
    # the frame alone ("Trace Meta's AI strategy across the corpus:") names what both are asked about
    return {d: f"{frame} {q}".strip() if content_words(frame) else q for d, q in asked.items()}


def _clauses(question: str) -> list[tuple[int, int]]:
    """The spans of the message's clauses: the text between its clause breaks."""
    spans, start = [], 0
    for brk in _CLAUSE_BREAK.finditer(question):
        spans.append((start, brk.start()))
        start = brk.end()
    spans.append((start, len(question)))
    return [(a, b) for a, b in spans if question[a:b].strip()]
