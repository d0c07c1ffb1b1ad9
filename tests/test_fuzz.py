"""Property-based fuzzing of the HTTP API from its own OpenAPI schema (schemathesis, in-process over ASGI).

Every operation the app publishes in /openapi.json is exercised with schema-valid and schema-invalid
requests against the real app over the real corpus index. The contract checked: no request, however
malformed, gets a 5xx (bad input is a 4xx: README, "Every error is JSON of one shape"), and every
response whose status is documented matches its declared schema.

Bounded for CI: MAX_EXAMPLES per operation, no deadline, derandomized so a failure reproduces on the next
run. No operation of the schema is excluded: the streaming variants of /v1/ask and /v1/chat/completions
(`"stream": true`) are generated too; the offline default model (`extractive`) ends its event stream at
once, and schemathesis reads an SSE body to its end (or to its event limit). Routes the app keeps out of
its schema (/metrics, the chat page, the docs) get no generated input; the last test requests each once.

POST /slack/events is fuzzed too, with Slack configured (a test signing secret, Slack's Web API faked on
loopback by FakeSlack): a body the fuzzer sends without a signature of its own is signed, as Slack would
sign it, so generated events, slash commands and interactions reach Bolt and the bot; a body with the
fuzzer's own (malformed) signature headers exercises the signature check.

Only these two checks are asserted. schemathesis's other checks flag documentation gaps, not crashes:
undocumented 400/413/429 and SSE content types, and lenient coercions (`"stream": 0`).
"""

from __future__ import annotations

import copy
import tempfile
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import response_schema_conformance
from starlette.testclient import TestClient

from service.app import create_app
from service.container import build_services
from service.settings import Settings
from service.slack.routes import install_slack
from service.slack.settings import SlackSettings
from tests.api.conftest import wait_ready
from tests.slack.conftest import BOT_TOKEN, SIGNING_SECRET, sign
from tests.slack.fake_slack import FakeSlack

#: Examples per operation: with 14 operations (and /slack/events once more with signed bodies), both generation
#: modes and the coverage phase, ~2,000 requests in ~70 s on 2 cores (plus the session's corpus index, built
#: once). Raise it locally for a deeper run.
MAX_EXAMPLES = 100

#: Explicit config, so a stray schemathesis.toml cannot change what CI runs: schema-valid and -invalid data.
CONFIG = schemathesis.Config.from_dict({"generation": {"mode": "all"}})


def _published_schema() -> dict:
    """The app's own OpenAPI document, read at collection time from an app that is never started.

    `schemathesis.pytest.from_fixture` (the lazy loader that would read it from the fixture's app) fails
    under pytest 9.2 (`'Function' object has no attribute '_nodeid'`), so operations are parametrized
    eagerly from this document and every request goes to the fixture's real app; the fixture checks that
    app publishes the same document. Building it opens only empty SQLite files in a temporary folder.
    """
    with tempfile.TemporaryDirectory(prefix="fuzz-schema-") as folder:
        return create_app(Settings(data_dir=Path(folder)), store=object(), embedder=object()).openapi()


#: Valid values the schema cannot express (a configured alias, a current's name, a conversation that ends
#: with the user's question), given to the fuzzer as examples of request fields and path parameters.
INPUT_EXAMPLES = {
    "model": ["extractive"],
    "messages": [[{"role": "user", "content": "What is the Jevons paradox in AI?"}]],
    "name": ["Sovereignty"],
}


def _with_input_examples(document: dict) -> dict:
    """Add INPUT_EXAMPLES to the schema the fuzzer reads, never to the contract under test.

    `model` is a free string and any name that is not a configured alias is rightly a 422, so without a
    hint the fuzzer would hardly pass alias resolution (for /v1/chat/completions, where `model` is
    required, never in 100 examples). The examples feed schemathesis's examples and coverage phases; types
    and limits are unchanged, and the fixture checks the app's own document without them.
    """
    for component in document.get("components", {}).get("schemas", {}).values():
        for name, field in component.get("properties", {}).items():
            if name in INPUT_EXAMPLES and "examples" not in field:
                field["examples"] = INPUT_EXAMPLES[name]
    for item in document.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["name"] in INPUT_EXAMPLES and parameter["in"] == "path":
                    parameter["schema"].setdefault("examples", INPUT_EXAMPLES[parameter["name"]])
    return document


def _bodies_only(document: dict) -> dict:
    """The Slack operation without its signature headers: Slack signs every body, so the fuzzer generates only bodies."""
    operation = document["paths"]["/slack/events"]["post"]
    operation["parameters"] = [p for p in operation.get("parameters", []) if p["in"] != "header"]
    return document


PUBLISHED = _published_schema()
schema = schemathesis.openapi.from_dict(_with_input_examples(copy.deepcopy(PUBLISHED)), config=CONFIG)
signed_slack = schemathesis.openapi.from_dict(_bodies_only(copy.deepcopy(PUBLISHED)), config=CONFIG).include(
    path="/slack/events"
)


#: Status codes of every response the fuzz run got, by route: read by the last test of this module.
STATUSES: Counter = Counter()


class SlackSigns:
    """Slack's side of the run: signs, over its exact bytes, each /slack/events body the fuzzer sends unsigned."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] != "/slack/events":
            return await self.app(scope, receive, send)
        if any(name == b"x-slack-signature" for name, _ in scope["headers"]):
            return await self.app(
                scope, receive, _counted("/slack/events", send)
            )  # the fuzzer's own headers: checked as sent
        chunks, more = [], True
        while more:
            event = await receive()
            chunks.append(event.get("body", b""))
            more = event.get("more_body", False)
        body = b"".join(chunks)
        signed = [(k.encode(), v.encode()) for k, v in sign(body).items()]
        headers = [(k, v) for k, v in scope["headers"] if k not in (b"x-slack-request-timestamp", b"x-slack-signature")]
        replayed = False

        async def replay():
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": headers + signed}, replay, _counted("/slack/events (signed)", send))


def _counted(label: str, send):
    async def counting(event):
        if event["type"] == "http.response.start":
            STATUSES[(label, event["status"])] += 1
        await send(event)

    return counting


class Tally:
    """Counts every other response's status by path."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] == "/slack/events":
            return await self.app(scope, receive, send)
        path = "/v1/currents/{name}" if scope["path"].startswith("/v1/currents/") else scope["path"]
        await self.app(scope, receive, _counted(path, send))


@pytest.fixture(scope="module")
def fake_slack_for_fuzz():
    with FakeSlack() as fake:
        yield fake


@pytest.fixture(scope="module")
def fuzz_client(corpus_services, fake_slack_for_fuzz, tmp_path_factory):
    """A client of the real app over the session's corpus index (same Chroma store, same embedding model), with
    the Slack bot attached and talking to a fake Slack on loopback.

    Its data_dir is its own: the fuzzer records hundreds of random signals (POST /v1/signals) with random
    dates, and the session's watch log is read by other tests that expect only their own rows first.
    """
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    # The per-client rate limit would turn most of the run into 429s before any handler runs.
    update = {"data_dir": data_dir, "ingest_on_start": False, "rate_limit": "1000000/minute"}
    settings_ = corpus_services.settings.model_copy(update=update)
    services = build_services(settings_, store=corpus_services.store, embedder=corpus_services.embedder)
    app = create_app(settings_, services=services)
    slack = SlackSettings(
        bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, feedback_db=data_dir / "slack_feedback.sqlite3"
    )
    install_slack(app, services, slack, api_url=fake_slack_for_fuzz.api_url)
    # The lifespan runs in a Starlette TestClient for the module. Requests go through a schemathesis client
    # that is never entered, so schemathesis never starts a lifespan of its own: its pytest plugin ends
    # every ASGI lifespan it started at each test's teardown, and the next request would start another.
    with TestClient(app):
        client = asgi.get_client(Tally(SlackSigns(app)))
        wait_ready(client)
        # /readyz turns 200 before the index thread has warmed the embedding model: a daemon thread still
        # inside torch when the interpreter exits aborts the process (exit 134).
        app.state.prepare_thread.join(timeout=120)
        assert client.get("/openapi.json").json() == PUBLISHED, "the app publishes another schema than was parametrized"
        STATUSES.clear()  # from here on, only the fuzz run's responses (not the readiness polls)
        yield client


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_api_never_answers_5xx_and_matches_its_schema(case, fuzz_client):
    case.call_and_validate(session=fuzz_client, checks=[not_a_server_error, response_schema_conformance])


@signed_slack.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_signed_slack_bodies_never_answer_5xx(case, fuzz_client):
    """Every generated body reaches the route unsigned and is signed on its way in: the signature passes, Bolt reads it."""
    case.call_and_validate(session=fuzz_client, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.parametrize("path", ["/", "/docs", "/redoc", "/openapi.json", "/metrics", "/no-such-page"])
def test_routes_outside_the_schema_never_answer_5xx(fuzz_client, path):
    assert fuzz_client.get(path).status_code < 500


@pytest.mark.slow  # reads what the fuzz run above recorded
def test_the_run_reached_every_operation_and_slack_with_signed_bodies():
    """The fuzz run above (skipped when it did not run in this session) got no 5xx, and signed Slack bodies got past
    the signature check: Bolt answered them (200), or the payload check did (400)."""
    if not STATUSES:
        pytest.skip("the fuzz run did not run in this session")
    server_errors = {key: n for key, n in STATUSES.items() if key[1] >= 500}
    print(
        f"fuzz responses: {sum(STATUSES.values())}, >= 500: {sum(server_errors.values())}; by route and status: {sorted(STATUSES.items())}"
    )
    assert server_errors == {}
    assert STATUSES[("/slack/events (signed)", 200)] >= 50 and STATUSES[("/slack/events", 401)] >= 50
