"""The offline default makes no outbound connection: start, search, ask, stream, embedded model.

The embedded model is a server process of our own on loopback: connections to its port are the only
ones allowed, and nothing else is connected to at all, loopback included."""

import socket

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.api.conftest import wait_ready
from tests.conftest import services_with_models


@pytest.fixture
def connections(monkeypatch):
    """Every socket connect of the test, wherever it goes (the loopback included)."""
    seen = []
    real_connect = socket.socket.connect

    def record(self, address):
        seen.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", record)
    return seen


def test_offline_default_opens_no_connection(corpus_services, embedded_llm, models_file, connections):
    services = services_with_models(corpus_services, models_file, embedded=embedded_llm, timeout_s=120)
    services.gateway.max_tokens = 8  # a few tokens prove the model answered; 200 cost ~40 s on 2 busy cores
    with TestClient(create_app(services.settings, services=services)) as client:
        wait_ready(client)
        assert client.post("/v1/search", json={"query": "Jevons"}).status_code == 200
        assert client.post("/v1/ask", json={"question": "What is the Jevons paradox?"}).json()["model"] == "extractive"
        client.post("/v1/ask", json={"question": "What is the Jevons paradox?", "stream": True})
        generated = client.post("/v1/ask", json={"question": "What is the Jevons paradox?", "model": "smollm2"}).json()
        assert generated["model"] == "smollm2" and generated["usage"]["completion_tokens"] > 0
    port = embedded_llm.config.port
    assert connections and all(address[:2] == ("127.0.0.1", port) for address in connections), connections
