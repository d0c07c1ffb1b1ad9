"""deploy/compose.yaml sets only settings the service knows, with values it accepts, and runs the services it needs."""

import re

import yaml

from service.settings import PROJECT_ROOT, Settings
from service.slack.settings import SlackSettings

COMPOSE = PROJECT_ROOT / "deploy" / "compose.yaml"


def _interpolated(value: str) -> str:
    """Compose's ${VAR:-default} as its default, ${VAR:?message} as a stand-in value."""
    value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
    return re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", "stand-in", value)


def test_compose_sets_only_known_settings_with_valid_values(monkeypatch):
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert {"postgres", "redis", "chroma", "api1", "api2"} <= set(compose["services"])
    known = {f"STRATEGY_{name.upper()}" for name in Settings.model_fields}
    slack_known = {f"STRATEGY_SLACK_{name.upper()}" for name in SlackSettings.model_fields}
    for name in ("api1", "api2", "ingest"):
        environment = compose["services"][name]["environment"]
        for variable, value in environment.items():
            if variable.startswith("STRATEGY_"):
                assert variable in known | slack_known, f"{name} sets {variable}, which is no setting"
                monkeypatch.setenv(variable, _interpolated(value))
        settings = Settings(_env_file=None)
        assert settings.database_url.startswith("postgresql://strategy:") and settings.database_url.endswith(
            "@postgres:5432/strategy"
        )
        assert settings.redis_url == "redis://redis:6379/0"
        assert {"postgres", "redis"} <= set(compose["services"][name]["depends_on"]) or name == "ingest"
