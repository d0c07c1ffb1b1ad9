"""Typos in a question, corrected to the corpus's own words before it is searched and judged.

"whats the platfrom paradox" was refused: "platfrom" is no word the corpus uses, so the coverage classifier
counted it as a topic the corpus lacks. A word is corrected only when it is a typo of a corpus word: lower case (a
capitalised word is a name, and the corpus lacking a name is news the classifier must see), at least MIN_LETTERS
letters ("qwen" is no typo of "when"), neither a word the corpus uses, nor another form of one (its stem is one of
theirs: "leaderboard", "skeptical"), nor an English word (symspellpy's packaged frequency dictionary: "tomatoes" and
"espresso" are words the corpus lacks, not typos of its words), and nearest to
one corpus word (SymSpell, Damerau-Levenshtein distance 1, or 2 from LONG_WORD letters on), the most frequent one
when several are as near and it is used more than the others.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib.resources import files

from symspellpy import SymSpell, Verbosity

from service.corpus.chunking import Chunk
from service.text import stem, stems, words_of

#: Shorter words are left as written: at one edit from many words, a short unknown one is more often a name.
MIN_LETTERS = 5
#: From this many letters on, a word two edits from a corpus word is still taken for a typo of it ("hyperscalres").
LONG_WORD = 9
#: A word in lower case letters alone, or before a possessive ("antropic's"); not part of a longer token ("gpt-4o").
_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?=['’]s\b|(?![\w'’-]))")


@cache
def _english() -> frozenset[str]:
    """The words of symspellpy's packaged English frequency dictionary (82,765 words; read once, no download)."""
    text = files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


class Speller:
    """Corrects typos of the corpus's words (built once per loaded index)."""

    def __init__(self, chunks: list[Chunk]):
        counts = Counter(w for chunk in chunks for w in words_of(chunk.embedded_text) if w.isalpha())
        self._known = frozenset(counts)
        self._stems = frozenset(stems(list(counts)))  # "leaderboard" is "leaderboards" to the search: no typo
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in counts.items():
            if len(word) >= MIN_LETTERS - 1:
                self._symspell.create_dictionary_entry(word, count)

    def corrected(self, text: str) -> str:
        """The text with each typo replaced by the corpus word it misspells; unchanged when it has none."""
        return _WORD.sub(lambda m: self._word(m.group(0)), text)

    def _word(self, word: str) -> str:
        if len(word) < MIN_LETTERS or word in self._known or word in _english() or stem(word) in self._stems:
            return word
        distance = 2 if len(word) >= LONG_WORD else 1
        found = self._symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if not found or (len(found) > 1 and found[1].count >= found[0].count):
            return word  # none near, or no one nearest: left as written
        return found[0].term
