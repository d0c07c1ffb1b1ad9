"""Hybrid retrieval over the active index.

Three signals per chunk: dense similarity of the whole chunk, the best dense similarity of any of
its sentences (a second collection), and BM25 over the chunk with its title and headings (bm25s).
Each is standardised (z-score) and the weighted sum ranks the chunks; a query that names a document
("the Jevons essay", "the Sovereignty current") pulls that document up. Score fusion is measured against
reciprocal-rank fusion (`fusion="rrf"`) by `python -m service.evals.compare_fusion` (part of `make tune`);
the learned reranker (rerank.py) then re-orders the first candidates (not those of a ranking by the query adapter's
mapped question, which stands as fused: query_adapter.py; a request around a subject, "tell me about X", is ranked
by its plain embedding).

Chroma is the store of record. An index of up to `in_memory_max_vectors` chunks and sentences is also
held in memory as two matrices and scored there with numpy (exactly, in well under a millisecond); its
pointer is re-read at most once a second, so another process's re-ingest or a store outage is seen
within that time (at once after /readyz found the store down). A larger index is searched with Chroma's
ANN index, two queries per search. Query embeddings go through a QueryBatcher, so concurrent searches
share model calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from functools import partial
from typing import Any, Literal

import anyio.to_thread
import bm25s
import httpx
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN
from chromadb.errors import ChromaError, NotFoundError

from service.corpus.chunking import Chunk, chunk_sentences
from service.corpus.current_parts import is_data_line
from service.errors import IndexNotReadyError, InvalidRequestError, StoreUnavailableError
from service.request_frame import is_request
from service.retrieval.aliases import TERMS_FILE, Aliases
from service.retrieval.embedder import QueryBatcher
from service.retrieval.query_adapter import QueryAdapter
from service.retrieval.rerank import PassageTraits, Reranker, candidate_features
from service.retrieval.store import ActiveIndex, ChromaStore
from service.text import content_words, document_references, singular_acronyms, words_of

_STEMMER = Stemmer.Stemmer("english")
# Words that name a kind of document rather than which one.
_GENERIC_WORDS = [
    "essay",
    "post",
    "article",
    "piece",
    "chapter",
    "booklet",
    "current",
    "section",
    "document",
    "blog",
    "episode",
]
# Question and function words: "How far did the Nasdaq fall?" names neither "How the Currents Interact" nor
# "How to Use This in Practice" (bm25s's English list has only 33 words and keeps these).
_QUESTION_WORDS = (
    "how what which why who whom whose where when whether do does did done can could would should shall may might "
    "must have has had i me my we our you your he she his her its they them their there here about any some all "
    "each every one also just only very so than too not no yes"
).split()


def _tokenized(texts: list[str], **options: Any) -> Any:
    """bm25s's tokens of the texts, each acronym's plural made singular first ("GPUs": "GPU", as words_of reads
    them): how passages are indexed and queries searched alike."""
    return bm25s.tokenize(
        [singular_acronyms(t) for t in texts], stopwords="en", stemmer=_STEMMER, show_progress=False, **options
    )


def _tokens(texts: list[str]) -> list[list[str]]:
    return _tokenized(texts, return_ids=False)


_WORDS = re.compile(r"(?u)\b\w\w+\b").findall  # bm25s.tokenize's default token pattern
_STOPWORDS = frozenset(STOPWORDS_EN)  # its stopwords="en"
_stemmers = threading.local()  # a PyStemmer stemmer must not be shared by threads


def _query_tokens(query: str) -> list[str]:
    """The tokens `_tokens([query])[0]` gives, at a tenth of its cost (no vocabulary built, no progress bars):
    searches tokenize every query."""
    stemmer = getattr(_stemmers, "stemmer", None)
    if stemmer is None:
        stemmer = _stemmers.stemmer = Stemmer.Stemmer("english")
    return stemmer.stemWords([w for w in _WORDS(singular_acronyms(query).lower()) if w not in _STOPWORDS])


#: What a search is kept to: one document (by id), several, or None for the whole corpus.
Documents = str | tuple[str, ...] | None


@dataclass(frozen=True)
class SearchHit:
    chunk: Chunk
    score: float


@dataclass(frozen=True)
class Retrieval:
    """A search's hits with the evidence behind them, for answering and coverage decisions."""

    hits: list[SearchHit]
    query_vector: np.ndarray  # the query's embedding
    best_chunk_similarity: float  # of the embedding itself, which the coverage classifier was fitted on
    best_sentence_similarity: float
    best_lexical_score: float
    adapted_vector: np.ndarray | None = None  # the embedding as the query adapter maps it, when one applies
    plain_hits: list[SearchHit] | None = None  # then, the first passages as the plain embedding ranks them
    lead: str | None = None  # the chunk id of a passage a caller put first on purpose, which an answer quotes first

    def plain(self) -> Retrieval:
        """The search as the plain embedding ranked it, for a mapped one (its first passages, reranked: the very hits a
        search without the map gives); itself otherwise."""
        if self.plain_hits is None:
            return self
        return replace(self, hits=self.plain_hits, adapted_vector=None, plain_hits=None, lead=None)

    @property
    def ranking_vector(self) -> np.ndarray:
        """What passages were ranked with, and answering sentences are chosen with."""
        return self.query_vector if self.adapted_vector is None else self.adapted_vector


@dataclass(frozen=True)
class FusionWeights:
    """How the signals are combined; the defaults were chosen on the golden set's dev split
    (`python -m service.evals.compare_fusion` prints every variant)."""

    dense: float = 0.65  # weight of (chunk similarity + best sentence similarity), standardised
    lexical: float = 0.35  # weight of BM25, standardised
    document: float = 0.6  # pull towards a document the query names, in standard deviations
    sentences: int = 100  # sentence neighbours fetched per query
    max_dense: int = 1000  # chunk neighbours fetched per query (all of them in a small corpus)
    fusion: Literal["zscore", "rrf"] = "zscore"  # how signals are combined: standardised scores, or reciprocal ranks
    rrf_k: int = 60  # reciprocal-rank fusion's constant (Cormack et al. 2009)


class HybridRetriever:
    """Serves searches from the active index; `load()` (re)reads it from the store."""

    def __init__(
        self,
        store: ChromaStore,
        embedder,
        weights: FusionWeights | None = None,
        *,
        in_memory_max_vectors: int = 20_000,
        query_batch_size: int = 16,
        pointer_check_s: float = 1.0,
        reranker: Reranker | None = None,
        query_models: int = 1,
        query_cache_size: int = 0,
        aliases: Aliases | None = None,
        terms: Aliases | None = None,
        adapter: QueryAdapter | None = None,
    ):
        self._store = store
        #: Maps a query's embedding before passages are ranked with it (query_adapter.py); none: used as it is.
        self.adapter = adapter if adapter is not None else QueryAdapter(enabled=False, embedding_model="")
        #: Other names of the corpus's companies, added to a query before it is searched (aliases.py).
        self.aliases = aliases if aliases is not None else Aliases.load()
        #: Everyday names of the corpus's terms, added alike (terms.yaml).
        self.terms = terms if terms is not None else Aliases.load(TERMS_FILE)
        self._embedder = embedder
        # More than one model instance embeds queries side by side (each on its own thread), when the embedder
        # can make replicas of itself.
        replicas = [embedder.replica() for _ in range(query_models - 1)] if hasattr(embedder, "replica") else []
        self._queries = QueryBatcher(embedder, query_batch_size, replicas=replicas, cache_size=query_cache_size)
        self.weights = weights or FusionWeights()
        self.reranker = reranker
        self.in_memory_max_vectors = in_memory_max_vectors
        self._lock = threading.Lock()
        self._state: _LoadedIndex | None = None
        # The two Chroma queries of a search run side by side (Chroma's core releases the GIL).
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dense")
        # An in-memory search reads the store's pointer when the last read is older than this, or failed.
        self.pointer_check_s = pointer_check_s
        self._checked_at = -float("inf")
        self._check_lock = threading.Lock()
        self._check: Future | None = None

    @property
    def ready(self) -> bool:
        return self._state is not None

    @property
    def active(self) -> ActiveIndex | None:
        return self._state.active if self._state else None

    @property
    def chunks(self) -> list[Chunk]:
        return self._require().chunks

    @property
    def in_memory(self) -> bool:
        """Whether searches are scored in memory (else by Chroma's ANN index)."""
        state = self._state
        return state is not None and state.vectors is not None

    @property
    def query_batcher(self) -> QueryBatcher:
        return self._queries

    def load(self) -> None:
        """Read the active collection and build the lexical indexes (and, if small enough, the dense matrices)."""
        started = time.monotonic()
        active = self._store.active()
        if active is None:
            raise IndexNotReadyError("No index has been built yet: run `strategy-assistant ingest`.")
        collection = self._store.collection(active.collection)
        sentences = self._store.collection(active.sentence_collection)
        sentence_count = sentences.count()
        if active.chunk_count + sentence_count <= self.in_memory_max_vectors:
            chunks, chunk_matrix = ChromaStore.read_chunks_with_embeddings(collection)
            state = _LoadedIndex(active, collection, sentences, chunks, sentence_count)
            state.vectors = _Vectors(state, chunk_matrix, *ChromaStore.read_records(sentences))
        else:
            state = _LoadedIndex(active, collection, sentences, ChromaStore.read_chunks(collection), sentence_count)
        with self._lock:
            self._state = state
            self._checked_at = started

    def documents(self) -> dict[str, str]:
        """Document id -> title, for the documents in the index."""
        return {c.document_id: c.document_title for c in self._require().chunks}

    def currents(self) -> list[str]:
        return sorted({c.current for c in self._require().chunks if c.current})

    def currents_of(self, documents: Iterable[str]) -> set[str]:
        """The currents the documents are the chapters of."""
        wanted = set(documents)
        return {c.current for c in self._require().chunks if c.current and c.document_id in wanted}

    def _require(self) -> _LoadedIndex:
        state = self._state
        if state is None:
            raise IndexNotReadyError(
                "The index is still loading; retry in a few seconds.", headers={"Retry-After": "2"}
            )
        return state

    def search(
        self, query: str, top_k: int = 5, *, document: str | None = None, current: str | None = None
    ) -> list[SearchHit]:
        return self.retrieve(query, top_k, document=document, current=current).hits

    async def asearch(
        self, query: str, top_k: int = 5, *, document: str | None = None, current: str | None = None
    ) -> list[SearchHit]:
        """`search` for the event loop. From memory, the loop waits for the query's embedding without holding
        a thread and then scores in place (half a millisecond of numpy and BM25): a search thread per
        request, woken with the GIL contended by 16 others at the end of each batch, cost about a sixth of
        the throughput at 32 clients. Work that blocks (Chroma queries, a due pointer read) runs in a thread,
        and one pointer read serves every search that finds it due."""
        state = self._require()
        adapt = not is_request(query)  # as `retrieve` decides
        query = self.expand(query)
        if state.vectors is None:
            return (
                await anyio.to_thread.run_sync(
                    partial(self._retrieve_expanded, query, top_k, document, current, adapt=adapt)
                )
            ).hits
        state.filter_mask(document, current)  # a bad filter fails before any embedding work
        vector = await asyncio.wrap_future(self._queries.submit(query))
        retrieve = partial(self._retrieve_expanded, query, top_k, document, current, vector, adapt)
        if self._pointer_read_due():
            # A batch of searches finds the read due at once: one of them reads in a thread, the others wait
            # for that read without a thread each.
            check, mine = self._pointer_check()
            if mine:
                await anyio.to_thread.run_sync(self._read_pointer, check)
            with contextlib.suppress(Exception):  # a failed read is reported below
                await asyncio.wrap_future(check)
            if self._pointer_read_due():  # the read failed: the blocking path reads again and reports why
                return (await anyio.to_thread.run_sync(retrieve)).hits
        return retrieve().hits

    def retrieve(
        self,
        query: str,
        top_k: int = 5,
        *,
        document: Documents = None,
        current: str | None = None,
        vector: np.ndarray | None = None,
        adapt: bool | None = None,
    ) -> Retrieval:
        """The top_k passages; `vector` is the query's embedding when the caller already has it (of the query
        as `expand` expands it). `adapt`: whether the query adapter's map (when on) ranks them; by default, unless the
        query is a request around a subject ("tell me about midjourney", request_frame.py), which its plain embedding
        ranks: fitted on questions, the map brings requests nothing (README, "Search")."""
        adapt = not is_request(query) if adapt is None else adapt
        return self._retrieve_expanded(self.expand(query), top_k, document, current, vector, adapt)

    def expand(self, query: str) -> str:
        """The query as it is searched: with the companies it calls by another name and the terms it calls by an
        everyday one added ("… (Google)", "… (GPUs)")."""
        return self.terms.expand(self.aliases.expand(query))

    def _retrieve_expanded(
        self,
        query: str,
        top_k: int,
        document: Documents,
        current: str | None,
        vector: np.ndarray | None = None,
        adapt: bool = True,
    ) -> Retrieval:
        """`retrieve` for a query `aliases` has expanded already (asearch embeds the expanded query first)."""
        try:
            try:
                return self._retrieve(query, top_k, document, current, vector, adapt)
            except NotFoundError:
                # Another process re-ingested and dropped the build we were reading: follow the pointer, once.
                self.load()
                return self._retrieve(query, top_k, document, current, vector, adapt)
        except (httpx.HTTPError, ConnectionError, ChromaError) as exc:
            if isinstance(exc, NotFoundError):
                raise
            raise StoreUnavailableError(
                f"The vector store cannot be reached ({type(exc).__name__}); /readyz reports it. Retry shortly.",
                headers={"Retry-After": "5"},
            ) from exc

    def _retrieve(
        self,
        query: str,
        top_k: int,
        document: Documents,
        current: str | None,
        vector: np.ndarray | None = None,
        adapt: bool = True,
    ) -> Retrieval:
        state = self._require()
        allowed = state.filter_mask(document, current)  # a bad filter fails before any embedding work
        weights = self.weights
        if state.vectors is not None:
            if vector is None:
                vector = self._queries.embed(query)
            # Nothing below touches the store, so ask it (now and then) whether this build still serves and
            # whether it is reachable. After the embedding, not beside it: other work on these 2 cores while
            # torch runs stalls its threads.
            state = self._checked_state()
            if state.vectors is not None:
                allowed = state.filter_mask(document, current)
                ranking = self.adapter.adapt(vector) if adapt else vector
                plain = _Similarities.of(state.vectors, vector, weights, allowed)
                adapted = plain if ranking is vector else _Similarities.of(state.vectors, ranking, weights, allowed)
                return self._fuse(state, query, top_k, allowed, vector, ranking, adapted, plain)
            allowed = state.filter_mask(document, current)  # the new build is too large to hold in memory
        if vector is None:
            vector = self._queries.embed(query)
        ranking = self.adapter.adapt(vector) if adapt else vector
        where = _where(document, state.current_name(current) if current else None)
        queries = [vector] if ranking is vector else [vector, ranking]
        sentence_future = self._pool.submit(state.sentence_scores, queries, weights.sentences, allowed)
        chunk_similarity = state.dense_scores(queries, weights.max_dense, where)
        sentence_similarity = sentence_future.result()
        plain = _Similarities(chunk_similarity[0], sentence_similarity[0])
        adapted = plain if ranking is vector else _Similarities(chunk_similarity[-1], sentence_similarity[-1])
        return self._fuse(state, query, top_k, allowed, vector, ranking, adapted, plain)

    def _checked_state(self) -> _LoadedIndex:
        """The index to serve from. The store's pointer is read again when the last read is older than
        pointer_check_s or the store was found unreachable (by a search or by /readyz): another process may
        have re-ingested, or the store may be down. A read costs 0.2-0.9 ms, as much as all the scoring, so
        not every search pays it; one read serves every search that arrives while it is under way."""
        if not self._pointer_read_due():
            return self._require()
        check, mine = self._pointer_check()
        if mine:
            self._read_pointer(check)
        return check.result()

    def _pointer_check(self) -> tuple[Future, bool]:
        """The pointer read under way, or a new one that the caller must run (then True) with _read_pointer."""
        with self._check_lock:
            check, mine = self._check, self._check is None
            if check is None:
                check = self._check = Future()
            return check, mine

    def _read_pointer(self, check: Future) -> None:
        """Read the pointer (loading the build it names if that changed); every search waiting on `check` gets
        the index to serve from, or the error."""
        try:
            started = time.monotonic()
            state = self._follow_pointer()
            self._checked_at = started  # before the waiters wake: they must find the read done
            check.set_result(state)
        except BaseException as exc:  # the searches waiting on this read fail as this one does
            check.set_exception(exc)
        finally:
            with self._check_lock:
                self._check = None

    def _pointer_read_due(self) -> bool:
        return self._store.unreachable or time.monotonic() - self._checked_at >= self.pointer_check_s

    def _follow_pointer(self) -> _LoadedIndex:
        """The index to serve from: the loaded one, or the build the pointer names now (loaded here)."""
        state = self._require()
        if self._store.active() != state.active:
            self.load()
        return self._require()

    def _fuse(
        self,
        state: _LoadedIndex,
        query: str,
        top_k: int,
        allowed: np.ndarray,
        vector: np.ndarray,
        ranking: np.ndarray,
        adapted: _Similarities,
        plain: _Similarities,
    ) -> Retrieval:
        """The passages ranked by the question's similarities, `adapted` (those of `ranking`, the mapped question, when
        a map applies; else `plain` itself). A mapped retrieval carries what the coverage classifier was fitted on too,
        the plain similarities' best and the first passages of the plain ranking, for a caller that judges coverage on
        it (the answering service judges on a plain search of its own, rules and all)."""
        mapped = ranking is not vector
        tokens = _query_tokens(query)
        lexical = state.lexical_scores(tokens)
        affinity = state.document_affinity(tokens, query)
        # The reranker was fitted to the plain similarities: over the mapped ones it re-orders worse than their fused
        # order (README, "Search"), so a mapped ranking stands as fused; the plain one is reranked as before.
        order, scores = self._ranked(state, query, tokens, allowed, adapted, lexical, affinity, rerank=not mapped)
        plain_hits = None
        if mapped:
            plain_order, plain_scores = self._ranked(state, query, tokens, allowed, plain, lexical, affinity)
            plain_hits = [SearchHit(state.chunks[i], float(plain_scores[i])) for i in plain_order[:top_k]]
        return Retrieval(
            hits=[SearchHit(state.chunks[i], float(scores[i])) for i in order[:top_k]],
            query_vector=vector,
            best_chunk_similarity=float(plain.chunk[allowed].max(initial=0.0)),
            best_sentence_similarity=float(plain.sentence[allowed].max(initial=0.0)),
            best_lexical_score=float(lexical[allowed].max(initial=0.0)),
            adapted_vector=ranking if mapped else None,
            plain_hits=plain_hits,
        )

    def _ranked(
        self,
        state: _LoadedIndex,
        query: str,
        tokens: list[str],
        allowed: np.ndarray,
        similarity: _Similarities,
        lexical: np.ndarray,
        affinity: np.ndarray,
        *,
        rerank: bool = True,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Every allowed chunk in fused (then, with `rerank`, reranked) order, and the scores it is ordered by."""
        weights = self.weights
        dense = similarity.chunk + similarity.sentence
        if weights.fusion == "rrf":
            fused = weights.dense * _reciprocal_ranks(
                dense, allowed, weights.rrf_k
            ) + weights.lexical * _reciprocal_ranks(lexical, allowed, weights.rrf_k)
            if weights.document:
                fused += weights.document * affinity / (weights.rrf_k + 1)  # a named document counts as a first rank
        else:
            fused = weights.dense * _standardise(dense, allowed) + weights.lexical * _standardise(lexical, allowed)
            if weights.document:
                fused += weights.document * affinity
        fused = np.where(allowed, fused, -np.inf)
        order = np.argsort(-fused, kind="stable")
        order = order[np.isfinite(fused[order])]
        scores = fused
        if rerank and self.reranker is not None and self.reranker.enabled and len(order) > 1:
            candidates = order[: self.reranker.config.candidates]
            features = candidate_features(
                query, tokens, state.traits, candidates, similarity.chunk, similarity.sentence, lexical, affinity, fused
            )
            order, scores = _reranked(order, candidates, self.reranker.scores(features), fused)
        return order, scores

    def named_documents(self, query: str, minimum_share: float = 0.6, minimum_score: float = 2.0) -> list[str]:
        """Documents the query names ("the Jevons essay and the Sovereignty chapter"), best first."""
        return self._require().named_documents(query, minimum_share, minimum_score)

    def spelled_documents(self, query: str) -> list[str]:
        """Documents whose full title or current name the query spells ("the Sovereignty current", "the Trigger
        Drill"), less one spelled only inside another document's longer title."""
        state = self._require()
        return [state._doc_order[i] for i in state._spelled_names(query)[1]]

    def document_called(self, reference: str) -> str | None:
        """The one document a reference names as a whole, or None: by words of its title, file name, publication or
        current ("the Jevons essay", "the podcast", "the Sovereignty current"), or by its kind alone when that kind
        is one document's, or chapters of one work, named by the first ("the digest"; "the booklet": its
        introduction). "The essay" names none of the many essays."""
        return self._require().document_called(reference)

    def documents_called(self, reference: str) -> tuple[str, ...]:
        """Every document a reference names as a whole: the one `document_called` gives, or, when that is the first
        chapter of a work and the reference calls the work ("the booklet", "the scenario planning booklet"; not "the
        booklet's introduction"), all its chapters in order; none when it names none."""
        return self._require().documents_called(reference)

    def sentence_vectors(self, chunk: Chunk) -> list[tuple[str, np.ndarray]]:
        """The indexed sentences of a chunk with their embeddings, in order."""
        return self.sentence_vectors_of([chunk])[chunk.id]

    def sentence_vectors_of(self, chunks: list[Chunk]) -> dict[str, list[tuple[str, np.ndarray]]]:
        """Per chunk id, its indexed sentences with their embeddings, in order (one store read for all)."""
        state = self._require()
        wanted = {c.id: [f"{c.id}/{n}" for n in range(len(chunk_sentences(c.text)))] for c in chunks}
        ids = [i for chunk_ids in wanted.values() for i in chunk_ids]
        if not ids:
            return {c.id: [] for c in chunks}
        if state.vectors is not None:
            by_id = state.vectors.sentences_by_id(ids)
        else:
            data = state.sentences.get(ids=ids, include=["documents", "embeddings"])
            by_id = {
                i: (d, np.asarray(e, dtype=np.float32))
                for i, d, e in zip(data["ids"], data["documents"], data["embeddings"], strict=True)
            }
        return {chunk_id: [by_id[i] for i in chunk_ids if i in by_id] for chunk_id, chunk_ids in wanted.items()}

    def embed(self, text: str) -> np.ndarray:
        """The embedding of a text, as queries are embedded."""
        return self._queries.embed(text)

    def embed_many(self, texts: list[str]) -> np.ndarray:
        """The embeddings of texts, as queries are embedded (together, and from the query cache)."""
        return self._queries.embed_many(texts)

    def opening_chunk(self, document: str) -> Chunk | None:
        """The first chunk of a document (its opening text)."""
        state = self._require()
        index = int(np.searchsorted(state.document_ids, document))
        return (
            state.chunks[index] if index < len(state.chunks) and state.chunks[index].document_id == document else None
        )

    def section_openings(self, document: str) -> list[Chunk]:
        """The first chunk of each section of a document, in document order."""
        state = self._require()
        start = int(np.searchsorted(state.document_ids, document))
        openings: dict[str, Chunk] = {}
        for chunk in state.chunks[start:]:
            if chunk.document_id != document:
                break
            openings.setdefault(chunk.section_path, chunk)
        return list(openings.values())

    def closing_section(self, document: str) -> list[Chunk]:
        """The chunks of the section a document concludes in, in order: the one whose heading says so ("Conclusion:
        The Efficiency Trap", "### Final thoughts"; scenarios and lessons may follow it), else its last top-level
        section when that opens with prose (a summary list or appendix is no conclusion), is not its only one and is
        not headed by the title's words (a box about the series). A chapter of the booklet closes with what each
        current carries after its argument (its trigger list, its role and data lines): its conclusion is the last
        section before them that opens with prose ("What this means for EU enterprises").
        Empty for a document with neither."""
        state = self._require()
        start = int(np.searchsorted(state.document_ids, document))
        chunks = []
        for chunk in state.chunks[start:]:
            if chunk.document_id != document:
                break
            if chunk.section_path:
                chunks.append(chunk)
        if chunks and "chapter" in chunks[0].kind.split():
            chunks = _without_closing_apparatus(chunks)
        for chunk in chunks:
            path = chunk.section_path.split(" › ")
            level = next((n for n, heading in enumerate(path) if _CONCLUSION_HEADING.match(heading)), None)
            if level is not None:
                prefix = path[: level + 1]
                return [c for c in chunks if c.section_path.split(" › ")[: level + 1] == prefix]
        sections = _top_level_sections(chunks)
        heading = list(sections)[-1] if len(sections) >= 2 else ""
        last = sections.get(heading, [])
        # a section headed by the title's own words is a box about the document or its series, not its conclusion
        about_itself = bool(last) and content_words(heading) <= content_words(last[0].document_title)
        return last if last and not about_itself and _opens_with_prose(last[0].text) else []

    def neighbour(self, chunk: Chunk, step: int) -> Chunk | None:
        """The chunk `step` places after (or before) this one in its document, if any."""
        state = self._require()
        position = state.position.get(chunk.id)
        if position is None or not 0 <= position + step < len(state.chunks):
            return None
        other = state.chunks[position + step]
        return other if other.document_id == chunk.document_id else None


def _reranked(
    order: np.ndarray, candidates: np.ndarray, model_scores: np.ndarray, fused: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The candidates in the model's order, then the rest in fused order; scores that fall with the rank
    (the model's for the candidates, below the lowest of them for the rest)."""
    ranked = np.argsort(-model_scores, kind="stable")
    rest = order[len(candidates) :]
    scores = np.full(len(fused), -np.inf)
    scores[candidates] = model_scores
    if len(rest):
        scores[rest] = model_scores.min() - 1.0 - (fused[rest[0]] - fused[rest])
    return np.concatenate([candidates[ranked], rest]), scores


def _reciprocal_ranks(scores: np.ndarray, allowed: np.ndarray, k: int) -> np.ndarray:
    """1 / (k + rank) of each chunk by one signal, ranks counted over the chunks a search may return."""
    order = np.argsort(-np.where(allowed, scores, -np.inf), kind="stable")
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    return 1.0 / (k + ranks)


def _standardise(scores: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """z-scores over the chunks a search may return, so signals on different scales can be added."""
    if allowed.sum() < 2:
        return np.zeros_like(scores)
    values = scores[allowed]
    return (scores - values.mean()) / (values.std() + 1e-9)


class _LoadedIndex:
    """The in-memory view of one active collection: chunks, BM25 over chunks and over document names."""

    def __init__(self, active: ActiveIndex, collection, sentences, chunks: list[Chunk], sentence_count: int):
        # Chunks in document order; read_order[i] is where chunk i was in the store's read (its matrix row).
        self.read_order = sorted(range(len(chunks)), key=lambda i: (chunks[i].document_id, chunks[i].ordinal))
        chunks = [chunks[i] for i in self.read_order]
        self.active = active
        self.collection = collection
        self.sentences = sentences
        self.sentence_count = sentence_count
        self.vectors: _Vectors | None = None  # the dense matrices, when the index is held in memory
        self.chunks = chunks
        self.position = {c.id: i for i, c in enumerate(chunks)}
        self.document_ids = np.array([c.document_id for c in chunks])
        self.current_names = np.array([(c.current or "").lower() for c in chunks])
        # Chroma's where clause matches case-sensitively: filters use the name as stored.
        # A current is named as the checklists name it: by name (any case), number or document id.
        self.current_display: dict[str, str] = {}
        for c in chunks:
            if c.current:
                for key in (c.current.lower(), c.document_id.lower(), str(c.current_number or "")):
                    if key:
                        self.current_display.setdefault(key, c.current)
        self._bm25 = bm25s.BM25()
        self._bm25.index(_tokenized([c.embedded_text for c in chunks]), show_progress=False)
        self.traits = PassageTraits.of(chunks, _tokens)
        firsts: dict[str, Chunk] = {}  # per document, its first chunk: what names it
        for c in chunks:
            firsts.setdefault(c.document_id, c)
        self._doc_order = sorted(firsts)
        name_tokens = _tokens([_document_names(firsts[d]) for d in self._doc_order])
        self._doc_bm25 = bm25s.BM25()
        self._doc_bm25.index(name_tokens, show_progress=False)
        self._doc_position = {d: i for i, d in enumerate(self._doc_order)}
        self._name_stems = [frozenset(t) for t in name_tokens]
        self._name_words = [frozenset(words_of(_document_names(firsts[d]))) for d in self._doc_order]
        # Words in the names of half the documents or more ("ai"): they tell no document from another.
        name_counts = Counter(t for names in self._name_stems for t in names)
        self._common_name_stems = {t for t, n in name_counts.items() if n >= len(self._name_stems) / 2}
        self._doc_kinds = [firsts[d].kind for d in self._doc_order]
        self._name_patterns = [_name_pattern(firsts[d]) for d in self._doc_order]
        self._title_tokens = [_query_tokens(firsts[d].document_title) for d in self._doc_order]
        self._chunk_doc_index = np.array([self._doc_position[c.document_id] for c in chunks])

    def current_name(self, current: str) -> str:
        """The stored name of a current given by name (any case), number or document id; an unknown one lists the
        valid names."""
        wanted = current.strip().lower()
        if wanted not in self.current_display:
            valid = sorted(set(self.current_display.values()))
            raise InvalidRequestError(
                f"Unknown current {current!r}. Valid currents: {', '.join(valid)}.", details={"valid_currents": valid}
            )
        return self.current_display[wanted]

    def filter_mask(self, document: Documents, current: str | None) -> np.ndarray:
        mask = np.ones(len(self.chunks), dtype=bool)
        if document:
            documents = (document,) if isinstance(document, str) else document
            for one in documents:
                if one not in self._doc_position:
                    raise InvalidRequestError(
                        f"Unknown document {one!r}.", details={"valid_documents": self._doc_order}
                    )
            mask &= np.isin(self.document_ids, documents)
        if current:
            mask &= self.current_names == self.current_name(current).lower()
        return mask

    def dense_scores(self, vectors: list[np.ndarray], n: int, where: dict | None) -> list[np.ndarray]:
        """Per query vector (one Chroma query for all), cosine similarity to each chunk; chunks beyond the n nearest
        get the n-th score."""
        result = self.collection.query(
            query_embeddings=vectors, n_results=min(n, len(self.chunks)), where=where, include=["distances"]
        )
        return [
            self._scatter(ids, 1.0 - np.asarray(distances, dtype=np.float64))
            for ids, distances in zip(result["ids"], result["distances"], strict=True)
        ]

    def sentence_scores(self, vectors: list[np.ndarray], n: int, allowed: np.ndarray) -> list[np.ndarray]:
        """Per query vector and chunk, the best similarity of one of its sentences among the n nearest sentences."""
        if self.sentence_count == 0:
            return [np.zeros(len(self.chunks)) for _ in vectors]
        result = self.sentences.query(
            query_embeddings=vectors, n_results=min(n, self.sentence_count), include=["distances"]
        )
        return [
            self._scatter([i.rsplit("/", 1)[0] for i in ids], 1.0 - np.asarray(distances, dtype=np.float64))
            for ids, distances in zip(result["ids"], result["distances"], strict=True)
        ]

    def _scatter(self, ids: list[str], scores: np.ndarray) -> np.ndarray:
        """Best score per chunk from a nearest-neighbour list; the rest get the list's lowest score."""
        if len(scores) == 0:
            return np.zeros(len(self.chunks))
        out = np.full(len(self.chunks), float(scores.min()))
        for chunk_id, score in zip(ids, scores, strict=True):
            position = self.position.get(chunk_id)
            if position is not None and score > out[position]:
                out[position] = score
        return out

    def lexical_scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 of each chunk for the query's tokens (see _tokens)."""
        if not tokens:
            return np.zeros(len(self.chunks))
        return np.asarray(self._bm25.get_scores(tokens), dtype=np.float64)

    def _document_scores(self, tokens: list[str]) -> np.ndarray:
        tokens = [t for t in tokens if t not in _GENERIC_STEMS and t not in _QUESTION_STEMS]
        if not tokens:
            return np.zeros(len(self._doc_order))
        return np.asarray(self._doc_bm25.get_scores(tokens), dtype=np.float64)

    def named_documents(self, query: str, minimum_share: float, minimum_score: float) -> list[str]:
        scores = self._document_scores(_query_tokens(query))
        matches, spelled, inside = self._spelled_names(query)
        # A reference to one by words of its names names it ("the Jevons essay", "per the flywheel piece"), never
        # vetoed; by its kind alone ("the booklet") it names none of the booklet's chapters.
        referred = [
            self._doc_position[d]
            for reference in document_references(query, determined=True)
            if _name_words(reference) and (d := self.document_called(reference)) is not None
        ]
        spelled += referred
        inside -= set(referred)
        borrowing = self._borrowing(query, spelled, matches)
        top = scores.max(initial=0.0)
        order = sorted(range(len(scores)), key=lambda i: (i not in spelled, -scores[i]))
        return [
            self._doc_order[i]
            for i in order
            if i not in inside
            and (
                i in spelled
                or (
                    top >= minimum_score and scores[i] >= max(minimum_score, minimum_share * top) and i not in borrowing
                )
            )
        ][:3]

    def _spelled_names(self, query: str) -> tuple[dict[int, list[re.Match[str]]], list[int], set[int]]:
        """Where the query spells each document's full title or current name, the documents it names so, and those
        whose name it spells only inside another document's longer title."""
        # A title or current name given in full ("the Sovereignty current") names its document even when
        # BM25 scores a one-word name low ...
        matches = {i: list(p.finditer(query)) for i, p in enumerate(self._name_patterns) if p is not None}
        # ... unless every time it is part of another document's longer title spelled there ("the AI Monetization
        # Efficiency Revolution" spells the Efficiency Revolution current's name and names the essay, not the current).
        inside = {
            i for i, found in matches.items() if found and all(self._inside_longer_title(i, query, m) for m in found)
        }
        return matches, [i for i, found in matches.items() if found and i not in inside], inside

    def _borrowing(self, query: str, spelled: list[int], matches: dict[int, list[re.Match[str]]]) -> set[int]:
        """Documents whose names the query matches only through the words of another document's name spelled in
        full: "the Efficiency Revolution" spells the current's name, not "The AI Monetization Efficiency Revolution"
        (which "the monetization efficiency revolution" names through "monetization", and "the Efficiency
        Revolution essay" through its kind)."""
        spelled_words = {t for i in spelled for m in matches.get(i, ()) for t in _query_tokens(m.group(0))}
        if not spelled_words:
            return set()
        asked = set(_name_words(query)) - self._common_name_stems
        kinds = set(words_of(query.lower()))
        return {
            i
            for i, names in enumerate(self._name_stems)
            if i not in spelled
            and asked & names
            and (asked & names) <= spelled_words
            and not kinds & set(self._doc_kinds[i].split())
        }

    def _inside_longer_title(self, i: int, query: str, match: re.Match[str]) -> bool:
        """Whether this spelling of document i's name, with the word right before or after it (a space or hyphen apart), is
        spelled in another document's title, in order: "Monetization Efficiency Revolution" is in "The AI
        Monetization Efficiency Revolution"; "Efficiency Revolution AI's" and "AI Efficiency Revolution" are not."""
        before = re.search(r"([\w’']+)[\s-]+$", query[: match.start()])
        after = re.match(r"[\s-]+([\w’']+)", query[match.end() :])
        name = _query_tokens(match.group(0))
        for extended in (
            _query_tokens(before.group(1)) + name if before else [],
            name + _query_tokens(after.group(1)) if after else [],
        ):
            if len(extended) > len(name) and any(
                j != i and _contains_run(title, extended) for j, title in enumerate(self._title_tokens)
            ):
                return True
        return False

    def document_called(self, reference: str) -> str | None:
        tokens = _name_words(reference)
        asked = set(words_of(reference))
        if tokens:
            # A capitalised compound of stop words is a name all the same: "the All-In podcast" is not the podcast
            # digest, though "all" and "in" are no tokens.
            proper = {
                w
                for compound in re.findall(r"\b[A-Z][\w’']*(?:-[\w’']+)+", reference)
                if not _name_words(compound)
                for w in words_of(compound)
            }
            found = [
                i
                for i, names in enumerate(self._name_stems)
                if names.issuperset(tokens) and proper <= self._name_words[i]
            ]
            # One word that is no document word ("Meta", "compute", "OpenAI") names a subject, not a document.
            says_document = bool(asked & _DOCUMENT_WORDS) or len(set(tokens)) >= 2
            spelled = [i for i in found if (p := self._name_patterns[i]) is not None and p.search(reference)]
            if len(spelled) == 1:
                return self._doc_order[spelled[0]]
            return self._one_of(found) if says_document else None
        kinds = {k for k in self._doc_kinds if asked & set(k.lower().split())}
        if len(kinds) != 1:
            return None
        kind = kinds.pop()
        return self._one_of([i for i, k in enumerate(self._doc_kinds) if k == kind])

    def documents_called(self, reference: str) -> tuple[str, ...]:
        document = self.document_called(reference)
        if document is None:
            return ()
        kind = self._doc_kinds[self._doc_position[document]]
        chapters = tuple(d for d, k in zip(self._doc_order, self._doc_kinds, strict=True) if k == kind)
        asked = set(words_of(reference))
        work = set(kind.lower().split()) - {"chapter"}  # "booklet"
        if "chapter" in kind.split() and document == chapters[0] and asked & work and not asked & _PART_WORDS:
            return chapters
        return (document,)

    def _one_of(self, found: list[int]) -> str | None:
        """The document of these (index positions), when they are one, or chapters of one work (named by the first
        chapter); None when they are several documents ("the paradox essay": three)."""
        if len(found) == 1 or (found and all("chapter" in self._doc_kinds[i].split() for i in found)):
            return self._doc_order[min(found)]
        return None

    def document_affinity(self, tokens: list[str], query: str = "") -> np.ndarray:
        """Per chunk, how strongly the query (its tokens) names the chunk's document (0..1); none for a document
        it matches only through another document's name spelled whole (`_borrowing`)."""
        scores = self._document_scores(tokens)
        if query:
            matches, spelled, _ = self._spelled_names(query)
            scores[list(self._borrowing(query, spelled, matches))] = 0.0
        top = scores.max(initial=0.0)
        if top <= 0:
            return np.zeros(len(self.chunks))
        return (scores / top)[self._chunk_doc_index]


@dataclass(frozen=True)
class _Similarities:
    """A query vector's similarity to each chunk, whole and by its best sentence."""

    chunk: np.ndarray
    sentence: np.ndarray

    @classmethod
    def of(cls, vectors: _Vectors, vector: np.ndarray, weights: FusionWeights, allowed: np.ndarray) -> _Similarities:
        return cls(
            vectors.chunk_scores(vector, weights.max_dense, allowed), vectors.sentence_scores(vector, weights.sentences)
        )


class _Vectors:
    """The dense side of a small index, in memory: one matrix of chunk embeddings (in the index's chunk
    order) and one of sentence embeddings grouped by chunk. Scores mirror what the Chroma queries return,
    computed exactly: the same similarities, the same cut at the n nearest."""

    def __init__(
        self,
        state: _LoadedIndex,
        chunk_matrix: np.ndarray,
        sentence_ids: list[str],
        sentence_texts: list[str],
        sentence_matrix: np.ndarray,
    ):
        self.chunk_matrix = _frozen(
            chunk_matrix[state.read_order] if len(state.chunks) else np.zeros((0, 0), np.float32)
        )
        owners, ordinals = [], []
        for sentence_id in sentence_ids:
            chunk_id, _, n = sentence_id.rpartition("/")
            owners.append(state.position.get(chunk_id, -1))
            ordinals.append(int(n) if n.isdigit() else 0)
        owner = np.asarray(owners, dtype=np.int64)
        # Rows grouped by chunk, so one reduceat gives each chunk its best sentence; a sentence of no
        # known chunk cannot be scattered to one and is left out.
        rows = np.lexsort((np.asarray(ordinals, dtype=np.int64), owner)) if len(owner) else np.zeros(0, dtype=np.int64)
        rows = rows[owner[rows] >= 0]
        owner = owner[rows]
        self.sentence_matrix = _frozen(sentence_matrix[rows] if len(rows) else np.zeros((0, 0), np.float32))
        self.sentence_texts = [sentence_texts[i] for i in rows]
        self.sentence_row = {sentence_ids[i]: row for row, i in enumerate(rows)}
        self._segment_starts = (
            np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]]) if len(owner) else np.zeros(0, dtype=np.int64)
        )
        self._segment_owner = owner[self._segment_starts]
        self._chunk_count = len(state.chunks)

    @property
    def size(self) -> int:
        return len(self.chunk_matrix) + len(self.sentence_matrix)

    def chunk_scores(self, vector: np.ndarray, n: int, allowed: np.ndarray) -> np.ndarray:
        """Cosine similarity of the query to each chunk; chunks beyond the n nearest allowed ones get the n-th score."""
        if not allowed.any():
            return np.zeros(self._chunk_count)
        similarity = _dot(self.chunk_matrix, vector)
        nth = _nth_largest(similarity[allowed], n)
        out = np.maximum(similarity, nth)
        out[~allowed] = nth
        return out

    def sentence_scores(self, vector: np.ndarray, n: int) -> np.ndarray:
        """Per chunk, the best similarity of one of its sentences among the query's n nearest sentences."""
        if len(self.sentence_matrix) == 0:
            return np.zeros(self._chunk_count)
        similarity = _dot(self.sentence_matrix, vector)
        best = np.full(self._chunk_count, -np.inf)
        best[self._segment_owner] = np.maximum.reduceat(similarity, self._segment_starts)
        # A chunk with no sentence among the n nearest gets the n-th score, as the Chroma query's list gives it.
        return np.maximum(best, _nth_largest(similarity, n))

    def sentences_by_id(self, ids: list[str]) -> dict[str, tuple[str, np.ndarray]]:
        """Text and embedding of each known sentence id."""
        rows = ((i, self.sentence_row.get(i)) for i in ids)
        return {i: (self.sentence_texts[row], self.sentence_matrix[row]) for i, row in rows if row is not None}


def _dot(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector, as float64. einsum rather than BLAS: for a few thousand rows OpenBLAS splits the work
    over threads, and on busy cores (the model embedding next to it) that took 1-4 ms instead of 0.2."""
    return np.einsum("ij,j->i", matrix, np.asarray(vector, dtype=np.float32)).astype(np.float64)


def _nth_largest(values: np.ndarray, n: int) -> float:
    """The n-th largest value (the smallest of all when there are fewer than n)."""
    n = max(1, min(n, len(values)))
    return float(np.partition(values, len(values) - n)[len(values) - n])


def _frozen(matrix: np.ndarray) -> np.ndarray:
    """A contiguous float32 matrix nobody can write to: rows are handed out as sentence vectors."""
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    matrix.flags.writeable = False
    return matrix


#: A section heading that says the document concludes there ("Conclusion: The Efficiency Trap", "Key Takeaways").
_CONCLUSION_HEADING = re.compile(
    r"^\s*(?:(?:in\s+)?conclusions?|concluding\s+(?:thoughts?|remarks)|(?:the\s+)?bottom\s+line|final\s+(?:thoughts?|"
    r"words?)|(?:key\s+)?takeaways|summary|wrapping\s+up)\b",
    re.IGNORECASE,
)


def _top_level_sections(chunks: list[Chunk]) -> dict[str, list[Chunk]]:
    """The chunks by the top-level heading of their section, in order."""
    sections: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        sections.setdefault(chunk.section_path.split(" › ")[0], []).append(chunk)
    return sections


def _without_closing_apparatus(chunks: list[Chunk]) -> list[Chunk]:
    """A chapter's chunks less the sections at its end that open with no prose: a list, or a "Data: ..." line."""
    sections = _top_level_sections(chunks)
    headings = list(sections)
    while headings and (
        not _opens_with_prose(first := sections[headings[-1]][0].text) or is_data_line(first.lstrip().split("\n")[0])
    ):
        headings.pop()
    return [c for heading in headings for c in sections[heading]]


def _opens_with_prose(text: str) -> bool:
    """The text's first line is a sentence: not a list item, a list's lead-in, a table row or a heading."""
    first = text.lstrip().split("\n", 1)[0].rstrip()
    return bool(first) and not re.match(r"(?:[-*+#>]|\d+[.)])\s|\|", first) and not first.endswith(":")


_GENERIC_STEMS = set(_STEMMER.stemWords(_GENERIC_WORDS))
#: Words that call a part of a work, not the whole: "the booklet's introduction", "the first chapter".
_PART_WORDS = frozenset({"chapter", "chapters", "introduction", "intro", "section", "sections", "part", "preface"})
#: Words that refer to a document as one: the generic ones and how a document of this corpus appeared.
_DOCUMENT_WORDS = frozenset(_GENERIC_WORDS) | {"essays", "chapters", "podcast", "digest", "series", "episode"}
_QUESTION_STEMS = set(_STEMMER.stemWords(_QUESTION_WORDS))


def _contains_run(tokens: list[str], run: list[str]) -> bool:
    """Whether `run` occurs in `tokens` as consecutive items."""
    return any(tokens[k : k + len(run)] == run for k in range(len(tokens) - len(run) + 1))


def _name_words(reference: str) -> list[str]:
    """The stems of a reference that could name a document (not "the", "essay", "what")."""
    return [t for t in _query_tokens(reference) if t not in _GENERIC_STEMS and t not in _QUESTION_STEMS]


def _name_pattern(chunk: Chunk) -> re.Pattern | None:
    """Matches the document's full title or current name, in any case (names of one short word excepted)."""
    names = [n for n in (chunk.document_title, chunk.current) if n and len(n) >= 6]
    if not names:
        return None
    return re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.IGNORECASE)


def _document_names(chunk: Chunk) -> str:
    """The words by which a user names a document: its title, its file name, where it appeared ("Last Week in AI
    (podcast digest)": "the podcast") and, for a booklet chapter, its current."""
    return " ".join(
        filter(None, [chunk.document_title, chunk.document_id.replace("-", " "), chunk.publication, chunk.current])
    )


def _where(document: Documents, current: str | None) -> dict | None:
    """Chroma's filter; `current` must be the stored name (see _LoadedIndex.current_name)."""
    clauses: list[dict] = []
    if isinstance(document, str):
        clauses.append({"document_id": document})
    elif document:
        clauses.append({"document_id": {"$in": list(document)}})
    if current:
        clauses.append({"current": current})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
