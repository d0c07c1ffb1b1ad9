import numpy as np

from service.evals.golden import GOLDEN_DIR, load_cases
from service.evals.train_rerank import collect
from service.retrieval.query_adapter import QueryAdapter
from service.settings import PACKAGED_EMBEDDING_MODEL


def test_features_are_the_plain_rankings_whether_or_not_the_map_is_on(corpus_services):
    """The reranker orders only the plain ranking (a mapped one stands as fused), so it is fitted on the plain
    ranking's candidates and rows with the query adapter on as with it off; the retriever is left as it was."""
    retriever = corpus_services.retriever
    cases = [c for c in load_cases(GOLDEN_DIR / "retrieval.yaml", "dev") if c.question][:4]
    shipped_adapter, shipped_reranker = retriever.adapter, retriever.reranker
    plain = collect(retriever, cases)
    retriever.adapter = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL)
    try:
        assert retriever.adapter.enabled
        mapped = collect(retriever, cases)
        assert retriever.adapter.enabled and retriever.reranker is shipped_reranker
    finally:
        retriever.adapter = shipped_adapter
    for a, b in zip(plain, mapped, strict=True):
        assert len(a.features) and [c.id for c in a.chunks] == [c.id for c in b.chunks]
        np.testing.assert_array_equal(a.features, b.features)
        np.testing.assert_array_equal(a.labels, b.labels)
