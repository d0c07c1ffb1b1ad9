"""The chat page in headless Chromium against the running app: streamed, cited answers, the model
picker, checklist and briefing drafts, and the error states a reader can meet."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from service.web.routes import STATIC_DIR
from tests.web.conftest import screenshot

JEVONS = "What is the Jevons paradox in AI?"
OUT_OF_SCOPE = "What does Google DeepMind's AlphaFold do for protein structure prediction?"
CONTEXT = "A European bank moving its customer-support LLM on-shore"


def api(url: str, path: str, body: dict | None = None) -> dict:
    if body is None:
        response = httpx.get(f"{url}{path}", timeout=60)
    else:
        response = httpx.post(f"{url}{path}", json=body, timeout=60)
    response.raise_for_status()
    return response.json()


def open_page(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.locator("#model option").first).to_be_attached()


def ask(page: Page, question: str) -> None:
    page.locator("#question").fill(question)
    page.locator("#question").press("Enter")


def last_answer(page: Page):
    return page.locator("article.msg.assistant").last


def test_the_page_and_its_assets_come_from_this_server_only(live_url):
    page = httpx.get(live_url)
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for name in ("app.js", "markdown.js", "app.css"):
        assert httpx.get(f"{live_url}/static/{name}").status_code == 200
    for path in Path(STATIC_DIR).iterdir():
        remote = re.search(
            r"(src|href)\s*=\s*[\"']?(https?:)?//|@import|url\(\s*[\"']?https?:", path.read_text(encoding="utf-8")
        )
        assert remote is None, f"{path.name} loads something from elsewhere: {remote.group(0)}"
    assert "innerHTML" not in (STATIC_DIR / "app.js").read_text() + (STATIC_DIR / "markdown.js").read_text()


def test_a_question_streams_an_answer_whose_markers_open_the_quoted_passage(page: Page, live_url):
    expected = api(live_url, "/v1/ask", {"question": JEVONS})
    open_page(page, live_url)
    models = [m["id"] for m in api(live_url, "/v1/models")["data"]]
    assert page.locator("#model option").evaluate_all("options => options.map(o => o.value)") == models
    expect(page.locator("#model")).to_have_value(models[0])

    box = page.locator("#question")
    box.fill("What is")
    box.press("Shift+Enter")
    # Shift+Enter: a new line, not a send
    assert "\n" in box.input_value() and page.locator("article.msg").count() == 0
    ask(page, JEVONS)

    answer = last_answer(page)
    expect(answer.locator(".meta")).to_contain_text("Answered by extractive")
    expect(answer).to_have_attribute("aria-busy", "false")
    assert int(answer.get_attribute("data-deltas")) > 1  # the answer arrived as a stream of deltas
    expect(box).to_be_focused()
    markers = answer.locator("button.cite")
    assert markers.all_inner_texts() == [str(n) for n in range(1, len(expected["citations"]) + 1)]

    first = expected["citations"][0]
    markers.first.click()
    dialog = page.locator("dialog#source")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#source-title")).to_have_text(f"[1] {first['document']['title']}")
    expect(dialog.locator("#source-quote")).to_have_text(first["quote"])
    expect(dialog.locator("#source-section")).to_contain_text(first["section"] or "Whole document")
    screenshot(page, "chat-desktop")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(markers.first).to_be_focused()


def test_a_follow_up_sends_the_conversation_as_history(page: Page, live_url):
    open_page(page, live_url)
    ask(page, JEVONS)
    expect(last_answer(page).locator(".meta")).to_be_visible()
    first_answer = api(live_url, "/v1/ask", {"question": JEVONS})["answer"]
    with page.expect_request(lambda r: r.url.endswith("/v1/ask")) as request:
        ask(page, "Where does the demand come from?")
    body = request.value.post_data_json
    assert body["stream"] is True and body["model"] == "extractive"
    assert body["history"] == [{"role": "user", "content": JEVONS}, {"role": "assistant", "content": first_answer}]
    expect(page.locator("article.msg.assistant .meta")).to_have_count(2)


def test_an_unsupported_question_gets_a_distinct_state(page: Page, live_url):
    open_page(page, live_url)
    ask(page, OUT_OF_SCOPE)
    answer = last_answer(page)
    expect(answer).to_have_class(re.compile(r"\bunsupported\b"))
    expect(answer.locator(".badge")).to_have_text("Not covered by the corpus")
    expect(answer).to_contain_text("does not cover")
    expect(answer.locator("button.cite")).to_have_count(0)


def test_a_checklist_is_drafted_with_cited_signals_copy_and_download(page: Page, live_url):
    request = {"context": CONTEXT, "currents": None, "horizon_months": 12, "model": "extractive"}
    expected = api(live_url, "/v1/checklist", request)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_url)
    open_page(page, live_url)
    page.locator("#tab-chat").focus()
    page.keyboard.press("ArrowRight")  # the tabs work from the keyboard
    expect(page.locator("#tab-checklist")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#panel-checklist")).to_be_visible()

    page.locator("#checklist-context").fill(CONTEXT)
    page.locator("#checklist-horizon").fill("12")
    page.get_by_role("button", name="Generate checklist").click()
    result = page.locator("#checklist-result")
    expect(result.locator("h3")).to_have_text(expected["title"])
    expect(result.locator("h3")).to_be_focused()
    expect(result.locator(".checklist li")).to_have_count(len(expected["items"]))
    result.locator("button.cite").first.click()
    expect(page.locator("#source-quote")).to_have_text(expected["items"][0]["citation"]["quote"])
    page.keyboard.press("Escape")

    result.get_by_role("button", name="Copy as Markdown").click()
    expect(result.get_by_role("button", name="Copied ✓")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == expected["markdown"]
    with page.expect_download() as download:
        result.get_by_role("button", name="Download .md").click()
    assert re.fullmatch(r"trigger-checklist-[a-z0-9-]+\.md", download.value.suggested_filename)
    assert Path(download.value.path()).read_text(encoding="utf-8") == expected["markdown"]
    screenshot(page, "checklist")


def test_a_briefing_is_drafted_with_its_sections_and_download(page: Page, live_url):
    topic = "Jevons paradox and AI compute demand"
    expected = api(live_url, "/v1/briefing", {"topic": topic, "length": "short", "model": "extractive"})
    open_page(page, f"{live_url}/#briefing")
    page.locator("#briefing-topic").fill(topic)
    page.get_by_label("Short").check()
    page.get_by_role("button", name="Generate briefing").click()
    result = page.locator("#briefing-result")
    expect(result.locator("h3")).to_have_text(expected["title"])
    expect(result.locator("h4")).to_have_text([s["heading"] for s in expected["sections"]])
    assert result.locator("button.cite").count() > 0
    with page.expect_download() as download:
        result.get_by_role("button", name="Download .md").click()
    assert Path(download.value.path()).read_text(encoding="utf-8") == expected["markdown"]


def test_a_model_that_is_down_shows_an_error_and_offers_extractive(page: Page, down_url):
    open_page(page, down_url)
    page.locator("#model").select_option("offline-gpt")
    ask(page, JEVONS)
    alert = last_answer(page).get_by_role("alert")
    expect(alert).to_contain_text("The model is unavailable")
    expect(alert).to_contain_text("tried offline-gpt")
    expect(alert.get_by_role("button", name="Retry")).to_be_enabled()
    screenshot(page, "error-model-down")

    alert.get_by_role("button", name="Answer with Extractive").click()
    expect(page.locator("#model")).to_have_value("extractive")
    expect(last_answer(page).locator(".meta")).to_contain_text("Answered by extractive")
    expect(page.get_by_role("alert")).to_have_count(0)  # the failed exchange was replaced


def test_a_fallback_answer_says_which_model_answered(page: Page, down_url):
    open_page(page, down_url)
    page.locator("#model").select_option("offline-gpt-with-fallback")
    ask(page, JEVONS)
    meta = last_answer(page).locator(".meta")
    expect(meta).to_contain_text("Answered by extractive")
    expect(meta).to_contain_text("fell back from offline-gpt-with-fallback")
    expect(meta).to_contain_text("no model answered")
    assert last_answer(page).locator("button.cite").count() > 0


def test_a_rate_limit_says_when_to_retry(page: Page, live_url):
    error = {"error": {"code": "rate_limited", "message": "Too many requests; retry after 2 seconds."}}
    page.route(
        "**/v1/ask",
        lambda route: route.fulfill(
            status=429, headers={"Retry-After": "2"}, content_type="application/json", body=json.dumps(error)
        ),
    )
    open_page(page, live_url)
    ask(page, JEVONS)
    alert = last_answer(page).get_by_role("alert")
    expect(alert).to_contain_text("Rate limit reached")
    expect(alert).to_contain_text("Wait 2 s")
    retry = alert.locator("button", has_text="Retry")
    expect(retry).to_be_disabled()
    expect(retry).to_be_enabled(timeout=5_000)
    page.unroute("**/v1/ask")
    retry.click()
    expect(last_answer(page).locator(".meta")).to_contain_text("Answered by extractive")


def test_an_unreachable_server_says_what_to_do(page: Page, live_url):
    open_page(page, live_url)
    page.route("**/v1/ask", lambda route: route.abort("connectionrefused"))
    ask(page, JEVONS)
    alert = last_answer(page).get_by_role("alert")
    expect(alert).to_contain_text("Can’t reach the assistant")
    expect(alert).to_contain_text("make run")


def sse(*events: tuple[str, dict]) -> str:
    return "".join(f"event: {name}\r\ndata: {json.dumps(data)}\r\n\r\n" for name, data in events)


def test_answers_and_passages_cannot_inject_html(page: Page, live_url):
    hostile = 'See <img src=x onerror="window.injected=1"> and **this** <script>window.injected=2</script> [1]'
    citation = {
        "chunk_id": "c1",
        "quote": '<b onmouseover="window.injected=3">quoted</b>',
        "document": {"id": "d", "title": "<i>Doc</i>"},
        "section": "<svg onload=alert(1)>",
    }
    done = {
        "answer": hostile,
        "supported": True,
        "citations": [citation],
        "model": "extractive",
        "requested_model": "extractive",
        "fallback": False,
        "mode": "extractive",
        "usage": {},
        "latency_ms": 5.0,
        "unsupported_claims": [],
    }
    body = sse(("delta", {"text": hostile}), ("citations", {"citations": [citation]}), ("done", done))
    page.route("**/v1/ask", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    open_page(page, live_url)
    ask(page, JEVONS)
    answer = last_answer(page)
    expect(answer.locator(".meta")).to_be_visible()
    expect(answer.locator("strong", has_text="this")).to_be_visible()  # Markdown is still rendered
    expect(answer).to_contain_text('<img src=x onerror="window.injected=1">')
    answer.locator("button.cite").click()
    expect(page.locator("#source-quote")).to_have_text(citation["quote"])
    expect(page.locator("#source-title")).to_have_text("[1] <i>Doc</i>")
    assert page.locator("img, script:not([src]), svg, b, i").count() == 0
    assert page.evaluate("window.injected") is None


@pytest.mark.parametrize("width", [375])
def test_the_page_is_readable_at_phone_width(browser, live_url, width):
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True, has_touch=True)
    page = context.new_page()
    try:
        open_page(page, live_url)
        ask(page, "What are the trigger signals of the Sovereignty current?")
        expect(last_answer(page).locator(".meta")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing overflows sideways
        for tab in ("Chat", "Checklist", "Briefing"):
            expect(page.get_by_role("tab", name=tab)).to_be_in_viewport()
        expect(page.locator("#question")).to_be_in_viewport()
        screenshot(page, "chat-phone")
    finally:
        context.close()


def test_the_markdown_subset_renders_as_elements(page: Page, live_url):
    open_page(page, live_url)
    html = page.evaluate(
        """async (text) => {
            const { renderMarkdown } = await import("/static/markdown.js");
            const cite = (n) => (n === 1 ? Object.assign(document.createElement("button"), { textContent: n }) : null);
            const box = document.createElement("div");
            box.append(renderMarkdown(text, { cite }));
            return box.innerHTML;
        }""",
        "# Title\n\nOne *two* `x<y`\nthree [1] [7]\n\n- [ ] **Trigger:** a\n  _Why:_ b\n1. c\n> q",
    )
    assert html == (
        "<h3>Title</h3><p>One <em>two</em> <code>x&lt;y</code><br>three <button>1</button> [7]</p>"
        '<ul><li class="task"><span>☐ </span><strong>Trigger:</strong> a<br><em>Why:</em> b</li></ul>'
        "<ol><li>c</li></ol><blockquote>q</blockquote>"
    )


def test_the_picker_marks_aliases_that_cannot_answer_and_does_not_offer_them(page: Page, live_url, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)  # the app runs in this process: no key, no gpt-4o-mini
    models = api(live_url, "/v1/models")["data"]
    unavailable = [m["id"] for m in models if not m["available"]]
    assert "gpt-4o-mini" in unavailable and "extractive" not in unavailable
    assert next(m for m in models if m["id"] == "gpt-4o-mini")["reason"] == "OPENAI_API_KEY is not set"
    open_page(page, live_url)
    for alias in unavailable:
        option = page.locator(f'#model option[value="{alias}"]')
        expect(option).to_be_disabled()
        expect(option).to_contain_text("unavailable")
    expect(page.locator('#model option[value="extractive"]')).to_be_enabled()


def test_escaped_user_text_shows_as_the_characters_it_stands_for(page: Page, live_url):
    open_page(page, live_url)
    text = page.evaluate(
        """async (text) => {
            const { renderMarkdown } = await import("/static/markdown.js");
            const box = document.createElement("div");
            box.append(renderMarkdown(text, {}));
            return [box.textContent, box.querySelectorAll("strong, a, script, h1, h2, h3").length];
        }""",
        r"Context: \#\# Injected \*\*bold\*\* &lt;script&gt;x&lt;/script&gt; \[1\] a &amp; b",
    )
    assert text == ["Context: ## Injected **bold** <script>x</script> [1] a & b", 0]
