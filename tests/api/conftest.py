import time

import pytest
from fastapi.testclient import TestClient

from service.app import create_app


def wait_ready(client: TestClient, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if client.get("/readyz").status_code == 200:
            return
        time.sleep(0.05)
    raise AssertionError(f"not ready: {client.get('/readyz').json()}")


@pytest.fixture(scope="session")
def client(corpus_services):
    """The real app over the real corpus index."""
    with TestClient(create_app(corpus_services.settings, services=corpus_services)) as test_client:
        wait_ready(test_client)
        yield test_client
