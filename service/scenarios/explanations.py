"""Why a trigger signal matters, in the booklet's own words: per signal, the sentence of its current's
chapter that best explains it for the user's situation, quoted verbatim with its citation.

No model is needed: each sentence of the chapter (its indexed embedding) is scored by its similarity to
the signal, the share of the signal's words it uses and, with less weight, its similarity to the user's
context; the best pairs are taken first and no sentence
is used twice, so every item of a checklist quotes a different passage.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from service.contracts import Citation
from service.scenarios.currents import TRIGGER_SECTION, Current, TriggerSignal
from service.scenarios.signal_kinds import plain_words
from service.text import content_words


@dataclass(frozen=True)
class ExplanationConfig:
    """What makes a chapter sentence a good explanation of a signal."""

    #: Weight of the similarity to the user's context, against 1 for the similarity to the signal.
    context_weight: float = 0.25
    #: Weight of the share of the signal's content words the sentence uses (names, figures: "red-team", "H100").
    lexical_weight: float = 0.3
    #: Shorter sentences are asides ("Capex is not wrong."); longer ones are lists of figures.
    min_words: int = 8
    max_words: int = 45


@dataclass(frozen=True)
class Explanation:
    sentence: str
    citation: Citation


def _usable(sentence: str, config: ExplanationConfig) -> bool:
    words = len(sentence.split())
    return (
        config.min_words <= words <= config.max_words
        and "|" not in sentence  # a table row
        and not sentence.startswith(("“", "#", "Data:"))  # the framing question, a heading, the sources line
        and not sentence.rstrip().endswith(":")  # the lead-in of a list
    )


def explain_signals(
    current: Current, context: str, retriever, config: ExplanationConfig | None = None
) -> dict[str, Explanation]:
    """Per signal text of the current, the chapter sentence that best explains it for this context. The signals
    and the context are embedded as queries are (the signals' vectors come from the query cache after the first
    checklist)."""
    config = config or ExplanationConfig()
    chunks = [c for c in retriever.chunks if c.document_id == current.document_id and c.section != TRIGGER_SECTION]
    by_chunk = retriever.sentence_vectors_of(chunks) if chunks else {}
    candidates = [
        (chunk, sentence, vector)
        for chunk in chunks
        for sentence, vector in by_chunk.get(chunk.id, [])
        if _usable(sentence, config)
    ]
    signals: list[TriggerSignal] = current.signals
    if not candidates or not signals:
        return {}
    vectors = retriever.embed_many([plain_words(s.signal) for s in signals] + [context])
    sentence_vectors = np.stack([vector for _, _, vector in candidates])
    signal_words = [content_words(plain_words(s.signal)) for s in signals]
    shared = np.array(
        [
            [len(content_words(sentence) & words) / max(len(words), 1) for words in signal_words]
            for _, sentence, _ in candidates
        ]
    )
    scores = (
        sentence_vectors @ vectors[:-1].T
        + config.context_weight * (sentence_vectors @ vectors[-1])[:, None]
        + config.lexical_weight * shared
    )
    explained: dict[str, Explanation] = {}
    used: set[int] = set()
    # The best (sentence, signal) pairs first, each sentence and each signal once.
    for flat in np.argsort(-scores, axis=None):
        row, column = divmod(int(flat), len(signals))
        signal = signals[column].signal
        if row in used or signal in explained:
            continue
        chunk, sentence, _ = candidates[row]
        explained[signal] = Explanation(sentence, Citation.of(chunk, sentence))
        used.add(row)
        if len(explained) == len(signals):
            break
    return explained
