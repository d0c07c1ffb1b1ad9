import pytest

from service.container import build_services
from service.corpus.chunking import chunk_document
from service.corpus.documents import load_corpus, load_document
from service.errors import CorpusError
from service.scenarios.currents import UnknownCurrentError, extract_currents, find_current
from service.settings import PROJECT_ROOT
from tests.conftest import write_doc

BOOKLET = {d.id: d for d in load_corpus(PROJECT_ROOT / "corpus") if d.meta.current}


@pytest.fixture(scope="module")
def currents():
    chunks = [c for d in load_corpus(PROJECT_ROOT / "corpus") for c in chunk_document(d, 110, "m")]
    return extract_currents(chunks)


def test_six_currents_in_booklet_order_with_their_parts(currents):
    assert [(c.number, c.name) for c in currents] == [
        (1, "Continued Scaling"),
        (2, "Efficiency Revolution"),
        (3, "Financial Correction"),
        (4, "Sovereignty"),
        (5, "From Lab to Production"),
        (6, "Hours and Dollars"),
    ]
    assert [len(c.triggers) for c in currents] == [4, 4, 5, 4, 4, 4]
    assert [len(c.counter_triggers) for c in currents] == [0, 0, 0, 1, 1, 1]
    assert currents[3].framing_question == "“What if your vendor isn’t allowed to sell to you?”"
    assert all(c.data_sources.startswith("Data:") for c in currents)


def test_every_signal_and_its_citation_is_verbatim_in_the_booklet(currents):
    for current in currents:
        body = BOOKLET[current.document_id].body
        for signal in current.signals:
            assert signal.signal in body and signal.citation.quote in body
            assert signal.citation.document.id == current.document_id
            assert signal.citation.section == "Trigger signals — what to watch for"
        assert current.framing_question in body and current.data_sources in body


def test_find_by_name_number_or_id_and_unknown_lists_valid(currents):
    assert find_current(currents, "sovereignty").name == "Sovereignty"
    assert find_current(currents, "5").name == "From Lab to Production"
    with pytest.raises(UnknownCurrentError) as error:
        find_current(currents, "Atlantis")
    assert error.value.status_code == 422 and "Hours and Dollars" in error.value.details["valid_currents"]


def test_a_current_without_triggers_fails_ingest_naming_the_document(tmp_path, embedder):
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_doc(
        folder,
        "broken-current.md",
        "Sovereignty",
        "# Sovereignty\n\n## Some section\n\nText without triggers.\n",
        current="Sovereignty",
        current_number=4,
    )
    from service.settings import Settings

    services = build_services(Settings(corpus_dir=folder, data_dir=tmp_path / "data"), embedder=embedder)
    with pytest.raises(CorpusError, match="broken-current.md.*no trigger signals"):
        services.indexer.ingest()
    assert services.store.active() is None


def test_counter_trigger_prefix_is_kept_in_the_quote_not_the_signal(tmp_path):
    doc = load_document(
        write_doc(
            tmp_path,
            "c.md",
            "Test Current",
            "# Test Current\n\n## Trigger signals — what to watch for\n\n- Something happens soon\n- Counter-trigger: the opposite happens\n",
            current="Test Current",
            current_number=1,
        )
    )
    (current,) = extract_currents(chunk_document(doc, 110, "m"))
    assert current.counter_triggers[0].signal == "the opposite happens"
    assert current.counter_triggers[0].citation.quote == "Counter-trigger: the opposite happens"
