"""Model aliases from a file in LiteLLM's own `model_list` format (reusable by a LiteLLM proxy)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from service.errors import InvalidRequestError, ServiceError

#: Built in, needs no model: an answer composed of the best supporting sentences.
EXTRACTIVE = "extractive"
#: The provider name shown for aliases served by the embedded model server.
EMBEDDED = "embedded"


class ModelConfigError(ServiceError):
    code = "model_config_invalid"
    status_code = 500


class UnknownModelError(InvalidRequestError):
    code = "unknown_model"


@dataclass(frozen=True)
class ModelCatalog:
    """The configured aliases, the Router's deployments and each alias's fallback chain."""

    model_list: list[dict]
    fallbacks: dict[str, list[str]] = field(default_factory=dict)
    router_settings: dict = field(default_factory=dict)

    @property
    def llm_aliases(self) -> list[str]:
        return list(dict.fromkeys(m["model_name"] for m in self.model_list))

    @property
    def aliases(self) -> list[str]:
        return [EXTRACTIVE, *[a for a in self.llm_aliases if a != EXTRACTIVE]]

    def resolve(self, alias: str | None, default: str) -> str:
        alias = alias or default
        if alias not in self.aliases:
            raise UnknownModelError(
                f"Unknown model {alias!r}. Name one of the configured aliases: {', '.join(self.aliases)}.",
                details={"valid_models": self.aliases},
            )
        return alias

    def chain(self, alias: str) -> list[str]:
        """The alias then its fallbacks, in order, without repeats."""
        return list(dict.fromkeys([alias, *self.fallbacks.get(alias, [])]))

    def router_fallbacks(self) -> list[dict[str, list[str]]]:
        """Fallbacks among LLM aliases, for LiteLLM's Router (the extractive step is ours)."""
        out = []
        for alias, targets in self.fallbacks.items():
            llm_targets = [t for t in targets if t != EXTRACTIVE]
            if alias != EXTRACTIVE and llm_targets:
                out.append({alias: llm_targets})
        return out

    def entry(self, alias: str) -> dict | None:
        return next((e for e in self.model_list if e["model_name"] == alias), None)

    def is_embedded(self, alias: str) -> bool:
        """Served by the embedded model server this service starts (`model_info: {embedded: true}`)."""
        entry = self.entry(alias)
        return bool(entry and (entry.get("model_info") or {}).get("embedded"))

    @property
    def embedded_aliases(self) -> list[str]:
        return [a for a in self.llm_aliases if self.is_embedded(a)]

    def provider(self, alias: str) -> str:
        """The LiteLLM provider of an alias (openai, anthropic, ollama, ...), or `embedded` / `extractive`."""
        if self.is_embedded(alias):
            return EMBEDDED
        entry = self.entry(alias)
        return str(entry["litellm_params"]["model"]).split("/", 1)[0] if entry else EXTRACTIVE

    def deployments(self, embedded_api_base: str | None) -> list[dict]:
        """The Router's model_list, the embedded server's address filled in where an alias names it."""
        out = []
        for entry in self.model_list:
            if self.is_embedded(entry["model_name"]):
                params = {
                    "api_key": "not-needed",
                    **entry["litellm_params"],
                    "api_base": embedded_api_base or "http://127.0.0.1:9/v1",
                }
                entry = {**entry, "litellm_params": params}
            out.append(entry)
        return out


def load_catalog(path: Path) -> ModelCatalog:
    """Read the models file; a malformed file fails start-up with the problem named."""
    if not path.is_file():
        raise ModelConfigError(
            f"models file {path} not found; set STRATEGY_MODELS_FILE or restore service/llm/models.yaml."
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ModelConfigError(f"{path.name} is not valid YAML: {exc}") from exc
    model_list = data.get("model_list") or []
    if not isinstance(model_list, list):
        raise ModelConfigError(f"{path.name}: model_list must be a list of {{model_name, litellm_params}} entries.")
    for index, entry in enumerate(model_list):
        if (
            not isinstance(entry, dict)
            or not entry.get("model_name")
            or not (entry.get("litellm_params") or {}).get("model")
        ):
            raise ModelConfigError(f"{path.name}: model_list[{index}] needs model_name and litellm_params.model.")
    router_settings = dict(data.get("router_settings") or {})
    fallbacks: dict[str, list[str]] = {}
    for item in router_settings.pop("fallbacks", None) or []:
        for alias, targets in (item or {}).items():
            fallbacks[str(alias)] = [str(t) for t in (targets or [])]
    catalog = ModelCatalog(model_list=model_list, fallbacks=fallbacks, router_settings=router_settings)
    known = set(catalog.aliases)
    for alias, targets in fallbacks.items():
        unknown = [a for a in [alias, *targets] if a not in known]
        if unknown:
            raise ModelConfigError(
                f"{path.name}: fallbacks name unknown aliases {unknown}; configured: {sorted(known)}."
            )
    return catalog
