"""build_services and Services.prepare_index: what is loaded before /readyz turns 200."""

from __future__ import annotations

from service.container import build_services
from service.settings import PROJECT_ROOT, Settings


def test_the_reranker_is_loaded_before_the_index_serves(tmp_path, corpus_services, embedder):
    settings = Settings(corpus_dir=PROJECT_ROOT / "corpus", data_dir=tmp_path, embedded_preload=False)
    services = build_services(settings, store=corpus_services.store, embedder=embedder)  # the built index
    try:
        reranker = services.retriever.reranker
        assert reranker is not None and reranker.enabled and reranker._booster is None  # nothing loaded yet
        services.prepare_index()
        # Loaded at start-up: importing LightGBM inside the first search stalled the event loop for 1.2-1.8 s.
        assert reranker._booster is not None and services.retriever.ready
    finally:
        services.close()
