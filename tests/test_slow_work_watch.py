"""The guard that fails a test not marked slow when it loads the embedding model (tests/conftest.py)."""

from __future__ import annotations

from tests.conftest import MODEL_LOAD_EVENT, SLOW_WORK, SlowWorkWatch


def test_loading_the_model_is_seen_and_reading_its_configuration_is_not(tmp_path):
    watch = SlowWorkWatch(str(tmp_path))
    watch.test = "tests/test_x.py::test_quick"
    watch("open", (str(tmp_path / "modules.json"), "r", 0))  # which runtime can run it: no load
    assert watch.seen == []
    watch("open", (str(tmp_path / "model.safetensors"), "rb", 0))
    watch(MODEL_LOAD_EVENT, (str(tmp_path),))  # ONNX Runtime reads its file outside Python's open
    assert len(watch.seen) == 2 and all("loaded the embedding model" in s for s in watch.seen)


def test_the_onnx_embedder_announces_its_load_to_the_guard(tmp_path, monkeypatch):
    from service.retrieval import onnx_embedder

    embedder = object.__new__(onnx_embedder.OnnxEmbedder)  # no model folder needed for the announcement
    embedder._session, embedder._torch, embedder._folder = None, None, tmp_path
    monkeypatch.setattr(embedder, "_open_session", lambda: "a session", raising=False)
    assert SLOW_WORK.test is not None and SLOW_WORK.seen == []  # this test is not marked slow
    assert embedder._load_locked() == "a session"
    seen, SLOW_WORK.seen = SLOW_WORK.seen, []  # taken, so that the guard does not fail this test
    assert seen == [f"loaded the embedding model ({tmp_path})"]
