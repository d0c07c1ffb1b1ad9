"""API keys, open access only on loopback or by setting, per-key rate limits, request limits."""

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.security.keys import KeyStore
from tests.api.conftest import wait_ready


def client_for(corpus_services, tmp_path, **settings_update):
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path, **settings_update})
    services = corpus_services.__class__(**{**corpus_services.__dict__, "settings": settings, "keys": KeyStore(tmp_path / "keys.sqlite3")})
    return TestClient(create_app(settings, services=services)), services


def test_keys_are_stored_hashed_and_checked(tmp_path):
    store = KeyStore(tmp_path / "keys.sqlite3")
    key, secret = store.create("analyst")
    assert secret.startswith(f"sa_{key.id}_") and store.verify(secret).id == key.id
    assert secret.split("_", 2)[2] not in (tmp_path / "keys.sqlite3").read_bytes().decode("latin-1")
    assert store.verify(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    assert store.verify("sa_nope_x") is None and store.verify("garbage") is None
    assert store.revoke(key.id) and store.verify(secret) is None and not store.revoke(key.id)


def test_once_a_key_exists_v1_needs_it(corpus_services, tmp_path):
    client, services = client_for(corpus_services, tmp_path)
    with client:
        wait_ready(client)
        assert client.post("/v1/search", json={"query": "Jevons"}).status_code == 200  # no keys, loopback: open
        _, secret = services.keys.create("ci")
        services.keys._active_cache = None
        refused = client.post("/v1/search", json={"query": "Jevons"})
        assert refused.status_code == 401 and refused.json()["error"]["code"] == "unauthorized"
        assert "keys create" in refused.json()["error"]["message"] and refused.headers["www-authenticate"] == "Bearer"
        assert client.post("/v1/search", json={"query": "Jevons"}, headers={"authorization": "Bearer sa_x_wrong"}).status_code == 401
        ok = client.post("/v1/search", json={"query": "Jevons"}, headers={"authorization": f"Bearer {secret}"})
        assert ok.status_code == 200
        assert client.get("/healthz").status_code == 200 and client.get("/").status_code == 200  # not behind the key


@pytest.mark.parametrize(("host", "open_setting", "status"), [("0.0.0.0", False, 401), ("0.0.0.0", True, 200), ("127.0.0.1", False, 200), ("::1", False, 200)])
def test_open_access_only_on_loopback_or_by_setting(corpus_services, tmp_path, host, open_setting, status):
    client, _ = client_for(corpus_services, tmp_path, host=host, allow_open_access=open_setting)
    with client:
        wait_ready(client)
        response = client.post("/v1/search", json={"query": "Jevons"})
        assert response.status_code == status
        if status == 401:
            assert "STRATEGY_ALLOW_OPEN_ACCESS" in response.json()["error"]["message"]


def test_rate_limit_per_key_answers_429_with_retry_after(corpus_services, tmp_path):
    client, services = client_for(corpus_services, tmp_path, rate_limit="3/minute")
    _, first = services.keys.create("a")
    _, second = services.keys.create("b")
    with client:
        wait_ready(client)
        for _ in range(3):
            assert client.post("/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {first}"}).status_code == 200
        limited = client.post("/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {first}"})
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert client.post("/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {second}"}).status_code == 200


def test_body_size_limit_is_413_json(corpus_services, tmp_path):
    client, _ = client_for(corpus_services, tmp_path, max_body_bytes=2048)
    with client:
        wait_ready(client)
        response = client.post("/v1/search", content=b'{"query": "' + b"a" * 5000 + b'"}', headers={"content-type": "application/json"})
        assert response.status_code == 413 and response.json()["error"]["code"] == "request_too_large"

        def chunks():
            yield b'{"query": "'
            yield b"a" * 5000
            yield b'"}'

        streamed = client.post("/v1/search", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413


def test_keys_cli_create_list_revoke(monkeypatch, corpus_services, tmp_path):
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path})
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "--name", "board-deck"])
    assert created.exit_code == 0
    secret = created.stdout.strip()
    key_id = secret.split("_")[1]
    listed = runner.invoke(cli, ["keys", "list"])
    assert key_id in listed.stdout and "board-deck" in listed.stdout and secret.split("_", 2)[2] not in listed.stdout
    assert runner.invoke(cli, ["keys", "revoke", key_id]).exit_code == 0
    assert "revoked" in runner.invoke(cli, ["keys", "list"]).stdout
    assert runner.invoke(cli, ["keys", "revoke", "nope"]).exit_code == 2
