"""`strategy-assistant slack --socket` and `strategy-assistant feedback export`, registered by service/cli.py."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from service.errors import ServiceError
from service.settings import get_settings
from service.slack.settings import get_slack_settings

errors = Console(stderr=True)
feedback_app = typer.Typer(help="Slack feedback on the bot's answers.", no_args_is_help=True)


def slack(
    socket: Annotated[
        bool, typer.Option("--socket", help="Connect over Socket Mode (needs SLACK_BOT_TOKEN and SLACK_APP_TOKEN).")
    ] = False,
) -> None:
    """Run the Slack bot over Socket Mode, for installs without a public URL (HTTP events are served by `serve`)."""
    if not socket:
        errors.print(
            "HTTP events are served by [bold]strategy-assistant serve[/] at POST /slack/events once SLACK_BOT_TOKEN and "
            "SLACK_SIGNING_SECRET are set. For Socket Mode, run [bold]strategy-assistant slack --socket[/]."
        )
        raise typer.Exit(code=2)
    slack_settings = get_slack_settings()
    if not slack_settings.socket_mode_ready or slack_settings.app_token is None:
        tokens = (("SLACK_BOT_TOKEN", slack_settings.bot_token), ("SLACK_APP_TOKEN", slack_settings.app_token))
        missing = [name for name, value in tokens if not value]
        errors.print(
            f"[bold red]error[/] (slack_not_configured): set {' and '.join(missing)}. The app-level token (xapp-...) is made under "
            "Basic Information > App-Level Tokens with the connections:write scope; see the README's Slack section."
        )
        raise typer.Exit(code=2)

    import asyncio

    from service.container import build_services
    from service.errors import ServiceError
    from service.observability.logs import configure_logging
    from service.slack.bot import SlackBot, run_socket_mode

    settings = get_settings()
    configure_logging(settings.log_format)  # the same log lines as `serve`
    services = build_services(settings)
    try:
        services.prepare_index()
        bot = SlackBot(services, slack_settings)
        asyncio.run(run_socket_mode(bot, slack_settings.app_token.get_secret_value()))
    except ServiceError as exc:
        errors.print(f"[bold red]error[/] ({exc.code}): {exc.message}")
        raise typer.Exit(code=2) from None
    except KeyboardInterrupt:
        pass
    finally:
        services.close()


@feedback_app.command("export")
def export(
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="YAML file to write (default: standard output).")
    ] = None,
    rating: Annotated[
        str, typer.Option(help="Which answers: helpful (voted mostly helpful), not_helpful, or all rated.")
    ] = "helpful",
    db: Annotated[
        Path | None,
        typer.Option(
            help="An SQLite feedback file to read instead of the service's database "
            "(STRATEGY_DATABASE_URL, else state.sqlite3 under data_dir)."
        ),
    ] = None,
) -> None:
    """Write the questions rated in Slack as golden cases (the format of evals/golden/retrieval.yaml)."""
    from service.slack.feedback import FeedbackStore, cases_yaml
    from service.storage.database import Database, sqlite_url

    if rating not in ("helpful", "not_helpful", "all"):
        errors.print("[bold red]error[/] (invalid_request): --rating must be helpful, not_helpful or all.")
        raise typer.Exit(code=2)
    if db is not None and not db.exists():
        errors.print(f"[bold red]error[/] (not_found): no feedback database at {db}.")
        raise typer.Exit(code=2)
    settings = get_settings()
    slack_file = get_slack_settings().feedback_db
    database = (
        Database(sqlite_url(db))
        if db
        else Database.from_settings(settings, legacy_files=[slack_file] if slack_file else [])
    )
    try:
        cases = FeedbackStore(database).export_cases(rating)
    except ServiceError as exc:
        errors.print(f"[bold red]error[/] ({exc.code}): {exc.message}")
        raise typer.Exit(code=2) from None
    finally:
        database.dispose()
    if out is None:
        sys.stdout.write(cases_yaml(cases))
    else:
        out.write_text(cases_yaml(cases), encoding="utf-8")
    errors.print(f"{len(cases)} case(s) exported" + (f" to {out}" if out else ""))
