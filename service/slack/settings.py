"""Slack settings: Slack's conventional credential variables, plus the bot's own options (prefix STRATEGY_SLACK_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

#: Slack's Web API; GovSlack workspaces use https://slack-gov.com/api/.
SLACK_API_URL = "https://slack.com/api/"


class SlackSettings(BaseSettings):
    """Credentials are SecretStr: their repr is masked, so they never reach a log line."""

    model_config = SettingsConfigDict(
        env_prefix="STRATEGY_SLACK_", env_file=".env", extra="ignore", populate_by_name=True
    )

    bot_token: SecretStr | None = Field(
        None, validation_alias="SLACK_BOT_TOKEN", description="Bot token (xoxb-...) from OAuth & Permissions."
    )
    signing_secret: SecretStr | None = Field(
        None,
        validation_alias="SLACK_SIGNING_SECRET",
        description="Signing secret from Basic Information; verifies HTTP events.",
    )
    app_token: SecretStr | None = Field(
        None,
        validation_alias="SLACK_APP_TOKEN",
        description="App-level token (xapp-...) with connections:write, for Socket Mode.",
    )
    api_url: str = Field(
        SLACK_API_URL, description="Slack's Web API base URL (https://slack-gov.com/api/ for GovSlack)."
    )
    command: str = Field(
        "/strategy", pattern=r"^/[a-z0-9_-]+$", description="The slash command as named in the app's manifest."
    )
    model: str | None = Field(None, description="Model alias the bot answers with. Unset: the service's default model.")
    rate_limit_per_minute: int = Field(10, ge=1, le=600, description="Requests one Slack user may make per minute.")
    thread_history: int = Field(
        12, ge=0, le=100, description="Earlier messages of a thread read as context for a follow-up."
    )
    feedback_db: Path | None = Field(
        None,
        description="SQLite file of answers and feedback written before STRATEGY_DATABASE_URL: "
        "imported into the database on start. Unset: slack_feedback.sqlite3 under data_dir, if any.",
    )

    @property
    def enabled(self) -> bool:
        """HTTP events need the bot token and the signing secret."""
        return bool(
            self.bot_token
            and self.bot_token.get_secret_value()
            and self.signing_secret
            and self.signing_secret.get_secret_value()
        )

    @property
    def socket_mode_ready(self) -> bool:
        """Socket Mode needs the bot token and the app-level token (no signing secret: Slack holds the socket)."""
        return bool(
            self.bot_token
            and self.bot_token.get_secret_value()
            and self.app_token
            and self.app_token.get_secret_value()
        )

    def feedback_path(self, data_dir: Path) -> Path:
        return self.feedback_db or data_dir / "slack_feedback.sqlite3"


@lru_cache
def get_slack_settings() -> SlackSettings:
    """The process's Slack settings; tests build their own SlackSettings instead."""
    return SlackSettings()


def slack_settings_table() -> str:
    """The README's Slack settings table, generated from SlackSettings so the two cannot drift."""
    rows = ["| setting | environment variable | default | what it does |", "| --- | --- | --- | --- |"]
    for name, field in SlackSettings.model_fields.items():
        variable = field.validation_alias or f"STRATEGY_SLACK_{name.upper()}"
        shown = "(unset)" if field.default is None else f"`{field.default}`"
        rows.append(f"| {name} | `{variable}` | {shown} | {field.description} |")
    return "\n".join(rows)
