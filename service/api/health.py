"""Liveness and readiness probes."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from service.api.deps import ServicesDep
from service.api.schemas import ErrorResponse, HealthResponse, ReadyResponse
from service.errors import ServiceError, error_body

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthResponse)
async def healthz() -> HealthResponse:
    """The process is alive."""
    return HealthResponse(status="ok")


@router.get("/readyz", response_model=ReadyResponse, responses={503: {"model": ErrorResponse}})
def readyz(services: ServicesDep):
    """200 once the index is loaded and the store and the database answer; 503 with the reason otherwise."""
    if services.startup_error:
        return JSONResponse(error_body("startup_failed", services.startup_error), status_code=503)
    active = services.retriever.active
    if active is None:
        return JSONResponse(
            error_body("index_loading", "The index is loading; retry shortly."),
            status_code=503,
            headers={"Retry-After": "2"},
        )
    try:
        services.store.heartbeat()
    except ServiceError as exc:
        return JSONResponse(exc.to_dict(), status_code=503, headers={"Retry-After": "5"})
    database_problem = services.database.check()  # keys, signals and feedback: a replica without them is not ready
    if database_problem:
        return JSONResponse(
            error_body("database_unavailable", database_problem), status_code=503, headers={"Retry-After": "5"}
        )
    return ReadyResponse(
        status="ready", index=active.collection, chunks=active.chunk_count, embedding_model=active.embedding_model
    )
