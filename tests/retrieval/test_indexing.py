"""Ingest against real Chroma, embedded and a `chroma run` server: idempotent, incremental, atomic."""

import time

import pytest

from service.container import build_services
from service.errors import CorpusError
from tests.conftest import write_doc


def test_first_ingest_builds_and_serves(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    report = services.indexer.ingest()
    assert report.status == "built" and report.documents == 3 and report.chunks >= 4
    assert report.embedded > report.chunks  # chunks and their sentences
    services.retriever.load()
    top = services.retriever.search("which companies face extinction?", 1)[0]
    assert top.chunk.document_id == "growth" and top.chunk.section == "The Death Zone"


def test_unchanged_corpus_does_no_embedding_work(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    first = services.indexer.ingest()
    again = services.indexer.ingest()
    assert again.status == "unchanged" and again.embedded == 0 and again.collection == first.collection
    assert services.indexer.is_current()


def test_a_changed_document_reembeds_only_its_own_chunks(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    first = services.indexer.ingest()
    (store_settings.corpus_dir / "jevons.md").write_text(
        '---\ntitle: "The Jevons Paradox in AI"\n---\nEfficiency gains raise total demand for compute.\n',
        encoding="utf-8",
    )
    assert not services.indexer.is_current()
    second = services.indexer.ingest()
    assert second.status == "built" and second.collection != first.collection
    assert second.embedded == 2  # the one new chunk and its one sentence
    assert second.reused == first.embedded - 2
    active = services.store.active()
    assert set(services.store.list_index_collections()) == {active.collection, active.sentence_collection}


def test_a_malformed_document_leaves_the_previous_index_serving(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    before = services.store.active()
    services.retriever.load()
    (store_settings.corpus_dir / "broken.md").write_text("---\ntitle: [oops\n---\ntext", encoding="utf-8")
    with pytest.raises(CorpusError, match="broken.md"):
        services.indexer.ingest()
    assert services.store.active() == before
    assert services.retriever.search("Jevons paradox", 1)[0].chunk.document_id == "jevons"


class ExplodingEmbedder:
    """The real model, failing part-way through a build, as a crash mid-ingest would."""

    def __init__(self, real, fail_after: int):
        self.name = real.name
        self._real = real
        self._calls = 0
        self._fail_after = fail_after

    def embed(self, texts, **kwargs):
        self._calls += 1
        if self._calls > self._fail_after:
            raise RuntimeError("simulated crash during embedding")
        return self._real.embed(texts)


def test_a_crash_mid_ingest_leaves_the_previous_index_serving(store_settings, embedder):
    services = build_services(store_settings, embedder=embedder)
    services.indexer.ingest()
    before = services.store.active()
    write_doc(store_settings.corpus_dir, "extra.md", "Extra", "## A\n\n" + "New words for a new chunk. " * 200)
    crashing = build_services(store_settings, embedder=ExplodingEmbedder(embedder, fail_after=1))
    with pytest.raises(RuntimeError, match="simulated crash"):
        crashing.indexer.ingest()
    assert services.store.active() == before
    services.retriever.load()
    assert services.retriever.search("Jevons paradox", 1)[0].chunk.document_id == "jevons"
    # The next ingest finishes the job and cleans up.
    assert services.indexer.ingest().status == "built"


@pytest.mark.parametrize("in_memory_max_vectors", [20_000, 0], ids=["in-memory", "chroma-ann"])
def test_a_reader_follows_the_pointer_when_another_process_rebuilds(store_settings, embedder, in_memory_max_vectors):
    reader = build_services(
        store_settings.model_copy(update={"in_memory_max_vectors": in_memory_max_vectors}), embedder=embedder
    )
    reader.indexer.ingest()
    reader.retriever.load()
    loaded = time.monotonic()
    assert reader.retriever.in_memory == bool(in_memory_max_vectors)
    old = reader.store.active().collection
    writer = build_services(store_settings, embedder=embedder)  # another replica, same store
    (store_settings.corpus_dir / "jevons.md").write_text(
        '---\ntitle: "Jevons"\n---\nCheaper compute raises total demand.\n', encoding="utf-8"
    )
    writer.indexer.ingest()
    assert writer.store.active().collection != old
    # From memory, the pointer is read again once pointer_check_s has passed since the last read.
    time.sleep(max(0.0, reader.retriever.pointer_check_s - (time.monotonic() - loaded)))
    hits = reader.retriever.search("cheaper compute demand", 1)  # its old build is gone: reload, no error
    assert hits[0].chunk.document_id == "jevons" and reader.retriever.active.collection != old


def test_a_reader_from_memory_rereads_the_pointer_only_when_due_or_after_the_store_failed(store_settings, embedder):
    reader = build_services(store_settings, embedder=embedder)
    reader.indexer.ingest()
    reader.retriever.load()
    reader.retriever.pointer_check_s = 3600  # as if the last read were a moment ago
    old = reader.store.active().collection
    writer = build_services(store_settings, embedder=embedder)
    (store_settings.corpus_dir / "jevons.md").write_text(
        '---\ntitle: "Jevons"\n---\nCheaper compute raises total demand.\n', encoding="utf-8"
    )
    writer.indexer.ingest()
    # Within the interval the loaded build keeps serving, from memory, though Chroma has dropped it.
    assert reader.retriever.search("Jevons paradox", 1)[0].chunk.document_id == "jevons"
    assert reader.retriever.active.collection == old
    reader.store.unreachable = True  # what a failed heartbeat (/readyz) or pointer read leaves behind
    hits = reader.retriever.search("cheaper compute demand", 1)
    assert reader.retriever.active.collection != old and "Cheaper compute" in hits[0].chunk.text
    assert reader.store.unreachable is False  # the pointer read succeeded
