"""API keys, open access only on loopback or by setting, per-key rate limits, request limits."""

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.security.keys import KeyStore
from service.storage.database import Database, sqlite_url
from service.storage.tables import api_keys
from tests.api.conftest import wait_ready


def client_for(corpus_services, tmp_path, **settings_update):
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path, **settings_update})
    database = Database(sqlite_url(tmp_path / "state.sqlite3"))
    services = corpus_services.__class__(
        **{**corpus_services.__dict__, "settings": settings, "keys": KeyStore(database), "database": database}
    )
    return TestClient(create_app(settings, services=services)), services


def test_keys_are_stored_hashed_and_checked(database_url):
    store = KeyStore(Database(database_url))
    key, secret = store.create("analyst")
    assert secret.startswith(f"sa_{key.id}_") and store.verify(secret).id == key.id
    with store.database.connect() as connection:
        stored = [tuple(row) for row in connection.execute(api_keys.select())]
    assert secret.split("_", 2)[2] not in repr(stored) and stored[0][0] == key.id
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
        assert (
            client.post(
                "/v1/search", json={"query": "Jevons"}, headers={"authorization": "Bearer sa_x_wrong"}
            ).status_code
            == 401
        )
        ok = client.post("/v1/search", json={"query": "Jevons"}, headers={"authorization": f"Bearer {secret}"})
        assert ok.status_code == 200
        assert client.get("/healthz").status_code == 200 and client.get("/").status_code == 200  # not behind the key


@pytest.mark.parametrize(
    ("host", "open_setting", "status"),
    [("0.0.0.0", False, 401), ("0.0.0.0", True, 200), ("127.0.0.1", False, 200), ("::1", False, 200)],
)
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
            assert (
                client.post(
                    "/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {first}"}
                ).status_code
                == 200
            )
        limited = client.post("/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {first}"})
        assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
        assert 1 <= int(limited.headers["retry-after"]) <= 60
        assert (
            client.post("/v1/search", json={"query": "x y"}, headers={"authorization": f"Bearer {second}"}).status_code
            == 200
        )


def test_body_size_limit_is_413_json(corpus_services, tmp_path):
    client, _ = client_for(corpus_services, tmp_path, max_body_bytes=2048)
    with client:
        wait_ready(client)
        response = client.post(
            "/v1/search", content=b'{"query": "' + b"a" * 5000 + b'"}', headers={"content-type": "application/json"}
        )
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


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(corpus_services, tmp_path):
    # Keyless on loopback, 5 a minute per client: a new X-Forwarded-For per request must not make a new client.
    client, _ = client_for(corpus_services, tmp_path, rate_limit="5/minute")
    with client:
        wait_ready(client)
        codes = [
            client.get("/v1/currents", headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code for n in range(8)
        ]
        assert codes == [200] * 5 + [429] * 3
    # Behind a proxy named in the setting (the test client's peer is "testclient"), the header names the client.
    proxied, _ = client_for(
        corpus_services, tmp_path / "proxied", rate_limit="5/minute", trusted_proxies=["testclient"]
    )
    with proxied:
        wait_ready(proxied)
        assert all(
            proxied.get("/v1/currents", headers={"x-forwarded-for": f"203.0.113.{n}"}).status_code == 200
            for n in range(8)
        )
        same = [proxied.get("/v1/currents", headers={"x-forwarded-for": "198.51.100.7"}).status_code for _ in range(6)]
        assert same == [200] * 5 + [429]


def test_serve_never_lets_uvicorn_rewrite_the_client_address(monkeypatch, corpus_services, tmp_path):
    seen = {}
    monkeypatch.setattr(
        "service.cli.get_settings", lambda: corpus_services.settings.model_copy(update={"data_dir": tmp_path})
    )
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: seen.update(kwargs))
    monkeypatch.setattr(
        "service.observability.logs.configure_logging", lambda *a, **k: None
    )  # leave the test's logging alone
    assert CliRunner().invoke(cli, ["serve", "--port", "8123"]).exit_code == 0
    assert seen["proxy_headers"] is False and seen["port"] == 8123


def test_wrong_keys_are_throttled_per_client_and_logged_without_key_material(corpus_services, tmp_path, caplog):
    client, services = client_for(corpus_services, tmp_path, auth_failure_limit="3/minute")
    _, secret = services.keys.create("analyst")
    guesses = [f"sa_{secret.split('_')[1]}_guess{n}secretpart" for n in range(5)]
    with client, caplog.at_level("WARNING", logger="service.security.access"):
        wait_ready(client)
        codes = [client.get("/v1/currents", headers={"authorization": f"Bearer {g}"}).status_code for g in guesses]
        assert codes == [401, 401, 401, 429, 429]
        throttled = client.get(
            "/v1/currents", headers={"authorization": f"Bearer {secret}"}
        )  # even the right key waits
        assert throttled.status_code == 429 and throttled.json()["error"]["code"] == "rate_limited"
        assert (
            1 <= int(throttled.headers["retry-after"]) <= 60
            and "wrong API keys" in throttled.json()["error"]["message"]
        )
        assert client.get("/v1/currents").status_code == 401  # no key at all is not a guess
    refused = [r for r in caplog.records if r.name == "service.security.access"]
    assert len(refused) == 3 and all(r.client == "testclient" for r in refused)
    logged = " ".join(f"{r.getMessage()} {r.__dict__}" for r in caplog.records)
    assert "secretpart" not in logged and secret.split("_", 2)[2] not in logged


def test_the_right_key_from_another_client_is_not_throttled(corpus_services, tmp_path):
    client, services = client_for(
        corpus_services, tmp_path, auth_failure_limit="2/minute", trusted_proxies=["testclient"]
    )
    _, secret = services.keys.create("analyst")
    with client:
        wait_ready(client)
        for _ in range(3):
            client.get(
                "/v1/currents", headers={"authorization": "Bearer sa_nope_nope", "x-forwarded-for": "198.51.100.1"}
            )
        assert (
            client.get(
                "/v1/currents", headers={"authorization": f"Bearer {secret}", "x-forwarded-for": "198.51.100.1"}
            ).status_code
            == 429
        )
        assert (
            client.get(
                "/v1/currents", headers={"authorization": f"Bearer {secret}", "x-forwarded-for": "198.51.100.2"}
            ).status_code
            == 200
        )
