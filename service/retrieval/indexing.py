"""Ingest: corpus -> chunks -> embeddings -> a new Chroma collection, switched in atomically."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from chromadb.errors import NotFoundError

from service.corpus.chunking import Chunk, chunk_document, chunk_sentences
from service.corpus.documents import load_corpus
from service.retrieval.store import ActiveIndex, ChromaStore

#: Bump when the chunk layout in the store changes, so old indexes are rebuilt.
#: 7: chunks carry their document's author, date and series (6: its publication; 5: sentences split by service/text.py)
INDEX_SCHEMA = "7"

ProgressCallback = Callable[[int, int], None]
#: A check of the chunked corpus that raises CorpusError when a document cannot be used (the booklet's
#: currents that stop parsing, say); it runs before any embedding work.
CorpusCheck = Callable[[list[Chunk]], object]


@dataclass(frozen=True)
class IngestReport:
    status: str  # "unchanged" or "built"
    collection: str
    documents: int
    chunks: int
    embedded: int
    reused: int
    seconds: float


def corpus_chunks(settings, model_name: str, check: CorpusCheck | None = None) -> tuple[int, list[Chunk]]:
    """Load and chunk the corpus (no embedding work); raises CorpusError on a malformed document."""
    documents = load_corpus(settings.corpus_dir)
    chunks = [c for d in documents for c in chunk_document(d, settings.chunk_max_words, model_name)]
    if check is not None:
        check(chunks)
    return len(documents), chunks


def sentence_records(chunks: list[Chunk]) -> tuple[list[str], list[str]]:
    """Ids (`<chunk id>/<n>`) and texts of the sentences indexed for sentence-level matching."""
    ids, texts = [], []
    for chunk in chunks:
        for n, sentence in enumerate(chunk_sentences(chunk.text)):
            ids.append(f"{chunk.id}/{n}")
            texts.append(sentence)
    return ids, texts


def fingerprint(chunks: list[Chunk], model_name: str) -> str:
    digest = hashlib.sha256(f"{INDEX_SCHEMA}\x1f{model_name}".encode())
    # A chunk's id hashes its text and headings; its document's front matter is metadata of its own.
    for chunk in sorted(chunks, key=lambda c: c.id):
        about = (chunk.publication, chunk.author, chunk.date, chunk.series)
        digest.update("\x1f".join([chunk.id, *(value or "" for value in about)]).encode())
    return digest.hexdigest()


class Indexer:
    """Builds the index aside and switches to it only when complete: a failed ingest changes nothing."""

    def __init__(self, store: ChromaStore, embedder, settings, check: CorpusCheck | None = None):
        self._store = store
        self._embedder = embedder
        self._settings = settings
        self._check = check

    def is_current(self) -> bool:
        """Whether the active index already matches the corpus and the embedding model."""
        _, chunks = corpus_chunks(self._settings, self._embedder.name, self._check)
        active = self._store.active()
        return active is not None and active.fingerprint == fingerprint(chunks, self._embedder.name)

    def ingest(self, progress: ProgressCallback | None = None) -> IngestReport:
        started = time.perf_counter()
        model = self._embedder.name
        document_count, chunks = corpus_chunks(self._settings, model, self._check)
        target = fingerprint(chunks, model)
        active = self._store.active()
        if active is not None and active.fingerprint == target:
            self._store.drop_except(active)
            return IngestReport(
                "unchanged", active.collection, document_count, len(chunks), 0, 0, time.perf_counter() - started
            )

        sentence_ids, sentence_texts = sentence_records(chunks)
        ids = [c.id for c in chunks] + sentence_ids
        texts = [c.embedded_text for c in chunks] + sentence_texts
        vectors = self._reusable_embeddings(active, [c.id for c in chunks], sentence_ids)
        missing = [i for i, record_id in enumerate(ids) if record_id not in vectors]
        batch = 64
        for start in range(0, len(missing), batch):
            part = missing[start : start + batch]
            vectors.update(zip((ids[i] for i in part), self._embedder.embed([texts[i] for i in part]), strict=True))
            if progress:
                progress(min(start + batch, len(missing)), len(missing))

        chunk_name, sentence_name = self._store.collection_names(target)
        chunk_collection = self._store.create_fresh(chunk_name)
        ChromaStore.add_chunks(chunk_collection, chunks, np.stack([vectors[c.id] for c in chunks]))
        sentence_collection = self._store.create_fresh(sentence_name)
        if sentence_ids:
            ChromaStore.add_sentences(
                sentence_collection, sentence_ids, sentence_texts, np.stack([vectors[i] for i in sentence_ids])
            )
        if chunk_collection.count() != len(chunks) or sentence_collection.count() != len(sentence_ids):
            raise RuntimeError("index build is incomplete; the previous index stays active")
        built = ActiveIndex(chunk_name, sentence_name, target, model, len(chunks))
        self._store.activate(built)
        self._store.drop_except(built)
        reused = len(ids) - len(missing)
        return IngestReport(
            "built", chunk_name, document_count, len(chunks), len(missing), reused, time.perf_counter() - started
        )

    def _reusable_embeddings(
        self, active: ActiveIndex | None, chunk_ids: list[str], sentence_ids: list[str]
    ) -> dict[str, np.ndarray]:
        """Embeddings of unchanged chunks and sentences, read back from the serving index instead of recomputed."""
        if active is None or active.embedding_model != self._embedder.name:
            return {}
        try:
            vectors = ChromaStore.read_embeddings(self._store.collection(active.collection), chunk_ids)
            vectors.update(
                ChromaStore.read_embeddings(self._store.collection(active.sentence_collection), sentence_ids)
            )
        except NotFoundError:  # the pointer names a collection someone removed: embed everything
            return {}
        return vectors
