"""Briefing drafts: summary, relevant frameworks, key figures, triggers to watch, open questions — all cited."""

from __future__ import annotations

import re

import numpy as np

from service.contracts import Answer, Briefing, BriefingLength, BriefingLine, BriefingSection, Citation
from service.scenarios.currents import Current, find_current
from service.scenarios.documents import markdown_text, render

_FIGURE = re.compile(
    r"[$€£]\s?\d|\d[\d,.]*\s?(%|x\b|×|billion|million|trillion|B\b|M\b|K\b|GPUs|months|years)", re.IGNORECASE
)
_MARKER = re.compile(r"\[(\d+)\]")

#: Shown on a briefing whose summary answer is not supported by the corpus (the answer service decides coverage).
NOT_COVERED = "The corpus does not cover this topic directly"

LIMITS = {
    "short": {"frameworks": 3, "figures": 3, "triggers": 3, "questions": 2},
    "standard": {"frameworks": 5, "figures": 6, "triggers": 5, "questions": 3},
}


def _prose(sentence: str) -> bool:
    """A sentence a briefing can quote: not a table row (its cells run together once quoted)."""
    return "|" not in sentence


class _Citations:
    """One numbering for every citation of the briefing."""

    def __init__(self):
        self.items: list[Citation] = []
        self._index: dict[tuple[str, str], int] = {}

    def add(self, citation: Citation) -> int:
        key = (citation.chunk_id, citation.quote)
        if key not in self._index:
            self.items.append(citation)
            self._index[key] = len(self.items)
        return self._index[key]


def build_briefing(
    topic: str,
    audience: str | None,
    length: BriefingLength,
    answer: Answer,
    retrieval,
    retriever,
    matcher,
    currents: list[Current],
) -> Briefing:
    limits = LIMITS[length]
    registry = _Citations()
    sections: list[tuple[str, list[BriefingLine]]] = []

    def section(heading: str, lines: list[tuple[str, list[Citation]]]) -> None:
        rendered = [BriefingLine(text=text, refs=[registry.add(c) for c in cites]) for text, cites in lines]
        sections.append((heading, rendered))

    # Summary: the answer to the topic, its markers renumbered into the briefing's citations.
    if answer.supported:
        local = answer.citations
        summary = _MARKER.sub(
            lambda m: f"[{registry.add(local[int(m.group(1)) - 1])}]" if int(m.group(1)) <= len(local) else "",
            answer.answer,
        )
        section("Summary", [(" ".join(summary.split()), [])])
    else:
        section("Summary", [(f"{NOT_COVERED}; the sections below list the nearest material.", [])])

    hits = retrieval.hits
    frameworks, seen = [], set()
    for hit in hits:
        if hit.chunk.document_id in seen:
            continue
        seen.add(hit.chunk.document_id)
        sentences = [(text, vector) for text, vector in retriever.sentence_vectors(hit.chunk) if _prose(text)]
        if sentences:
            best = max(sentences, key=lambda s: float(np.dot(retrieval.ranking_vector, s[1])))[0]
            where = hit.chunk.document_title + (f" ({hit.chunk.section})" if hit.chunk.section else "")
            frameworks.append((f"{where}: {best}", [Citation.of(hit.chunk, best)]))
        if len(frameworks) == limits["frameworks"]:
            break
    section("Relevant frameworks", frameworks)

    figures = []
    for hit in hits:
        for sentence, vector in retriever.sentence_vectors(hit.chunk):
            if _FIGURE.search(sentence) and _prose(sentence):
                figures.append((float(np.dot(retrieval.ranking_vector, vector)), sentence, hit.chunk))
    figures.sort(key=lambda f: -f[0])
    section(
        "Key figures",
        [(sentence, [Citation.of(chunk, sentence)]) for _, sentence, chunk in figures[: limits["figures"]]],
    )

    matches = matcher.scores(topic)[: limits["triggers"]]
    section(
        "Triggers to watch",
        [(f"{m.trigger.current} — {m.trigger.signal}", [m.trigger.citation]) for m in matches],
    )

    questions, asked = [], set()
    for match in matches:
        current = find_current(currents, match.trigger.current)
        if current.name in asked or not current.framing_question or current.framing_citation is None:
            continue
        asked.add(current.name)
        questions.append((f"{current.name}: {current.framing_question}", [current.framing_citation]))
        if len(questions) == limits["questions"]:
            break
    section("Open questions", questions)

    briefing = Briefing(
        title=f"Briefing: {topic}",
        topic=topic,
        audience=audience,
        length=length,
        supported=answer.supported,
        # The badge follows the summary answer's `supported`, so a briefing and /v1/ask never disagree on coverage.
        coverage_note=None if answer.supported else NOT_COVERED,
        model=answer.model,
        sections=[
            BriefingSection(
                heading=heading,
                lines=lines,
                # Markdown for clients that render a section alone (the chat page): the text escaped as in the .md.
                body="\n".join(
                    f"- {markdown_text(line.text)}" + "".join(f" [{n}]" for n in line.refs) for line in lines
                )
                or "- (nothing in the corpus)",
                citations=[registry.items[n - 1] for line in lines for n in line.refs],
            )
            for heading, lines in sections
        ],
        citations=registry.items,
        markdown="",
    )
    return briefing.model_copy(update={"markdown": render("briefing.md.j2", **dict(briefing))})


def briefing_html(briefing: Briefing) -> str:
    return render("briefing.html.j2", **dict(briefing))


__all__ = ["build_briefing", "briefing_html", "find_current"]
