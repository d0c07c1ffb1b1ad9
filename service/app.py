"""create_app: the one place the HTTP application is wired."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service import __version__
from service.api import ask, health, openai_compat, scenarios, search
from service.api.errors import install_error_handlers
from service.container import Services, build_services
from service.errors import ServiceError
from service.settings import Settings, get_settings

log = logging.getLogger(__name__)


def _prepare_in_background(services: Services) -> threading.Thread:
    """Load (and if needed build) the index without blocking start-up: /healthz answers at once,
    /readyz turns 200 when the index is loaded."""

    def run() -> None:
        try:
            services.prepare_index()
        except ServiceError as exc:
            services.startup_error = exc.message
            log.error("index not ready: %s", exc.message)
        except Exception as exc:  # keep the process up and say why it is not ready
            services.startup_error = f"{type(exc).__name__}: {exc}"
            log.exception("index preparation failed")

    thread = threading.Thread(target=run, name="prepare-index", daemon=True)
    thread.start()
    return thread


def create_app(settings: Settings | None = None, *, services: Services | None = None, store=None, embedder=None) -> FastAPI:
    settings = settings or get_settings()
    services = services or build_services(settings, store=store, embedder=embedder)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.prepare_thread = _prepare_in_background(services)
        yield
        services.close()

    app = FastAPI(
        title="strategy-assistant",
        version=__version__,
        description="Grounded answers, with verified citations, over a corpus of AI-strategy writing.",
        lifespan=lifespan,
    )
    app.state.services = services
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(ask.router)
    app.include_router(openai_compat.router)
    app.include_router(scenarios.router)
    return app
