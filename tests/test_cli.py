import json
import os
import re
import subprocess
import sys
from functools import partial

import pytest
from typer.testing import CliRunner

from service import client as client_module
from service.app import create_app
from service.cli import app
from tests.web.conftest import serve

runner = CliRunner()

#: What a command answered by a server must not import: each costs seconds (the model, the index, the LLM layer).
HEAVY = ("torch", "sentence_transformers", "chromadb", "litellm", "llama_cpp", "service.container")


@pytest.fixture(autouse=True)
def _in_process_unless_told(monkeypatch):
    """Run in this process unless a test passes --server: a server someone runs on port 8000 must not answer tests."""
    monkeypatch.setenv("STRATEGY_SERVER_URL", "none")
    monkeypatch.delenv("STRATEGY_API_KEY", raising=False)


def _use(monkeypatch, settings):
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)


@pytest.mark.slow  # `ingest` and `search` load the embedding model
def test_ingest_then_search_json_and_text(monkeypatch, store_settings):
    _use(monkeypatch, store_settings)
    first = runner.invoke(app, ["ingest"])
    assert first.exit_code == 0, first.output
    assert "index built: 3 documents" in first.output
    again = runner.invoke(app, ["ingest"])
    assert "index unchanged" in again.output and "(0 embedded" in again.output

    result = runner.invoke(app, ["search", "which companies face extinction", "--json", "-k", "2"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert len(payload["results"]) == 2
    assert payload["results"][0]["document"] == {"id": "growth", "title": "Blitzscaling Basics"}

    text = runner.invoke(app, ["search", "which companies face extinction"])
    assert "1. Blitzscaling Basics › The Death Zone" in text.stdout


def test_ingest_of_a_malformed_document_exits_2_with_the_file_named(monkeypatch, store_settings):
    _use(monkeypatch, store_settings)
    (store_settings.corpus_dir / "oops.md").write_text("---\ntitle: [x\n---\nbody", encoding="utf-8")
    result = runner.invoke(app, ["ingest"])
    assert result.exit_code == 2
    assert "oops.md" in result.output and "corpus_invalid" in result.output


def test_scenario_commands_write_markdown(monkeypatch, corpus_services, tmp_path):
    from service import container

    # The session's index is current: each command loads it without re-chunking the corpus, with the loaded model.
    settings = corpus_services.settings.model_copy(update={"ingest_on_start": False})
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    reuse = partial(container.build_services, store=corpus_services.store, embedder=corpus_services.embedder)
    monkeypatch.setattr(container, "build_services", reuse)
    out = tmp_path / "checklist.md"
    result = runner.invoke(
        app, ["checklist", "a bank moving AI on-shore", "--current", "Sovereignty", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Trigger checklist: Sovereignty")

    result = runner.invoke(app, ["checklist", "x", "--current", "Atlantis"])
    assert result.exit_code == 2 and "unknown_current" in result.output

    brief = runner.invoke(app, ["brief", "GPU overcapacity", "--short"])
    assert brief.exit_code == 0 and "## Key figures" in brief.stdout

    signal = runner.invoke(
        app, ["signal", "GPT-4-class output now sells for under ten cents per million tokens", "--date", "2026-11-01"]
    )
    assert signal.exit_code == 0 and "Efficiency Revolution trigger" in signal.stdout

    review = runner.invoke(app, ["review", "--as-of", "2026-11-25"])
    assert review.exit_code == 0 and "Efficiency Revolution — active" in review.stdout

    bad = runner.invoke(app, ["signal", "x", "--date", "soon"])
    assert bad.exit_code == 2 and "invalid_date" in bad.output


# --- The same commands through a running server -------------------------------------------------


@pytest.fixture(scope="module")
def cli_api(corpus_services, tmp_path_factory):
    """The real app over the session's corpus index, with its own SQLite stores; yields (url, settings, services)."""
    from service.container import build_services

    # ingest_on_start off: the session's index is current, so no command re-chunks the corpus to find that out.
    update = {"data_dir": tmp_path_factory.mktemp("cli-api"), "ingest_on_start": False}
    settings = corpus_services.settings.model_copy(update=update)
    services = build_services(settings, store=corpus_services.store, embedder=corpus_services.embedder)
    with serve(create_app(settings, services=services)) as url:
        yield url, settings, services


@pytest.fixture
def in_process_like_the_server(monkeypatch, corpus_services, cli_api):
    """In-process runs read the server's settings (so the same signal log) and reuse the session's loaded model."""
    from service import container

    _, settings, _ = cli_api
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    reuse = partial(container.build_services, store=corpus_services.store, embedder=corpus_services.embedder)
    monkeypatch.setattr(container, "build_services", reuse)


def _comparable(text: str) -> str:
    """Output without the latency, which differs from run to run."""
    return re.sub(r'"latency_ms": [0-9.]+', '"latency_ms": 0', re.sub(r"· [0-9]+ ms", "· 0 ms", text))


JEVONS = "What is the Jevons paradox in AI?"


@pytest.mark.parametrize(
    "args",
    [
        ["search", "jevons paradox"],
        ["search", "jevons paradox", "--json", "-k", "3"],
        ["ask", JEVONS],
        ["ask", JEVONS, "--json"],
        ["ask", "What is the best pizza topping in Naples?"],
        ["ask", JEVONS, "--model", "no-such-model"],
        ["checklist", "a bank moving AI on-shore", "--current", "Sovereignty"],
        ["checklist", "x", "--current", "Atlantis"],
        ["brief", "GPU overcapacity", "--short"],
        ["brief", "GPU overcapacity", "--short", "--html"],
        ["signal", "GPT-4-class output now sells for under ten cents per million tokens", "--date", "2026-11-01"],
        ["signal", "x", "--date", "soon"],
        ["review", "--as-of", "2026-11-25"],
        ["review", "--as-of", "1999-01-01"],
    ],
    ids=lambda args: " ".join(args)[:60],
)
def test_a_command_prints_the_same_through_a_server_as_in_process(in_process_like_the_server, cli_api, args):
    url, _, _ = cli_api
    local = runner.invoke(app, [*args, "--server", "none"])
    remote = runner.invoke(app, [*args, "--server", url])
    assert remote.exception is None or isinstance(remote.exception, SystemExit), remote.exception
    assert (remote.exit_code, _comparable(remote.stdout), remote.stderr) == (
        local.exit_code,
        _comparable(local.stdout),
        local.stderr,
    )
    assert remote.stdout or remote.stderr  # something real was compared


def test_errors_keep_their_code_and_exit_status(in_process_like_the_server, cli_api):
    url, _, _ = cli_api
    result = runner.invoke(app, ["checklist", "x", "--current", "Atlantis", "--server", url])
    assert result.exit_code == 2 and result.stderr.startswith("error (unknown_current): Unknown current 'Atlantis'")
    down = runner.invoke(app, ["search", "jevons", "--server", "http://127.0.0.1:9"])
    assert down.exit_code == 2 and "error (server_unavailable)" in down.stderr and "--server none" in down.stderr
    bad = runner.invoke(app, ["search", "jevons", "--server", "localhost:8000"])
    assert bad.exit_code == 2 and "error (invalid_server_url)" in bad.stderr


def test_without_a_server_option_the_default_server_answers_when_it_runs(monkeypatch, cli_api, corpus_services):
    from service import container

    url, settings, _ = cli_api
    monkeypatch.delenv("STRATEGY_SERVER_URL")
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    built = []
    build_services = container.build_services

    def counted(*args, **kwargs):
        built.append(args)
        return build_services(*args, store=corpus_services.store, embedder=corpus_services.embedder, **kwargs)

    monkeypatch.setattr(container, "build_services", counted)
    monkeypatch.setattr(client_module, "DEFAULT_SERVER_URL", url)
    result = runner.invoke(app, ["search", "jevons paradox", "-k", "1"])
    assert result.exit_code == 0 and "1. The Jevons Paradox in AI" in result.stdout and built == []

    monkeypatch.setattr(
        client_module, "DEFAULT_SERVER_URL", "http://127.0.0.1:9"
    )  # nothing listens: run in this process
    result = runner.invoke(app, ["search", "jevons paradox", "-k", "1"])
    assert result.exit_code == 0 and "1. The Jevons Paradox in AI" in result.stdout and len(built) == 1


def test_the_server_and_api_key_come_from_the_environment(monkeypatch, cli_api):
    url, _, services = cli_api
    monkeypatch.setenv("STRATEGY_SERVER_URL", url)
    key, secret = services.keys.create("cli-test")
    try:
        monkeypatch.setenv("STRATEGY_API_KEY", secret)
        result = runner.invoke(app, ["search", "jevons paradox", "-k", "1"])
        assert result.exit_code == 0 and "1. The Jevons Paradox in AI" in result.stdout
        monkeypatch.delenv("STRATEGY_API_KEY")
        refused = runner.invoke(app, ["search", "jevons paradox"])
        assert (
            refused.exit_code == 2 and "error (unauthorized)" in refused.stderr and "STRATEGY_API_KEY" in refused.stderr
        )
        passed = runner.invoke(app, ["ask", JEVONS, "--api-key", secret])
        assert passed.exit_code == 0 and "model extractive" in passed.stdout
    finally:
        services.keys.revoke(key.id)


def _imported_after(args: list[str], env: dict) -> tuple[list[str], str]:
    """Run the CLI with these arguments in a fresh interpreter; the heavy modules it imported, and its output."""
    code = (
        "import json, sys\n"
        "from service.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit as exit:\n    assert exit.code in (0, None), exit.code\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r} or m in {HEAVY!r})\n"
        "print('HEAVY=' + json.dumps(heavy))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **env}
    )
    assert done.returncode == 0, done.stderr
    *output, last = done.stdout.rstrip("\n").split("\n")
    return json.loads(last.removeprefix("HEAVY=")), "\n".join(output)


def test_help_and_a_command_answered_by_a_server_import_nothing_heavy(cli_api):
    url, _, _ = cli_api
    env = {"STRATEGY_SERVER_URL": "none", "HF_HUB_OFFLINE": "1"}
    for args in (["--help"], ["search", "--help"], ["ask", "--help"]):
        heavy, output = _imported_after(args, env)
        assert heavy == [] and "Usage:" in output, (args, heavy)
    heavy, output = _imported_after(["search", "jevons paradox", "--server", url], env)
    assert heavy == [] and "1. The Jevons Paradox in AI" in output
    heavy, output = _imported_after(["ask", JEVONS, "--server", url], env)
    assert heavy == [] and "model extractive" in output
