"""Does the corpus cover a question? Decided before any model is called, so a question the corpus
cannot answer is refused plainly instead of being answered from the nearest, unrelated passage.

Two signals, calibrated on evals/golden (120 in-scope, 16 out-of-scope questions):
- the best sentence similarity to the question (off-topic questions sit far below in-scope ones);
- named things the corpus never mentions ("AlphaFold", "SB 1047", "Waymo"): a salient term of the
  question (capitalised past the first word, or carrying a digit) whose stem appears nowhere in the corpus.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import Stemmer

from service.corpus.chunking import Chunk
from service.retrieval.hybrid import Retrieval

MIN_SENTENCE_SIMILARITY = 0.33

_STEMMER = Stemmer.Stemmer("english")
_WORD = re.compile(r"[A-Za-z0-9]+")
_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9’'\-.]*")
_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th|s|k|m|b|bn|x)$", re.IGNORECASE)


@dataclass(frozen=True)
class Coverage:
    covered: bool
    reason: str
    unknown_terms: tuple[str, ...] = ()


class CoverageJudge:
    def __init__(self, chunks: list[Chunk]):
        words = {w.lower() for chunk in chunks for w in _WORD.findall(chunk.embedded_text)}
        words |= {m.group(1) for w in words if (m := _ORDINAL.match(w))}  # "19th" also counts as "19"
        self._vocabulary = set(_STEMMER.stemWords(list(words)))

    def unknown_terms(self, question: str) -> list[str]:
        unknown = []
        for match in _TERM.finditer(question):
            term = match.group(0).rstrip(".")
            if match.start() == 0 or not (term[0].isupper() or any(ch.isdigit() for ch in term)):
                continue
            for part in re.split(r"[-’'.]", term):
                if not part or part.lower() == "s" or not (part[0].isupper() or any(ch.isdigit() for ch in part)):
                    continue
                number = _ORDINAL.match(part)
                word = number.group(1) if number else part
                if _STEMMER.stemWord(word.lower()) not in self._vocabulary:
                    unknown.append(part)
        return unknown

    def judge(self, question: str, retrieval: Retrieval) -> Coverage:
        if not retrieval.hits:
            return Coverage(False, "no passage matched")
        if retrieval.best_sentence_similarity < MIN_SENTENCE_SIMILARITY:
            return Coverage(False, "no passage is close to the question")
        unknown = self.unknown_terms(question)
        if unknown:
            return Coverage(False, f"the corpus never mentions {', '.join(unknown)}", tuple(unknown))
        return Coverage(True, "covered")
