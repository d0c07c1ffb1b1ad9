import numpy as np
import pytest

from service.corpus.chunking import Chunk
from service.retrieval.hybrid import _reciprocal_ranks, _reranked, _tokens
from service.retrieval.rerank import FEATURES, MODEL_FILE, PassageTraits, RerankConfig, Reranker, candidate_features


def _chunk(document: str, ordinal: int, section: str, text: str) -> Chunk:
    return Chunk(
        id=f"{document}-{ordinal}",
        document_id=document,
        document_title=document.title(),
        section=section,
        section_path=section,
        text=text,
        ordinal=ordinal,
        kind="essay",
        current=None,
    )


CHUNKS = [
    _chunk("alpha", 0, "Intro", "Blitzscaling puts speed before efficiency."),
    _chunk("alpha", 1, "Intro", "It works in winner-take-all markets."),
    _chunk("alpha", 2, "Stages", "The stages:\n- Family\n- Tribe\n- Village"),
    _chunk("beta", 0, "Paradox", "Efficiency raises total consumption."),
]


def test_passage_traits_describe_position_and_shape():
    traits = PassageTraits.of(CHUNKS, _tokens)
    assert list(traits.opens_section) == [1.0, 0.0, 1.0, 1.0]
    assert list(traits.opens_document) == [1.0, 1.0, 0.0, 1.0]  # the first two chunks of each document
    assert traits.list_share[2] == pytest.approx(3 / 4) and traits.list_share[0] == 0.0
    assert list(traits.previous_same_document) == [False, True, True, False]
    assert list(traits.next_same_document) == [True, True, False, False]
    assert "blitzscal" in traits.stems[0] and "stage" in traits.heading_stems[2]


def test_candidate_features_follow_the_declared_order():
    traits = PassageTraits.of(CHUNKS, _tokens)
    similarity = np.array([0.9, 0.5, 0.4, 0.2])
    candidates = np.array([0, 2, 3])
    features = candidate_features(
        "stages of blitzscaling?",
        _tokens(["stages of blitzscaling?"])[0],
        traits,
        candidates,
        similarity,
        similarity,
        np.array([3.0, 0.0, 1.5, 0.0]),
        np.zeros(4),
        np.array([2.0, 0.0, 1.0, -1.0]),
    )
    assert features.shape == (3, len(FEATURES))
    row = dict(zip(FEATURES, features[1], strict=True))  # chunk 2: the list of stages
    assert row["chunk_similarity_gap"] == pytest.approx(0.4 - 0.9)
    assert row["lexical_share"] == pytest.approx(0.5)
    assert row["fused_gap"] == pytest.approx(-1.0)
    assert row["heading_word_share"] == pytest.approx(0.5)  # "stages" of "stages", "blitzscaling"
    assert row["neighbour_similarity"] == pytest.approx(0.5)  # chunk 1, same document
    assert row["query_asks_list"] == 1.0
    assert dict(zip(FEATURES, features[2], strict=True))["neighbour_similarity"] == -1.0  # alone in its document


def test_reranked_order_keeps_the_rest_after_the_candidates_with_falling_scores():
    fused = np.array([5.0, 4.0, 3.0, 2.0, 1.0])
    order = np.array([0, 1, 2, 3, 4])
    new_order, scores = _reranked(order, order[:3], np.array([0.1, 0.9, 0.5]), fused)
    assert list(new_order) == [1, 2, 0, 3, 4]
    ranked_scores = scores[new_order]
    assert all(a > b for a, b in zip(ranked_scores, ranked_scores[1:], strict=False))


def test_reciprocal_ranks_count_only_allowed_chunks():
    allowed = np.array([True, False, True, True])
    ranks = _reciprocal_ranks(np.array([0.1, 0.9, 0.5, 0.3]), allowed, k=60)
    assert ranks[2] == pytest.approx(1 / 61) and ranks[3] == pytest.approx(1 / 62) and ranks[0] == pytest.approx(1 / 63)


def test_a_model_trained_on_other_features_is_refused(tmp_path):
    path = tmp_path / "rerank_model.txt"
    path.write_text(
        MODEL_FILE.read_text(encoding="utf-8").replace("feature_names=chunk_similarity", "feature_names=old_signal"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="make tune-rerank"):
        Reranker(path).scores(np.zeros((2, len(FEATURES))))


def test_the_shipped_model_scores_every_candidate_and_can_be_switched_off():
    reranker = Reranker()
    assert reranker.enabled
    scores = reranker.scores(np.random.default_rng(0).normal(size=(7, len(FEATURES))))
    assert scores.shape == (7,) and np.isfinite(scores).all()
    assert not Reranker(config=RerankConfig(candidates=0)).enabled
    assert not Reranker(MODEL_FILE.with_name("missing.txt")).enabled
