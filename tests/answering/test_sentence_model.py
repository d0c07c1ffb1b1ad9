"""The answer-sentence model: its features, the shipped model, and the hand weights when none ships."""

from dataclasses import dataclass

import numpy as np
import pytest

from service.answering.question_form import classify
from service.answering.sentence_model import (
    ADAPTED_MODEL_FILE,
    FEATURES,
    MODEL_FILE,
    SentenceModel,
    sentence_features,
)


@dataclass
class _Sentence:
    text: str
    start: int
    similarity: float
    overlap: float = 0.0
    idf_overlap: float = 0.0
    fragment: bool = False


@dataclass
class _Unit:
    kind: str
    sentences: list
    rank: int = 0
    lead: tuple[int, int] | None = None
    first_in_section: bool = False
    heading_share: float = 0.0
    block_share: float = 0.0
    form_bonus: float = 0.0
    named: bool = False
    answering: object = None


def _units():
    lead = _Sentence("Hyperscalers spent heavily:", 0, 0.5, fragment=True)
    figure = _Sentence("In 2024 capex reached $228 billion.", 30, 0.7, overlap=0.5, idf_overlap=0.6)
    other = _Sentence("The money flows into GPU clusters.", 0, 0.4)
    return [
        _Unit("list", [lead, figure], lead=(0, 28), answering=lead, form_bonus=0.3),
        _Unit("paragraph", [other], rank=1, named=True),
    ]


def test_features_follow_the_declared_order_one_row_per_sentence():
    rows = sentence_features("How much did hyperscalers spend on capex in 2024?", classify("How much?"), _units())
    assert rows.shape == (3, len(FEATURES))
    figure = dict(zip(FEATURES, rows[1], strict=True))
    assert figure["similarity_gap"] == 0.0 and figure["unit_similarity_gap"] == 0.0  # the best of all
    assert figure["has_number"] == 1.0 and figure["asks_quantity"] == 1.0
    assert figure["position"] == 1.0 and figure["unit_list"] == 1.0 and figure["is_lead"] == 0.0
    lead = dict(zip(FEATURES, rows[0], strict=True))
    assert lead["is_lead"] == 1.0 and lead["answering"] == 1.0 and lead["fragment"] == 1.0
    assert lead["similarity_gap"] == pytest.approx(-0.2) and lead["form_bonus"] == 0.3
    other = dict(zip(FEATURES, rows[2], strict=True))
    assert other["rank"] == 1.0 and other["named"] == 1.0 and other["has_number"] == 0.0


@pytest.mark.parametrize("path", [MODEL_FILE, ADAPTED_MODEL_FILE], ids=["plain", "adapted"])
def test_the_shipped_model_scores_every_sentence_as_a_probability(path):
    scores = SentenceModel(path).score_sentences("How much did they spend in 2024?", classify("How much?"), _units())
    assert scores is not None and scores.shape == (3,)
    assert ((scores >= 0) & (scores <= 1)).all()
    assert scores[1] > scores[2]  # the sentence with the figure asked for beats a lower-ranked one without


async def test_the_model_fitted_for_the_mapped_question_scores_what_was_ranked_with_the_map(corpus_services):
    """With the query adapter on, the sentences are scored against the mapped question, and by the model fitted for
    that; with it off, by the plain one."""
    from service.retrieval.query_adapter import QueryAdapter
    from service.settings import PACKAGED_EMBEDDING_MODEL

    answerer, retriever = corpus_services.answers.extractive, corpus_services.retriever
    shipped = (answerer.sentence_model, answerer.adapted_sentence_model, retriever.adapter)
    called: list[str] = []

    class Named(SentenceModel):
        def __init__(self, path, name):
            super().__init__(path)
            self.name = name

        def score_sentences(self, question, form, units):
            called.append(self.name)
            return super().score_sentences(question, form, units)

    question = "What does the Jevons essay say happens to total compute spending when tokens get cheaper?"
    try:
        answerer.sentence_model = Named(MODEL_FILE, "plain")
        answerer.adapted_sentence_model = Named(ADAPTED_MODEL_FILE, "adapted")
        retriever.adapter = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL, enabled=False)
        await corpus_services.answers.ask(question, "extractive")
        assert called and set(called) == {"plain"}
        called.clear()
        retriever.adapter = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL)
        answer = await corpus_services.answers.ask(question, "extractive")
        assert called and set(called) == {"adapted"} and answer.citations
        # without a model fitted for the mapped question, the hand weights, not the plain model fitted to plain ones
        called.clear()
        answerer.adapted_sentence_model = Named(MODEL_FILE.with_name("missing.txt"), "adapted")
        assert (await corpus_services.answers.ask(question, "extractive")).citations and called == []
    finally:
        answerer.sentence_model, answerer.adapted_sentence_model, retriever.adapter = shipped


def test_without_a_shipped_model_the_hand_weights_stand(tmp_path):
    model = SentenceModel(tmp_path / "missing.txt")
    assert model.score_sentences("anything?", classify("anything?"), _units()) is None


def test_a_model_trained_on_other_features_is_refused(tmp_path):
    path = tmp_path / "sentence_model.txt"
    path.write_text(
        MODEL_FILE.read_text(encoding="utf-8").replace("feature_names=similarity", "feature_names=old_signal"),
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="make tune-answer"):
        SentenceModel(path).scores(np.zeros((2, len(FEATURES))))


async def test_a_request_is_answered_from_its_subject_ranked_by_the_plain_embedding(corpus_services):
    """The answer path searches a request's subject without the request around it ("tell me about X": "X"), ranked as
    the request is: by the plain embedding, reranked, with the query adapter on; a question by the mapped one."""
    from service.retrieval.query_adapter import QueryAdapter
    from service.settings import PACKAGED_EMBEDDING_MODEL

    retriever = corpus_services.retriever
    shipped = retriever.adapter
    try:
        retriever.adapter = QueryAdapter(embedding_model=PACKAGED_EMBEDDING_MODEL)
        request = await corpus_services.answers.examine("tell me about the jevons paradox", "extractive")
        question = await corpus_services.answers.examine("what is the jevons paradox?", "extractive")
        assert request.coverage.covered and question.coverage.covered
        assert request.retrieval.adapted_vector is None and question.retrieval.adapted_vector is not None
        subject = retriever.retrieve("the jevons paradox", len(request.retrieval.hits), adapt=False)
        assert [h.chunk.id for h in request.retrieval.hits][:1] == [h.chunk.id for h in subject.hits][:1]
    finally:
        retriever.adapter = shipped
