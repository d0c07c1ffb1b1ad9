import logging
from dataclasses import replace

import numpy as np
import pytest

from service.container import build_services
from service.retrieval.query_adapter import MODEL_FILE, QueryAdapter, save_adapter
from service.settings import PACKAGED_EMBEDDING_MODEL


def _unit(vector) -> np.ndarray:
    vector = np.asarray(vector, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def test_the_shipped_map_moves_a_question_and_keeps_it_of_unit_length():
    adapter = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL)
    assert adapter.enabled
    vector = _unit(np.random.default_rng(0).normal(size=384))
    mapped = adapter.adapt(vector)
    assert mapped.dtype == vector.dtype and mapped.shape == vector.shape
    assert np.linalg.norm(mapped) == pytest.approx(1.0, abs=1e-5)
    assert 0.5 < float(vector @ mapped) < 0.9999  # moved, not turned away


def test_no_map_applies_when_switched_off_missing_or_trained_for_another_model(tmp_path, caplog):
    vector = _unit(np.arange(1, 5))
    assert QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL, enabled=False).adapt(vector) is vector
    assert QueryAdapter(tmp_path / "missing.npz", embedding_model=PACKAGED_EMBEDDING_MODEL).adapt(vector) is vector
    path = tmp_path / "query_adapter.npz"
    save_adapter(path, np.diag([1.0, 2.0, 3.0, 4.0]), "all-MiniLM-L6-v2")
    with caplog.at_level(logging.WARNING):
        other = QueryAdapter(path, embedding_model="/models/bge-small")
        assert not other.enabled and other.adapt(vector) is vector
    assert "make tune-adapter" in caplog.text
    same = QueryAdapter(path, embedding_model="all-MiniLM-L6-v2")
    np.testing.assert_allclose(same.adapt(vector), _unit(vector * [1, 2, 3, 4]), rtol=1e-6)
    assert same.adapt(np.ones(3, dtype=np.float32)).shape == (3,)  # a vector of another size is left as it is


def test_a_map_given_as_a_matrix_maps_as_the_same_map_read_from_its_file(tmp_path):
    matrix = np.diag([1.0, 2.0, 3.0, 4.0])
    save_adapter(tmp_path / "query_adapter.npz", matrix, PACKAGED_EMBEDDING_MODEL)
    read = QueryAdapter(tmp_path / "query_adapter.npz", embedding_model=PACKAGED_EMBEDDING_MODEL)
    given = QueryAdapter.of_matrix(matrix, embedding_model=PACKAGED_EMBEDDING_MODEL)
    vector = _unit(np.arange(1, 5))
    assert given.enabled and read.enabled
    np.testing.assert_allclose(given.adapt(vector), read.adapt(vector), rtol=1e-6)


def test_the_shipped_map_is_trained_for_the_packaged_model():
    with np.load(MODEL_FILE) as saved:
        assert str(saved["embedding_model"]) == PACKAGED_EMBEDDING_MODEL
        assert saved["matrix"].shape == (384, 384)


def test_passages_are_ranked_with_the_mapped_question_but_coverage_reads_plain_similarities(store_settings, embedder):
    mapped = build_services(store_settings.model_copy(update={"query_adapter": True}), embedder=embedder)
    mapped.indexer.ingest()
    mapped.retriever.load()
    plain = build_services(store_settings.model_copy(update={"query_adapter": False}), embedder=embedder)
    plain.retriever.load()
    assert mapped.retriever.adapter.enabled and not plain.retriever.adapter.enabled
    query = "what happens to total spending when compute gets cheaper?"
    a, b = mapped.retriever.retrieve(query, 5), plain.retriever.retrieve(query, 5)
    np.testing.assert_array_equal(a.query_vector, b.query_vector)
    assert b.adapted_vector is None and b.ranking_vector is b.query_vector
    np.testing.assert_allclose(a.ranking_vector, mapped.retriever.adapter.adapt(a.query_vector))
    for field in ("best_chunk_similarity", "best_sentence_similarity", "best_lexical_score"):
        assert getattr(a, field) == pytest.approx(getattr(b, field), abs=1e-6), field
    assert [h.score for h in a.hits] != [h.score for h in b.hits]
    # the coverage classifier's passages: the plain ranking's, as the retriever without the map gives them
    assert b.plain_hits is None and a.plain_hits is not None
    assert [h.chunk.id for h in a.plain_hits] == [h.chunk.id for h in b.hits]


def _twins(store_settings, embedder, path: str):
    """The service's retriever with the map on, and builders of retrievers over the same index on `path` (in memory
    or through Chroma's ANN index) with the same reranker and map unless told otherwise."""
    from service.retrieval.hybrid import HybridRetriever

    services = build_services(store_settings.model_copy(update={"query_adapter": True}), embedder=embedder)
    services.indexer.ingest()
    shipped = services.retriever

    def twin(**options):
        options = {"reranker": shipped.reranker, "adapter": shipped.adapter, **options}
        limit = 0 if path == "chroma" else 20_000
        retriever = HybridRetriever(services.store, embedder, shipped.weights, in_memory_max_vectors=limit, **options)
        retriever.load()
        return retriever

    return twin


@pytest.mark.parametrize("path", ["memory", "chroma"])
def test_the_mapped_ranking_stands_as_fused_and_the_plain_one_is_reranked(store_settings, embedder, path):
    twin = _twins(store_settings, embedder, path)
    unmapped = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL, enabled=False)
    mapped, fused, plain = twin(), twin(reranker=None), twin(adapter=unmapped)
    assert mapped.adapter.enabled and mapped.reranker.enabled and mapped.in_memory is (path == "memory")
    for query in ("what happens to total spending when compute gets cheaper?", "why race to 100k gpus"):
        vector = embedder.embed([query])[0]
        found = mapped.retrieve(query, 5, vector=vector)
        assert [h.chunk.id for h in found.hits] == [h.chunk.id for h in fused.retrieve(query, 5, vector=vector).hits]
        # the coverage classifier's passages: the plain ranking, reranked as without the map
        unmapped_hits = plain.retrieve(query, 5, vector=vector)
        assert [h.chunk.id for h in found.plain_hits] == [h.chunk.id for h in unmapped_hits.hits]
        assert unmapped_hits.plain_hits is None  # without the map there is one ranking, not two
        # the search as the plain embedding ranked it is the very one a search without the map gives
        assert found.plain() == replace(unmapped_hits, query_vector=found.query_vector)
        assert unmapped_hits.plain() is unmapped_hits


@pytest.mark.parametrize("path", ["memory", "chroma"])
def test_the_reranker_scores_one_ranking_per_search_with_the_map_on_or_off(store_settings, embedder, path):
    twin = _twins(store_settings, embedder, path)
    scored: list[int] = []
    shipped = twin().reranker

    class Counting:
        """The shipped reranker, counting the candidate lists it scores."""

        config, enabled = shipped.config, True

        def scores(self, features):
            scored.append(len(features))
            return shipped.scores(features)

    query = "what happens to total spending when compute gets cheaper?"
    twin(reranker=Counting()).retrieve(query, 5)
    assert len(scored) == 1  # the plain ranking's, which the coverage classifier reads
    twin(reranker=Counting(), adapter=QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL, enabled=False)).retrieve(
        query, 5
    )
    assert len(scored) == 2  # without the map, the one ranking, as before


@pytest.mark.parametrize("path", ["memory", "chroma"])
async def test_a_request_is_ranked_by_its_plain_embedding_and_reranked_with_the_map_on(store_settings, embedder, path):
    twin = _twins(store_settings, embedder, path)
    mapped, plain = twin(), twin(adapter=QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL, enabled=False))
    request, question = "tell me about the jevons paradox", "what happens to total spending when compute gets cheaper?"
    found, unmapped = mapped.retrieve(request, 5), plain.retrieve(request, 5)
    assert found.adapted_vector is None and found.plain_hits is None  # one ranking: the plain, reranked one
    assert [h.chunk.id for h in found.hits] == [h.chunk.id for h in unmapped.hits]
    assert [h.chunk.id for h in await mapped.asearch(request, 5)] == [h.chunk.id for h in unmapped.hits]
    assert mapped.retrieve(question, 5).adapted_vector is not None
    # told so, the caller decides: a request's subject searched alone ("the jevons paradox"), a question not mapped
    assert mapped.retrieve("the jevons paradox", 5, adapt=False).adapted_vector is None
    assert mapped.retrieve(question, 5, adapt=False).adapted_vector is None
    assert mapped.retrieve(request, 5, adapt=True).adapted_vector is not None
