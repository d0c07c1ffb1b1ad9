import pytest

from service.llm.catalog import EXTRACTIVE, ModelConfigError, UnknownModelError, load_catalog
from service.settings import PACKAGE_DIR


def test_project_models_file_defines_closed_open_weight_and_embedded_aliases():
    catalog = load_catalog(PACKAGE_DIR / "llm" / "models.yaml")
    assert catalog.aliases[0] == EXTRACTIVE
    providers = {catalog.provider(a) for a in catalog.aliases}
    assert {"openai", "anthropic", "ollama", "hosted_vllm", "embedded", "extractive"} <= providers
    assert catalog.embedded_aliases == ["smollm2"]


def test_shipped_fallbacks_end_in_extractive_never_in_the_small_embedded_model():
    catalog = load_catalog(PACKAGE_DIR / "llm" / "models.yaml")
    assert catalog.chain("gpt-4o-mini") == ["gpt-4o-mini", "claude-haiku", "extractive"]
    assert catalog.chain("ollama-qwen") == ["ollama-qwen", "vllm-qwen", "extractive"]
    for alias in catalog.llm_aliases:
        chain = catalog.chain(alias)
        assert chain[-1] == "extractive", chain
        assert not any(catalog.is_embedded(a) for a in chain[1:]), chain


def test_the_embedded_alias_is_given_the_servers_address():
    catalog = load_catalog(PACKAGE_DIR / "llm" / "models.yaml")
    deployments = {d["model_name"]: d["litellm_params"] for d in catalog.deployments("http://127.0.0.1:5555/v1")}
    assert deployments["smollm2"]["api_base"] == "http://127.0.0.1:5555/v1"
    assert deployments["smollm2"]["model"] == "openai/embedded"
    assert "api_base" not in deployments["gpt-4o-mini"]


def test_only_configured_aliases_resolve(models_file):
    catalog = load_catalog(models_file)
    assert catalog.resolve(None, "extractive") == "extractive"
    assert catalog.resolve("gpt-test", "extractive") == "gpt-test"
    with pytest.raises(UnknownModelError) as error:
        catalog.resolve("openai/gpt-4o", "extractive")
    assert error.value.status_code == 422 and "gpt-test" in error.value.details["valid_models"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("model_list: [1, 2]", "model_list[0]"),
        ("model_list:\n  - model_name: a\n    litellm_params: {}", "litellm_params.model"),
        ("model_list: []\nrouter_settings:\n  fallbacks:\n    - a: [b]", "unknown aliases"),
        ("model_list: [", "not valid YAML"),
    ],
)
def test_malformed_models_file_is_named(tmp_path, text, problem):
    path = tmp_path / "models.yaml"
    path.write_text(text)
    with pytest.raises(ModelConfigError, match="models.yaml") as error:
        load_catalog(path)
    assert problem in error.value.message
