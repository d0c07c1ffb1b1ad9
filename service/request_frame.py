"""A request around a question ("tell me about blitzscaling", "can you explain the death zone to me?"), and what a
message says of how to answer ("explain like I'm five ...", "... in plain English").

What a message asks about is what is left without the request ("blitzscaling"); answering searches that. A request
asks for a subject rather than asking a question about it, and is ranked by its plain embedding
(HybridRetriever.retrieve: the query adapter's map, fitted on questions, brings requests nothing). How to answer is
no part of what is asked: coverage judges, and the search looks up, the question without it.
"""

from __future__ import annotations

import re

#: Fillers that may open a message before its request or question ("ok so", "hey, please").
FILLERS = r"^\W*(?:(?:ok(?:ay)?|so|and|then|now|also|hey|hi|hello|please|pls)\b[\s,!]*)*"
#: A request around a question ("tell me about", "can you explain", "give me a quick overview of", "help me
#: understand"), at its start; and "to me" / "for me" at its end.
_REQUEST_FRAME = re.compile(
    FILLERS + r"(?:(?:can|could|would|will) you\s+|i'?d like you to\s+)?(?:please\s+)?"
    r"(?:tell me(?:\s+(?:more|a bit|a little))?(?:\s+about)?|what can you tell me about|explain(?:\s+to me)?|describe|"
    r"summari[sz]e|define|outline|(?:walk|talk|run) me through|fill me in on|brief me on|help me understand|"
    r"remind me(?:\s+(?:about|of))?|tl;?dr(?:\s+(?:of|on))?|"
    r"give me(?:\s+(?:a|an|the|some))?(?:\s+(?:quick|short|brief|simple|plain))?"
    # "a one-sentence summary of", not "a single line of code"
    r"(?:\s+(?:high[\s-]level|(?:one|two|three|single)[\s-](?:sentence|line|paragraph))(?=\s+(?:overview|summary)))?"
    r"(?:\s+(?:overview|summary|rundown|explanation|run-down|sense|definition|idea)(?:\s+of)?|"
    r"\s+(?:checklist|check-list)(?:\s+(?:of|for))?|\s+of)?|"
    r"i(?:'d| would)? (?:want|like|wanna|need) to (?:know|understand|learn|hear)(?:\s+(?:more\s+)?about)?|"
    r"i'?m curious about|what do you know about|let'?s talk about|talk (?:to me )?about|"
    # the collection as a whole, not one document: "what does the corpus say about Groq?", "anything on CUDA?"
    r"what (?:do|does|did|can|would) (?:the|your|these|you(?:r)?) ?(?:corpus|documents|docs|sources|library|materials|"
    r"texts|files|collection|knowledge base)? (?:say|tell (?:me|us)|have|hold|contain|know|mention)"
    r"(?:\s+(?:about|on|regarding|of))|what do you have (?:on|about)|"
    # whether the collection speaks of something: "does the corpus mention Nvidia?", "do the sources cover CUDA?"
    r"(?:does|do|did) (?:the |your |these )?(?:corpus|documents|docs|sources|library|materials|texts|files|collection|"
    r"knowledge base) (?:ever )?(?:mention|cover|discuss|talk about|deal with|touch on|"
    r"(?:say|have|contain) anything (?:about|on|regarding))|"
    # which of its documents speak of something: "which essays talk about Meta?", "which chapters mention Groq?"
    r"(?:which|what) (?:of the )?(?:essays?|chapters?|documents?|docs|pieces?|articles?|posts?|sources?) (?:talk about|"
    r"talks about|mention|mentions|discuss|discusses|cover|covers|deal with|deals with|touch on|touches on)|"
    r"(?:do you have|is there|have you got) anything (?:on|about|regarding))\b[\s:;,]*"
    r"(?:(?:for|to)\s+me\b[\s:;,]*)?",  # "summarise for me ...", "describe to me ..."
    re.IGNORECASE,
)
#: Plain words asked for: "in plain English", "in simple terms".
_PLAIN_WORDS = r"in\s+(?:plain|simple|everyday)\s+(?:english|words|terms|language)"
#: What follows a request that says how to answer, not what about: "like I'm five", "it to me", "to a new hire".
_HOW_TO_ANSWER = re.compile(
    r"\W*(?:like|as if|as though|as to|in plain|in simple|simply|briefly|it|this|that|to (?:a|an|someone|somebody|me))\b",
    re.IGNORECASE,
)
#: How to answer, at the end of what to explain: "... like I'm a 12-year-old", "... as if I were new here", "... in
#: plain English", "... to a new hire".
_HOW_TO_ANSWER_AT_END = re.compile(
    r"\s*,?\s+(?:(?:like|as if|as though)\s+(?:i['’]?m|i\s+am|i\s+was|i\s+were|i['’]?ve\s+never|i\s+have\s+never)\b"
    r"(?:\s+[\w'’-]+){0,6}"
    r"|"
    + _PLAIN_WORDS
    + r"|to\s+(?:a|an|someone|somebody|my)\s+(?:new\s+(?:hire|starter|joiner|employee|analyst|colleague)|newcomer|"
    r"beginner|layperson|layman|non-expert|kid|child|\d+[\s-]year[\s-]old|five[\s-]year[\s-]old))"
    r"\s*(?:,?\s*please)?[?.!]?\s*$",
    re.IGNORECASE,
)
_FOR_ME = re.compile(r"(?<!\s)\s+(?:to|for) me\s*(?:,?\s*please)?(?=[\s?.!]*$)", re.IGNORECASE)


def without_request(question: str) -> str:
    """The question without a request around it: "Tell me about blitzscaling" -> "blitzscaling", "Can you explain the
    death zone to me?" -> "the death zone?". Unchanged when it has none, is nothing else, or the request frames how to
    answer rather than what ("explain like I'm five why ...", "explain it to me", "explain to someone who ...")."""
    framed = _REQUEST_FRAME.match(question)
    if not framed:
        return question
    topic = _FOR_ME.sub("", question[framed.end() :])
    if not topic.strip(" ?.!") or _HOW_TO_ANSWER.match(topic):
        return question
    return _HOW_TO_ANSWER_AT_END.sub("", topic) or topic


def is_request(message: str) -> bool:
    """Whether the message is a request around a subject ("tell me about midjourney") rather than a question."""
    return without_request(message) != message


#: A way to answer: "like I'm five", "as if I were a 12-year-old", "in plain English", "in simple terms", "simply".
_STYLE = (
    r"(?:(?:like|as if|as though)\s+(?:i['’]?m|i\s+am|i\s+was|i\s+were)\s+(?:a\s+)?(?:five|5|ten|10|twelve|12)"
    r"(?:[\s-]*years?[\s-]*old)?|" + _PLAIN_WORDS + r"|simply(?![-\w])|briefly)"
)
#: How to answer, said before what is asked: "ELI5:", "In plain English,", "explain like I'm five", "can you explain in
#: simple terms" ("explain like I'm five why GPUs matter": "why GPUs matter").
_STYLE_FIRST = re.compile(
    FILLERS + r"(?:(?:eli5\b[\s:,-]*|" + _PLAIN_WORDS + r"\s*[:,]\s*)|"
    r"(?:(?:(?:can|could|would) you\s+|please\s+)*(?:explain|describe|summari[sz]e)(?:\s+(?:it|this|that))?"
    r"(?:\s+to\s+me)?)\s+" + _STYLE + r"\b[\s:,-]*)",
    re.IGNORECASE,
)
#: How to answer, said after what is asked, set off by a comma: "what is RLVR, in plain English?", "..., ELI5".
_STYLE_LAST = re.compile(r"\s*,\s*(?:" + _STYLE + r"|eli5)\s*(?:,?\s*please)?(?=[?.!]*\s*$)", re.IGNORECASE)


def without_answer_style(message: str) -> str:
    """The message without what it says of how to answer: "ELI5: the jevons paradox" -> "the jevons paradox", "explain
    in simple terms what training a model is" -> "what training a model is", "what is RLVR, in plain English?" -> "what
    is RLVR?". Words that only look so inside a question stay ("Which essay is written in simple terms?", "Why does AI
    feel like I'm training my own replacement?"); unchanged when nothing else is left. (A request that keeps its verb,
    "explain what training a model is", was judged on the request's topic alone and refused more: measured.)"""
    styled = _STYLE_FIRST.match(message)
    asked = _STYLE_LAST.sub("", message[styled.end() :] if styled is not None else message)
    return asked if asked.strip(" ?.!,:;-") else message
