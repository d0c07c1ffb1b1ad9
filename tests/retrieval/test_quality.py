"""Retrieval quality on the golden set with the real model over the real corpus.

The floors sit a little under the measured numbers (see the README), so a change that
makes retrieval worse fails here."""

from service.evals.golden import GOLDEN_DIR, load_cases
from service.evals.retrieval import metrics, rank_cases


def test_golden_retrieval_quality(corpus_services):
    ranked = rank_cases(corpus_services.retriever, load_cases(GOLDEN_DIR / "retrieval.yaml"))
    scores = metrics(ranked)
    assert scores["cases"] >= 60
    assert scores["recall@5"] >= 0.90, scores
    assert scores["recall@1"] >= 0.66, scores
    assert scores["mrr"] >= 0.76, scores


def test_the_death_zone_question_ranks_its_passage_first(corpus_services):
    top = corpus_services.retriever.search("what does the blitzscaling essay call the death zone?", 1)[0]
    assert top.chunk.document_id == "blitzscaling-ai" and top.chunk.section == "The Death Zone"
