"""What shape of answer a question asks for, read from its form: a list, a comparison, a definition, an overview of
a document, or a passage.

A small rule-based classifier over wh-words, list verbs, plural heads, number words and comparison cues.
The extractive answerer uses it to quote a whole list for "which stages ...", one block per side for
"compare A with B", and the defining sentence for "what is X".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, replace
from typing import Literal

from service.corpus.current_parts import Part
from service.request_frame import without_answer_style
from service.text import DOCUMENT_KINDS, DOCUMENT_REFERENCE, document_references, plural_references

Kind = Literal["enumeration", "comparison", "definition", "overview", "other"]

_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_NUMBER = r"(?:\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)"
# Words ending in -s that are not plural nouns (verbs and function words), so "what does ..." is no list.
_NOT_PLURAL = set(
    "does is was has this its us his hers yours ours theirs less unless across thus always perhaps sometimes "
    "happens makes means causes drives explains matters decides keeps remains says goes seems looks comes gets "
    "needs shows tells leads gives takes puts lets wins loses costs pays works runs sees thinks wants uses "
    "analysis crisis thesis basis ai's vs news series species process business success access class loss "
    "stress progress".split()
)
# Words that end a noun phrase: what follows is a verb, a preposition or a clause.
_PHRASE_END = set(
    "of in on at for from to with by about according per that which who whom whose does do did is are was were "
    "can could would should will may might must has have had keep keeps make makes stop stops drive drives "
    "when where why how if as than after before during under over between within without into".split()
)
_LEAD = r"^\s*(?:(?:so|and|ok(?:ay)?|please|eli5:?|quick question:?)[\s,]+)*"

_LIST_VERB = re.compile(
    _LEAD + r"(?:list|name|enumerate|give(?: me)?|show(?: me)?|tell me)\b\s+(?P<rest>.+)$", re.IGNORECASE
)
_WH_PLURAL = re.compile(r"\b(?:which|what)\s+(?:are|were)?\s*(?:the\s+|its\s+|their\s+)?(?P<rest>.+)$", re.IGNORECASE)
#: What comes before a "which"/"what" that opens a clause inside a question another question word asks, with no break
#: between ("What's the point of deciding in advance what signals will make you act?", "Why decide ahead of time which
#: signals would change your plans?", "How does PageRank decide which web pages rank first?"): it asks the point, the
#: reason or the way, not the list. After a break the "which" asks again ("When the model is basically free, which
#: layers does value move to?", "How does AI improving AI feed the cycle — what are the steps?").
_EMBEDDING_QUESTION = re.compile(_LEAD + r"(?:what|which|why|how|when|where|who)\b[^,;:—–?!.]*$", re.IGNORECASE)
_COUNTED = re.compile(rf"\b(?P<count>{_NUMBER})\s+(?P<rest>[\w’'-]+.*)$", re.IGNORECASE)
#: What a question says across a counted whole, before its number: "under all six currents", "across each of the five
#: stages" (what holds for all of them, not their list).
_SPANNED = re.compile(
    r"\b(?:under|across|in|for|among|to|between|through|over|within|throughout)\s+(?:all\s+(?:of\s+)?|each\s+of\s+)"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
#: "How many currents are there?", "how many stages does blitzscaling have?": counting the parts a text is divided
#: into asks for their list. Only for such parts (LISTABLE): "how many GPUs did Meta buy?" asks for a figure.
_HOW_MANY = re.compile(r"\bhow\s+many\s+(?P<rest>[\w’'-]+.*)$", re.IGNORECASE)
#: The parts a framework or a current is divided into, which the corpus lists (plural nouns). Not the parts of the
#: corpus itself ("chapters", "essays", "sections"): how many of those there are, it never says. (The reranker's
#: `_ASKS_LIST` is a feature of its trained model and keeps its own list.)
LISTABLE = frozenset(
    "stages steps phases levels layers tiers pillars principles forces currents factors lessons patterns types kinds "
    "categories scenarios triggers signals waves eras".split()
)


def _names_parts(phrase: str) -> bool:
    """Whether a plural noun phrase names parts a framework or current is divided into ("currents", "GPU scaling
    stages"; LISTABLE)."""
    return phrase.split()[-1].lower() in LISTABLE


def lists_parts(form: QuestionForm) -> bool:
    """Whether the question asks for the list of such parts ("what are the currents called?", "how many stages ...?"),
    not of other things ("the risks of blitzscaling", "the names of OpenAI's executives")."""
    return form.kind == "enumeration" and bool(form.focus) and _names_parts(form.focus)


#: "the names of", "the list of", "(which) ones of": what a list is asked for by, before what it lists.
NAMES_OF = r"(?:the\s+)?(?:names?|list|titles?|ones)\s+of"
NAMES_OF_START = re.compile(rf"^{NAMES_OF}\s+(?:all\s+)?(?:the\s+)?", re.IGNORECASE)
#: Words that may open a message before its question ("and", "so", "ok", "but", "then").
OPENERS = r"^\W*(?:(?:and|so|ok(?:ay)?|but|then)\W+)*"

_COMPARISONS = [
    re.compile(
        r"\b(?:compare|contrast)\s+(?P<a>.+?)\s+(?:with|to|and|against|versus|vs\.?)\s+(?P<b>.+?)(?:[?.;:]|$)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bhow\s+(?:does|do|did|is|are)\s+(?P<a>.+?)\s+(?:differ|compare|contrast)\s+(?:from|with|to)\s+(?P<b>.+?)(?:[?.;:]|$)",
        re.IGNORECASE,
    ),
    re.compile(r"\bdifferences?\s+between\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)(?:[?.;:]|$)", re.IGNORECASE),
    # "what distinguishes training from inference?", "how is A different from B?", "what sets A apart from B?"
    re.compile(
        r"\bwhat\s+(?:distinguishes|separates|differentiates|sets)\s+(?P<a>.+?)\s+(?:apart\s+)?from\s+(?P<b>.+?)"
        r"(?:\s+in\s+terms\s+of\b.*)?(?:[?.;:]|$)",
        re.IGNORECASE,
    ),
    re.compile(
        r"\bhow\s+(?:is|are|was|were)\s+(?P<a>.+?)\s+(?:different|distinct)\s+(?:from|than|to)\s+(?P<b>.+?)(?:[?.;:]|$)",
        re.IGNORECASE,
    ),
    re.compile(r"(?:^|[.?!:]\s*)(?P<a>[^.?!:;]+?)\s+(?:vs\.?|versus)\s+(?P<b>[^.?!:;]+)", re.IGNORECASE),
    re.compile(
        r"\b(?:do|does|did)\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+(?:agree|disagree|differ|each|both)\b", re.IGNORECASE
    ),
    re.compile(
        r"\bhow\s+(?:do|does|did)\s+(?P<a>.+?)\s+and\s+(?P<b>.+?)\s+(?:each|both|differ|compare)\b", re.IGNORECASE
    ),
    # Two documents named together: "where do the flywheel essay and the Lab to Production chapter locate ..."
    re.compile(
        rf"(?P<a>{DOCUMENT_REFERENCE})\s+(?:and|with|versus|vs\.?)\s+(?P<b>{DOCUMENT_REFERENCE})", re.IGNORECASE
    ),
]

#: How a question asks for one part of a current (with the current named): its counter-triggers, the sources of its
#: data, its framing question. Its trigger signals alone are a watch list (AnswerService._watch_list_of); asked
#: together with another part ("the trigger signals ... and the counter-triggers?"), they are a part too.
_CURRENT_PARTS: tuple[tuple[Part, re.Pattern[str]], ...] = (
    ("triggers", re.compile(r"(?<!counter-)(?<!counter )\btrigger(?:s|\s+signals?)\b", re.IGNORECASE)),
    (
        "counter-triggers",
        re.compile(
            r"\bcounter[- ]?(?:triggers?|signals?)\b|\bdisconfirming\s+(?:evidence|signals?)\b"
            r"|\bwhat\s+would\s+(?:disconfirm|disprove|falsify|refute)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "data sources",
        re.compile(
            r"\bdata[- ]sources?\b|\bsources?\s+(?:of|for)\s+(?:its\s+|the\s+|their\s+)?(?:data|figures|numbers)\b"
            r"|\b(?:what|which)\s+(?:data|sources)\b[^?]*?\b(?:use|uses|draw|draws|rely|relies|cite|cites|based)\b"
            r"(?:\s+(?:on|upon))?|['’]s\s+data\b|\bget\s+(?:its|their)\s+data\b"
            r"|\bwhere\s+(?:does|do)\s+(?:its\s+|the\s+|their\s+)?(?:data|figures|numbers)\b[^?]*\bcome\s+from\b",
            re.IGNORECASE,
        ),
    ),
    (
        "framing question",
        re.compile(
            r"\bframing\s+question\b|\b(?:central|key|main|guiding|core|big|opening|defining)\s+question\b"
            r"|\bwhat\s+question\s+(?:does|do)\s+(?:it|the|that|this)\b[^?]*\b(?:ask|pose|raise|frame)s?\b",
            re.IGNORECASE,
        ),
    ),
)


#: Words that place a document in an order rather than name it, before its kind ("the last chapter", "the next
#: current"), lower case: "Last Week in AI" is a name, and so is "last week in ai" (no kind follows).
_POSITION = re.compile(
    r"\b(?:first|last|next|previous|final|second|third|fourth|fifth|sixth|other)\s+(?:[\w’'-]+\s+)?"
    r"(?:essay|chapter|post|piece|article|current|digest|podcast|episode|booklet|section)s?\b"
)


def by_position(reference: str) -> bool:
    """Whether a reference points at a document by its place in an order ("the last chapter"), not by a name."""
    return bool(_POSITION.search(reference))


def current_parts(question: str) -> tuple[list[Part], str]:
    """The parts of a current a question asks for ("what are the counter-triggers of ...?", "the framing question and
    the data sources of ..."), in the order it names them, and the question without the words that name them."""
    found = sorted((match.start(), part) for part, pattern in _CURRENT_PARTS if (match := pattern.search(question)))
    rest = question
    for _, pattern in _CURRENT_PARTS:
        rest = pattern.sub(" ", rest)
    return [part for _, part in found], rest


#: Words that make a question naming several documents together a comparison.
_COMPARES = re.compile(
    r"\b(?:compare|contrast|versus|vs\.?|differ|differs|difference|differences|agree|disagree|both)\b"
    r"|\bdifferent\b(?=\s*(?:from|than|\?|$))",  # "how are they different?", not "the different triggers in ..."
    re.IGNORECASE,
)

_DEFINITION = [
    re.compile(
        _LEAD + r"what(?:’s|'s|s|\s+is|\s+are|\s+was|\s+were)\s+(?:an?\s+|the\s+)?(?P<term>[^?]+?)\s*\??$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"(?:define|explain|describe)\s+(?:an?\s+|the\s+)?(?P<term>.+?)(?:\s+(?:to me|for me|like|as if|in plain)\b.*)?\s*[?.]?$",
        re.IGNORECASE,
    ),
    re.compile(_LEAD + r"what\s+(?:does|do)\s+(?:an?\s+|the\s+)?(?P<term>.+?)\s+mean\s*\??$", re.IGNORECASE),
    re.compile(r"\bwhat\s+is\s+meant\s+by\s+(?:an?\s+|the\s+)?(?P<term>.+?)\s*\??$", re.IGNORECASE),
]
#: A question of how someone or something defines a term, or what it means by one: "How does the flywheel essay define
#: the AI flywheel?", "How is the death zone defined in the blitzscaling essay?", "What does the booklet mean by a
#: current?". What the term is, as the one defining it puts it, is asked.
_HOW_DEFINED = [
    re.compile(
        _LEAD + r"how\s+(?:does|do|did|would)\s+(?P<who>\S.*?)\s+define\s+(?:an?\s+|the\s+)?(?P<term>.+?)\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD + r"how\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+)?(?P<term>.+?)\s+defined"
        r"(?:\s+(?:in|by|according\s+to)\s+[^?]*)?[?.!]*$",  # "... in the blitzscaling essay?", not "... differently"
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD + r"what\s+(?:does|do|did)\s+(?P<who>\S.*?)\s+mean\s+by\s+(?:an?\s+|the\s+)?(?P<term>.+?)\s*[?.!]*$",
        re.IGNORECASE,
    ),
]
_DEFINITION += _HOW_DEFINED


def term_defined(question: str) -> str | None:
    """The term a question asks how someone defines, or what they mean by (_HOW_DEFINED): "the AI flywheel" of "How
    does the flywheel essay define the AI flywheel?"; None for any other question, or a term longer than a term."""
    text = " ".join(question.split())
    for pattern in _HOW_DEFINED:
        if (match := pattern.match(text)) and len(match.group("term").split()) <= MAX_PHRASE_WORDS:
            term = _QUALIFIER.sub("", match.group("term")).strip(" ?.!")
            # "how is it defined?": a pronoun is no term
            return term if term and len(term.split()) <= MAX_TERM_WORDS and term.lower() not in _PRONOUNS else None
    return None


#: A question of what something is, embedded after a request or standing alone: "explain what the Jevons paradox is",
#: "explain what RLVR means", "what an AI moat is".
_WHAT_IT_IS = re.compile(
    _LEAD + r"(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:(?:explain|describe|tell me|show me|remind me)\s+)?"
    r"what\s+(?:an?\s+|the\s+)?(?P<term>[^?,;]+?)\s+(?:is|means|stands for)\s*[?.!]*$",  # "... are": a list, below
    re.IGNORECASE,
)
_GIST = (
    r"(?:summary|overview|rundown|recap|synopsis|gist|tl;?dr|(?:main|key|central|core|big)\s+(?:argument|arguments|point|"
    r"points|idea|ideas|thesis|message|messages|takeaway|takeaways|claim|claims)|"
    # "3 takeaways", "five key points"
    rf"{_NUMBER}\s+(?:(?:main|key|central|core|big)\s+)?(?:takeaways|points|ideas|lessons|insights|arguments|claims))"
)
# A request for what a whole document says: "summarise the Jevons essay", "give me the key points of the podcast",
# "what's the booklet about?", "what does the Sovereignty current cover?". The focus is the document as referred to.
_OVERVIEW = [
    re.compile(
        _LEAD
        + r"(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:summari[sz]e|recap|sum\s+up)\s+(?P<focus>.+?)(?:\s+for me)?\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:give|show|tell)\s+me\s+(?:an?\s+|the\s+)?(?:quick\s+|short\s+|brief\s+)?"
        + _GIST
        + r"\s+(?:of|from|in|on)\s+(?P<focus>.+?)\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"(?:what(?:’s|'s|\s+is|\s+are)\s+)?(?:an?\s+|the\s+)?(?:quick\s+|short\s+|brief\s+)?"
        + _GIST
        + r"\s+(?:of|from|in|on)\s+(?P<focus>.+?)\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"what(?:’s|'s|\s+is|\s+are|\s+was|\s+were)\s+(?P<focus>.+?)\s+(?:(?:all|mainly|mostly|really|actually|basically)\s+)?about\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD + r"what\s+(?:does|do)\s+(?P<focus>.+?)\s+(?:cover|argue|claim|say|tell\s+(?:me|us))\s*[?.!]*$",
        re.IGNORECASE,
    ),
    # what a document was written in response to, which its opening says: "what news is the platform paradox essay
    # reacting to?", "what prompted the Jevons essay?", "what is the flywheel essay a response to?"
    re.compile(
        _LEAD
        + r"(?:(?:what|which)\s+(?:news|event|events|announcement|report|story|development|headline)\s+(?:is|was|are|were)\s+"
        + rf"(?P<focus>.+?\b(?:{DOCUMENT_KINDS}))\s+(?:reacting|responding)\s+to|what\s+(?:prompted|triggered|inspired|"
        + rf"sparked)\s+(?P<prompted>.+?\b(?:{DOCUMENT_KINDS}))|what\s+(?:is|was)\s+(?P<response>.+?\b(?:{DOCUMENT_KINDS}))\s+"
        + r"(?:a\s+)?(?:reaction|response)\s+to)\s*[?.!]*$",
        re.IGNORECASE,
    ),
    # "what's the booklet's main message?", "the flywheel essay's key points", and as a search box has it: "jevons essay
    # tl;dr", "scenario planning booklet cheat sheet"
    re.compile(
        _LEAD
        + rf"(?:what(?:’s|'s|\s+is|\s+are)\s+)?(?P<focus>.+?\b(?:{DOCUMENT_KINDS}))(?:['’]s)?\s+(?:quick\s+|short\s+|brief\s+)?"
        + rf"(?:{_GIST}|cheat\s*sheet|in\s+a\s+nutshell)"
        + r"\s*[?.!]*$",
        re.IGNORECASE,
    ),
    # "tell me more about the Sovereignty current", "say more about Efficiency Revolution (the six currents)", "tell me
    # about the podcast": more of a
    # whole document, when the focus names one (a gloss in parentheses, as a follow-up resolves "the second one", aside).
    # Not when it counts what it asks for ("what about the six currents?": an enumeration).
    re.compile(
        _LEAD
        + r"(?:(?:can|could|would) you\s+)?(?:please\s+)?(?:(?:tell me|say)(?:\s+(?:a\s+(?:bit|little)|some(?:thing)?))?"
        r"\s+more\s+(?:about|on)|(?:go|dig)\s+deeper\s+(?:into|on)|more\s+(?:about|on)|what\s+about|"
        # "tell me about the podcast", "what do you have on the podcast?": the document, when the focus is one
        r"tell\s+me\s+about|talk\s+(?:to\s+me\s+)?about|what\s+do\s+you\s+have\s+(?:on|about))"
        r"\s+(?P<focus>[^()]+?)\s*(?:\([^()]*\))?\s*[?.!]*$",
        re.IGNORECASE,
    ),
]
#: What a document concludes: "what does the flywheel essay conclude (about X)?", "the conclusion of the Jevons essay",
#: "what's the bottom line of the podcast?", "how does the blitzscaling essay end?", "the Jevons essay's conclusion",
#: "what conclusion does the Jevons essay reach?". The focus is the document as referred to; `about`, what the
#: conclusion is asked about, if anything.
_CLOSING = (
    r"(?:conclusions?|bottom[\s-]+line|verdict|takeaways?|final\s+(?:verdict|word|words|point|thoughts?|argument)|"
    r"closing\s+(?:argument|point|thoughts?))"
)
_ABOUT = r"(?:\s+(?:about|on|regarding|for)\s+(?P<about>[^?]+?))?\s*[?.!]*$"
_CONCLUSION = [
    re.compile(
        _LEAD + r"what\s+(?:does|do|did)\s+(?P<focus>.+?)\s+(?:ultimately\s+|finally\s+)?(?:conclude(?:\s+with)?|"
        r"end\s+(?:on|with)|close\s+(?:on|with)|wrap\s+up\s+with|say\s+in\s+(?:its|the)\s+conclusion|"
        r"recommend|advise|propose)\b" + _ABOUT,
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"what\s+conclusions?\s+(?:does|do|did)\s+(?P<focus>.+?)\s+(?:reach|draw|come\s+to|arrive\s+at)\b"
        + _ABOUT,
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD + r"(?:(?:what(?:’s|'s|\s+is|\s+are|\s+was)|(?:can|could|would)\s+you\s+(?:give|show|tell)\s+me|"
        r"(?:give|show|tell)\s+me|summari[sz]e|sum\s+up)\s+)?(?:the\s+)?(?:(?:overall|single|biggest|one|final|"
        r"most\s+important)\s+){0,2}" + _CLOSING + r"\s+(?:of|from|in|on)\s+(?P<focus>.+?)\s*[?.!]*$",
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD
        + r"what(?:’s|'s|\s+is|\s+are|\s+was)\s+(?P<focus>.+?)(?:’s|'s|s’|s')\s+(?:overall\s+)?"
        + _CLOSING
        + _ABOUT,
        re.IGNORECASE,
    ),
    re.compile(
        _LEAD + r"how\s+(?:does|do|did)\s+(?P<focus>.+?)\s+(?:end|conclude|close|wrap\s+up|finish)\s*[?.!]*$",
        re.IGNORECASE,
    ),
]


@dataclass(frozen=True)
class ConclusionAsked:
    document: str  # as the question refers to it ("the flywheel essay")
    about: str = ""  # what the conclusion is asked about ("Meta"), if anything


def conclusion_asked(question: str) -> ConclusionAsked | None:
    """The document whose conclusion is asked for, when the question refers to it as a document (by a word such as
    "essay", "piece" or "podcast": "how does the hype cycle end?" asks about the framework), or None."""
    text = _POLITE_END.sub("", " ".join(question.split()))  # "... of the booklet for me"
    for pattern in _CONCLUSION:
        match = pattern.match(text)
        if match is None or len(match.group("focus").split()) > MAX_PHRASE_WORDS:
            continue
        focus = match.group("focus").strip(" ,?.!")
        if not document_references(focus):
            return None
        about = match.groupdict().get("about") or ""
        return ConclusionAsked(focus, about.strip(" ,?.!"))
    return None


_POLITE_END = re.compile(r"(?:[,\s]+(?:please|for me|thanks|thank you))+\s*$", re.IGNORECASE)
# Where a term is looked up, not part of it: "the death zone in blitzscaling", "... according to the booklet".
_QUALIFIER = re.compile(r"\s+(?:in|of|according to|per|from|within)\s+(?:the\s+|this\s+|that\s+)?.*$", re.IGNORECASE)
_WH_START = re.compile(
    r"^\s*(?:who|what|when|where|why|how|which|whose|whom|is|are|was|were|do|does|did|can|could|should|would|will|has|have)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w’'-]+")

#: The longest term a definition question defines, in words ("the death zone": 2).
MAX_TERM_WORDS = 5
#: The longest phrase after "what is" that can still be a term with where to look it up ("the death zone in blitzscaling").
MAX_PHRASE_WORDS = 8
#: A message of at most this many words with no question form is a topic lookup ("death zone", "sovereignty triggers").
MAX_TOPIC_WORDS = 4


@dataclass(frozen=True)
class QuestionForm:
    kind: Kind
    #: enumeration: the things asked for ("trigger signals"); definition: the term ("death zone"); overview: the
    #: document as referred to ("the Jevons essay", "the podcast").
    focus: str = ""
    #: comparison: what is compared, as worded ("the Jevons paradox essay", "the efficiency revolution current").
    sides: tuple[str, ...] = ()
    #: enumeration: how many the question says there are ("name the six currents": 6).
    count: int | None = None
    #: every document the question refers to by kind ("the defensibility essay", "the Sovereignty chapter").
    references: tuple[str, ...] = ()


def is_plural(word: str) -> bool:
    word = word.lower().strip("’'")
    possessive = word.endswith(("'s", "’s"))
    return (
        len(word) > 3
        and not possessive
        and word.endswith("s")
        and not word.endswith(("ss", "us", "is"))
        and word not in _NOT_PLURAL
    )


#: Plurals that are also a verb's third person ("it costs"): nouns after a modifier ("hidden costs", "training runs").
_VERB_OR_NOUN = frozenset("costs needs uses runs works wins drives causes leads".split())
_PRONOUNS = frozenset("it this that what which who he she one".split())


def _noun_after_modifier(phrase: list[str], following: str | None) -> bool:
    """Whether the phrase's last word is a plural noun that could be a verb, read as a noun after a word that is no
    verb and no pronoun and before the phrase ends: "the hidden costs of X", not "it costs" or "what makes costs", nor
    "company runs the largest cluster"."""
    if len(phrase) < 2 or phrase[-1].lower() not in _VERB_OR_NOUN:
        return False
    before = phrase[-2].lower()
    ends = following is None or following.lower() in _PHRASE_END
    return ends and before not in _NOT_PLURAL and before not in _PRONOUNS


def _plural_head(rest: str, max_words: int = 4, listed: bool = False) -> str | None:
    """The noun phrase at the start of `rest` when it ends in a plural noun: "trigger signals of X" -> "trigger signals".
    `listed`: `rest` is what a list verb or "what are the" asks for, where "hidden costs" is a noun phrase."""
    words = _WORD.findall(rest)
    phrase: list[str] = []
    for word in words[:max_words]:
        if word.lower() in _PHRASE_END:
            break
        phrase.append(word)
    while phrase and not (
        is_plural(phrase[-1])
        or (listed and _noun_after_modifier(phrase, words[len(phrase)] if len(phrase) < len(words) else None))
    ):
        phrase.pop()
    if not phrase or phrase[0].lower() in _NOT_PLURAL:
        return None
    return " ".join(phrase)


def _count(text: str) -> int | None:
    match = re.search(rf"\b({_NUMBER})\b", text, re.IGNORECASE)
    if not match:
        return None
    value = match.group(1).lower()
    return int(value) if value.isdigit() else _NUMBERS[value]


def _side(text: str) -> str:
    text = re.sub(r"^which\s+(?:one\s+)?of\s+", "", text.strip(" ,;:'\"“”‘’"), flags=re.IGNORECASE)
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.IGNORECASE)


#: How long or in what shape to answer, at the end of a question: "in three bullets", "in one sentence", "as a table",
#: "in 100 words". It says nothing of what is asked.
FORMAT_AT_END = re.compile(
    rf"\s*,?\s+(?:(?:in|as|with|using)\s+(?:(?:a|an|{_NUMBER}|\d+|a few|few|some)\s+)?"
    r"(?:short\s+|brief\s+|quick\s+|simple\s+|single\s+)?"
    r"(?:bullets?|bullet[\s-]points?|points|sentences?|words|paragraphs?|lines?|tables?|lists?|tweets?|slides?)|"
    r"in\s+a\s+nutshell|in\s+short|in\s+brief)"
    r"(?:\s*,?\s*please)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=1024)
def classify(question: str) -> QuestionForm:
    """The form of a question: enumeration, comparison, definition, overview, or other. Cached: one question is
    classified at several steps of answering it (a pure function of its text; QuestionForm is frozen)."""
    text = " ".join(question.split())
    # "In plain English, what is X?": how to answer is no part of the question's form
    asked = without_answer_style(text)
    form = _classify(FORMAT_AT_END.sub("", asked) or asked)  # "summarise the podcast in three bullets": an overview
    return replace(form, references=document_references(text))


#: "Which of the six currents is most likely?", "which one of the stages is the riskiest?": one of a list, chosen by a
#: superlative, is asked for; not the list.
_CHOOSES_ONE = re.compile(
    OPENERS + r"which\s+(?:one\s+)?of\b.*\b(?:most|least|more|less|best|worst|biggest|largest|greatest|highest|"
    r"lowest|strongest|weakest|likeliest|cheapest|fastest|earliest|hardest|riskiest|safest|closest)\b",
    re.IGNORECASE,
)


#: What some plural subject is doing, not a list of it: "What are the Big Five hyperscalers spending?", "what are the
#: labs doing?" (a plural right before a verb in -ing that ends the question, perhaps with its preposition); not "What
#: are the hidden costs of scaling?".
_WHAT_THEY_DO = re.compile(
    OPENERS + r"(?:what|which)\s+(?:are|were)\s+(?:[\w’'.-]+\s+){0,4}?[\w’'.-]+s\s+[a-z]+ing"
    r"(?:\s+(?:on|about|for|with|to|into|in|at|toward|towards))?\s*[?.!]*$",
    re.IGNORECASE,
)


def _classify(text: str) -> QuestionForm:
    if (
        _COMPARES.search(text) and len(plural := plural_references(text)) >= 2
    ):  # "compare the Jevons and flywheel essays"
        return QuestionForm("comparison", sides=tuple(plural[:2]))
    for pattern in _COMPARISONS:
        match = pattern.search(text)
        if match and _side(match.group("a")) and _side(match.group("b")):
            return QuestionForm("comparison", sides=(_side(match.group("a")), _side(match.group("b"))))

    if _CHOOSES_ONE.search(text) or _WHAT_THEY_DO.match(text):
        return QuestionForm("other")
    for pattern in _OVERVIEW:
        match = pattern.match(text)
        # the document as the pattern's alternative that matched holds it
        focus = match and next((g for g in map(match.groupdict().get, ("focus", "prompted", "response")) if g), None)
        if focus and len(focus.split()) <= MAX_PHRASE_WORDS and not _COUNTED.search(focus):
            return QuestionForm("overview", focus=_POLITE_END.sub("", focus).strip(" ,?.!"))

    listed = _LIST_VERB.match(text)
    if listed:
        rest = re.sub(r"^(?:(?:all|every|each|the|its|their)\s+)+", "", listed.group("rest"), flags=re.IGNORECASE)
        rest = NAMES_OF_START.sub("", rest)
        counted = _COUNTED.match(rest)
        head = _plural_head(counted.group("rest") if counted else rest, listed=True)
        if head:
            return QuestionForm("enumeration", focus=head, count=_count(rest))
    counted = _COUNTED.search(text)
    if counted and _SPANNED.search(text[: counted.start()]):
        counted = None  # "What's the one action that works under all six currents?": across them, not their list
    if counted and _plural_head(counted.group("rest"), 3):
        return QuestionForm(
            "enumeration", focus=_plural_head(counted.group("rest"), 3) or "", count=_count(counted.group("count"))
        )
    many = _HOW_MANY.search(text)
    if many and (head := _plural_head(many.group("rest"), 3)) and _names_parts(head):
        return QuestionForm("enumeration", focus=head)
    embedded = _WHAT_IT_IS.match(text)  # "explain what the Jevons paradox is": what it is, not a list of "Jevons"
    if embedded and len(embedded.group("term").split()) <= MAX_TERM_WORDS:
        return QuestionForm("definition", focus=embedded.group("term"))
    wh = _WH_PLURAL.search(text)
    if wh and not (wh.start() and _EMBEDDING_QUESTION.match(text[: wh.start()])):
        asked = re.search(r"\b(?:are|were)\s+(?:the|its|their)\s", wh.group(0)[: wh.start("rest") - wh.start()] + " ")
        head = _plural_head(NAMES_OF_START.sub("", wh.group("rest")), listed=asked is not None)
        if head:
            return QuestionForm("enumeration", focus=head)

    for pattern in _DEFINITION:
        match = pattern.match(text)
        if match and len(match.group("term").split()) <= MAX_PHRASE_WORDS:
            term = _QUALIFIER.sub("", match.group("term")).strip(" ?.")
            if term and len(term.split()) <= MAX_TERM_WORDS:
                return QuestionForm("definition", focus=term)
    words = _WORD.findall(text)
    if words and len(words) <= MAX_TOPIC_WORDS and not _WH_START.match(text) and not text.rstrip().endswith("?"):
        topic = " ".join(words)
        return (
            QuestionForm("enumeration", focus=topic)
            if is_plural(words[-1])
            else QuestionForm("definition", focus=topic)
        )
    return QuestionForm("other")
