"""The floor under /v1/search: what the embedding model alone costs, measured before a benchmark starts the server.

A search cannot be faster than embedding its query, and concurrent searches cannot outrun the model embedding
queries in batches (the service's QueryBatcher sends waiting queries to the model together). Both numbers are
printed next to the service's, from the same run, so a slow machine or a busy one shows in both.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from service.retrieval.embedder import SentenceTransformerEmbedder
from service.retrieval.onnx_embedder import OnnxEmbedder
from service.settings import Settings

BATCH = 16  # the service's default query_batch_size


def percentile(values: list[float], q: int) -> float:
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 2)


def load_average() -> list[float]:
    """The machine's 1, 5 and 15 minute load averages: above ~1 on 2 cores, other work skews every number."""
    return [round(x, 2) for x in os.getloadavg()]


def service_threads(server_env: dict[str, str]) -> int:
    """The threads per embedding call of the benchmarked server: its setting, from the environment it gets."""
    value = server_env.get("STRATEGY_EMBEDDING_THREADS", os.environ.get("STRATEGY_EMBEDDING_THREADS"))
    return int(value) if value is not None else Settings.model_fields["embedding_threads"].default


def service_runtime(server_env: dict[str, str]) -> str:
    """What runs the benchmarked server's embedding model (onnx or torch): its setting, from its environment."""
    value = server_env.get("STRATEGY_EMBEDDING_RUNTIME", os.environ.get("STRATEGY_EMBEDDING_RUNTIME"))
    return value or Settings.model_fields["embedding_runtime"].default


def load_embedder(threads: int, batch: int = BATCH, runtime: str = "onnx", data_dir: Path | None = None):
    """The service's embedding model, loaded and warm, in this process, with the server's threads per call and
    runtime (the ONNX file exported under `data_dir`/models, as the server's own)."""
    if runtime == "torch":
        embedder = SentenceTransformerEmbedder(threads=threads)
    else:
        settings = Settings()  # the export the server uses: STRATEGY_MODEL_CACHE_DIR, else the data dir's
        embedder = OnnxEmbedder(settings.model_cache_dir or (data_dir or settings.data_dir) / "models", threads=threads)
    embedder.embed(["warm up"] * batch)
    return embedder


def time_one_embedding(embedder, query: str) -> float:
    """Milliseconds to embed one query."""
    started = time.perf_counter()
    embedder.embed([query])
    return (time.perf_counter() - started) * 1000


def embedding_floor(queries: list[str], requests: int, batch: int = BATCH, embedder=None) -> dict:
    """One query at a time (p50, p95 ms), and the queries per second of `batch` queries per model call."""
    embedder = embedder or load_embedder(1, batch)
    single = [time_one_embedding(embedder, queries[i % len(queries)]) for i in range(requests)]
    rates = []
    for i in range(max(10, requests // batch)):
        texts = [queries[(i * batch + j) % len(queries)] for j in range(batch)]
        started = time.perf_counter()
        embedder.embed(texts)
        rates.append(batch / (time.perf_counter() - started))
    return {
        "runtime": "torch" if isinstance(embedder, SentenceTransformerEmbedder) else "onnx",
        "one_query_ms": {"p50": percentile(single, 50), "p95": percentile(single, 95)},
        "batch": batch,
        "batched_queries_per_s": round(statistics.median(rates), 1),
        "threads": embedder.threads,
        "load_average": load_average(),
    }


def floor_line(floor: dict) -> str:
    one = floor["one_query_ms"]
    return (
        f"floor ({floor.get('runtime', 'torch')}): one query embedding p50 {one['p50']} ms, p95 {one['p95']} ms; batched limit"
        f" {floor['batched_queries_per_s']} queries/s ({floor['batch']} per call); {floor['threads'] or 'default'} threads;"
        f" load average {floor['load_average']}"
    )


def reference_floor(queries: list[str], requests: int, threads: int, runtime: str) -> dict[str, dict]:
    """The same floor through sentence-transformers on torch (what the issue measured its floor with), when the
    service runs the model on ONNX Runtime: printed beside the service's own floor, never instead of it."""
    if runtime == "torch":
        return {}
    return {"torch": embedding_floor(queries, requests, embedder=load_embedder(threads, runtime="torch"))}
