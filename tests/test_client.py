"""The CLI's HTTP client against the real app served by uvicorn on a loopback port."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, StreamingResponse
from starlette.routing import Route

from service import client as client_module
from service.app import create_app
from service.client import InvalidServerUrlError, RemoteError, ServerClient, ServerUnavailableError, connect
from service.container import build_services
from service.contracts import Answer, CitationsEvent
from tests.web.conftest import serve


@pytest.fixture(scope="module")
def api(corpus_services, tmp_path_factory):
    """The real app over the session's corpus index, with its own empty SQLite stores; yields (url, services)."""
    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("client-api")})
    services = build_services(settings, store=corpus_services.store, embedder=corpus_services.embedder)
    with serve(create_app(settings, services=services)) as url:
        yield url, services


def _closed_port() -> int:
    """A loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_connect_uses_a_given_url_none_or_the_default_server_when_it_answers(monkeypatch, api):
    url, _ = api
    assert connect("none") is None and connect(" NONE ") is None and connect("local") is None
    with pytest.raises(InvalidServerUrlError, match="not a URL"):
        connect("127.0.0.1:8000")
    with connect(url) as given:
        assert given.base_url == url

    monkeypatch.setattr(client_module, "DEFAULT_SERVER_URL", url)
    with connect(None) as found:
        assert found.base_url == url and found.healthy()
    with connect("") as found:  # an empty STRATEGY_SERVER_URL is unset, not "none"
        assert found.base_url == url

    monkeypatch.setattr(client_module, "DEFAULT_SERVER_URL", f"http://127.0.0.1:{_closed_port()}")
    assert connect(None) is None


def test_the_default_is_skipped_when_another_program_or_a_hung_one_holds_the_port(monkeypatch, tmp_path):
    handler = lambda *args: SimpleHTTPRequestHandler(*args, directory=str(tmp_path))  # noqa: E731  (answers 404 to /healthz)
    other = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=other.serve_forever, daemon=True)
    thread.start()
    hung = socket.socket()  # accepts connections (the backlog) and never answers
    hung.bind(("127.0.0.1", 0))
    hung.listen(8)
    try:
        monkeypatch.setattr(client_module, "DEFAULT_SERVER_URL", f"http://127.0.0.1:{other.server_address[1]}")
        assert connect(None) is None
        monkeypatch.setattr(client_module, "DEFAULT_SERVER_URL", f"http://127.0.0.1:{hung.getsockname()[1]}")
        started = time.monotonic()
        assert connect(None) is None
        assert time.monotonic() - started < 1.5  # the probe gives up after PROBE_TIMEOUT_S
    finally:
        other.shutdown()
        other.server_close()
        hung.close()


def test_a_streamed_answer_is_the_same_answer_as_a_whole_one(api):
    url, _ = api
    question = "What is the Jevons paradox in AI?"
    with ServerClient(url) as server:
        events = list(server.ask_stream(question))
        whole = server.ask(question)
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"] and set(names[:-2]) == {"delta"} and len(names) > 3
    streamed_text = "".join(data["text"] for name, data in events if name == "delta")
    done = events[-1][1]
    assert isinstance(done, Answer) and isinstance(whole, Answer) and isinstance(events[-2][1], CitationsEvent)
    assert streamed_text == done.answer and events[-2][1].citations == done.citations
    assert done.supported and done.citations
    assert done.model_copy(update={"latency_ms": 0}) == whole.model_copy(update={"latency_ms": 0})


def test_scenario_calls_return_the_services_results(api):
    url, services = api
    import asyncio
    import datetime as dt

    with ServerClient(url) as server:
        checklist = server.checklist("a bank moving AI on-shore", ["Sovereignty"], None, None)
        assert checklist == asyncio.run(services.scenarios.checklist("a bank moving AI on-shore", ["Sovereignty"]))
        page = server.briefing_html("GPU overcapacity", None, "short", None)
        assert page == services.scenarios.briefing_html(
            asyncio.run(services.scenarios.briefing("GPU overcapacity", None, "short"))
        )
        record = server.record_signal(
            "GPT-4-class output now sells for under ten cents per million tokens", dt.date(2026, 11, 1), None
        )
        assert record.observed_on == "2026-11-01" and any(m.current == "Efficiency Revolution" for m in record.matches)
        assert server.review(dt.date(2026, 11, 25)) == services.scenarios.review(dt.date(2026, 11, 25))


def test_the_servers_json_errors_come_back_with_their_code_and_message(api):
    url, _ = api
    with ServerClient(url) as server:
        with pytest.raises(RemoteError) as unknown:
            server.checklist("x", ["Atlantis"], None, None)
        assert unknown.value.code == "unknown_current" and "Valid currents" in unknown.value.message
        with pytest.raises(RemoteError) as invalid:
            server.search("jevons", 0)
        assert (invalid.value.code, invalid.value.status_code) == (
            "invalid_request",
            422,
        ) and "top_k" in invalid.value.message
        with pytest.raises(RemoteError) as model:  # raised before the first event: an HTTP error, not a stream
            list(server.ask_stream("What is Jevons?", "no-such-model"))
        assert model.value.code == "unknown_model"


def test_an_api_key_is_sent_as_a_bearer_token(api):
    url, services = api
    key, secret = services.keys.create("cli-test")
    try:
        with ServerClient(url) as anonymous, pytest.raises(RemoteError) as refused:
            anonymous.search("jevons", 1)
        assert refused.value.code == "unauthorized" and "--api-key" in refused.value.message
        with ServerClient(url, secret) as keyed:
            assert len(keyed.search("jevons", 1)["results"]) == 1
            assert keyed.ask_stream("What is the Jevons paradox in AI?").__next__()[0] == "delta"
    finally:
        services.keys.revoke(key.id)


def test_an_unreachable_server_says_how_to_start_one_or_run_in_process():
    with ServerClient(f"http://127.0.0.1:{_closed_port()}") as server, pytest.raises(ServerUnavailableError) as down:
        server.search("jevons", 1)
    assert "strategy-assistant serve" in down.value.message and "--server none" in down.value.message


def _fake_ask(events: list[str]):
    """A server whose /v1/ask streams these raw SSE frames and then hangs up."""

    async def ask(request):
        async def body():
            for frame in events:
                yield frame

        return StreamingResponse(body(), media_type="text/event-stream")

    async def ready(request):
        return JSONResponse({"status": "ready"})

    return Starlette(routes=[Route("/v1/ask", ask, methods=["POST"]), Route("/readyz", ready)])


def test_a_stream_cut_before_done_or_an_error_event_is_an_error_not_a_partial_answer():
    delta = f"event: delta\ndata: {json.dumps({'text': 'Half an '})}\n\n"
    with serve(_fake_ask([": ping\n\n", delta])) as url, ServerClient(url) as server:
        events = server.ask_stream("q")
        assert next(events) == ("delta", {"text": "Half an "})
        with pytest.raises(ServerUnavailableError, match="ended before the answer was complete"):
            next(events)
    failed = f"event: error\ndata: {json.dumps({'error': {'code': 'all_models_failed', 'message': 'Every model failed.'}})}\n\n"
    with serve(_fake_ask([delta, failed])) as url, ServerClient(url) as server, pytest.raises(RemoteError) as error:
        list(server.ask_stream("q"))
    assert (error.value.code, error.value.message) == ("all_models_failed", "Every model failed.")
