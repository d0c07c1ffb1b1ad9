"""Faults: a Chroma server that goes away and comes back, a full embedded-model queue, SIGTERM draining."""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.container import build_services
from tests.api.conftest import wait_ready
from tests.conftest import _free_port, services_with_models


def start_chroma(path: Path, port: int) -> subprocess.Popen:
    chroma = str(Path(sys.executable).parent / "chroma")
    process = subprocess.Popen([chroma, "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("chroma run did not start")


def test_chroma_going_away_turns_readyz_503_and_recovers_without_restart(tmp_path, small_corpus, embedder):
    from service.settings import Settings

    port = _free_port()
    server = start_chroma(tmp_path / "chroma", port)
    settings = Settings(corpus_dir=small_corpus, data_dir=tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}")
    try:
        with TestClient(create_app(settings, services=build_services(settings, embedder=embedder))) as client:
            wait_ready(client)
            assert client.post("/v1/search", json={"query": "Jevons"}).status_code == 200
            server.terminate()
            server.wait(timeout=30)
            down = client.get("/readyz")
            assert down.status_code == 503 and down.json()["error"]["code"] == "store_unavailable"
            search = client.post("/v1/search", json={"query": "Jevons"})
            assert search.status_code == 503 and search.json()["error"]["code"] == "store_unavailable" and search.headers["retry-after"]
            server = start_chroma(tmp_path / "chroma", port)  # same data, same address
            wait_ready(client, timeout=30)
            assert client.post("/v1/search", json={"query": "Jevons"}).json()["results"][0]["document"]["id"] == "jevons"
    finally:
        server.kill()


def test_a_full_embedded_queue_answers_503_with_retry_after(corpus_services, models_file, embedded_llm, monkeypatch):
    services = services_with_models(corpus_services, models_file, embedded=embedded_llm)
    monkeypatch.setattr(embedded_llm, "_queue_size", 0)  # every slot taken
    with TestClient(create_app(services.settings, services=services)) as client:
        wait_ready(client)
        response = client.post("/v1/ask", json={"question": "What is the Jevons paradox in AI?", "model": "smollm2"})
    assert response.status_code == 503 and response.json()["error"]["code"] == "models_unavailable"
    assert int(response.headers["retry-after"]) > 0



def test_sigterm_drains_in_flight_requests(corpus_services):
    port = _free_port()
    env = {**os.environ, "STRATEGY_DATA_DIR": str(corpus_services.settings.data_dir), "STRATEGY_LOG_FORMAT": "text"}
    process = subprocess.Popen([str(Path(sys.executable).parent / "strategy-assistant"), "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        result = {}

        def slow_request():  # the embedded model takes a second or more
            result["response"] = httpx.post(f"{url}/v1/ask", json={"question": "What is the Jevons paradox in AI?", "model": "smollm2"}, timeout=120)

        worker = threading.Thread(target=slow_request)
        worker.start()
        deadline = time.monotonic() + 60
        while "strategy_embedded_queue_depth 1.0" not in httpx.get(f"{url}/metrics").text:  # the generation is running
            assert time.monotonic() < deadline and worker.is_alive()
            time.sleep(0.02)
        process.send_signal(signal.SIGTERM)
        worker.join(timeout=120)
        assert result["response"].status_code == 200 and result["response"].json()["model"] == "smollm2"
        # uvicorn drains, then re-raises the signal it caught, so the exit status says "ended by SIGTERM".
        assert process.wait(timeout=60) in (0, -signal.SIGTERM)
    finally:
        process.kill()
