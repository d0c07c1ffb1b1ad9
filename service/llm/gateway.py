"""LLMGateway: chat completions through LiteLLM's Router, with retries, fallbacks and cost."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import litellm
from litellm import Router

from service.errors import ServiceError
from service.llm.catalog import ModelCatalog
from service.llm.embedded import PROVIDER as EMBEDDED_PROVIDER
from service.llm.embedded import EmbeddedLlamaProvider

# Offline first and quiet: no callbacks, no debug banners, never log message bodies or keys.
litellm.telemetry = False
litellm.suppress_debug_info = True
litellm.turn_off_message_logging = True
litellm.drop_params = True


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
    return str(headers.get("x-litellm-model-group") or requested), int(headers.get("x-litellm-attempted-fallbacks") or 0)


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
            cost = litellm.completion_cost(completion_response=response)
        except Exception:  # LiteLLM knows no price for local and custom models: they cost nothing here
            cost = 0.0
    return float(cost or 0.0)


class LLMGateway:
    """Owns the Router built from the catalog; the embedded model is one more LiteLLM provider."""

    def __init__(self, catalog: ModelCatalog, *, timeout_s: float, num_retries: int, max_tokens: int, embedded: EmbeddedLlamaProvider | None = None):
        self.catalog = catalog
        self.max_tokens = max_tokens
        self.embedded = embedded or EmbeddedLlamaProvider()
        providers = [p for p in litellm.custom_provider_map if p["provider"] != EMBEDDED_PROVIDER]
        litellm.custom_provider_map = [*providers, {"provider": EMBEDDED_PROVIDER, "custom_handler": self.embedded}]
        self.router = (
            Router(
                model_list=catalog.model_list,
                fallbacks=catalog.router_fallbacks(),
                num_retries=num_retries,
                timeout=timeout_s,
                **catalog.router_settings,
            )
            if catalog.model_list
            else None
        )

    async def complete(self, alias: str, messages: list[dict]) -> Completion:
        try:
            response = await self.router.acompletion(model=alias, messages=messages, max_tokens=self.max_tokens, temperature=0.1)
        except Exception as exc:  # every vendor raises its own types; LiteLLM maps them, we report them
            raise self._failed(alias, exc) from exc
        answered_by, fallbacks = _answering_alias(response, alias)
        text = response.choices[0].message.content or ""
        return Completion(text, answered_by, _usage(response), _cost(response), fallbacks)

    async def stream(self, alias: str, messages: list[dict]) -> AsyncIterator[str | Completion]:
        """Text deltas, then one Completion (with the whole text) at the end."""
        try:
            response = await self.router.acompletion(
                model=alias, messages=messages, max_tokens=self.max_tokens, temperature=0.1, stream=True, stream_options={"include_usage": True}
            )
        except Exception as exc:
            raise self._failed(alias, exc) from exc
        answered_by, fallbacks = _answering_alias(response, alias)
        parts: list[str] = []
        usage: dict = {}
        async for chunk in response:
            if chunk.choices and (delta := chunk.choices[0].delta.content):
                parts.append(delta)
                yield delta
            if getattr(chunk, "usage", None):
                usage = _usage(chunk)
        yield Completion("".join(parts), answered_by, usage, 0.0, fallbacks)

    def _failed(self, alias: str, exc: Exception) -> AllModelsFailedError:
        status = getattr(exc, "status_code", None)
        chain = [a for a in self.catalog.chain(alias) if a != "extractive"]
        retry_after = 60 if status == 429 else 30
        return AllModelsFailedError(
            f"No configured model could answer (tried {', '.join(chain)}): {type(exc).__name__}"
            f"{f' (HTTP {status})' if status else ''}. Retry later, or ask with \"model\": \"extractive\" "
            "for an answer composed from the sources; /v1/search keeps working.",
            retry_after=retry_after,
            details={"tried": chain, "last_error": type(exc).__name__, "status": status},
        )
