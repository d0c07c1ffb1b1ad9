"""What an acronym stands for: "What does RLVR stand for?" is answered by the sentence that spells it out ("optimized
for RLVR (Reinforcement Learning via Verification and Results)"), when the corpus has one."""

from __future__ import annotations

import re

from service.corpus.chunking import Chunk
from service.text import STOPWORDS, split_sentences

#: A question asking what an acronym or abbreviation stands for, and the acronym: "What does RLVR stand for?", "what's
#: RAG short for?", "what is the acronym MAYA?", "RLVR meaning" (a word that spells nothing out is looked up as any
#: other: "what is the meaning of life?").
_STANDS_FOR = re.compile(
    r"^\W*what(?:'s|’s|\s+(?:is|does|do))\s+(?:the\s+)?(?:(?:acronym|abbreviation)\s+)?[\"“'‘]?"
    r"(?P<acronym>[A-Za-z][A-Za-z0-9]{1,9})[\"”'’]?(?:['’]s)?\s+(?P<verb>stand\s+for|short\s+for|mean|"
    r"an?\s+(?:acronym|abbreviation)\s+for)(?:\s+(?:in|here)\b[^?]*)?\W*$|"
    r"^\W*what\s+is\s+the\s+(?:acronym|abbreviation)\s+[\"“'‘]?(?P<named>[A-Za-z][A-Za-z0-9]{1,9})[\"”'’]?\W*$|"
    # a keyword query: "RLVR meaning", "rlhf stands for", "meaning of RLAIF", "what's the full form of RLVR?"
    r"^\W*(?P<keyword>[A-Za-z][A-Za-z0-9]{1,9})\s+(?:meaning|stands?\s+for|acronym|abbreviation|full\s+form)\W*$|"
    r"^\W*(?:what(?:'s|’s|\s+is)\s+)?(?:the\s+)?(?:meaning|full\s+form)\s+of\s+(?:the\s+)?(?:acronym\s+)?"
    r"[\"“'‘]?(?P<of>[A-Za-z][A-Za-z0-9]{1,9})[\"”'’]?\W*$",
    re.IGNORECASE,
)


def acronym_asked(question: str) -> str | None:
    """The acronym a question asks the meaning of, as written and in the singular ("LPUs": "LPU"), or None when it
    asks something else; "mean" asks it only of a word in capitals ("What does RLVR mean?", not "What does AI mean?"
    where "AI" is spelled out nowhere either, nor "what does blitzscaling mean?")."""
    match = _STANDS_FOR.match(question.strip())
    if match is None:
        return None
    acronym = match.group("acronym") or match.group("named") or match.group("keyword") or match.group("of")
    if acronym.lower() in STOPWORDS or (match.group("verb") or "").lower() == "mean" and not acronym.isupper():
        return None  # "What does it stand for?": a follow-up's "it"
    if len(acronym) > 2 and acronym.endswith("s") and acronym[:-1].isupper():
        acronym = acronym[:-1]
    return acronym


def _spells(expansion: str, acronym: str) -> bool:
    """Whether the expansion's words open with the acronym's letters in order, the first with the first, others
    skipped ("Reinforcement Learning via Verification and Results" spells RLVR; "Most Advanced Yet Acceptable" MAYA)."""
    # a word in capitals gives all its letters ("AI" of "Reinforcement Learning from AI Feedback": RLAIF), and a
    # hyphenated one each of its parts ("Retrieval-Augmented")
    initials = [
        letter.lower()
        for w in re.findall(r"[A-Za-z]+", expansion)
        for letter in (w if w.isupper() and len(w) <= 4 else w[0])
    ]
    letters = acronym.lower()
    if not initials or not letters or initials[0] != letters[0]:
        return False
    found = 0
    for initial in initials:
        if found < len(letters) and initial == letters[found]:
            found += 1
    return found == len(letters)


def expansion_in(sentence: str, acronym: str) -> str | None:
    """What the sentence spells the acronym out as (written as asked or in capitals: "maya"), either after it in
    parentheses ("RLVR (Reinforcement Learning via ...)") or before it ("Retrieval Augmented Generation (RAG)"); None
    when it does not."""
    for written in dict.fromkeys([acronym, acronym.upper()]):
        if found := _expansion(sentence, written):
            return found
    return None


def _expansion(sentence: str, acronym: str) -> str | None:
    term = re.escape(acronym)
    after = re.search(rf"\b{term}s?\s*\((?P<words>[A-Z][^()]{{3,100}})\)", sentence)
    if after and _spells(after.group("words"), acronym):
        return after.group("words").strip()
    before = re.search(rf"(?P<words>(?:[A-Za-z][\w-]*\s+){{1,8}})\(\s*{term}s?\s*\)", sentence)
    if before:
        words = before.group("words").split()
        for start in reversed(range(len(words))):  # the shortest run of words before it that spells it
            run = " ".join(words[start:])
            if run[0].isupper() and _spells(run, acronym):
                return run
    return None


def expansion_passage(acronym: str, chunks: list[Chunk]) -> tuple[Chunk, str] | None:
    """The first chunk of the corpus with a sentence that spells the acronym out (as asked, or in capitals: "rlvr"),
    and that sentence."""
    for chunk in chunks:
        if acronym not in chunk.text and acronym.upper() not in chunk.text:
            continue
        for sentence in split_sentences(chunk.text):
            if expansion_in(sentence, acronym):
                return chunk, sentence
    return None
