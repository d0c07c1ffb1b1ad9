import socket

import httpx
import pytest

from tests.conftest import ExternalNetworkError


def test_connections_outside_loopback_fail():
    with pytest.raises(ExternalNetworkError):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_resolving_a_public_host_fails():
    with pytest.raises(ExternalNetworkError):
        httpx.get("http://example.com", timeout=1)


def test_loopback_is_allowed():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    with socket.create_connection(server.getsockname(), timeout=1):
        pass
    server.close()
