"""Request limits as pure ASGI middleware: body size (413) and a timeout per request (504)."""

from __future__ import annotations

import asyncio

from service.errors import send_error


class BodySizeLimit:
    """Refuse a body larger than max_bytes, by its Content-Length or as it streams in.

    The body is read (up to the limit) before the app runs, so the app never sees a partial body."""

    def __init__(self, app, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        too_large = bool(declared and declared.isdigit() and int(declared) > self.max_bytes)
        chunks, size = [], 0
        while not too_large:
            event = await receive()
            if event["type"] != "http.request":
                chunks.append(event)
                break
            chunks.append(event)
            size += len(event.get("body", b""))
            too_large = size > self.max_bytes
            if not event.get("more_body", False):
                break
        if too_large:
            return await send_error(
                send,
                413,
                "request_too_large",
                f"The request body is larger than {self.max_bytes} bytes; send a shorter question or text.",
            )

        async def replay():
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


class RequestTimeout:
    """Answer 504 when a request has not started its response within timeout_s.

    A response that has started (a stream, say) runs to its end: the limit is on time to first byte."""

    def __init__(self, app, timeout_s: float):
        self.app = app
        self.timeout_s = timeout_s

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = asyncio.Event()

        async def tracking_send(event):
            if event["type"] == "http.response.start":
                started.set()
            await send(event)

        task = asyncio.ensure_future(self.app(scope, receive, tracking_send))
        waiter = asyncio.ensure_future(started.wait())
        await asyncio.wait({task, waiter}, timeout=self.timeout_s, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if not started.is_set() and not task.done():
            task.cancel()
            await send_error(
                send,
                504,
                "request_timeout",
                f"The request took longer than {self.timeout_s:.0f} s; retry, or ask with a faster model.",
                headers=[(b"retry-after", b"5")],
            )
            return
        await task
