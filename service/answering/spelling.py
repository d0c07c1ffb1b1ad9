"""Typos in a question, corrected to the corpus's own words before it is searched and judged.

"whats the platfrom paradox" was refused: "platfrom" is no word the corpus uses, so the coverage classifier
counted it as a topic the corpus lacks. A word is corrected only when it is a typo of a corpus word, which a real
word the corpus lacks must not pass for ("debiasing" is no typo of "biasing", nor "spacex" of "space"):

- lower case (a capitalised word is a name, and the corpus lacking a name is news the classifier must see), at least
  MIN_LETTERS letters ("qwen" is no typo of "when");
- neither a word the corpus uses (its hyphenated compounds written as one too: "postmoney", "openweight"), nor
  another form of one (its stem is one of theirs: "leaderboard"), nor an English word (symspellpy's packaged
  frequency dictionary: "tomatoes", "espresso");
- nearest to one corpus word (SymSpell, Damerau-Levenshtein distance 1, or 2 from LONG_WORD letters on), the most
  frequent one when several are as near and it is used more than the others;
- and the edits inside the word (`_inside`): the same first and last letter, no prefix added, taken away or swapped.
  Prefixes and endings are where a real word differs from a corpus word by design ("unbundling", "offboarding",
  "imagen", "minimax"); a typo falls inside.

A British "-ise" ending is the corpus's "-ize" when the corpus spells the word so, and otherwise left as written
("productise" is no typo of "productive"). A company's name typed in lower case with an "s" and no apostrophe is its
possessive ("googles angle" -> "google's angle").
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from importlib.resources import files

from symspellpy import SymSpell, Verbosity

from service.answering import entities
from service.corpus.chunking import Chunk
from service.text import hyphenated_words, joined_compounds, stem, stems, words_of

#: Shorter words are left as written: at one edit from many words, a short unknown one is more often a name.
MIN_LETTERS = 5
#: From this many letters on, a word two edits from a corpus word is still taken for a typo of it ("hyperscalres").
LONG_WORD = 9
#: English prefixes: a word and a corpus word that differ only by one of these before the same rest differ by design.
_PREFIXES = frozenset("un in im il ir dis de re pre co con non off on out over under mis anti post sub".split())
#: A word in lower case letters alone, or before a possessive ("antropic's"); not part of a longer token ("gpt-4o").
_WORD = re.compile(r"(?<![\w'’-])[a-z]+(?=['’]s\b|(?![\w'’-]))")
#: British endings and the American ones the corpus may use: "productised" -> "productized".
_BRITISH = re.compile(r"is(e|es|ed|ing|ation|ations)$")


#: Contractions typed without an apostrophe, that are no other word: "whats the ai flywheel" was refused where
#: "what's the ai flywheel" was answered ("its", "well", "were", "shell", "lets" are words; "cant", "wont" too rare).
_CONTRACTIONS = {
    "whats": "what's",
    "hows": "how's",
    "whos": "who's",
    "wheres": "where's",
    "whens": "when's",
    "thats": "that's",
    "theres": "there's",
    "isnt": "isn't",
    "arent": "aren't",
    "wasnt": "wasn't",
    "werent": "weren't",
    "doesnt": "doesn't",
    "dont": "don't",
    "didnt": "didn't",
    "hasnt": "hasn't",
    "havent": "haven't",
    "wouldnt": "wouldn't",
    "shouldnt": "shouldn't",
    "couldnt": "couldn't",
    "im": "I'm",
    "ive": "I've",
    "youre": "you're",
    "theyre": "they're",
}
#: Contractions that are also plural nouns ("the hows and whens").
_ALSO_NOUNS = frozenset({"hows", "whos", "whens", "wheres"})
_CONTRACTED = re.compile(rf"\b(?:{'|'.join(_CONTRACTIONS)})\b", re.IGNORECASE)


def _apostrophe(match: re.Match[str]) -> str:
    """The contraction with its apostrophe, when typed in lower case, or capitalised to open a sentence ("Whats
    ..."); a capitalised word elsewhere is a name ("Jony Ive"), and capitals throughout an acronym ("IM apps")."""
    word, before = match.group(0), match.string[: match.start()].rstrip()
    opens = not before or before.endswith((".", "?", "!", ":"))
    if not (word.islower() or (opens and word[0].isupper() and word[1:].islower())):
        return word
    if word.lower() in _ALSO_NOUNS and re.search(r"\b(?:the|and)$", before, re.IGNORECASE):
        return word  # "the whys and hows of X": nouns
    full = _CONTRACTIONS[word.lower()]
    return full[0].upper() + full[1:] if word[0].isupper() else full


@cache
def _english() -> frozenset[str]:
    """The words of symspellpy's packaged English frequency dictionary (82,765 words; read once, no download)."""
    text = files("symspellpy").joinpath("frequency_dictionary_en_82_765.txt").read_text(encoding="utf-8")
    return frozenset(line.split(" ", 1)[0] for line in text.splitlines() if line)


class Speller:
    """Corrects typos of the corpus's words (built once per loaded index)."""

    def __init__(self, chunks: list[Chunk]):
        counts = Counter(w for chunk in chunks for w in words_of(chunk.embedded_text) if w.isalpha())
        compounds = {w for chunk in chunks for w in joined_compounds(chunk.embedded_text)}
        self._known = frozenset(counts) | compounds
        # "dotcom" typed for the corpus's "dot-com": its hyphenated form, unless the corpus writes it as one word too
        hyphenated = Counter(w.lower() for chunk in chunks for w in hyphenated_words(chunk.embedded_text))
        self._hyphenated: dict[str, str] = {}
        for word, _ in hyphenated.most_common():  # the most common hyphenation of a word first
            if word.replace("-", "") not in counts:
                self._hyphenated.setdefault(word.replace("-", ""), word)
        self._stems = frozenset(stems(list(self._known)))  # "leaderboard" is "leaderboards" to the search: no typo
        self._symspell = SymSpell(max_dictionary_edit_distance=2, prefix_length=7)
        for word, count in counts.items():
            if len(word) >= MIN_LETTERS - 1:
                self._symspell.create_dictionary_entry(word, count)

    def corrected(self, text: str) -> str:
        """The text with each typo replaced by the corpus word it misspells, and each contraction typed without its
        apostrophe given one ("whats" -> "what's"); unchanged when it has none."""
        return _WORD.sub(lambda m: self._word(m.group(0)), _CONTRACTED.sub(_apostrophe, text))

    def _word(self, word: str) -> str:
        if word.islower() and (hyphenated := self._hyphenated.get(word)):
            return hyphenated
        if word.endswith("s") and word not in self._known and entities.kind_of(word[:-1].title()) == "company":
            return f"{word[:-1]}'s"  # a company's possessive typed without its apostrophe: "googles" -> "google's"
        if len(word) < MIN_LETTERS or word in self._known or word in _english() or stem(word) in self._stems:
            return word
        if _BRITISH.search(word):
            american = _BRITISH.sub(r"iz\1", word)
            return american if american in self._known else word
        distance = 2 if len(word) >= LONG_WORD else 1
        found = self._symspell.lookup(word, Verbosity.CLOSEST, max_edit_distance=distance)
        if not found or (len(found) > 1 and found[1].count >= found[0].count):
            return word  # none near, or no one nearest: left as written
        term = found[0].term
        return term if _inside(word, term) else word


def _inside(word: str, term: str) -> bool:
    """Whether the edits that make `word` into `term` fall inside it, as a typo's do: the same first and last letter,
    neither one the other with a prefix added or taken away ("debiasing", "unbundling"), and not another prefix before
    the same rest ("offboarding" / "onboarding": _PREFIXES)."""
    if word[0] != term[0] or word[-1] != term[-1] or word.endswith(term) or term.endswith(word):
        return False
    same = 0
    while same < min(len(word), len(term)) and word[-1 - same] == term[-1 - same]:
        same += 1
    return not {word[: len(word) - same], term[: len(term) - same]} <= _PREFIXES
