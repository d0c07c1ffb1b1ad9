"""Bounded load test over loopback: /v1/search and /v1/ask (extractive) at rising concurrency.

Starts the real server like the other benchmarks (`_server.running_server`: `strategy-assistant serve` on a
free 127.0.0.1 port), then N asyncio clients (httpx, one connection each) send golden questions
(evals/golden/retrieval.yaml) back to back for a fixed time per level. Every loop stops at the level's
deadline or at --max-requests, whichever comes first; no traffic leaves 127.0.0.1.

asyncio + httpx rather than locust: httpx is already a dependency, the loops are plainly bounded, and the
percentiles are computed from every latency (locust rounds them into buckets and brings gevent along).
The client shares the machine's cores with the server, so the numbers are a floor for a separate client.
The embedding floor (one query embedding, and the queries/s of batched embedding, the most /v1/search can
sustain) is measured in this process before the server starts and after it stops, and printed with the levels;
each level carries the machine's load average, since other work on the same cores skews every number.

Run: .venv/bin/python benchmarks/load_test.py [--seconds 10] [--levels 1,4,8,16,32] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlparse

import httpx
from _floor import (
    embedding_floor,
    floor_line,
    load_average,
    load_embedder,
    reference_floor,
    service_runtime,
    service_threads,
)
from _server import running_server, wait_ready

from service.evals.golden import GOLDEN_DIR, load_cases

#: What /v1/search should sustain on 2 cores at 32 clients (issue 13), and no errors at 32 on any endpoint.
TARGETS = {"search_rps": 150.0, "search_p95_ms": 400.0, "errors_at_32": 0}


def percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def cpu_seconds(pid: int | None) -> float | None:
    """CPU time (user + system, all threads) a process has used so far, from /proc; None elsewhere."""
    if pid is None:
        return os.times().user + os.times().system
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def request_for(endpoint: str, question: str) -> tuple[str, dict]:
    if endpoint == "search":
        return "/v1/search", {"query": question, "top_k": 5}
    return "/v1/ask", {"question": question, "model": "extractive"}


async def run_level(
    url: str,
    endpoint: str,
    questions: list[str],
    concurrency: int,
    seconds: float,
    max_requests: int,
    timeout: float,
    server_pid: int | None = None,
) -> dict:
    """`concurrency` clients, each sending one request after another until the deadline."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    failures: Counter = Counter()
    sent = 0
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=url, timeout=timeout, limits=limits, trust_env=False) as client:

        async def one(question: str) -> None:
            path, body = request_for(endpoint, question)
            started = time.perf_counter()
            try:
                response = await client.post(path, json=body)
            except httpx.HTTPError as exc:
                failures[type(exc).__name__] += 1
                return
            latencies.append((time.perf_counter() - started) * 1000)
            statuses[response.status_code] += 1

        # Warm-up, not counted: open the connections and touch the code paths.
        await asyncio.gather(*(one(questions[i % len(questions)]) for i in range(concurrency)))
        latencies.clear()
        statuses.clear()
        failures.clear()

        deadline = time.perf_counter() + seconds

        async def worker(offset: int) -> None:
            nonlocal sent
            n = offset
            while time.perf_counter() < deadline and sent < max_requests:
                sent += 1
                await one(questions[n % len(questions)])
                n += concurrency

        started = time.perf_counter()
        server_cpu, client_cpu = cpu_seconds(server_pid) if server_pid else None, cpu_seconds(None)
        workers = asyncio.gather(*(worker(i) for i in range(concurrency)))
        await asyncio.wait_for(workers, timeout=seconds + timeout + 5)
        elapsed = time.perf_counter() - started
        if server_cpu is not None:
            server_cpu = cpu_seconds(server_pid) - server_cpu
        client_cpu = cpu_seconds(None) - client_cpu

    completed = sum(statuses.values())
    errors = sum(failures.values()) + sum(n for status, n in statuses.items() if status >= 400)
    return {
        "endpoint": f"/v1/{endpoint}",
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "requests": completed + sum(failures.values()),
        "rps": round(completed / elapsed, 1),
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "p99_ms": percentile(latencies, 99),
        "errors": errors,
        "status_codes": {str(k): v for k, v in sorted(statuses.items())},
        "client_errors": dict(failures),
        # CPU cores busy on average during the level (2 cores = 2.0): where the machine's time went.
        "server_cpu_cores": round(server_cpu / elapsed, 2) if server_cpu is not None else None,
        "client_cpu_cores": round(client_cpu / elapsed, 2),
        "load_average": load_average(),  # at the level's end: other work on the same cores skews it
    }


def verdict(levels: list[dict]) -> dict:
    search = [r for r in levels if r["endpoint"] == "/v1/search"]
    meeting = [
        r for r in search if r["rps"] >= TARGETS["search_rps"] and (r["p95_ms"] or 1e9) <= TARGETS["search_p95_ms"]
    ]
    at_32 = [r for r in levels if r["concurrency"] == 32]
    return {
        "targets": TARGETS,
        "search_best_rps": max((r["rps"] for r in search), default=None),
        "search_levels_meeting_rps_and_p95": [r["concurrency"] for r in meeting],
        "errors_at_32": {r["endpoint"]: r["errors"] for r in at_32},
        "met": any(r["concurrency"] == 32 for r in meeting)
        and all(r["errors"] == TARGETS["errors_at_32"] for r in at_32),
    }


def table(levels: list[dict]) -> str:
    head = (
        f"{'endpoint':<11} {'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"
        f" {'cpu srv/cli':>11} {'load 1m':>7}  status codes"
    )
    lines = [head, "-" * len(head)]
    for r in levels:
        codes = ", ".join(f"{k}: {v}" for k, v in r["status_codes"].items())
        if r["client_errors"]:
            codes += " | " + ", ".join(f"{k}: {v}" for k, v in r["client_errors"].items())
        cpu = f"{r['server_cpu_cores']}/{r['client_cpu_cores']}"
        lines.append(
            f"{r['endpoint']:<11} {r['concurrency']:>7} {r['rps']:>8} {r['p50_ms']!s:>8} {r['p95_ms']!s:>8}"
            f" {r['p99_ms']!s:>8} {r['errors']:>6} {cpu:>11} {r['load_average'][0]:>7}  {codes}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="Duration of each concurrency level.")
    parser.add_argument("--levels", default="1,4,8,16,32", help="Concurrent clients per level, comma-separated.")
    parser.add_argument("--endpoints", default="search,ask", help="Any of search, ask.")
    parser.add_argument("--warmup", type=float, default=15.0, help="Unmeasured seconds before the first level.")
    parser.add_argument("--max-requests", type=int, default=20000, help="Cap on requests per level.")
    parser.add_argument("--timeout", type=float, default=30.0, help="Timeout of one request, in seconds.")
    parser.add_argument("--data-dir", type=Path, default=None, help="An ingested data dir (default: a fresh one).")
    parser.add_argument(
        "--url", default=None, help="Drive a server already running on 127.0.0.1 (mind its STRATEGY_RATE_LIMIT)."
    )
    parser.add_argument(
        "--floor-requests",
        type=int,
        default=200,
        help="Single query embeddings timed for the floor (before and after).",
    )
    parser.add_argument(
        "--server-env",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="Extra environment of the started server (repeatable), e.g. OMP_NUM_THREADS=1.",
    )
    args = parser.parse_args()
    levels = [int(n) for n in args.levels.split(",")]
    endpoints = [e.strip() for e in args.endpoints.split(",")]
    if not set(endpoints) <= {"search", "ask"} or not levels or min(levels) < 1 or max(levels) > 256:
        parser.error("endpoints are search and/or ask; levels are 1 to 256 clients")
    questions = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]

    def drive(url: str, pid: int | None = None) -> list[dict]:
        # Right after /readyz turns 200 the embedding model is still loading (the first request waits
        # for it) and latency is unsteady for a few seconds: warm up before measuring anything.
        for endpoint in endpoints:
            seconds = args.warmup / len(endpoints)
            asyncio.run(run_level(url, endpoint, questions, 1, seconds, args.max_requests, args.timeout))
        results = []
        for endpoint in endpoints:
            for concurrency in levels:
                level = run_level(
                    url, endpoint, questions, concurrency, args.seconds, args.max_requests, args.timeout, pid
                )
                results.append(asyncio.run(level))
        return results

    # The floor, side by side with the service: the model alone, before the server starts and after it stops.
    server_env = dict(item.split("=", 1) for item in args.server_env)
    threads, runtime = service_threads(server_env), service_runtime(server_env)
    embedder = load_embedder(threads, runtime=runtime, data_dir=args.data_dir)
    floors = {"before": embedding_floor(questions, args.floor_requests, embedder=embedder)}
    floors.update(reference_floor(questions, args.floor_requests, threads, runtime))
    if args.url:
        if urlparse(args.url).hostname != "127.0.0.1":
            parser.error(f"this load test only drives 127.0.0.1, not {args.url}")
        wait_ready(args.url)
        results = drive(args.url)
    else:
        data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-load-"))
        # Loopback bind whatever the environment says; the per-client rate limit (120/minute by default)
        # would otherwise answer most of the load with 429.
        env = {"STRATEGY_RATE_LIMIT": "100000000/minute", "STRATEGY_DEFAULT_MODEL": "extractive"}
        env.update(server_env)
        env["STRATEGY_HOST"] = "127.0.0.1"
        with running_server(data_dir, env) as (url, process):
            wait_ready(url, timeout=300)
            results = drive(url, process.pid)

    floors["after"] = embedding_floor(questions, args.floor_requests, embedder=embedder)
    print(json.dumps({"floor": floors, "levels": results, "verdict": verdict(results)}, indent=2))
    print()
    print("\n".join(f"{name:>6} {floor_line(floor)}" for name, floor in floors.items()))
    print(table(results))


if __name__ == "__main__":
    main()
