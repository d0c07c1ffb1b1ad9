"""The Host header: only the names this service answers to (DNS rebinding), as JSON 400 invalid_host otherwise."""

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from service.security.hosts import allowed_hosts
from tests.api.conftest import wait_ready


def app_for(corpus_services, tmp_path, **update):
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path, **update})
    services = corpus_services.__class__(**{**corpus_services.__dict__, "settings": settings})
    return create_app(settings, services=services)


@pytest.mark.parametrize(
    ("host", "setting", "expected"),
    [
        ("127.0.0.1", None, ["localhost", "127.0.0.1", "[::1]"]),
        ("::1", None, ["localhost", "127.0.0.1", "[::1]"]),
        ("127.0.0.2", None, ["localhost", "127.0.0.1", "[::1]", "127.0.0.2"]),
        ("0.0.0.0", None, ["*"]),
        ("0.0.0.0", ["assistant.example.com"], ["assistant.example.com"]),
        ("127.0.0.1", ["*.example.com"], ["*.example.com"]),
    ],
)
def test_which_hosts_are_allowed(corpus_services, host, setting, expected):
    assert (
        allowed_hosts(corpus_services.settings.model_copy(update={"host": host, "allowed_hosts": setting})) == expected
    )


def test_on_loopback_only_loopback_names_are_served(corpus_services, tmp_path):
    app = app_for(corpus_services, tmp_path, host="127.0.0.1", allowed_hosts=None)
    with TestClient(app, base_url="http://127.0.0.1:8000") as client:
        wait_ready(client)
        for name in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000", "LOCALHOST"):
            assert client.get("/v1/currents", headers={"host": name}).status_code == 200, name
        for name in (
            "rebind.attacker.example",
            "rebind.attacker.example:8000",
            "testserver",
            "127.0.0.1.nip.io",
            "",
            "[::1",
        ):
            refused = client.get("/v1/currents", headers={"host": name})
            assert refused.status_code == 400, name
            error = refused.json()["error"]
            assert error["code"] == "invalid_host" and "STRATEGY_ALLOWED_HOSTS" in error["message"]
            assert error["details"]["allowed_hosts"] == ["localhost", "127.0.0.1", "[::1]"]
            assert refused.headers["x-request-id"]
        assert client.get("/healthz", headers={"host": "rebind.attacker.example"}).status_code == 400


def test_beyond_loopback_the_setting_decides(corpus_services, tmp_path):
    app = app_for(
        corpus_services,
        tmp_path,
        host="0.0.0.0",
        allow_open_access=True,
        allowed_hosts=["assistant.example.com", "*.corp.example"],
    )
    with TestClient(app, base_url="http://assistant.example.com") as client:
        wait_ready(client)
        assert client.get("/v1/currents").status_code == 200
        assert client.get("/v1/currents", headers={"host": "eu.corp.example"}).status_code == 200
        assert client.get("/v1/currents", headers={"host": "localhost"}).json()["error"]["code"] == "invalid_host"
