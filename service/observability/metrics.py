"""Prometheus metrics (prometheus-client), served at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

from service.contracts import Answer

REQUESTS = Counter("strategy_http_requests_total", "HTTP requests", ["route", "method", "status"])
REQUEST_SECONDS = Histogram(
    "strategy_http_request_duration_seconds",
    "HTTP request latency",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RETRIEVAL_SECONDS = Histogram(
    "strategy_retrieval_duration_seconds",
    "Time to retrieve passages",
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1),
)
GENERATION_SECONDS = Histogram(
    "strategy_generation_duration_seconds",
    "Time to produce an answer",
    ["model"],
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10, 30, 60),
)
TOKENS = Counter("strategy_llm_tokens_total", "Model tokens", ["model", "kind"])
COST = Counter(
    "strategy_llm_cost_usd_total", "Model cost in US dollars (LiteLLM's prices; local models cost 0)", ["model"]
)
FALLBACKS = Counter(
    "strategy_llm_fallbacks_total", "Answers given by another model than the one asked", ["requested", "answered"]
)
EMBEDDED_QUEUE = Gauge("strategy_embedded_queue_depth", "Generations waiting for or running on the embedded model")
EMBEDDED_RESTARTS = Counter("strategy_embedded_restarts_total", "Restarts of the embedded model server after it exited")
EMBEDDED_UP = Gauge("strategy_embedded_up", "1 while the embedded model server answers, else 0")


def record_answer(answer: Answer) -> None:
    """Account one finished answer."""
    GENERATION_SECONDS.labels(answer.model).observe(answer.latency_ms / 1000)
    TOKENS.labels(answer.model, "prompt").inc(answer.usage.prompt_tokens)
    TOKENS.labels(answer.model, "completion").inc(answer.usage.completion_tokens)
    COST.labels(answer.model).inc(answer.usage.cost_usd)
    if answer.fallback:
        FALLBACKS.labels(answer.requested_model, answer.model).inc()
