"""CitationVerifier: every quote is a verbatim span of its cited chunk, checked here, never trusted.

The model's [n] markers are checked against the sources it was given; a marker that names no
source is dropped, a quote that is not verbatim is repaired to the chunk's best-matching sentence
or dropped, and a claim left with no supporting citation is flagged. Markers are renumbered so
that [1], [2], ... follow the order of the returned citations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from service.corpus.chunking import Chunk, chunk_sentences
from service.text import content_words, split_sentences

_MARKER = re.compile(r"\s?\[(\d+(?:\s*,\s*\d+)*)\]")
_QUOTED = re.compile(r"[“\"]([^”\"]{8,})[”\"]")
_REFUSAL = re.compile(
    r"(do(?:es)? not|don't|doesn't|cannot|can't) (cover|answer|address|contain|mention)|not covered|no information",
    re.IGNORECASE,
)

#: Share of a claim's content words that one sentence of the cited chunk must contain to support it.
MIN_SUPPORT = 0.34


@dataclass(frozen=True)
class Citation:
    """A verified quote with the chunk it is verbatim from, while an answer is being composed.

    Internal: an Answer carries service.contracts.Citation, made once by `Citation.of(chunk, quote)`."""

    chunk: Chunk
    quote: str


@dataclass
class VerifiedAnswer:
    text: str
    citations: list[Citation]
    unsupported_claims: list[str] = field(default_factory=list)
    dropped: list[dict] = field(default_factory=list)
    refused: bool = False


def find_verbatim(quote: str, text: str) -> str | None:
    """The exact span of text that quote reproduces, ignoring whitespace, case and quote-mark style."""
    words = quote.strip().strip("“”\"'’").split()
    if len(words) < 3:
        return None
    pattern = r"\s+".join(re.escape(w).replace("’", "['’]").replace("'", "['’]") for w in words)
    match = re.search(pattern, text, re.IGNORECASE)
    return match.group(0) if match else None


def best_supporting_sentence(claim: str, chunk: Chunk, minimum: float = MIN_SUPPORT) -> str | None:
    """The chunk sentence that contains the largest share of the claim's content words."""
    claim_words = content_words(claim)
    if not claim_words:
        return None
    best, best_share = None, 0.0
    for sentence in chunk_sentences(chunk.text, min_words=2):
        shared = claim_words & content_words(sentence)
        share = len(shared) / len(claim_words)
        if share > best_share and (len(shared) >= 2 or len(claim_words) <= 2):
            best, best_share = sentence, share
    return best if best_share >= minimum else None


class CitationVerifier:
    def verify(self, answer: str, sources: list[Chunk]) -> VerifiedAnswer:
        citations: list[Citation] = []
        numbers: dict[tuple[str, str], int] = {}
        unsupported: list[str] = []
        dropped: list[dict] = []

        def register(chunk: Chunk, quote: str) -> int:
            key = (chunk.id, quote)
            if key not in numbers:
                citations.append(Citation(chunk, quote))
                numbers[key] = len(citations)
            return numbers[key]

        out_sentences = []
        for sentence in split_sentences(answer):
            claim = _MARKER.sub("", sentence).strip()
            refs = [int(n) for m in _MARKER.finditer(sentence) for n in m.group(1).split(",")]
            new_refs: list[int] = []
            for ref in dict.fromkeys(refs):
                if not 1 <= ref <= len(sources):
                    dropped.append({"marker": ref, "reason": "cites a source that was not given"})
                    continue
                quote = self._quote(claim, sources[ref - 1])
                if quote is None:
                    dropped.append({"marker": ref, "reason": "the source does not support the claim"})
                    continue
                new_refs.append(register(sources[ref - 1], quote))
            if not refs:  # cites nothing: attach a source only where one clearly says it
                for chunk in sources:
                    quote = self._quote(claim, chunk, minimum=0.6)
                    if quote:
                        new_refs.append(register(chunk, quote))
                        break
            if not new_refs and len(claim.split()) >= 4 and not _REFUSAL.search(claim):
                unsupported.append(claim)
            markers = "".join(f" [{n}]" for n in dict.fromkeys(new_refs))
            out_sentences.append(_attach(claim, markers))
        text = " ".join(out_sentences).strip()
        refused = bool(_REFUSAL.search(answer)) and not citations
        return VerifiedAnswer(text, citations, unsupported, dropped, refused)

    @staticmethod
    def _quote(claim: str, chunk: Chunk, minimum: float = MIN_SUPPORT) -> str | None:
        for quoted in _QUOTED.findall(claim):
            exact = find_verbatim(quoted, chunk.text)
            if exact:
                return exact
        return best_supporting_sentence(claim, chunk, minimum)


def _attach(claim: str, markers: str) -> str:
    """Put markers before the sentence's closing punctuation: 'a claim [1].'"""
    if not markers:
        return claim
    match = re.search(r"[.!?:;]+[”\"’)]*$", claim)
    if match:
        return claim[: match.start()] + markers + claim[match.start() :]
    return claim + markers
