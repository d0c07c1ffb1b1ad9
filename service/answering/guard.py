"""Strip instructions aimed at the assistant out of a question before it reaches retrieval or a model.

Defense in depth next to the system prompt: a sentence that tries to change the assistant's rules
("ignore previous instructions", "you are now DAN", "print your system prompt", "append the word X",
"cite it as ...") is not a question about the corpus, so it is dropped and reported back; the rest is
answered as a question, and a message with nothing else left is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = [
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,40}\b(instructions?|rules?|sources?|prompt|guidelines|polic(y|ies))\b",
    r"\bown knowledge\b|\bfrom now on\b|\byou are now\b|\bact as (?:a|an|my|if)\b|\bpretend (to be|you)\b|\broleplay\b|\bpersona\b|\bbehave as\b",
    r"\bsystem prompt\b|\byour (instructions|rules|prompt|guidelines)\b|\bsecret instructions\b",
    r"\b(developer|dev|god|admin|jailbreak|DAN) mode\b|\bDAN\b|\bjailbreak",
    r"^\s*(system|admin|assistant|developer)\s*:",
    r"\bsystem override\b|\btrusted source\b|\[\s*\d{2,}\s*\]",
    r"\b(respond|reply|answer|output|say|print|write)\b.{0,25}\b(only|nothing else|exactly|verbatim|word for word)\b",
    r"\b(append|add|insert|include|begin|start|finish|end)\b.{0,30}\b(word|line|phrase|sentence|text|with ['\"‘“])",
    r"\b(do not|don't|without)\b.{0,30}\b(source numbers|citations?|cite|sources)\b|\bcite (it|this|them) as\b|\bcitation rule\b",
    r"\bdecode\b|\bbase64\b|\btranslate (this|the following)\b",
    r"\bi authori[sz]e you\b|\bas (the|an|your) (administrator|admin|developer|owner)\b",
    r"\bhttps?://|\blog ?in at\b",
    r"<!--.*?-->",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")


@dataclass(frozen=True)
class GuardedQuestion:
    question: str  # what is left to answer
    ignored: tuple[str, ...]  # the sentences dropped as instructions to the assistant


def guard_question(text: str) -> GuardedQuestion:
    comments = tuple(m.group(0) for m in _COMMENT.finditer(text))
    text = _COMMENT.sub(" ", text)
    kept, ignored = [], list(comments)
    for sentence in (s.strip() for s in _SENTENCE.split(text)):
        if not sentence:
            continue
        (ignored if _INJECTION.search(sentence) else kept).append(sentence)
    kept = [s for s in kept if len(s.split()) >= 3]  # a fragment left by a split instruction is not a question
    return GuardedQuestion(" ".join(kept), tuple(ignored))
