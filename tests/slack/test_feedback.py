"""Helpful / Not helpful: stored with the question, answer, citations and model; exported as golden cases."""

from __future__ import annotations

import typer
import yaml
from typer.testing import CliRunner

from service.evals.golden import load_cases
from service.slack import blocks as kit
from service.slack.cli import feedback_app
from service.slack.cli import slack as slack_command
from service.slack.feedback import AnswerRecord, FeedbackStore, golden_case
from service.slack.settings import SlackSettings
from service.storage.database import Database, sqlite_url
from tests.slack.conftest import CHANNEL, TEAM, USER, ask_directly, mention

META = "How much did Meta commit in its blitzscaling bet?"

# Registered as the lead registers them in service/cli.py.
cli = typer.Typer()
cli.command("slack")(slack_command)
cli.add_typer(feedback_app, name="feedback")
runner = CliRunner()


def test_buttons_store_votes_and_the_export_is_a_golden_case(slack, corpus_services, tmp_path):
    ts = "1700000030.000100"
    slack.event(mention(META, ts), "Ev-feedback")
    [answer] = slack.fake.wait_for("chat.postMessage")
    answer_ts = slack.fake.results_of("chat.postMessage")[0]["ts"]
    answer_id = f"{CHANNEL}-{ts}"
    assert answer["blocks"][-1] == kit.feedback_block(answer_id)

    for user, action in (
        (USER, kit.HELPFUL),
        ("U0002", kit.NOT_HELPFUL),
        ("U0003", kit.HELPFUL),
        ("U0002", kit.HELPFUL),
    ):
        response = slack.click(action, answer_id, message_ts=answer_ts, thread_ts=ts, user=user)
        assert response.status_code == 200
    # Each click is thanked by its own lazy listener, all running at once: they may finish in any order.
    slack.wait_idle()
    thanks = slack.fake.calls_to("chat.postEphemeral")
    assert len(thanks) == 4  # one per click
    assert {
        "channel": CHANNEL,
        "user": USER,
        "thread_ts": ts,
        "text": kit.thanks_text("helpful"),
        "team_id": TEAM,
    } in thanks
    assert {(t["user"], t["text"]) for t in thanks} == {
        (USER, kit.thanks_text("helpful")),
        ("U0002", kit.thanks_text("not_helpful")),
        ("U0003", kit.thanks_text("helpful")),
        ("U0002", kit.thanks_text("helpful")),
    }
    assert (
        kit.thanks_text("not_helpful")
        == "Thanks — noted as not helpful. Feedback like this becomes test cases for the assistant."
    )

    expected = ask_directly(corpus_services, META)
    [rated] = slack.bot.store.rated()
    assert (rated["helpful"], rated["not_helpful"]) == (3, 0)  # U0002 changed their mind: one vote per user
    assert rated["question"] == META and rated["answer"] == expected.answer
    assert rated["citations"] == expected.model_dump(mode="json")["citations"] and rated["model"] == "extractive"
    assert (rated["kind"], rated["channel"], rated["thread_ts"], rated["user"], rated["team"]) == (
        "ask",
        CHANNEL,
        ts,
        USER,
        TEAM,
    )

    out = tmp_path / "cases.yaml"
    result = runner.invoke(
        cli, ["feedback", "export", "--out", str(out), "--db", slack.bot.store.database.engine.url.database]
    )
    assert result.exit_code == 0, result.output
    assert "1 case(s) exported" in result.output
    [case] = load_cases(out)  # the golden loader reads it as it is
    first = expected.citations[0]
    assert case.id == "slack-C0001-1700000030-000100" and case.question == META
    assert (case.document, case.passage, case.must_refuse, case.key_facts) == (
        first.document.id,
        first.quote,
        False,
        [],
    )
    raw = yaml.safe_load(out.read_text())[0]
    assert raw["feedback"]["helpful"] == 3 and raw["feedback"]["answer"] == expected.answer
    assert out.read_text().startswith("# Golden cases from Slack feedback")


def record(store: FeedbackStore, answer_id: str, *, supported: bool = True, kind: str = "ask") -> None:
    citations = (
        [
            {
                "chunk_id": "jevons:1",
                "quote": "usage rose a hundredfold",
                "document": {"id": "jevons", "title": "Jevons"},
                "section": None,
            }
        ]
        if supported
        else []
    )
    store.record_answer(
        AnswerRecord(
            id=answer_id,
            kind=kind,
            channel="C1",
            question=f"q {answer_id}",
            answer="a",
            supported=supported,
            citations=citations,
            model="extractive",
            created_at="2026-01-05T09:00:00+00:00",
        )
    )


def test_the_export_filters_by_rating_and_turns_helpful_refusals_into_must_refuse(database_url):
    store = FeedbackStore(Database(database_url))
    record(store, "good")
    record(store, "bad")
    record(store, "refused", supported=False)
    record(store, "a-checklist", kind="checklist")
    record(store, "unrated")
    assert store.record_feedback("good", "U1", "helpful") and store.record_feedback("bad", "U1", "not_helpful")
    assert store.record_feedback("refused", "U1", "helpful") and store.record_feedback("a-checklist", "U1", "helpful")
    assert store.record_feedback("gone", "U1", "helpful") is False  # stored, but no answer to export with it
    helpful = {c["id"]: c for c in store.export_cases("helpful")}
    assert list(helpful) == ["slack-good", "slack-refused"]
    assert helpful["slack-refused"]["must_refuse"] is True and helpful["slack-refused"]["document"] is None
    assert (
        helpful["slack-good"]["document"] == "jevons" and helpful["slack-good"]["passage"] == "usage rose a hundredfold"
    )
    assert [c["id"] for c in store.export_cases("not_helpful")] == ["slack-bad"]
    assert len(store.export_cases("all")) == 3  # checklists are not retrieval cases
    assert golden_case({**store.answer("good"), "helpful": 1, "not_helpful": 0})["why"].startswith(
        "From Slack feedback (1 helpful, 0 not helpful)"
    )


def test_export_cli_errors_say_what_to_do(tmp_path):
    missing = runner.invoke(cli, ["feedback", "export", "--db", str(tmp_path / "none.sqlite3")])
    assert missing.exit_code == 2 and "no feedback database" in missing.output
    Database(sqlite_url(tmp_path / "empty.sqlite3")).migrate()
    empty = runner.invoke(cli, ["feedback", "export", "--db", str(tmp_path / "empty.sqlite3")])
    assert empty.exit_code == 0 and "[]" in empty.stdout
    bad = runner.invoke(cli, ["feedback", "export", "--rating", "great", "--db", str(tmp_path / "empty.sqlite3")])
    assert bad.exit_code == 2 and "--rating" in bad.output


def test_slack_command_without_socket_mode_credentials_says_which_are_missing(monkeypatch):
    http = runner.invoke(cli, ["slack"])
    assert http.exit_code == 2 and "POST /slack/events" in http.output
    monkeypatch.setattr(
        "service.slack.cli.get_slack_settings",
        lambda: SlackSettings(bot_token="xoxb-x", signing_secret=None, app_token=None),
    )
    socket = runner.invoke(cli, ["slack", "--socket"])
    assert socket.exit_code == 2 and "SLACK_APP_TOKEN" in socket.output and "SLACK_BOT_TOKEN" not in socket.output
