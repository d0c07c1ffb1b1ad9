import pytest

from service.api.schemas import MAX_QUERY_CHARS, MAX_TOP_K


def test_search_contract(client):
    response = client.post(
        "/v1/search", json={"query": "what does the blitzscaling essay call the death zone?", "top_k": 3}
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 3
    first = results[0]
    assert set(first) == {"chunk_id", "text", "score", "document", "section"}
    assert set(first["document"]) == {"id", "title"}
    assert first["document"] == {"id": "blitzscaling-ai", "title": "Blitzscaling AI: The Race to 100,000 GPUs"}
    assert first["section"] == "The Death Zone" and "face extinction" in first["text"]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)


def test_top_k_defaults_to_five(client):
    assert len(client.post("/v1/search", json={"query": "Jevons paradox"}).json()["results"]) == 5


def test_filters(client):
    response = client.post("/v1/search", json={"query": "trigger signals", "top_k": 5, "current": "Sovereignty"})
    assert {r["document"]["id"] for r in response.json()["results"]} == {"scenario-planning-04-sovereignty"}
    response = client.post("/v1/search", json={"query": "x", "document": "no-such-doc"})
    assert response.status_code == 422 and "valid_documents" in response.json()["error"]["details"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"query": ""}, "query"),
        ({"query": "   "}, "query"),
        ({"query": "x" * (MAX_QUERY_CHARS + 1)}, "query"),
        ({"query": "q" * 20_000}, "query"),
        ({"query": "ok", "top_k": 0}, "top_k"),
        ({"query": "ok", "top_k": 10_000}, "top_k"),
        ({"query": "ok", "top_k": MAX_TOP_K + 1}, "top_k"),
        ({"query": 42}, "query"),
        ({"query": "ok", "top_k": "five"}, "top_k"),
        ({"query": ["a"]}, "query"),
        ({"top_k": 3}, "query"),
        ({"query": "ok", "unknown": 1}, "unknown"),
    ],
)
def test_bad_fields_get_422_naming_the_field(client, body, field):
    response = client.post("/v1/search", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert field in error["message"] and error["details"][0]["field"] == field


@pytest.mark.parametrize(
    "raw",
    [b"{not json", b"", b"[1, 2]", b'"just a string"', b"\xff\xfe\xfa not utf-8", b'{"query": "\xff"}'],
)
def test_unparseable_bodies_get_a_4xx_json_error(client, raw):
    response = client.post("/v1/search", content=raw, headers={"content-type": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.json()["error"]["code"] in {"invalid_json", "invalid_request"}
    assert "JSON" in response.json()["error"]["message"] or "query" in response.json()["error"]["message"]


def test_unknown_route_and_method_are_json(client):
    assert client.get("/v1/nope").json()["error"]["code"] == "not_found"
    response = client.get("/v1/search")
    assert response.status_code == 405 and response.json()["error"]["code"] == "method_not_allowed"


def test_health_ready_and_docs(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert ready["status"] == "ready" and ready["chunks"] > 100
    assert client.get("/docs").status_code == 200
    assert "/v1/search" in client.get("/openapi.json").json()["paths"]
