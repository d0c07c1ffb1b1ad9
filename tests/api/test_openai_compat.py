"""An unmodified OpenAI client pointed at the service gets grounded, cited answers."""

import openai
import pytest


@pytest.fixture
def oai(client):
    return openai.OpenAI(base_url="http://testserver/v1", api_key="not-needed", http_client=client, max_retries=0)


def test_models_lists_the_configured_aliases(oai, client):
    ids = [m.id for m in oai.models.list().data]
    assert ids[0] == "extractive" and "smollm2" in ids
    assert client.get("/v1/models").json()["object"] == "list"


def test_chat_completion_answers_with_citations(oai):
    completion = oai.chat.completions.create(
        model="extractive",
        messages=[{"role": "user", "content": "What happened to OpenAI's API calls when prices dropped?"}],
    )
    content = completion.choices[0].message.content
    extra = completion.model_extra
    assert completion.model == "extractive" and completion.choices[0].finish_reason == "stop"
    assert extra["supported"] is True and extra["citations"]
    assert "Sources:\n[1] " in content and extra["citations"][0]["quote"] in content


def test_chat_completion_streams(oai):
    stream = oai.chat.completions.create(
        model="extractive", messages=[{"role": "user", "content": "What is the Jevons paradox in AI?"}], stream=True
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].model_extra["citations"]
    assert "[1]" in text and "Sources:" in text


def test_conversation_history_is_used_for_a_follow_up(oai):
    completion = oai.chat.completions.create(
        model="extractive",
        messages=[
            {"role": "user", "content": "What does the booklet say about the Sovereignty current?"},
            {"role": "assistant", "content": "It is about vendor access colliding with sovereign authority."},
            {"role": "user", "content": "And its counter-trigger?"},
        ],
    )
    assert any(c["document"]["id"] == "scenario-planning-04-sovereignty" for c in completion.model_extra["citations"])


def test_errors_use_a_status_the_sdk_understands(oai):
    with pytest.raises(openai.UnprocessableEntityError) as error:
        oai.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    assert "extractive" in str(error.value)
    with pytest.raises(openai.UnprocessableEntityError):
        oai.chat.completions.create(model="extractive", messages=[{"role": "assistant", "content": "no question here"}])


def test_the_models_endpoint_says_which_aliases_can_answer_now(client, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    by_id = {m["id"]: m for m in client.get("/v1/models").json()["data"]}
    assert by_id["extractive"]["available"] is True
    assert by_id["gpt-4o-mini"] == by_id["gpt-4o-mini"] | {"available": False, "reason": "OPENAI_API_KEY is not set"}
    assert by_id["smollm2"]["owned_by"] == "embedded"
