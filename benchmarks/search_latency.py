"""/v1/search latency over HTTP, side by side with the bare cost of one query embedding (the floor).

Run: make bench   (or .venv/bin/python benchmarks/search_latency.py [--requests 300])
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx

from _server import running_server, wait_ready
from service.evals.golden import GOLDEN_DIR, load_cases
from service.retrieval.embedder import SentenceTransformerEmbedder


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--data-dir", type=Path, default=None, help="An ingested data dir (default: a fresh one)")
    args = parser.parse_args()
    queries = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]
    sample = [queries[i % len(queries)] for i in range(args.requests)]

    embedder = SentenceTransformerEmbedder()
    embedder.embed(["warm up"])
    embed_ms = []
    for query in sample:
        started = time.perf_counter()
        embedder.embed([query])
        embed_ms.append((time.perf_counter() - started) * 1000)

    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-"))
    with running_server(data_dir) as (url, _):
        wait_ready(url, timeout=300)
        with httpx.Client(base_url=url, timeout=30) as client:
            for query in sample[:20]:
                client.post("/v1/search", json={"query": query})
            search_ms = []
            for query in sample:
                started = time.perf_counter()
                response = client.post("/v1/search", json={"query": query, "top_k": 5})
                search_ms.append((time.perf_counter() - started) * 1000)
                response.raise_for_status()

    result = {
        "requests": len(sample),
        "embedding_ms": {"p50": round(percentile(embed_ms, 50), 2), "p95": round(percentile(embed_ms, 95), 2)},
        "search_http_ms": {"p50": round(percentile(search_ms, 50), 2), "p95": round(percentile(search_ms, 95), 2)},
    }
    result["p50_ratio"] = round(result["search_http_ms"]["p50"] / result["embedding_ms"]["p50"], 2)
    result["p95_ratio_to_embedding_p50"] = round(result["search_http_ms"]["p95"] / result["embedding_ms"]["p50"], 2)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
