import pytest

from service.container import build_services
from service.errors import IndexNotReadyError, InvalidRequestError


@pytest.fixture
def retriever(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    services.retriever.load()
    return services.retriever


def test_results_are_ranked_and_bounded(retriever):
    hits = retriever.search("speed versus efficiency in a winner-take-all market", 3)
    assert len(hits) == 3
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert hits[0].chunk.section == "Speed"


def test_filters_by_document_and_current(retriever):
    assert {h.chunk.document_id for h in retriever.search("GPUs", 10, document="jevons")} == {"jevons"}
    hits = retriever.search("regulation", 10, current="sovereignty")
    assert hits and {h.chunk.current for h in hits} == {"Sovereignty"}


def test_unknown_filters_list_the_valid_values(retriever):
    with pytest.raises(InvalidRequestError) as error:
        retriever.search("x", 3, document="nope")
    assert "jevons" in error.value.details["valid_documents"]
    with pytest.raises(InvalidRequestError) as error:
        retriever.search("x", 3, current="Atlantis")
    assert error.value.details["valid_currents"] == ["Sovereignty"] and "Sovereignty" in error.value.message


def test_naming_a_document_steers_to_it(retriever):
    hits = retriever.search("what does the Jevons essay say?", 1)
    assert hits[0].chunk.document_id == "jevons"


def test_search_before_load_says_the_index_is_not_ready(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    with pytest.raises(IndexNotReadyError):
        services.retriever.search("anything", 1)
    with pytest.raises(IndexNotReadyError, match="ingest"):
        services.retriever.load()


def test_names_spelled_out_name_their_document_and_question_words_name_none(small_corpus, tmp_path, embedder):
    from service.settings import Settings
    from tests.conftest import write_doc

    write_doc(small_corpus, "practice.md", "How to Use This in Practice", "## Cadence\n\nReview the trigger list every quarter.\n")
    services = build_services(Settings(corpus_dir=small_corpus, data_dir=tmp_path / "data"), embedder=embedder)
    services.indexer.ingest()
    services.retriever.load()
    # A one-word title scores low in BM25, but given in full it names its document.
    assert services.retriever.named_documents("What are the trigger signals of the sovereignty current?")[:1] == ["sovereignty"]
    # "How" and "what" are how questions start, not the title "How to Use This in Practice".
    assert "practice" not in services.retriever.named_documents("How did usage respond when prices fell?")
    assert services.retriever.named_documents("What does How to Use This in Practice say about cadence?")[:1] == ["practice"]
