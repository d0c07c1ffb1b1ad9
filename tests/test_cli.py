import json

from typer.testing import CliRunner

from service.cli import app

runner = CliRunner()


def _use(monkeypatch, settings):
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)


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
