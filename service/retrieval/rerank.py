"""Second-stage ranking: a learned model re-orders the fused ranking's first candidates.

The fused score (hybrid.py) adds standardised signals with fixed weights. Which signal to trust depends
on the query and the passage: a two-word query leans on headings, a paraphrase on the best sentence, a
list question on list blocks. A small LightGBM lambdarank model over per-candidate features learns that
from the golden dev split (`make tune-rerank`: service/evals/train_rerank.py, cross-validated by query,
the held-back split reported and never tuned on). The model ships as rerank_model.txt beside this file;
without it (or with `rerank_candidates = 0`) the fused order stands.
"""

from __future__ import annotations

import math
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # loaded only when a model ships
    import lightgbm

MODEL_FILE = Path(__file__).with_name("rerank_model.txt")

#: Per (query, candidate) signals, in the order the model was trained on.
FEATURES = (
    "chunk_similarity",  # cosine of the query to the passage (title and headings included)
    "sentence_similarity",  # best cosine of one of the passage's sentences
    "chunk_similarity_gap",  # below the best candidate's
    "sentence_similarity_gap",
    "lexical",  # BM25 of the passage
    "lexical_share",  # BM25 over the best candidate's BM25
    "document_affinity",  # how strongly the query names the passage's document (0..1)
    "fused_gap",  # fused score below the first candidate's
    "log_rank",  # log(1 + rank in the fused order)
    "query_word_share",  # share of the query's word stems in the passage
    "heading_word_share",  # share of the query's word stems in the title and headings
    "title_word_share",  # share of the query's word stems in the document's title (or current name)
    "opens_document",  # the passage is among the first two of its document
    "log_words",  # log(1 + words of the passage)
    "list_share",  # share of the passage's lines that are list items or table rows
    "opens_section",  # the passage is the first of its section
    "neighbour_similarity",  # best cosine of the chunks just before and after it in its document
    "document_best_gap",  # best chunk similarity in the passage's document, below the best overall
    "query_log_words",  # log(1 + query word stems): short queries lean on other signals
    "query_asks_list",  # the query asks for a list (which/what are/list/name/stages/steps ...)
)

_ASKS_LIST = re.compile(
    r"\b(?:which|list|name|enumerate|what\s+are|what\s+were|stages|steps|phases|levels|triggers|signals|types|kinds|"
    r"layers|principles|rules|forces|currents|factors|ways|lessons|examples)\b",
    re.IGNORECASE,
)
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)]|\|)\s*")


@dataclass(frozen=True)
class RerankConfig:
    """How many of the fused ranking's first candidates the model re-orders (0: none)."""

    candidates: int = 30


@dataclass(frozen=True)
class PassageTraits:
    """What the reranker knows of each chunk of the loaded index (computed once per load), in index order."""

    stems: list[frozenset[str]]
    heading_stems: list[frozenset[str]]
    title_stems: list[frozenset[str]]
    log_words: np.ndarray
    list_share: np.ndarray
    opens_section: np.ndarray
    opens_document: np.ndarray
    previous_same_document: np.ndarray  # chunk i-1 belongs to the same document
    next_same_document: np.ndarray
    document_index: np.ndarray  # per chunk, its document's number

    @classmethod
    def of(cls, chunks, tokenize) -> PassageTraits:
        """`tokenize(list[str]) -> list[list[str]]` gives the BM25 stems of texts."""
        n = len(chunks)
        stems = [frozenset(t) for t in tokenize([c.text for c in chunks])] if n else []
        headings = (
            [frozenset(t) for t in tokenize([f"{c.document_title} {c.section_path}" for c in chunks])] if n else []
        )
        titles = (
            [frozenset(t) for t in tokenize([f"{c.document_title} {c.current or ''}" for c in chunks])] if n else []
        )
        lines = [[line for line in c.text.splitlines() if line.strip()] for c in chunks]
        documents = {d: i for i, d in enumerate(sorted({c.document_id for c in chunks}))}
        same_previous = np.array(
            [i > 0 and chunks[i - 1].document_id == chunks[i].document_id for i in range(n)], dtype=bool
        )
        same_next = np.array(
            [i + 1 < n and chunks[i + 1].document_id == chunks[i].document_id for i in range(n)], dtype=bool
        )
        opens = np.array(
            [not same_previous[i] or chunks[i - 1].section_path != chunks[i].section_path for i in range(n)],
            dtype=float,
        )
        return cls(
            stems=stems,
            heading_stems=headings,
            title_stems=titles,
            log_words=np.array([math.log1p(len(c.text.split())) for c in chunks]),
            list_share=np.array([sum(bool(_LIST_LINE.match(x)) for x in ls) / len(ls) if ls else 0.0 for ls in lines]),
            opens_section=opens,
            opens_document=np.array(
                [float(not same_previous[i] or i == 1 or not same_previous[i - 1]) for i in range(n)]
            ),
            previous_same_document=same_previous,
            next_same_document=same_next,
            document_index=np.array([documents[c.document_id] for c in chunks], dtype=np.int64),
        )


def candidate_features(
    query: str,
    query_stems: list[str],
    traits: PassageTraits,
    candidates: np.ndarray,
    chunk_similarity: np.ndarray,
    sentence_similarity: np.ndarray,
    lexical: np.ndarray,
    document_affinity: np.ndarray,
    fused: np.ndarray,
) -> np.ndarray:
    """The FEATURES of each candidate (rows in candidate order); the score arrays cover the whole index."""
    c = candidates
    asked = set(query_stems)
    n_asked = len(asked) or 1
    best_chunk = chunk_similarity[c].max()
    best_sentence = sentence_similarity[c].max()
    best_lexical = lexical[c].max()
    previous = np.where(traits.previous_same_document[c], chunk_similarity[np.maximum(c - 1, 0)], -1.0)
    following = np.where(
        traits.next_same_document[c], chunk_similarity[np.minimum(c + 1, len(chunk_similarity) - 1)], -1.0
    )
    document_best = np.full(traits.document_index.max(initial=0) + 1, -1.0)
    np.maximum.at(document_best, traits.document_index, chunk_similarity)
    columns = [
        chunk_similarity[c],
        sentence_similarity[c],
        chunk_similarity[c] - best_chunk,
        sentence_similarity[c] - best_sentence,
        lexical[c],
        lexical[c] / best_lexical if best_lexical > 0 else np.zeros(len(c)),
        document_affinity[c],
        fused[c] - fused[c[0]],
        np.log1p(np.arange(len(c), dtype=float)),
        np.array([len(asked & traits.stems[i]) / n_asked for i in c]),
        np.array([len(asked & traits.heading_stems[i]) / n_asked for i in c]),
        np.array([len(asked & traits.title_stems[i]) / n_asked for i in c]),
        traits.opens_document[c],
        traits.log_words[c],
        traits.list_share[c],
        traits.opens_section[c],
        np.maximum(previous, following),
        document_best[traits.document_index[c]] - best_chunk,
        np.full(len(c), math.log1p(len(asked))),
        np.full(len(c), float(bool(_ASKS_LIST.search(query)))),
    ]
    return np.column_stack(columns).astype(np.float64)


class ShippedModel:
    """A LightGBM model shipped as package data, loaded on first use; refuses a model trained on other features."""

    def __init__(self, path: Path, features: tuple[str, ...], retrain: str):
        self.path = path
        self.features = features
        self.retrain = retrain  # the command that retrains it, named in the error
        self._booster: lightgbm.Booster | None = None
        self._lock = threading.Lock()

    @property
    def exists(self) -> bool:
        return self.path.exists()

    def load(self) -> None:
        """Load the model now (it otherwise loads on first use)."""
        self._model()

    def _model(self):
        if self._booster is None:
            with self._lock:
                if self._booster is None:
                    import lightgbm  # noqa: PLC0415 - only when a model ships

                    text = self.path.read_text(encoding="utf-8")
                    if _trained_features(text) != self.features:
                        raise ValueError(f"{self.path.name} was trained on other features; rerun `{self.retrain}`.")
                    self._booster = lightgbm.Booster(model_str=text)
        return self._booster

    def scores(self, features: np.ndarray) -> np.ndarray:
        return np.asarray(self._model().predict(features, num_threads=1), dtype=np.float64)


class Reranker(ShippedModel):
    """Scores candidates with the shipped LightGBM model (loaded on first use; thread-safe predictions)."""

    def __init__(self, path: Path = MODEL_FILE, config: RerankConfig | None = None):
        super().__init__(path, FEATURES, "make tune-rerank")
        self.config = config or RerankConfig()

    @property
    def enabled(self) -> bool:
        return self.config.candidates > 1 and self.exists


def _trained_features(model_text: str) -> tuple[str, ...]:
    """The feature names LightGBM saved with the model (its `feature_names=` line)."""
    for line in model_text.splitlines():
        if line.startswith("feature_names="):
            return tuple(line.split("=", 1)[1].split())
    return ()
