"""Which aliases can answer now: keys present, servers reachable, the embedded model up; cached."""

import socket

import pytest

from service.llm.availability import AvailabilityChecker
from service.llm.catalog import ModelCatalog
from service.llm.embedded import EmbeddedModelServer, EmbeddedServerConfig, packaged_gguf
from tests.conftest import _free_port


@pytest.fixture
def listening():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    yield f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    server.close()


def catalog(reachable: str, closed: str) -> ModelCatalog:
    return ModelCatalog(
        model_list=[
            {
                "model_name": "closed-api",
                "litellm_params": {"model": "openai/gpt-4o-mini", "api_key": "os.environ/TEST_VENDOR_KEY"},
            },
            {"model_name": "up", "litellm_params": {"model": "hosted_vllm/m", "api_base": reachable}},
            {"model_name": "down", "litellm_params": {"model": "hosted_vllm/m", "api_base": closed}},
            {"model_name": "local", "litellm_params": {"model": "openai/embedded"}, "model_info": {"embedded": True}},
        ]
    )


def test_keys_servers_and_the_embedded_model_are_checked(listening, monkeypatch):
    closed = f"http://127.0.0.1:{_free_port()}/v1"
    embedded = EmbeddedModelServer(EmbeddedServerConfig(model_path=packaged_gguf(), port=_free_port()))
    checker = AvailabilityChecker(catalog(listening, closed), embedded)
    monkeypatch.delenv("TEST_VENDOR_KEY", raising=False)
    assert checker.check("closed-api").available is False and "TEST_VENDOR_KEY" in checker.check("closed-api").reason
    monkeypatch.setenv("TEST_VENDOR_KEY", "sk-x")
    assert checker.check("closed-api").available is True
    assert checker.check("up").available is True
    down = checker.check("down")
    assert down.available is False and "does not answer" in down.reason
    assert checker.check("extractive").available is True
    assert checker.check("local").reason == "embedded model starts on first use"


def test_reachability_is_cached_then_rechecked():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    base = f"http://127.0.0.1:{server.getsockname()[1]}/v1"
    cached = AvailabilityChecker(catalog(base, base), None, cache_seconds=60)
    fresh = AvailabilityChecker(catalog(base, base), None, cache_seconds=0)
    assert cached.check("up").available and fresh.check("up").available
    server.close()  # the server goes away
    assert cached.check("up").available is True  # within the cache time the last result stands
    assert fresh.check("up").available is False
    assert cached.check("local").available is False  # no embedded server configured
