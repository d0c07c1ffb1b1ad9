"""One model per contract: the HTTP API, its SSE events, the CLI's --json, the client and Slack all carry the same
shape, the one service.contracts defines and /openapi.json documents."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import tempfile
from functools import partial
from pathlib import Path

import httpx
import pytest
from pydantic import BaseModel, ValidationError
from typer.testing import CliRunner

from service.app import create_app
from service.cli import app as cli
from service.client import ServerClient
from service.contracts import (
    Answer,
    Briefing,
    Checklist,
    Citation,
    CitationsEvent,
    Review,
    SignalLog,
    SignalMatch,
    SignalRecord,
)
from service.corpus.chunking import Chunk
from service.settings import Settings
from service.slack import blocks as kit
from tests.api.test_ask_api import parse_sse
from tests.web.conftest import serve

JEVONS = "What is the Jevons paradox in AI?"
BANK = "a European bank moving its support LLM on-shore"

CHUNK = Chunk(
    id="jevons:3",
    document_id="jevons-paradox-in-ai",
    document_title="The Jevons Paradox in AI",
    section="The paradox",
    section_path="The paradox",
    text="Cheaper tokens raised total spending.",
    ordinal=3,
    kind="prose",
    current=None,
)
EXTRACTIVE_ANSWER = {
    "answer": "Cheaper tokens raised total spending [1].",
    "supported": True,
    "citations": [Citation.of(CHUNK, "Cheaper tokens raised total spending.").model_dump()],
    "model": "extractive",
    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cost_usd": 0.0},
    "latency_ms": 12.345678,
    "requested_model": "extractive",
    "fallback": False,
    "mode": "extractive",
    "unsupported_claims": [],
    "ignored_instructions": [],
}


def fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


# --- The models themselves -------------------------------------------------------------------


def test_a_citation_of_a_chunk_has_the_shape_clients_read():
    assert Citation.of(CHUNK, "Cheaper tokens").model_dump(mode="json") == {
        "chunk_id": "jevons:3",
        "quote": "Cheaper tokens",
        "document": {"id": "jevons-paradox-in-ai", "title": "The Jevons Paradox in AI"},
        "section": "The paradox",
    }


def test_latency_keeps_one_decimal_and_a_signal_score_four():
    answer = Answer.model_validate(EXTRACTIVE_ANSWER)
    assert answer.latency_ms == 12.3 and json.loads(answer.model_dump_json())["latency_ms"] == 12.3
    match = SignalMatch(
        current="Sovereignty", signal="New rules", kind="trigger", score=0.4567891, citation=answer.citations[0]
    )
    assert match.model_dump(mode="json")["score"] == 0.4568


def test_a_field_no_contract_declares_is_refused():
    with pytest.raises(ValidationError, match="extra_forbidden"):
        Answer.model_validate({**EXTRACTIVE_ANSWER, "confidence": 0.9})
    with pytest.raises(ValidationError, match="mode"):
        Answer.model_validate({**EXTRACTIVE_ANSWER, "mode": "guessed"})


def test_the_client_reads_a_newer_servers_added_fields_without_failing():
    body = json.dumps({**EXTRACTIVE_ANSWER, "confidence": 0.9}).encode()
    response = httpx.Response(200, content=body, request=httpx.Request("POST", "http://127.0.0.1:1/v1/ask"))
    client = ServerClient("http://127.0.0.1:1")
    try:
        answer = client._read(Answer, response)
    finally:
        client.close()
    assert answer == Answer.model_validate(EXTRACTIVE_ANSWER)


@pytest.fixture(scope="module")
def published() -> dict:
    """The OpenAPI document of an app that is never started (nothing is loaded to build it)."""
    with tempfile.TemporaryDirectory(prefix="contracts-schema-") as folder:
        return create_app(Settings(data_dir=Path(folder)), store=object(), embedder=object()).openapi()


@pytest.mark.parametrize(
    ("method", "path", "status", "contract"),
    [
        ("post", "/v1/ask", "200", Answer),
        ("post", "/v1/checklist", "200", Checklist),
        ("post", "/v1/briefing", "200", Briefing),
        ("post", "/v1/signals", "201", SignalRecord),
        ("get", "/v1/signals", "200", SignalLog),
        ("post", "/v1/review", "200", Review),
    ],
)
def test_each_route_documents_its_contract(published, method, path, status, contract):
    content = published["paths"][path][method]["responses"][status]["content"]["application/json"]
    assert content["schema"] == {"$ref": f"#/components/schemas/{contract.__name__}"}
    documented = published["components"]["schemas"][contract.__name__]
    assert set(documented["properties"]) == fields(contract) and documented["additionalProperties"] is False


# --- The same answer through every door ------------------------------------------------------------


@pytest.fixture(scope="module")
def api(corpus_services, tmp_path_factory):
    """The real app over the session's corpus index, with its own SQLite stores; yields (url, settings, services)."""
    from service.container import build_services

    settings = corpus_services.settings.model_copy(update={"data_dir": tmp_path_factory.mktemp("contracts-api")})
    services = build_services(settings, store=corpus_services.store, embedder=corpus_services.embedder)
    with serve(create_app(settings, services=services)) as url:
        yield url, settings, services


@pytest.fixture
def cli_in_process(monkeypatch, corpus_services, api):
    """`--server none` runs read the served app's settings and reuse the session's loaded model and index."""
    from service import container

    _, settings, _ = api
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    reuse = partial(container.build_services, store=corpus_services.store, embedder=corpus_services.embedder)
    monkeypatch.setattr(container, "build_services", reuse)
    monkeypatch.delenv("STRATEGY_API_KEY", raising=False)


def _without_latency(body: dict) -> dict:
    return {**body, "latency_ms": 0}


def test_an_answer_is_one_shape_over_http_sse_the_cli_and_slack(api, cli_in_process):
    url, _, services = api
    whole = httpx.post(f"{url}/v1/ask", json={"question": JEVONS}, timeout=60).json()
    with httpx.stream("POST", f"{url}/v1/ask", json={"question": JEVONS, "stream": True}, timeout=60) as response:
        events = parse_sse(response.read().decode())
    (citations,) = [data for name, data in events if name == "citations"]
    (done,) = [data for name, data in events if name == "done"]
    runner = CliRunner()
    printed = {
        where: json.loads(runner.invoke(cli, ["ask", JEVONS, "--json", "--server", where]).stdout)
        for where in ("none", url)
    }

    bodies = {
        "POST /v1/ask": whole,
        "SSE done": done,
        "CLI --json": printed["none"],
        "CLI --json --server": printed[url],
    }
    for where, body in bodies.items():
        answer = Answer.model_validate(body)  # every field known, none missing, each of its type
        assert set(body) == fields(Answer), where
        assert answer.model_dump(mode="json") == body, where  # printed as the model dumps it: nothing re-shaped
        assert _without_latency(body) == _without_latency(whole), where
    assert whole["supported"] and whole["citations"] and "ignored_instructions" in whole
    assert CitationsEvent.model_validate(citations).citations == Answer.model_validate(done).citations

    with ServerClient(url) as client:  # the client hands the CLI the service's own model
        assert _without_latency(client.ask(JEVONS).model_dump(mode="json")) == _without_latency(whole)
    # Slack's blocks read the same model: built from the API's JSON they are the bot's blocks.
    assert kit.answer_blocks(Answer.model_validate(whole), "C1-1") == kit.answer_blocks(
        Answer.model_validate(done), "C1-1"
    )


def test_a_checklist_and_a_briefing_are_one_shape_over_http_the_client_and_slack(api):
    url, _, services = api
    checklist = httpx.post(f"{url}/v1/checklist", json={"context": BANK, "currents": ["Sovereignty"]}, timeout=60)
    briefing = httpx.post(f"{url}/v1/briefing", json={"topic": "GPU overcapacity", "length": "short"}, timeout=60)
    assert checklist.status_code == briefing.status_code == 200

    in_process = asyncio.run(services.scenarios.checklist(BANK, ["Sovereignty"]))
    assert set(checklist.json()) == fields(Checklist)
    assert Checklist.model_validate(checklist.json()) == in_process
    assert checklist.json() == in_process.model_dump(mode="json")
    assert {item.citation.chunk_id for item in in_process.items} and all(i.why_citation for i in in_process.items)

    brief = asyncio.run(services.scenarios.briefing("GPU overcapacity", length="short"))
    assert set(briefing.json()) == fields(Briefing)
    assert Briefing.model_validate(briefing.json()) == brief
    assert briefing.json() == brief.model_dump(mode="json")

    with ServerClient(url) as client:
        remote = client.checklist(BANK, ["Sovereignty"], None, None)
        assert remote == in_process
        assert kit.checklist_blocks(remote, "C1-2") == kit.checklist_blocks(in_process, "C1-2")
        assert client.briefing("GPU overcapacity", None, "short", None) == brief


def test_the_signal_watch_and_review_are_one_shape_over_http_and_the_client(api):
    url, _, services = api
    news = {"text": "EU regulator orders banks to keep LLM inference on EU soil", "observed_on": "2026-10-05"}
    recorded = httpx.post(f"{url}/v1/signals", json=news, timeout=60)
    assert recorded.status_code == 201 and set(recorded.json()) == fields(SignalRecord)
    record = SignalRecord.model_validate(recorded.json())
    assert record.matches and set(recorded.json()["matches"][0]) == fields(SignalMatch)
    assert services.scenarios.list_signals()[0] == record  # what the log keeps is what was answered

    listed = httpx.get(f"{url}/v1/signals", timeout=60).json()
    assert SignalLog.model_validate(listed).signals[0] == record
    review = httpx.post(f"{url}/v1/review", json={"as_of": "2026-11-25"}, timeout=60).json()
    assert set(review) == fields(Review) and Review.model_validate(review) == services.scenarios.review(
        dt.date(2026, 11, 25)
    )
    with ServerClient(url) as client:
        assert client.review(dt.date(2026, 11, 25)) == Review.model_validate(review)
