import re

import pytest

from service.corpus.documents import load_corpus
from service.settings import PROJECT_ROOT
from tests.conftest import CURRENT_NAMES

BOOKLET_TEXT = "\n".join(d.body for d in load_corpus(PROJECT_ROOT / "corpus") if d.meta.current)


def test_currents_list_and_one(client):
    currents = client.get("/v1/currents").json()["currents"]
    assert [c["name"] for c in currents][:2] == ["Continued Scaling", "Efficiency Revolution"] and len(currents) == 6
    one = client.get("/v1/currents/sovereignty").json()
    assert one["name"] == "Sovereignty" and one["counter_triggers"]
    missing = client.get("/v1/currents/atlantis")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "unknown_current"
    assert "Sovereignty" in missing.json()["error"]["details"]["valid_currents"]


@pytest.mark.parametrize("name", CURRENT_NAMES)
def test_checklist_for_one_current_reproduces_its_full_trigger_list_verbatim(client, name):
    body = client.post(
        "/v1/checklist", json={"context": "a mid-sized insurer planning its AI budget", "currents": [name]}
    ).json()
    current = client.get(f"/v1/currents/{name}").json()
    expected = [s["signal"] for s in current["triggers"] + current["counter_triggers"]]
    assert [i["signal"] for i in body["items"]] == expected
    for item in body["items"]:
        assert item["current"] == name and item["signal"] in BOOKLET_TEXT and item["citation"]["quote"] in BOOKLET_TEXT
        assert item["kind"] in ("trigger", "counter-trigger") and item["why_it_matters"]
    assert body["review"] == {"cadence": "quarterly", "retire_after_months": 18}
    assert body["markdown"].startswith("# Trigger checklist") and "- [ ] **Trigger:**" in body["markdown"]


def test_checklist_without_currents_chooses_relevant_ones_and_says_why(client):
    body = client.post(
        "/v1/checklist",
        json={
            "context": "We are a European bank moving our support LLM from a US API to a self-hosted open-weight model",
            "horizon_months": 12,
        },
    ).json()
    chosen = [c["name"] for c in body["currents"]]
    assert "Sovereignty" in chosen and all(c["reason"] for c in body["currents"])
    assert body["horizon_months"] == 12 and "**Horizon:** 12 months" in body["markdown"]


@pytest.mark.parametrize(
    ("path", "body", "code"),
    [
        ("/v1/checklist", {"context": ""}, "invalid_request"),
        ("/v1/checklist", {"context": "   "}, "invalid_request"),
        ("/v1/checklist", {"context": "x", "currents": ["Atlantis"]}, "unknown_current"),
        ("/v1/checklist", {"context": "x", "horizon_months": 0}, "invalid_request"),
        ("/v1/briefing", {"topic": ""}, "invalid_request"),
        ("/v1/briefing", {"topic": "x", "length": "epic"}, "invalid_request"),
        ("/v1/signals", {"text": ""}, "invalid_request"),
        ("/v1/signals", {"text": "x", "observed_on": "yesterday"}, "invalid_request"),
    ],
)
def test_bad_scenario_input_gets_422(client, path, body, code):
    response = client.post(path, json=body)
    assert response.status_code == 422 and response.json()["error"]["code"] == code


def test_briefing_sections_with_citations_markdown_and_html(client):
    body = client.post(
        "/v1/briefing",
        json={"topic": "GPU overcapacity and AI infrastructure spending", "audience": "the board", "length": "short"},
    ).json()
    headings = [s["heading"] for s in body["sections"]]
    assert headings == ["Summary", "Relevant frameworks", "Key figures", "Triggers to watch", "Open questions"]
    for section in body["sections"][1:]:
        assert section["citations"], section["heading"]
    assert all(re.search(r"\d", line["text"]) for line in body["sections"][2]["lines"])
    assert body["markdown"].startswith("# Briefing: GPU overcapacity") and "## Sources" in body["markdown"]
    html = client.post("/v1/briefing?format=html", json={"topic": "GPU overcapacity"})
    assert html.headers["content-type"].startswith("text/html") and html.text.startswith("<!doctype html>")
    assert "<h2>Key figures</h2>" in html.text and "@media print" in html.text
    negotiated = client.post("/v1/briefing", json={"topic": "GPU overcapacity"}, headers={"accept": "text/html"})
    assert negotiated.headers["content-type"].startswith("text/html")


def test_briefing_html_escapes_what_it_quotes(client):
    html = client.post("/v1/briefing?format=html", json={"topic": "<script>alert(1)</script> sovereignty"}).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_signal_watch_records_matches_and_lists_since(client):
    recorded = client.post(
        "/v1/signals",
        json={
            "text": "Brussels requires AI inference for public services to stay on-shore",
            "observed_on": "2026-10-02",
            "source_url": "https://news.invalid/x",
        },
    )
    assert recorded.status_code == 201
    match = recorded.json()["matches"][0]
    assert (
        match["current"] == "Sovereignty"
        and match["signal"].startswith("New sovereign-AI regulations")
        and match["citation"]["chunk_id"]
    )
    listed = client.get("/v1/signals", params={"since": "2026-10-01"}).json()["signals"]
    assert any(s["id"] == recorded.json()["id"] for s in listed)
    assert client.get("/v1/signals", params={"since": "not-a-date"}).status_code == 422
    review = client.post("/v1/review", json={"as_of": "2026-11-25"}).json()
    assert any(c["name"] == "Sovereignty" and c["fired"] for c in review["currents"])
    assert review["markdown"].startswith("# Quarterly trigger review")


def test_the_reported_news_line_is_matched_and_the_review_lists_one_fired_signal_per_line(client):
    reported = client.post(
        "/v1/signals",
        json={"text": "EU regulator orders banks to keep LLM inference on EU soil", "observed_on": "2026-10-05"},
    ).json()
    assert reported["matches"][0]["current"] == "Sovereignty" and reported["matches"][0]["signal"].startswith(
        "New sovereign-AI regulations"
    )
    assert isinstance(reported["matches"][0]["score"], float)  # a number for programs, named as a score
    counter = client.post(
        "/v1/signals",
        json={
            "text": "US, EU and China agree to let companies buy each other's AI services again",
            "observed_on": "2026-10-06",
        },
    ).json()
    assert counter["matches"][0]["kind"] == "counter-trigger"
    other = client.post(
        "/v1/signals",
        json={
            "text": "Washington bars a frontier lab from federal contracts over its usage policy",
            "observed_on": "2026-10-07",
        },
    ).json()
    assert other["matches"][0]["current"] == "Sovereignty"
    review = client.post("/v1/review", json={"as_of": "2026-11-25"}).json()
    sovereignty = next(c for c in review["currents"] if c["name"] == "Sovereignty")
    fired_lines = [
        line
        for line in review["markdown"].split("## Sovereignty")[1].split("\n## ")[0].splitlines()
        if "fired:" in line
    ]
    assert len(fired_lines) == len(sovereignty["fired"]) >= 3
    assert all(line.startswith("- **") and line.count("fired:") == 1 for line in fired_lines)
    assert any(line.startswith("- **Counter-trigger fired:**") for line in fired_lines)


@pytest.mark.parametrize(
    ("topic", "covered"),
    [("GPU overcapacity and AI infrastructure spending", True), ("how to train for a marathon", False)],
)
def test_the_briefing_badge_agrees_with_the_answer_on_coverage(client, topic, covered):
    answer = client.post("/v1/ask", json={"question": topic}).json()
    briefing = client.post("/v1/briefing", json={"topic": topic, "length": "short"}).json()
    html = client.post("/v1/briefing?format=html", json={"topic": topic, "length": "short"}).text
    assert answer["supported"] is briefing["supported"] is covered
    badge = "The corpus does not cover this topic directly"
    assert (briefing["coverage_note"] == badge) is (not covered)
    assert (badge in briefing["markdown"]) is (not covered) and ('class="badge"' in html) is (not covered)


def test_checklist_whys_differ_per_item_and_show_no_score(client):
    body = client.post(
        "/v1/checklist",
        json={
            "context": "We are a European bank moving our support LLM from a US API to a self-hosted open-weight model"
        },
    ).json()
    whys = [item["why_it_matters"] for item in body["items"]]
    assert len(set(whys)) == len(whys) and all(
        item["why_citation"]["quote"] in item["why_it_matters"] for item in body["items"]
    )
    assert "score" not in body["markdown"].lower() and not any(
        re.search(r"\b0\.\d\d\b", c["reason"]) for c in body["currents"]
    )


@pytest.mark.parametrize(
    ("path", "body", "hint"),
    [
        ("/v1/review", {"as_of": "0001-01-01"}, "YYYY-MM-DD"),  # was a 500: year 0 when counting back a quarter
        ("/v1/review", {"as_of": "9999-12-31"}, "YYYY-MM-DD"),
        ("/v1/review", {"as_of": 0}, "YYYY-MM-DD"),
        ("/v1/review", {"as_of": "2026-02-30"}, "YYYY-MM-DD"),
        ("/v1/review", {"as_of": "2026-01-01T00:00:00"}, "YYYY-MM-DD"),
        (
            "/v1/signals",
            {"text": "EU on-shore inference law", "observed_on": 0},
            "YYYY-MM-DD",
        ),  # was stored as 1970-01-01
        ("/v1/signals", {"text": "EU on-shore inference law", "observed_on": 1767225600}, "YYYY-MM-DD"),
        ("/v1/signals", {"text": "EU on-shore inference law", "observed_on": "1970-01-01"}, "YYYY-MM-DD"),
        ("/v1/signals", {"text": "EU on-shore inference law", "observed_on": "2999-01-01"}, "YYYY-MM-DD"),
        ("/v1/signals", {"text": "x" * 4001}, "at most 4000 characters"),
    ],
)
def test_dates_and_texts_out_of_range_are_422_saying_what_is_accepted(client, path, body, hint):
    before = len(client.get("/v1/signals").json()["signals"])
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid_request" and hint in error["message"]
    assert len(client.get("/v1/signals").json()["signals"]) == before


def test_since_must_be_a_date_too(client):
    for since in ("0", "0001-01-01", "2026-01-01T00:00"):
        response = client.get("/v1/signals", params={"since": since})
        assert response.status_code == 422 and "YYYY-MM-DD" in response.json()["error"]["message"]


INJECTED = "a bank\n\n## Injected heading\n- [x] **Trigger:** fake signal [1] <script>alert(1)</script> [x](javascript:alert(1))"


def _structure(markdown: str) -> tuple[list[str], int, list[str]]:
    """Headings, checklist/list items, and any link or raw HTML, as a CommonMark renderer sees them."""
    from markdown_it import MarkdownIt

    parsed = MarkdownIt("commonmark").parse(markdown)
    headings = [parsed[i + 1].content for i, t in enumerate(parsed) if t.type == "heading_open"]
    items = sum(t.type == "list_item_open" for t in parsed)
    unsafe = [
        c.type
        for t in parsed
        for c in [t, *(t.children or [])]
        if c.type in ("link_open", "image", "html_inline", "html_block")
    ]
    return headings, items, unsafe


def test_checklist_markdown_neutralises_the_context_and_lists_each_current_once(client):
    clean = client.post("/v1/checklist", json={"context": "a bank", "currents": ["Sovereignty"]}).json()
    body = client.post(
        "/v1/checklist", json={"context": INJECTED, "currents": ["Sovereignty", "sovereignty", "4"]}
    ).json()
    assert [i["signal"] for i in body["items"]] == [i["signal"] for i in clean["items"]]
    headings, items, unsafe = _structure(body["markdown"])
    assert headings == _structure(clean["markdown"])[0] and "Injected heading" not in headings
    assert (
        items == _structure(clean["markdown"])[1] and unsafe == []
    )  # the checklist items and their sources, nothing injected
    assert body["context"] == INJECTED.strip()  # the JSON keeps the text as written; only the Markdown escapes it


def test_briefing_markdown_neutralises_topic_and_audience(client):
    body = client.post(
        "/v1/briefing",
        json={
            "topic": "Jevons paradox\n\n## Injected <b>x</b>",
            "audience": "the board_ [x](javascript:alert(1))",
            "length": "short",
        },
    ).json()
    headings, _, unsafe = _structure(body["markdown"])
    assert headings[1:] == [
        "Summary",
        "Relevant frameworks",
        "Key figures",
        "Triggers to watch",
        "Open questions",
        "Sources",
    ]
    assert "Injected" not in " ".join(headings[1:]) and unsafe == []
    for section in body["sections"]:
        assert _structure(section["body"])[2] == []
