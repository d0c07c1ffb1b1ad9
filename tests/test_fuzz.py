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

Only these two checks are asserted. schemathesis's other checks flag documentation gaps, not crashes:
undocumented 400/413/429 and SSE content types, and lenient coercions (`"stream": 0`, `"as_of": 0`).
"""

from __future__ import annotations

import copy
import tempfile
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
from tests.api.conftest import wait_ready

#: Examples per operation: with 13 operations, both generation modes and the coverage phase, ~1,400 requests
#: in ~20 s on 2 cores (plus the session's corpus index, built once). Raise it locally for a deeper run.
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


PUBLISHED = _published_schema()
schema = schemathesis.openapi.from_dict(_with_input_examples(copy.deepcopy(PUBLISHED)), config=CONFIG)


@pytest.fixture(scope="module")
def fuzz_client(corpus_services, tmp_path_factory):
    """A client of the real app over the session's corpus index (same Chroma store, same embedding model).

    Its data_dir is its own: the fuzzer records hundreds of random signals (POST /v1/signals) with random
    dates, and the session's watch log is read by other tests that expect only their own rows first.
    """
    data_dir = tmp_path_factory.mktemp("fuzz-data")
    # The per-client rate limit would turn most of the run into 429s before any handler runs.
    update = {"data_dir": data_dir, "ingest_on_start": False, "rate_limit": "1000000/minute"}
    settings_ = corpus_services.settings.model_copy(update=update)
    services = build_services(settings_, store=corpus_services.store, embedder=corpus_services.embedder)
    app = create_app(settings_, services=services)
    # The lifespan runs in a Starlette TestClient for the module. Requests go through a schemathesis client
    # that is never entered, so schemathesis never starts a lifespan of its own: its pytest plugin ends
    # every ASGI lifespan it started at each test's teardown, and the next request would start another.
    with TestClient(app):
        client = asgi.get_client(app)
        wait_ready(client)
        # /readyz turns 200 before the index thread has warmed the embedding model: a daemon thread still
        # inside torch when the interpreter exits aborts the process (exit 134).
        app.state.prepare_thread.join(timeout=120)
        assert client.get("/openapi.json").json() == PUBLISHED, "the app publishes another schema than was parametrized"
        yield client


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_api_never_answers_5xx_and_matches_its_schema(case, fuzz_client):
    case.call_and_validate(session=fuzz_client, checks=[not_a_server_error, response_schema_conformance])


@pytest.mark.parametrize("path", ["/", "/docs", "/redoc", "/openapi.json", "/metrics", "/no-such-page"])
def test_routes_outside_the_schema_never_answer_5xx(fuzz_client, path):
    assert fuzz_client.get(path).status_code < 500
