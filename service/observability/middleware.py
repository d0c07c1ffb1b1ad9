"""Per request: a request id (X-Request-ID in and out), one structured access-log line, Prometheus metrics."""

from __future__ import annotations

import logging
import re
import time
import uuid

from service.observability.logs import request_id
from service.observability.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("service.access")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class ObservabilityMiddleware:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        incoming = dict(scope.get("headers", [])).get(b"x-request-id", b"").decode("latin-1")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = request_id.set(rid)
        status = 500
        started = time.perf_counter()

        async def send_with_id(event):
            nonlocal status
            if event["type"] == "http.response.start":
                status = event["status"]
                event = {**event, "headers": [*event.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(event)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            REQUESTS.labels(route, scope["method"], str(status)).inc()
            REQUEST_SECONDS.labels(route, scope["method"]).observe(seconds)
            log.info("request", extra={"method": scope["method"], "route": route, "status": status, "duration_ms": round(seconds * 1000, 1)})
            request_id.reset(token)
