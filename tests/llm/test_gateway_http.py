"""The closed and server backends against their real HTTP APIs, faked with respx at the HTTP layer."""

import httpx
import litellm
import pytest
import respx

from service.llm.catalog import load_catalog
from service.llm.gateway import AllModelsFailedError, LLMGateway
from tests.conftest import FAKE_ANTHROPIC, FAKE_OPENAI
from tests.vendor_replies import openai_reply

MESSAGES = [
    {"role": "system", "content": "Answer from the sources."},
    {"role": "user", "content": "What is the death zone? [1] ..."},
]


def anthropic_reply(text: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "msg_1",
            "type": "message",
            "role": "assistant",
            "model": "claude-3-5-haiku-latest",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": 100, "output_tokens": 10},
        },
    )


@pytest.fixture
def gateway(models_file):
    litellm.disable_aiohttp_transport = True
    return LLMGateway(load_catalog(models_file), timeout_s=2, num_retries=0, max_tokens=100)


@respx.mock
async def test_openai_success_reports_alias_usage_and_cost(gateway):
    route = respx.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=openai_reply("Firms with 1,000-10,000 GPUs [1].", 120, 12)
    )
    completion = await gateway.complete("gpt-test", MESSAGES)
    assert completion.text == "Firms with 1,000-10,000 GPUs [1]."
    assert completion.model == "gpt-test" and completion.attempted_fallbacks == 0
    assert completion.usage == {"prompt_tokens": 120, "completion_tokens": 12, "total_tokens": 132}
    assert completion.cost_usd > 0  # LiteLLM's local price map knows gpt-4o-mini
    sent = route.calls.last.request
    assert sent.headers["authorization"] == "Bearer sk-test-not-real"
    body = sent.read().decode()
    assert '"model":"gpt-4o-mini"' in body.replace(" ", "") and "death zone" in body


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(
            429, json={"error": {"message": "rate limited", "type": "rate_limit_error"}}, headers={"retry-after": "0"}
        ),
        httpx.Response(500, json={"error": {"message": "internal error", "type": "server_error"}}),
        httpx.ReadTimeout("timed out"),
    ],
    ids=["429", "500", "timeout"],
)
@respx.mock
async def test_primary_failure_falls_back_to_the_next_model(gateway, failure):
    primary = respx.post(f"{FAKE_OPENAI}/chat/completions")
    primary.mock(side_effect=failure) if isinstance(failure, Exception) else primary.mock(return_value=failure)
    fallback = respx.post(f"{FAKE_ANTHROPIC}/v1/messages").mock(return_value=anthropic_reply("From the fallback [1]."))
    completion = await gateway.complete("gpt-test", MESSAGES)
    assert primary.called and fallback.called
    assert completion.text == "From the fallback [1]." and completion.model == "claude-test"
    assert completion.attempted_fallbacks == 1
    assert fallback.calls.last.request.headers["x-api-key"] == "sk-ant-test-not-real"


@respx.mock
async def test_a_retry_can_recover_the_primary(models_file):
    gateway = LLMGateway(load_catalog(models_file), timeout_s=2, num_retries=1, max_tokens=100)
    route = respx.post(f"{FAKE_OPENAI}/chat/completions").mock(
        side_effect=[httpx.Response(500, json={"error": {"message": "blip"}}), openai_reply("Recovered [1].", 120, 12)]
    )
    completion = await gateway.complete("gpt-test", MESSAGES)
    assert route.call_count == 2 and completion.model == "gpt-test" and completion.text == "Recovered [1]."


@respx.mock
async def test_every_model_down_raises_a_503_error_naming_what_was_tried(gateway):
    respx.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=httpx.Response(503, json={"error": {"message": "down"}})
    )
    respx.post(f"{FAKE_ANTHROPIC}/v1/messages").mock(
        return_value=httpx.Response(
            529, json={"type": "error", "error": {"type": "overloaded_error", "message": "overloaded"}}
        )
    )
    with pytest.raises(AllModelsFailedError) as error:
        await gateway.complete("gpt-test", MESSAGES)
    assert error.value.status_code == 503 and error.value.headers["Retry-After"]
    assert error.value.details["tried"] == ["gpt-test", "claude-test"]
    assert "sk-" not in error.value.message


@respx.mock
async def test_openai_streaming(gateway):
    chunks = [
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"role": "assistant", "content": "Death "}, "finish_reason": None}],
        },
        {
            "id": "c",
            "object": "chat.completion.chunk",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "delta": {"content": "zone [1]."}, "finish_reason": "stop"}],
        },
    ]
    body = "".join(f"data: {__import__('json').dumps(c)}\n\n" for c in chunks) + "data: [DONE]\n\n"
    respx.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=httpx.Response(200, text=body, headers={"content-type": "text/event-stream"})
    )
    parts = [p async for p in gateway.stream("gpt-test", MESSAGES)]
    assert parts[:-1] == ["Death ", "zone [1]."]
    assert parts[-1].text == "Death zone [1]." and parts[-1].model == "gpt-test"


async def test_our_own_bug_is_not_disguised_as_models_unavailable(models_file, monkeypatch):
    """Only provider errors fall back or become a 503; a bug of ours surfaces as itself (a 500 upstream)."""
    gateway = LLMGateway(load_catalog(models_file), timeout_s=5, num_retries=0, max_tokens=50)

    async def broken(**_):
        raise KeyError("a bug in our own code")

    monkeypatch.setattr(gateway.router, "acompletion", broken)
    with pytest.raises(KeyError):
        await gateway.complete("gpt-test", MESSAGES)
    with pytest.raises(KeyError):
        [part async for part in gateway.stream("gpt-test", MESSAGES)]


@respx.mock
async def test_a_stream_cut_by_the_provider_raises_models_unavailable(models_file):
    litellm.disable_aiohttp_transport = True
    body = 'data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{"content":"Hello"},"finish_reason":null}]}\n\n'
    respx.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=httpx.Response(
            200, headers={"content-type": "text/event-stream"}, stream=_CutStream(body.encode())
        )
    )
    gateway = LLMGateway(load_catalog(models_file), timeout_s=5, num_retries=0, max_tokens=50)
    parts = []
    with pytest.raises(AllModelsFailedError):
        async for part in gateway.stream("gpt-test", MESSAGES):
            parts.append(part)
    assert parts == ["Hello"]


class _CutStream(httpx.AsyncByteStream):
    """One event, then the connection drops."""

    def __init__(self, first: bytes):
        self._first = first

    async def __aiter__(self):
        yield self._first
        raise httpx.ReadError("connection reset by peer")
