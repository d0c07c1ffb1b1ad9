"""Who an idea comes from: "Who came up with blitzscaling?" is answered by the sentence that names the person with it
("Reid Hoffman’s blitzscaling philosophy ..."), when a passage has one."""

from __future__ import annotations

import re

from service.answering import entities
from service.request_frame import FILLERS
from service.text import content_words, indexed_words, split_sentences

#: A question asking who an idea, a term or a framework comes from, and the idea: "Who coined the term creative
#: destruction?", "who first described the Jevons paradox?", "whose idea was blitzscaling?".
_ORIGIN = re.compile(
    FILLERS + r"(?:who\s+(?:first\s+)?(?:came\s+up\s+with|coined|invented|created|developed|originated|proposed|"
    r"introduced|described|formulated|thought\s+up|is\s+behind|was\s+behind|wrote\s+about)|whose\s+"
    r"(?:idea|concept|theory)\s+(?:is|was))\s+(?:the\s+)?(?:(?:idea|concept|term|notion|framework|theory|phrase|"
    r"model)\s+(?:of\s+)?)?(?P<idea>[^?.!]+?)(?:\s+first)?\W*$",
    re.IGNORECASE,
)
#: ... or when it was first described, which the sentence naming who described it says: "When was the Jevons paradox
#: first described?" ("In 1865, economist William Stanley Jevons observed ..."), "when was the term blitzscaling
#: coined?".
_ORIGIN_WHEN = re.compile(
    FILLERS + r"when\s+(?:was|were|did)\s+(?:the\s+)?(?:(?:idea|concept|term|notion|framework|theory|phrase|model)\s+"
    r"(?:of\s+)?)?(?P<idea>[^?.!]+?)\s+(?:first\s+)?(?:described|coined|invented|introduced|proposed|formulated|"
    r"observed|thought\s+up|come\s+up\s+with|originate)\W*$",
    re.IGNORECASE,
)
#: A run of capitalised words, as a person is named: "Reid Hoffman", "William Stanley Jevons", "Schumpeter’s".
_CAPITALISED_RUN = re.compile(r"\b[A-Z][a-z]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][a-z]+)*(?P<possessive>['’]s\b)?")
#: The best passages of the idea searched alone, among which one may name who it comes from.
IDEA_PASSAGES = 3
#: Capitalised words that open a sentence or a clause without naming anyone.
_NOT_NAMES = frozenset(
    "The A An In On At By For From This That These Those It Its But And Or Yet So When While If As Then Today Now".split()
)


def origin_asked(question: str) -> str | None:
    """The idea a question asks the originator of ("blitzscaling" of "Who came up with the idea of blitzscaling?"), or
    when it was first described ("Jevons paradox" of "When was the Jevons paradox first described?"), or None when it
    asks something else."""
    match = _ORIGIN.match(question) or _ORIGIN_WHEN.match(question)
    idea = match.group("idea").strip() if match else ""
    if re.search(r"\bwrote\s+about\b", question, re.IGNORECASE) and entities.named(idea):
        return None  # "who wrote about Meta?": which essay does, not whose idea Meta is
    return idea if content_words(idea) else None


def lowercase_words(chunks: list) -> frozenset[str]:
    """Every word the corpus writes in lower case somewhere: no part of a person's name ("Logic" of "Blitzscaling
    Logic: ..." is "logic" elsewhere; "Hoffman" never is). Kept for the last chunk list asked about."""
    key = id(chunks)
    if _LOWERCASE[0] != key:
        words = {w for chunk in chunks for w in re.findall(r"\b[a-z][a-z]+\b", chunk.text)}
        _LOWERCASE[:] = [key, frozenset(words)]
    return _LOWERCASE[1]


_LOWERCASE: list = [None, frozenset()]


def names_originator(sentence: str, idea: str, context: str = "", lowercase: frozenset[str] = frozenset()) -> bool:
    """Whether the sentence names a person with the idea: it holds the idea's words (with `context`, the passage's
    heading and document title: "In 1865, economist William Stanley Jevons observed ..." under “The Jevons Paradox in
    AI”) and a name of two or more capitalised words, or one with a possessive ("Schumpeter’s"), other than the
    idea's own words, a company's or a place's ("Meta’s blitzscaling bet", "Silicon Valley"), or a word `lowercase`
    (lowercase_words) holds."""
    asked = content_words(idea)
    if not asked or not asked <= indexed_words(sentence) | indexed_words(context):
        return False
    if not asked & indexed_words(sentence):
        return False
    for run in _CAPITALISED_RUN.finditer(sentence):
        words = [w for w in run.group(0).replace("’s", "").replace("'s", "").split() if w not in _NOT_NAMES]
        person = content_words(" ".join(words)) - asked
        if not person or not (len(words) >= 2 or run.group("possessive")):
            continue
        if any(entities.kind_of(w) or w.lower() in lowercase for w in words) or entities.kind_of(" ".join(words)):
            continue
        return True
    return False


def originator_passage(question: str, hits: list, lowercase: frozenset[str]) -> tuple[int, str] | None:
    """The place among the hits of the first passage naming who the idea the question asks about comes from, and
    that sentence; None when the question asks no such thing or no passage names anyone with it."""
    idea = origin_asked(question)
    if idea is None:
        return None
    for place, hit in enumerate(hits):
        chunk = hit.chunk
        context = f"{chunk.section or ''} {chunk.document_title}"
        for sentence in split_sentences(chunk.text):
            if names_originator(sentence, idea, context, lowercase):
                return place, sentence
    return None
