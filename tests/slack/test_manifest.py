"""The app manifests match what the bot listens to and calls, and the README shows them (once merged)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import service.slack
from service.settings import PROJECT_ROOT
from service.slack.settings import SlackSettings, slack_settings_table

MANIFESTS = Path(service.slack.__file__).parent / "manifests"


@pytest.mark.parametrize("transport", ["http", "socket"])
def test_the_manifest_subscribes_to_what_the_bot_handles(transport):
    manifest = yaml.safe_load((MANIFESTS / f"{transport}.yaml").read_text(encoding="utf-8"))
    settings = manifest["settings"]
    assert settings["event_subscriptions"]["bot_events"] == ["app_mention", "message.im"]
    assert settings["interactivity"]["is_enabled"] is True  # the feedback buttons
    assert settings["socket_mode_enabled"] is (transport == "socket")
    [command] = manifest["features"]["slash_commands"]
    assert command["command"] == SlackSettings.model_fields["command"].default
    assert manifest["features"]["app_home"]["messages_tab_enabled"] is True  # direct messages
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    # app_mention, message.im, chat.postMessage/postEphemeral, the slash command, conversations.replies everywhere
    assert scopes >= {
        "app_mentions:read",
        "chat:write",
        "commands",
        "channels:history",
        "groups:history",
        "im:history",
        "mpim:history",
    }
    urls = [
        command.get("url"),
        settings["event_subscriptions"].get("request_url"),
        settings["interactivity"].get("request_url"),
    ]
    if transport == "http":
        assert urls == ["https://YOUR-HOST/slack/events"] * 3
    else:
        assert urls == [None, None, None]


def test_the_readme_shows_the_manifests_and_the_slack_settings():
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    if "## Slack" not in readme:
        pytest.skip("the README's Slack section is not merged yet")
    for transport in ("http", "socket"):
        assert (MANIFESTS / f"{transport}.yaml").read_text(encoding="utf-8").strip() in readme, (
            f"paste manifests/{transport}.yaml into the README"
        )
    assert slack_settings_table() in readme, (
        "regenerate: python -c 'from service.slack.settings import slack_settings_table; print(slack_settings_table())'"
    )
