"""FakeSlack: Slack's Web API, response_url and Socket Mode WebSocket on 127.0.0.1, recording every call.

slack_sdk's async client speaks aiohttp, which respx cannot see, so tests (and anyone trying the
bot without a workspace) point the bot's `api_url` at this server instead: the real client code runs,
and each request is kept for assertions. Socket Mode: apps.connections.open hands out this server's
WebSocket, `send_envelope` pushes an event down it, and the bot's acknowledgements are recorded.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Self
from urllib.parse import parse_qsl

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


@dataclass
class Call:
    method: str  # a Web API method ("chat.postMessage"), or "response_url"
    args: dict  # the JSON body, or the form and query parameters
    authorization: str | None = None
    result: dict | None = None  # what the fake answered


@dataclass
class FakeSlack:
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    team_id: str = "T0001"
    #: conversations.replies answers: (channel, thread ts) -> messages, oldest first.
    threads: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    #: Errors to answer with: (method, channel) -> Slack error code, e.g. ("chat.postMessage", "C9"): "not_in_channel";
    #: "invalid_blocks", as on Slack, only to calls that carry blocks.
    failures: dict[tuple[str, str], str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    socket_acks: list[dict] = field(default_factory=list)

    def __post_init__(self):
        self._changed = threading.Condition()
        self._ts = itertools.count(1)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._outbox: asyncio.Queue | None = None
        self.port = 0

    # --- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        app = Starlette(
            routes=[
                Route("/api/{method}", self._api, methods=["GET", "POST"]),
                Route("/response/{hook}", self._response_url, methods=["POST"]),
                WebSocketRoute("/link/", self._socket),
            ]
        )
        self._server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ws="auto"))

        def serve() -> None:
            asyncio.run(self._serve(sock))

        self._thread = threading.Thread(target=serve, name="fake-slack", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("the fake Slack server did not start")
            time.sleep(0.01)
        return self

    async def _serve(self, sock: socket.socket) -> None:
        self._loop = asyncio.get_running_loop()
        self._outbox = asyncio.Queue()
        await self._server.serve(sockets=[sock])

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, hook: str = "hook") -> str:
        return f"http://127.0.0.1:{self.port}/response/{hook}"

    # --- what the tests read ----------------------------------------------------------------------

    def calls_to(self, method: str) -> list[dict]:
        with self._changed:
            return [c.args for c in self.calls if c.method == method]

    def results_of(self, method: str) -> list[dict]:
        """What the fake answered to each call of `method` (e.g. the ts of each posted message)."""
        with self._changed:
            return [c.result for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 60) -> list[dict]:
        """The first `count` calls to `method`, waiting for them; fails with what did arrive."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while len(found := [c.args for c in self.calls if c.method == method]) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"expected {count} {method} call(s), got {len(found)}; calls: {[c.method for c in self.calls]}"
                    )
                self._changed.wait(left)
            return found

    def reset(self) -> None:
        with self._changed:
            self.calls.clear()
            self.socket_acks.clear()

    def next_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    # --- Socket Mode --------------------------------------------------------------------------------

    def send_envelope(self, envelope: dict) -> None:
        """Push one Socket Mode envelope ({"envelope_id", "type", "payload", ...}) to the connected bot."""
        self._loop.call_soon_threadsafe(self._outbox.put_nowait, envelope)

    def wait_for_ack(self, envelope_id: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (found := [a for a in self.socket_acks if a.get("envelope_id") == envelope_id]):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"no acknowledgement of envelope {envelope_id}; got {self.socket_acks}")
                self._changed.wait(left)
            return found[0]

    async def _socket(self, websocket: WebSocket) -> None:
        await websocket.accept()
        await websocket.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0FAKE"}})

        async def receive() -> None:
            while True:
                message = json.loads(await websocket.receive_text())
                self._record_ack(message)

        receiver = asyncio.ensure_future(receive())
        try:
            while not receiver.done():
                getter = asyncio.ensure_future(self._outbox.get())
                done, _ = await asyncio.wait({getter, receiver}, return_when=asyncio.FIRST_COMPLETED)
                if getter in done:
                    await websocket.send_json(getter.result())
                else:
                    getter.cancel()
        except WebSocketDisconnect:
            pass
        finally:
            receiver.cancel()

    def _record_ack(self, message: dict) -> None:
        with self._changed:
            self.socket_acks.append(message)
            self._changed.notify_all()

    # --- HTTP ---------------------------------------------------------------------------------------

    def _record(self, method: str, args: dict, authorization: str | None, result: dict | None) -> None:
        with self._changed:
            self.calls.append(Call(method, args, authorization, result))
            self._changed.notify_all()

    async def _api(self, request: Request) -> JSONResponse:
        method = request.path_params["method"]
        raw = await request.body()
        if request.headers.get("content-type", "").startswith("application/json"):
            args = json.loads(raw or b"{}")
        else:
            args = dict(parse_qsl(raw.decode()))
        args = {**dict(request.query_params), **args}
        error = self.failures.get((method, args.get("channel", "")))
        if error == "invalid_blocks" and "blocks" not in args:
            error = None
        result = {"ok": False, "error": error} if error else self._answer(method, args)
        self._record(method, args, request.headers.get("authorization"), result)
        return JSONResponse(result)

    def _answer(self, method: str, args: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://fake.slack.test/",
                "team": "Fake",
                "user": "strategy",
                "team_id": self.team_id,
                "user_id": self.bot_user_id,
                "bot_id": self.bot_id,
                "is_enterprise_install": False,
            }
        if method == "chat.postMessage":
            ts = self.next_ts()
            message = {
                "type": "message",
                "user": self.bot_user_id,
                "bot_id": self.bot_id,
                "text": args.get("text", ""),
                "ts": ts,
            }
            if args.get("thread_ts"):
                message["thread_ts"] = args["thread_ts"]
            return {"ok": True, "channel": args.get("channel"), "ts": ts, "message": message}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self.next_ts()}
        if method == "conversations.replies":
            messages = self.threads.get((args.get("channel", ""), args.get("ts", "")))
            if messages is None:
                return {"ok": False, "error": "thread_not_found"}
            return {"ok": True, "messages": messages, "has_more": False}
        if method == "apps.connections.open":
            return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/link/?ticket=fake"}
        return {"ok": True}

    async def _response_url(self, request: Request) -> JSONResponse:
        self._record("response_url", json.loads(await request.body() or b"{}"), None, {"ok": True})
        return JSONResponse({"ok": True})
