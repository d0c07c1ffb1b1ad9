"""Which Host headers are served: a DNS name rebound to this machine is refused."""

from __future__ import annotations

import ipaddress

from starlette.middleware.trustedhost import TrustedHostMiddleware

from service.errors import send_error
from service.security.access import bound_to_loopback

#: What a browser sends as Host to a loopback-bound service.
LOOPBACK_HOSTS = ["localhost", "127.0.0.1", "[::1]"]


def allowed_hosts(settings) -> list[str]:
    """The setting; unset: the loopback names when bound to loopback (a rebound DNS name is refused), else any host."""
    if settings.allowed_hosts:
        return list(settings.allowed_hosts)
    if not bound_to_loopback(settings.host):
        return ["*"]
    bound = settings.host
    try:
        if ipaddress.ip_address(bound).version == 6:
            bound = f"[{bound}]"
    except ValueError:
        pass
    return list(dict.fromkeys([*LOOPBACK_HOSTS, bound.lower()]))


class TrustedHosts:
    """Starlette's TrustedHostMiddleware decides; a refused Host gets the service's JSON error instead of plain text."""

    def __init__(self, app, hosts: list[str]):
        self.app = app
        self.hosts = hosts
        TrustedHostMiddleware(app, hosts)  # fails at start, not per request, on a malformed pattern

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or "*" in self.hosts:
            return await self.app(scope, receive, send)
        admitted = False

        async def admit(*_):
            nonlocal admitted
            admitted = True

        async def discard(_):
            return None

        await TrustedHostMiddleware(admit, self.hosts, www_redirect=False)(scope, receive, discard)
        if admitted:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            return await send({"type": "websocket.close", "code": 1008})
        host = dict(scope.get("headers", [])).get(b"host", b"").decode("latin-1")[:200]
        await send_error(
            send,
            400,
            "invalid_host",
            f"This service does not answer to the host {host!r}. Use one of {', '.join(self.hosts)}, "
            "or add this name to STRATEGY_ALLOWED_HOSTS.",
            {"allowed_hosts": self.hosts},
        )
