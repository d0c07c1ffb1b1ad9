"""The `strategy-assistant` command line: serve, ingest, search."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from service.errors import ServiceError
from service.settings import get_settings

app = typer.Typer(help="Grounded answers over a corpus of AI-strategy writing.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


def _fail(exc: ServiceError) -> None:
    errors.print(f"[bold red]error[/] ({exc.code}): {exc.message}")
    raise typer.Exit(code=2)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to bind (default: setting STRATEGY_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: setting STRATEGY_PORT).")] = None,
) -> None:
    """Serve the HTTP API (and build or refresh the index first if it is missing or stale)."""
    import uvicorn

    from service.app import create_app

    from service.observability.logs import configure_logging

    settings = get_settings()
    if host:
        settings = settings.model_copy(update={"host": host})  # access control needs the real bind address
    configure_logging(settings.log_format)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=port or settings.port,
        log_config=None,  # keep our JSON handler
        access_log=False,  # our middleware writes one structured line per request
        timeout_graceful_shutdown=30,  # SIGTERM: stop accepting, let in-flight requests finish
    )


@app.command()
def ingest() -> None:
    """Chunk and embed the corpus into the index; does no work when nothing changed."""
    # Only what indexing needs: no LLM layer to import, so an unchanged corpus returns in about a second.
    from service.retrieval.embedder import SentenceTransformerEmbedder
    from service.retrieval.indexing import Indexer
    from service.retrieval.store import ChromaStore

    settings = get_settings()
    try:
        indexer = Indexer(ChromaStore.from_settings(settings), SentenceTransformerEmbedder(settings.embedding_model), settings)
        with Progress(
            TextColumn("embedding chunks"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors, transient=True
        ) as progress:
            task = progress.add_task("embed", total=None)
            report = indexer.ingest(progress=lambda done, total: progress.update(task, completed=done, total=total))
    except ServiceError as exc:
        _fail(exc)
    console.print(
        f"index [bold]{report.status}[/]: {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s -> {report.collection}"
    )


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=50, help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON instead of text.")] = False,
) -> None:
    """Print the passages that best answer a query."""
    from service.container import build_services

    settings = get_settings()
    try:
        services = build_services(settings)
        services.prepare_index()
        hits = services.retriever.search(query, top_k)
    except ServiceError as exc:
        _fail(exc)
    if as_json:
        results = [
            {
                "chunk_id": h.chunk.id,
                "text": h.chunk.text,
                "score": round(h.score, 6),
                "document": {"id": h.chunk.document_id, "title": h.chunk.document_title},
                "section": h.chunk.section,
            }
            for h in hits
        ]
        json.dump({"results": results}, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for rank, hit in enumerate(hits, 1):
        where = hit.chunk.document_title + (f" › {hit.chunk.section}" if hit.chunk.section else "")
        console.print(f"[bold]{rank}.[/] [cyan]{where}[/]  [dim]{hit.chunk.id} score {hit.score:.4f}[/]")
        console.print(hit.chunk.text, highlight=False, markup=False)
        console.print()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the corpus.")],
    model: Annotated[str | None, typer.Option("--model", "-m", help="A configured model alias (default: setting STRATEGY_DEFAULT_MODEL).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON answer instead of streaming text.")] = False,
) -> None:
    """Answer a question from the corpus with verified citations, streaming to the terminal."""
    import asyncio

    from service.container import build_services

    async def run(services) -> dict:
        if as_json:
            return (await services.answers.ask(question, model)).to_dict()
        final: dict = {}
        async for name, data in await services.answers.stream(question, model):
            if name == "delta":
                console.print(data["text"], end="", highlight=False, markup=False, soft_wrap=True)
            elif name == "done":
                final = data
        console.print()
        return final

    try:
        services = build_services(get_settings())
        services.prepare_index()
        answer = asyncio.run(run(services))
    except ServiceError as exc:
        _fail(exc)
    finally:
        if "services" in locals():
            services.close()
    if as_json:
        json.dump(answer, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return
    for n, citation in enumerate(answer["citations"], 1):
        where = citation["document"]["title"] + (f" › {citation['section']}" if citation["section"] else "")
        console.print(f"[dim][{n}] {where}: “{citation['quote']}”[/]", highlight=False)
    note = "" if answer["supported"] else " · not covered by the corpus"
    fallback = f" (fell back from {answer['requested_model']})" if answer["fallback"] else ""
    console.print(f"[dim]model {answer['model']}{fallback} · {answer['latency_ms']:.0f} ms{note}[/]")


def _scenario_services():
    from service.container import build_services

    services = build_services(get_settings())
    services.prepare_index()
    return services


def _write(markdown: str, out: Path | None) -> None:
    if out:
        out.write_text(markdown, encoding="utf-8")
        errors.print(f"wrote {out}")
    else:
        sys.stdout.write(markdown)


OutOption = Annotated[Path | None, typer.Option("--out", "-o", help="Write the Markdown to this file instead of stdout.")]


@app.command()
def checklist(
    context: Annotated[str, typer.Argument(help="Your situation, e.g. 'a European bank moving its support LLM on-shore'.")],
    current: Annotated[list[str] | None, typer.Option("--current", "-c", help="A current to include (repeatable); default: chosen for the context.")] = None,
    horizon: Annotated[int | None, typer.Option("--horizon", help="Planning horizon in months.")] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model alias to tailor why-it-matters.")] = None,
    out: OutOption = None,
) -> None:
    """Draft a trigger checklist (Markdown) from the booklet's signals."""
    import asyncio

    try:
        services = _scenario_services()
        result = asyncio.run(services.scenarios.checklist(context, current or None, horizon, model))
    except ServiceError as exc:
        _fail(exc)
    _write(result["markdown"], out)


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="What the briefing is about.")],
    audience: Annotated[str | None, typer.Option(help="Who it is for.")] = None,
    short: Annotated[bool, typer.Option("--short", help="A short briefing.")] = False,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model alias for the summary.")] = None,
    html: Annotated[bool, typer.Option("--html", help="A standalone printable HTML page instead of Markdown.")] = False,
    out: OutOption = None,
) -> None:
    """Draft a briefing with sources (Markdown, or HTML with --html)."""
    import asyncio

    try:
        services = _scenario_services()
        result = asyncio.run(services.scenarios.briefing(topic, audience, "short" if short else "standard", model))
    except ServiceError as exc:
        _fail(exc)
    _write(services.scenarios.briefing_html(result) if html else result["markdown"], out)


@app.command()
def signal(
    text: Annotated[str, typer.Argument(help="A piece of news.")],
    observed_on: Annotated[str | None, typer.Option("--date", help="When it happened, YYYY-MM-DD (default: today).")] = None,
    source_url: Annotated[str | None, typer.Option("--url", help="Where it was reported.")] = None,
) -> None:
    """Match news to the trigger signals and record it in the watch log."""
    import datetime as dt

    try:
        day = dt.date.fromisoformat(observed_on) if observed_on else None
    except ValueError:
        errors.print(f"[bold red]error[/] (invalid_date): --date {observed_on!r} is not YYYY-MM-DD.")
        raise typer.Exit(code=2) from None
    try:
        record = _scenario_services().scenarios.record_signal(text, day, source_url)
    except ServiceError as exc:
        _fail(exc)
    if not record["matches"]:
        console.print(f"recorded #{record['id']}: matches no trigger signal")
    for match in record["matches"]:
        console.print(f"[bold]{match['current']}[/] {match['kind']} ({match['score']:.2f}): {match['signal']}", highlight=False)


@app.command()
def review(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Review date, YYYY-MM-DD (default: today).")] = None,
    out: OutOption = None,
) -> None:
    """Draft the quarterly review from the recorded signals (Markdown)."""
    import datetime as dt

    try:
        result = _scenario_services().scenarios.review(dt.date.fromisoformat(as_of) if as_of else None)
    except ServiceError as exc:
        _fail(exc)
    _write(result["markdown"], out)


@app.command(name="eval")
def evaluate(
    model: Annotated[list[str] | None, typer.Option("--model", "-m", help="A model alias to measure (repeatable); default: the service's default.")] = None,
    cases: Annotated[Path | None, typer.Option("--cases", help="A golden YAML file or folder (default: evals/golden).")] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: evals/reports).")] = None,
    judge: Annotated[str | None, typer.Option("--judge", help="A model alias to grade faithfulness and correctness (optional).")] = None,
    gate: Annotated[bool, typer.Option("--gate", help="Exit 1 when the gated model misses a floor of evals/gates.yaml.")] = False,
) -> None:
    """Run the golden set against each model; write a side-by-side report (JSON, Markdown, HTML)."""
    import asyncio

    import yaml

    from service.evals.golden import GOLDEN_DIR, load_cases
    from service.evals.report import load_previous, write_report
    from service.evals.runner import check_gates, isolated_services, retrieval_scores, run_model
    from service.settings import PROJECT_ROOT

    settings = get_settings()
    models = list(dict.fromkeys(model or [settings.default_model]))
    golden = load_cases(cases or GOLDEN_DIR)
    out_dir = out or PROJECT_ROOT / "evals" / "reports"
    try:
        services = isolated_services(settings, models + ([judge] if judge else []))
        services.prepare_index()
        report = asyncio.run(_run_eval(services, models, golden, judge, load_previous(out_dir)))
    except ServiceError as exc:
        _fail(exc)
    finally:
        if "services" in locals():
            services.close()
    paths = write_report(report, out_dir)
    console.print(paths["markdown"].read_text(encoding="utf-8"), markup=False, highlight=False)
    console.print(f"report: {paths['html']}")
    if gate:
        gates = yaml.safe_load((PROJECT_ROOT / "evals" / "gates.yaml").read_text())
        failures = check_gates(report, gates) if gates["model"] in report["models"] else [f"the gated model {gates['model']} was not run"]
        for failure in failures:
            errors.print(f"[bold red]gate[/]: {failure}")
        if failures:
            raise typer.Exit(code=1)


async def _run_eval(services, models, golden, judge, previous) -> dict:
    from service.evals.judge import judge_answer
    from service.evals.report import build_report
    from service.evals.runner import retrieval_scores, run_model

    runs = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors) as progress:
        for alias in models:
            task = progress.add_task(f"eval {alias}", total=len(golden))
            runs[alias] = await run_model(services, alias, golden, progress=lambda: progress.advance(task))
    judged = None
    if judge:
        scores = {}
        for alias in models:
            grades = []
            for case in (c for c in golden if c.kind in ("question", "multi_doc") and c.supporting):
                answer = (await services.answers.ask(case.question, alias)).to_dict()
                grades.append(await judge_answer(services.gateway, judge, case, answer))
            valid = [g for g in grades if g]
            scores[alias] = {k: (sum(g[k] for g in valid) / len(valid) if valid else None) for k in ("faithfulness", "correctness")}
        judged = {"model": judge, "scores": scores}
    return build_report(runs, retrieval_scores(services, golden), judge=judged, cases=len(golden), previous=previous)


from service.slack.cli import feedback_app, slack as slack_command  # noqa: E402

app.command("slack")(slack_command)
app.add_typer(feedback_app, name="feedback")

keys_app = typer.Typer(help="Manage API keys (stored hashed; /v1/* needs one once any exists).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _key_store():
    from service.security.keys import KeyStore

    return KeyStore(get_settings().data_dir / "keys.sqlite3")


@keys_app.command("create")
def keys_create(name: Annotated[str, typer.Option("--name", "-n", help="Who or what the key is for.")] = "default") -> None:
    """Create a key and print it once (it is stored only as a hash)."""
    key, secret = _key_store().create(name)
    errors.print(f"created key {key.id} ({key.name}); store it now, it is not shown again:")
    sys.stdout.write(secret + "\n")


@keys_app.command("list")
def keys_list() -> None:
    """List keys (ids and names, never the secrets)."""
    for key in _key_store().list():
        state = f"revoked {key.revoked_at}" if key.revoked_at else "active"
        console.print(f"{key.id}  {key.name}  created {key.created_at}  {state}", highlight=False)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")]) -> None:
    """Revoke a key; it stops working at once."""
    if not _key_store().revoke(key_id):
        errors.print(f"[bold red]error[/] (unknown_key): no active key {key_id!r}; see `strategy-assistant keys list`.")
        raise typer.Exit(code=2)
    console.print(f"revoked {key_id}")


if __name__ == "__main__":
    app()
