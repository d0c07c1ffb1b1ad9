"""Request ids, JSON logs, Prometheus metrics and OpenTelemetry traces."""

import json
import logging

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from service.app import create_app
from service.observability.logs import configure_logging
from service.observability.tracing import configure_tracing
from tests.api.conftest import wait_ready


def test_request_id_echoed_or_made_and_metrics_exposed(client):
    given = client.post("/v1/search", json={"query": "Jevons"}, headers={"x-request-id": "trace-me-123"})
    assert given.headers["x-request-id"] == "trace-me-123"
    made = client.post("/v1/ask", json={"question": "What is the Jevons paradox in AI?"})
    assert len(made.headers["x-request-id"]) == 32
    client.post("/v1/search", json={"query": ""})
    metrics = client.get("/metrics").text
    assert 'strategy_http_requests_total{method="POST",route="/v1/search",status="200"}' in metrics
    assert 'strategy_http_requests_total{method="POST",route="/v1/search",status="422"}' in metrics
    assert 'strategy_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/v1/search"}' in metrics
    for name in ("strategy_retrieval_duration_seconds_count", 'strategy_generation_duration_seconds_count{model="extractive"}',
                 "strategy_llm_tokens_total", "strategy_llm_cost_usd_total", "strategy_embedded_queue_depth"):
        assert name in metrics, name


def test_logs_are_json_lines_with_the_request_id_and_no_secrets(client, capfd):
    configure_logging("json")
    try:
        client.post("/v1/search", json={"query": "Jevons"}, headers={"x-request-id": "log-check-1", "authorization": "Bearer sa_abc_topsecret"})
        lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        logging.getLogger().handlers[:] = []
    access = [line for line in lines if line.get("request_id") == "log-check-1" and line["message"] == "request"]
    assert access and access[0]["route"] == "/v1/search" and access[0]["status"] == 200 and access[0]["level"] == "INFO"
    assert "topsecret" not in json.dumps(lines)


def test_traces_when_an_exporter_is_configured(corpus_services):
    exporter = InMemorySpanExporter()
    app = create_app(corpus_services.settings, services=corpus_services)
    configure_tracing(app, None, exporter=exporter)
    with TestClient(app) as traced:
        wait_ready(traced)
        traced.post("/v1/ask", json={"question": "What is the Jevons paradox in AI?"})
    names = {span.name for span in exporter.get_finished_spans()}
    assert "POST /v1/ask" in names and {"answer", "retrieval"} <= names
