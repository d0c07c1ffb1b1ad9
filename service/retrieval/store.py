"""The Chroma vector store: embedded (PersistentClient) or a `chroma run` server (HttpClient).

Index builds are atomic: chunks go into a fresh collection, and only a complete one becomes
active, by rewriting one pointer in a small meta collection. Readers follow the pointer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import NotFoundError

from service.corpus.chunking import Chunk
from service.errors import InvalidRequestError, StoreUnavailableError

_BATCH = 256


@dataclass(frozen=True)
class ActiveIndex:
    """What the pointer says: which collection serves, built from what."""

    collection: str
    sentence_collection: str
    fingerprint: str
    embedding_model: str
    chunk_count: int


def make_client(data_dir: Path, chroma_url: str | None):
    """An embedded client under data_dir, or an HTTP client when a server address is set."""
    settings = ChromaSettings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if not url.hostname:
            raise InvalidRequestError(
                f"STRATEGY_CHROMA_URL={chroma_url!r} is not an address such as http://127.0.0.1:8001."
            )
        return chromadb.HttpClient(
            host=url.hostname,
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
    (data_dir / "chroma").mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(data_dir / "chroma"), settings=settings)


class ChromaStore:
    """Per build, `<prefix>_chunks_<fingerprint>` and `<prefix>_sentences_<fingerprint>`;
    one `<prefix>_meta` collection whose metadata points at the serving build."""

    def __init__(self, client, prefix: str = "strategy"):
        self._client = client
        self._prefix = prefix
        self._meta_name = f"{prefix}_meta"
        # Whether the last heartbeat or pointer read failed: readers that skip the store while it answers
        # (searches from memory) ask it again at once while this is set.
        self.unreachable = False

    @classmethod
    def from_settings(cls, settings) -> ChromaStore:
        return cls(make_client(settings.data_dir, settings.chroma_url), settings.collection_prefix)

    def collection_names(self, fingerprint: str) -> tuple[str, str]:
        """(chunks, sentences) collection names of the build with this fingerprint."""
        return f"{self._prefix}_chunks_{fingerprint[:24]}", f"{self._prefix}_sentences_{fingerprint[:24]}"

    def heartbeat(self) -> None:
        """Raise StoreUnavailableError when the store cannot be reached."""
        try:
            self._client.heartbeat()
        except Exception as exc:  # chromadb raises transport-specific errors
            self.unreachable = True
            raise StoreUnavailableError(
                f"The Chroma store cannot be reached: {exc}. Check that it is running."
            ) from exc
        self.unreachable = False

    def _meta(self):
        return self._client.get_or_create_collection(self._meta_name, embedding_function=None)

    def active(self) -> ActiveIndex | None:
        """The pointer to the serving collection, or None before the first ingest."""
        try:
            # get, not get_or_create: a third of the time, and searches read the pointer often.
            metadata = self._client.get_collection(self._meta_name, embedding_function=None).metadata or {}
        except NotFoundError:
            self.unreachable = False
            return None
        except Exception:
            self.unreachable = True
            raise
        self.unreachable = False
        if not metadata.get("active_collection"):
            return None
        return ActiveIndex(
            collection=str(metadata["active_collection"]),
            sentence_collection=str(metadata["sentence_collection"]),
            fingerprint=str(metadata["fingerprint"]),
            embedding_model=str(metadata["embedding_model"]),
            chunk_count=int(metadata["chunk_count"]),
        )

    def activate(self, index: ActiveIndex) -> None:
        """Switch readers to a fully built collection (one metadata write)."""
        self._meta().modify(
            metadata={
                "active_collection": index.collection,
                "sentence_collection": index.sentence_collection,
                "fingerprint": index.fingerprint,
                "embedding_model": index.embedding_model,
                "chunk_count": index.chunk_count,
            }
        )

    def create_fresh(self, name: str):
        """A new empty collection, replacing any leftover of a build that did not finish."""
        if name in self.list_index_collections():
            self._client.delete_collection(name)
        return self._client.create_collection(name, embedding_function=None, metadata={"hnsw:space": "cosine"})

    def collection(self, name: str):
        return self._client.get_collection(name, embedding_function=None)

    def list_index_collections(self) -> list[str]:
        prefixes = (f"{self._prefix}_chunks_", f"{self._prefix}_sentences_")
        names = [c if isinstance(c, str) else c.name for c in self._client.list_collections()]
        return [n for n in names if n.startswith(prefixes)]

    def drop_except(self, keep: ActiveIndex) -> None:
        """Remove index collections other than the serving build's (old builds, failed builds)."""
        for name in self.list_index_collections():
            if name not in (keep.collection, keep.sentence_collection):
                self._client.delete_collection(name)

    @staticmethod
    def add_chunks(collection, chunks: list[Chunk], embeddings: np.ndarray) -> None:
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            collection.add(
                ids=[c.id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],
                embeddings=embeddings[start : start + _BATCH],
            )

    @staticmethod
    def add_sentences(collection, ids: list[str], texts: list[str], embeddings: np.ndarray) -> None:
        for start in range(0, len(ids), _BATCH):
            collection.add(
                ids=ids[start : start + _BATCH],
                documents=texts[start : start + _BATCH],
                embeddings=embeddings[start : start + _BATCH],
            )

    @staticmethod
    def read_chunks(collection) -> list[Chunk]:
        data = collection.get(include=["documents", "metadatas"])
        return [
            Chunk.from_store(i, d, m) for i, d, m in zip(data["ids"], data["documents"], data["metadatas"], strict=True)
        ]

    @staticmethod
    def read_chunks_with_embeddings(collection) -> tuple[list[Chunk], np.ndarray]:
        """Every chunk and its embedding (row i belongs to chunk i), in one read."""
        data = collection.get(include=["documents", "metadatas", "embeddings"])
        chunks = [
            Chunk.from_store(i, d, m) for i, d, m in zip(data["ids"], data["documents"], data["metadatas"], strict=True)
        ]
        return chunks, _matrix(data["embeddings"], len(chunks))

    @staticmethod
    def read_records(collection) -> tuple[list[str], list[str], np.ndarray]:
        """Ids, texts and embeddings (one row each) of every record of a collection, in one read."""
        data = collection.get(include=["documents", "embeddings"])
        return list(data["ids"]), list(data["documents"]), _matrix(data["embeddings"], len(data["ids"]))

    @staticmethod
    def read_embeddings(collection, ids: list[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        data = collection.get(ids=ids, include=["embeddings"])
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(data["ids"], data["embeddings"], strict=True)}


def _matrix(embeddings, rows: int) -> np.ndarray:
    """Embeddings as one float32 matrix, (0, 0) when there are none."""
    if rows == 0 or embeddings is None:
        return np.zeros((0, 0), dtype=np.float32)
    return np.asarray(embeddings, dtype=np.float32).reshape(rows, -1)
