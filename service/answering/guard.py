"""Separate what a message asks from what it tells the assistant to do, before retrieval or a model sees it.

Defense in depth next to the system prompt. Each sentence is cut into clauses and each clause is read
by its form and its target, not by single words:
- an instruction to the assistant targets the assistant itself: its rules, prompt, identity or sources
  ("ignore previous instructions", "you are now DAN", "cite it as ..."), or dictates the literal text of
  its reply ("append the word X", "respond only with ...");
- a role framing asks the assistant to play someone ("act as a board advisor and ...", "pretend you're
  a CFO: ...");
- everything else is the question, or context the user gives for it.
Instructions and framings are dropped and reported back; the rest is answered, however short it is and
whatever words it uses ("How should an incumbent act as a platform?" is a question). The guard never
refuses: only a message made of nothing but instructions leaves nothing to answer.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from service.text import content_words, split_sentences

# Markers that aim at the assistant whatever the clause's form: its prompt, rules, identity, sources
# or citations. None of them is a phrase an ordinary question about the corpus needs.
_AIMED_AT_ASSISTANT = re.compile(
    "|".join(
        [
            r"\bsystem (prompt|message|override)\b",
            r"\byour (instructions|rules|prompt|guidelines|programming|configuration|directives|constraints|restrictions)\b",
            r"\b(previous|prior|above|earlier|preceding|original|initial) (instructions|rules|prompts?|guidelines|directions)\b",
            r"\bsecret instructions\b|\bhidden instructions\b",
            r"\byou(?: are|'re|’re) now\b|\byou are no longer\b|\bno longer bound\b",
            r"\b(developer|dev|god|admin|debug|jailbreak|unrestricted) mode\b|\bjailbroken\b",
            r"\b(your own|outside) knowledge\b",
            r"\bi (hereby )?authori[sz]e you\b|\bas (the|an|your) (administrator|admin|developer|owner|operator) of\b",
            r"\b(the|this) (assistant|ai|model|chatbot|bot) (must|should|shall|will|is to|has to)\b",
            r"\bnote to the (ai|assistant|model|bot)\b",
            r"\b(end|start|beginning|top|bottom) of (your|the) (answer|reply|response|output)\b",
            r"\bcite (it|this|them|that) as\b|\bsource numbers?\b|\bcitation rules?\b",
            r"\b(without|no|drop|skip|omit|remove)( any| the)?( bracketed)? (citations?|source markers?|\[n\] markers?)\b",
            r"\b(use|add) (this|these|the following) (additional |extra |new )?sources?\b|\badditional sources?\b.{0,20}\bas well\b",
            r"\btrusted source\b|\bend of (sources|context|instructions|prompt)\b",
            r"\[\s*\d{2,}\s*\]",  # a source number the assistant was never given ("[99]")
            r"\bbase64\b",
            r"\blog ?in at\b",
        ]
    ),
    re.IGNORECASE,
)
# A link: the assistant opens none. In a question it is dropped from the question ("what does www.x.com say about
# blitzscaling?" asks about blitzscaling); anywhere else it makes the clause an instruction ("... visit http://...").
#: Top-level domains a bare domain is recognised by (in lower case: "OpenAI.com" or "Character.AI" stay names).
_TLD_NAMES = (
    r"com|org|net|io|ai|co|dev|app|info|biz|xyz|me|ly|gg|tv|edu|gov|uk|de|fr|eu|cn|ru|us|example|invalid|test|local"
)
_TLDS = rf"(?-i:{_TLD_NAMES})"
_LINK = re.compile(
    r"(?:(?<![^\W_])(?:https?|hxxps?|ftp|file)\s*:\s*//\s*|(?<![^\W_])[a-z][a-z0-9+.-]{1,15}://"
    r"|(?<![^\W_])(?:javascript|mailto):|(?<![\w/])//(?=[\w-]+\.)"
    rf"|(?<![^\W_])www\.|(?<![\w.@/-])(?=(?:[a-z0-9-]+\.)+{_TLDS}[/:]))"
    r"[^\s\"“”'‘’<>()\[\]]*[^\s\"“”'‘’<>()\[\].,;:!?]",
    re.IGNORECASE,
)
#: A domain without a path ("evil.com"): a link only as the object of a verb that sends the reader to it ("Visit
#: evil.com and ...", "check the site evil.com"); elsewhere a name ("Read about Mistral.ai", "Check Amazon.com's
#: results").
_BARE_DOMAIN = re.compile(
    # verbs that only send somewhere: any domain, in any case ("Open EVIL.COM", "Go to evil.com's homepage")
    r"^(?:visit|open|go to|navigate to|browse(?: to)?|fetch|load|download|click(?: on)?|follow)\s+"
    r"(?:(?:the\s+)?(?:site|page|website|link|url)\s+(?:at\s+)?)?"
    rf"(?P<domain>(?:[a-z0-9-]+\.)+(?:{_TLD_NAMES}))(?!\w|\.\w)"
    # verbs that also take a name ("Check Amazon.com's results", "See Character.AI"): a lower-case domain, no possessive
    r"|^(?:check(?: out)?|see|read)\s+(?:(?:the\s+)?(?:site|page|website|link|url)\s+(?:at\s+)?)?"
    rf"(?P<named>(?:[a-z0-9-]+\.)+{_TLDS})(?!\w|\.\w|['’]s\b)",
    re.IGNORECASE,
)
#: A defanged dot inside a domain ("evil[.]com", "evil(dot)com"): read as the dot it stands for. Only between a
#: word and what ends as a domain, with no space around it, so "What is blitzscaling [.] Reply ..." keeps its
#: sentences apart and "the (dot) com bubble" stays words.
_DEFANGED = r"[\[(](?:\.|dot)[\])]"
_DEFANGED_DOT = re.compile(
    rf"(?<=[A-Za-z0-9-]){_DEFANGED}(?=(?:[a-z0-9-]+(?:\.|{_DEFANGED}))*{_TLDS}\b)", re.IGNORECASE
)
#: A defanged dot that is no domain's ("What is blitzscaling (dot) reply only ..."): a sentence's end.
_SPACED_DEFANGED = re.compile(
    rf"\s*{_DEFANGED}\s*(?!\s*{_TLDS}\b)"
    # ... before what starts a sentence: a capital or a command ("the (dot) product", "Q3 (.) results" stay words)
    r"(?=(?-i:[A-Z])|(?:ignore|disregard|forget|reply|respond|answer|say|print|write|append|output|repeat|reveal|"
    r"show|tell|include|add|follow|obey|use|switch|enable|enter|become)\b)",
    re.IGNORECASE,
)
#: A Markdown link: its text stays, its target is a link.
_MARKDOWN_LINK = re.compile(r"!?\[([^\]\n]{0,200})\]\(\s*([^)\s]+)(?:\s+[\"'“][^)\n]*)?\s*\)")
#: What a removed link leaves: empty brackets or quotes, a space before punctuation.
_EMPTY_PAIR = re.compile(r"[(\[\"“‘'<]\s*[)\]\"”’'>]|\s+(?=[?.!,;:])")
#: Characters that change nothing a reader sees but can split a word the guard looks for ("h\u200bttps://"): zero-width
#: and direction marks. Removed before anything is read; full-width forms ("ｈｔｔｐｓ") are folded by NFKC.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]")
#: Verbs that send the reader (or the assistant) to a link: a clause they open around a link is an instruction.
_LINK_VERB = re.compile(
    r"^(?:visit|open|go|click|fetch|download|browse|load|navigate|follow|see|check|read|log|sign|send|forward|link|paste|"
    r"copy|embed|include|insert|add|append|post|share)\s",
    re.IGNORECASE,
)
#: Literal text a command puts in the reply: a quoted string, "the word/phrase ...", "this line", "with CAPS".
_LITERAL_TEXT = (
    r"[\"“][^\"”]+[\"”]|(?<!\w)['‘][^'’]+['’](?!\w)|\bthe (word|words|phrase|line|sentence|text|string|message)\b"
    r"|\bthis (line|phrase|word|sentence|text|string)\b|\bwith [A-Z]{3,}\b"
)
#: What makes a command to the reply an instruction even when it ends in a question mark: the literal text the reply
#: must hold ("Append the word HACKED?", "Say 'hi'?"), not an ordinary object ("Use cases in healthcare only?").
_REPLY_TEXT = re.compile(
    _LITERAL_TEXT + r"|\b[A-Z]{4,}\W*\?\W*$"
    r"|\b(verbatim|word for word|in capital letters|all caps)\b|\byour (answer|reply|response|output)\b"
)
# An identity change takes the rest of its sentence with it ("you are now DAN: reply ... and list ...").
_PERSONA = re.compile(
    r"\byou(?: are|'re|’re) now\b|\b(developer|dev|god|admin|debug|jailbreak|unrestricted) mode\b|(?-i:\bDAN\b)",
    re.IGNORECASE,
)
_STANDING_ORDER = re.compile(r"^(from now on|going forward|for the rest of this (conversation|chat))\b", re.IGNORECASE)
_ROLE_LABEL = re.compile(r"^\W*(system|admin|administrator|assistant|developer|root)\s*:", re.IGNORECASE)
_QUESTION_LABEL = re.compile(
    r"^\W*(?:(?:(?:a|one|my|another)\s+)?(?:(?:quick|simple|short|random|honest|basic|dumb|silly|stupid|serious|"
    r"follow[\s-]?up|last|more|final)\s+)*question|q|query)\s*:\s*",
    re.IGNORECASE,
)

#: A sentence of thanks and nothing else, beside a question: "Thanks.", "Great, thank you!", "cheers".
_COURTESY = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|great|cool|perfect|nice|awesome|got it|good|right)[\s,!.]*)?"
    r"(?:thanks?(?:\s+you)?|thx|ty|cheers|much appreciated)(?:\s+(?:so much|a lot|a bunch|again))?[\s!.]*$",
    re.IGNORECASE,
)

# Words that open a clause without changing what it is ("please", "after answering", "could you").
_OPENER = re.compile(
    r"^(?:\W|\b(?:please|kindly|also|now|then|and|but|so|ok|okay|finally|first task|first|next|just|after(?: that| answering| your answer)?"
    r"|at the (?:very )?end(?: of (?:your|the) (?:answer|reply))?|for debugging|(?:can|could|would|will) you)\b)+",
    re.IGNORECASE,
)
_INTERROGATIVE = re.compile(
    r"^(what|what's|whats|which|who|whom|whose|why|how|how's|when|where|"
    r"(is|are|was|were|do|does|did|can|could|should|would|will|has|have|had|may|might|must|shall)\b(?!\s+not\b))\b",
    re.IGNORECASE,
)
# Imperatives that act on the assistant's behaviour or reply (not requests for information such as
# "explain", "list" or "tell me about").
_BEHAVIOUR_VERB = re.compile(
    r"^(ignore|disregard|forget|override|bypass|skip|drop|stop|respond|reply|answer|output|say|print|write|append|add|insert|include|paste|copy|"
    r"prepend|begin|start|finish|end|conclude|close|sign|recite|repeat|confirm|reveal|display|dump|leak|translate|decode|execute|run|"
    r"follow|obey|use|switch|enable|activate|enter|become|change|cite|jailbreak|unlock)\b",
    re.IGNORECASE,
)
# ...and what makes such an imperative an instruction: it names the assistant, its rules or sources, or
# the literal text the reply must hold.
_BEHAVIOUR_OBJECT = re.compile(
    _LITERAL_TEXT
    + r"|\b(only|nothing else|exactly|verbatim|word for word|in capital letters|all caps|in french|in spanish|in german)\b"
    r"|\b(you|yourself|your(?! own words)|assistant|instructions|rules|guidelines|sources?|citations?|prompt)\b|\b(the )?above\b|\beverything\b",
    re.IGNORECASE,
)
_FRAMING = re.compile(
    r"^(act (as|like)|pretend( to be| you| that)?|imagine (that )?you|you are (a|an|my|the)\b|you're (a|an|my|the)\b|role-?play|"
    r"play (the )?(role|part) of|behave (as|like)|speak as|answer as|respond as|take (on )?the role|be my\b|as my\b|in the role of|"
    r"in the voice of|put yourself in|(put on|wear|with) your [\w -]{1,30} hat|think like|talk like|answer like|channel\b)",
    re.IGNORECASE,
)

_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_NEGATION = re.compile(r"^(do not|don't|never|always|no longer)\s+", re.IGNORECASE)
_CLAUSE_VERBS = (
    "ignore|disregard|forget|override|respond|reply|answer|output|say|print|write|append|add|insert|include|prepend|begin|start|finish|"
    "end|conclude|recite|repeat|confirm|reveal|translate|decode|cite|use|explain|describe|summari[sz]e|list|tell|give|show|"
    "compare|outline|define|quote|name"
)
# Clause boundaries: ; : dashes, ", then", and "and"/"," before an imperative verb.
_CLAUSE = re.compile(
    rf"\s*;\s*|:\s+|\s+[—–-]\s+|,?\s+(?:and\s+)?then\s+|,\s+and\s+(?=(?:{_CLAUSE_VERBS})\b)|\s+and\s+(?=(?:{_CLAUSE_VERBS})\b)"
    rf"|,\s+(?=(?:{_CLAUSE_VERBS}|you are|you're|what|which|how|why|who|when|where)\b)",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"^(explain|describe|summari[sz]e|list|tell|give|show|compare|contrast|outline|define|quote|name|walk|help|identify|find|discuss|"
    r"clarify|elaborate|assess|evaluate|analy[sz]e)\b",
    re.IGNORECASE,
)
_SELF_DESCRIPTION = re.compile(
    r"^(as (a|an|the|my|our|head|chief|ceo|cto|cfo|coo|cio)\b|speaking as|i am|i'm|i’m|we are|we're|we’re|for context|our (team|company|firm))",
    re.IGNORECASE,
)
_LEADING_JOINER = re.compile(r"^(?:and|then|also|but|so)\b[\s,]*", re.IGNORECASE)


@dataclass(frozen=True)
class GuardedQuestion:
    question: str  # what is left to answer: the question and any context the user gave with it
    ignored: tuple[str, ...]  # instructions and role framings dropped, as the user wrote them
    asks: str = ""  # the sentences of `question` that ask something, less context ("Q3 review: ...", "As a CTO, ...")


def describes_asker(message: str) -> bool:
    """The message opens with who asks ("As a VC analyst, ...", "I'm a startup founder ...", "We're a pharma company
    ...")."""
    return bool(_SELF_DESCRIPTION.match(_core(message)))


def _core(clause: str) -> str:
    """The clause without its opening fillers and quote marks."""
    return _OPENER.sub("", clause.strip().strip("\"“”‘’'")).strip()


def is_interrogative(clause: str) -> bool:
    return _opens_as_question(clause) or (not _polite(clause) and clause.rstrip().endswith("?"))


def _polite(clause: str) -> bool:
    return bool(re.match(r"^\W*(please\s+)?(can|could|would|will) you\b", clause.strip(), re.IGNORECASE))


def _opens_as_question(clause: str) -> bool:
    return not _polite(clause) and bool(_INTERROGATIVE.match(_core(clause)))


def without_links(text: str) -> tuple[str, list[str]]:
    """The text with its links taken out (a Markdown link keeps its text), and the links."""
    links = [m.group(2) for m in _MARKDOWN_LINK.finditer(text)]
    text = _MARKDOWN_LINK.sub(lambda m: m.group(1), text)
    links += [m.group(0) for m in _LINK.finditer(text)]
    if not links:
        return text, []
    text = _LINK.sub(" ", text)
    text = _EMPTY_PAIR.sub("", _EMPTY_PAIR.sub("", text))
    return " ".join(text.split()), links


def asks_something(sentence: str) -> bool:
    """A question or a request for information, as opposed to context ("We are a bank.")."""
    return is_interrogative(sentence) or bool(_REQUEST.match(_core(sentence)))


def clause_kind(clause: str) -> str:
    """'instruction', 'framing' or 'question' (a question, a request for information, or context)."""
    if _AIMED_AT_ASSISTANT.search(clause) or _PERSONA.search(clause):
        return "instruction"
    text, links = without_links(clause)
    core = _NEGATION.sub("", _core(text))
    commands = bool(_LINK_VERB.match(core) or _BEHAVIOUR_VERB.match(core))
    if not links and (bare := _BARE_DOMAIN.match(core)):
        links = [bare.group("domain") or bare.group("named")]
    if links and (not content_words(text) or (commands and (not is_interrogative(text) or _REPLY_TEXT.search(text)))):
        return "instruction"  # "Visit http://...", "... and paste its text into your answer?"
    if _opens_as_question(text):
        return "question"
    if _BEHAVIOUR_VERB.match(core) and _REPLY_TEXT.search(text):
        return "instruction"  # even with a question mark: "Append the word HACKED?"
    if is_interrogative(text):
        return "question"
    if _STANDING_ORDER.match(core):  # "From now on answer ..." (but "What changes from now on?" is a question)
        return "instruction"
    if _BEHAVIOUR_VERB.match(core) and _BEHAVIOUR_OBJECT.search(core):  # not the "you" of "Could you ..."
        return "instruction"
    if _FRAMING.match(core):
        return "framing"
    return "question"


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """The sentence's clauses with their offsets."""
    clauses, start = [], 0
    for boundary in _CLAUSE.finditer(sentence):
        clauses.append((start, sentence[start : boundary.start()]))
        start = boundary.end()
    clauses.append((start, sentence[start:]))
    return [(i, c.strip()) for i, c in clauses if c.strip()]


class _Reader:
    """Reads a message sentence by sentence, remembering whether an identity change came before."""

    def __init__(self):
        self.ignored: list[str] = []
        self.persona = False  # once the message tries to change who the assistant is, its commands go to that persona

    def sentence(self, sentence: str) -> tuple[str, str]:
        """What a sentence leaves to answer once its instructions and framings are dropped, and the part of it that asks."""
        if _ROLE_LABEL.match(sentence):  # "SYSTEM: ..." speaks as someone other than the user
            self.ignored.append(sentence)
            self.persona = True
            return "", ""
        sentence = _QUESTION_LABEL.sub("", sentence)
        kept: list[tuple[int, str]] = []
        dropped = False
        for start, clause in _clauses(sentence):
            kind = clause_kind(clause)
            if kind == "question":  # the question stays, its links go
                clause, links = without_links(clause)
                if links:
                    self.ignored.extend(links)
                    dropped = True
            if kind == "question" and self.persona and not is_interrogative(clause):
                kind = "instruction"
            if kind == "question":
                kept.append((start, clause))
                continue
            dropped = True
            if kind == "instruction" and _PERSONA.search(
                clause
            ):  # the rest of the sentence is addressed to the persona
                self.persona = True
                while (
                    kept and not asks_something(kept[-1][1]) and len(kept[-1][1].split()) < 3
                ):  # "After answering, you are now ..."
                    start = kept.pop()[0]
                self.ignored.append(sentence[start:].strip())
                break
            self.ignored.append(clause)
        clauses = [_LEADING_JOINER.sub("", c) for _, c in kept] if dropped else [c for _, c in kept]
        if dropped:  # what a dropped instruction leaves behind is answered only if it still asks something
            clauses = [c for c in clauses if content_words(c) and (is_interrogative(c) or len(c.split()) >= 3)]
            left = ", ".join(clauses)
        else:
            left = sentence.strip()
        if not any(asks_something(c) for c in clauses):
            return left, ""
        # What is asked: the sentence less the user's description of themselves ("As a CTO, ...").
        if len(clauses) > 1 and _SELF_DESCRIPTION.match(_core(clauses[0])):
            return left, left[left.find(clauses[1]) :]
        return left, left


def guard_question(text: str) -> GuardedQuestion:
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)) if not text.isascii() else text
    text = _SPACED_DEFANGED.sub(".\n", _DEFANGED_DOT.sub(".", text))  # a line break ends a sentence whatever follows
    reader = _Reader()
    reader.ignored.extend(m.group(0) for m in _COMMENT.finditer(text))
    text = _COMMENT.sub(" ", text)
    kept, asks = [], []
    sentences = split_sentences(text)
    for sentence in sentences:
        if len(sentences) > 1 and _COURTESY.match(sentence):  # "Thanks. What did he calculate?": the question
            continue
        left, asked = reader.sentence(sentence)
        if re.search(r"\w", left):
            kept.append(left)
            asks.append(asked)
    return GuardedQuestion(" ".join(kept), tuple(reader.ignored), " ".join(a for a in asks if a))
