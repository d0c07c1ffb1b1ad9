"""The extractive mode: the answering block of the best passage, quoted with its structure intact.

Needs no generator, so it works on any laptop and cannot invent anything. Passage first: the blocks
(paragraphs, lists with their lead-in, tables) of the top passages compete, and the winner is quoted
verbatim, a list as a Markdown list, a table as a table, with the sentence that answers in bold. The
question's form (service/answering/question_form.py) decides the shape: an enumeration gets the whole
list it names, even when the list runs over several chunks of its section; a comparison gets one
block per document it names; a definition starts at the defining sentence; an overview of a document
("summarise the Jevons essay") gets its opening statement and how its first sections open. Every quote is a verbatim
span of the chunk its citation names.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from service.answering import entities
from service.answering.acronym import acronym_asked, expansion_in
from service.answering.citations import Citation, VerifiedAnswer
from service.answering.comparison_sides import own_questions
from service.answering.coverage import KEYWORD_AMOUNT, STANDING_WORDS, STRATEGY_WORDS, company_standing
from service.answering.followup import WHO_IS, asked_last
from service.answering.origin import lowercase_words, names_originator, origin_asked
from service.answering.question_form import QuestionForm, by_position, classify, current_parts
from service.answering.sentence_model import DEFINING, SentenceModel
from service.corpus.chunking import Chunk, chunk_sentences, text_blocks
from service.corpus.current_parts import Part, chapters_by_current, is_data_line, part_spans
from service.retrieval.hybrid import Retrieval, SearchHit
from service.text import (
    MONTHS,
    STOPWORDS,
    content_words,
    document_references,
    indexed_words,
    listed_names,
    sentence_spans,
    split_sentences,
    stems,
    without_glosses,
    words_of,
)

#: A heading that announces what a term means: “Creative Destruction Defined”, “Understanding the Innovator’s
#: Dilemma”, “What is the Platform Paradox?”.
_DEFINING_HEADING = re.compile(
    r"^(?:(?:understanding|defining|what\s+(?:is|are))\s+(?P<term>.+?)|(?P<defined>.+?)\s+(?:defined|explained))\??$",
    re.IGNORECASE,
)


#: The first words of a sentence in which a term it opens with stands: its subject (“The Fractal Pattern of
#: Specialization explains ...”).
TERM_OPENING_WORDS = 6
#: Passages looked through for where the booklet sets the currents a question compares side by side.
BRIDGE_PASSAGES = 5
#: A top-level heading numbered as one of a series: “Phase 1: The Adjacent Stronghold”, “Stage 2 — ...”.
_NUMBERED_HEADING = re.compile(r"^(?P<word>[A-Z][a-z]+)\s+(?:\d{1,2}|[IVX]{1,4})\s*[:—–-]")


@dataclass(frozen=True)
class ExtractiveConfig:
    """The numbers that decide which block answers and how much of it is quoted (tuned on the dev split)."""

    passages: int = 5  # top passages whose blocks compete
    list_passages: int = 15  # an enumeration none of them lists is looked for this deep
    lexical_weight: float = 0.4  # weight of the share of the question's content words a sentence holds
    rank_weight: float = 0.08  # preference for blocks of higher-ranked passages, per rank
    fragment_penalty: float = 0.15  # a sentence that says little alone (a lead-in quoted without its list)
    list_bonus: float = 0.6  # enumeration: a list whose heading or lead-in names what is asked
    listing_share: float = 0.75  # ... a sentence naming several of them gets this share of it
    count_bonus: float = 0.3  # enumeration: a list of as many items as the question says ("name the six ...")
    heading_bonus: float = 0.45  # definition: the block that opens the section (or document) the term names
    defining_bonus: float = 0.1  # definition: a sentence that says what the term is
    named_bonus: float = 0.15  # a block of a document the question names
    heading_weight: float = 0.3  # weight of the share of the question's content words in the block's section heading
    block_weight: float = 0.6  # weight of the idf-weighted share of the question's words in the block and its headings
    window: int = 6  # sentences quoted from a paragraph (5 until session 29)
    whole_section_words: int = 90  # the best passage is quoted whole when it is its whole section and this short
    titled_section_words: int = 140  # ... or this short, when the question names its heading
    titled_share: float = 0.6  # ... by this share of its words (less the document's name), two at least
    short_list_items: int = 8  # a list this short is quoted whole even when no list was asked for
    short_list_words: int = 130
    extra_list_words: int = 80  # a further passage's list is quoted whole up to this many words (else one item)
    section_words: int = 60  # a subsection listed as one item of an enumeration: whole (or its list) up to this long
    extra_margin: float = 0.8  # a further passage is quoted when its block scores this close to the best
    learned_margin: float = 0.6  # the same, when the sentence model scores (a probability)
    # at most this many further passages: four since session 35 (three before: answers about 14% longer, key facts up on
    # every set nothing trains; README, "Evaluation")
    extra_blocks: int = 4
    lead_rivals: int = 3  # blocks after the best that may lead instead when they give the figure, version or year asked
    extra_sentences: int = 2  # sentences quoted from each further passage
    sides: int = 3  # documents a comparison quotes
    side_passages: int = 3  # passages of each compared document whose blocks compete
    # sentences quoted from each compared document's best block: 4, not 3, since session 35 (the 53 comparisons of golden
    # dev and the third and fourth fresh rounds: key facts 0.610 -> 0.638, 199 -> 208 words; 5 or 6 add nothing more)
    side_sentences: int = 4
    # blocks quoted from each compared document: 3, not 2, since session 36 (the same 53 comparisons: key facts 0.638 ->
    # 0.676, 209 -> 273 words; no answer of another kind changes)
    side_blocks: int = 3
    referent_words: int = 60  # a block an answer opening with "This is ..." refers back to is quoted up to this long
    brief_turn_words: int = 30  # a list quoted whole in a brief quote takes the turn after it up to this long


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")
#: A sentence this short goes on from the one before it ("No disillusionment phase.", "It explodes it."): quoted with it.
ELLIPTICAL_WORDS = 3
#: A sentence that opens by referring back to what came before it: "This is the paradox ...", "That’s why ...", "These
#: are ...". Not a demonstrative before a noun ("This booklet sketches ...", "These moves suggest ..."), which names
#: what it speaks of.
_REFERS_BACK = re.compile(
    r"^\W*(?:(?:this|that)(?:[’']s\b|\s+(?:is|isn[’']t|was|wasn[’']t|means|meant|explains|matters|leads|creates|shows|"
    r"suggests|reflects|makes|becomes|became|changes|marks|captures|describes)\b)|"
    r"(?:these|those)\s+(?:are|aren[’']t|were|weren[’']t)\b)",
    re.IGNORECASE,
)
#: A question about how two things bear on each other, not what each one says.
_RELATION = re.compile(
    r"\b(?:relate[sd]?|relationship|interact(?:s|ion)?|interplay|contradict(?:s|ion)?|reinforce[sd]?|conflict(?:s)?|"
    r"tension|connect(?:s|ed|ion)?|link(?:s|ed)?|accelerate[sd]?|affect(?:s|ed)?|impact(?:s|ed)?|influence[sd]?|"
    r"fit together)\b",
    re.IGNORECASE,
)
#: A question of degree, or one about what is said, not asking an amount: "How much does prompting still matter?",
#: "How much should we worry ...?", "What does the post say about Nvidia ... if buyers chase the lowest cost?".
_DEGREE_ASKED = re.compile(
    r"\bhow\s+much\s+of\s+an?\b|\b(?:matter|matters|worry|care|trust|rely|depend|depends|help|helps|hurt|hurts)\b|"
    r"\b(?:say|says|said|think|thinks|argue|argues)\s+about\b",
    re.IGNORECASE,
)
#: Words that ask for a list outright ("which currents ...", "name the six ..."), not a keyword query's plural.
_ASKS_LIST = re.compile(r"\b(?:which|what|list|name|enumerate)\b", re.IGNORECASE)

#: Words that ask for a comparison or name a kind of document: a comparison made only of them names no topic.
_COMPARISON_WORDS = content_words(
    "compare comparison contrast versus vs differ difference different similar same between story agree "
    "disagree each both view views say says essay chapter current post piece article booklet digest analysis relate "
    "relates related relationship connect connected connection"
)

#: Words that set two things against each other in a question that is not a comparison's form: "How do OpenAI and
#: Anthropic make money differently?".
_CONTRASTS = re.compile(
    r"\b(?:differently|differ|differs|difference|differences|versus|vs\.?|contrast)\b", re.IGNORECASE
)

#: A paragraph shorter than this (in words) is a framing line, not the statement a section opens with.
STATEMENT_WORDS = 8
#: Items quoted after a list's lead-in when a further passage is quoted briefly.
LEAD_ITEMS = 2
#: A paragraph that opens by saying what the one before it comes to: "The common thread: ...", "The question isn’t
#: whether ... The question is whether ...".
_SUMS_UP = re.compile(
    r"^\W*the\s+(?:common\s+thread|bottom\s+line|lesson|point|real\s+question|question|answer|result|upshot|takeaway|"
    r"irony|catch|pattern|implication)s?\s*(?::|is\b|isn[’']t\b|are\b)",
    re.IGNORECASE,
)
#: A one-sentence paragraph after a list this short says what the list comes to (_punchline).
PUNCHLINE_WORDS = 12
#: A block that opens by turning against the one before it: "And yet, paradoxically, ...", "But ...", "Yet ...".
_TURNS = re.compile(r"^\W*(?:and\s+yet|yet|but|however)\b", re.IGNORECASE)
#: Chunks read from a document's start to find its opening statement.
OPENING_CHUNKS = 5
#: One of the items asked about ("what would the open source one involve?"), not the items; not one by its place
#: ("what's the first one?"), which the items in order answer.
_ONE_OF_THEM = re.compile(
    r"\b(?:the|that|this)\s+(?!(?:first|second|third|fourth|fifth|sixth|last|final|next)\b)(?:[\w’'-]+\s+){1,3}one\b",
    re.IGNORECASE,
)
#: An enumeration given as subsections has at least this many; each is quoted by this many first items.
MIN_SECTIONS = 3
OPENING_ITEMS = 2
#: An overview quotes this many sentences of the document's opening statement, then how this many sections open.
OVERVIEW_SENTENCES = 3
OVERVIEW_SECTIONS = 3
#: A paragraph wholly in quotation marks: a subtitle or an epigraph, not the document's statement.
_QUOTED = re.compile(r'^\s*[“"].*[”"]\s*$', re.DOTALL)
#: A paragraph that says what the document itself does: the statement an overview opens with.
_SELF_REFERENCE = re.compile(
    r"\bthis (?:booklet|essay|post|article|piece|analysis|discussion|chapter|series|conversation)\b|\bcore thesis\b",
    re.IGNORECASE,
)

#: The document-name score (BM25 over titles and current names) at which a compared side names a document.
SIDE_NAME_SCORE = 1.0

_NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine", 10: "ten"}


def _without_words(text: str, words: set[str] | frozenset[str]) -> str:
    """The text less its words whose content form is among `words`; the rest (stop words, figures, signs) as written."""
    kept = re.sub(r"[\w’'-]+", lambda m: " " if content_words(m.group(0)) & words else m.group(0), text)
    return re.sub(r"\s+([?!,;:.])", r"\1", " ".join(kept.split()))


def _dangling(quotes: list[_Quote]) -> bool:
    """A quote of one sentence that refers back to what it does not quote: "That is the subject of Section 5.", where
    a chunk opens inside a paragraph. Alone it tells the reader nothing."""
    return len(quotes) == 1 and len(split_sentences(quotes[0].text)) == 1 and bool(_REFERS_BACK.match(quotes[0].text))


def says_little(sentence: str) -> bool:
    items = [i for i in sentence.split(",") if i.strip()]
    keyword_list = len(items) >= 6 and sum(len(i.split()) for i in items) / len(items) <= 3
    return sentence.rstrip().endswith(":") or keyword_list


@dataclass
class _Sentence:
    text: str
    start: int  # character offsets in the chunk's text
    end: int
    score: float = 0.0
    similarity: float = 0.0  # cosine to the question
    overlap: float = 0.0  # share of the question's content words it holds
    idf_overlap: float = 0.0  # the same, weighted by how rare each word is in the corpus
    fragment: bool = False  # says little alone (a lead-in without its list, a keyword line) or asks a question


#: A question asking for a cause: "why did Meta switch?", "what drove the shift?", "how come ...?".
_ASKS_WHY = re.compile(
    r"^\W*(?:(?:and|so|but|ok(?:ay)?)\W+)*(?:why\b|how come\b|what (?:drove|drives|caused|causes|led to|leads to|"
    r"explains)\b|for what reason\b)|\W—\s*why\b",
    re.IGNORECASE,
)
#: A sentence that gives a cause or a purpose.
_CAUSE = re.compile(
    r"\b(?:because|due to|owing to|thanks to|driven by|drove|drive|drives|caused|causes|led to|leads? to|reasons?|"
    r"as a result|so that|in order to|explains?|why|what makes|enables?)\b",
    re.IGNORECASE,
)


#: A question asking whether: "Are Meta's Llama models still being developed?", "Can DeepSeek's techniques be replicated?".
_ASKS_WHETHER = re.compile(
    r"^\W*(?:(?:so|and|but|ok(?:ay)?)\W+)*(?:is|are|was|were|does|do|did|can|could|will|would|should|has|have)\s+"
    r"(?!you\b|we\b|i\b)",
    re.IGNORECASE,
)
#: A sentence that says whether: a negation, or what can or will be ("They can be replicated.", "... no longer evolve").
_VERDICT = re.compile(
    r"\b(?:not|no|never|cannot|can['’]t|won['’]t|isn['’]t|aren['’]t|doesn['’]t|don['’]t|didn['’]t|no longer|can|will|"
    r"remains?|still|already)\b|n['’]t\b",
    re.IGNORECASE,
)


#: A question asking how often: "How often should teams review their triggers?".
_ASKS_HOW_OFTEN = re.compile(r"\bhow (?:often|frequently)\b|\bat what (?:cadence|frequency|interval)\b", re.I)
#: A sentence that says how often: "Quarterly is probably right for most teams.", "every 2 weeks".
_FREQUENCY = re.compile(
    r"\b(?:hourly|daily|weekly|monthly|quarterly|annually|yearly|biannually|every\s+(?:\w+\s+)?(?:day|week|month|"
    r"quarter|year)s?|(?:once|twice|\w+\s+times)\s+(?:a|per)\s+(?:day|week|month|quarter|year)|cadence)\b",
    re.IGNORECASE,
)


#: A question asking for an amount: "how much ...?", "what is the forecast size of ...?", "what does X cost?".
_ASKS_FIGURE = re.compile(
    r"\bhow (?:much|many|big|large|long|fast|expensive)\b|"
    r"\bwhat(?:'s|’s| is| was| are| were) (?:the |its |their )?(?:[\w’'-]+ ){0,3}(?:size|cost|price|valuation|revenue|"
    r"share|percentage|amount|figure|budget)\b|\bwhat (?:does|do|did) .+ cost(?![\w-])",  # not "cost-optimizing"
    re.IGNORECASE,
)
#: A question asking which companies do something: "Who is doing blitzscaling?", "which companies are winning?", "who
#: benefits most from cheaper AI?"; not who someone is, nor who said or coined something ("Who coined blitzscaling?").
_ASKS_WHICH_COMPANIES = re.compile(
    r"^\W*(?:(?:so|and|but)\W+)?(?:who(?:['’]s|\s+is|\s+are)?\s+(?!coined|invented|wrote|said|says|argued|founded|"
    r"named|described|introduced|the\b|a\b|an\b)\w+|which\s+(?:companies|firms|players|labs|vendors|businesses)\b)",
    re.IGNORECASE,
)
#: Where a question asks how something applies to what follows, or what is said about it: "How does the innovator's
#: dilemma apply to OpenAI?", "What does the essay say about Anthropic?".
_APPLIES_TO = re.compile(
    r"\b(?:apply|applies|applied|relate|relates|say|says|said|think|thinks|argue|argues)\s+(?:to|about|of)\b",
    re.IGNORECASE,
)
#: A sentence that gives an amount: a number ("$47.3B by 2034", "7.3 times less", "every 7 months", "two years"); not a
#: year ("(2020)") nor a version's number ("GPT-3").
_FIGURE = re.compile(
    r"[$€£]\s?\d|(?<![\w.$-])(?!(?:19|20)\d\d\b)\d|"
    r"\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundreds?|thousands?|millions?|billions?|"
    r"trillions?|half|twice|double|triple)\b",
    re.IGNORECASE,
)


def _mark_cue(unit: _Unit, cue: re.Pattern[str], in_item: bool = False) -> None:
    """In a paragraph of the best passage (or, `in_item`, the answering item of its list), the sentence that holds
    what the question's form asks for and is about what is asked is the one marked, when the block's own answer does
    not hold it: the verdict of a whether-question ("Are Meta's Llama models still being developed?": "Existing Llama
    models remain available but no longer evolve."), how often ("How often should teams review their triggers?":
    "Quarterly is probably right for most teams."), an amount ("What is the forecast size of the enterprise ...
    market?": "Forecasts suggest $47.3B by 2034")."""
    said = _cue_sentences(unit, cue) or (_cue_in_item(unit, cue) if in_item else [])
    if said:
        unit.answering = max(said, key=lambda s: (s.overlap, s.score))


def _item_of(unit: _Unit, sentence: _Sentence) -> tuple[int, int] | None:
    """The span of the list item that holds the sentence, or None (a lead-in's sentence)."""
    return next(((a, b) for a, b in unit.items if a <= sentence.start < b), None)


def _cue_in_item(unit: _Unit, cue: re.Pattern[str]) -> list[_Sentence]:
    """In a list of the best passage, the sentences of the answering sentence's own item that hold the cue and share a
    word with the question, when the answering sentence holds none ("- Enterprise markets consolidate around
    productivity and coding AI. Forecasts suggest $47.3B by 2034, ...")."""
    best = unit.best
    if unit.kind != "list" or unit.rank > 0 or cue.search(best.text):
        return []
    item = _item_of(unit, best)
    if item is None:
        return []
    return [
        s
        for s in unit.sentences
        if item[0] <= s.start < item[1] and s.overlap > 0 and not s.fragment and cue.search(s.text)
    ]


def _cue_sentences(unit: _Unit, cue: re.Pattern[str]) -> list[_Sentence]:
    """The sentences of a paragraph of the best passage that hold the cue (a cause, a verdict) and share a word with
    the question, when the sentence the block answers with holds none; [] otherwise. A further passage is quoted by
    its answering sentence alone, and a list's items are points of their own: neither is changed."""
    if unit.kind != "paragraph" or unit.rank > 0 or cue.search(unit.best.text):
        return []
    return [s for s in unit.sentences if s.overlap > 0 and not s.fragment and cue.search(s.text)]


#: A sentence whose cause is the one before it: "This leads to consolidation.", "That is why ...".
_POINTS_BACK = re.compile(
    r"^\W*(?:this|that|these|it)\s+(?:\w+\s+)?(?:leads?|led|is why|explains|drives|causes)\b", re.I
)


def _mark_cause(unit: _Unit) -> None:
    """In a paragraph of the best passage answering a why-question, the sentence that gives a cause and is about what
    is asked is the one marked, when the block's own answer does not give one (_cue_sentences)."""
    if causes := _cue_sentences(unit, _CAUSE):
        cause = max(causes, key=lambda s: s.score)
        place = unit.sentences.index(cause)
        # "This leads to consolidation.": the sentence before gives the cause it points back at
        if _POINTS_BACK.match(cause.text) and place > 0:
            cause = unit.sentences[place - 1]
        unit.answering = cause


#: A name and its number in a question ("Sonnet 4.6", "GPT-4", "Llama 4"), and a year ("in 2023").
_VERSION_ASKED = re.compile(r"(?<![\w-])([A-Za-z]+)[\s-](\d+(?:\.\d+)*)(?![\w%]|[.-]\d)")
_YEAR_ASKED = re.compile(r"(?<![\w.$-])((?:19|20)\d\d)(?![\w%]|\.\d)")


#: A term the question quotes: "one-way moat", 'power', “death zone” (one to five words; an apostrophe inside a word,
#: as in "Meta's", opens or closes none; a question mark inside the quotes is the question's).
_QUOTED_TERM = re.compile(r"(?<![\w'’])[\"“]([^\"“”\n]{2,60}?)[\"”](?!\w)|(?<!\w)['‘]([^'‘’\n]{2,60}?)['’](?!\w)")


def _quoted_term(question: str, document_called: Callable[[str], str | None]) -> re.Pattern[str] | None:
    """The one term the question quotes (_QUOTED_TERM), as a pattern; None for none, for several ('Compare "Continued
    Scaling" and "Financial Correction"' compares them), or for a document's or current's name ('In "The Platform
    Paradox" essay, ...': where to look, not what is asked)."""
    quoted = [(m.group(1) or m.group(2)).strip(" ?!.,") for m in _QUOTED_TERM.finditer(asked_last(question))]
    terms = [t for t in quoted if 1 <= len(t.split()) <= 5 and document_called(t) is None]
    if len(quoted) != 1 or len(terms) != 1:
        return None
    return re.compile(rf"(?<!\w){re.escape(terms[0])}(?!\w)", re.IGNORECASE)


#: A model's or chip's name written as letters and a number in one word: "V3", "R1", "o1", "H100", "K2.6"; not a
#: quarter, half or fiscal year ("Q3", "H1", "FY2026").
_GLUED_VERSION = re.compile(
    r"(?<![\w.$-])(?!(?:Q[1-4]|H[12]|FY\d{2,4}|CY\d{2,4})\b)([A-Za-z]{1,3}\d+(?:\.\d+)?)(?![\w%]|\.\d)"
)
#: Capitalised nouns numbering a part or a rank, not a version: "Stage 4", "Article 5", "Top 5", "Level 2".
_NUMBERED_PARTS = frozenset(
    "stage stages level levels article articles step steps phase phases chapter chapters section sections part parts "
    "top scenario scenarios tier tiers round rounds option options figure table page item items point points number "
    "current currents layer layers".split()
)


def _named_versions(question: str, *, parts: bool = True) -> list[re.Pattern[str]]:
    """How a sentence writes the versions a question names with a space or a hyphen: "Sonnet 4.6" as "Sonnet 4.6" (not
    "Opus 4.6"), "GPT-4" as "GPT-4" or "GPT 4" (not "GPT-4o"); not a date's month ("March 2023"); without `parts`, not
    a numbered part ("Stage 4")."""
    skipped = STOPWORDS | MONTHS | (frozenset() if parts else _NUMBERED_PARTS)
    return [
        re.compile(rf"\b{re.escape(name)}[\s-]+{re.escape(number)}(?![\w%]|\.\d)", re.IGNORECASE)
        for name, number in _VERSION_ASKED.findall(question)
        if name[0].isupper() and name.lower() not in skipped
    ]


def _models_asked(question: str) -> list[re.Pattern[str]]:
    """The versions a question names by their number ("Sonnet 4.6", "GPT-4", "DeepSeek V3", "o1"), not a year: how a
    sentence writes each ("V3" also in "DeepSeek-V3")."""
    glued = [re.compile(rf"(?<![\w.]){re.escape(v)}(?![\w%]|\.\d)") for v in _GLUED_VERSION.findall(question)]
    return _named_versions(question, parts=False) + glued


def _versions_asked(question: str) -> list[re.Pattern[str]]:
    """How an item writes the versions and years a question names: the versions as _named_versions ("Stage 4" too:
    an item may be named so), "in 2023" as "2023"; not a count ("the 5 stages") nor a date's month ("March 2023": its
    year)."""
    found = _named_versions(question)
    for year in _YEAR_ASKED.findall(question):
        found.append(re.compile(rf"(?<![\d.$]){year}(?![\d%]|\.\d)"))
    return found


def _mark_named_item(unit: _Unit, versions: list[re.Pattern[str]]) -> None:
    """In a list whose items each name their own subject, the item with the version or year asked answers: "How much
    does an hour of a Sonnet 4.6 agent cost?" marks the Sonnet 4.6 item, not the "$8 per agent-hour" of the Opus 4.7
    item before it; "Which 2023 release ...?" the "March 2023" item."""
    if unit.kind != "list" or len(unit.items) < 2:
        return

    def named(start: int, end: int) -> int:
        return sum(bool(v.search(unit.chunk.text[start:end])) for v in versions)

    best = unit.best
    holding = _item_of(unit, best)
    if holding is None:
        return
    naming = max(unit.items, key=lambda item: named(*item))
    if named(*naming) > named(*holding):
        inside = [s for s in unit.sentences if naming[0] <= s.start < naming[1] and not s.fragment]
        if inside:
            unit.answering = max(inside, key=lambda s: s.score)


@dataclass
class _Unit:
    """An answering block of one passage: a paragraph, a table, or a list with its lead-in."""

    chunk: Chunk
    rank: int
    kind: str  # list | paragraph | table | other
    start: int
    end: int
    lead: tuple[int, int] | None = None  # a list's lead-in paragraph ("Hoffman's framework identifies five stages:")
    items: list[tuple[int, int]] = field(default_factory=list)
    sentences: list[_Sentence] = field(default_factory=list)
    first_in_section: bool = False
    score: float = float("-inf")
    heading_share: float = 0.0  # share of the question's content words in the section heading
    block_share: float = 0.0  # idf-weighted share of the question's words in the block and its headings
    form_bonus: float = 0.0  # what the question's form gives this block (a named list, a titled section)
    named: bool = False  # the block's document is one the question names
    learned: bool = False  # scored by the sentence model (a probability) rather than the hand weights
    #: The sentence that answers when the block's form says so rather than its score: a definition's
    #: opening sentence, a list's lead-in.
    answering: _Sentence | None = None
    #: Where the line naming the source of a quotation starts, when the block is a quotation with one: quoted with
    #: it, never the answer by itself.
    attribution: int | None = None

    @property
    def text(self) -> str:
        """The block as its passage writes it."""
        return self.chunk.text[self.start : self.end]

    @property
    def best(self) -> _Sentence:
        """The answering sentence: a quotation's, not the line naming its source."""
        said = [s for s in self.sentences if self.attribution is None or s.start < self.attribution]
        return self.answering or max(said or self.sentences, key=lambda s: s.score)


@dataclass
class _Quote:
    """One verbatim span of one chunk, as quoted; `bold` is the answering sentence's span inside it, if any."""

    chunk: Chunk
    start: int
    end: int
    bold: tuple[int, int] | None = None

    @property
    def text(self) -> str:
        return self.chunk.text[self.start : self.end]

    def rendered(self) -> str:
        """The quote as Markdown, the answering sentence in bold when there is more around it."""
        if self.bold is None:
            return self.text
        text, (b0, b1) = self.chunk.text, self.bold
        alone = not (text[self.start : b0] + text[b1 : self.end]).strip(" -*+\n")
        if alone or "*" in text[b0:b1]:
            return self.text
        return f"{text[self.start : b0]}**{text[b0:b1]}**{text[b1 : self.end]}"


def _units(chunk: Chunk, rank: int) -> list[_Unit]:
    """The chunk's blocks grouped into answering units: consecutive list items with the lead-in before them."""
    units: list[_Unit] = []
    text = chunk.text
    blocks = list(text_blocks(text))
    for place, block in enumerate(blocks):
        previous = units[-1] if units else None
        alone = place + 1 == len(blocks) or blocks[place + 1].kind != "item"
        if (
            block.kind == "item"
            and alone
            and previous is not None
            and _attributes(text, previous, block.start, block.end)
        ):
            previous.end = block.end  # “History doesn’t repeat itself, but it often rhymes.” - Mark Twain (attributed)
            previous.attribution = block.start
            continue
        if block.kind == "item":
            if previous is not None and previous.kind == "list" and previous.end <= block.start:
                previous.items.append((block.start, block.end))
                previous.end = block.end
                continue
            if previous is not None and previous.kind == "paragraph" and _leads_in(text[previous.start : previous.end]):
                previous.kind, previous.lead = "list", (previous.start, previous.end)
                previous.items.append((block.start, block.end))
                previous.end = block.end
                continue
            units.append(_Unit(chunk, rank, "list", block.start, block.end, items=[(block.start, block.end)]))
        else:
            kind = block.kind if block.kind in ("paragraph", "table") else "other"
            if kind == "paragraph" and previous is not None and _attributes(text, previous, block.start, block.end):
                previous.end = block.end  # “...13% of total revenue ...” NVIDIA 10-Q, filed 5/29/2024: one block
                previous.attribution = block.start
                continue
            units.append(_Unit(chunk, rank, kind, block.start, block.end))
    return units


#: The most words of a one-sentence paragraph that leads into the list right after it without a colon ("And yet,
#: paradoxically, prompting has become more important than ever." before the three reasons).
LEAD_SENTENCE_WORDS = 15


def _block_after(chunk: Chunk, offset: int) -> _Unit | None:
    """The chunk's first block that starts at or after `offset`, if any."""
    return next((u for u in _units(chunk, 0) if u.start >= offset), None)


def _leads_in(paragraph: str) -> bool:
    """Whether a paragraph leads into the list right after it: it ends with a colon, or it is one short sentence."""
    paragraph = paragraph.strip()
    return paragraph.endswith(":") or (
        len(split_sentences(paragraph)) == 1 and len(paragraph.split()) <= LEAD_SENTENCE_WORDS
    )


#: The most words of a line that says whose a quotation is ("NVIDIA 10-Q, filed 5/29/2024", "-Mark Zuckerberg, 1/18/2024").
ATTRIBUTION_WORDS = 10


def _attributes(text: str, previous: _Unit, start: int, end: int) -> bool:
    """The line names the source of the quotation just before it: a short line with no sentence in it, after a
    paragraph that is all quotation. Alone it says nothing a reader can use; with the quotation it is the citation."""
    line = text[start:end].strip()
    return (
        previous.kind == "paragraph"
        and bool(_QUOTED.match(text[previous.start : previous.end]))
        and len(line.split()) <= ATTRIBUTION_WORDS
        and not re.search(r"[.!?:]\s*$", line)
    )


def _is_statement(unit: _Unit) -> bool:
    """A paragraph or list that says something: not a table, not a one-line framing question (“How Much Does GPT-4 Cost?”)."""
    if unit.kind == "list":
        return True
    text = unit.text
    return unit.kind == "paragraph" and len(text.split()) >= STATEMENT_WORDS and not _asks(text)


def _punchline(unit: _Unit) -> bool:
    """A paragraph of one short sentence after a list, which says what the list comes to ("Outcome: Gradual platform
    erosion", "No time for disappointment to crystallize."): not a list's lead-in (it would be part of that list), nor
    a question."""
    text = unit.text.strip()
    return (
        unit.kind == "paragraph"
        and len(split_sentences(text)) == 1
        and len(text.split()) <= PUNCHLINE_WORDS
        and not text.endswith(":")
        and not _asks(text)
    )


def _asks(sentence: str) -> bool:
    """A question in the text ("“How Much Does GPT-4 Cost?”") frames a passage; it answers nothing."""
    return sentence.rstrip().rstrip('”"’)').endswith("?")


def _locate(chunk: Chunk, sentences: list[tuple[str, np.ndarray]]) -> list[tuple[_Sentence, np.ndarray]]:
    """The chunk's indexed sentences with their offsets in its text (they are verbatim slices of it, in order)."""
    located, cursor = [], 0
    for sentence, vector in sentences:
        start = chunk.text.find(sentence, cursor)
        if start < 0:
            continue
        located.append((_Sentence(sentence, start, start + len(sentence)), vector))
        cursor = start + len(sentence)
    return located


def _share(wanted: set[str], found: set[str]) -> float:
    return len(wanted & found) / len(wanted) if wanted else 0.0


def _says_number(text: str, number: int) -> bool:
    return re.search(rf"\b(?:{number}|{_NUMBER_WORDS.get(number, number)})\b", text, re.IGNORECASE) is not None


class _Rarity:
    """Inverse document frequency of content words over the indexed chunks: "goose" says more than "AI"."""

    def __init__(self, chunks: list[Chunk]):
        counts = Counter(w for c in chunks for w in content_words(f"{c.section_path} {c.text}"))
        total = len(chunks) + 1
        self._idf = {w: math.log(total / (n + 0.5)) for w, n in counts.items()}
        self._unseen = math.log(total / 0.5)

    def share(self, wanted: set[str], found: set[str]) -> float:
        weights = {w: self._idf.get(w, self._unseen) for w in sorted(wanted)}  # a fixed order: sums reproduce
        total = sum(weights.values())
        return sum(v for w, v in weights.items() if w in found) / total if total else 0.0


class ExtractiveAnswerer:
    def __init__(
        self,
        retriever,
        config: ExtractiveConfig | None = None,
        sentence_model: SentenceModel | None = None,
        adapted_sentence_model: SentenceModel | None = None,
    ):
        self._retriever = retriever
        self.config = config or ExtractiveConfig()
        self.sentence_model = sentence_model
        #: The sentence model for sentences scored against the query adapter's mapped question (when the map is on).
        self.adapted_sentence_model = adapted_sentence_model
        self._rarity: tuple[int, _Rarity] | None = None
        self._glosses: tuple[int, dict[frozenset[str], _Quote]] | None = None

    def _word_rarity(self) -> _Rarity:
        chunks = self._retriever.chunks
        if self._rarity is None or self._rarity[0] != id(chunks):  # rebuilt when a new index is loaded
            self._rarity = (id(chunks), _Rarity(chunks))
        return self._rarity[1]

    def answer(
        self, question: str, retrieval: Retrieval, shown: frozenset[str] = frozenset(), *, gloss_added: bool = False
    ) -> VerifiedAnswer:
        """The answer quoted from the retrieval's passages; `shown`: the sentences the last answer of the conversation
        marked (shown_sentences), which a follow-up asks past; `gloss_added`: the question holds a gloss in parentheses
        that resolving a follow-up added, which it reads past."""
        if not retrieval.hits or retrieval.query_vector is None:
            return VerifiedAnswer("", [])
        # what is asked, less a gloss resolving a follow-up added: "the first one" is resolved to "Continued Scaling (the
        # six currents in the scenario planning booklet)", which asks for no six currents and compares nothing
        asked = without_glosses(question) if gloss_added else question
        form = classify(asked)
        named = self._retriever.named_documents(asked)
        # Two documents named make a comparison, unless the question refers to one as one ("the Efficiency Revolution
        # current") and asks no comparison: another title sharing its words ("The AI Monetization Efficiency
        # Revolution") is not asked about.
        relates = bool(_RELATION.search(question))
        compares = (
            form.kind == "comparison"
            or len(form.references) >= 2
            or (len(named) >= 2 and (len(form.references) != 1 or relates))
            # "How many GPUs does the Platform Paradox credit Meta with, and what size does the Continued Scaling
            # chapter give ...?": a question asked of each
            or (len(named) >= 2 and bool(own_questions(asked, self._mentions(asked, dict.fromkeys(named, "")))))
        )
        # "How do Continued Scaling and Efficiency Revolution relate?", "how does the Efficiency Revolution current
        # interact with Sovereignty?": the passage that links them answers, when one does
        linked = self._linked_currents(named) if compares and relates else set()
        if linked and not any(_names_two(h.chunk.text, linked) for h in retrieval.hits[: self.config.passages]):
            linked = set()
        # a term the question quotes that the passages hold is what it asks about: 'what a "one-way moat" means in the
        # Anthropic vs OpenAI story' compares nothing
        term = _quoted_term(question, self._retriever.document_called)
        if term is not None and not any(term.search(h.chunk.text) for h in retrieval.hits[: self.config.passages]):
            term = None  # a quoted term the passages do not hold is no answer's lead
        compares = compares and term is None
        if term is None and (companies := self._company_sides(question, form, named, retrieval)):
            # "Meta vs Google in the GPU race": each company's own block ("Meta: The Desperate Sprinter", "Google: The
            # Vertical Integrator"), after the best passage when it sets the two side by side
            lead = self._both_named(question, form, companies, retrieval)
            return _compose(
                ([self._render(lead, form)] if lead else [])
                + [
                    # a section of the company's own is quoted as a section of an enumeration is: whole when short
                    [self._section_quote(unit.chunk)]
                    if _headed_by(company, unit.chunk.section)
                    else self._render(unit, form, sentences=self.config.side_sentences)
                    for unit, company in companies
                ]
            )
        if compares and not linked:
            sides = self._comparison(question, form, named, retrieval)
            if len(sides) >= 2:
                # "Continued Scaling vs Efficiency Revolution": where the booklet sets the two side by side, first
                bridge = self._bridge(question, named)
                return _compose(
                    ([[bridge]] if bridge else [])
                    + [
                        self._render(
                            unit,
                            form,
                            sentences=self.config.side_sentences if n == 0 else self.config.extra_sentences,
                            list_words=self.config.short_list_words if n == 0 else None,
                        )
                        for side in sides
                        for n, unit in enumerate(side)
                    ]
                )
        if form.kind == "comparison" and term is None and (concepts := self._concept_sides(form, retrieval)):
            return _compose([self._render(unit, form, sentences=self.config.side_sentences) for unit in concepts])
        # "summarise the podcast"; and "what is the Sovereignty chapter?", "what is Continued Scaling?": what a
        # document referred to as one, or a current by its name, is (the current first in the clause glossing it)
        gloss = self._gloss(form.focus) if form.kind == "definition" else None
        if document := document_asked(self._retriever, question, form, glossed=gloss is not None):
            return _compose(([[gloss]] if gloss else []) + self._overview(document))
        hits = retrieval.hits[: self.config.passages]
        if form.kind in ("enumeration", "definition") and (
            sections := self._sections_named(question, form, named, hits)
        ):
            return _compose([[self._section_quote(chunk)] for chunk in sections])
        opening: list[SearchHit] = []
        if form.kind == "definition":  # "what is the platform paradox?": the essay of that name opens by saying
            for document in self._titled(form.focus):
                opening += self._opening_hits(document)
            # found too, it is still the opening: no rank penalty ("What is blitzscaling?": the essay's opening was the
            # fifth passage found and lost to “Microsoft: The Platform Blitzscaler”)
        others = [h for h in hits if h.chunk.id not in {x.chunk.id for x in opening}]
        units = self._scored_units(question, form, named, opening + others, retrieval, unranked=len(opening))
        if not units:
            return VerifiedAnswer("", [])
        _past_shown(units, shown)
        units.sort(key=lambda u: (not _names_two(u.text, linked), -u.score))
        if retrieval.lead is not None and not linked:
            _led_by_chunk(retrieval.lead, units)
        if retrieval.lead is None:  # a rule's lead stands (the section of advice a document recommends)
            self._document_leads(form, units)
            self._heading_leads(question, units)
            self._term_heading_leads(form, units)
        self._subject_leads(question, units)
        self._figure_leads(question, units)
        self._version_leads(question, units)
        self._year_leads(question, units)
        self._company_leads(question, units)
        self._actors_lead(question, units)
        _person_leads(question, units)
        if term is not None:
            _quoted_leads(term, units)
        best = units[0]
        if form.kind == "enumeration" and _ASKS_LIST.search(question) and not any(_lists(u, form) for u in units):
            best = self._deeper_list(question, form, named, retrieval, {h.chunk.id for h in hits}) or best
        blocks = [self._whole_section(best, form, question) or self._render(best, form)]
        if _dangling(blocks[0]):  # it only points elsewhere ("That is the subject of Section 5."): the next answers
            for unit in units[1:]:
                if not _dangling(quotes := self._whole_section(unit, form, question) or self._render(unit, form)):
                    best, blocks = unit, [quotes]
                    break
        # Further passages that answer nearly as well, each briefly: the reader sees where else the corpus says it.
        quoted = {best.chunk.id} | {q.chunk.id for q in blocks[0]}
        glossed = 0  # the gloss, or the section defining the term, takes no further passage's place
        if gloss is not None and not any(_overlaps(gloss, quote) for quote in blocks[0]):
            blocks.insert(0, [gloss])  # "What is Continued Scaling?": what the booklet says it is, first
            quoted.add(gloss.chunk.id)
            glossed = 1
        defining = self._defining_section(form.focus) if form.kind == "definition" and gloss is None else None
        if defining is not None and defining.id not in quoted:
            # "What is creative destruction?": the essay's “Creative Destruction Defined”, first
            blocks.insert(0, [self._section_quote(defining)])
            quoted.add(defining.id)
            glossed = 1
        for unit in units[1:]:
            if len(blocks) - glossed > self.config.extra_blocks or unit.score < best.score - self._margin(best):
                break
            if unit.chunk.id not in quoted:
                # A short list stays a list: quoted whole, not one item cut from it.
                further = self._render(
                    unit, form, sentences=self.config.extra_sentences, list_words=self.config.extra_list_words
                )
                if _dangling(further):
                    continue
                blocks.append(further)
                quoted.add(unit.chunk.id)
        return _compose(blocks)

    def _figure_leads(self, question: str, units: list[_Unit]) -> None:
        """For a question asking an amount ("how much enterprise market share did openai lose to anthropic?"), a block
        quoted further on whose answering sentence gives a figure (not a year nor a version's number) leads, when the
        best one's gives none ("OpenAI's loss of enterprise market share to Anthropic isn't a failure—it's physics.");
        not for a question of degree ("How much does prompting still matter?")."""
        asked = asked_last(question)
        if not _ASKS_FIGURE.search(asked) or _DEGREE_ASKED.search(asked) or not units:
            return
        if _FIGURE.search(units[0].best.text):
            return
        best = units[0]
        rivals = [
            u
            for u in units[1 : 1 + self.config.lead_rivals]
            if u.chunk.id != best.chunk.id
            and u.score >= best.score - self._margin(best)
            and _FIGURE.search(u.best.text)
        ]
        if rivals:
            _to_front(units, rivals[0])

    def _version_leads(self, question: str, units: list[_Unit]) -> None:
        """For a question naming a version ("What did DeepSeek V3 cost to train?"), when the best block's answering
        sentence names none the question names, the block within the margin whose sentence names one leads, marked
        by that sentence ("... DeepSeek released V3 ... for just $5.6 million", not "DeepSeek released R1 ... for an
        incremental $294,000" beside it). A number in a document's title ("Creative Destruction 2.0") is none."""
        titles = self._retriever.documents().values()  # "Creative Destruction 2.0" names an essay, no version
        versions = [v for v in _models_asked(asked_last(question)) if not any(v.search(t) for t in titles)]
        if not versions or not units or any(v.search(units[0].best.text) for v in versions):
            return

        def names(text: str) -> bool:
            return any(v.search(text) for v in versions)

        self._lead_naming(units, lambda unit: any(not s.fragment and names(s.text) for s in unit.sentences), names)

    def _year_leads(self, question: str, units: list[_Unit]) -> None:
        """For a question naming a year ("How much electricity will AI use in 2030 according to the Jevons essay?"),
        when the best block names none the question names (in its text or its heading), the block within the margin
        that does leads ("2030 Projection (with efficiency gains): ..."), not the 2024 figures of the block beside
        it); its sentence naming the year answers, when one does."""
        years = [re.compile(rf"(?<![\d.$]){y}(?![\d%]|\.\d)") for y in _YEAR_ASKED.findall(asked_last(question))]
        if not years or not units or any(y.search(_block_and_heading(units[0])) for y in years):
            return

        def names(text: str) -> bool:
            return any(y.search(text) for y in years)

        self._lead_naming(units, lambda unit: names(_block_and_heading(unit)), names)

    def _company_leads(self, question: str, units: list[_Unit]) -> None:
        """For a question naming one company, when the best block names it nowhere (its text, heading or document's
        title), the block within the margin that does leads ("when does xAI expect AGI?": “xAI: The Pure
        Blitzscaler”, not the innovator's dilemma essay's list of 2023's questions, "When will you achieve AGI?"), by
        its name or another ("How did the search giant approach the chip race?": “Google: The Vertical Integrator”)."""
        asked = asked_last(question)
        companies = entities.companies(asked) or self._retriever.aliases.referred(asked)
        if len(companies) != 1 or not units:
            return
        company, aliases = companies[0], self._retriever.aliases

        def says(text: str) -> bool:  # by its name or another ("Mark Zuckerberg": Meta)
            return entities.named_in(company, text) or aliases.call(company, text)

        # a document's title naming the company counts, unless the question asks how a document it names applies to
        # the company, or what it says about it: then the part of it about the company is asked for ("How does the
        # innovator's dilemma apply to OpenAI?", though the essay's title names OpenAI)
        applied = _APPLIES_TO.search(asked)
        titled = not (applied and says(asked[applied.end() :]) and self._retriever.named_documents(asked))

        def names(unit: _Unit) -> bool:
            return says(f"{unit.chunk.document_title if titled else ''}\n{_block_and_heading(unit)}")

        if not names(units[0]):
            self._lead_naming(units, names, says)
        elif (
            (_ASKS_FIGURE.search(asked) or KEYWORD_AMOUNT.match(asked))
            and not says(best := units[0].best.text)
            and {c.lower() for c in entities.companies(best)} - {company.lower()}
        ):
            # "deepseek training cost": the block's sentence giving DeepSeek's figure answers, not OpenAI's GPT-4's
            # before it (one that says "the company" may be about the one asked of)
            giving = [s for s in units[0].sentences if not s.fragment and says(s.text) and _FIGURE.search(s.text)]
            if giving:
                units[0].answering = max(giving, key=lambda s: s.score)

    def _document_leads(self, form: QuestionForm, units: list[_Unit]) -> None:
        """For a question referring to one document as one ("According to the podcast digest, what now decides who
        stays ahead in AI ...?"), when the best block is of another, the block of that document within the margin leads
        (the digest's thesis, not the Efficiency Revolution chapter's interviews of Mistral's CEO on a podcast). Not a
        document whose title's words the question only shares ("compute arms race": the digest's “AI Arms Race”), nor
        a work of several, which the reference calls whole ("the booklet": its chapters, `documents_called`)."""
        called = self._retriever.documents_called(form.references[0]) if len(form.references) == 1 else ()
        if len(called) == 1 and units and units[0].chunk.document_id not in called:
            self._lead_naming(units, lambda unit: unit.chunk.document_id in called, lambda _: False)

    def _heading_leads(self, question: str, units: list[_Unit]) -> None:
        """When the best block's section heading holds next to none of the question's words, the block within the margin
        whose heading names what is asked leads: its heading holds HEADING_SUBJECT_WORDS of them at least, which are
        HEADING_SUBJECT_SHARE of its words, and it holds, heading and text, as much of them by rarity as the best does ("How
        should a bank think about vendor concentration risk?": “Vendor concentration is the under-discussed risk”, not
        a sentence of another chapter naming that risk in passing; not “Local—Inference” for "local inference
        micro-datacenters", when the best block holds the micro-datacenters too)."""
        asked, rarity = content_words(asked_last(question)), self._word_rarity()
        if not units or len(asked & content_words(units[0].chunk.section or "")) >= HEADING_SUBJECT_WORDS:
            return
        least = rarity.share(asked, indexed_words(_block_and_heading(units[0])))

        def headed(unit: _Unit) -> bool:
            heading = content_words(unit.chunk.section or "")
            held = asked & heading
            return (
                len(held) >= HEADING_SUBJECT_WORDS
                and len(held) >= HEADING_SUBJECT_SHARE * len(heading)
                and rarity.share(asked, indexed_words(_block_and_heading(unit))) >= least
            )

        self._lead_naming(units, headed, lambda _: False)

    @staticmethod
    def _term_heading_leads(form: QuestionForm, units: list[_Unit]) -> None:
        """For a definition whose term the best block's heading does not hold every word of, the best block found that
        is headed by the term leads, however far below: a section headed by it is where the corpus says what it is ("What
        is the reliability race?": “2025: The Reliability Race”; "What is the AI flywheel?": “The AI Industry Is Starting
        to Look Like Amazon's Flywheel”), not a sentence using it in passing (“... justify the flywheel's next turn”)."""
        term = content_words(form.focus) - {"s"}
        if form.kind != "definition" or not term or not units:
            return

        def headed(unit: _Unit) -> bool:
            return term <= content_words(unit.chunk.section or "")

        # a best sentence opening with the term defines it (“The Fractal Pattern of Specialization explains ...”)
        opening = " ".join(units[0].best.text.split()[:TERM_OPENING_WORDS])
        if not headed(units[0]) and not term <= content_words(opening):
            found = next((unit for unit in units[1:] if headed(unit)), None)
            if found is not None:
                _to_front(units, found)

    def _subject_leads(self, question: str, units: list[_Unit]) -> None:
        """For a question asking where a company stands on something ("What is NVIDIA's CUDA moat?": coverage.
        company_standing), when the best block holds nothing of it (“By the end of this year, we're going to have around
        350,000 NVIDIA H100s.”), the block within the margin that does leads ("NVIDIA is currently king with the best
        hardware and a software network effect (e.g., CUDA)")."""
        standing = company_standing(asked_last(question))
        if standing is None or not units:
            return
        _, asked, subject = standing
        # or else any word of standing, when it asks where the company stands ("What's NVIDIA's moat?": "king")
        subject = subject or (STANDING_WORDS if asked <= STANDING_WORDS else asked)

        def holds(text: str) -> bool:
            return bool(subject & indexed_words(text))

        if not holds(_block_and_heading(units[0])):
            self._lead_naming(units, lambda unit: holds(_block_and_heading(unit)), holds)

    def _actors_lead(self, question: str, units: list[_Unit]) -> None:
        """For a question asking which companies do something ("Who is doing blitzscaling?", "which companies are
        winning the chip race?"), when the best block names no company (its text or heading: “For Defenders”, advice
        to anyone), the block within the margin headed by one leads (“xAI: The Pure Blitzscaler”), or else the one
        that names one."""
        asked = asked_last(question)
        if not _ASKS_WHICH_COMPANIES.match(asked) or entities.companies(asked) or not units:
            return

        def names_one(text: str) -> bool:
            return bool(entities.companies(text))

        if not names_one(_block_and_heading(units[0])):  # a block headed by a company first, then one naming one
            first = units[0]
            self._lead_naming(units, lambda unit: names_one(unit.chunk.section or ""), names_one)
            if units[0] is first:
                self._lead_naming(units, lambda unit: names_one(_block_and_heading(unit)), names_one)

    def _lead_naming(
        self, units: list[_Unit], block_names: Callable[[_Unit], bool], sentence_names: Callable[[str], bool]
    ) -> None:
        """The first block within the margin of the best that names what the question does (block_names) leads, marked
        by its best sentence naming it (sentence_names), when one does (_version_leads, _year_leads)."""
        best = units[0]
        for unit in units[: 1 + self.config.lead_rivals]:
            if unit.score < best.score - self._margin(best):
                break
            if block_names(unit):
                _lead_marked(units, unit, sentence_names)
                return

    def quote_conclusion(self, question: str, retrieval: Retrieval) -> VerifiedAnswer:
        """What a document concludes, from the chunks of the section it closes with (the retrieval's hits, in order):
        that section's opening statement, where a conclusion states its thesis, then the block of it that answers
        the question best when that is another ("what does the platform paradox piece conclude about Meta?")."""
        if not retrieval.hits or retrieval.query_vector is None:
            return VerifiedAnswer("", [])
        first = retrieval.hits[0].chunk
        statement = next((u for u in _units(first, 0) if _is_statement(u)), None)
        opening = _opening_statement(first, statement) if statement else _opening_quote(first)
        blocks = [[opening]]
        form = classify(question)
        units = self._scored_units(question, form, [], retrieval.hits, retrieval)
        if units:
            best = max(units, key=lambda u: u.score)
            quotes = self._render(best, form, sentences=self.config.extra_sentences)
            if not any(_overlaps(opening, quote) for quote in quotes):
                blocks.append(quotes)
        return _compose(blocks)

    def quote_parts(self, asked: Sequence[AskedPart]) -> VerifiedAnswer:
        """Parts of currents, quoted as their chapters have them (asked_current_parts)."""
        if not asked:
            return VerifiedAnswer("", [])
        blocks: dict[str, list[_Quote]] = {}  # one block per chunk, in the order the currents and parts were asked
        for part in asked:
            for chunk, start, end in part.spans:
                blocks.setdefault(chunk.id, []).append(_Quote(chunk, start, end))
        quoted = _compose(list(blocks.values()))
        if len(asked) == 1:
            return replace(quoted, text=asked[0].lacks + quoted.text) if asked[0].missing else quoted
        first = asked[0]
        if all(p.missing == p.parts for p in asked):  # none has any part asked: their trigger lists (_shown)
            others = f"; {_elsewhere(first.elsewhere)}" if first.elsewhere else ""
            said = (
                f"The {listed_names(tuple(p.current for p in asked))} chapters list no {first.missing_label}{others}."
            )
            return replace(quoted, text=f"{said} Their trigger signals:\n\n{quoted.text}")
        # Several currents: what chapters lack is said first ("The Continued Scaling chapter lists no counter-trigger."),
        # and the others' parts follow.
        lacking: dict[str, list[str]] = {}
        for part in asked:
            if part.missing:
                lacking.setdefault(part.missing_label, []).append(part.current)
        said = " ".join(
            f"The {listed_names(tuple(names))} chapter{' lists' if len(names) == 1 else 's list'} no {label}."
            for label, names in lacking.items()
        )
        return replace(quoted, text=f"{said}\n\n{quoted.text}") if said else quoted

    def _deeper_list(
        self, question: str, form: QuestionForm, named: list[str], retrieval: Retrieval, seen: set[str]
    ) -> _Unit | None:
        """For an enumeration none of the top passages lists: the best block further down the ranking that lists
        what is asked (a list under a heading or lead-in naming it, or a sentence naming the items in a row: "The
        six currents are: Continued Scaling (...), Efficiency Revolution (...), ..."), if any."""
        deeper = self._retriever.retrieve(
            question,
            self.config.list_passages,
            vector=retrieval.query_vector,
            adapt=retrieval.adapted_vector is not None,
        ).hits
        # not another document's than those the question names, or the work it calls by its kind ("the booklet")
        asked_of = {*named, *(d for r in document_references(question) for d in self._retriever.documents_called(r))}
        deeper = [h for h in deeper if h.chunk.id not in seen and (not asked_of or h.chunk.document_id in asked_of)]
        units = self._scored_units(question, form, named, deeper, retrieval)
        about = self._about_asked(question, form)
        listing = [u for u in units if _lists(u, form) and self._of_subject(u, about)]
        return max(listing, key=lambda u: u.score) if listing else None

    def _about_asked(self, question: str, form: QuestionForm) -> set[str]:
        """The words of the subject an enumeration names besides what it lists, when a document is about it: the
        "blitzscaling" of "the risks of blitzscaling" (words of the documents' titles and the currents' names)."""
        titles = self._retriever.documents()
        return (content_words(question) - content_words(form.focus) - _ASKING_WORDS) & content_words(
            " ".join([*titles.values(), *self._retriever.currents()])
        )

    def _subject_after(self, question: str, form: QuestionForm) -> set[str]:
        """The subject an enumeration names after what it lists (_about_asked of the words after "of", "in", "for" or
        "behind"): "the risks of blitzscaling", whose list of risks is no answer unless it is blitzscaling's."""
        if form.kind != "enumeration" or not form.focus:
            return set()
        of = re.search(
            rf"{re.escape(form.focus)}\s+(?:of|in|for|behind)\s+(?P<about>[^?.,;!]+)", question, re.IGNORECASE
        )
        return self._about_asked(of.group("about"), form) if of else set()

    def _of_subject(self, unit: _Unit, about: set[str]) -> bool:
        """Whether a block is about the subject asked (_about_asked): "the risks of blitzscaling" are no other essay's
        "Different Risk Profiles" list, though its heading names risks."""
        return unit.named or not about or self._word_rarity().share(about, _about_words(unit)) >= _ABOUT_SHARE

    def _sections_named(
        self, question: str, form: QuestionForm, named: list[str], hits: list[SearchHit]
    ) -> list[Chunk]:
        """The sections that are the items an enumeration asks for, when the corpus gives them as the subsections of
        one section ("The Five Stages of AI Jevons Paradox": "Stage 1: Elite Tool", ...): the opening chunk of each,
        in order. The parent's heading or the word its subsections share ("Stage", "Scenario", "Option") must name
        what is asked; among the documents the question names, then those of the passages found, the first with
        such a section answers, and the sections of one it does not name must name every company it names, unless its
        title does (“Why Meta Must Use Competitors' AI”). A definition ("What is the dependency cascade?") is answered
        so when every word of its term is in the parent's heading, which holds fewer other words the question lacks,
        and the parent says nothing before its first subsection: such a section is what its subsections say. A question
        about one of them ("the open source one") asks for no list. Empty when none does (the question's lists and
        passages answer as usual)."""
        focus = content_words(form.focus) - {"s"}  # not a possessive's "s" ("Meta's options")
        if not focus or _ONE_OF_THEM.search(question):
            return []
        defines, asked = form.kind == "definition", content_words(question)
        head = content_words(form.focus.split()[-1])
        # a company the question names, which the sections of a document it does not name must name too: "What lessons
        # does Amazon's dot-com survival teach?" is no question about the blitzscaling essay's “Strategic Lessons”
        companies = entities.companies(question)
        for document in dict.fromkeys([*named, *(h.chunk.document_id for h in hits)]):
            # per parent heading, its subsections; top-level sections numbered alike ("Phase 1: ...", "Phase 2: ...")
            # are the items of the document itself, under the word they share
            children: dict[str, list[Chunk]] = {}
            openings = self._retriever.section_openings(document)
            for chunk in openings:
                parent, _, child = chunk.section_path.rpartition(" › ")
                if parent and child:
                    children.setdefault(parent, []).append(chunk)
                elif child and (numbered := _NUMBERED_HEADING.match(child)) and not defines:
                    children.setdefault(numbered.group("word"), []).append(chunk)
            worded = {c.section_path for c in openings}  # sections with text of their own
            title = openings[0].document_title if openings else ""
            for parent, sections in children.items():
                if len(sections) < MIN_SECTIONS:
                    continue
                shared = set.intersection(*(content_words(c.section or "") for c in sections))
                heading = content_words(parent.rpartition(" › ")[2])
                counted = form.count is not None and form.count == len(sections)
                # the thing listed among them: "blitzscaling stages" are no "Blitzscaling Playbook in Action"
                listed = (
                    focus <= heading and len(heading - asked) < len(focus) and parent not in worded
                    if defines
                    else head <= heading | shared and _share(focus, heading | shared) >= 0.5
                )
                if (
                    listed
                    and (form.count is None or counted)
                    and (
                        document in named
                        or all(
                            entities.named_in(c, title) or any(entities.named_in(c, s.text) for s in sections)
                            for c in companies
                        )
                    )
                ):
                    return sections
        return []

    # --- choosing the block ------------------------------------------------------------------

    def _scored_units(
        self,
        question: str,
        form: QuestionForm,
        named: list[str],
        hits: list[SearchHit],
        ranked: Retrieval | np.ndarray,
        unranked: int = 0,
    ) -> list[_Unit]:
        """Every block of the passages, scored: sentences by their similarity to the question as the passages of
        `ranked` were ranked with it (mapped by the query adapter or plain; a bare vector is a plain embedding), and by
        the sentence model fitted for that; the first `unranked` passages (a document's opening) take no rank penalty."""
        mapped = isinstance(ranked, Retrieval) and ranked.adapted_vector is not None
        ranking_vector = ranked.ranking_vector if isinstance(ranked, Retrieval) else ranked
        config = self.config
        question_words = content_words(question)
        focus = content_words(form.focus)
        # The one document whose names hold all of a definition's term, if any: its opening, not another document's
        # whose shorter title the term contains ("monetization efficiency revolution": not the Efficiency Revolution).
        titled = self._retriever.document_called(form.focus) if form.kind == "definition" and focus else None
        vectors = self._retriever.sentence_vectors_of([h.chunk for h in hits])
        idea = origin_asked(question)
        lowercase = lowercase_words(self._retriever.chunks) if idea is not None else frozenset()
        acronym = acronym_asked(question)
        rarity = self._word_rarity()
        about = self._subject_after(question, form)
        units: list[_Unit] = []
        for position, hit in enumerate(hits):
            rank = max(0, position - unranked)
            chunk = hit.chunk
            # Words that name where to look ("the blitzscaling essay") say nothing about which sentence answers.
            asked = (
                question_words - content_words(f"{chunk.document_title} {chunk.current or ''} {chunk.section_path}")
                or question_words
            )
            located = _locate(chunk, vectors.get(chunk.id, []))
            opening = not self._statement_before(chunk)
            for unit in _units(chunk, rank):
                unit.first_in_section = opening and _is_statement(unit)
                opening = opening and not _is_statement(unit)
                for sentence, vector in located:
                    # a chapter's "Data: ..." line says where its figures come from, not what they say: quoted only
                    # when its data sources are asked for (quote_parts)
                    if unit.start <= sentence.start < unit.end and not is_data_line(sentence.text):
                        words = content_words(sentence.text)
                        sentence.similarity = float(np.dot(ranking_vector, vector))
                        sentence.overlap = _share(asked, words)  # "why is that?" has no content words
                        sentence.idf_overlap = rarity.share(asked, words)
                        sentence.fragment = (
                            says_little(sentence.text)
                            and not (unit.kind == "list" and unit.lead and sentence.start < unit.lead[1])
                            or _asks(sentence.text)
                        )
                        sentence.score = (
                            sentence.similarity
                            + config.lexical_weight * sentence.overlap
                            - (config.fragment_penalty if sentence.fragment else 0.0)
                        )
                        unit.sentences.append(sentence)
                if not unit.sentences or _framing_question(unit):
                    continue
                unit.heading_share = _share(question_words, content_words(chunk.section or ""))
                unit.block_share = rarity.share(question_words, content_words(f"{chunk.section_path} {unit.text}"))
                unit.named = chunk.document_id in named
                unit.form_bonus = self._form_bonus(unit, form, focus, titled)
                if unit.form_bonus > 0 and about and not self._of_subject(unit, about):
                    unit.form_bonus = 0.0  # a list of what is asked, of another subject
                if acronym is not None:  # "What does RLVR stand for?": the sentence spelling it out answers
                    unit.answering = next((s for s in unit.sentences if expansion_in(s.text, acronym)), unit.answering)
                if idea is not None:  # "who came up with blitzscaling?": the sentence naming the person answers
                    context = f"{chunk.section or ''} {chunk.document_title}"
                    unit.answering = next(
                        (s for s in unit.sentences if names_originator(s.text, idea, context, lowercase)),
                        unit.answering,
                    )
                units.append(unit)
        self._score(question, form, units, adapted=mapped)
        why = _ASKS_WHY.search(question)
        polar = not why and form.kind != "comparison" and _ASKS_WHETHER.match(question)
        often = _ASKS_HOW_OFTEN.search(question)
        figure = _ASKS_FIGURE.search(question)
        # a follow-up asked with the last question names what it asks now ("... Sonnet 4.6 ...? — And Opus 4.7?"),
        # else what the last question named ("... Sonnet 4.6 ...? — why?")
        names = _versions_asked(asked_last(question)) or _versions_asked(question)
        for unit in units:
            if why:
                _mark_cause(unit)
            elif polar:
                _mark_cue(unit, _VERDICT)
            elif often:
                _mark_cue(unit, _FREQUENCY)
            elif figure:
                _mark_cue(unit, _FIGURE, in_item=True)
            if names and idea is None:  # who an idea comes from is marked by the person's name
                _mark_named_item(unit, names)
        return units

    def _margin(self, best: _Unit) -> float:
        return self.config.learned_margin if best.learned else self.config.extra_margin

    def _score(self, question: str, form: QuestionForm, units: list[_Unit], *, adapted: bool = False) -> None:
        """Each block's score: its best sentence's plus what the block itself says (hand weights), or, when a
        sentence model ships, every sentence's learned score and each block's best. `adapted`: the sentences were
        scored against the query adapter's mapped question, and the model fitted for that scores them (the hand weights
        when it does not ship)."""
        model = self.sentence_model
        if adapted:  # without the model fitted for the mapped question, the hand weights (the plain one does worse)
            fitted = self.adapted_sentence_model
            model = fitted if fitted is not None and fitted.exists else None
        learned = model.score_sentences(question, form, units) if model is not None and units else None
        if learned is not None:
            scores = iter(learned)
            for unit in units:
                for sentence in unit.sentences:
                    sentence.score = float(next(scores))
                unit.score = max(s.score for s in unit.sentences)
                unit.learned = True
            return
        config = self.config
        for unit in units:
            unit.score = (
                max(s.score for s in unit.sentences)
                - config.rank_weight * unit.rank
                + config.heading_weight * unit.heading_share
                + config.block_weight * unit.block_share
                + unit.form_bonus
                + (config.named_bonus if unit.named else 0.0)
            )

    def _form_bonus(
        self, unit: _Unit, form: QuestionForm, focus: set[str], titled_document: str | None = None
    ) -> float:
        config, chunk = self.config, unit.chunk
        heading = content_words(chunk.section or "")
        if form.kind == "enumeration" and focus:
            if unit.kind == "list":
                lead = chunk.text[unit.lead[0] : unit.lead[1]] if unit.lead else ""
                share = _share(focus, heading | content_words(lead))
                # "the five stages" is answered by a list of five under "The Five Phases" as well; a list of as many
                # items as asked answers only when its heading or lead-in names what is asked: "which three bets?" is no
                # question about any list of three.
                counted = form.count is not None and (
                    (form.count == len(unit.items) and share > 0)
                    or _says_number(f"{chunk.section or ''} {lead}", form.count)
                )
                if share < 0.5 and not counted:
                    return 0.0
                if unit.lead:
                    unit.answering = next((s for s in reversed(unit.sentences) if s.start < unit.lead[1]), None)
                return config.list_bonus * share + (config.count_bonus if counted else 0.0)
            # A sentence that names the things asked for in a row ("at the micro level, the meta level, and ...").
            listing = [
                s for s in unit.sentences if s.text.count(",") >= 2 and _share(focus, content_words(s.text)) >= 0.5
            ]
            if listing:
                unit.answering = max(listing, key=lambda s: s.score)
                return config.list_bonus * config.listing_share
            return 0.0
        if form.kind == "definition" and focus:
            if chunk.section:  # the section titled by the term ("The Death Zone")
                titled = _share(focus, heading) >= 0.6 and _share(heading, focus) >= 0.3
            elif titled_document is not None:  # the document all of its words name
                titled = chunk.document_id == titled_document
            else:  # the document named by it ("blitzscaling": "Blitzscaling AI: The Race to 100,000 GPUs")
                titled = _share(focus, content_words(f"{chunk.document_title} {chunk.current or ''}")) >= 0.6
            if unit.first_in_section and titled:
                unit.answering = min(unit.sentences, key=lambda s: s.start)  # the section opens with what it is about
                return config.heading_bonus
            defining = [
                s for s in unit.sentences if _share(focus, content_words(s.text)) == 1.0 and DEFINING.search(s.text)
            ]
            if defining:
                unit.answering = max(defining, key=lambda s: s.score)
                return config.defining_bonus
        return 0.0

    def _titled(self, term: str) -> list[str]:
        """The document whose title (or current) the term is: "platform paradox", "the Sovereignty current"."""
        # All of the term's words in one document's names ("monetization efficiency revolution": the essay, not the
        # Efficiency Revolution current whose name it spells); else the document the term names best.
        called = self._retriever.document_called(term)
        found = [called] if called else self._retriever.named_documents(term, minimum_score=SIDE_NAME_SCORE)[:1]
        titles = self._retriever.documents()
        return [
            d
            for d in found
            if _share(content_words(term), content_words(titles.get(d, "") + " " + d.replace("-", " "))) >= 0.6
        ]

    def _gloss(self, term: str) -> _Quote | None:
        """Where the corpus says in passing what a current is, in parentheses after its name: "Continued Scaling (the
        $700B capex bet on the next capability staircase)" — the name and its gloss, quoted. Only for a term that is
        a current's name and nothing more ("the Sovereignty current", "hours and dollars"; not "efficiency" or "the
        trigger for Financial Correction"). Else, for a one-word term, the first sentence of the corpus that says
        what it is after a dash ("what is a current?": "... it tracks six currents — the forces those worlds would be
        built from.")."""
        chunks = self._retriever.chunks
        if self._glosses is None or self._glosses[0] != id(chunks):  # found once per loaded index
            self._glosses = (id(chunks), _glosses(chunks))
        named = self._glosses[1].get(frozenset(content_words(_TERM_REFERENCE.sub("", term))))
        return named or (_apposition(chunks, term.lower()) if re.fullmatch(r"[a-z]+", term.lower()) else None)

    def _statement_before(self, chunk: Chunk) -> bool:
        """Whether an earlier chunk of the same section already says something (more than a framing line)."""
        previous = self._retriever.neighbour(chunk, -1)
        while previous is not None and previous.section_path == chunk.section_path:
            if any(_is_statement(u) for u in _units(previous, 0)):
                return True
            previous = self._retriever.neighbour(previous, -1)
        return False

    def _overview(self, document: str) -> list[list[_Quote]]:
        """What a document is about: its opening statement (a few sentences, or a list's first items) -- the first
        paragraph of its opening chunks that opens by saying what the document itself does ("This booklet sketches
        ..."), else the first that says so at all, else the first statement past any tagline -- then the first words
        of each of its next sections."""
        opening = self._opening_chunks(document)
        if not opening:
            return []
        statements = [
            (c, u)
            for c in opening
            for u in _units(c, 0)
            if _is_statement(u) and not _QUOTED.match(c.text[u.start : u.end])
        ]
        if not statements:
            return [[_opening_quote(opening[0])]]
        chunk, unit = min(statements, key=lambda cu: _self_reference(cu[0].text[cu[1].start : cu[1].end]))
        blocks = [[_opening_statement(chunk, unit)]]
        section = chunk.section_path
        while len(blocks) <= OVERVIEW_SECTIONS and (chunk := self._retriever.neighbour(chunk, 1)) is not None:
            if chunk.section_path != section:
                section = chunk.section_path
                blocks.append([_opening_quote(chunk)])
        return blocks

    def _defining_section(self, term: str) -> Chunk | None:
        """The first chunk of a section whose heading announces the term's definition: “Creative Destruction Defined”,
        “Understanding the Innovator’s Dilemma”, “What is X”; else of one headed by the term alone, but for a year
        (“2025: The Reliability Race”); None when no heading does."""
        asked = content_words(term)
        if not asked:
            return None
        for chunk in self._retriever.chunks:
            heading = _DEFINING_HEADING.match(chunk.section or "")
            if heading and content_words(heading.group("term") or heading.group("defined")) == asked:
                return chunk
        term_words = _bare_words(term)
        return next((c for c in self._retriever.chunks if _bare_words(c.section or "") == term_words), None)

    def _section_quote(self, chunk: Chunk) -> _Quote:
        """A section that is one item of an enumeration: whole when it is short and one chunk ("Option 3: Radical
        Pivot", its points, then "Probability: Lowest"), else its list whole when short, else its first words."""
        following = self._retriever.neighbour(chunk, 1)
        whole = following is None or following.section_path != chunk.section_path
        if whole and len(chunk.text.split()) <= self.config.section_words and "|" not in chunk.text:
            return _Quote(chunk, 0, len(chunk.text.rstrip()))
        unit = next((u for u in _units(chunk, 0) if _is_statement(u)), None)
        short = unit is not None and len(unit.text.split()) <= self.config.section_words
        if unit is not None and short and unit.kind == "list" and len(unit.items) <= self.config.short_list_items:
            return _Quote(chunk, unit.start, unit.end)
        return _opening_quote(chunk)

    def _opening_chunks(self, document: str) -> list[Chunk]:
        """The first OPENING_CHUNKS chunks of a document, in order."""
        chunk = self._retriever.opening_chunk(document)
        opening: list[Chunk] = []
        while chunk is not None and len(opening) < OPENING_CHUNKS:
            opening.append(chunk)
            chunk = self._retriever.neighbour(chunk, 1)
        return opening

    def _opening_hits(self, document: str) -> list[SearchHit]:
        """The opening chunks of a document, up to its first statement: where it says what it is about."""
        chunk = self._retriever.opening_chunk(document)
        hits: list[SearchHit] = []
        while chunk is not None and len(hits) < OPENING_CHUNKS:
            hits.append(SearchHit(chunk, 0.0))
            # a statement with a sentence to quote: not a tagline of three-word sentences ("Six currents. One habit.")
            if any(_is_statement(u) and chunk_sentences(u.text) for u in _units(chunk, 0)):
                break
            following = self._retriever.neighbour(chunk, 1)
            # within the section, or from an untitled opening that is only a tagline ("Six currents. One habit.") into
            # the first section; not past a chapter's framing question ("“Have We Seen This Before?”")
            tagline = not chunk.section_path and "?" not in chunk.text
            same = following is not None and (following.section_path == chunk.section_path or tagline)
            chunk = following if same else None
        return hits

    def _comparison(
        self, question: str, form: QuestionForm, named: list[str], retrieval: Retrieval
    ) -> list[list[_Unit]]:
        """The best blocks of each document the question compares, in the order the question names them."""
        sides: dict[str, str] = {}  # document id -> how the question names it
        for side in form.sides or form.references:
            # A side is a short name ("jevons"): one matching word is enough to name its document; a reference by
            # kind ("the booklet", "the podcast") names the document of that kind.
            # Not a possessive ("the booklet's synthesis chapter": the chapter, not the booklet).
            called = None if re.search(r"['’]s$", side) else self._retriever.document_called(side)
            found = [called] if called else self._retriever.named_documents(side, minimum_score=SIDE_NAME_SCORE)
            if found and found[0] not in sides:
                sides[found[0]] = side
        for document in named:
            if document not in sides and (len(sides) < 2 or not form.sides):
                sides[document] = ""
        titles = self._retriever.documents()
        # what names the documents (their titles, or the words a side shares with one), not a topic a side absorbed
        # ("the flywheel essay on compute demand")
        names = content_words(" ".join(f"{titles.get(d, '')} {d.replace('-', ' ')}" for d in sides))
        topical = bool(content_words(question) - names - _COMPARISON_WORDS)
        # each side is searched for what the question asks of both, without the documents' names (every word of their
        # titles) and the words of comparing: "Meta's open models" in the blitzscaling essay, not "... the Sovereignty
        # chapter ...", whose "sovereignty" the essay's "Data sovereignty compliance" holds. A title's word the question
        # asks about goes too ("Meta" of “The Platform Paradox: Why Meta Must Use Competitors' AI”): within the one
        # document searched it tells no passage from another, and removing only the words that name a document
        # measured worse (the comparisons of the third fresh round: key facts 0.587 -> 0.543).
        topic = _without_words(question, names | _COMPARISON_WORDS)
        # a question asked of each document on its own ("How many GPUs does the Platform Paradox credit Meta with, and
        # what size does the Continued Scaling chapter give for Meta's Abilene cluster?"): each side's is its own
        own = own_questions(question, self._mentions(question, sides)) if topical else {}
        chosen = []
        for document, side in list(sides.items())[: self.config.sides]:
            if (asked := own.get(document)) and content_words(own_topic := _without_words(asked, names)):
                found = self._retriever.retrieve(f"{own_topic} {topic}", self.config.side_passages, document=document)
                units = self._scored_units(asked, form, [], found.hits, found)
            elif topical and content_words(topic):
                found = self._retriever.retrieve(topic, self.config.side_passages, document=document)
                units = self._scored_units(question, form, [], found.hits, found)
            elif topical:  # nothing asked besides the names ("blitzscaling vs sovereignty: ai-readiness?")
                found = self._retriever.retrieve(
                    question,
                    self.config.side_passages,
                    document=document,
                    vector=retrieval.query_vector,
                    adapt=retrieval.adapted_vector is not None,
                )
                units = self._scored_units(question, form, [], found.hits, found)
            else:
                # "Compare A with B" asks for what each one says: each side's opening statement, where it says what it is about.
                name = side or titles.get(document, document)
                units = self._opening_statements(document, name)
            units = [u for u in units if _said(u)]  # not the chapter's tagline: it says nothing of what it argues
            units.sort(key=lambda u: -u.score)
            side_units = units[:1]
            # ... and where it concludes: what each argues, then where it lands
            concluding = None if topical or not side_units else self._concluding_statement(document, name)
            if concluding is not None:
                side_units.append(concluding)
            for unit in [] if concluding is not None else units[1:]:  # a further block that answers nearly as well
                if len(side_units) >= self.config.side_blocks or unit.score < units[0].score - self._margin(units[0]):
                    break
                if unit.chunk.id not in {u.chunk.id for u in side_units}:
                    side_units.append(unit)
            if side_units:
                chosen.append(side_units)
        return chosen

    def _mentions(self, question: str, sides: dict[str, str]) -> dict[str, list[tuple[int, int]]]:
        """Where the question names each compared document (character spans): by how its side was found, or by a
        reference to it; {} when one of them is named nowhere the question spells."""
        names = {document: [side] if side else [] for document, side in sides.items()}
        for reference in document_references(question):
            if (document := self._retriever.document_called(reference)) in names:
                names[document].append(reference)
        titles = self._retriever.documents()
        words = list(re.finditer(r"[\w’'.-]+", question))
        mentions = {}
        for document, said in names.items():
            spans = {
                (m.start(), m.end()) for name in said for m in re.finditer(re.escape(name), question, re.IGNORECASE)
            }
            # two words or more of its title in a row, one capitalised ("the Platform Paradox", "Creative Destruction
            # 2.0"; not "the hours and dollars involved")
            title = {
                w.lower() for w in re.findall(r"[\w.]+", f"{titles.get(document, '')} {document.replace('-', ' ')}")
            }
            run: list[re.Match[str]] = []
            for word in [*words, None]:
                if word is not None and re.sub(r"['’]s$", "", word.group(0)).lower().strip(".") in title:
                    run.append(word)
                    continue
                phrase = " ".join(w.group(0) for w in run)
                if len(run) >= 2 and content_words(phrase) and re.search(r"\b[A-Z]", phrase):
                    spans.add((run[0].start(), run[-1].end()))
                run = []
            mentions[document] = sorted(spans)
        return mentions if all(mentions.values()) else {}

    def _company_sides(
        self, question: str, form: QuestionForm, named: list[str], retrieval: Retrieval
    ) -> list[tuple[_Unit, str]]:
        """For a question that sets two companies against each other ("Compare how Meta and Google are approaching the
        GPU race", "How do OpenAI and Anthropic make money differently?") and names no two documents: each company's
        best block from a search for it and the rest of the question, one its section is headed by (“Meta: The Desperate
        Sprinter”) before one that names it alone; [] when a side has neither, or both are one block."""
        if len(named) >= 2 or not (form.kind == "comparison" or _CONTRASTS.search(question)):
            return []
        companies = entities.companies(question)
        if len(companies) != 2:
            return []
        # what they are compared on, in the question's words: "the GPU race", "make money"
        rest = question
        for company in companies:
            rest = entities.without(rest, company)
        topic = " ".join(w for w in re.findall(r"[\w’'-]+", rest) if content_words(w) - _COMPARISON_WORDS)
        # where a document gives each its own section side by side, those answer: a document the search found, or any
        # when they are compared on how they go about their business ("How does Google's approach differ from Meta's?")
        documents = [h.chunk.document_id for h in retrieval.hits[: self.config.passages]]
        if content_words(topic) <= STRATEGY_WORDS:
            documents += list(self._retriever.documents())
        if paired := self._sections_side_by_side(companies, question, form, retrieval, documents):
            return paired
        chosen: list[tuple[_Unit, str]] = []
        for company, other in (companies, companies[::-1]):
            found = self._retriever.retrieve(f"{company} {topic}", self.config.passages)
            units = [u for u in self._scored_units(question, form, [], found.hits, found) if _said(u)]
            headed = [
                u
                for u in units
                if entities.named_in(company, u.chunk.section or "")
                and not entities.named_in(other, u.chunk.section or "")
            ]
            alone = [u for u in units if entities.named_in(company, u.text) and not entities.named_in(other, u.text)]
            if not (headed or alone):
                return []
            chosen.append((max(headed or alone, key=lambda u: u.score), company))
        for side, (unit, company) in enumerate(chosen):
            # the other's section among this one's siblings: "xAI: The Pure Blitzscaler" has "Google: The Vertical
            # Integrator" beside it, where Google's own search found “Microsoft vs. Google (Cloud)”
            facing, rival = chosen[1 - side]
            if _headed_by(company, unit.chunk.section) and not _headed_by(rival, facing.chunk.section):
                sibling = self._sibling_headed_by(rival, unit.chunk, question, form, retrieval)
                if sibling is not None:
                    chosen[1 - side] = (sibling, rival)
                    break
        return chosen if chosen[0][0].chunk.id != chosen[1][0].chunk.id else []

    def _sections_side_by_side(
        self, companies: list[str], question: str, form: QuestionForm, retrieval: Retrieval, documents: list[str]
    ) -> list[tuple[_Unit, str]]:
        """Each company's best block of the sections headed by it under one parent, in the first of the documents that
        has such a pair ("How does Google's approach differ from Meta's?": “Google: The Vertical Integrator” and
        “Meta: The Desperate Sprinter”, where the searches for each found “Microsoft vs. Google (Cloud)” and “Why Meta
        Can't Catch Up”); [] when none has."""
        for document in dict.fromkeys(documents):
            openings = self._retriever.section_openings(document)
            for chunk in openings:
                if not _headed_by(companies[0], chunk.section):
                    continue
                sibling = self._sibling_headed_by(companies[1], chunk, question, form, retrieval)
                if sibling is None:
                    continue
                units = [
                    u for u in self._scored_units(question, form, [], [SearchHit(chunk, 1.0)], retrieval) if _said(u)
                ]
                if units:
                    return [(max(units, key=lambda u: u.score), companies[0]), (sibling, companies[1])]
        return []

    def _sibling_headed_by(
        self, company: str, chunk: Chunk, question: str, form: QuestionForm, retrieval: Retrieval
    ) -> _Unit | None:
        """The best block of the section beside the chunk's, under the same parent, whose heading opens with the
        company's name ("Google: The Vertical Integrator" beside "xAI: The Pure Blitzscaler"); None without one."""
        parent = chunk.section_path.rpartition(" › ")[0]
        for opening in self._retriever.section_openings(chunk.document_id):
            if opening.section_path.rpartition(" › ")[0] == parent and _headed_by(company, opening.section):
                units = self._scored_units(question, form, [], [SearchHit(opening, 1.0)], retrieval)
                said = [u for u in units if _said(u)]
                return max(said, key=lambda u: u.score) if said else None
        return None

    def _both_named(
        self, question: str, form: QuestionForm, companies: list[tuple[_Unit, str]], retrieval: Retrieval
    ) -> _Unit | None:
        """The best passage's best block that names both companies, when it is neither side's: where the corpus sets
        them side by side ("two giants dominate the market: OpenAI on the consumer side and Anthropic on the enterprise
        side")."""
        sides = {unit.chunk.id for unit, _ in companies}
        hits = [h for h in retrieval.hits[:1] if h.chunk.id not in sides]
        units = self._scored_units(question, form, [], hits, retrieval) if hits else []
        both = [u for u in units if _said(u) and all(entities.named_in(name, u.text) for _, name in companies)]
        return max(both, key=lambda u: u.score) if both else None

    def _concept_sides(self, form: QuestionForm, retrieval: Retrieval) -> list[_Unit]:
        """For a comparison of two things the best passages do not both name ("How does RLAIF differ from RLHF?": they
        are all about RLHF and RLVR), the block that best says what each one is, from its own search; [] when they
        name both, or a side is found in no block."""
        sides = [content_words(side) - _COMPARISON_WORDS for side in form.sides]
        if len(sides) != 2 or not all(sides):
            return []
        top = [content_words(f"{h.chunk.section or ''} {h.chunk.text}") for h in retrieval.hits[: self.config.passages]]
        if all(any(words <= held for held in top) for words in sides):
            return []
        chosen: list[_Unit] = []
        for side, words in zip(form.sides, sides, strict=True):
            found = self._retriever.retrieve(side, self.config.side_passages)
            units = self._scored_units(side, QuestionForm("definition", focus=side), [], found.hits, found)
            naming = [u for u in units if words <= content_words(u.text) and _said(u)]
            if not naming:
                return []
            chosen.append(max(naming, key=lambda u: u.score))
        return chosen if chosen[0].chunk.id != chosen[1].chunk.id else []

    def _opening_statements(self, document: str, name: str) -> list[_Unit]:
        """The blocks of a document's opening, scored for its name: up to its first statement, or, when that is only
        a chapter's framing question (“Have We Seen This Before?”), the statements of its first chunks."""
        form = QuestionForm("definition", focus=name)
        vector = self._retriever.embed(name)
        opening = self._opening_hits(document)
        units = [u for u in self._scored_units(name, form, [], opening, vector, unranked=len(opening)) if _said(u)]
        if any(_is_statement(u) for u in units):
            return units
        chunks = [SearchHit(c, 0.0) for c in self._opening_chunks(document)]
        units = self._scored_units(name, form, [], chunks, vector, unranked=len(chunks))
        return [u for u in units if _is_statement(u) and _said(u)]

    def _linked_currents(self, named: list[str]) -> set[str]:
        """The names of the currents whose chapters the question names, when two or more."""
        names = self._retriever.currents_of(named)
        return names if len(names) >= 2 else set()

    def _bridge(self, question: str, named: list[str]) -> _Quote | None:
        """For a comparison of currents: the sentence of another chapter that names those currents and no other ("Continued
        Scaling (1) and Efficiency Revolution (2) pull capex in opposite directions but resolve via the
        training-vs-inference split"), among the best BRIDGE_PASSAGES for them; None when none does (the introduction's
        list of all six is none)."""
        compared = self._linked_currents(named)
        if not compared:
            return None
        others = {c.current for c in self._retriever.chunks if c.current} - compared
        found = self._retriever.retrieve(f"{' and '.join(sorted(compared))}: {question}", BRIDGE_PASSAGES)
        for hit in found.hits:
            if hit.chunk.document_id in named:
                continue
            for start, end in sentence_spans(hit.chunk.text):
                sentence = hit.chunk.text[start:end]
                if all(name in sentence for name in compared) and not any(name in sentence for name in others):
                    return _Quote(hit.chunk, start, end)
        return None

    def _concluding_statement(self, document: str, name: str) -> _Unit | None:
        """The first statement of the section a document concludes in, scored for its name; None without one."""
        closing = self._retriever.closing_section(document)
        if not closing:
            return None
        units = self._scored_units(
            name, QuestionForm("definition", focus=name), [], [SearchHit(closing[0], 1.0)], self._retriever.embed(name)
        )
        return next((u for u in units if _is_statement(u)), None)

    # --- quoting it -------------------------------------------------------------------------

    def _render(
        self,
        unit: _Unit,
        form: QuestionForm,
        sentences: int | None = None,
        list_words: int | None = None,
    ) -> list[_Quote]:
        """The quotes that answer from this unit: the whole list, the table, or a window of sentences.

        `sentences` asks for a brief quote (a further passage, one side of a comparison); `list_words` quotes a
        short list whole even then, up to that many words (a full quote does up to `short_list_words`)."""
        config, chunk = self.config, unit.chunk
        best = unit.best
        brief = sentences is not None
        if unit.kind == "list":
            whole = form.kind == "enumeration" and not brief
            if whole:
                quotes = self._whole_list(unit)
                lead_sentence = next(
                    (s for s in reversed(unit.sentences) if unit.lead and s.start < unit.lead[1]), None
                )
                answering = unit.answering or lead_sentence  # without a lead-in, the list as a whole answers
                for quote in quotes:
                    if answering is not None and quote.chunk.id == chunk.id:
                        quote.bold = (answering.start, answering.end)
                return quotes
            whole_up_to = list_words if brief else config.short_list_words
            if whole_up_to is not None and self._short_list(unit, whole_up_to):
                # with the turn it sets up: "Meta's AI spending breakdown reveals the trap:" and its list, then "Yet
                # employees already use Anthropic's Claude for coding."
                turn = self._turned_by(unit)
                if turn is not None and brief and len(turn.text.split()) > config.brief_turn_words:
                    turn = None
                return [_Quote(chunk, unit.start, (turn or unit).end, (best.start, best.end))]
            spans = [unit.lead] if unit.lead else []
            spans += unit.items
            at = next((i for i, (s, e) in enumerate(spans) if s <= best.start < e), 0)
            low = at if brief else max(0, at - 1)  # a brief quote: the answering item and what follows it
            high = min(len(spans), low + (sentences or config.window))
            if unit.lead and low == 0 and high == 1:  # a lead-in alone says little: show what it leads into
                high = min(len(spans), 1 + LEAD_ITEMS)
            return [_Quote(chunk, spans[low][0], spans[high - 1][1], (best.start, best.end))]
        if unit.kind == "table":
            return [_Quote(chunk, unit.start, unit.end)]
        ordered = sorted(unit.sentences, key=lambda s: s.start)
        at = ordered.index(best)
        size = sentences or config.window
        # a brief quote: the answering sentence and the one after it; a window: one sentence of context before it
        start = at if brief or form.kind == "definition" or at == 0 else at - 1
        window = ordered[start : start + size]
        if len(window) < size:
            window = ordered[max(0, len(ordered) - size) :]
        if best not in window:
            window = [best]
        first = ordered.index(window[0])
        # the first sentence quoted, answering or before the one that answers, may go on from the one before it
        elliptical = len(words_of(window[0].text)) <= ELLIPTICAL_WORDS
        if first > 0 and (_REFERS_BACK.match(window[0].text) or elliptical):
            # the sentence it refers back to: "Second, far more testing and validation work. This is the part most
            # enterprises systematically underestimate."; or goes on from, when it is too short to say anything
            # alone: "There’s no trough coming. No disillusionment phase."
            window = [ordered[first - 1], *window]
        quote = _Quote(chunk, window[0].start, window[-1].end, (best.start, best.end))
        if window[0] is ordered[0] and (referent := self._referred_to(unit, window[0])) is not None:
            quote.start = referent.start  # one quote from the block it refers back to
        if brief:  # a further passage's brief quote: as it is
            return [quote]
        if window[-1].end == ordered[-1].end and (turn := self._turned_by(unit)) is not None:
            quote.end = turn.end  # one quote through the turn its block sets up
            return [quote]
        if (said := self._led_into(chunk, window[-1])) is None:
            return [quote]
        if said.chunk.id == chunk.id:  # one quote through the block it leads into
            quote.end = said.end
            return [quote]
        return [quote, said]

    def _referred_to(self, unit: _Unit, first: _Sentence) -> _Unit | None:
        """The block just before a paragraph that opens by referring back to it, short enough to quote with it: "This
        is the paradox at the heart of the AI flywheel." after the list it sums up ("The result: capability soars while
        actual utilization flatlines"); an answer that quoted the paragraph alone would open with a "this" that names
        nothing."""
        if not _REFERS_BACK.match(first.text):
            return None
        before = [u for u in _units(unit.chunk, 0) if u.end <= unit.start]
        if not before or not _is_statement(before[-1]):
            return None
        return before[-1] if len(before[-1].text.split()) <= self.config.referent_words else None

    def _turned_by(self, unit: _Unit) -> _Unit | None:
        """The block right after a quoted one in its chunk when it opens by turning against it ("And yet,
        paradoxically, prompting has become more important than ever." and its list, after "Models are improving at a
        staggering pace. ... Benchmark scores keep climbing."): the setup alone would say the opposite of the author's
        point; or by saying what it comes to: referring back to it ("That is a roughly 95% cost reduction in 20
        months." after the training costs of GPT-4, Llama 3.1 and DeepSeek V3) or naming its point ("The common thread:
        ...", "The question is whether ..."). A list short enough to quote whole (`extra_list_words`), a paragraph up to
        `whole_section_words`; after a list, also the one short line that closes it (_punchline)."""
        after = _block_after(unit.chunk, unit.end)
        if after is not None and unit.kind == "list" and _punchline(after):
            return after
        if (
            after is None
            or not (_TURNS.match(after.text) or _REFERS_BACK.match(after.text) or _SUMS_UP.match(after.text))
            or not _is_statement(after)
        ):
            return None
        if after.kind == "list":
            return after if self._short_list(after, self.config.extra_list_words) else None
        return after if len(after.text.split()) <= self.config.whole_section_words else None

    def _short_list(self, unit: _Unit, words: int) -> bool:
        """Whether a list is short enough to quote whole: `short_list_items` items at most, and `words` words."""
        return len(unit.items) <= self.config.short_list_items and len(unit.text.split()) <= words

    def _led_into(self, chunk: Chunk, last: _Sentence) -> _Quote | None:
        """The block a lead-in that ends the quoted sentences leads into, the next one of its chunk or, at the chunk's
        end, the one the next chunk of the section opens with: "Mark Zuckerberg recently made a not-so-subtle remark
        about their hybrid GPU infrastructure plans:" and the quotation it introduces ("By the end of this year,
        we're going to have around 350,000 NVIDIA H100s ...", with its attribution)."""
        if not last.text.rstrip().endswith(":"):
            return None
        after = _block_after(chunk, last.end)
        if after is None:  # at the chunk's end: the block the section's next chunk opens with
            following = self._retriever.neighbour(chunk, 1)
            if following is None or following.section_path != chunk.section_path:
                return None
            after = next(iter(_units(following, 0)), None)
            if after is None or after.start != 0:
                return None
        if not _is_statement(after):
            return None  # not a question ("Discussion: If the model is free, ...?")
        if after.kind == "list":  # its first LEAD_ITEMS items, as a lead-in's list is shown
            return _Quote(after.chunk, after.start, after.items[:LEAD_ITEMS][-1][1] if after.items else after.end)
        if len(after.chunk.text[after.start : after.end].split()) > self.config.whole_section_words:
            return None  # nor a long paragraph
        return _Quote(after.chunk, after.start, after.end)

    def _whole_section(self, unit: _Unit, form: QuestionForm, question: str = "") -> list[_Quote] | None:
        """The answering passage whole, when it is a whole section short enough to read at a glance: its lead-in, its
        list and the line that concludes it ("Result: Complete failure, adopted Android/iOS") stay together. A section
        whose heading the question names ("what is the real bottleneck in the AI flywheel?": "The Real Bottleneck Is
        Somewhere Else Entirely") may be longer."""
        chunk = unit.chunk
        asked = content_words(question) - content_words(f"{chunk.document_title} {chunk.document_id.replace('-', ' ')}")
        named = asked & content_words(chunk.section or "")
        titled = len(named) >= 2 and len(named) >= self.config.titled_share * len(asked)
        limit = self.config.titled_section_words if titled else self.config.whole_section_words
        if unit.kind == "table" or len(chunk.text.split()) > limit:
            return None
        # Not a document's opening that starts with a tagline in quotation marks (a chapter's "“What if your vendor
        # isn’t allowed to sell to you?”", then a line pointing at sections not quoted), nor a lead-in whose list is
        # in the next chunk.
        first = text_blocks(chunk.text)[:1]
        opens_with_tagline = not chunk.section_path and any(_QUOTED.match(chunk.text[b.start : b.end]) for b in first)
        if opens_with_tagline or chunk.text.rstrip().endswith(":"):
            return None
        if unit.kind == "list" and form.kind == "enumeration":  # the list asked for, whole (_render), is the answer
            return None
        for step in (-1, 1):
            other = self._retriever.neighbour(chunk, step)
            if other is not None and other.section_path == chunk.section_path:
                return None
        best = unit.best
        return [_Quote(chunk, 0, len(chunk.text.rstrip()), (best.start, best.end))]

    def _whole_list(self, unit: _Unit) -> list[_Quote]:
        """The list across chunk boundaries: earlier items and the lead-in before it, later items after it, and the
        short line after it that says what it comes to (_punchline)."""
        quotes = [_Quote(unit.chunk, unit.start, unit.end)]
        chunk, opens_chunk = unit.chunk, unit.start == 0 and unit.lead is None
        while opens_chunk:
            previous = self._retriever.neighbour(chunk, -1)
            if previous is None or previous.section_path != chunk.section_path:
                break
            tail = _units(previous, 0)[-1:]
            if not tail or tail[0].end != len(previous.text.rstrip()):
                break
            last = tail[0]
            is_lead = last.kind == "paragraph" and previous.text[last.start : last.end].rstrip().endswith(":")
            if last.kind != "list" and not is_lead:
                break
            quotes.insert(0, _Quote(previous, last.start, last.end))
            chunk, opens_chunk = previous, last.kind == "list" and last.lead is None and last.start == 0
        chunk, closes_chunk = unit.chunk, unit.end == len(unit.chunk.text.rstrip())
        while closes_chunk:
            following = self._retriever.neighbour(chunk, 1)
            if following is None or following.section_path != chunk.section_path:
                break
            head = _units(following, 0)[:1]
            if not head or head[0].kind != "list" or head[0].lead is not None or head[0].start != 0:
                break
            quotes.append(_Quote(following, head[0].start, head[0].end))
            chunk, closes_chunk = following, head[0].end == len(following.text.rstrip())
        after = _block_after(unit.chunk, unit.end)
        if quotes[-1].chunk.id == unit.chunk.id and after is not None and _punchline(after):
            quotes[-1].end = after.end  # and the line that says what it comes to
        return quotes


@dataclass(frozen=True)
class AskedPart:
    """The parts of one current a question asks for, and where the chapter holds them (or, for a part it lacks, what
    it holds instead)."""

    current: str
    document: str
    parts: tuple[Part, ...]
    spans: list[tuple[Chunk, int, int]]
    #: Parts asked for that the chapter does not have (Continued Scaling lists no counter-trigger), and the currents
    #: whose chapters have them; `spans` then hold the parts it has, or its trigger list.
    missing: tuple[Part, ...] = ()
    elsewhere: tuple[str, ...] = ()

    @property
    def lacks(self) -> str:
        """What the answer says first when a part is missing: "The Continued Scaling chapter lists no
        counter-trigger; the chapters that do are “Sovereignty”, ... Its trigger signals:" ("" when none is)."""
        if not self.missing:
            return ""
        others = f"; {_elsewhere(self.elsewhere)}" if self.elsewhere else ""
        listed = " and ".join(_part_label(p) for p in _shown(self.parts, self.missing))
        return f"The {self.current} chapter lists no {self.missing_label}{others}. Its {listed}:\n\n"

    @property
    def missing_label(self) -> str:
        """The missing parts as a sentence names them: "counter-trigger", "counter-trigger or data sources line"."""
        return " or ".join(_part_label(p) for p in self.missing)


def _elsewhere(chapters: tuple[str, ...]) -> str:
    """The chapters that have what one lacks, quoted so that "Hours and Dollars" reads as one chapter."""
    lead = "the chapter that does is" if len(chapters) == 1 else "the chapters that do are"
    return f"{lead} {listed_names(tuple(f'“{name}”' for name in chapters))}"


def _shown(parts: tuple[Part, ...], missing: tuple[Part, ...]) -> list[Part]:
    """What is quoted when parts are missing: the other parts asked for, or else the chapter's trigger list."""
    return [p for p in parts if p not in missing] or ["triggers"]


#: How a missing part is named in a sentence ("lists no counter-trigger").
_PART_LABELS: dict[str, str] = {
    "counter-triggers": "counter-trigger",
    "triggers": "trigger signals",
    "data sources": "data sources line",
    "framing question": "framing question",
}


def _part_label(part: str) -> str:
    """How a part is named in a sentence: "counter-trigger", "data sources line"."""
    return _PART_LABELS[part]


#: Words that ask for a part without adding to what is asked ("list", "give me", "the current's").
_PART_REQUEST_WORDS = frozenset(
    stems(
        "current currents chapter chapters booklet section list give show tell quote name exactly please its their "
        "this that me us one what".split()
    )
)


def asked_current_parts(retriever, question: str) -> list[AskedPart]:
    """The parts of the currents the question asks for (their counter-triggers, data sources or framing question), one
    AskedPart per current it names, in the order it names them, when it asks nothing else ("What's the key question
    for buyers in the Sovereignty chapter?" asks about buyers; "Has the Sovereignty counter-trigger fired yet?" whether
    it fired); [] otherwise.

    A part a chapter lacks ("the counter-trigger for Continued Scaling") is recorded as missing. One current: with the
    chapters that have it, and the parts it has (or else its trigger list) are what is quoted. Several ("the
    counter-triggers of Sovereignty and Financial Correction", "compare the trigger signals of Sovereignty and Hours
    and Dollars"): each current's parts as its chapter has them; when none has any part asked, each one's trigger
    list, as for one current."""
    parts, rest = current_parts(question)
    named = set(retriever.named_documents(question))
    chapters = [c for c in retriever.chunks if c.document_id in named and c.current]
    current = {c.document_id for c in chapters}
    # The trigger signals alone of one current: a watch list (AnswerService._watch_list_of).
    if not parts or (set(parts) <= {"triggers"} and len(current) == 1):
        return []
    # No other document but the booklet's chapters without a current, which the part's own words can name ("trigger"
    # names the Trigger Drill): "... and the Jevons essay's view?" asks more than the part.
    others = {c.kind for c in retriever.chunks if c.document_id in named - current}
    if not current or not others <= {"booklet chapter"}:
        return []
    names = content_words(" ".join({f"{c.document_title} {c.current}" for c in chapters}))
    allowed = _PART_REQUEST_WORDS | (_COMPARISON_WORDS if len(current) > 1 else frozenset())
    if content_words(re.sub(r"['’]s\b", "", rest)) - names - allowed:
        return []
    by_current = chapters_by_current(chapters)
    order = sorted(by_current, key=lambda name: (_named_at(question, name), name))
    if len(order) > 1:
        asked = [_current_part(retriever, tuple(parts), by_current[name], fallback=False) for name in order]
        if any(p is not None and p.spans for p in asked):
            return [p for p in asked if p is not None]
    # One current, or none of several has any part asked ("the counter-triggers of Continued Scaling and Efficiency
    # Revolution"): what each has, or else its trigger list, after a sentence saying so and naming the chapters that do.
    fallback = [_current_part(retriever, tuple(parts), by_current[name], fallback=True) for name in order]
    return [p for p in fallback if p is not None]


#: Words of a current's name that say nothing about which one it is.
_NAME_GLUE = frozenset({"from", "to", "and", "the", "of"})


def _named_at(question: str, name: str) -> int:
    """Where the question names a current: its whole name, or else the first of its own words ("Lab to Production"
    for From Lab to Production, "Hours & Dollars"); the question's length when nowhere."""
    lowered = question.lower()
    spots = [lowered.find(name.lower())]
    spots += [
        m.start() for w in words_of(name) if w not in _NAME_GLUE if (m := re.search(rf"\b{re.escape(w)}", lowered))
    ]
    return min((s for s in spots if s >= 0), default=len(lowered))


def _current_part(retriever, parts: tuple[Part, ...], chapter: list[Chunk], fallback: bool) -> AskedPart | None:
    """The parts asked, as one current's chapter has them; with `fallback`, what it quotes when it lacks them all
    (its trigger list, _shown), and None when it has nothing to quote."""
    missing = tuple(part for part in parts if not part_spans(chapter, part))
    shown = _shown(parts, missing) if fallback else [part for part in parts if part not in missing]
    spans = [span for part in shown for span in part_spans(chapter, part)]
    if fallback and not spans:
        return None
    name = chapter[0].current or ""
    elsewhere: tuple[str, ...] = ()
    if missing:  # the chapters that have what this one lacks
        elsewhere = tuple(
            other
            for other, held in chapters_by_current(retriever.chunks).items()
            if other != name and all(part_spans(held, part) for part in missing)
        )
    return AskedPart(name, chapter[0].document_id, parts, spans, missing, elsewhere)


#: Words of an enumeration that say how to answer or where to look, not what it is about ("list the stages the Jevons
#: essay describes": about Jevons).
_ASKING_WORDS = content_words(
    "list name enumerate give show tell describe describes mention mentions lay out essay chapter current currents "
    "post piece article booklet digest podcast analysis"
)
#: A list found deeper than the top passages answers only when its block, headings or document hold this much of
#: what the question is about (weighted by rarity).
_ABOUT_SHARE = 0.5


def _about_words(unit: _Unit) -> set[str]:
    chunk = unit.chunk
    return content_words(f"{chunk.document_title} {chunk.current or ''} {chunk.section_path} {unit.text}")


def _framing_question(unit: _Unit) -> bool:
    """A question in quotation marks standing alone (a chapter's “How Much Does GPT-4 Cost?”): it asks, it answers
    nothing."""
    text = unit.text.strip()
    return bool(_QUOTED.match(text)) and text.rstrip('”"').endswith("?")


def _headed_by(company: str, heading: str | None) -> bool:
    """Whether a section's heading opens with the company's name and a colon: “Google: The Vertical Integrator”."""
    return re.match(rf"{re.escape(company)}\s*:", heading or "", re.IGNORECASE) is not None


#: A section heading names what a question asks when it holds this many of its words at least ...
HEADING_SUBJECT_WORDS = 2
#: ... which are at least this share of the heading's own words (_heading_leads).
HEADING_SUBJECT_SHARE = 0.5


def _block_and_heading(unit: _Unit) -> str:
    """The block's text (with its lead-in) after its section's heading."""
    start = unit.lead[0] if unit.lead else unit.start
    return f"{unit.chunk.section or ''}\n{unit.chunk.text[start : unit.end]}"


def _said(unit: _Unit) -> bool:
    """Not a line in quotation marks by itself: a chapter's tagline (“What we learned from 2015 — and what’s different
    now”), which says nothing of what the chapter argues."""
    return not _QUOTED.match(unit.text)


def _names_two(text: str, names: set[str]) -> bool:
    """The text names two or more of these (the booklet's synthesis: "Efficiency Revolution (Current 2) accelerates
    Sovereignty (Current 4)")."""
    return sum(name in text for name in names) >= 2


def _led_by_chunk(chunk_id: str, units: list[_Unit]) -> None:
    """The best block of the passage a rule put first (Retrieval.lead), moved to lead the answer, when it is quoted."""
    lead = next((u for u in units if u.chunk.id == chunk_id), None)
    if lead is not None:
        units.remove(lead)
        units.insert(0, lead)


def _quoted_leads(term: re.Pattern[str], units: list[_Unit]) -> None:
    """For a question quoting a term ('ELI5 what a "one-way moat" means', "How does the author define 'power'?"),
    the block whose sentence holds the term leads, marked by it: the first (best) one that says what the term is
    ("Power—where a company maintains margin ...", "... created a one-way moat: OpenAI could not follow ..."), else
    the best that holds it, wherever it ranks among the blocks quoted from (the quotation marks say which words the
    reader means)."""
    defining = re.compile(rf"{term.pattern}(?:\s*[—–:]|\s+-{{1,2}}\s|\s+(?:is|are|means|refers to|describes)\b)", re.I)
    holders = [(u, s) for u in units for s in u.sentences if not s.fragment and term.search(s.text)]
    if not holders:
        return
    unit, sentence = next(((u, s) for u, s in holders if defining.search(s.text)), holders[0])
    if unit is units[0] and unit.best is sentence:
        return
    unit.answering = sentence
    _to_front(units, unit)


def _person_leads(question: str, units: list[_Unit]) -> None:
    """For a question asking who someone named is, when the best block does not name them, the best block found that
    does leads, marked by its sentence naming them: "Who is David Cahn?" quotes “Sequoia partner David Cahn published
    ...”, not a sentence of another chapter about someone else."""
    asked = WHO_IS.match(question)
    if asked is None or not units:
        return
    name = re.compile(rf"\b{re.escape(asked.group('name'))}\b", re.IGNORECASE)
    if name.search(units[0].text):
        return
    found = next((unit for unit in units[1:] if name.search(unit.text)), None)
    if found is not None:
        _lead_marked(units, found, lambda text: bool(name.search(text)))


def _lead_marked(units: list[_Unit], unit: _Unit, names: Callable[[str], bool]) -> None:
    """The block leads, marked by its best sentence that `names` what is asked, when one does."""
    naming = [s for s in unit.sentences if not s.fragment and names(s.text)]
    if naming:
        unit.answering = max(naming, key=lambda s: s.score)
    _to_front(units, unit)


def _bare_words(text: str) -> list[str]:
    """The text's words, lowercased, but for articles and years: “2025: The Reliability Race” is "reliability race"."""
    return [w for w in words_of(text) if w not in ("the", "a", "an") and not w.isdigit()]


def _to_front(units: list[_Unit], unit: _Unit) -> None:
    """The block first, the others in their order (it leads the answer)."""
    units.remove(unit)
    units.insert(0, unit)


def _lists(unit: _Unit, form: QuestionForm) -> bool:
    """The block lists what the enumeration asks for: a list whose heading or lead-in names it, or a sentence that
    introduces the items by it ("The six currents are: ...", "the stages include ..."), not one that merely
    mentions it among commas."""
    if unit.form_bonus <= 0:
        return False
    if unit.kind == "list":
        return True
    noun = form.focus.split()[-1] if form.focus.split() else ""
    introduces = re.compile(rf"\b{re.escape(noun)}\b(?:\s+[\w’'-]+){{0,3}}?\s*(?::|\bare\b|\binclude\b)", re.IGNORECASE)
    return bool(noun) and any(s.text.count(",") >= 2 and introduces.search(s.text) for s in unit.sentences)


#: A gloss in parentheses on the same line: at least three words, opening in lower case or with a figure ("(the $700B
#: capex bet ...)"); not a reference ("(Current 2)", "(1)", "(see Section 4)", "(covered in Section 4)"), an example
#: ("(GPT-4)", "(e.g. ...)") or a shift ("(horizontal → vertical SaaS)").
_GLOSS = re.compile(r"[ \t]*\((?!e\.g\.|i\.e\.|see\b|cf\.|covered\b)[a-z$][^()→\n]*?\s[^()→\n]*?\s[^()→\n]*?\)")
#: What names the kind of document around a term ("the Continued Scaling current", "the Sovereignty chapter").
_TERM_REFERENCE = re.compile(r"^\s*the\s+|\s+(?:current|chapter|scenario)s?\s*$", re.IGNORECASE)
#: A capitalised word before a name: part of a longer name ("AI Sovereignty"), not the name itself.
_NAME_BEFORE = re.compile(r"[A-Z][\w-]*[ \t]+$")


def _glosses(chunks: list[Chunk]) -> dict[frozenset[str], _Quote]:
    """Per current (by the content words of its name), the first place its name, spelled as the booklet spells it and not inside a longer name, is
    followed by a gloss: in the current's own work first (the booklet's chapters), then anywhere."""
    kinds = {c.current: c.kind for c in chunks if c.current}
    found: dict[frozenset[str], _Quote] = {}
    for name, kind in kinds.items():
        spelled = re.compile(r"(?<![\w-])" + r"\s+".join(map(re.escape, name.split())) + r"(?![\w-])")
        for chunk in sorted(chunks, key=lambda c: c.kind != kind):  # stable: corpus order within each
            match = next(
                (
                    (m.start(), g.end())
                    for m in spelled.finditer(chunk.text)
                    if not _NAME_BEFORE.search(chunk.text, 0, m.start()) and (g := _GLOSS.match(chunk.text, m.end()))
                ),
                None,
            )
            if match:
                found[frozenset(content_words(name))] = _Quote(chunk, *match)
                break
    return found


@functools.lru_cache(maxsize=256)
def _apposition_pattern(word: str) -> re.Pattern[str]:
    """The word (or its plural) and, after a dash, a noun phrase saying what it is: "currents — the forces ..."."""
    # not after a preposition: "one gigawatt of power — the equivalent of ..." says how much, not what power is
    return re.compile(
        rf"(?<!\bof )(?<!\bin )(?<!\bfor )(?<!\bwith )(?<![\w-]){re.escape(word)}s?[ \t]+[—–][ \t]+(?:the|a|an)[ \t]+[a-z]"
    )


def _apposition(chunks: list[Chunk], word: str) -> _Quote | None:
    """The first sentence of the corpus, in index order, that says what the word is after a dash, quoted whole."""
    pattern = _apposition_pattern(word)
    for chunk in chunks:
        if (found := pattern.search(chunk.text)) is None:
            continue
        start, end = next(
            ((a, b) for a, b in sentence_spans(chunk.text) if a <= found.start() < b), (0, len(chunk.text))
        )
        return _Quote(chunk, start, end)
    return None


def document_asked(retriever, question: str, form: QuestionForm, *, glossed: bool = False) -> str | None:
    """The document a question asks about as a whole, if it names one: an overview ("summarise the Jevons essay",
    "tell me more about the podcast"), or what a document referred to as one is ("what is the Sovereignty chapter?";
    `glossed`: a current asked for by its name, "what is Continued Scaling?"). Not one placed by its position ("what
    is the last chapter?": "Last Week in AI" is a title), nor a term the question asks of a document ("How does the
    flywheel essay define the AI flywheel?": the term, not the essay)."""
    focus = form.focus.casefold()
    asks = form.kind == "overview" or (
        form.kind == "definition"
        and (glossed or any(r.casefold() in focus for r in document_references(question, determined=True)))
    )
    return retriever.document_called(form.focus) if asks and not by_position(form.focus) else None


def _overlaps(first: _Quote, second: _Quote) -> bool:
    return first.chunk.id == second.chunk.id and first.start < second.end and second.start < first.end


def _opening_quote(chunk: Chunk) -> _Quote:
    """A section's first words, quoted briefly under its heading: a list's first items or the first sentence."""
    units = _units(chunk, 0)
    unit = next((u for u in units if _is_statement(u)), units[0]) if units else None
    if unit is None:
        return _Quote(chunk, 0, len(chunk.text))
    if unit.kind == "list" and unit.items:
        return _list_start(chunk, unit, OPENING_ITEMS)
    text = unit.text
    first = split_sentences(text)[0] if text.strip() else text
    start = unit.start + text.find(first)
    return _Quote(chunk, start, start + len(first))


def _list_start(chunk: Chunk, unit: _Unit, spans: int) -> _Quote:
    """The start of a list unit: its lead-in (if any) and first items, `spans` of them in all."""
    parts = ([unit.lead] if unit.lead else []) + unit.items
    return _Quote(chunk, parts[0][0], parts[min(len(parts), spans) - 1][1])


def _self_reference(text: str) -> int:
    """0: the paragraph opens by saying what the document does ("This booklet sketches ..."); 1: it says so further
    in; 2: it does not."""
    found = _SELF_REFERENCE.search(text)
    return 2 if found is None else 0 if found.start() == 0 else 1


def _opening_statement(chunk: Chunk, unit: _Unit) -> _Quote:
    """A statement quoted for an overview: up to OVERVIEW_SENTENCES sentences of a paragraph, a list's lead-in and
    first items."""
    if unit.kind != "paragraph":
        return _list_start(chunk, unit, OPENING_ITEMS + 1)
    text = unit.text
    sentences = split_sentences(text)[:OVERVIEW_SENTENCES]
    start = end = text.find(sentences[0])
    for sentence in sentences:
        end = text.find(sentence, end) + len(sentence)
    return _Quote(chunk, unit.start + start, unit.start + end)


def _where(chunk: Chunk) -> str:
    return f"{chunk.document_title} — {chunk.section}" if chunk.section else chunk.document_title


#: What a sentence the last answer marked loses: a follow-up ("how did it survive?", "what's the catch with that
#: number?") asks for something the reader has not been shown yet.
SHOWN_PENALTY = 1.0
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


def shown_sentences(answer: str) -> frozenset[str]:
    """The sentences an answer marked as answering (in bold), as `_past_shown` compares them."""
    return frozenset(_plain(m.group(1)) for m in _BOLD.finditer(answer))


def _plain(text: str) -> str:
    return " ".join(text.split()).strip(" -*")


def _past_shown(units: list[_Unit], shown: frozenset[str]) -> None:
    """Each block's sentences that the last answer marked score SHOWN_PENALTY less, and the block with them: the
    next best sentence of the same passage answers ("Yet its revenue grew every single year through the crash ..."
    after "Amazon's stock fell 94% ..." for "how did it survive?"), or another passage leads."""
    if not shown:
        return
    for unit in units:
        repeated = [s for s in unit.sentences if _plain(s.text) in shown]
        if not repeated:
            continue
        before = max(s.score for s in unit.sentences)
        for sentence in repeated:
            sentence.score -= SHOWN_PENALTY
        if unit.answering in repeated:
            unit.answering = _next_in_place(unit, unit.answering, repeated)
        unit.score -= before - max(s.score for s in unit.sentences)


def _next_in_place(unit: _Unit, sentence: _Sentence, repeated: list[_Sentence]) -> _Sentence | None:
    """The sentence after one the last answer marked, in its list item (or paragraph): "Same workload at moderate
    load: roughly $2 per agent-hour ..." after "Claude Sonnet 4.6 at $3 input / $15 output per million tokens."."""
    item = _item_of(unit, sentence)
    return next(
        (s for s in unit.sentences if s.start >= sentence.end and s not in repeated and _item_of(unit, s) == item),
        None,
    )


def _compose(blocks: list[list[_Quote]]) -> VerifiedAnswer:
    """Each block under a line naming its source and its citation markers; the quotes become the citations."""
    citations: list[Citation] = []
    numbers: dict[tuple[str, str], int] = {}
    parts: list[str] = []
    for quotes in blocks:
        markers = []
        for quote in quotes:
            key = (quote.chunk.id, quote.text)
            if key not in numbers:
                citations.append(Citation(quote.chunk, quote.text))
                numbers[key] = len(citations)
            markers.append(f"[{numbers[key]}]")
        body = quotes[0].rendered()
        for previous, quote in pairwise(quotes):
            # Items of one list split over two chunks stay one Markdown list.
            same_list = _LIST_ITEM.match(quote.text) and _LIST_ITEM.match(previous.text.rsplit("\n", 1)[-1])
            body += ("\n" if same_list else "\n\n") + quote.rendered()
        parts.append(f"From “{_where(quotes[0].chunk)}” {' '.join(dict.fromkeys(markers))}:\n\n{body}")
    return VerifiedAnswer("\n\n".join(parts), citations)
