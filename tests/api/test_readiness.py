import threading

from fastapi.testclient import TestClient

from service.app import create_app
from service.container import build_services
from tests.api.conftest import wait_ready


class GatedEmbedder:
    """The real model, held back until the test opens the gate, to observe start-up."""

    def __init__(self, real):
        self.name = real.name
        self._real = real
        self.gate = threading.Event()

    def embed(self, texts, **kwargs):
        self.gate.wait(timeout=30)
        return self._real.embed(texts)


def test_readyz_is_503_until_the_index_is_built_then_200(store_settings, embedder):
    gated = GatedEmbedder(embedder)
    app = create_app(store_settings, services=build_services(store_settings, embedder=gated))
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        response = client.get("/readyz")
        assert response.status_code == 503 and response.json()["error"]["code"] == "index_loading"
        assert client.post("/v1/search", json={"query": "x"}).status_code == 503
        gated.gate.set()
        wait_ready(client)
        assert client.post("/v1/search", json={"query": "Jevons"}).json()["results"][0]["document"]["id"] == "jevons"


def test_a_broken_corpus_on_first_start_keeps_the_process_up_and_says_why(store_settings, embedder):
    (store_settings.corpus_dir / "bad.md").write_text("---\ntitle: [x\n---\nbody", encoding="utf-8")
    with TestClient(create_app(store_settings, services=build_services(store_settings, embedder=embedder))) as client:
        app_services = client.app.state.services
        client.app.state.prepare_thread.join(timeout=30)
        response = client.get("/readyz")
        assert response.status_code == 503
        assert "bad.md" in response.json()["error"]["message"]
        assert app_services.startup_error
