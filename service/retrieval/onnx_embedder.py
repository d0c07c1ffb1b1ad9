"""The embedding model run by ONNX Runtime: the same vectors as sentence-transformers at half the cost per query.

The sentence-transformers folder's transformer is exported once to ONNX (torch.onnx, from the local weights:
nothing is downloaded) into the data directory, named by a digest of the weights, and every later start loads
that file: serving imports neither torch nor sentence-transformers. Tokenising (the folder's tokenizer.json),
mean pooling and normalising follow the folder's own configuration, so the vectors match sentence-transformers'
to 2e-7 and an index built by either runtime serves the other.

Why: one query on one thread took 16.5 ms through torch and 7.6 ms through ONNX Runtime, 16 queries at once 109
against 146 queries/s (2 cores; benchmarks/load_test.py prints both floors). sentence-transformers' own ONNX
backend needs optimum-onnx, which pins transformers below 4.58 (this project runs 5.x), hence the export here.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from service.errors import EmbeddingModelError
from service.retrieval.embedder import resolve_model_path
from service.settings import PACKAGED_EMBEDDING_MODEL

log = logging.getLogger(__name__)

#: Bumped when the export below changes, so a file exported by older code is not reused.
EXPORT_VERSION = "2"
_INPUTS = ("input_ids", "attention_mask", "token_type_ids")


class UnsupportedModelError(EmbeddingModelError):
    """The model folder is not one this runtime reproduces exactly (pooling other than mean or CLS, ...)."""


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def _model_layout(folder: Path) -> tuple[str, int]:
    """The folder's pooling ("mean" or "cls") and its longest input in tokens; refuses a layout it cannot copy."""
    modules = _read_json(folder / "modules.json")
    kinds: list[str] = [m.get("type", "").rsplit(".", 1)[-1] for m in modules] if isinstance(modules, list) else []
    if kinds[:2] != ["Transformer", "Pooling"] or any(k not in {"Normalize"} for k in kinds[2:]):
        raise UnsupportedModelError(f"{folder}: modules {kinds} are not Transformer, Pooling[, Normalize]")
    pooling_path = next(m.get("path", "1_Pooling") for m in modules if m.get("type", "").endswith("Pooling"))
    pooling = _read_json(folder / pooling_path / "config.json")
    modes = [k for k, v in pooling.items() if k.startswith("pooling_mode_") and v]
    if modes == ["pooling_mode_mean_tokens"]:
        mode = "mean"
    elif modes == ["pooling_mode_cls_token"]:
        mode = "cls"
    else:
        raise UnsupportedModelError(f"{folder}: pooling {modes} is not mean or CLS")
    if not (folder / "tokenizer.json").is_file():
        raise UnsupportedModelError(f"{folder}: no tokenizer.json (a fast tokenizer) to tokenise with")
    config = _read_json(folder / "sentence_bert_config.json")
    if config.get("do_lower_case"):
        raise UnsupportedModelError(f"{folder}: sentence-transformers lowercases its input (do_lower_case)")
    prompts = _read_json(folder / "config_sentence_transformers.json")
    if prompts.get("default_prompt_name") or any(prompts.get("prompts", {}).values()):
        raise UnsupportedModelError(f"{folder}: sentence-transformers puts a prompt before its input")
    positions = int(_read_json(folder / "config.json").get("max_position_embeddings") or 512)
    return mode, min(int(config.get("max_seq_length") or positions), positions)


_WEIGHT_FILES = ("config.json", "model.safetensors", "pytorch_model.bin")


def _weights_digest(folder: Path) -> str:
    """Names the exported file: the weights and configuration it was made from, and this export's version
    (read once per process while the files keep their size and time: 0.15 s for the packaged model)."""
    stats = tuple(
        (name, p.stat().st_size, p.stat().st_mtime_ns) for name in _WEIGHT_FILES if (p := folder / name).is_file()
    )
    return _digest_of(folder, stats)


@functools.lru_cache(maxsize=8)
def _digest_of(folder: Path, stats: tuple) -> str:
    digest = hashlib.sha256(EXPORT_VERSION.encode())
    for name, _, _ in stats:
        digest.update(name.encode())
        with (folder / name).open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()[:16]


def _export(folder: Path, target: Path) -> None:
    """Export the folder's transformer to `target` (written aside and renamed: never a half-written file)."""
    import torch
    from transformers import AutoModel

    model = AutoModel.from_pretrained(str(folder), local_files_only=True).eval()

    class LastHiddenState(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.inner(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    # Token type 0 throughout, as the embedder feeds it (models of one token type, RoBERTa's kin, have no type 1).
    example = (
        torch.ones((1, 8), dtype=torch.int64),
        torch.ones((1, 8), dtype=torch.int64),
        torch.zeros((1, 8), dtype=torch.int64),
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=target.name, suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        # The tracer warns about shapes it fixes as constants (the causal-mask checks of a decoder, which an
        # encoder never takes); the export is checked against sentence-transformers' vectors instead
        # (tests/retrieval/test_onnx_embedder.py: batches, padding, truncation at the longest input).
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                LastHiddenState(model),
                example,
                temporary,
                input_names=list(_INPUTS),
                output_names=["last_hidden_state"],
                dynamic_axes={name: {0: "batch", 1: "tokens"} for name in (*_INPUTS, "last_hidden_state")},
                opset_version=17,
                dynamo=False,
            )
        # On disk before it takes the final name (a crash of the machine leaves no empty file under it), and
        # readable by whoever serves, not only by whoever ingested (mkstemp makes it 0600).
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o644 & ~umask)
        os.replace(temporary, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def exported_model(folder: Path, cache_dir: Path) -> Path:
    """The ONNX file of the model in `folder` (whose layout _model_layout accepted) under `cache_dir`, exported first
    if it is not there yet."""
    target = cache_dir / f"{folder.name}-{_weights_digest(folder)}.onnx"
    if not target.is_file():
        log.info("exporting the embedding model to ONNX", extra={"path": str(target)})
        try:
            _export(folder, target)
        except ImportError as exc:
            raise EmbeddingModelError(
                "Exporting the embedding model to ONNX needs torch and onnx (`make install` installs both), "
                "or set STRATEGY_EMBEDDING_RUNTIME=torch."
            ) from exc
        except Exception as exc:  # an architecture torch.onnx cannot trace: the model runs on torch instead
            raise UnsupportedModelError(f"{folder}: the ONNX export failed ({type(exc).__name__}: {exc})") from exc
        _drop_older_exports(target)
    return target


def _drop_older_exports(kept: Path, part_age_s: float = 3600) -> None:
    """Remove the exports of this model made from other weights or by older code (a process still serving one
    keeps its open file), and parts an export killed mid-way left behind."""
    stem = kept.name.rsplit("-", 1)[0]
    for path in kept.parent.glob(f"{stem}-*"):
        try:
            stale_part = path.suffix == ".part" and time.time() - path.stat().st_mtime > part_age_s
            if stale_part or (path.suffix == ".onnx" and path != kept):
                path.unlink()
        except OSError:  # another process removed it first
            pass


class OnnxEmbedder:
    """Normalised embeddings from a local sentence-transformers model, run by ONNX Runtime on the CPU."""

    def __init__(self, cache_dir: Path, name: str = PACKAGED_EMBEDDING_MODEL, threads: int = 0):
        self.name = name  # the same name as the torch runtime's: the vectors are the same
        self._folder = resolve_model_path(name)
        self._pooling, self._max_tokens = _model_layout(self._folder)
        self._cache_dir = cache_dir
        #: Threads of one call (0: ONNX Runtime's default, one per core).
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._input_names: tuple[str, ...] = ()
        # One call at a time per instance: the tokenizer is not to be shared by threads.
        self._lock = threading.Lock()
        #: sentence-transformers, when this model cannot be exported (then every call goes to it).
        self._torch: Any = None

    def replica(self) -> OnnxEmbedder:
        """Another session of the same model, for a second thread to embed with."""
        return OnnxEmbedder(self._cache_dir, self.name, self.threads)

    def load(self) -> None:
        """Load (and if needed export) the model now; it otherwise loads on first use."""
        with self._lock:
            self._load_locked()

    def _load_locked(self):
        if self._session is None and self._torch is None:
            sys.audit("strategy_assistant.embedding_model.load", str(self._folder))  # tests/conftest.py watches it
            try:
                self._session = self._open_session()
            except UnsupportedModelError as exc:
                from service.retrieval.embedder import SentenceTransformerEmbedder

                log.warning("embedding on torch: %s", exc.message)
                self._torch = SentenceTransformerEmbedder(self.name, threads=self.threads)
        return self._session

    def _open_session(self):
        """The ONNX Runtime session (exported first if need be) and the tokenizer. A file that does not load (cut
        short by a crash, say) is exported again, once."""
        import onnxruntime
        from tokenizers import Tokenizer

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # warnings about unused initialisers are not the user's business
        path = exported_model(self._folder, self._cache_dir)
        try:
            session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as exc:  # noqa: BLE001 (ONNX Runtime's own errors: an unreadable or truncated file)
            log.warning("the exported embedding model does not load (%s); exporting it again", exc)
            path.unlink(missing_ok=True)
            path = exported_model(self._folder, self._cache_dir)
            session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        tokenizer = Tokenizer.from_file(str(self._folder / "tokenizer.json"))
        tokenizer.enable_truncation(self._max_tokens)
        # To the longest text of a batch (tokenizer.json may say a fixed length), with the tokenizer's pad token.
        configured = tokenizer.padding or {}
        pad = configured.get("pad_token") or next(
            (t for t in ("[PAD]", "<pad>") if tokenizer.token_to_id(t) is not None), "[PAD]"
        )
        tokenizer.enable_padding(pad_id=tokenizer.token_to_id(pad) or 0, pad_token=pad)
        self._input_names = tuple(i.name for i in session.get_inputs())
        self._tokenizer = tokenizer
        return session

    def embed(self, texts: list[str], *, show_progress: bool = False) -> np.ndarray:
        if not texts:
            return np.empty((0, 0), dtype=np.float32)
        # Longest first, in batches of like length (as sentence-transformers does): a batch is padded to its
        # longest text, so mixing a heading with a 256-token passage would compute 256 tokens for both.
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        with self._lock:
            session = self._load_locked()
            if self._torch is not None:
                return self._torch.embed(texts, show_progress=show_progress)
            parts = [
                self._embed_batch(session, [texts[i] for i in order[j : j + 32]]) for j in range(0, len(order), 32)
            ]
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[order] = np.concatenate(parts)
        return vectors

    def _embed_batch(self, session, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = session.run(None, {name: feeds[name] for name in self._input_names})[0]
        if self._pooling == "cls":
            pooled = hidden[:, 0]
        else:
            weights = mask[..., None].astype(np.float32)
            pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return pooled / np.clip(norms, 1e-12, None)
