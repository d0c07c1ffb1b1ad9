"""One JSON error shape for every failure we know about: {"error": {"code", "message", "details"}}."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.errors import ServiceError, error_body


def _error(status: int, code: str, message: str, details=None, headers=None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def _describe(errors: list[dict]) -> tuple[str, str, list[dict]]:
    """A stable code and a human sentence for pydantic's validation errors."""
    details = [
        {
            "field": ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body",
            "problem": e.get("msg", ""),
            "type": e.get("type", ""),
        }
        for e in errors
    ]
    types = {e.get("type", "") for e in errors}
    if types & {"json_invalid", "json_type", "model_attributes_type"} or any(d["field"] == "body" for d in details):
        return (
            "invalid_json",
            'The request body must be a JSON object, e.g. {"query": "what is blitzscaling?"}.',
            details,
        )
    first = details[0]
    return "invalid_request", f"Fix the field '{first['field']}': {first['problem']}.", details


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(_: Request, exc: ServiceError) -> JSONResponse:
        return _error(exc.status_code, exc.code, exc.message, exc.details or None, exc.headers or None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        code, message, details = _describe(list(exc.errors()))
        return _error(422, code, message, details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        codes = {
            400: "invalid_json",
            404: "not_found",
            405: "method_not_allowed",
            413: "request_too_large",
            415: "unsupported_media_type",
        }
        code = codes.get(exc.status_code, f"http_{exc.status_code}")
        message = str(exc.detail)
        if exc.status_code == 400:  # FastAPI could not decode the body at all
            message = 'The request body must be a UTF-8 encoded JSON object, e.g. {"query": "what is blitzscaling?"}.'
        return _error(exc.status_code, code, message, headers=getattr(exc, "headers", None))


from service.api.schemas import ErrorResponse  # noqa: E402

#: OpenAPI entries for the error shape, for routes to declare.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "Invalid request; the message says how to fix it."},
    503: {"model": ErrorResponse, "description": "Not ready or a dependency is down; retry after Retry-After."},
}
