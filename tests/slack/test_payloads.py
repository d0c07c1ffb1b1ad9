"""What Bolt can read: Slack's own payloads pass, shapes only a forger sends are named."""

import json

import pytest

from service.slack.payloads import payload_problem
from tests.slack.conftest import action_form, command_form, event_body, mention


def test_slacks_own_payloads_pass():
    from urllib.parse import parse_qsl

    assert payload_problem(event_body(mention("What is Jevons?", "1700000000.000100"), "Ev1")) is None
    assert payload_problem({"type": "url_verification", "challenge": "abc", "token": "t"}) is None
    assert payload_problem(dict(parse_qsl(command_form("ask x", response_url="http://127.0.0.1:9/r").decode()))) is None
    click = dict(
        parse_qsl(
            action_form(
                "feedback_helpful", "C1-1.2", message_ts="1.3", thread_ts="1.2", response_url="http://127.0.0.1:9/r"
            ).decode()
        )
    )
    assert payload_problem(json.loads(click["payload"])) is None
    # Fields Slack adds later, and nulls Slack itself sends for org-wide installs, pass
    assert (
        payload_problem(
            {"type": "block_actions", "team": None, "enterprise": None, "actions": [{"action_id": "a"}], "new": [1]}
        )
        is None
    )


@pytest.mark.parametrize(
    ("payload", "named"),
    [
        (
            {"type": "url_verification", "challenge": "", "event": [None, None]},
            "event",
        ),  # found by the fuzz run: a 500 in Bolt
        (
            {"type": "url_verification", "challenge": "", "event": None},
            "`event` must be an object",
        ),  # found by the fuzz run
        ({"type": "url_verification", "authorizations": ["x"]}, "authorizations.0"),
        ({"type": "event_callback"}, "needs an `event`"),
        ({"type": "event_callback", "event": {"text": "no type"}}, "event.type"),
        ({"type": "event_callback", "event": {"type": "app_mention", "user": 5}}, "event.user"),
        (
            {"type": "event_callback", "event": {"type": "app_mention", "message": {"user": ["U1"]}}},
            "event.message.user",
        ),
        ({"type": "block_actions", "actions": []}, "actions"),
        ({"type": "block_actions", "actions": [{"value": "x"}]}, "actions.0.action_id"),
        ({"type": "block_actions", "user": 3, "actions": [{"action_id": "a"}]}, "user"),
        ({"command": "/strategy", "text": ["ask"]}, "text"),
        ({"view": None}, "`view` must be an object"),
    ],
)
def test_shapes_slack_never_sends_are_named(payload, named):
    assert named in payload_problem(payload)
