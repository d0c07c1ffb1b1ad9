"""Replies of model vendors' HTTP APIs, for respx to answer with (fakes of other companies' servers live in tests/)."""

import httpx


def openai_reply(text: str, prompt_tokens: int = 50, completion_tokens: int = 10) -> httpx.Response:
    """An OpenAI chat completion whose one choice says `text`."""
    return httpx.Response(
        200,
        json={
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "created": 1,
            "model": "gpt-4o-mini",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
        },
    )
