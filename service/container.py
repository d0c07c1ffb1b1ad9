"""The service objects one app (or one CLI command) runs on, built in one place."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.answering.prompts import PromptLibrary
from service.answering.service import AnswerService
from service.llm.catalog import load_catalog
from service.llm.embedded import EmbeddedModelServer, EmbeddedServerConfig, free_loopback_port, packaged_gguf
from service.llm.gateway import LLMGateway
from service.retrieval.hybrid import HybridRetriever
from service.retrieval.indexing import Indexer
from service.retrieval.query_adapter import QueryAdapter
from service.retrieval.rerank import RerankConfig, Reranker
from service.retrieval.store import ChromaStore
from service.scenarios.currents import extract_currents
from service.scenarios.service import ScenarioService
from service.scenarios.signals import SignalStore
from service.security.keys import KeyStore
from service.settings import Settings
from service.storage.database import Database, DatabaseUnavailableError
from service.storage.shared import RedisLink

if TYPE_CHECKING:  # the embedder module loads torch: imported only when one is built
    from service.retrieval.embedder import Embedder

log = logging.getLogger(__name__)


@dataclass
class Services:
    settings: Settings
    store: ChromaStore
    embedder: Embedder
    indexer: Indexer
    retriever: HybridRetriever
    answers: AnswerService
    gateway: LLMGateway
    scenarios: ScenarioService
    keys: KeyStore
    database: Database
    redis: RedisLink | None = None  # shared rate limits and Slack deliveries; None: in this process's memory
    startup_error: str | None = None
    owns_gateway: bool = True  # a gateway passed in (tests) is closed by whoever made it
    _ready_lock: threading.Lock = field(default_factory=threading.Lock)

    def prepare_index(self) -> None:
        """Build or refresh a missing or stale index (if allowed), then load it for serving."""
        if self.settings.ingest_on_start and not self.indexer.is_current():
            report = self.indexer.ingest()
            log.info(
                "index %s: %d chunks, %d embedded, %d reused in %.1fs",
                report.status,
                report.chunks,
                report.embedded,
                report.reused,
                report.seconds,
            )
        self.embedder.embed(["warm up"])  # load the model before /readyz turns 200
        reranker = self.retriever.reranker
        if reranker is not None and reranker.enabled:
            # Importing LightGBM (and the scikit-learn it imports) took 1.2-1.8 s inside the first search, on
            # the event loop: every request waited for it.
            reranker.load()
        self.retriever.adapter.load()
        self.retriever.load()

    def prepare_database(self) -> None:
        """Migrate the schema (and import the SQLite files of before) at start; a database that is down is
        retried by the first request that needs it, and meanwhile /readyz says why."""
        try:
            self.database.migrate()
        except DatabaseUnavailableError as exc:
            log.warning("database not ready: %s", exc.message)

    def close(self) -> None:
        if self.owns_gateway:
            self.gateway.close()
        if self.redis is not None:
            self.redis.close()
        self.database.dispose()


def embedded_server(settings: Settings) -> EmbeddedModelServer:
    """The supervised llama.cpp server for `model_info: {embedded: true}` aliases (started on first use)."""
    return EmbeddedModelServer(
        EmbeddedServerConfig(
            model_path=settings.embedded_model_path or packaged_gguf(),
            port=settings.embedded_port or free_loopback_port(),
            n_threads=settings.embedded_threads,
            n_ctx=settings.embedded_context_tokens,
            queue_size=settings.embedded_queue_size,
            start_timeout_s=settings.embedded_start_timeout_s,
            log_path=settings.data_dir / "embedded-model.log",
        )
    )


def build_services(
    settings: Settings, *, store: ChromaStore | None = None, embedder=None, gateway: LLMGateway | None = None
) -> Services:
    """The only code that picks concrete classes; tests pass their own parts in."""
    if embedder is None:
        from service.retrieval.embedder import embedder_for

        embedder = embedder_for(settings)
    store = store or ChromaStore.from_settings(settings)
    retriever = HybridRetriever(
        store,
        embedder,
        in_memory_max_vectors=settings.in_memory_max_vectors,
        query_batch_size=settings.query_batch_size,
        query_models=settings.query_models,
        query_cache_size=settings.query_cache_size,
        reranker=Reranker(config=RerankConfig(candidates=settings.rerank_candidates)),
        adapter=QueryAdapter(embedding_model=settings.embedding_model, enabled=settings.query_adapter),
    )
    owns_gateway = gateway is None
    if gateway is None:
        gateway = LLMGateway(
            load_catalog(settings.models_file),
            timeout_s=settings.llm_timeout_s,
            num_retries=settings.llm_num_retries,
            max_tokens=settings.llm_max_tokens,
            embedded=embedded_server(settings),
        )
    prompts = PromptLibrary()
    answers = AnswerService(retriever, gateway.catalog, gateway, prompts, settings.default_model)
    database = Database.from_settings(settings)
    scenarios = ScenarioService(
        retriever, embedder, answers, gateway, prompts, SignalStore(database), settings.default_model
    )
    return Services(
        settings=settings,
        store=store,
        embedder=embedder,
        indexer=Indexer(store, embedder, settings, check=extract_currents),  # the booklet's currents must parse
        retriever=retriever,
        answers=answers,
        gateway=gateway,
        scenarios=scenarios,
        keys=KeyStore(database),
        database=database,
        redis=RedisLink(settings.redis_url) if settings.redis_url else None,
        owns_gateway=owns_gateway,
    )
