import pytest

from service.llm.catalog import EXTRACTIVE, ModelConfigError, UnknownModelError, load_catalog
from service.settings import PROJECT_ROOT


def test_project_models_file_defines_closed_open_weight_and_embedded_aliases():
    catalog = load_catalog(PROJECT_ROOT / "models.yaml")
    assert catalog.aliases[0] == EXTRACTIVE
    providers = {catalog.provider(a) for a in catalog.aliases}
    assert {"openai", "anthropic", "ollama", "hosted_vllm", "smollm2", "extractive"} <= providers
    assert catalog.chain("gpt-4o-mini") == ["gpt-4o-mini", "claude-haiku", "smollm2", "extractive"]
    assert {"gpt-4o-mini": ["claude-haiku", "smollm2"]} in catalog.router_fallbacks()


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
