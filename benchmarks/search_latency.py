"""/v1/search against its floor, in one run: the bare cost of embedding queries, then the service.

Prints, side by side:
  1. the floor: one query embedding (p50, p95) and the batched embedding limit (queries/s at batch 16),
     measured in this process with the same model, before the server starts and again after it stops;
  2. /v1/search over HTTP with one client (p50, p95), each request next to the same query embedded in this
     process, and the ratio of the two p50s (both series see the same load);
  3. /v1/search at rising concurrency (1, 4, 8, 16, 32 clients): req/s (and its share of the batched
     limit), p50, p95, errors, CPU cores used by server and client;
  4. the targets and whether they were met. Each floor line carries the load average when it was taken:
     other work on the same cores skews every number, so measure when `uptime` shows a load under 1.

Run: make bench   (or .venv/bin/python benchmarks/search_latency.py [--requests 300] [--seconds 10])
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

import httpx
from _floor import (
    embedding_floor,
    floor_line,
    load_average,
    load_embedder,
    percentile,
    reference_floor,
    service_runtime,
    service_threads,
    time_one_embedding,
)
from _server import running_server, wait_ready
from load_test import run_level

from service.evals.golden import GOLDEN_DIR, load_cases

#: Issue 13: one client within 1.3x of one embedding; 32 clients at 150 req/s or more, p95 <= 400 ms, no errors.
TARGETS = {"p50_ratio": 1.3, "rps_at_32": 150.0, "p95_ms_at_32": 400.0, "errors_at_32": 0}


def one_client(url: str, queries: list[str], requests: int, embedder) -> tuple[list[float], list[float]]:
    """Milliseconds per /v1/search, one request after another on one connection, each next to the same
    query embedded in this process: the two series see the same load on the machine."""
    with httpx.Client(base_url=url, timeout=30, trust_env=False) as client:
        for i in range(20):  # warm up: connection, caches, code paths
            client.post("/v1/search", json={"query": queries[i % len(queries)], "top_k": 5}).raise_for_status()
        searches, embeddings = [], []
        for i in range(requests):
            query = queries[i % len(queries)]
            embeddings.append(time_one_embedding(embedder, query))
            started = time.perf_counter()
            response = client.post("/v1/search", json={"query": query, "top_k": 5})
            searches.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
    return searches, embeddings


def verdict(result: dict) -> dict:
    at_32 = next((r for r in result["levels"] if r["concurrency"] == 32), None)
    checks = {"p50_ratio": result["search_one_client"]["p50_ratio"] <= TARGETS["p50_ratio"]}
    if at_32:
        checks["rps_at_32"] = at_32["rps"] >= TARGETS["rps_at_32"]
        checks["p95_ms_at_32"] = (at_32["p95_ms"] or 1e9) <= TARGETS["p95_ms_at_32"]
        checks["errors_at_32"] = at_32["errors"] == TARGETS["errors_at_32"]
    return {"targets": TARGETS, "checks": checks, "met": all(checks.values())}


def table(result: dict) -> str:
    one, floors = result["search_one_client"], result["floor"]
    limit = min(floors[name]["batched_queries_per_s"] for name in ("before", "after"))  # the service's runtime
    lines = [
        *(f"{name:>6} {floor_line(f)}" for name, f in floors.items()),
        f"/v1/search, one client: p50 {one['p50']} ms, p95 {one['p95']} ms; one embedding between the searches:"
        f" p50 {one['embedding_p50']} ms; ratio {one['p50_ratio']}x",
        "",
        f"{'clients':>7} {'req/s':>8} {'of limit':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>6} {'cpu srv/cli':>11}",
    ]
    for r in result["levels"]:
        lines.append(
            f"{r['concurrency']:>7} {r['rps']:>8} {r['rps'] / limit:>8.0%} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8} {r['errors']:>6}"
            f" {str(r['server_cpu_cores']) + '/' + str(r['client_cpu_cores']):>11}"
        )
    lines += ["", f"targets met: {result['verdict']['met']} {result['verdict']['checks']}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=300, help="Sequential requests (and single embeddings) measured."
    )
    parser.add_argument("--levels", default="1,4,8,16,32", help="Concurrent clients per load level, comma-separated.")
    parser.add_argument("--seconds", type=float, default=10.0, help="Duration of each load level.")
    parser.add_argument("--data-dir", type=Path, default=None, help="An ingested data dir (default: a fresh one)")
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Extra environment of the server (repeatable).",
    )
    args = parser.parse_args()
    queries = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]
    levels = [int(n) for n in args.levels.split(",") if n]

    env = dict(item.split("=", 1) for item in args.server_env)
    threads, runtime = service_threads(env), service_runtime(env)
    embedder = load_embedder(threads, runtime=runtime, data_dir=args.data_dir)
    before = embedding_floor(queries, args.requests, embedder=embedder)  # the server is not running yet
    reference = reference_floor(queries, args.requests, threads, runtime)
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-"))
    with running_server(data_dir, env) as (url, process):
        wait_ready(url, timeout=300)
        search_ms, embed_ms = one_client(url, queries, args.requests, embedder)
        results = [
            asyncio.run(run_level(url, "search", queries, n, args.seconds, 20000, 30.0, process.pid)) for n in levels
        ]
    after = embedding_floor(queries, args.requests, embedder=embedder)  # again once it has stopped: the drift

    result = {
        "floor": {"before": before, "after": after, **reference},
        "search_one_client": {
            "requests": len(search_ms),
            "p50": percentile(search_ms, 50),
            "p95": percentile(search_ms, 95),
            "embedding_p50": percentile(embed_ms, 50),  # interleaved with the searches
            "p50_ratio": round(percentile(search_ms, 50) / percentile(embed_ms, 50), 2),
        },
        "levels": results,
        "load_average": load_average(),
    }
    result["verdict"] = verdict(result)
    print(json.dumps(result, indent=2))
    print()
    print(table(result))


if __name__ == "__main__":
    main()
