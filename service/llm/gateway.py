"""LLMGateway: chat completions through LiteLLM's Router, with retries, fallbacks and cost."""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import anyio
import httpx

from service.errors import ServiceError
from service.llm.availability import AvailabilityChecker
from service.llm.catalog import ModelCatalog
from service.llm.embedded import EmbeddedBusyError, EmbeddedModelServer

if TYPE_CHECKING:
    from litellm import Router

log = logging.getLogger(__name__)


@functools.cache
def _litellm():
    """LiteLLM, imported on first use: the import takes about 4 s of CPU, and the offline default (extractive)
    never calls a model, so `serve`, `ingest` and the CLI start without it. Offline first and quiet: no
    callbacks, no debug banners, never log message bodies or keys."""
    import litellm

    litellm.telemetry = False
    litellm.suppress_debug_info = True
    litellm.turn_off_message_logging = True
    litellm.drop_params = True
    return litellm


@functools.cache
def provider_errors() -> tuple[type[BaseException], ...]:
    """What a model provider (or the network to it) raises. Only these trigger a fallback or a 503; any other
    exception is our own bug and surfaces as a 500 with its request id and a logged traceback."""
    import openai

    return (
        openai.APIError,  # every LiteLLM-mapped vendor error (timeouts, 429, 5xx, connection) derives from it
        _litellm().RouterRateLimitError,
        httpx.HTTPError,
        asyncio.TimeoutError,
        EmbeddedBusyError,
    )


class AllModelsFailedError(ServiceError):
    code = "models_unavailable"
    status_code = 503

    def __init__(self, message: str, *, retry_after: int = 30, details: dict | None = None):
        super().__init__(message, details=details, headers={"Retry-After": str(retry_after)})


@dataclass
class Completion:
    text: str
    model: str  # the alias that answered (after any fallback)
    usage: dict = field(default_factory=dict)
    cost_usd: float = 0.0
    attempted_fallbacks: int = 0


def _answering_alias(response, requested: str) -> tuple[str, int]:
    headers = (getattr(response, "_hidden_params", None) or {}).get("additional_headers") or {}
    return str(headers.get("x-litellm-model-group") or requested), int(
        headers.get("x-litellm-attempted-fallbacks") or 0
    )


def _usage(response) -> dict:
    usage = getattr(response, "usage", None)
    if usage is None:
        return {}
    return {
        "prompt_tokens": int(getattr(usage, "prompt_tokens", 0) or 0),
        "completion_tokens": int(getattr(usage, "completion_tokens", 0) or 0),
        "total_tokens": int(getattr(usage, "total_tokens", 0) or 0),
    }


def _cost(response) -> float:
    hidden = getattr(response, "_hidden_params", None) or {}
    cost = hidden.get("response_cost")
    if cost is None:
        try:
            cost = _litellm().completion_cost(completion_response=response)
        except Exception:  # LiteLLM knows no price for local and custom models: they cost nothing here
            cost = 0.0
    return float(cost or 0.0)


class LLMGateway:
    """Owns the Router built from the catalog; the embedded model is one more OpenAI-compatible server."""

    def __init__(
        self,
        catalog: ModelCatalog,
        *,
        timeout_s: float,
        num_retries: int,
        max_tokens: int,
        temperature: float = 0.1,
        embedded: EmbeddedModelServer | None = None,
    ):
        self.catalog = catalog
        self.max_tokens = max_tokens
        self.temperature = temperature
        self.embedded = embedded
        self.availability = AvailabilityChecker(catalog, embedded)
        self._router_settings = {"num_retries": num_retries, "timeout": timeout_s, **catalog.router_settings}
        self._router: Router | None = None
        self._router_lock = threading.Lock()

    @property
    def router(self) -> Router | None:
        """LiteLLM's Router over the catalog, built on first use (None when the catalog lists no model)."""
        if self._router is None and self.catalog.model_list:
            with self._router_lock:
                if self._router is None:
                    api_base = self.embedded.api_base if self.embedded is not None else None
                    self._router = _litellm().Router(
                        model_list=self.catalog.deployments(api_base),
                        fallbacks=self.catalog.router_fallbacks(),
                        **self._router_settings,
                    )
        return self._router

    def start(self) -> None:
        """Start the embedded model server when an alias uses it (the API does this at start-up)."""
        if self.embedded is not None and self.catalog.embedded_aliases:
            try:
                self.embedded.start()
            except FileNotFoundError as exc:  # the API serves on; the embedded aliases answer through their fallbacks
                log.error("embedded model not started: %s", exc)

    def close(self) -> None:
        if self.embedded is not None:
            self.embedded.stop()

    async def _embedded_slot(self, alias: str, stack: AsyncExitStack) -> None:
        """For an embedded alias: the server started and loaded, and a place in its bounded queue."""
        if not self.catalog.is_embedded(alias):
            return
        if self.embedded is None:
            raise EmbeddedBusyError("no embedded model server is configured")
        if self.embedded.state in ("stopped", "starting"):  # first use (e.g. from the CLI): wait for the load
            self.embedded.start()
            await self.embedded.wait_ready_async(self.embedded.config.start_timeout_s)
        # A server restarting after a crash is not waited for: the call fails fast and the fallback answers.
        await stack.enter_async_context(self.embedded.slot())

    async def _require_router(self) -> Router:
        """The Router; the first call builds it (imports LiteLLM) in a worker thread, never on the event loop."""
        router = self._router or await anyio.to_thread.run_sync(lambda: self.router)
        if router is None:  # the catalog resolves no model alias when it lists no model
            raise RuntimeError("a model was called but the model catalog lists none")
        return router

    def _params(self, alias: str) -> dict:
        return {"model": alias, "max_tokens": self.max_tokens, "temperature": self.temperature}

    async def complete(self, alias: str, messages: list[dict]) -> Completion:
        async with AsyncExitStack() as stack:
            try:
                router = await self._require_router()
                await self._embedded_slot(alias, stack)
                response = await router.acompletion(messages=messages, **self._params(alias))
            except provider_errors() as exc:  # LiteLLM maps every vendor's errors to these; we report them
                raise self._failed(alias, exc) from exc
        answered_by, fallbacks = _answering_alias(response, alias)
        text = response.choices[0].message.content or ""
        return Completion(text, answered_by, _usage(response), _cost(response), fallbacks)

    async def stream(self, alias: str, messages: list[dict]) -> AsyncIterator[str | Completion]:
        """Text deltas, then one Completion (with the whole text) at the end.

        A provider failure before or during the stream raises AllModelsFailedError."""
        async with AsyncExitStack() as stack:
            try:
                router = await self._require_router()
                await self._embedded_slot(alias, stack)
                response = await router.acompletion(
                    messages=messages, stream=True, stream_options={"include_usage": True}, **self._params(alias)
                )
                answered_by, fallbacks = _answering_alias(response, alias)
                parts: list[str] = []
                usage: dict = {}
                async for chunk in response:
                    if chunk.choices and (delta := chunk.choices[0].delta.content):
                        parts.append(delta)
                        yield delta
                    if getattr(chunk, "usage", None):
                        usage = _usage(chunk)
            except provider_errors() as exc:
                raise self._failed(alias, exc) from exc
        yield Completion("".join(parts), answered_by, usage, 0.0, fallbacks)

    def _failed(self, alias: str, exc: BaseException) -> AllModelsFailedError:
        status = getattr(exc, "status_code", None)
        chain = [a for a in self.catalog.chain(alias) if a != "extractive"]
        retry_after = 60 if status == 429 else 30
        return AllModelsFailedError(
            f"No configured model could answer (tried {', '.join(chain)}): {type(exc).__name__}"
            f'{f" (HTTP {status})" if status else ""}. Retry later, or ask with "model": "extractive" '
            "for an answer composed from the sources; /v1/search keeps working.",
            retry_after=retry_after,
            details={"tried": chain, "last_error": type(exc).__name__, "status": status},
        )
