"""The service's own error types, each with a stable code, an HTTP status and a fix-it message, and the
one JSON shape every error response has: {"error": {"code", "message", "details"?}}."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    """The JSON body of an error response; `details` only when there are some."""
    body: dict[str, Any] = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


async def send_error(
    send: Callable[[dict[str, Any]], Awaitable[None]],
    status: int,
    code: str,
    message: str,
    details: Any = None,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> None:
    """Answer an HTTP request with error_body from pure ASGI middleware, where FastAPI's handlers do not reach."""
    body = json.dumps(error_body(code, message, details)).encode()
    start_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *headers]
    await send({"type": "http.response.start", "status": status, "headers": start_headers})
    await send({"type": "http.response.body", "body": body})


class ServiceError(Exception):
    """Base of every error we raise on purpose; the API maps it to one JSON shape."""

    code = "service_error"
    status_code = 500

    def __init__(self, message: str, *, details: dict | None = None, headers: dict | None = None):
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}

    def to_dict(self) -> dict[str, Any]:
        return error_body(self.code, self.message, self.details)


class CorpusError(ServiceError):
    """A corpus document cannot be read; the message names the file and the problem."""

    code = "corpus_invalid"
    status_code = 500


class IndexNotReadyError(ServiceError):
    code = "index_not_ready"
    status_code = 503


class StoreUnavailableError(ServiceError):
    code = "store_unavailable"
    status_code = 503


class EmbeddingModelError(ServiceError):
    code = "embedding_model_unavailable"
    status_code = 500


class InvalidRequestError(ServiceError):
    code = "invalid_request"
    status_code = 422
