"""A learned linear map of a question's embedding, applied before it is compared with passages and sentences.

all-MiniLM-L6-v2 places a question and the passage that answers it apart when their words differ ("What does
the author say happens to total spend when inference gets cheaper?" against the Jevons essay's own words). A
384 x 384 matrix, learned on labelled (question, answering passage, answering sentence) triples, moves a question's
embedding towards the passages of the kind that answer it; the passages' embeddings are not touched, so the
index needs no rebuild: a query-only linear adapter, as in Chroma Research's "Embedding Adapters" report (2024).
`make tune-adapter` (service/evals/train_adapter.py) trains it on the golden dev split and evals/training, reports
cross-validated and held-back retrieval, and writes query_adapter.npz beside this file.

When on (`query_adapter = true`, the default), the fused ranking and the choice of the answering sentence use the
mapped question, and the reranker, fitted to plain similarities, leaves that ranking as fused (over the mapped
similarities it re-orders worse; one refitted on them gains nothing: README, "Search"); coverage, classifier and rules,
is judged on what it was tuned on, the plain similarities and the plain (reranked) ranking (AnswerService._prepare);
the answering sentence is chosen by the sentence model fitted for the mapped question (sentence_model_adapted.txt).
A request around a subject ("tell me about midjourney") is ranked by its plain embedding and reranked
(HybridRetriever.retrieve): the map gains questions much and requests nothing (README, "Evaluation"). The map is
trained for one embedding model; with another (STRATEGY_EMBEDDING_MODEL) the embedding is used as it is.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

MODEL_FILE = Path(__file__).with_name("query_adapter.npz")


class QueryAdapter:
    """The shipped map, loaded on first use; `adapt` returns the question's embedding to rank passages with."""

    def __init__(self, path: Path = MODEL_FILE, *, embedding_model: str, enabled: bool = True):
        self.path = path
        self.embedding_model = embedding_model
        self._wanted = enabled
        self._matrix: np.ndarray | None = None
        self._loaded = False
        self._lock = threading.Lock()

    @classmethod
    def of_matrix(cls, matrix: np.ndarray, *, embedding_model: str) -> QueryAdapter:
        """A map given as a matrix rather than read from a file (tuning: one fitted without some questions)."""
        adapter = cls(Path(), embedding_model=embedding_model)
        frozen = np.array(matrix, dtype=np.float32, order="C")  # a copy, read-only like a map read from its file
        frozen.flags.writeable = False
        adapter._matrix, adapter._loaded = frozen, True
        return adapter

    @property
    def enabled(self) -> bool:
        return self._load() is not None

    def load(self) -> None:
        """Load the map now (it otherwise loads on first use)."""
        self._load()

    def adapt(self, vector: np.ndarray) -> np.ndarray:
        """The embedding mapped and scaled back to unit length; unchanged when no map applies."""
        matrix = self._load()
        if matrix is None or vector.shape != (matrix.shape[0],):
            return vector
        mapped = np.asarray(vector, dtype=np.float32) @ matrix
        norm = float(np.linalg.norm(mapped))
        return (mapped / norm).astype(vector.dtype, copy=False) if norm > 0 else vector

    def _load(self) -> np.ndarray | None:
        if not self._loaded:
            with self._lock:
                if not self._loaded:
                    self._matrix = self._read() if self._wanted else None
                    self._loaded = True
        return self._matrix

    def _read(self) -> np.ndarray | None:
        if not self.path.exists():
            return None
        with np.load(self.path) as saved:
            trained_for = str(saved["embedding_model"])
            matrix = np.ascontiguousarray(saved["matrix"], dtype=np.float32)
        if trained_for != self.embedding_model:
            logger.warning(
                "%s was trained for the embedding model %r, not %r: questions are ranked by their plain embedding "
                "(retrain it with `make tune-adapter`).",
                self.path.name,
                trained_for,
                self.embedding_model,
            )
            return None
        matrix.flags.writeable = False
        return matrix


def save_adapter(path: Path, matrix: np.ndarray, embedding_model: str) -> None:
    """Write a trained map with the embedding model it was trained for."""
    np.savez_compressed(path, matrix=np.asarray(matrix, dtype=np.float32), embedding_model=np.array(embedding_model))
