"""Per request: a request id (X-Request-ID in and out), one structured access-log line, Prometheus metrics,
and a JSON 500 carrying the request id when something unexpected breaks."""

from __future__ import annotations

import logging
import re
import time
import uuid

from service.errors import send_error
from service.observability.logs import request_id
from service.observability.metrics import REQUEST_SECONDS, REQUESTS

log = logging.getLogger("service.access")
errors = logging.getLogger("service.errors")
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


async def send_internal_error(send, rid: str) -> None:
    """The answer to an unexpected failure: a bug, logged with its traceback under this request id."""
    await send_error(
        send,
        500,
        "internal_error",
        f"Something unexpected went wrong on the server; it is logged under request id {rid}. "
        "Retry, and report that id if it happens again.",
        {"request_id": rid},
    )


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
        response_started = False

        async def send_with_id(event):
            nonlocal status, response_started
            if event["type"] == "http.response.start":
                status = event["status"]
                response_started = True
                event = {**event, "headers": [*event.get("headers", []), (b"x-request-id", rid.encode())]}
            await send(event)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            # Here, inside the request id's scope: Starlette's own last-resort handler would answer plain text, without it.
            errors.exception("unhandled error", extra={"method": scope["method"], "path": scope.get("path")})
            if response_started:
                raise  # a stream already under way cannot become an error response; the server closes it
            await send_internal_error(send_with_id, rid)
        finally:
            seconds = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            REQUESTS.labels(route, scope["method"], str(status)).inc()
            REQUEST_SECONDS.labels(route, scope["method"]).observe(seconds)
            log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "route": route,
                    "status": status,
                    "duration_ms": round(seconds * 1000, 1),
                },
            )
            request_id.reset(token)
