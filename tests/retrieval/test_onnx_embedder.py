"""The embedding model on ONNX Runtime: the same vectors as sentence-transformers', exported once, never half."""

from __future__ import annotations

import json
import logging
import shutil

import numpy as np
import pytest

from service.retrieval import onnx_embedder
from service.retrieval.embedder import SentenceTransformerEmbedder, embedder_for, resolve_model_path
from service.retrieval.onnx_embedder import OnnxEmbedder, UnsupportedModelError
from service.settings import PACKAGED_EMBEDDING_MODEL, Settings

TEXTS = [
    "What is the death zone in blitzscaling?",
    "",
    "Jevons paradox: cheaper tokens, more demand. " * 60,  # longer than the model's 256 tokens: truncated alike
    "Ünïcödé, CAPITALS and punctuation — “quoted” … (brackets) [1].",
]


@pytest.mark.slow
def test_the_onnx_runtime_gives_sentence_transformers_vectors(real_embedder):
    expected = SentenceTransformerEmbedder(threads=1).embed(TEXTS)
    got = real_embedder.embed(TEXTS)
    assert got.shape == (len(TEXTS), 384) and got.dtype == np.float32
    np.testing.assert_allclose(got, expected, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)
    # One at a time (no padding) as in a batch (padded to the longest): the same vectors.
    np.testing.assert_allclose(np.vstack([real_embedder.embed([t]) for t in TEXTS]), got, atol=1e-5)


@pytest.mark.slow
def test_a_failed_export_leaves_nothing_behind(tmp_path, monkeypatch):
    import torch

    from service.settings import PACKAGED_EMBEDDING_MODEL

    def export_failing_half_way(model, args, path, **kwargs):
        with open(path, "wb") as f:
            f.write(b"half a model")
        raise RuntimeError("the exporter failed")

    monkeypatch.setattr(torch.onnx, "export", export_failing_half_way)
    target = tmp_path / "models" / "model.onnx"
    with pytest.raises(RuntimeError, match="exporter failed"):
        onnx_embedder._export(resolve_model_path(PACKAGED_EMBEDDING_MODEL), target)
    assert list(target.parent.iterdir()) == []  # neither the file nor its part


@pytest.mark.slow
def test_the_export_is_made_once_readable_by_all_and_then_reused(real_embedder, monkeypatch):
    cache = real_embedder._cache_dir  # the session's model exported there (tests/conftest.py)
    exported = onnx_embedder.exported_model(
        resolve_model_path(PACKAGED_EMBEDDING_MODEL), cache
    )  # there already: not made again
    assert exported.is_file() and not list(cache.glob(f"{exported.name}*.part"))
    assert exported.stat().st_mode & 0o044 == 0o044  # whoever serves can read what whoever ingested exported
    made = exported.stat().st_mtime_ns

    def no_second_export(folder, target):
        raise AssertionError(f"exported again to {target}")

    monkeypatch.setattr(onnx_embedder, "_export", no_second_export)
    again = OnnxEmbedder(cache, threads=1)
    np.testing.assert_allclose(again.embed(TEXTS[:1]), real_embedder.embed(TEXTS[:1]), atol=1e-6)
    assert again._torch is None and exported.stat().st_mtime_ns == made


@pytest.mark.slow
def test_an_exported_file_that_does_not_load_is_exported_again(real_embedder, tmp_path, monkeypatch):
    good = onnx_embedder.exported_model(resolve_model_path(PACKAGED_EMBEDDING_MODEL), real_embedder._cache_dir)
    cut_short = tmp_path / good.name
    cut_short.write_bytes(good.read_bytes()[:1000])  # what a crash of the machine could leave
    exports = []

    def export(folder, target):  # the session's export stands in for a new one (7 s)
        exports.append(target)
        shutil.copyfile(good, target)

    monkeypatch.setattr(onnx_embedder, "_export", export)
    again = OnnxEmbedder(tmp_path, threads=1)
    np.testing.assert_allclose(again.embed(TEXTS[:1]), real_embedder.embed(TEXTS[:1]), atol=1e-6)
    assert exports == [cut_short] and again._torch is None


@pytest.mark.slow
def test_a_model_that_does_not_export_runs_on_torch_with_a_warning(tmp_path, monkeypatch, caplog):
    def export(folder, target):
        raise IndexError("index out of range in self")  # what torch.onnx says of some architectures

    monkeypatch.setattr(onnx_embedder, "_export", export)
    embedder = OnnxEmbedder(tmp_path, threads=1)
    with caplog.at_level(logging.WARNING, logger="service.retrieval.onnx_embedder"):
        vectors = embedder.embed(TEXTS[:2])
    assert isinstance(embedder._torch, SentenceTransformerEmbedder) and "embedding on torch" in caplog.text
    np.testing.assert_allclose(vectors, SentenceTransformerEmbedder(threads=1).embed(TEXTS[:2]), atol=1e-6)
    assert list(tmp_path.iterdir()) == []


def _model_folder(tmp_path, pooling: dict, tokenizer: bool = True):
    folder = tmp_path / "model"
    (folder / "1_Pooling").mkdir(parents=True)
    modules = [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
    ]
    (folder / "modules.json").write_text(json.dumps(modules))
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (folder / "config.json").write_text("{}")
    if tokenizer:
        (folder / "tokenizer.json").write_text("{}")
    return folder


def test_a_model_onnx_runtime_cannot_copy_exactly_runs_on_torch_with_a_warning(tmp_path, caplog):
    folder = _model_folder(tmp_path, {"pooling_mode_max_tokens": True})
    settings = Settings(embedding_model=str(folder), data_dir=tmp_path / "data")
    with pytest.raises(UnsupportedModelError, match="pooling"):
        OnnxEmbedder(tmp_path, str(folder))
    with caplog.at_level(logging.WARNING, logger="service.retrieval.embedder"):
        embedder = embedder_for(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert "ONNX Runtime cannot run this model" in caplog.text

    no_tokenizer = _model_folder(tmp_path / "other", {"pooling_mode_mean_tokens": True}, tokenizer=False)
    with pytest.raises(UnsupportedModelError, match="tokenizer.json"):
        OnnxEmbedder(tmp_path, str(no_tokenizer))


def test_the_settings_pick_the_runtime_threads_and_where_the_export_is_kept(tmp_path):
    model = str(_model_folder(tmp_path, {"pooling_mode_mean_tokens": True}))  # nothing is loaded here
    onnx = embedder_for(Settings(embedding_model=model, data_dir=tmp_path, model_cache_dir=None), threads=0)
    assert isinstance(onnx, OnnxEmbedder) and onnx.threads == 0 and onnx.name == model
    assert onnx._cache_dir == tmp_path / "models"
    kept = embedder_for(
        Settings(embedding_model=model, data_dir=tmp_path, model_cache_dir=tmp_path / "kept", embedding_threads=1)
    )
    assert kept._cache_dir == tmp_path / "kept" and kept.threads == 1
    assert kept.replica()._cache_dir == kept._cache_dir and kept.replica() is not kept
    torch = embedder_for(
        Settings(embedding_model=model, data_dir=tmp_path, embedding_runtime="torch", embedding_threads=1)
    )
    assert isinstance(torch, SentenceTransformerEmbedder) and torch.threads == 1
