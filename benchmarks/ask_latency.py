"""/v1/ask latency over HTTP: the offline default, the embedded SmolLM2, and the service's own overhead
measured against an instant model (LiteLLM's built-in mock_response, so the model call costs ~0 ms).

Run: .venv/bin/python benchmarks/ask_latency.py [--requests 100] [--generated 15]  (--generated 0: no SmolLM2)
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import httpx
import yaml
from _server import ROOT, running_server, wait_ready

from service.evals.golden import GOLDEN_DIR, load_cases


def p(values: list[float], q: int) -> float:
    return (
        round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)
        if len(values) > 1
        else round(values[0], 1)
    )


def timed_ask(client: httpx.Client, question: str, model: str) -> float:
    started = time.perf_counter()
    client.post("/v1/ask", json={"question": question, "model": model}).raise_for_status()
    return (time.perf_counter() - started) * 1000


def first_event_ms(client: httpx.Client, question: str, model: str) -> float:
    started = time.perf_counter()
    with client.stream("POST", "/v1/ask", json={"question": question, "model": model, "stream": True}) as response:
        for line in response.iter_lines():
            if line.startswith("event: delta"):
                return (time.perf_counter() - started) * 1000
    raise RuntimeError("no delta event")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--generated", type=int, default=15)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()
    questions = [c.question for c in load_cases(GOLDEN_DIR / "retrieval.yaml")]

    config = yaml.safe_load((ROOT / "service" / "llm" / "models.yaml").read_text())
    config["model_list"].append(
        {
            "model_name": "instant",
            "litellm_params": {
                "model": "openai/gpt-4o-mini",
                "api_key": "not-used",
                "mock_response": "Companies with 1,000-10,000 GPUs face extinction [1].",
            },
        }
    )
    models_file = Path(tempfile.mkdtemp()) / "models.yaml"
    models_file.write_text(yaml.safe_dump(config))
    data_dir = args.data_dir or Path(tempfile.mkdtemp(prefix="bench-ask-"))
    result = {}
    with running_server(data_dir, {"STRATEGY_MODELS_FILE": str(models_file)}) as (url, _):
        wait_ready(url, timeout=300)
        with httpx.Client(base_url=url, timeout=120) as client:
            for q in questions[:10]:
                timed_ask(client, q, "extractive")
            sample = [questions[i % len(questions)] for i in range(args.requests)]
            extractive = [timed_ask(client, q, "extractive") for q in sample]
            extractive_first = [first_event_ms(client, q, "extractive") for q in sample[:30]]
            instant = [timed_ask(client, q, "instant") for q in sample]
            generated_sample = sample[: args.generated]
            if generated_sample:  # --generated 0: the offline default and the overhead only
                timed_ask(client, questions[0], "smollm2")  # load the model
            generated = [timed_ask(client, q, "smollm2") for q in generated_sample]
            generated_first = [first_event_ms(client, q, "smollm2") for q in generated_sample]
    result["extractive (offline default) /v1/ask ms"] = {"p50": p(extractive, 50), "p95": p(extractive, 95)}
    result["extractive first streamed delta ms"] = {"p50": p(extractive_first, 50)}
    result["service overhead: /v1/ask with an instant model ms"] = {"p50": p(instant, 50), "p95": p(instant, 95)}
    if generated:
        result["smollm2 (embedded llama.cpp) /v1/ask ms"] = {
            "p50": p(generated, 50),
            "p95": p(generated, 95),
            "n": len(generated),
        }
        result["smollm2 first streamed token ms"] = {"p50": p(generated_first, 50)}
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
