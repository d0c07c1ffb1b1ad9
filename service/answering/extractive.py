"""The extractive mode: an answer composed of the corpus sentences that best answer the question.

Needs no generator, so it works on any laptop and cannot invent anything; every sentence it says is
quoted verbatim from a cited chunk.
"""

from __future__ import annotations

import numpy as np

from service.answering.citations import Citation, VerifiedAnswer, content_words
from service.retrieval.hybrid import Retrieval

#: How many of the top passages sentences are drawn from, and how many sentences an answer holds.
SOURCE_CHUNKS = 3
MAX_SENTENCES = 4
#: A further sentence is added only if it scores within this margin of the best one (1.0: always;
#: on the golden set every cut lost more key facts than it saved words).
MARGIN = 1.0
#: Weight of the share of the question's content words a sentence contains, next to cosine similarity.
LEXICAL_WEIGHT = 0.4
#: Preference for sentences of higher-ranked passages (the fused ranking beats one sentence's similarity).
RANK_WEIGHT = 0.15


#: Score taken off sentences that say little alone: a list's lead-in ("... occurs through:") or a keyword list.
FRAGMENT_PENALTY = 0.15


def says_little(sentence: str) -> bool:
    items = [i for i in sentence.split(",") if i.strip()]
    keyword_list = len(items) >= 6 and sum(len(i.split()) for i in items) / len(items) <= 3
    return sentence.rstrip().endswith(":") or keyword_list


class ExtractiveAnswerer:
    def __init__(self, retriever):
        self._retriever = retriever

    def answer(self, question: str, retrieval: Retrieval) -> VerifiedAnswer:
        question_words = content_words(question)
        candidates = []  # (score, rank, position, chunk, sentence)
        for rank, hit in enumerate(retrieval.hits[:SOURCE_CHUNKS]):
            # Words that name where to look ("the blitzscaling essay") say nothing about which sentence answers.
            asked = question_words - content_words(f"{hit.chunk.document_title} {hit.chunk.section_path}") or question_words
            for position, (sentence, vector) in enumerate(self._retriever.sentence_vectors(hit.chunk)):
                similarity = float(np.dot(retrieval.query_vector, vector))
                overlap = len(asked & content_words(sentence)) / len(asked)
                score = similarity + LEXICAL_WEIGHT * overlap - RANK_WEIGHT * rank - (FRAGMENT_PENALTY if says_little(sentence) else 0.0)
                candidates.append((score, rank, position, hit.chunk, sentence))
        if not candidates:
            return VerifiedAnswer("", [])
        candidates.sort(key=lambda c: -c[0])
        best = candidates[0][0]
        chosen = [c for c in candidates[:MAX_SENTENCES] if c[0] >= best - MARGIN]
        chosen.sort(key=lambda c: (c[1], c[2]))  # read in passage order

        citations: list[Citation] = []
        lines: list[str] = []
        current_chunk = None
        for _, _, _, chunk, sentence in chosen:
            citations.append(Citation(chunk, sentence))
            marked = f"{sentence} [{len(citations)}]"
            if chunk.id != current_chunk:
                where = f"{chunk.document_title} — {chunk.section}" if chunk.section else chunk.document_title
                lines.append(f"From “{where}”: {marked}")
                current_chunk = chunk.id
            else:
                lines[-1] += f" {marked}"
        return VerifiedAnswer("\n\n".join(lines), citations)
