"""Request ids, JSON logs, Prometheus metrics and OpenTelemetry traces."""

import json
import logging

from fastapi.testclient import TestClient
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import REGISTRY

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
    for name in (
        "strategy_retrieval_duration_seconds_count",
        'strategy_generation_duration_seconds_count{model="extractive"}',
        "strategy_llm_tokens_total",
        "strategy_llm_cost_usd_total",
        "strategy_embedded_queue_depth",
    ):
        assert name in metrics, name


def test_logs_are_json_lines_with_the_request_id_and_no_secrets(client, capfd):
    configure_logging("json")
    try:
        client.post(
            "/v1/search",
            json={"query": "Jevons"},
            headers={"x-request-id": "log-check-1", "authorization": "Bearer sa_abc_topsecret"},
        )
        lines = [json.loads(line) for line in capfd.readouterr().err.splitlines() if line.startswith("{")]
    finally:
        logging.getLogger().handlers[:] = []
    access = [line for line in lines if line.get("request_id") == "log-check-1" and line["message"] == "request"]
    assert access and access[0]["route"] == "/v1/search" and access[0]["status"] == 200 and access[0]["level"] == "INFO"
    assert "topsecret" not in json.dumps(lines)


def test_traces_when_an_exporter_is_configured(corpus_services):
    exporter = InMemorySpanExporter()
    app = create_app(corpus_services.settings, services=corpus_services)
    untraced = corpus_services.answers.tracer
    configure_tracing(app, None, exporter=exporter)
    try:
        with TestClient(app) as traced:
            wait_ready(traced)
            traced.post("/v1/ask", json={"question": "What is the Jevons paradox in AI?"})
    finally:
        corpus_services.answers.tracer = untraced  # the session's services outlive this app
    names = {span.name for span in exporter.get_finished_spans()}
    assert "POST /v1/ask" in names and {"answer", "retrieval"} <= names


def test_an_unexpected_error_is_a_json_500_with_the_request_id_and_a_logged_traceback(corpus_services, caplog):
    app = create_app(corpus_services.settings, services=corpus_services)

    async def broken():
        raise RuntimeError("a bug for the test")

    app.add_api_route("/test-only/broken", broken)
    with TestClient(app, raise_server_exceptions=False) as client, caplog.at_level("ERROR", logger="service.errors"):
        wait_ready(client)
        made = client.get("/test-only/broken")
        given = client.get("/test-only/broken", headers={"x-request-id": "bug-report-42"})
    assert made.status_code == 500 and made.headers["content-type"] == "application/json"
    rid = made.headers["x-request-id"]
    assert len(rid) == 32 and made.json()["error"]["code"] == "internal_error"
    assert made.json()["error"]["details"] == {"request_id": rid} and rid in made.json()["error"]["message"]
    assert "a bug for the test" not in made.text  # the exception stays in the log
    assert (
        given.headers["x-request-id"] == "bug-report-42"
        and given.json()["error"]["details"]["request_id"] == "bug-report-42"
    )
    [first, second] = [r for r in caplog.records if r.name == "service.errors"]
    assert first.exc_info[0] is RuntimeError and second.path == "/test-only/broken"
    assert (
        REGISTRY.get_sample_value(
            "strategy_http_requests_total", {"route": "/test-only/broken", "method": "GET", "status": "500"}
        )
        >= 2
    )
