import numpy as np
import pytest

from service.corpus.chunking import Chunk
from service.evals.golden import RetrievalCase
from service.evals.train_embedding import TuningConfig, asked, dense_retrieval, fine_tune, training_pairs
from service.retrieval.embedder import resolve_model_path
from service.settings import PACKAGED_EMBEDDING_MODEL


def _chunk(n: int, text: str, document: str = "jevons-paradox-in-ai") -> Chunk:
    return Chunk(
        id=f"{document}:{n}",
        document_id=document,
        document_title="The Jevons Paradox in AI",
        section=None,
        section_path="",
        text=text,
        ordinal=n,
        kind="essay",
        current=None,
    )


CHUNKS = [
    _chunk(0, "In 1865 Jevons observed that more efficient coal engines increased coal consumption."),
    _chunk(1, "Webvan burned through $1.5 billion building automated warehouses before filing bankruptcy."),
    _chunk(2, "Sovereign buyers now require on-shore inference for regulated workloads."),
]


def _case(question: str, passage: str, **fields) -> RetrievalCase:
    return RetrievalCase(
        id=question, split="dev", question=question, document="jevons-paradox-in-ai", passage=passage, **fields
    )


def test_pairs_join_each_question_to_the_chunks_holding_its_passage_and_follow_ups_are_left_out():
    cases = [
        _case("what did jevons see with coal?", "more efficient coal engines"),
        _case("why?", "automated warehouses", history=[{"role": "user", "content": "webvan"}]),
    ]
    pairs = training_pairs(asked(cases), CHUNKS)
    assert pairs == [("what did jevons see with coal?", CHUNKS[0].embedded_text)]


@pytest.mark.slow
def test_fine_tuning_brings_a_question_closer_to_its_passage():
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(resolve_model_path(PACKAGED_EMBEDDING_MODEL)), device="cpu")
    question, passage = "the grocery delivery startup that went bust", CHUNKS[1].embedded_text

    def similarity() -> float:
        q, p = model.encode([question, passage], normalize_embeddings=True)
        return float(np.dot(q, p))

    cases = [_case(question, "automated warehouses")]
    before, ranked_before = similarity(), dense_retrieval(model, cases, CHUNKS)
    fine_tune(
        model,
        [(question, passage), ("coal use after efficiency gains", CHUNKS[0].embedded_text)],
        TuningConfig(epochs=3),
    )
    assert similarity() > before
    after = dense_retrieval(model, cases, CHUNKS)
    assert after["questions"] == 1 and after["mrr"] >= ranked_before["mrr"]
