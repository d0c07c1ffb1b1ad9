"""QueryBatcher with the real model: concurrent queries share model calls on one thread, a lone query goes alone,
and a second instance of the model embeds while the first is busy."""

import threading
import time

import numpy as np
import pytest

from service.retrieval.embedder import QueryBatcher


@pytest.fixture
def embedder(real_embedder):
    """These tests are about the model itself: never vectors remembered from other tests (tests/conftest.py)."""
    return real_embedder


class RecordingEmbedder:
    """The real model, noting the size of every call made to it (and failing calls when told to)."""

    def __init__(self, real):
        self.name = real.name
        self._real = real
        self.calls: list[int] = []
        self.threads: set[int] = set()
        self.texts: list[str] = []
        self.fail = False
        self.hold = threading.Event()  # cleared: a call waits until it is set (a model call under way)
        self.hold.set()
        self.entered = threading.Event()

    def embed(self, texts, **kwargs):
        self.calls.append(len(texts))
        self.threads.add(threading.get_ident())
        self.texts.extend(texts)
        self.entered.set()
        self.hold.wait(timeout=30)
        if self.fail:
            raise RuntimeError("simulated model failure")
        return self._real.embed(texts)


def embed_together(batcher: QueryBatcher, texts: list[str]) -> list:
    """Each text embedded from its own thread, all released at once; a result or the exception per text."""
    results: list = [None] * len(texts)
    start = threading.Barrier(len(texts))

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = batcher.embed(texts[i])
        except Exception as exc:  # noqa: BLE001 (the test looks at what each caller got)
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_a_lone_query_is_embedded_alone_and_at_once(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model, max_batch=16)
    vector = batcher.embed("How far did the Nasdaq fall?")
    assert model.calls == [1]
    np.testing.assert_allclose(vector, embedder.embed(["How far did the Nasdaq fall?"])[0], atol=1e-6)
    assert np.isclose(np.linalg.norm(vector), 1.0, atol=1e-5)


def test_concurrent_queries_share_bounded_model_calls_and_each_gets_its_own_vector(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model, max_batch=16)
    texts = [f"question number {i} about compute prices and demand" for i in range(40)]
    vectors = embed_together(batcher, texts)
    assert sum(model.calls) == 40 and max(model.calls) <= 16
    assert len(model.calls) < 40, model.calls  # queries that waited went to the model together
    assert batcher.queries == 40 and batcher.batches == len(model.calls)
    assert len(model.threads) == 1 and threading.get_ident() not in model.threads  # one model thread, not the callers'
    alone = embedder.embed(texts)
    for text, got, expected in zip(texts, vectors, alone, strict=True):
        # Padding in a batch moves the numbers by float noise only.
        assert float(got @ expected) > 0.9999, text


def test_a_failed_model_call_fails_every_query_in_it_and_the_next_call_works(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model, max_batch=8)
    model.fail = True
    results = embed_together(batcher, [f"query {i}" for i in range(12)])
    assert all(isinstance(r, RuntimeError) and "simulated" in str(r) for r in results)
    model.fail = False
    assert batcher.embed("query after the failure").shape == (384,)


def test_a_query_asked_again_comes_from_the_cache_and_the_least_recent_is_dropped(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model, cache_size=2)
    first = batcher.embed("What is the Jevons paradox?")
    again = batcher.embed("What is the Jevons paradox?")
    assert model.calls == [1] and batcher.cache_hits == 1 and np.shares_memory(again, first)
    with pytest.raises(ValueError, match="read-only"):
        again[0] = 0.0  # shared by every caller of that query: nobody may change it
    rows = batcher.embed_many(["a second query", "What is the Jevons paradox?", "a third query"])
    assert batcher.cache_hits == 2 and sorted(model.texts[1:]) == ["a second query", "a third query"]
    np.testing.assert_array_equal(rows[1], first)  # the cached one never went to the model; rows keep their order
    np.testing.assert_allclose(rows[0], embedder.embed(["a second query"])[0], atol=1e-6)
    batcher.embed("What is the Jevons paradox?")  # the least recently used: dropped when the third query came
    assert model.texts[-1] == "What is the Jevons paradox?" and len(model.texts) == 4
    assert batcher.embed_many([]).shape[0] == 0


def test_a_failed_batch_is_not_cached_and_a_wrong_count_fails_its_queries(real_embedder):
    model = RecordingEmbedder(real_embedder)
    batcher = QueryBatcher(model, cache_size=8)
    model.fail = True
    with pytest.raises(RuntimeError, match="simulated"):
        batcher.embed("asked while the model fails")
    model.fail = False
    assert batcher.embed("asked while the model fails").shape == (384,) and batcher.cache_hits == 0
    assert model.texts == ["asked while the model fails"] * 2

    class Short:  # a model that loses a vector
        name = "short"

        def embed(self, texts, **kwargs):
            return real_embedder.embed(texts)[:-1]

    broken = QueryBatcher(Short(), cache_size=8)
    with pytest.raises(Exception, match="returned 0 vectors for 1 texts"):
        broken.embed("one query")
    with pytest.raises(Exception, match="returned 0 vectors for 1 texts"):  # not cached, and the thread goes on
        broken.embed("one query")


def test_a_cancelled_query_is_not_cached(real_embedder):
    model = RecordingEmbedder(real_embedder)
    batcher = QueryBatcher(model, cache_size=8)
    model.hold.clear()
    busy = batcher.submit("the query the model is busy with")
    assert model.entered.wait(timeout=30)
    given_up = batcher.submit("a query nobody waits for")
    assert given_up.cancel()
    model.hold.set()
    busy.result(timeout=30)
    assert batcher.embed("a query nobody waits for").shape == (384,) and batcher.cache_hits == 0


def test_without_a_cache_every_query_goes_to_the_model(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model)
    batcher.embed("the same query")
    batcher.embed("the same query")
    assert model.calls == [1, 1] and batcher.cache_hits == 0


def test_a_batcher_without_a_cache_can_be_given_one(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model)
    batcher.embed("the same query")
    batcher.remember(4)
    batcher.embed("the same query")
    batcher.embed("the same query")
    assert model.calls == [1, 1] and batcher.cache_hits == 1


def test_a_batch_needs_room_for_one_query(embedder):
    with pytest.raises(ValueError, match="at least 1"):
        QueryBatcher(embedder, max_batch=0)


def test_the_model_thread_ends_when_idle_and_comes_back_on_demand(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model, idle_s=0.2)
    batcher.embed("first")
    deadline = time.monotonic() + 10
    while any(t.name == "query-embedder" and t.ident in model.threads for t in threading.enumerate()):
        assert time.monotonic() < deadline, "the idle model thread did not end"
        time.sleep(0.05)
    assert batcher.embed("second").shape == (384,) and model.calls == [1, 1]


def test_a_query_cancelled_while_it_waits_is_not_embedded(embedder):
    model = RecordingEmbedder(embedder)
    batcher = QueryBatcher(model)
    model.hold.clear()
    first = batcher.submit("the query the model is busy with")
    assert model.entered.wait(timeout=30)
    given_up, kept = batcher.submit("a query whose request was cancelled"), batcher.submit("a query still wanted")
    assert given_up.cancel()
    model.hold.set()
    assert first.result(timeout=30).shape == (384,) and kept.result(timeout=30).shape == (384,)
    assert model.texts == ["the query the model is busy with", "a query still wanted"]


def test_a_torch_embedder_held_to_one_thread_uses_one_and_embeds_as_the_default_does(embedder):
    import torch

    from service.retrieval.embedder import SentenceTransformerEmbedder

    texts = ["How far did the Nasdaq fall?", "cheaper tokens raise total demand"]
    held, default = SentenceTransformerEmbedder(threads=1), SentenceTransformerEmbedder()  # torch's own count
    seen = {}

    def embed_in_a_thread_of_its_own() -> None:  # a new thread starts at torch's default count
        default_threads = torch.get_num_threads()
        seen["default"] = default.embed(texts)
        seen["vectors"], seen["threads"] = held.embed(texts), torch.get_num_threads()
        torch.set_num_threads(default_threads)  # the other tests' threads start as before

    worker = threading.Thread(target=embed_in_a_thread_of_its_own)
    worker.start()
    worker.join(timeout=60)
    assert seen["threads"] == 1
    np.testing.assert_allclose(seen["vectors"], seen["default"], atol=1e-5)
    # The session's model runs on ONNX Runtime, as `serve` does: the same vectors as sentence-transformers'.
    assert embedder.threads == 1  # held to one thread (tests/conftest.py)
    np.testing.assert_allclose(embedder.embed(texts), seen["default"], atol=1e-5)


def test_a_second_model_embeds_while_the_first_is_busy_and_a_lone_query_keeps_to_the_first(embedder):
    first, second = RecordingEmbedder(embedder), RecordingEmbedder(embedder)
    batcher = QueryBatcher(first, replicas=[second])
    for text in ("one", "two", "three"):
        batcher.embed(text)
    assert first.texts == ["one", "two", "three"] and second.texts == []  # one warm thread while it keeps up
    first.hold.clear()
    first.entered.clear()
    busy = batcher.submit("the query the first model is busy with")
    assert first.entered.wait(timeout=30)
    meanwhile = batcher.submit("a query that comes meanwhile")
    assert meanwhile.result(timeout=30).shape == (384,)  # embedded while the first model still holds its call
    assert second.texts == ["a query that comes meanwhile"] and not busy.done()
    first.hold.set()
    assert busy.result(timeout=30).shape == (384,)
    assert len(first.threads) == 1 and len(second.threads) == 1 and first.threads != second.threads


def test_a_replica_is_another_instance_of_the_same_model(embedder):
    replica = embedder.replica()
    assert replica is not embedder and replica.name == embedder.name and replica.threads == embedder.threads
    texts = ["How far did the Nasdaq fall?", "cheaper tokens raise total demand"]
    assert np.allclose(replica.embed(texts), embedder.embed(texts), atol=1e-6)
