"""Turn a follow-up in a conversation ("why?", "what about its triggers?") into a standalone question.

A message is a follow-up by its form, not its length: it points back with a pronoun or a reference
("it", "that", "its triggers", "the second one", "this essay"), is an ellipsis with no topic of its own
("why?", "and then?", "say more"), or a fragment that continues the last question ("what about banks?",
"and for insurers?"). A complete question ("What is blitzscaling?", "death zone") is left alone, so the
old topic never pollutes it.

The deterministic rewrite (extractive mode, and the fallback of the model's) resolves the reference:
the topic of the last question, an item of the last answer, or the document it quoted. In generated
mode a model rewrites the follow-up through service/prompts/standalone_question.j2; its output is guarded and
checked, and the deterministic rewrite is used whenever the model fails or says something unusable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from service.answering import entities
from service.answering.guard import guard_question
from service.answering.prompts import PromptLibrary
from service.answering.question_form import LISTABLE, NAMES_OF_START, OPENERS, classify, is_plural, lists_parts
from service.corpus.chunking import Chunk
from service.llm.gateway import AllModelsFailedError, LLMGateway
from service.text import (
    DOCUMENT_KINDS,
    NAME_WORD,
    content_words,
    document_references,
    listed_names,
    split_sentences,
    stem,
    words_of,
)

#: Earlier turns shown to the model that rewrites a follow-up, and how much of each.
REWRITE_TURNS = 6
REWRITE_TURN_CHARS = 600
#: A word found in this share of the documents names no subject alone ("data", "watch", "risk").
COMMON_SHARE = 0.25
#: A question of at most this many content words, all common, names nothing specific.
GENERIC_QUESTION_WORDS = 3
#: A rewrite longer than this is not a question.
MAX_STANDALONE_CHARS = 400

# Words that carry no topic: what a follow-up says besides its reference ("say more", "why so?").
_NO_TOPIC = content_words(
    "why how what more else then next after before so come go on say tell me explain elaborate expand continue detail details "
    "example examples instance instances mean means meaning really true sure ok okay again please thanks thank one ones point "
    "points part bit further clarify happen happens happened like other another same thing things case right matter matters "
    "first second third fourth fifth sixth last latter former previous earlier above give show talk describe summarise summarize "
    "one's lot little much many why's not just evidence proof number numbers figure figures data reference still also else "
    "anything something t s d ll re ve m don isn aren doesn didn won wouldn shouldn couldn can "
    "any some none each either neither both every anyone anybody someone somebody everyone everybody "  # quantifiers
    "he she him her his hers came went said told gave given showed shown"  # "when did he say that?", "who came up with it?"
)
# Predicates too general to be a topic, or to be what a later "it" refers to ("who loses?", "how can
# incumbents avoid it?").
_GENERIC = content_words(
    "win wins won lose loses lost gain gains benefit benefits pay pays fail fails work works help helps often long soon much big "
    "fast cost costs survive survives die dies avoid handle deal respond compete beat fight counter prepare react mitigate escape "
    "solve fix prevent stop start apply affect cause drive trigger end grow differ compare mean use need want should could would "
    # knowing, telling and writing, which a pronoun after them never stands for ("how do I know if it's happening?",
    # "who wrote about it first?"),
    "know knows knew tell tells told think thinks expect expects notice spot sure write writes wrote written talk "
    "talks talked discuss discusses discussed "
    # and of taking someone through something ("walk me through it", "unpack it for me")
    "walk walks unpack unpacks outline outlines summarise summarize summarises summarizes"
)
# Verbs and adverbs that follow a pronoun subject: "does this hold", "that still", "it really".
_PREDICATES = _GENERIC | content_words(
    "mean apply matter work affect change happen lead say hold relate fit play make hurt still really also explain translate scale "
    "hold holds relates fits plays makes hurts already yet now ever even actually"  # "are any of these already ..."
)
_WH = {"what", "which", "who", "whom", "whose", "why", "how", "when", "where"}
_ORDINALS = {
    "first": 0,
    "1st": 0,
    "former": 0,
    "second": 1,
    "2nd": 1,
    "third": 2,
    "3rd": 2,
    "fourth": 3,
    "4th": 3,
    "fifth": 4,
    "5th": 4,
    "sixth": 5,
    "6th": 5,
    "seventh": 6,
    "7th": 6,
    "last": -1,
    "latter": -1,
    "final": -1,
}
# Generic nouns only: "the second current" names a current of the booklet, "the second one" points back.
_ITEM_NOUNS = (
    "one|ones|point|item|idea|option|example|thing|bullet|part|reason|step|factor|claim|quote|passage|source|"
    "kind|kinds|type|types|sort|sorts|category|categories|group|groups|camp|camps"
)
_ORDINAL_REF = re.compile(
    rf"\bthe (first|second|third|fourth|fifth|sixth|seventh|last|latter|former|final|1st|2nd|3rd|4th|5th|6th|7th)"
    rf"(?:\s+(?:{_ITEM_NOUNS})\b|(?=\s*[?.!,;:]|\s*$|\s+(?:in|of|on|from|you|that)\b))"
    rf"|\b(?:number|no\.|item|point|#)\s*([1-7])\b",
    re.IGNORECASE,
)
#: An item of the last answer pointed at by a name it holds: "the DeepSeek one", "the Chinese ones".
_NAMED_ONE = re.compile(r"\bthe (?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*) ones?\b")
_DOC_NOUNS = {
    "essay",
    "chapter",
    "booklet",
    "article",
    "piece",
    "document",
    "paper",
    "post",
    "digest",
    "podcast",
    "report",
    "section",
    "source",
}
_DOC_STEMS = content_words(" ".join(_DOC_NOUNS))
#: Kinds of which the corpus has several: "the essay" in a conversation is the one the last answer quoted (the
#: podcast, the digest and the booklet are one each, named by their kind alone).
_SHARED_KINDS = frozenset({"essay", "chapter", "article", "piece", "paper", "post"})
#: What may follow "the essay" when it stands for a document: the end, a verb of what it says or does ("what does the
#: essay conclude?", "the essay argues ..."), or "about" ending the question ("what is the essay about?"). Not a
#: noun it qualifies ("the paper trail", "the essay question", "the chapter 11 process") or a phrase naming which
#: one ("the essay on Jevons").
_DOCUMENT_VERBS = frozenset(
    "say says said conclude concludes concluded argue argues argued claim claims claimed mention mentions mentioned "
    "discuss discusses discussed cover covers covered suggest suggests suggested recommend recommends recommended "
    "think thinks thought mean means predict predicts predicted end ends ended show shows showed describe describes "
    "described explain explains explained agree agrees disagree disagrees call calls called make makes made get gets "
    "got propose proposes proposed warn warns warned react reacts reacted reacting respond responds responded "
    "responding".split()
)
_POSSESSIVE = ("'s", "’s")
_AUX = {
    "is",
    "are",
    "was",
    "were",
    "does",
    "do",
    "did",
    "can",
    "could",
    "should",
    "would",
    "will",
    "has",
    "have",
    "had",
    "might",
    "may",
    "must",
    "'s",
    "’s",
}
_PREPOSITIONS = {
    "about",
    "of",
    "to",
    "with",
    "for",
    "on",
    "in",
    "from",
    "like",
    "beyond",
    "after",
    "before",
    "behind",
    "into",
    "than",
    "under",
    "over",
}
_EXPLETIVE = {
    "true",
    "possible",
    "likely",
    "worth",
    "important",
    "necessary",
    "better",
    "hard",
    "easy",
    "clear",
    "fair",
    "the case",
}
# Particles and adverbs of a phrasal verb ("comes out of", "set up"): no topic for a later "those" to refer to.
_PARTICLES = {"out", "up", "off", "down", "away", "back", "over", "through", "along", "around"}
#: A word or a mark; a pronoun contracted with its verb is two ("it's" is "it" and "'s": "how do I know if it's
#: happening?" refers back as "... if it is happening?" does).
_TOKEN = re.compile(
    r"\b(?i:it|they|that)(?=['’](?:s|re|ll|d|ve)\b)|['’](?:s|re|ll|d|ve)\b|[A-Za-z0-9][A-Za-z0-9’'-]*|[?.!,;:]"
)


@dataclass(frozen=True)
class _Reference:
    start: int
    end: int
    kind: str  # pronoun | possessive | determiner
    noun: str = ""


def _back_references(question: str) -> list[_Reference]:
    """Pronouns and demonstratives that point outside the question.

    One that follows a topic of the question's own ("How did OpenAI change its prices?") refers inside it."""
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    words = [t.lower() for t, _, _ in tokens]
    references = []
    for i, (_, start, end) in enumerate(tokens):
        word, before = words[i], words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        following = " ".join(words[i + 1 : i + 3])
        if word in ("it", "they", "them"):
            if not any(e in following or e == after for e in _EXPLETIVE):
                references.append(_Reference(start, end, "pronoun"))
        elif word in ("its", "their") and after and after not in "?.!,;:":
            references.append(_Reference(start, tokens[i + 1][2], "possessive", tokens[i + 1][0]))
        elif word == "the" and _stands_for_a_document(words[i + 1 :]):
            # "what does the essay conclude?", "what is the essay's main argument?": the essay the last answer quoted
            references.append(_Reference(start, tokens[i + 1][2], "determiner", tokens[i + 1][0]))
        elif word in ("this", "that", "these", "those"):
            standalone = (
                not after
                or after in "?.!,;:"
                or after in _AUX
                or after in ("the", "a", "an")
                or bool(content_words(after) & _PREDICATES)
            )  # "does this hold", not "does this paradox"
            if standalone and (
                before in _AUX
                or before in _PREPOSITIONS
                or i == 0
                or before in ("and", "so", "but")
                or not after
                or after in "?.!,;:"
            ):
                references.append(_Reference(start, end, "pronoun"))
            elif not standalone and (
                before in _AUX
                or (before.endswith(_POSSESSIVE) and before[:-2] in _WH)  # "what's this essay about?"
                or before in _PREPOSITIONS
                or i == 0
                or before in ("and", "so", "but")
                or i + 2 >= len(words)
                or words[i + 2] in ("?", ".", "!")  # it ends the message: "decide that choice?"
            ):
                references.append(_Reference(start, tokens[i + 1][2], "determiner", tokens[i + 1][0]))
    return [r for r in references if not _refers_inside(question, r)]


#: "the author", "the writer": the author of what the last answer quoted.
_AUTHOR = re.compile(r"\bthe\s+(?:author|writer)\b", re.IGNORECASE)


def refers_back(question: str) -> bool:
    """Whether the question points back into the conversation: a pronoun or demonstrative that stands for nothing it
    names itself ("why couldn't they fight back?"; not "did gpt-6 ship? when did it ship"), or "the author"."""
    return bool(_back_references(question) or _AUTHOR.search(question))


def _stands_for_a_document(words: list[str]) -> bool:
    """Whether "the" and the words after it ("essay", "conclude", "?") stand for a document of a kind the corpus has
    several of, as a whole: "the essay?", "the essay conclude", "the essay's", "the essay about?"."""
    if not words:
        return False
    noun = _kind_of(words[0])
    if noun not in _SHARED_KINDS:
        return False
    if noun != words[0]:  # "the essay's main argument"
        return True
    rest = words[1:]
    return (
        not rest
        or rest[0] in "?.!,;:"
        or rest[0] in _AUX
        or rest[0] in _DOCUMENT_VERBS
        or rest[0] in ("and", "or")  # "the essay and the chapter": both, left as asked when both are kinds
        or (rest[0] == "about" and (len(rest) == 1 or rest[1] in "?.!"))
    )


#: Adverbs a message may end with after a pronoun that still ends it: "... follow it too?", "... do it as well?".
_TRAILING_ADVERBS = frozenset({"too", "also", "either", "as", "well", "again", "anymore", "now", "then"})


def _refers_inside(question: str, reference: _Reference) -> bool:
    """Does the reference stand for something the question itself names before it?"""
    before = question[: reference.start]
    if reference.kind != "determiner":
        pronoun = _first_word(question, reference)
        # at the end, but for an adverb that only adds to it: "Does Anthropic's lineup follow it too?"
        ends = not set(words_of(question[reference.end :])) - _TRAILING_ADVERBS
        if pronoun in ("it", "them") and ends and (_OBJECT_OF_SUBJECT.match(before) or _OBJECT_OF_NOUN.match(before)):
            return False  # "why does AI break it?": not AI ("itself" would be); "what's the challenge with it?"
        return _has_antecedent(before, pronoun)
    # "those sessions": the noun named before ("which sessions ... those sessions"), or a topic of two words or
    # more ("if compute gets cheaper, does that shift ..."); one word before is its verb or an adverb
    # ("what usually comes out of those sessions?").
    topic = [w for w in words_of(before) if _names_topic(w) and w not in _PARTICLES and not w.endswith("ly")]
    return bool(content_words(reference.noun) & content_words(before)) or len(topic) >= 2


def _names_topic(word: str) -> bool:
    """Can the word name what a reference stands for (not a follow-up word, a generic predicate or "essay")?"""
    return bool(topic_words(word) - _GENERIC - _DOC_STEMS)


#: A question that is only "[why/how/what ...] <auxiliary> <subject> <verb> [<preposition>]" before a pronoun that ends
#: it: the pronoun is the verb's object and stands for nothing of the question ("why does AI break it?", "does Meta
#: regret it?", "What does Meta think of it?"), the subject being no pronoun ("was it worth it?").
_OBJECT_OF_SUBJECT = re.compile(
    r"^\W*(?:(?:and|so|but)\W+)?(?:(?:why|how|when|where|what|who)\s+)?(?:does|do|did|can|could|would|will|should)\s+"
    r"(?!(?:it|this|that|they|he|she|we|you|i)\b)(?:[\w’'-]+\s+){1,5}$",
    re.IGNORECASE,
)


#: A question that is only "what is the <noun> <preposition> it?": the pronoun is the noun's complement and stands
#: for nothing of the question ("What's the challenge with it?", "what are the risks of it?").
_OBJECT_OF_NOUN = re.compile(
    r"^\W*(?:(?:and|so|but)\W+)?(?:what|which)(?:'s|’s|\s+(?:is|are|was|were))\s+(?:the\s+)?(?:[\w’'-]+\s+){1,2}"
    r"(?:with|of|for|about|behind|in)\s+$",
    re.IGNORECASE,
)


def _has_antecedent(text: str, pronoun: str) -> bool:
    """Does the question name, before the pronoun, something it can stand for? "it" needs a singular noun.

    The word right before the pronoun is its verb or preposition ("who should run it?"), not what it stands for."""
    words = words_of(text)
    if _asked_of_subject(words):
        return False
    # "how bad does it get?", "how likely is it?": the word "how" asks the degree of is said of the pronoun
    degree = {i + 1 for i, w in enumerate(words[:-2]) if w == "how" and words[i + 2] in _AUX}
    candidates = [w for i, w in enumerate(words[:-1]) if _names_topic(w) and i not in degree]
    if pronoun in ("it", "its", "this", "that"):
        candidates = [w for w in candidates if not (w.endswith("s") and not w.endswith(("ss", "us", "is", "ics")))]
    elif pronoun in ("they", "them", "their"):  # a plural or a name: not "money" in "how much money had they ...?"
        names = {w.lower() for w in _CAPITALISED.findall(text)}
        candidates = [w for w in candidates if is_plural(w) or w in names]
    return bool(candidates)


_CAPITALISED = re.compile(r"\b[A-Z][\w.&-]*")


def _asked_of_subject(words: list[str]) -> bool:
    """Whether the words before a pronoun are only what a question asks and its auxiliary, so that the pronoun is the
    subject the thing asked is asked of: "how much revenue does it make?", "what market share does it have?", "which
    customers does it serve?" (not their antecedent: "revenue" is what "it" makes)."""
    while words and words[0] in ("and", "so", "but", "ok", "okay"):
        words = words[1:]
    asked = words[1:-1]  # "much revenue", "market share": no clause of its own ("which firms win and why do they ...")
    if len(words) < 3 or len(asked) > 4 or words[-1] not in _AUX:
        return False
    if any(w in _AUX or w in _WH or w in ("and", "or", "but") for w in asked):
        return False
    return words[0] in ("what", "which", "whose") or (words[0] == "how" and words[1] in ("much", "many"))


def _bare_question(question: str) -> bool:
    """A short question with nothing specific in it ("who loses?", "compared to what?"): it asks about the last topic."""
    words = words_of(question)
    asks = bool(words) and (words[0] in _WH or question.rstrip().endswith("?"))
    return asks and len(words) <= 5 and not (topic_words(question) - _GENERIC - _DOC_STEMS)


#: A yes-or-no question drawn from what was just said: "so did the total amount of compute go down?", "so is it
#: still true?" (not "so what is the Jevons paradox?", which asks afresh).
_SO_WHETHER = re.compile(
    r"^\W*(?:ok(?:ay)?\W+)?so\W+(?:did|does|do|is|are|was|were|has|have|had|will|would|can|could|should)\b",
    re.IGNORECASE,
)


#: "there" closing a question of one clause after what goes on ("what is NVIDIA doing there?", "who's winning there?",
#: "what happens there?"): the subject of the last question, as a place; not "how did they get there?", nor "is
#: anything there?".
_THERE = re.compile(
    r"\b(?:doing|happening|going\s+on|winning|leading|building|investing|spending|competing|happens?|happened)"
    r"\s+(?P<there>there)\s*[?.!]*\s*$",
    re.IGNORECASE,
)


#: What a thing has that a message may ask for alone: its risks, its evidence, its catch.
_FACETS = (
    r"(?:(?:main|key|biggest|big|other|real|major|obvious|most\s+important)\s+)?"
    r"(?:caveats?|risks?|implications?|alternatives?|limitations?|limits|downsides?|upsides?|benefits?|drawbacks?|"
    r"consequences?|reasons?|causes?|effects?|lessons?|takeaways?|trade-?offs?|assumptions?|counter-?arguments?|"
    r"objections?|criticisms?|weaknesses|strengths|numbers|figures|details|next\s+steps?|catch(?:es)?|gotchas?|"
    r"problems?|issues?|flip\s+side|evidence|proof|sources?)"
)
#: A question asking only for something that is always of something ("What are the caveats?", "what are the main
#: risks?", "any downsides?", "what's the catch?", "is there a catch here?"): of what the conversation was about.
_RELATIONAL = re.compile(
    r"^\W*(?:(?:so|and|but|ok(?:ay)?|then)\W+)?(?:(?:what|which)(?:\s+(?:are|is|were|was)|['’]s)\s+the|"
    rf"(?:are|is)\s+there\s+(?:any|an?)|any)\s+{_FACETS}\s*"
    r"(?:here|there|(?:with|about|in|of|behind)\s+(?:that|this|it|those|them))?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: One of those asked alone after "what about" or "and": "what about the risks?", "and the main drawbacks?".
_FACET_ASKED = re.compile(
    rf"^\W*(?:(?:and|but|so|also)\W+)?(?:(?:what|how)\s+about\s+)?(?P<facet>the\s+{_FACETS})\W*$", re.IGNORECASE
)


#: "it" as what a document does ("what historical parallels does it give?", "does it mention Google?").
_IT_WRITES = re.compile(
    r"\b(?:does|did|do)\s+(?P<it>it)\s+(?:say|recommend|give|argue|conclude|suggest|mention|claim|predict|propose|"
    r"offer|cite|describe|list|advise|name|cover|discuss)\b",
    re.IGNORECASE,
)


def _there(question: str) -> re.Match[str] | None:
    """ "there" standing for the last question's subject (_THERE), in a question of one clause: not "What did xAI build
    in Memphis and what is happening there?", whose "there" is its own."""
    return None if re.search(r"\b(?:and|or|but)\b|[,;]", question, re.IGNORECASE) else _THERE.search(question)


_CONTINUATION = re.compile(
    r"^\W*(?:and|but|or|so|also)?\s*(?:what|how) about\b|^\W*(?:and|but|or|also|same)\b(?:\s+for\b)?|^\W*(?:and\s+)?why not\b",
    re.IGNORECASE,
)
# A set named only by the last answer: "the ones that died", "the others", "the rest of them", "both".
_SET_REFERENCE = re.compile(
    r"\bthe (ones|others|other ones|rest|remaining ones|latter ones)\b|^\W*(?:and\s+)?both\b"
    r"|\bany (?:others|other ones|more)\b|\banything else\b"
    # "the revenue one — ...", "and the cheaper one?": one of what the last answer listed, opening the message;
    # "all of that" standing for what it said ("why cram all of that into one model?"), not before a noun ("all this
    # value").
    r"|^\W*(?:(?:and|so|ok(?:ay)?|but|what about|how about)\W+)*the (?!only\b|same\b|right\b|wrong\b|very\b|one\b)[a-z][\w-]* one\b(?!-)"
    r"|\ball (?:of )?(?:that|this|those|these)(?=\s*(?:[?.!,;:]|$)|\s+(?:into|in|on|to|for|from|with|about|at|by|is|are|was|"
    r"were|mean|means|matters?|works?|do|does|did|happens?|comes?|leads?|adds?|costs?)\b)",
    re.IGNORECASE,
)
# A verbless fragment that qualifies the last question: "no exceptions at all?", "even for startups?", "in Europe too?".
_QUALIFYING = re.compile(
    r"^\W*(?:(?:and|but|so|ok(?:ay)?)\W+)*(?:no|none|even|not even|only)\b[^?]*\?\W*$|\b(?:too|as well|at all|either)\W*\?\W*$",
    re.IGNORECASE,
)
#: A qualifying fragment has at most this many words.
QUALIFYING_WORDS = 6
_ASKED_ABOUT = re.compile(r"^\W*(?:and|but|so|also)?\s*(?:what|how) about\s+(.+)$", re.IGNORECASE)
#: "and for banks?", "and in Europe?": asked as "what about for banks?" asks, the last question of another reader or place.
_AND_PLACED = re.compile(r"^\W*(?:and|but|also)\s+((?:for|in|to|at|within)\s+.+)$", re.IGNORECASE)
#: "and Anthropic?", "or China?": asked about as "what about" asks when what follows is a place or a company.
_AND_NAME = re.compile(r"^\W*(?:and|but|also)\s+(.+)$", re.IGNORECASE)  # not "or Anthropic?": a choice, asked together
#: One of the things a last question asked for, alone: "stage 3", "Stage 3", "the third stage".
_MEMBER = re.compile(
    rf"^(?:the\s+)?(?:(?P<ordinal>{'|'.join(_ORDINALS)}|\d+(?:st|nd|rd|th))\s+)?(?P<noun>[a-z][a-z-]+)"
    r"(?:\s+(?P<number>\d+|(?-i:[IVX]+)))?$",
    re.IGNORECASE,
)
#: The prepositions that qualify a topic ("the capex of Meta in 2025").
_QUALIFYING_PREPOSITIONS = r"of|in|for|per|from|according to|under"
_QUALIFIER = re.compile(rf"\s(?:{_QUALIFYING_PREPOSITIONS})\s.*$", re.IGNORECASE)
#: The reader a last question asks about: "What does the Sovereignty current mean for a bank?", "... matter to us?".
_FOR_READER = re.compile(
    r"\b(?:means?|matters?|impl(?:y|ies)|applies|apply)\s+(?:for|to)\s+(?P<reader>[^?]+?)\s*[?.!]*$", re.IGNORECASE
)
_COPULA = re.compile(r"^\W*(?:what|who)(?:'s|’s|\s+(?:is|are|was|were))\b", re.IGNORECASE)
_CLAUSE_START = re.compile(
    r"\b(what|which|who|why|how|when|where|is|are|was|were|does|do|did|can|could|should|would|will|has|have|explain|describe|tell|list)\b",
    re.IGNORECASE,
)
# Question frames around a noun phrase: "What is <topic>?", "Tell me about <topic>", "What happened to <topic>?".
# A question with any other frame ("How did xAI build Colossus so fast?") has no noun topic to substitute.
_NOUN_FRAME = re.compile(
    r"^\W*(?:(?:and|so|but|then|also|ok|okay|now|please)\s+)*"
    r"(?:(?:what|who|which)(?:'s|’s|\s+(?:is|are|was|were))\s+|(?:what|how) about\s+|what happened (?:to|with|at|in)\s+|what(?:'s| is) (?:going on|happening) with\s+|why\s+(?!(?:is|are|was|were|does|do|did|can|could|should|would|will|has|have|had|not|must|might|may|shall|"
    r"isn't|aren't|wasn't|weren't|doesn't|don't|didn't|can't|couldn't|shouldn't|wouldn't|won't|hasn't|haven't)\b)"
    r"|(?:tell me more about|tell me about|say more about|more about|explain|describe|summari[sz]e|define|outline)\s+"
    r"|(?:what|how) (?:does|do|did) (?:the )?[\w’' -]{0,40}?(?:essay|chapter|booklet|digest|piece|corpus|author) say about\s+)",
    re.IGNORECASE,
)
_OPENING = re.compile(
    r"^\W*(what|which|who|whom|whose|why|how|when|where|is|are|was|were|does|do|did|can|could|should|would|will|has|have)\b",
    re.IGNORECASE,
)
#: ... and what the subject is up to, after it: "What is xAI doing?" is about xAI.
_TRAILING = re.compile(
    r"(?:\s+(?:about|mean|means|work|works|do|say|says|matter|happen|doing|planning|building|up\s+to))*\W*$",
    re.IGNORECASE,
)
# Follow-ups with a natural standalone form around a noun topic; every other one is asked together
# with the last question ("How did xAI build Colossus so fast? — and then?").
_ELLIPSIS = [
    (re.compile(r"^\W*(?:and\s+)?(?:why|how come)\W*(?:is (?:it|that|this)|so)?\W*$", re.IGNORECASE), "Why {topic}?"),
    (
        re.compile(r"\b(?:say|tell me|explain) more\b|^\W*(?:more|go on|continue|elaborate|expand)\b", re.IGNORECASE),
        "Tell me more about {topic}.",
    ),
    (re.compile(r"\bexamples?\b|\bfor instance\b|\blike what\b", re.IGNORECASE), "What are examples of {topic}?"),
    (
        re.compile(
            r"^\W*what (?:is|was|'s|’s) (?:it|that|this)(?: about)?\W*$|^\W*what does (?:it|that|this) mean\W*$",
            re.IGNORECASE,
        ),
        "What is {topic}?",
    ),
]
_KIND_WORD = re.compile(rf"\s+(?:{DOCUMENT_KINDS})s?$", re.I)
#: A sentence splitting something in two: "between A and B", "whether A or (whether) B", "either A or B".
_SPLIT_IN_TWO = re.compile(
    r"\b(?:between|whether|either)\s+(?P<a>.+?),?\s+(?:and|or)\s+(?:whether\s+)?(?P<b>.+?)\s*[.!;]?$", re.IGNORECASE
)
#: An aside in brackets, and the examples an item is followed by (", such as manufacturing", ", e.g. robotics").
_ASIDE = re.compile(r"\s*\([^)]*\)")
_EXAMPLES = re.compile(r",?\s+(?:such as|e\.g\.|like|including)\b.*$", re.IGNORECASE)
_MARKER = re.compile(r"\s?\[\d+(?:\s*,\s*\d+)*\]")
_FROM = re.compile(r"From “([^”]+)”(?:\s*\[\d+\])*\s*:\s*")  # the extractive answer's source lines
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.+?)\s*$", re.MULTILINE)
_NAMED = re.compile(r"(?<=\s)[A-Z0-9][\w’'-]*|\d")  # a capitalised word past the first, or a number
_SUBORDINATE = re.compile(
    r"(?:in|than|when|if|because|which|that|while|as|so|but|though|although|where)\b", re.IGNORECASE
)


#: What an enumeration's last part says of every item it lists: "GLM-5.1, Kimi K2.6 and Qwen 3.6, each suited to ...".
_OF_EACH = re.compile(r"(?:each|all|both|every one)\b", re.IGNORECASE)
#: A lead-in that is a count of two: "Two things: ...", "Both: ..." (not "Stage 2: ...").
_COUNTS_TWO = re.compile(r"^\W*(?:two|both)\b(?:\s+[\w-]+)?\W*$", re.IGNORECASE)
_LIST_VERB = re.compile(r"^(?:list|name|enumerate|give me|show me|tell me)\s+", re.IGNORECASE)
#: A light verb opening a topic: "doing blitzscaling", "using open-weight models".
_LIGHT_VERB = re.compile(r"^(?:doing|using|pursuing|following|adopting|trying)\s+(?=\S)", re.IGNORECASE)
_CALLED = re.compile(r"\s+(?:called|named)$", re.IGNORECASE)


def _parts_listed(question: str, topic: str) -> str | None:
    """What the last question asked to list, when they are the parts of a framework or current (question_form.LISTABLE:
    "the six currents", "the stages of blitzscaling"), as a noun phrase without how it asked ("the currents" of "what
    are the currents called?", of "what are the names of the currents?"); None for other lists ("the risks of ..."),
    which a follow-up asks together with the last question."""
    if not lists_parts(classify(question)):
        return None
    phrase = _CALLED.sub("", NAMES_OF_START.sub("", topic))
    return phrase if phrase.lower().startswith("the ") else f"the {phrase}"


def topic_words(text: str) -> set[str]:
    """The text's content words less follow-up words such as "why" or "say more": what it names to look up."""
    return content_words(text) - _NO_TOPIC


def names_nothing(text: str, *, years: bool = False) -> bool:
    """Whether the text names nothing of its own: no company, person or place however typed, no capitalised word past
    the first, no number ("What drove the switch?", not "how many employees does xAI have?"); with `years`, a year is
    no name ("and who owns the 2025 version of that conversation?" says when, not what)."""
    if years:
        text = _A_YEAR.sub(" ", text)
    return _NAMED.search(text) is None and not entities.mentions(text)


#: A year written in a message: "2025", "1990s".
_A_YEAR = re.compile(r"\b(?:19|20)\d\d(?:s\b|\b)")


#: A message that opens by going on with the conversation: "ok so what should the infra vendors do?", "so does that
#: mean more data centers?", "and then?", "but who pays for it?"; not "so-called open models?", "right-sizing?".
_GOES_ON = re.compile(r"^\W*(?:(?:ok(?:ay)?|so|and|then|but|also|right)[\s,.!:;]+)+\w", re.IGNORECASE)


def goes_on(message: str) -> bool:
    """Whether the message opens by going on with the conversation (_GOES_ON)."""
    return bool(_GOES_ON.match(message))


def has_topic(text: str) -> bool:
    """Does the text name something to look up, besides follow-up words such as "why" or "say more"?"""
    return bool(topic_words(text))


# "which one matters most for a bank?", "which of them is cheapest?": one of what the last answer listed, unless the
# message names what it chooses from ("Which one covers Meta, the platform paradox essay or the Jevons essay?"); a short
# acronym is a reader, not a choice ("which of them matters most for a CFO?").
_WHICH_ONE = re.compile(
    OPENERS + r"which (?:(?:one|ones)(?!\s+of\b)|of (?:them|these|those))\b"
    # "which is cheapest?", "which are the most likely?": "which" alone, before a superlative or a comparative
    r"|" + OPENERS + r"which(?=\s+(?:is|are|was|were)\s+(?:the\s+)?(?:[a-z]+est|best|worst|better|worse|[a-z]+er|"
    r"(?:most|least|more|less)\s+[a-z]+)\W*$)",
    re.IGNORECASE,
)
#: "..., which of those fits us?": one of what the last answer listed, asked anywhere in the message; not "which of
#: those models ...", which names what it chooses among.
_WHICH_OF_THOSE = re.compile(
    r"\bwhich\s+(?:(?:one|ones)(?:\s+of\s+(?:them|these|those))?|of\s+(?:them|these|those))"
    r"(?:\s+(?:two|three|four|five|six))?"
    r"(?=\s+(?:is|are|was|were|would|will|could|should|can|fits?|suits?|works?|makes?|matters?|does|do|has|have)\b"
    r"|\s*[?,.!;:]|\s*$)",
    re.IGNORECASE,
)
_OWN_CHOICES = re.compile(
    rf"\s(?:or|vs\.?|versus)\s|\b(?:{DOCUMENT_KINDS})s?\b|(?<=\s)(?-i:[A-Z](?![A-Z]{{1,3}}\b))",
    re.IGNORECASE,
)


def _references(question: str) -> bool:
    return bool(
        _back_references(question)
        or _ORDINAL_REF.search(question)
        or _NAMED_ONE.search(question)
        or _SET_REFERENCE.search(question)
        or ((_WHICH_ONE.search(question) or _WHICH_OF_THOSE.search(question)) and not _OWN_CHOICES.search(question))
    )


def _continues(question: str) -> bool:
    """A fragment that continues the last question: "what about banks?", "and for insurers?", "at what valuation?"."""
    match = _CONTINUATION.match(question)
    continues = match is not None and not _CLAUSE_START.search(question[match.end() :])
    return continues or _PREPOSED_QUESTION.match(question) is not None


#: What the last answer said, referred to as a whole ("does the same thing happen with AI?", "is the same pattern
#: visible elsewhere?"), and those in what it was about, unnamed ("who are the main players?"): asked with the last
#: question.
_SAID_BEFORE = re.compile(
    r"\bthe same (?:thing|things|pattern|logic|dynamic|dynamics|effect|story|idea|problem|trend)\b(?!\s+as\b)|"
    + OPENERS
    + r"who(?:\s+(?:are|were)|['’]re)\s+the\s+(?:(?:main|key|big|biggest|major|other|leading|real)\s+)?"
    r"(?:players|competitors|rivals|leaders|winners|losers|contenders)\W*$",
    re.IGNORECASE,
)
#: A question asking what someone should do about nothing it names: "what should a European bank do?", "so how should
#: investors respond?", "what should we do now?". In a conversation it asks it of what the last question was about
#: (_advice_about): "what should a European bank do about the Sovereignty current?".
_ADVICE = re.compile(
    r"^\W*(?:(?:and|so|ok(?:ay)?|then|but|right|well)\W+)*(?:what|how)\s+(?:should|must|ought to)\s+"
    r"(?P<who>[\w’' -]{1,40}?)\s+(?P<verb>do|act|respond|react|prepare|plan)(?:\s+(?:now|then|next|here))?\W*$",
    re.IGNORECASE,
)
#: What the advice is about, after its verb: "do about it", "respond to it", "prepare for it".
_ADVICE_OBJECT = {"do": "about", "act": "on", "respond": "to", "react": "to", "prepare": "for", "plan": "for"}


def _advice_alone(question: str) -> re.Match[str] | None:
    """An advice question (_ADVICE) asked by a reader, not of a company or person it names ("what should Meta do?"
    is a question of its own) nor by a reference ("what should it do?")."""
    advice = _ADVICE.match(question)
    if advice is None or _back_references(advice.group("who")):
        return None
    named = entities.companies(advice.group("who")) or entities.named(advice.group("who"))
    return None if named else advice


def _advice_about(question: str) -> str | None:
    """An advice question about nothing it names (_advice_alone) with "it" after its verb for what it is about
    ("what should a European bank do about it?"), for the last question's topic to stand in; else None."""
    advice = _advice_alone(question)
    if advice is None:
        return None
    end = advice.end("verb")
    return f"{question[:end]} {_ADVICE_OBJECT[advice.group('verb').lower()]} it{question[end:]}"


#: "fit in" with nothing after it: what something fits in is what the last question was about ("how does AI fit in?"
#: after "What did Schumpeter mean by creative destruction?"), so the message is asked together with it.
_FITS_IN = re.compile(r"\b(?:fits?|fitting)\s+in(?=\W*$)", re.IGNORECASE)
#: ... and so is one that ends in being touched by something it does not name: "which countries are involved?", "who
#: is most exposed?", "which incumbents are affected?" (involved in, exposed to, affected by what the last question was
#: about).
_TOUCHED = re.compile(
    r"\b(?:involved|affected|impacted|exposed|threatened|disrupted|implicated|at\s+(?:risk|stake))"
    r"(?:\s+(?:most|the\s+most|first|here|there|now|today))?(?=\W*$)",
    re.IGNORECASE,
)


#: A fragment that asks one more thing of the last question: a preposition and a question word, and no verb of its
#: own ("at what valuation?", "for how much?", "in which year?", "by when?"; not "In which year did Jevons publish
#: The Coal Question?").
_PREPOSED_QUESTION = re.compile(
    r"^\W*(?:(?:and|so|but)\s+)?(?:at|for|in|by|from|with|to|on|under|since|until)\s+"
    r"(?:what|which|whom|when|how\s+(?:much|many|long))\b"
    r"(?!.*\b(?:is|are|was|were|do|does|did|has|have|had|will|would|can|could|should|may|might)\b)",
    re.IGNORECASE,
)


def _qualifies(question: str) -> bool:
    """A short fragment with no question of its own that qualifies the last one ("no exceptions at all?")."""
    return (
        len(words_of(question)) <= QUALIFYING_WORDS
        and not _OPENING.match(question)
        and _QUALIFYING.search(question) is not None
    )


def _names_nothing_specific(question: str, common: frozenset[str]) -> bool:
    """A short question in words common all over the corpus, naming nothing: "Which data sources should we watch?"."""
    if not common or not _OPENING.match(question) or _NAMED.search(question):
        return False
    own = topic_words(question)
    return 0 < len(own) <= GENERIC_QUESTION_WORDS and own <= common | _GENERIC


#: A request for an example qualified by its kind or field, of nothing named: "give me a historical example", "what's
#: an example in AI?", "any real-world examples?" (not "an example of X": that names what it is of).
_EXAMPLE_ASKED = re.compile(
    r"^\W*(?:(?:and|so|ok(?:ay)?|but|also)\W+)*(?:(?:can|could) you\s+)?(?:(?:give|show|tell) me|what(?:'s|’s| is| are)|"
    r"is there|are there|any|got|do you have)?\s*(?:an?|one|some|any|another|more|other)?\s*"
    r"(?P<kind>[\w-]+\s+)??examples?(?P<field>\s+(?:in|from|for|at|among|with|outside)\s+[^?.!]+?)?\s*[?.!]*\s*$",
    re.IGNORECASE,
)
#: The kinds of example such a request may ask for; another word before "example" names a subject of its own ("some
#: blitzscaling examples").
_EXAMPLES_OF = re.compile(r"^(?:[\w-]+\s+)?examples?\s+of\s+", re.IGNORECASE)
_EXAMPLE_KINDS = frozenset(
    "historical historic real real-world real-life concrete recent practical specific good famous classic simple "
    "modern current past early notable well-known actual similar opposite contrasting successful failed everyday "
    "business corporate".split()
)
#: A field that says how to answer, not where the example is from: "in two sentences", "in plain English".
_FORMAT_FIELD = re.compile(
    r"\b(?:sentences?|words?|bullets?|points?|lines?|paragraphs?|english|french|german|spanish|detail|short|brief)\b",
    re.IGNORECASE,
)


def _example_asked(question: str, common: frozenset[str] = frozenset()) -> re.Match[str] | None:
    """A request for an example of a kind (_EXAMPLE_KINDS) or from a field ("in AI"), of nothing named; given `common`,
    the field's words must be words common all over the corpus ("AI", not "banking": an example from a field the
    corpus does not cover is a question of its own)."""
    match = _EXAMPLE_ASKED.match(question)
    if match is None or not (match.group("kind") or match.group("field")):
        return None
    kind, field = (match.group("kind") or "").strip().lower(), match.group("field") or ""
    if (kind and kind not in _EXAMPLE_KINDS) or _FORMAT_FIELD.search(field):
        return None
    if common and not content_words(field) <= common:
        return None
    return match if topic_words(f"{kind} {field}") else None


def is_follow_up(question: str, common: frozenset[str] = frozenset()) -> bool:
    """Does the message need the conversation to be understood? `common`: the corpus's common words (common_words)."""
    return (
        not has_topic(question)
        or _example_asked(question, common) is not None
        or _references(question)
        or _there(question) is not None
        or _RELATIONAL.match(question) is not None
        or _IT_WRITES.search(question) is not None
        or _continues(question)
        or _SO_WHETHER.match(question) is not None
        or _qualifies(question)
        or _advice_alone(question) is not None
        or _FITS_IN.search(question) is not None
        or _TOUCHED.search(question) is not None
        or _SAID_BEFORE.search(question) is not None
        or _bare_question(question)
        or _names_nothing_specific(question, common)
    )


def _someone_referred_to(question: str) -> bool:
    """Whether the question says "he", "she", "him", "his" or "her" of no one it names before ("what did he
    calculate?", not "what did David Cahn say when he published?")."""
    pronoun = PERSONAL_PRONOUN.search(question)
    return pronoun is not None and not NAME_WORD.search(question[: pronoun.start()])  # "Thanks. What ...": no name


_JOINT = " — "
#: Personal pronouns, which can stand for a company ("why can't they fight back?"); "that" stands for a clause.
_PERSONAL = frozenset({"it", "its", "they", "them", "their"})
_PLURAL = frozenset({"they", "them", "their"})


def _one_number(question: str, references: list[_Reference]) -> bool:
    """Whether the personal pronouns of the question can all stand for one thing: not "they" beside "it" ("did they
    fight it in court?" after "Why did the Pentagon fall out with Anthropic?": Anthropic, and the falling-out), nor
    "it" twice, a doer and what it does something to ("could it win it back?" after "Why did OpenAI lose enterprise
    to Anthropic?": OpenAI, and the enterprise market)."""
    pronouns = [_first_word(question, r) for r in references]
    return len({p in _PLURAL for p in pronouns if p in _PERSONAL}) < 2 and pronouns.count("it") < 2


def _others_meant(question: str, references: list[_Reference], topic: str) -> bool:
    """Whether "they" or "them" stands for others than the topic: one thing, not a company ("how can they respond?"
    after "What is the innovator's dilemma in AI?": those it befalls, whom the last answer names)."""
    pronouns = [_first_word(question, r) for r in references]
    if not pronouns or any(p not in ("they", "them") for p in pronouns):
        return False
    head = _head_word(topic)
    return not (head and is_plural(head)) and not entities.companies(topic)


def _company_meant(question: str, references: list[_Reference], topic: str) -> str | None:
    """The company "they", "them" or "their" stands for when the topic is one thing of one company's ("Meta's problem
    according to the platform paradox": Meta, for "how much did they spend?"); None otherwise."""
    pronouns = [_first_word(question, r) for r in references]
    if not pronouns or any(p not in _PLURAL for p in pronouns):
        return None
    head = _head_word(topic)
    companies = entities.companies(topic)
    if not head or is_plural(head) or len(companies) != 1 or words_of(companies[0])[-1:] == [head]:
        return None
    return companies[0]


def _head_word(topic: str) -> str | None:
    """The last word of the topic before what qualifies it: "problem" of "Meta's problem according to the platform
    paradox"."""
    head = words_of(_QUALIFIERS.split(topic)[0])[-1:]
    return head[0] if head else None


def joined_parts(question: str) -> tuple[str, str] | None:
    """The last question and the follow-up of a question asked together with it (Context.joined), else None."""
    last, joint, follow_up = question.rpartition(_JOINT)
    return (last, follow_up) if joint and last.endswith("?") else None


def asked_last(question: str) -> str:
    """The follow-up of a question asked together with the last one, else the question: "How much does a Sonnet 4.6
    agent-hour cost? — And Opus 4.7?" -> "And Opus 4.7?"."""
    parts = joined_parts(question)
    return parts[1] if parts else question


#: "of the two", "of the six": a count that points back at what the last answer listed, no subject of the message's own.
_OF_THE_COUNTED = re.compile(
    r"\s*\bof\s+the\s+(?:two|three|four|five|six|seven|eight|nine|ten|\d{1,2})\b", re.IGNORECASE
)


def own_words(follow_up: str) -> str:
    """What a follow-up asks in words of its own: the subject of "what about X?" and "and X?", else all of it, less a
    count that points back ("which of the two will be open?": "which will be open?")."""
    asked = _ASKED_ABOUT.match(follow_up) or _AND_NAME.match(follow_up)
    return _OF_THE_COUNTED.sub("", asked.group(1).strip() if asked else follow_up)


def follows_on(question: str) -> str | None:
    """The last question, when the question is a follow-up with no topic of its own asked together with it
    (Context.joined): "What happened between Anthropic and the Pentagon? — when did it happen?"."""
    parts = joined_parts(question)
    return parts[0] if parts and not has_topic(parts[1]) else None


def common_words(chunks: list[Chunk]) -> frozenset[str]:
    """Content words found in at least COMMON_SHARE of the corpus's documents: alone they name no subject."""
    documents: dict[str, set[str]] = {}
    for chunk in chunks:
        for word in content_words(chunk.embedded_text):
            documents.setdefault(word, set()).add(chunk.document_id)
    total = len({chunk.document_id for chunk in chunks}) or 1
    return frozenset(w for w, found in documents.items() if len(found) / total >= COMMON_SHARE)


# --- Resolving a follow-up against the conversation ---------------------------------------------


#: Where a question's subject starts: after its question word and auxiliary ("Why would |Meta use ...").
_SUBJECT_AFTER_AUXILIARY = re.compile(
    r"^\W*(?:(?:so|and|but|ok(?:ay)?)\W+)?(?:why|how|what|when|where|who|which)\s+"
    r"(?:would|does|do|did|is|was|will|can|could|should|has|have|had|might|must)\s+(?:the\s+)?",
    re.IGNORECASE,
)


_JOINED_SUBJECT = re.compile(r"(?:['’]s)?\s*(?:,|and\b|or\b|&)", re.IGNORECASE)


@dataclass(frozen=True)
class Context:
    question: str  # the last question, itself made standalone
    answer: str  # the assistant's reply to it ("" if none was given)
    carried: str | None = None  # the topic an earlier question named, which the last one was resolved against
    person: str | None = None  # who "he" or "she" of the last question stood for ("Who is X?", then "what did he do?")

    @property
    def referent(self) -> str | None:
        """What a pronoun of the next question stands for: the topic, else the topic the last question was resolved
        against ("who observed it first?" after "What is the Jevons paradox?": the Jevons paradox)."""
        return self.topic or (self.carried if self.carried and self.carried in self.question else None)

    @property
    def company(self) -> str | None:
        """The one company the last question named, or of several the one it names as its subject: what "it" stands
        for in "When did it first turn a profit?" after "How did Amazon make it through the dot-com crash?", and "they"
        in "how much money had they put into AI?" after "Why would Meta use models from Google or OpenAI?"."""
        named = [m for m in entities.mentions(self.question) if m.kind == "company"]
        companies = {m.name for m in named}
        if len(companies) == 1:
            return companies.pop()
        # several: the one the question is about, its subject ("Why would Meta use models from Google or OpenAI?")
        subject = _SUBJECT_AFTER_AUXILIARY.match(self.question)
        first = next((m for m in named if subject and m.start == subject.end()), None)
        # not one of two subjects ("How did Amazon and Google make it through?": which one is not guessed)
        return first.name if first and not _JOINED_SUBJECT.match(self.question, first.end) else None

    @property
    def topic(self) -> str | None:
        """The noun phrase the last question was about ("the Jevons paradox in AI"), if it names one; of a follow-up
        asked together with the question before it, that question's ("What is the fractal pattern of specialization? —
        how do users differ?": the fractal pattern of specialization)."""
        parts = joined_parts(self.question)
        question = parts[0] if parts else self.question
        if frame := _NOUN_FRAME.match(question):
            # "who is doing blitzscaling?": what is done, not the doing
            topic = _LIGHT_VERB.sub("", _TRAILING.sub("", question[frame.end() :]).strip())
        elif (
            not _OPENING.match(question) and len(words_of(question)) <= 6
        ):  # a bare query: "sovereignty triggers", "name the six currents" (what to list)
            topic = _LIST_VERB.sub("", question.strip().rstrip("?.! "))
        else:
            return None
        if topic.count("(") > topic.count(")"):  # "Efficiency Revolution (the six currents ...)?" lost its ")?"
            topic = topic[: topic.rindex("(")].rstrip()
        return topic if has_topic(topic) else None

    def joined(self, follow_up: str) -> str:
        """The follow-up asked together with the last question: "How did X? — and then?"."""
        return f"{self.question.strip().rstrip('?.! ')}?{_JOINT}{follow_up.strip()}"

    def documents(self) -> list[str]:
        return [title.split(" — ")[0] for title in _FROM.findall(self.answer)]

    def document_names(self) -> list[str]:
        """Short names of the documents the last answer quoted, in the order it quoted them, each once ("AI Flywheel
        Paradox" for “The AI Flywheel Paradox: OpenAI's Bet on ...”); when it quoted none (a refusal), of those the
        last question referred to by a name and a kind ("Sovereignty" for "the Sovereignty chapter"; nothing for "the
        podcast")."""
        quoted = [re.sub(r"^the\s+", "", title.split(":")[0], flags=re.IGNORECASE) for title in self.documents()]
        referred = [_KIND_WORD.sub("", r) for r in document_references(self.question, determined=True)]
        return list(dict.fromkeys(quoted or [r for r in referred if not _KIND_WORD.fullmatch(f" {r}")]))

    def term_defined(self) -> str | None:
        """The term the last question asked the meaning of ("platform paradox" for "What is the platform paradox?")."""
        form = classify(self.question)
        return form.focus if form.kind == "definition" else None

    @property
    def plain_answer(self) -> str:
        """The last answer without its citation markers and bold marks."""
        return _MARKER.sub("", self.answer).replace("**", "")

    def items(self) -> list[str]:
        """The points of the last answer, for "the second one": the sections of a series it quoted one by one ("Stage
        1: Elite Tool", "Stage 2: ...", "Option 1: ..."), else its list items, an enumeration, or its sentences."""
        text = self.plain_answer
        if sections := _series_sections([title.rsplit(" — ", 1)[-1] for title in _FROM.findall(text)]):
            return sections
        if listed := _list_items(text):
            return listed
        sentences = self.sentences()
        if enumeration := _first_enumeration(sentences):
            return enumeration
        # "It sees a bifurcation between fixed-requirement use cases, such as manufacturing, and use cases with induced
        # demand ...": "the first kind" is the first of the two its first sentence splits in
        if sentences and (split := _SPLIT_IN_TWO.search(_ASIDE.sub("", sentences[0]))):
            return [_EXAMPLES.sub("", split.group(side)).strip(" ,") for side in ("a", "b")]
        return sentences

    def choices(self) -> list[str]:
        """What the last answer named to choose from in prose: its first enumeration, when every item is short (four
        words at most: "GLM-5.1, Kimi K2.6, DeepSeek V4-Pro and Qwen 3.6, each suited to ..."); [] for an answer
        quoted from the corpus, whose lists are the passages' own."""
        if _FROM.search(self.plain_answer):
            return []
        enumeration = _first_enumeration(self.sentences())
        return enumeration if all(len(i.split()) <= 4 for i in enumeration) else []

    def sentences(self) -> list[str]:
        """The sentences of the last answer, without its source lines."""
        return split_sentences(_FROM.sub("", self.plain_answer).replace("\n", " "))

    def steps(self, nouns: frozenset[str]) -> list[str]:
        """The steps of the series the last answer gave, for "the final phase": the sections it quoted whose headings
        open with one of the nouns, stemmed ("Stage 1: Elite Tool", "Stage 2: ..."), else the list of its first
        block that has one (an extractive answer quotes further passages after the one that answers: "the stages of
        blitzscaling" gives Hoffman's five, then the GPU stages). Nothing from prose or a refusal."""
        text = self.plain_answer
        headings = [title.rsplit(" — ", 1)[-1] for title in _FROM.findall(text)]
        named = [h for h in headings if (words := words_of(h)) and stem(words[0]) in nouns]
        if len(named) >= 2:
            return named
        return next((listed for block in _FROM.split(text)[::2] if (listed := _list_items(block))), [])


#: A heading that numbers its section ("Stage 4: Ambient Intelligence", "Option 2", "2. Weak Spot Exploitation").
_NUMBERED_HEADING = re.compile(r"^(?:[A-Z][a-z]+\s+\d{1,2}\s*[:.—–-]|\d{1,2}[.)]\s)")
#: The fewest sections quoted one by one that make a series.
SERIES_SECTIONS = 3


def _series_sections(headings: list[str]) -> list[str]:
    """The headings, when the answer quoted the sections of one series one by one: at least SERIES_SECTIONS, each
    numbered ("Stage 1", "Option 2", "3. Compounding Advantages"), all different. A leading "3. " is left out."""
    if len(headings) < SERIES_SECTIONS or len(set(headings)) != len(headings):
        return []
    if not all(_NUMBERED_HEADING.match(h) for h in headings):
        return []
    return [re.sub(r"^\d+[.)]\s+", "", h) for h in headings]


def _list_items(text: str) -> list[str]:
    """The items of the Markdown lists in the text, cleaned of underscores and closing punctuation."""
    return [_clean_item(i) for i in _LIST_ITEM.findall(text)]


def _clean_item(item: str) -> str:
    return item.replace("__", "").strip().rstrip(".;,")


def _first_enumeration(sentences: list[str]) -> list[str]:
    """The items of the first of the sentences that is an enumeration (_enumeration); [] when none is."""
    return next((items for sentence in sentences if (items := _enumeration(sentence))), [])


def _enumeration(sentence: str) -> list[str]:
    """The items of "X are: A (…), B (…), and C (…)." — split at top-level commas, asides removed.

    Only a real enumeration counts: after a colon, or closed by "and"/"or" ("A, B, and C"), with no item
    that is a clause ("In a field moving this fast, the forces are more stable, and more observable, than ...")."""
    colon = ":" in sentence
    body = sentence.split(":", 1)[1] if colon else sentence
    parts: list[str] = []
    current: list[str] = []
    depth = 0
    for ch in body:
        depth += 1 if ch in "([" else -1 if ch in ")]" else 0
        if ch in ",;" and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    items = [re.sub(r"\s*\([^)]*\)", "", p).strip().rstrip(".") for p in parts]
    items = [i for i in items if i]
    if len(items) >= 3 and _OF_EACH.match(items[-1]):  # "A, B and C, each suited to ...": said of every item
        items.pop()
    if len(items) >= 3 and not re.match(r"(?:and|or)\s", items[-1]):
        # "A, B, C and D", with no comma before the last: the last two are one part (not "However, costs fell and
        # demand rose.", "Second, far more testing and validation work.": two parts are a clause)
        last = re.split(r"\s+(?:and|or)\s+", items[-1])
        if len(last) == 2:
            items[-1:] = [last[0], f"and {last[1]}"]
    # "Two things: A, and B": two after a colon that counts them
    counted = colon and len(items) == 2 and bool(_COUNTS_TWO.search(sentence.split(":", 1)[0]))
    if (len(items) < 3 and not counted) or not (colon or re.match(r"(?:and|or)\s", items[-1])):
        return []
    items = [re.sub(r"^(?:and|or)\s+", "", i) for i in items]
    if not colon:  # "The six currents are A, B and C": the lead-in belongs to no item
        items[0] = re.split(r"\b(?:are|is|include|includes|were|as)\s+", items[0])[-1]
    if any(len(i.split()) > 8 or _SUBORDINATE.match(i) for i in items):
        return []
    return items


def _item(reference: re.Match, context: Context) -> str | None:
    return _item_at(reference.group(1), reference.group(2), context)


def _item_at(ordinal: str | None, number: str | None, context: Context) -> str | None:
    items = context.items()
    position = _ORDINALS[ordinal.lower()] if ordinal else int(number or 0) - 1
    if not items or position >= len(items):
        return None
    return items[position].rstrip(".!?;: ")


#: "the final phase", "the third stage": one of the series the last question asked for, by its place in the answer;
#: not one of another series the message names ("the final stage of the hype cycle", "... on the hype cycle").
_SERIES_REF = re.compile(
    rf"\bthe ({'|'.join(_ORDINALS)}) ([a-z][a-z-]+)\b"
    r"(?!\s+(?:of|in|on|at|from|for|to|by|with|within|before|after|during|under|according)\b)",
    re.IGNORECASE,
)
#: Nouns a reader uses for one another's series ("the stages of ..." then "the final phase").
_STEP_NOUNS = frozenset({stem(w) for w in ("stage", "phase", "step", "level")})


def _series_items(question: str, context: Context) -> list[tuple[re.Match, str]]:
    """ "the final phase" after "What are the stages of blitzscaling?": each such reference with the step of the last
    answer it means, when the last question asked for a series in the plural ("the stages of ...") and the reference's
    noun is its singular (or another word for a step) and the answer listed the steps."""
    head = _QUALIFIERS.split(context.topic or "")[0].split()[-1:]
    if not head or not head[0].lower().endswith("s"):
        return []
    asked = stem(head[0].lower())
    found = []
    for reference in _SERIES_REF.finditer(question):
        noun = stem(reference.group(2).lower())
        if noun != asked and not {noun, asked} <= _STEP_NOUNS:
            continue
        nouns = _STEP_NOUNS if noun in _STEP_NOUNS else frozenset({noun})
        steps, position = context.steps(nouns), _ORDINALS[reference.group(1).lower()]
        if steps and position < len(steps):
            found.append((reference, steps[position].rstrip(".!?;: ")))
    return found


#: Two items pointed at together by place: "the second and the fourth", "the first vs the last one", "how does the
#: first differ from the last?", "between the first and the last"; not "the first quarter vs the last quarter", "the
#: first two ... the last", "the first to reach ...".
_ORDINAL_WORDS = "|".join(_ORDINALS)
_PAIRED_ORDINALS = re.compile(
    rf"(?P<a>\bthe (?P<x>{_ORDINAL_WORDS})(?:\s+(?:{_ITEM_NOUNS}))?)\s+(?:and|or|vs\.?|versus|with|against|"
    rf"differs?\s+from|compares?\s+(?:with|to))\s+(?P<b>the (?P<y>{_ORDINAL_WORDS})(?:\s+(?:{_ITEM_NOUNS}))?)"
    r"(?=\s*[?.!,;:]|\s*$|\s+(?:in|of|on|for|from|please)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _PointedItem:
    """Where a message points at an item of the last answer, and the item."""

    start: int
    end: int
    item: str


def _items_referred_to(question: str, context: Context) -> list[_PointedItem]:
    """Every item of the last answer the message points at by its place or a name, in order: steps of the series
    asked for first ("the final stage"), then items of the whole answer ("the second one"; "the second and the
    fourth", "how does the first differ from the last?": both of a pair; "the DeepSeek one"); an item the answer lacks
    is resolved to nothing (by its place) or left as asked (by a name)."""
    series = [_PointedItem(m.start(), m.end(), step) for m, step in _series_items(question, context)]
    others: dict[int, _PointedItem] = {}
    for m in _ORDINAL_REF.finditer(question):
        others.setdefault(m.start(), _PointedItem(m.start(), m.end(), _item(m, context) or ""))
    for m in _NAMED_ONE.finditer(question):  # "the DeepSeek one": the one item that names DeepSeek, if one does
        if item := _named_item(m.group("name"), context):
            others.setdefault(m.start(), _PointedItem(m.start(), m.end(), item))
    for pair in _PAIRED_ORDINALS.finditer(question):
        for span, ordinal in (("a", "x"), ("b", "y")):
            item = _item_at(pair.group(ordinal), None, context) or ""
            others.setdefault(pair.start(span), _PointedItem(pair.start(span), pair.end(span), item))
    taken = [range(r.start, r.end) for r in series]
    found = series + [r for r in others.values() if not any(r.start in span for span in taken)]
    return sorted(found, key=lambda r: r.start)


#: The words of a thing's name after its first: a capitalised word or a version ("Kimi K2.6", "DeepSeek V4-Pro").
_NAME_GOES_ON = r"(?:[\s-]+(?:[A-Z][\w.-]*|\d[\w.-]*)(?<![.,]))*"
#: The most words an item of the last answer may have to stand for "the X one" whole ("Data analysis tools → Code
#: Interpreter"); a longer one (a sentence) stands by the name it holds.
NAMED_ITEM_WORDS = 8


def _named_item(name: str, context: Context) -> str | None:
    """What "the <name> one" points at in the last answer: the one item (context.items) that holds the name, whole
    when it is short; else the name as it goes on in the items or sentences that hold it, when they all spell it one
    way ("the Kimi one" -> "Kimi K2.6", out of "... DeepSeek V4-Pro for cheap large-context coding agents, Kimi K2.6
    for hard multi-step tickets ..."); None when nothing holds it, several do and one of them is short, or it goes on
    in none of them ("the Chinese one")."""
    named = re.compile(rf"\b{re.escape(name)}\b")
    # the items, else the sentences: a list elsewhere in the answer may hold other things than the one asked about
    holding = [i for i in context.items() if named.search(i)] or [s for s in context.sentences() if named.search(s)]
    short = [i.rstrip(".!?;: ") for i in holding if len(i.split()) <= NAMED_ITEM_WORDS]
    if short:
        return short[0] if len(holding) == 1 else None
    spelled = {m.group(0) for text in holding for m in re.finditer(rf"\b{re.escape(name)}{_NAME_GOES_ON}", text)}
    return spelled.pop() if len(spelled) == 1 and name not in spelled else None


def resolve(question: str, context: Context) -> str:
    """The follow-up rewritten as a standalone question, deterministically."""
    question = question.strip()
    topic = context.topic
    # A step of the series asked for first ("the last step" after the stages of X: the first list's), then the Nth
    # item of the whole answer ("the second one").
    pointed = _items_referred_to(question, context)
    if pointed and all(p.item for p in pointed):
        resolved = question
        for place in reversed(pointed):  # from the end, so earlier offsets stay valid
            resolved = resolved[: place.start] + place.item + resolved[place.end :]
        specific = all(len(topic_words(p.item)) > 2 for p in pointed)
        return resolved if specific or not topic else f"{resolved.rstrip('?.! ')} ({topic})?"
    if (why_not := _why_not(question, context.question)) is not None:
        return why_not
    if topic and (advice := _advice_about(question)):  # "what should a European bank do?": about the last topic
        question = advice
    facet = _FACET_ASKED.match(question)
    if facet and topic and not _QUALIFIER.search(topic):  # "What is RLHF?" + "what about the risks?"
        return _what_is(f"{facet.group('facet')} of {topic}", facet.group("facet"))
    about = _ASKED_ABOUT.match(question) or _and_placed(question)
    conjoined = None if about else _entity_asked(question)
    asked = about or conjoined
    subject = asked.group(1).strip().rstrip("?.! ") if asked else ""
    if conjoined and (name := entities.named(subject)):  # "and Anthropic?": asked of it, or with the last question
        return entities.swapped(context.question, name) or context.joined(question)
    swapped = _term_swapped(question, context.question, topic) if not asked else None
    if swapped:  # "What is RLHF?" + "and RLVR?": "What is RLVR?", as "what about RLVR?" asks
        return swapped
    words = subject.split()
    if asked and len(words) >= 2 and words[0] in _PREPOSITIONS:  # "what about in Europe?": the last question, there
        return _placed(context.question, words[0], subject)
    reader = _FOR_READER.search(context.question)
    if asked and reader and _a_reader(subject, reader.group("reader")) and not _references(question):
        # "What does X mean for a bank?" + "what about insurers?" (not "what about its triggers?")
        return f"{context.question[: reader.start('reader')]}{subject}?"
    kind = entities.kind_of(subject) if asked else None
    if kind == "place" and (placed := entities.swapped(context.question, subject, add_place=True)):
        return placed  # "What is the impact of AI in the EU?" + "what about China?": asked of China
    if (
        kind == "company"
        and not _COPULA.match(context.question)
        and (other := entities.swapped(context.question, subject))
    ):
        return other  # "How does blitzscaling apply to OpenAI?" + "and Anthropic?"
    references = _back_references(question)
    if len(references) == 1 and (named := _named_document(references[0], question, context)):
        # "what does the essay conclude?": the essay the last answer quoted, by a name the rest of the pipeline knows
        # ("what does the AI Flywheel Paradox essay conclude?"). Two ("the essay and the chapter") are left as asked.
        return question[: references[0].start] + named + question[references[0].end :]
    which = _WHICH_ONE.search(question)
    if which and topic and not _OWN_CHOICES.search(question) and (listed := _parts_listed(context.question, topic)):
        # "what are the six currents?" + "which one is most likely?": "which of the six currents is most likely?"
        return f"{question[: which.start()]}which of {listed}{question[which.end() :]}"
    which = _WHICH_OF_THOSE.search(question)  # with its count ("which of these two"); not "which of those models"
    if which and not _OWN_CHOICES.search(question) and len(choices := context.choices()) >= 2:
        # "GLM-5.1, Kimi K2.6, DeepSeek V4-Pro and Qwen 3.6 ..." + "which of those fits a single GPU?": one of them
        return f"{question[: which.start()]}which of {listed_names(tuple(choices), 'or')}{question[which.end() :]}"
    writes = _IT_WRITES.search(question)
    referred = document_references(context.question, determined=True)
    if writes and len(referred) == 1:
        # "Why must Meta use competitors' AI, according to the platform paradox essay?" + "what historical parallels
        # does it give?": the essay, not Meta
        return f"{question[: writes.start('it')]}the {referred[0]}{question[writes.end('it') :]}"
    there = _there(question)
    if there and topic:  # "what is NVIDIA doing there?" after "What is the competition over the agentic runtime?"
        return f"{question[: there.start('there')]}in {topic}{question[there.end('there') :]}"
    if topic is None:
        # "how does it apply to AI?" after "who observed the Jevons paradox first?": of what that was asked of
        referent = context.referent
        if (
            referent is None
            and has_topic(question)  # "when did it happen?": what happened, asked together
            and all(_first_word(question, r) in _PERSONAL for r in references)
            and not any(words_of(question[: r.start])[-1:] == ["worth"] for r in references)  # "was it worth it?"
        ):
            referent = context.company  # not "that" ("when did he say that?"): a clause, asked together
        if (
            referent
            and references
            and all(r.kind != "determiner" for r in references)
            and _one_number(question, references)
        ):
            return _substituted(question, references, referent, context)
        return context.joined(question)  # the last question is about a clause, not a thing: ask both together
    if example := _example_asked(question):  # "give me a historical example": "What are historical examples of X?"
        sort, field = (example.group("kind") or "").strip(), (example.group("field") or "").rstrip()
        topic = _EXAMPLES_OF.sub("", topic)  # "another historical example?" after "What are historical examples of X?"
        return f"What are {sort + ' ' if sort else ''}examples of {topic}{field}?"
    if not has_topic(question):  # an ellipsis: "why?", "say more", "what is it about?"
        template = next((t for pattern, t in _ELLIPSIS if pattern.search(question)), None)
        if template:
            return template.format(topic=topic)
        if not (len(references) == 1 and _first_word(question, references[0]) == "it"):
            return context.joined(question)  # "who said that?": what was said, asked together
        # "who came up with it?": asked of the topic ("who came up with blitzscaling?"), not together with the last
        # question, whose words would lead the search back to what it found
    if not _one_number(question, references):
        return context.joined(question)  # "is it working for them?": two things, as without a topic
    if company := _company_meant(question, references, topic):
        # "how much did they spend?" after "What's Meta's problem ...?": Meta, not the problem
        return _substituted(question, references, company, context)
    if _others_meant(question, references, topic):
        return context.joined(question)  # "how can they respond?" after "What is the innovator's dilemma in AI?"
    if (resolved := _substituted(question, references, topic, context)) != question:
        return resolved
    if asked and (frame := _COPULA.match(context.question)):  # "What is X of Z?" + "what about Y?" → "What is Y of Z?"
        if swapped := _name_swapped(topic, subject):
            return f"{frame.group(0).strip()} {swapped}?"
        if member := _member_of(topic, subject):  # "What are the stages of X?" + "stage 3" → "What is stage 3 of X?"
            return f"{_singular(frame.group(0).strip())} {member}?"
        tail = _QUALIFIER.search(topic)
        keep = f" {tail.group(0).strip()}" if tail and not _QUALIFIER.search(subject) else ""
        return f"{frame.group(0).strip()} {subject}{keep}?"
    return context.joined(question)  # a fragment that continues the last question: "and for banks?"


#: A follow-up that asks why the answer to a yes-or-no question is no: "why not?", "and how come not?".
_WHY_NOT = re.compile(r"^\W*(?:(?:and|so|but|ok(?:ay)?)\W+)?(?:why|how come)\s+not\W*$", re.IGNORECASE)
#: A yes-or-no question, by the auxiliary it opens with: "Can one model be both agreeable and maximally capable?".
_POLAR = re.compile(
    r"^\W*(can|could|is|are|was|were|does|do|did|will|would|should|has|have)\s+(\S.*?)[\s?.!]*$", re.IGNORECASE
)
_NEGATED = {"can": "can't", "will": "won't", "do": "don't", "does": "doesn't", "did": "didn't"}


#: A question asking who someone named is: "Who is David Cahn?", "who was William Stanley Jevons?".
WHO_IS = re.compile(r"^\W*[Ww]ho(?:'s|’s|\s+is|\s+was)\s+(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})\s*\??\s*$")
#: A personal pronoun: what "he" or "she" stands for is a person, never a thing the last question asked of.
PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|his|her)\b", re.IGNORECASE)


#: Words after "her" that make it the object, not the owner: "did he pay her back?", "when did he meet her and why?".
_NOT_OWNED = frozenset("and or but back up out again too now then first later once".split())


def _person_of(context: Context) -> str | None:
    """The person the last question asked who they are ("Who is David Cahn?"), or whom its "he" or "she" stood for
    ("what did he calculate?" after it): who the next "he" or "she" stands for."""
    asked = WHO_IS.match(context.question)
    return asked.group("name") if asked else context.person


def _person_referred_to(question: str, context: Context) -> str | None:
    """The follow-up with "he", "she", "him", "his" or "her" replaced by the person the last question asked who they
    are, or whom its own "he" or "she" stood for (_person_of: "Who is David Cahn?" + "what did he calculate?": "what
    did David Cahn calculate?", and then "what does he think happens next?" is of David Cahn too; "his" and "her" before
    a noun as "David Cahn's"); None when the last question asked no such thing, or the follow-up has no such pronoun, has
    both "he" and "she", or another reference too ("what did he say about it?")."""
    name = _person_of(context)
    pronouns = list(PERSONAL_PRONOUN.finditer(question))
    genders = {p.group().lower() in ("he", "him", "his") for p in pronouns}
    if name is None or not pronouns or len(genders) > 1 or _back_references(question):
        return None  # "what did he say about her?": two people, one of them not the one asked about
    resolved = question
    for pronoun in reversed(pronouns):
        word = pronoun.group().lower()
        after = re.match(r"\s+([A-Za-z][\w’'-]*)", resolved[pronoun.end() :])  # the word right after it, if any
        owner = word == "his" or (
            word == "her" and after is not None and after.group(1).lower() not in _PREPOSITIONS | _NOT_OWNED
        )
        resolved = resolved[: pronoun.start()] + (f"{name}’s" if owner else name) + resolved[pronoun.end() :]
    return resolved


def _why_not(question: str, last: str) -> str | None:
    """A "why not?" after a yes-or-no question, asked as the question it is: "Can one model be both agreeable and
    maximally capable?" + "why not?" -> "Why can't one model be both agreeable and maximally capable?" (asked together
    with it, the search had only the last question's words, which ask for no reason); None for any other follow-up, or
    after a question that is not yes-or-no."""
    polar = _POLAR.match(last) if _WHY_NOT.match(question) else None
    if polar is None:
        return None
    verb = polar.group(1).lower()
    negated = _NEGATED.get(verb, f"{verb}n't")
    return f"Why {negated} {polar.group(2)}?"


_NOT_NAMES = frozenset({"I", "The", "A", "An"})
#: Who a reader of "what does X mean for <reader>?" can be: people and the organisations and sectors they work in.
_READERS = frozenset(
    content_words(
        "bank banks insurer insurers retailer retailers hospital hospitals telco telcos utility utilities government "
        "governments manufacturer manufacturers startup startups company companies business businesses firm firms "
        "enterprise enterprises team teams school schools university universities agency agencies publisher "
        "publishers lab labs vendor vendors buyer buyers investor investors founder founders developer developers "
        "engineer engineers executive executives leader leaders manager managers employee employees worker workers "
        "customer customers user users consultancy consultancies sector sectors industry industries organisation "
        "organisations organization organizations ceo ceos cto ctos cfo cfos cio cios smb smbs sme smes incumbent incumbents "
        "policymaker policymakers board boards lawyer lawyers doctor doctors us"
    )
)
#: A qualifier of the last question's topic, split off by its preposition ("the price | per | million tokens | for |
#: GPT-4").
_QUALIFIERS = re.compile(rf"\s({_QUALIFYING_PREPOSITIONS})\s", re.IGNORECASE)
#: A topic that is a name's something: "OpenAI's valuation".
_POSSESSED = re.compile(
    rf"^(?:the\s+)?(?P<name>[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*(?:\s+(?:{DOCUMENT_KINDS}))?)['’]s\s+(?P<rest>.+)$"
)


def _name_word(word: str, acronyms: bool) -> bool:
    """A word of a name ("OpenAI", "xAI", "Sovereignty"); with `acronyms` False, not a short all-capitals one ("CEO")."""
    return (
        any(ch.isupper() for ch in word)
        and word not in _NOT_NAMES
        and (acronyms or not (word.isupper() and len(word) <= 4))
    )


def _is_name(phrase: str, *, acronyms: bool = True) -> bool:
    """Whether a phrase ends in a name ("Financial Correction", "the Sovereignty current's", "OpenAI", "the EU"), not a
    common noun ("the trigger signals", "AI regulation", "insurers"); without `acronyms`, a short all-capitals word
    ("the CEO", "AI") is no name."""
    words = re.findall(r"[\w’'-]+", phrase)
    while len(words) > 1 and re.fullmatch(r"[\d.]+", words[-1]):  # "Llama 3", "Gemini 2.5"
        words.pop()
    if words and re.fullmatch(DOCUMENT_KINDS, words[-1].lower()) and len(words) > 1:  # "the platform paradox essay"
        return words[0].lower() == "the" or _name_word(words[-2], acronyms)
    return bool(words) and _name_word(words[-1], acronyms)


def _and_placed(question: str) -> re.Match[str] | None:
    """ "and for banks?", "and in China?", "and in 2024?": another reader, place or time the last question is asked of
    (as "what about for banks?" asks); not "and for how long?", "and for example?"."""
    placed = _AND_PLACED.match(question)
    if placed is None:
        return None
    named = placed.group(1).split(maxsplit=1)[1].strip().rstrip("?.! ")
    head = content_words(named.split()[-1]) if named.split() else set()
    if _a_place(named) or _YEAR.fullmatch(named) or entities.kind_of(named) or head & _READERS:
        return placed
    return None


def _a_reader(subject: str, last_reader: str) -> bool:
    """Whether "what about <subject>?" after "what does X mean for <last reader>?" names another reader: people or an
    organisation ("insurers", "European banks"), or the same kind of reader ("small banks" after "a bank"); not an
    aspect of X ("its triggers", "timing", "now")."""
    asked = topic_words(subject)
    head = content_words(subject.split()[-1]) if subject.split() else set()
    return bool(asked) and bool(head & (_READERS | content_words(last_reader)))


def _placed(question: str, preposition: str, place: str) -> str:
    """The question asked of another place or time: "... in 2024?" + "in 2023" -> "... in 2023?" (the last place or
    time of that kind under that preposition replaced, a year for a year); else added."""
    asked = question.strip().rstrip("?.! ")
    objects = re.finditer(
        rf"\s{re.escape(preposition)}\s(?P<object>[^?]*?)(?=\s(?:{_ANY_PREPOSITION})\s|$)", asked, re.IGNORECASE
    )
    named = place.split(maxsplit=1)[1]
    dated = _YEAR.fullmatch(named) is not None
    same = [m for m in objects if (_YEAR.fullmatch(m.group("object")) is not None) == dated]
    if entities.kind_of(named) == "place":  # in place of a place ("the US market", "California"), not "AI chips"
        same = [m for m in same if _a_place(m.group("object"))]
    if same:
        return f"{asked[: same[-1].start()]} {place}{asked[same[-1].end() :]}?"
    if entities.kind_of(named) == "place" and (other := entities.swapped(question, named)):
        return other  # "What does AI mean for jobs in the UK?" + "what about for Europe?": the place is what changes
    return f"{asked} {place}?"


def _a_place(phrase: str) -> bool:
    """A known place in it ("the US market", "California"), not "AI chips" nor "Financial Services"."""
    return any(m.kind == "place" for m in entities.mentions(phrase))


_YEAR = re.compile(r"\d{4}s?")
#: A year, a number or a quarter asked about instead of another ("2026", "Q4", "H1 2025").
_DATE = re.compile(r"\d{4}s?|\d+|[QH]\d(?:\s+\d{4})?")
_ANY_PREPOSITION = "|".join(re.escape(p) for p in sorted(_PREPOSITIONS))


def _entity_asked(question: str) -> re.Match[str] | None:
    """ "and Anthropic?", "or the EU?", "and in China?", "and stage 4?": a place, a company or one of a series after
    a conjunction, asked about as "what about" asks."""
    match = _AND_NAME.match(question)
    if match is None:
        return None
    subject = match.group(1).strip()
    placed = subject.split(maxsplit=1)
    if len(placed) == 2 and placed[0].lower() in _PREPOSITIONS and entities.named(placed[1]):  # "and in China?"
        return match
    return match if _alone(subject) else None


def _term_swapped(question: str, last: str, topic: str | None) -> str | None:
    """ "and Y?" after "What is X?" (X one term, no qualifier), Y a name of four words at most ("RLVR", "the Sovereignty
    current", "Kimi K2.6"): "What is Y?"; None otherwise ("and the essay?", "and for banks?")."""
    conjoined = _AND_NAME.match(question)
    frame = _COPULA.match(last)
    if conjoined is None or frame is None or not frame.group(0).strip().lower().startswith("what") or not topic:
        return None
    term = conjoined.group(1).strip().rstrip("?.! ")
    if (
        _QUALIFIER.search(topic)
        or not _is_name(term)
        or len(words_of(term)) > 4
        or _QUALIFIER.search(f" {term}")
        or _stands_for_a_document(words_of(term)[1:])  # "and the essay?": the essay the last answer quoted
    ):
        return None
    return _what_is(term)


def _what_is(phrase: str, head: str | None = None) -> str:
    """ "What is <phrase>?", or "What are ...?" when its head (the phrase itself unless given: "the risks" of "the
    risks of RLHF") ends in a plural, an acronym's too ("GPUs")."""
    head = phrase if head is None else head
    plural = is_plural(words_of(head)[-1]) or re.fullmatch(r"[A-Z]+s", head.split()[-1]) is not None
    return f"What {'are' if plural else 'is'} {phrase}?"


def _alone(question: str) -> str | None:
    """A message that is only a place, a company ("China", "Anthropic?", "the U.S.") or one of a series ("stage 3",
    "the third stage"): what it names, else None."""
    if name := entities.named(question):
        return name
    subject = question.strip().rstrip("?.! ")
    return subject if _is_member(subject) else None


def _is_member(subject: str) -> bool:
    """One of a series: a noun with a number or an ordinal ("stage 3", "the third stage", "Phase II")."""
    member = _MEMBER.match(subject)
    return member is not None and bool(member.group("number") or (member.group("ordinal") or "").lower() in _ORDINALS)


def _asked_of(subject: str, context: Context) -> str | None:
    """The last question asked of a place or company named alone, in place of the one of its kind it named ("What is
    the impact of AI in the EU?" + "China"), or of one of the things it asked for ("What are the stages of
    blitzscaling?" + "stage 3"); None (a query of its own) when it names none of that kind ("What is blitzscaling?"
    + "China")."""
    if entities.kind_of(subject):
        return entities.swapped(context.question, subject)
    frame, topic = _COPULA.match(context.question), context.topic
    if frame and topic and (member := _member_of(topic, subject)):
        return f"{_singular(frame.group(0).strip())} {member}?"
    return None


def _member_of(topic: str, subject: str) -> str | None:
    """One of the things the last question asked for, with its qualifiers: "the stages of blitzscaling" + "stage 3"
    (or "the third stage") -> "stage 3 of blitzscaling". None unless the subject is the topic's plural noun in the
    singular, numbered or ordered."""
    parts = _QUALIFIERS.split(topic)
    member = _MEMBER.match(subject)
    if member is None or len(parts) < 2 or not _is_member(subject):
        return None
    head = parts[0].strip()
    # the series ("the stages") or another of its members ("stage 3", after "What is stage 3 of ...?")
    nouns = [m.group("noun") for m in (_MEMBER.match(head),) if m and _is_member(head)] or head.split()[-1:]
    if not nouns or stem(member.group("noun").lower()) != stem(nouns[0].lower()):
        return None
    return " ".join([subject] + [p.strip() for p in parts[1:]])


def _singular(frame: str) -> str:
    """ "What are" -> "What is", "What were" -> "What was"."""
    return re.sub(
        r"\b(are|were)$", lambda m: "is" if m.group(1).lower() == "are" else "was", frame, flags=re.IGNORECASE
    )


def _name_swapped(topic: str, subject: str) -> str | None:
    """The last question's topic with the subject in place of the name it was about, when the subject is a name too:
    "the trigger signals of Financial Correction" + "Sovereignty" -> "the trigger signals of Sovereignty" (other
    qualifiers kept: "the capex of Meta in 2025" + "Google" -> "the capex of Google in 2025"); "OpenAI's valuation" +
    "Anthropic" -> "Anthropic’s valuation", + "revenue" -> "OpenAI’s revenue". None (asked as before) when the subject
    says more than a name ("Anthropic's revenue", "2026"), or the topic holds no name of that kind."""
    subject = re.sub(r"['’]s?$", "", subject)
    parts = _QUALIFIERS.split(topic)  # head, preposition, object, preposition, object, ...
    if _DATE.fullmatch(subject):  # "the capex of Meta in 2025" + "2026": the year changes
        dated = [n for n in range(2, len(parts), 2) if re.search(r"\d", parts[n])]
        if not dated:
            return f"{topic} in {subject}"
        named = dated[-1:]
    elif re.search(r"['’]s\b", subject) or _QUALIFIERS.search(subject):  # "Anthropic's revenue": asked as before
        return None
    elif possessed := _POSSESSED.match(topic):
        rest = possessed.group("rest")
        if _is_name(subject):
            return f"{subject}’s {rest}"
        aspect = re.sub(r"^(?:the|a|an)\s+", "", subject, flags=re.I)
        return f"{topic[: possessed.end('name')]}’s {aspect}"
    elif not _is_name(subject):
        return None
    else:
        head = parts[0]
        if _is_name(head, acronyms=False) or content_words(head) & content_words(subject):
            return None
        acronym = not _is_name(subject, acronyms=False)  # "the CEO" for "the CFO", "the US" for "the EU"
        if acronym and _is_name(head):  # "the CTO" after "the CEO of OpenAI": the head changes, as before
            return None
        named = [
            n for n in range(2, len(parts), 2) if _is_name(parts[n]) and (acronym or _is_name(parts[n], acronyms=False))
        ]
    if not named:
        return None
    parts[named[0]] = subject
    return "".join(p if n % 2 == 0 else f" {p} " for n, p in enumerate(parts)).strip()


#: A topic that is the parts of something (question_form.LISTABLE): "the triggers of the Efficiency Revolution current";
#: not "the economics of AI inference".
_PARTS_OF = re.compile(r"^(?:the\s+)?(?P<parts>[\w’'-]+s)\s+of\s+(?P<whole>\S.*)$", re.IGNORECASE)


def _first_word(question: str, reference: _Reference) -> str:
    """The pronoun or determiner a reference starts with, lowercased ("its" of "its revenue")."""
    return words_of(question[reference.start : reference.end])[0]


def _substituted(question: str, references: list[_Reference], topic: str, context: Context) -> str:
    """The question with each reference replaced by what it stands for."""
    resolved = question
    for reference in reversed(references):  # from the end, so earlier offsets stay valid
        resolved = (
            resolved[: reference.start] + _replacement(reference, resolved, topic, context) + resolved[reference.end :]
        )
    return resolved


def _replacement(reference: _Reference, question: str, topic: str, context: Context) -> str:
    if reference.kind == "pronoun":
        # "it" is no plural: after "the triggers of the Efficiency Revolution current", "what would disprove it?"
        # asks of the current
        parts = _PARTS_OF.match(topic)
        singular = question[reference.start : reference.end].lower() in ("it", "this", "that")
        return parts.group("whole") if singular and parts and parts.group("parts").lower() in LISTABLE else topic
    if reference.kind == "possessive":  # "its triggers" → "the triggers of <topic>"
        # "its chip orders" after "what's nvidia's angle?": Nvidia's, not "nvidia's angle’s"
        topic = _owner(topic) or topic
        rest = question[reference.end :].lstrip()
        ends_phrase = not rest or rest[0] in "?.!,;:" or rest.split()[0].lower() in _PREPOSITIONS | _AUX | {"and", "or"}
        return f"the {reference.noun} of {topic}" if ends_phrase else f"{topic}’s {reference.noun}"
    if named := _named_document(reference, question, context):  # "this essay" → the essay last quoted
        return named
    if _kind_of(reference.noun) in _SHARED_KINDS:  # no document to name: "the essay" is left as asked
        return question[reference.start : reference.end]
    return f"{question[reference.start : reference.end]} ({topic})"


#: A topic that is something of a named owner, as the question wrote it: "nvidia's angle", "OpenAI's valuation".
_OWNED = re.compile(r"^(?:the\s+)?(?P<owner>[\w.&-]+(?:\s+[\w.&-]+){0,2}?)['’]s\s+\S")


def _owner(topic: str) -> str | None:
    """The company of a topic that is its view or one of its figures ("nvidia's angle", "OpenAI's valuation"): what a
    possessive pronoun of the next question stands for ("how big are its chip orders?"); None for another thing a
    company has ("Meta's Llama strategy": "its weaknesses" are the strategy's) or a person's ("Reid Hoffman's
    framework": "its stages" are the framework's)."""
    owned = _OWNED.match(topic)
    if owned is None or not content_words(_QUALIFIERS.split(topic[owned.end() - 1 :])[0]) <= _OWNER_ASPECTS:
        return None  # "OpenAI's valuation in March": its head, "valuation"
    owner = owned.group("owner")
    return owner if entities.kind_of(owner) == "company" else None


#: What a company has that has nothing of its own: its view of things, its figures.
_OWNER_ASPECTS = content_words(
    "angle take view views stance position opinion perspective response reaction valuation revenue revenues capex "
    "stock price share shares market cap ceo founder founders "
    # which figure it is: "OpenAI's latest valuation", "Anthropic's annualized revenue"
    "latest current recent newest last reported total annual annualized estimated"
)


def _kind_of(noun: str) -> str:
    """The kind noun without a possessive: "essay's" -> "essay"."""
    noun = noun.lower()
    return next((noun[: -len(p)] for p in _POSSESSIVE if noun.endswith(p)), noun)


def _named_document(reference: _Reference, question: str, context: Context) -> str | None:
    """A reference to a document by its kind ("the essay", "this chapter", "the essay's") named as the document the
    last answer quoted first ("the AI Flywheel Paradox essay", "the AI Flywheel Paradox essay's"), its capital kept;
    None when it is no such reference or no document is there to name."""
    kind = _kind_of(reference.noun)
    names = context.document_names()
    said = words_of(question[reference.end :])
    if not names and said and said[0] in _DOCUMENT_VERBS and (term := context.term_defined()):
        # an answer quoting none (a model's, in prose) and "the essay" saying or doing something: the essay named by the
        # term the last question asked the meaning of ("What is the platform paradox?" ... "what news is the essay
        # reacting to?": the platform paradox essay); "and the essay?" is asked with the last question
        names = [term]
    if kind not in _DOC_NOUNS or not names:
        return None
    possessive = reference.noun[len(kind) :]
    the = "The" if question[reference.start : reference.start + 1].isupper() else "the"
    return f"{the} {names[0]} {kind}{possessive}"


def conversation_context(history: list[dict] | None, common: frozenset[str] = frozenset()) -> Context | None:
    """The last question of the conversation made standalone (earlier follow-ups resolved in turn), and its answer."""
    context: Context | None = None
    for turn in history or []:
        content = str(turn.get("content") or "")
        if turn.get("role") == "assistant" and context is not None:
            context = replace(context, answer=content)
        elif turn.get("role") == "user":
            asked = guard_question(content).question  # an injected instruction never becomes a topic
            if not asked:
                continue
            carried = person = None
            if (
                context is not None
                and _someone_referred_to(asked)
                and (resolved := _person_referred_to(asked, context))
            ):
                asked, person = resolved, _person_of(context)  # "what did he calculate?": David Cahn, for the next too
            elif context is not None and (is_follow_up(asked, common) or _series_items(asked, context)):
                asked, carried = resolve(asked, context), context.referent
            elif context is not None and (alone := _alone(asked)):
                if (other := _asked_of(alone, context)) is None and entities.names_already(context.question, alone):
                    continue  # "the EU" after "How is AI regulated in the EU?": the question stands
                asked = other or asked
            elif context is not None and _may_name_a_choice(asked) and (chosen := _of_a_choice(asked, context)):
                asked = chosen  # as `rewrite` asks it
            if has_topic(asked):
                context = Context(asked, "", carried, person)
    return context


def rewrite(question: str, history: list[dict] | None, common: frozenset[str] = frozenset()) -> str:
    """The standalone form of a question: resolved against the conversation when it is a follow-up."""
    follow_up = is_follow_up(question, common)
    alone = None if follow_up else _alone(question)
    someone = _someone_referred_to(question)
    # cheap checks first: a message with no name and nothing to resolve stops here
    if not (
        follow_up
        or alone
        or someone
        or _may_name_what_was_answered(question)
        or _SERIES_REF.search(question)
        or _may_name_a_choice(question)
    ):
        return question
    if (context := conversation_context(history, common)) is None:
        return question
    if someone and (person := _person_referred_to(question, context)):  # "what did he calculate?" after "Who is X?"
        return person
    if alone and (other := _asked_of(alone, context)):  # "China" after "What is the impact of AI in the EU?"
        return other
    if follow_up or _names_what_was_answered(question, context) or _series_items(question, context):
        return resolve(question, context)
    return _of_a_choice(question, context) or question


#: The most words of its own besides the choice a message naming one may have to ask about it in the last question's
#: terms ("what's Google's angle?", "and Microsoft's bet?"), not a question of its own about it.
CHOICE_WORDS = 2


def _of_a_choice(question: str, context: Context) -> str | None:
    """A message naming one of what the last answer named to choose from in prose (Context.choices) and little else
    ("Meta, Microsoft, Google and xAI ..." + "what's Google's angle?"), asked of it in the terms of the last question:
    of the one document that asked about ("... in the blitzscaling essay?"), else together with it; None for others."""
    # named as the owner of what is asked ("Google's angle", "googles angle"), or alone ("and Microsoft?"; not "Who
    # founded Google?")
    own = topic_words(question)
    named = [
        choice
        for choice in context.choices()
        if re.search(rf"(?<![\w-]){re.escape(choice)}['’]?s(?![\w-])", question, re.IGNORECASE)
        or (
            re.search(rf"(?<![\w-]){re.escape(choice)}(?![\w-])", question, re.IGNORECASE)
            and not own - content_words(choice)
        )
    ]
    if len(named) != 1 or len(own - content_words(named[0])) > CHOICE_WORDS:
        return None
    others = [w for w in re.findall(r"(?<=\s)[A-Z][\w-]*", question) if w.lower() not in named[0].lower()]
    if others:  # a name of its own: "Tell me about Microsoft's Rainier project"
        return None
    # a document of its own ("What's Google's angle in the Jevons essay?"), or a name besides the choice ("Compare
    # Google with OpenAI"): a question that stands alone
    choice = named[0].lower()
    if document_references(question) or any(m.name.lower() not in choice for m in entities.mentions(question)):
        return None
    referred = document_references(context.question, determined=True)
    return f"{question.rstrip('?.! ')} in the {referred[0]}?" if len(referred) == 1 else context.joined(question)


def _may_name_a_choice(question: str) -> bool:
    """What `_of_a_choice` needs of the message alone: a name, however typed."""
    return bool(NAME_WORD.search(question) or entities.mentions(question))


_DEFINITE = re.compile(r"\bthe\s+([A-Za-z][\w’'-]*)", re.IGNORECASE)


def _may_name_what_was_answered(question: str) -> bool:
    """What `_names_what_was_answered` needs of the question alone: a definite noun phrase, no capitalised name, no
    document, and no question of its own about what something is ("What is the scaling bet?")."""
    return bool(
        _DEFINITE.search(question)
        and not _NAMED.search(question)
        and not content_words(question) & _DOC_STEMS
        and not _COPULA.match(question)
    )


def _names_what_was_answered(question: str, context: Context) -> bool:
    """A question about something the last answer brought up, by a definite noun phrase: "how likely is the pivot?"
    after an answer listing "... a radical pivot ...". The noun is in the answer and not in the question it
    answered; the question names nothing else new (at most one word the conversation has not used), no document
    and no capitalised name."""
    if not context.answer or not _may_name_what_was_answered(question):
        return False
    answered = content_words(context.answer)
    asked_before = content_words(context.question)
    nouns = [
        w
        for match in _DEFINITE.finditer(question)
        if (w := content_words(match.group(1)))
        and w <= answered
        and not w & asked_before
        and _names_topic(match.group(1))
    ]
    new = topic_words(question) - answered - asked_before - _GENERIC
    return bool(nouns) and len(new) <= 1


# --- The model's rewrite --------------------------------------------------------------------------


class FollowUpRewriter:
    """Rewrites follow-ups with a model in generated mode, with the deterministic rewrite as the fallback."""

    def __init__(self, gateway: LLMGateway, prompts: PromptLibrary):
        self._gateway = gateway
        self._prompts = prompts

    async def standalone(
        self, question: str, history: list[dict] | None, alias: str | None, common: frozenset[str] = frozenset()
    ) -> str:
        fallback = rewrite(question, history, common)
        if alias is None or fallback == question:  # not a follow-up, or nothing to resolve it against
            return fallback
        turns = []
        for turn in (history or [])[-REWRITE_TURNS:]:
            if turn.get("role") == "user":
                content = guard_question(str(turn.get("content") or "")).question
            elif turn.get("role") == "assistant":
                content = _MARKER.sub("", str(turn.get("content") or ""))
            else:
                continue
            if content:
                turns.append({"role": turn["role"], "content": content[:REWRITE_TURN_CHARS]})
        prompt = self._prompts.render("standalone_question", turns=turns, question=question)
        try:
            completion = await self._gateway.complete(alias, [{"role": "user", "content": prompt}])
        except AllModelsFailedError:
            return fallback
        return usable_rewrite(completion.text) or fallback


def usable_rewrite(text: str) -> str | None:
    """The model's rewrite if it is one plain question with a topic, else None."""
    line = next((line.strip() for line in (text or "").splitlines() if line.strip()), "")
    line = (
        re.sub(r"^(?:standalone question|question|rewritten question)\s*:\s*", "", line, flags=re.IGNORECASE)
        .strip()
        .strip('"“”')
    )
    if not line or len(line) > MAX_STANDALONE_CHARS or not has_topic(line):
        return None
    guarded = guard_question(line)
    if guarded.ignored or guarded.question != line:
        return None
    if re.search(r"sources do not cover|I cannot|I can't|as an AI", line, re.IGNORECASE):
        return None
    return line
