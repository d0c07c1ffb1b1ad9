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


def test_scenario_commands_write_markdown(monkeypatch, corpus_services, tmp_path):
    settings = corpus_services.settings.model_copy(update={"data_dir": corpus_services.settings.data_dir})
    monkeypatch.setattr("service.cli.get_settings", lambda: settings)
    out = tmp_path / "checklist.md"
    result = runner.invoke(app, ["checklist", "a bank moving AI on-shore", "--current", "Sovereignty", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Trigger checklist: Sovereignty")

    result = runner.invoke(app, ["checklist", "x", "--current", "Atlantis"])
    assert result.exit_code == 2 and "unknown_current" in result.output

    brief = runner.invoke(app, ["brief", "GPU overcapacity", "--short"])
    assert brief.exit_code == 0 and "## Key figures" in brief.stdout

    signal = runner.invoke(app, ["signal", "GPT-4-class output now sells for under ten cents per million tokens", "--date", "2026-11-01"])
    assert signal.exit_code == 0 and "Efficiency Revolution trigger" in signal.stdout

    review = runner.invoke(app, ["review", "--as-of", "2026-11-25"])
    assert review.exit_code == 0 and "Efficiency Revolution — active" in review.stdout

    bad = runner.invoke(app, ["signal", "x", "--date", "soon"])
    assert bad.exit_code == 2 and "invalid_date" in bad.output
