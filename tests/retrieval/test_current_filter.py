"""The `current` filter of /v1/search resolves any case, a number or a document id to the stored name before Chroma's
case-sensitive where clause."""

import pytest
from fastapi.testclient import TestClient

from service.app import create_app
from tests.api.conftest import wait_ready

QUERY = "regulations requiring on-shore inference"


@pytest.fixture(scope="module")
def client(corpus_services):
    with TestClient(create_app(corpus_services.settings, services=corpus_services)) as test_client:
        wait_ready(test_client)
        yield test_client


def search(client, current):
    response = client.post("/v1/search", json={"query": QUERY, "top_k": 5, "current": current})
    assert response.status_code == 200, response.text
    return [(r["chunk_id"], r["score"]) for r in response.json()["results"]]


def test_the_current_filter_ignores_case_and_keeps_the_dense_signal(client, corpus_services):
    stored = search(client, "Sovereignty")
    assert stored and all(chunk_id.startswith("scenario-planning-04-sovereignty:") for chunk_id, _ in stored)
    # As checklists take it: any case, its number in the booklet, or its document id.
    for spelling in ("sovereignty", "SOVEREIGNTY", " Sovereignty ", "4", "scenario-planning-04-sovereignty"):
        assert search(client, spelling) == stored  # same passages, same scores: the dense signal is not lost
    lower = corpus_services.retriever.retrieve(QUERY, 5, current="sovereignty")
    assert lower.best_chunk_similarity > 0.3  # Chroma matched the filter: chunk similarities are real


def test_an_unknown_current_gets_a_422_listing_the_valid_names(client):
    response = client.post("/v1/search", json={"query": QUERY, "current": "atlantis"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and "Sovereignty" in error["message"]
    valid = error["details"]["valid_currents"]
    assert {"Sovereignty", "Efficiency Revolution", "Hours and Dollars"} <= set(valid)
    assert len(valid) == len(set(valid)) and "4" not in valid  # each current once, by name
