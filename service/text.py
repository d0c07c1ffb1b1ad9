"""Words, stems and sentences: the one tokenizer that chunking, retrieval, answering and scenarios share.

A word is a run of ASCII letters and digits, lowercased; content words are the stems of the words that
are not stop words. A sentence ends at . ! or ? (with any closing quote or bracket) before white space
and an opening character (a capital, a digit, an opening quote or bracket); a line break ends one too.
A full stop after a known abbreviation ("e.g.", "vs.", "U.S.") or an initial ("J. Smith") ends nothing,
and ? or ! directly before white space always ends one ("Why? because ..." is two).
"""

from __future__ import annotations

import re
import threading

import Stemmer

WORD = re.compile(r"[A-Za-z0-9]+")

#: Words that say nothing about a topic, left out of content words.
STOPWORDS = frozenset(
    "a an and are as at be been but by can could did do does for from had has have how i if in into is it its "
    "may might more most no not of on or our over per so such than that the their them then there these they "
    "this those through to too under up was we were what when where which while who why will with would you your "
    "also about according says said source sources essay booklet author doing done".split()
)

#: The months in their order, lowercased.
MONTH_NAMES = tuple("january february march april may june july august september october november december".split())
#: Month names and their abbreviations, lowercased: a date's word, no name ("October 2025" is no version).
MONTHS = frozenset(MONTH_NAMES) | frozenset("jan feb mar apr jun jul aug sep sept oct nov dec".split())


def month_number(name: str) -> int:
    """1-12 for a month's name or abbreviation, any case ("Sept." 9)."""
    return next(i for i, month in enumerate(MONTH_NAMES, 1) if month.startswith(name.lower().rstrip(".")[:3]))


_stemmers = threading.local()  # a PyStemmer stemmer keeps state between calls: one per thread


def _stemmer() -> Stemmer.Stemmer:
    stemmer = getattr(_stemmers, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmers.stemmer = Stemmer.Stemmer("english")
    return stemmer


#: A capitalised word that opens no sentence of a message and is no "I": a name ("Meta", "Scale", not "Thanks." before
#: a question).
NAME_WORD = re.compile(r"(?<=\s)(?<![.!?]\s)(?!I\b)[A-Z][\w.&’'-]*")
#: An aside in parentheses (no nested ones).
PARENTHESES = re.compile(r"\([^()]*\)")
_GLOSS = re.compile(r"\s*" + PARENTHESES.pattern)


def without_glosses(text: str) -> str:
    """The text without its asides in parentheses: "Continued Scaling (the six currents in the booklet)" names one
    current, glossed by where it was listed (a follow-up that pointed at "the first one")."""
    return _GLOSS.sub("", text)


#: An acronym's plural, which the stemmer keeps whole ("GPUs" would not meet "GPU"): capitals and an "s" ("GPUs",
#: "VCs"), or as a reader types it, consonants and an "s" ("llms", "vcs") or a processor's "-pus" ("gpus", "tpus").
_ACRONYM = r"[A-Z]{2,}|(?i:[b-df-hj-np-tv-xz]{2,}|[b-df-hj-np-tv-z]pu)"
_ACRONYM_PLURAL = re.compile(rf"\b({_ACRONYM})s\b")
_ACRONYM_PLURAL_WORD = re.compile(rf"(?:{_ACRONYM})s")


def singular_acronyms(text: str) -> str:
    """The text with its acronyms' plurals made singular ("two GPUs" -> "two GPU"): what words are compared by, as
    the stemmer makes "chips" "chip"."""
    return _ACRONYM_PLURAL.sub(r"\1", text)


def words_of(text: str) -> list[str]:
    """The text's words, lowercased, in order; an acronym's plural is its singular ("GPUs" -> "gpu")."""
    # word by word: a third of the cost of `singular_acronyms` over the whole text, which words are read from often
    return [(w[:-1] if w[-1] == "s" and _ACRONYM_PLURAL_WORD.fullmatch(w) else w).lower() for w in WORD.findall(text)]


def stem(word: str) -> str:
    """The English (Snowball) stem of one lowercased word."""
    return _stemmer().stemWord(word)


def stems(words: list[str]) -> list[str]:
    """The stems of lowercased words, in order."""
    return _stemmer().stemWords(words)


def content_words(text: str) -> set[str]:
    """Stems of the text's words other than stop words: what two texts are compared by."""
    return set(stems([w for w in words_of(text) if w not in STOPWORDS]))


_COMPOUND = re.compile(r"\b[A-Za-z]+(?:-[A-Za-z]+)+\b")


def hyphenated_words(text: str) -> list[str]:
    """The text's hyphenated words as written ("non-linear", "counter-positioning")."""
    return _COMPOUND.findall(text)


def joined_compounds(text: str) -> list[str]:
    """The text's hyphenated words written as one, lowercased ("non-linear" -> "nonlinear"): how a reader may spell
    them, though `words_of` splits them at the hyphen."""
    return [w.replace("-", "").lower() for w in hyphenated_words(text)]


def compound_words(text: str) -> set[str]:
    """The stems of `joined_compounds` ("pre-training" -> "pretrain")."""
    return set(stems(joined_compounds(text)))


def indexed_words(text: str) -> set[str]:
    """What a question's words are looked up in: the text's content words and its compounds written as one."""
    return content_words(text) | compound_words(text)


#: The words by which a question calls a document as one ("the Jevons essay", "the Sovereignty current"), as a regex
#: alternation.
DOCUMENT_KINDS = r"essay|chapter|post|piece|article|booklet|digest|podcast|current|analysis"
#: How a question refers to a document as one: "the Jevons essay", "the Last Week in AI digest", "the Sovereignty current".
DOCUMENT_REFERENCE = (
    rf"(?:the\s+)?[\w’'.-]+(?:\s+[\w’'.-]+){{0,6}}?\s+(?:{DOCUMENT_KINDS})"
    r"(?:’s|'s)?\b"
)


#: What opens a reference to a document when it is one: a determiner or a preposition ("in Jevons essay", "your
#: Jevons essay", "compare Jevons essay with flywheel essay").
_REFERENCE_OPENER = re.compile(
    r"(?<![\w’'-])(?:the|this|that|these|those|a|an|your|our|their|its|his|her|in|per|from|of|by|on|about|compare|to|with|and|"
    r"vs\.?|versus|between)\s+",
    re.IGNORECASE,
)


#: Words no document's name holds: a "reference" running over one of them ("questions do you answer for each current")
#: is a clause that ends in a document kind's word, the reference only what follows them. Not "is", "why" or "how",
#: which titles hold ("the Hype Cycle is Dead essay", "the Why OpenAI Lost Enterprise to Anthropic essay", "How the
#: Currents Interact").
_NOT_IN_A_NAME = "each|every|do|does|did|you|we|i|they|are|was|were|many|much|what|which|who|when|where"
_ASKING_WORD = re.compile(
    r"(?:what|which|who|whom|whose|why|how|when|where|is|are|was|were|do|does|did|can|could|should|would|will|has|have|"
    r"had|may|might|must|shall|tell|explain|give|show|list|summari[sz]e)\b",
    re.IGNORECASE,
)


#: Several documents of one kind named together ("the Jevons and flywheel essays", "the Sovereignty, Efficiency
#: Revolution and Financial Correction chapters"): each name with the kind word, singular.
_PLURAL_REFERENCE = re.compile(
    r"\b(?:the|these|those|in|per|from|of|by|both)\s+(?:the\s+)?(?P<names>[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?"
    r"(?:\s*,\s*|\s+(?:and|&)\s+)[\w’'.-]+(?:\s+[\w’'.-]+){0,5}?)\s+(?P<kind>essay|chapter|post|piece|article|current)s\b",
    re.IGNORECASE,
)


_AFTER_OPENER = re.compile(
    r"\b(?:the|these|those|this|that|a|an|in|per|from|of|by|both|about|on|with)\s+", re.IGNORECASE
)


#: What is no document's name in a plural reference: "other", "two", or a name that is a reference of its own ("the
#: Jevons essay and other posts").
_NO_NAME = re.compile(
    r"^(?:other|others|any|all|some|more|many|several|few|two|three|four|five|six|both|various)$"
    rf"|\b(?:{DOCUMENT_KINDS})s?\b",
    re.IGNORECASE,
)


def plural_references(text: str) -> list[str]:
    """Each document of a plural reference with its kind word: "the Jevons and flywheel essays" -> "Jevons essay",
    "flywheel essay"."""
    found: list[str] = []
    for match in _PLURAL_REFERENCE.finditer(text):
        names = re.split(r"\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&)\s+", match.group("names"))
        # each name from after its last determiner or preposition: "the different triggers in the Sovereignty and
        # Financial Correction chapters" names the chapters, not "different triggers in the Sovereignty"
        names = [_AFTER_OPENER.split(name)[-1] for name in names]
        found.extend(f"{name} {match.group('kind').lower()}" for name in names if name and not _NO_NAME.search(name))
    return found


def _starts_clause(before: str) -> bool:
    """Whether what comes after `before` starts a clause: nothing, or punctuation, precedes it."""
    before = before.rstrip()
    return not before or before[-1] in '.,;:!?(“"—–-'


def document_references(text: str, *, determined: bool = False) -> tuple[str, ...]:
    """The references to a document in a text, each from after its last "the/this/that" ("flywheel essay");
    `determined`: only those opened by a determiner or a preposition, or standing at the start of a clause ("per the
    flywheel essay", "in Jevons essay", "Jevons essay: ..."), each from after that word; not "Meta's current stance"
    or "does Anthropic post ...", where the kind word is an adjective or a verb."""
    found = []
    for match in re.finditer(DOCUMENT_REFERENCE, text, re.IGNORECASE):
        reference = match.group(0)
        if not determined:
            # from after its last determiner, or after a word no document's name holds ("how many questions do you
            # answer for each current": "current", not the clause before it)
            the = list(re.finditer(rf"\b(?:the|this|that|{_NOT_IN_A_NAME})\s+", reference, re.IGNORECASE))
            found.append(reference[the[-1].end() :] if the else reference)
            continue
        opener = list(_REFERENCE_OPENER.finditer(reference))
        if opener:
            found.append(reference[opener[-1].end() :])
        elif _starts_clause(text[: match.start()]) and not _ASKING_WORD.match(reference):
            found.append(reference)
    found.extend(plural_references(text))
    return tuple(r for r in dict.fromkeys(found) if r.strip())


#: Lowercased, without their final full stop. Ambiguous ones that often end a sentence ("etc.", "Inc.")
#: are left out: a full stop after them ends a sentence when a capital follows.
ABBREVIATIONS = frozenset("e.g i.e cf vs v al approx ca viz mr mrs ms dr prof sr jr st u.s u.k u.n e.u".split())
#: Abbreviations only before a number ("No. 5", "p. 12", "Jan. 2024"): "no." before a word ends a sentence.
NUMBER_ABBREVIATIONS = frozenset(
    "no nos p pp fig figs vol ch sec eq jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_CLOSERS = "”\"’')\\]"
_OPENERS = "A-Z0-9“\"‘'(\\[<"
# A candidate end: ? or ! right before white space (group 1), or terminal marks and closers before white
# space (group 2) and an opening character.
_END = re.compile(rf"[!?](\s+)|[.!?]+[{_CLOSERS}]*(\s+)(?=[{_OPENERS}])")
_TOKEN_BEFORE = re.compile(r"(\S+)\.$")
_NUMBER_NEXT = re.compile(r"\s*\d")


def _abbreviation_before(text: str, dot: int) -> bool:
    """Whether the full stop at text[dot] closes an abbreviation or an initial rather than a sentence."""
    match = _TOKEN_BEFORE.search(text, max(0, dot - 20), dot + 1)
    if not match:
        return False
    token = match.group(1).lstrip("“‘(\"'[")
    if len(token) == 1 and token.isalpha() and token.isupper():
        return True  # an initial: "J. Smith"
    token = token.lower()
    return token in ABBREVIATIONS or (token in NUMBER_ABBREVIATIONS and bool(_NUMBER_NEXT.match(text, dot + 1)))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """(start, end) offsets of the sentences of text[start:end] (white space between them excluded).

    Line breaks are not boundaries here: a wrapped paragraph is one run of sentences."""
    end = len(text) if end is None else end
    spans, begin = [], start
    for match in _END.finditer(text, start, end):
        gap = 1 if match.group(1) is not None else 2
        if text[match.start()] == "." and match.group(gap) and _abbreviation_before(text, match.start()):
            continue
        spans.append((begin, match.start(gap)))
        begin = match.end(gap)
    spans.append((begin, end))
    return spans


def split_sentences(text: str) -> list[str]:
    """The sentences of a text, each line break also ending one; empty pieces are dropped."""
    sentences = []
    for line in text.splitlines():
        for s, e in sentence_spans(line):
            sentence = line[s:e].strip()
            if sentence:
                sentences.append(sentence)
    return sentences


def listed_names(names: tuple[str, ...], conjunction: str = "and") -> str:
    """ "A", "A and B", "A, B and C" (or "A, B or C")."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"
