"""Browser tests: the real app served by uvicorn on a loopback port, driven by Debian's headless
Chromium through Playwright. Skipped only when /usr/bin/chromium is missing."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.routing import NoMatchFound

from service.app import create_app
from service.web import routes as web
from tests.conftest import services_with_models

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / "artifacts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def web_app(services) -> FastAPI:
    """The real app, with the chat page included should service/app.py not include it (yet)."""
    app = create_app(services.settings, services=services)
    try:
        app.url_path_for("chat_page")
    except NoMatchFound:
        app.include_router(web.router)
    return app


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run the app with uvicorn in a thread on a free loopback port until it is ready; yields its URL."""
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or not thread.is_alive():
                raise AssertionError(f"the app on {url} did not become ready")
            time.sleep(0.1)
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@pytest.fixture(scope="session")
def live_url(corpus_services) -> Iterator[str]:
    """The real app over the real corpus index, with the default models file."""
    with serve(web_app(corpus_services)) as url:
        yield url


@contextmanager
def broken_model_server() -> Iterator[str]:
    """A loopback server that accepts connections and closes them unanswered: the picker sees it
    reachable (so it offers the alias), and every model call through it fails."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def run() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            connection.close()

    thread = threading.Thread(target=run, name="broken-model-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/v1"
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


#: Aliases whose server fails every call (it hangs up at once).
DOWN_MODELS = """
model_list:
  - model_name: offline-gpt
    litellm_params: {{model: openai/gpt-4o-mini, api_key: sk-test-not-real, api_base: "{base}"}}
  - model_name: offline-gpt-with-fallback
    litellm_params: {{model: openai/gpt-4o-mini, api_key: sk-test-not-real, api_base: "{base}"}}
router_settings:
  fallbacks:
    - offline-gpt-with-fallback: [extractive]
"""


@pytest.fixture(scope="session")
def down_url(corpus_services, tmp_path_factory) -> Iterator[str]:
    """The real app whose model backends are down: `offline-gpt` has no fallback (an error), while
    `offline-gpt-with-fallback` falls back to extractive (a retrieval-only answer)."""
    path = tmp_path_factory.mktemp("down-models") / "models.yaml"
    with broken_model_server() as base:
        path.write_text(DOWN_MODELS.format(base=base), encoding="utf-8")
        with serve(web_app(services_with_models(corpus_services, path, num_retries=0, timeout_s=5))) as url:
            yield url


@pytest.fixture(scope="module")
def browser():
    """Chromium for one test module. Not for the session: Playwright's sync API keeps an event loop running in
    the main thread while it is open, and a test that runs after it (`pytest -n` runs modules in any order)
    could not call asyncio.run."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium (as root: apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh desktop-sized page; fails the test on any uncaught script error or CSP violation."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(20_000)
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    page.on("console", lambda msg: "Content Security Policy" in msg.text and problems.append(f"CSP: {msg.text}"))
    yield page
    context.close()
    assert not problems, problems


def screenshot(page, name: str) -> Path:
    """Keep a screenshot as a test artifact (tests/web/artifacts/, ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path
