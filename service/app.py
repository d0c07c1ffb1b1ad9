"""create_app: the one place the HTTP application is wired."""

from __future__ import annotations

import logging
import threading
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.responses import Response
from fastapi_offline import FastAPIOffline
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from service import __version__
from service.api import ask, health, openai_compat, scenarios, search
from service.api.errors import install_error_handlers
from service.container import Services, build_services
from service.errors import ServiceError
from service.llm.catalog import EXTRACTIVE
from service.observability.middleware import ObservabilityMiddleware
from service.observability.tracing import configure_tracing
from service.security.access import AccessControl, require_access
from service.security.hosts import TrustedHosts, allowed_hosts
from service.security.limits import BodySizeLimit, RequestTimeout
from service.settings import Settings, get_settings
from service.slack.routes import install_slack
from service.web import routes as web

log = logging.getLogger(__name__)


def _prepare_in_background(services: Services) -> threading.Thread:
    """Load (and if needed build) the index without blocking start-up: /healthz answers at once,
    /readyz turns 200 when the index is loaded."""

    def run() -> None:
        services.prepare_database()
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


def create_app(
    settings: Settings | None = None, *, services: Services | None = None, store=None, embedder=None
) -> FastAPI:
    settings = settings or get_settings()
    services = services or build_services(settings, store=store, embedder=embedder)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.prepare_thread = _prepare_in_background(services)
        if settings.embedded_preload:
            services.gateway.start()  # a child process: /readyz does not wait for it, answers fall back meanwhile
        if settings.embedded_preload or settings.default_model != EXTRACTIVE:
            # Models are expected: load LiteLLM (about 4 s of CPU) beside start-up rather than on the first question.
            threading.Thread(target=lambda: services.gateway.router, name="load-llm-router", daemon=True).start()
        yield
        app.state.prepare_thread.join(timeout=60)  # never exit while it is inside torch or llama.cpp
        services.close()

    app = FastAPIOffline(  # a FastAPI app whose /docs and /redoc load Swagger UI and ReDoc from the package: works offline
        title="strategy-assistant",
        version=__version__,
        description="Grounded answers, with verified citations, over a corpus of AI-strategy writing.",
        lifespan=lifespan,
        static_url="/docs-assets",
        swagger_ui_parameters={"validatorUrl": None},  # no badge fetched from swagger.io
    )
    app.state.services = services
    app.state.access = AccessControl(services.keys, settings, services.redis)
    install_error_handlers(app)
    app.include_router(health.router)
    protected = [Depends(require_access)]
    for router in (search.router, ask.router, openai_compat.router, scenarios.router):
        app.include_router(router, dependencies=protected)

    app.include_router(web.router)  # the chat page; it calls /v1/* with the user's key when keys exist
    install_slack(app, services)  # POST /slack/events: Slack signs its requests, so not behind the API key

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    configure_tracing(app, settings.otel_exporter)
    # Outermost first: every request gets an id and is measured (and an unexpected error becomes a JSON 500),
    # its client is named by a trusted proxy if any, its Host is checked, then it is size- and time-limited.
    app.add_middleware(RequestTimeout, timeout_s=settings.request_timeout_s)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(TrustedHosts, hosts=allowed_hosts(settings))
    if settings.trusted_proxies:  # else X-Forwarded-For is ignored: any client could name itself anew per request
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    app.add_middleware(ObservabilityMiddleware)
    return app
