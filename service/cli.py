"""The `strategy-assistant` command line: serve, ingest, and commands that call a running server or run in-process."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from service.contracts import Answer, AnswerEvent
from service.errors import ServiceError
from service.scenarios.limits import MAX_HORIZON_MONTHS
from service.settings import get_settings

T = TypeVar("T")

app = typer.Typer(help="Grounded answers over a corpus of AI-strategy writing.", no_args_is_help=True)
console = Console()
errors = Console(stderr=True)


def _fail(exc: ServiceError) -> NoReturn:
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
        proxy_headers=False,  # X-Forwarded-For is read by the app, from STRATEGY_TRUSTED_PROXIES only (never FORWARDED_ALLOW_IPS)
        timeout_graceful_shutdown=int(
            settings.shutdown_timeout_s
        ),  # SIGTERM: stop accepting, let in-flight requests finish
    )


@app.command()
def ingest() -> None:
    """Chunk and embed the corpus into the index; does no work when nothing changed."""
    # Only what indexing needs: no LLM layer to import, so an unchanged corpus returns in about a second.
    from service.retrieval.embedder import embedder_for
    from service.retrieval.indexing import Indexer
    from service.retrieval.store import ChromaStore
    from service.scenarios.currents import extract_currents

    settings = get_settings()
    try:
        indexer = Indexer(
            ChromaStore.from_settings(settings),
            embedder_for(settings, threads=0),  # every core: nothing else runs meanwhile
            settings,
            check=extract_currents,
        )  # a booklet chapter that stops parsing fails the ingest
        with Progress(
            TextColumn("embedding chunks"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
        ) as progress:
            task = progress.add_task("embed", total=None)
            report = indexer.ingest(progress=lambda done, total: progress.update(task, completed=done, total=total))
    except ServiceError as exc:
        _fail(exc)
    console.print(
        f"index [bold]{report.status}[/]: {report.documents} documents, {report.chunks} chunks "
        f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f}s -> {report.collection}"
    )


# --- Commands that answer from the corpus: over HTTP when a server runs, else in this process ----------
# The in-process branches import the container (torch, sentence-transformers, Chroma, LiteLLM) only when
# they run: a command answered by a warm server, and --help, stay under a second.

ServerOption = Annotated[
    str | None,
    typer.Option(
        "--server",
        envvar="STRATEGY_SERVER_URL",
        show_default=False,
        help="A running `strategy-assistant serve` to ask (fast), e.g. http://127.0.0.1:8000; `none` runs in this process "
        "(slow: loads the model and the index). Default: http://127.0.0.1:8000 if it answers, else this process.",
    ),
]
ApiKeyOption = Annotated[
    str | None,
    typer.Option(
        "--api-key", envvar="STRATEGY_API_KEY", show_default=False, help="API key for --server, sent as a Bearer token."
    ),
]


@contextmanager
def _remote(server: str | None, api_key: str | None) -> Iterator:
    """The running server to call (a service.client.ServerClient), or None to run in this process."""
    from service.client import connect

    client = connect(server, api_key)
    try:
        yield client
    finally:
        if client is not None:
            client.close()


@contextmanager
def _in_process() -> Iterator:
    """The services of this process, with the index loaded."""
    from service.container import build_services

    services = build_services(get_settings())
    try:
        services.prepare_index()
        yield services
    finally:
        services.close()


def _served(server: str | None, api_key: str | None, remote: Callable[[Any], T], local: Callable[[Any], T]) -> T:
    """`remote(client)` when a server answers, else `local(services)` in this process; a service error exits 2."""
    try:
        with _remote(server, api_key) as client:
            if client:
                return remote(client)
            with _in_process() as services:
                return local(services)
    except ServiceError as exc:
        _fail(exc)


def _date(option: str, value: str | None):
    """A YYYY-MM-DD option as a date, or a clear error before any work is done."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        errors.print(f"[bold red]error[/] (invalid_date): {option} {value!r} is not YYYY-MM-DD.")
        raise typer.Exit(code=2) from None


def _dump_json(payload: dict | BaseModel) -> None:
    """The JSON the API answers with: a contract is printed as its model_dump, as the server sends it."""
    body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
    json.dump(body, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, max=50, help="How many passages.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="Print the API's JSON instead of text.")] = False,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Print the passages that best answer a query."""
    payload = _served(
        server,
        api_key,
        lambda remote: remote.search(query, top_k),
        lambda services: {"results": [_search_result(hit) for hit in services.retriever.search(query, top_k)]},
    )
    if as_json:
        _dump_json(payload)
        return
    for rank, hit in enumerate(payload["results"], 1):
        where = hit["document"]["title"] + (f" › {hit['section']}" if hit["section"] else "")
        console.print(f"[bold]{rank}.[/] [cyan]{where}[/]  [dim]{hit['chunk_id']} score {hit['score']:.4f}[/]")
        console.print(hit["text"], highlight=False, markup=False)
        console.print()


def _search_result(hit) -> dict:
    """One passage as POST /v1/search returns it."""
    chunk = hit.chunk
    return {
        "chunk_id": chunk.id,
        "text": chunk.text,
        "score": round(hit.score, 6),
        "document": {"id": chunk.document_id, "title": chunk.document_title},
        "section": chunk.section,
    }


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question about the corpus.")],
    model: Annotated[
        str | None,
        typer.Option("--model", "-m", help="A configured model alias (default: setting STRATEGY_DEFAULT_MODEL)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the API's JSON answer instead of streaming text.")
    ] = False,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Answer a question from the corpus with verified citations, streaming to the terminal."""
    answer = _served(
        server,
        api_key,
        lambda remote: remote.ask(question, model) if as_json else _show_stream(remote.ask_stream(question, model)),
        lambda services: _ask_in_process(services, question, model, as_json),
    )
    if as_json:
        _dump_json(answer)
        return
    for n, citation in enumerate(answer.citations, 1):
        where = citation.document.title + (f" › {citation.section}" if citation.section else "")
        console.print(f"[dim][{n}] {where}: “{citation.quote}”[/]", highlight=False)
    note = "" if answer.supported else " · not covered by the corpus"
    fallback = f" (fell back from {answer.requested_model})" if answer.fallback else ""
    console.print(f"[dim]model {answer.model}{fallback} · {answer.latency_ms:.0f} ms{note}[/]")


def _ask_in_process(services, question: str, model: str | None, as_json: bool) -> Answer:
    import asyncio

    async def run() -> Answer:
        if as_json:
            return await services.answers.ask(question, model)
        final = None
        async for name, data in await services.answers.stream(question, model):
            final = _show_event(name, data) or final
        console.print()
        return _answered(final)

    return asyncio.run(run())


def _show_stream(events: Iterable[AnswerEvent]) -> Answer:
    """Print answer events as they come; the answer of the `done` event."""
    final = None
    for name, data in events:
        final = _show_event(name, data) or final
    console.print()
    return _answered(final)


def _show_event(name: str, data: dict | BaseModel) -> Answer | None:
    """Print one answer event (delta text, or a reset note); returns the answer when it is `done`."""
    if name == "delta" and isinstance(data, dict):
        console.print(data["text"], end="", highlight=False, markup=False, soft_wrap=True)
    elif name == "reset" and isinstance(data, dict):  # text on the terminal cannot be taken back: a new answer follows
        console.print()
        console.print(f"[dim]({data.get('reason', 'the answer restarts')})[/]", highlight=False)
    elif name == "done" and isinstance(data, Answer):
        return data
    return None


def _answered(final: Answer | None) -> Answer:
    if final is None:  # both streams end with `done` or raise: this is a bug, not a user error
        raise RuntimeError("the answer stream ended without its `done` event")
    return final


def _write(markdown: str, out: Path | None) -> None:
    if out:
        out.write_text(markdown, encoding="utf-8")
        errors.print(f"wrote {out}")
    else:
        sys.stdout.write(markdown)


OutOption = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write the Markdown to this file instead of stdout.")
]


@app.command()
def checklist(
    context: Annotated[
        str, typer.Argument(help="Your situation, e.g. 'a European bank moving its support LLM on-shore'.")
    ],
    current: Annotated[
        list[str] | None,
        typer.Option("--current", "-c", help="A current to include (repeatable); default: chosen for the context."),
    ] = None,
    horizon: Annotated[
        int | None, typer.Option("--horizon", min=1, max=MAX_HORIZON_MONTHS, help="Planning horizon in months.")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model alias to tailor why-it-matters.")] = None,
    out: OutOption = None,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Draft a trigger checklist (Markdown) from the booklet's signals."""
    import asyncio

    result = _served(
        server,
        api_key,
        lambda remote: remote.checklist(context, current or None, horizon, model),
        lambda services: asyncio.run(services.scenarios.checklist(context, current or None, horizon, model)),
    )
    _write(result.markdown, out)


@app.command()
def brief(
    topic: Annotated[str, typer.Argument(help="What the briefing is about.")],
    audience: Annotated[str | None, typer.Option(help="Who it is for.")] = None,
    short: Annotated[bool, typer.Option("--short", help="A short briefing.")] = False,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Model alias for the summary.")] = None,
    html: Annotated[bool, typer.Option("--html", help="A standalone printable HTML page instead of Markdown.")] = False,
    out: OutOption = None,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Draft a briefing with sources (Markdown, or HTML with --html)."""
    import asyncio

    length = "short" if short else "standard"

    def in_process(services) -> str:
        result = asyncio.run(services.scenarios.briefing(topic, audience, length, model))
        return services.scenarios.briefing_html(result) if html else result.markdown

    page = _served(
        server,
        api_key,
        lambda remote: (
            remote.briefing_html(topic, audience, length, model)
            if html
            else remote.briefing(topic, audience, length, model).markdown
        ),
        in_process,
    )
    _write(page, out)


@app.command()
def signal(
    text: Annotated[str, typer.Argument(help="A piece of news.")],
    observed_on: Annotated[
        str | None, typer.Option("--date", help="When it happened, YYYY-MM-DD (default: today).")
    ] = None,
    source_url: Annotated[str | None, typer.Option("--url", help="Where it was reported.")] = None,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Match news to the trigger signals and record it in the watch log."""
    day = _date("--date", observed_on)
    record = _served(
        server,
        api_key,
        lambda remote: remote.record_signal(text, day, source_url),
        lambda services: services.scenarios.record_signal(text, day, source_url),
    )
    if not record.matches:
        console.print(f"recorded #{record.id}: matches no trigger signal")
    for match in record.matches:
        console.print(f"[bold]{match.current}[/] {match.kind}: {match.signal}", highlight=False)


@app.command()
def review(
    as_of: Annotated[str | None, typer.Option("--as-of", help="Review date, YYYY-MM-DD (default: today).")] = None,
    out: OutOption = None,
    server: ServerOption = None,
    api_key: ApiKeyOption = None,
) -> None:
    """Draft the quarterly review from the recorded signals (Markdown)."""
    day = _date("--as-of", as_of)
    result = _served(
        server, api_key, lambda remote: remote.review(day), lambda services: services.scenarios.review(day)
    )
    _write(result.markdown, out)


class EvalSplit(StrEnum):
    """Which golden split `eval` runs; heldout is for measuring only, never for tuning."""

    dev = "dev"
    heldout = "heldout"
    all = "all"


@app.command(name="eval")
def evaluate(
    model: Annotated[
        list[str] | None,
        typer.Option("--model", "-m", help="A model alias to measure (repeatable); default: the service's default."),
    ] = None,
    cases: Annotated[
        Path | None, typer.Option("--cases", help="A golden YAML file or folder (default: evals/golden).")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Report folder (default: evals/reports).")] = None,
    judge: Annotated[
        str | None, typer.Option("--judge", help="A model alias to grade faithfulness and correctness (optional).")
    ] = None,
    gate: Annotated[
        bool, typer.Option("--gate", help="Exit 1 when the gated model misses a floor of evals/gates.yaml.")
    ] = False,
    split: Annotated[
        EvalSplit,
        typer.Option("--split", help="Golden split: dev (tune on it), heldout (measure only, never tune), all."),
    ] = EvalSplit.all,
) -> None:
    """Run the golden set against each model; write a side-by-side report (JSON, Markdown, HTML)."""
    import asyncio

    from service.evals.gate import load_gates, run_gate
    from service.evals.golden import GOLDEN_DIR, load_cases
    from service.evals.report import load_previous, to_markdown, write_report
    from service.evals.runner import isolated_services
    from service.settings import PROJECT_ROOT

    settings = get_settings()
    models = list(dict.fromkeys(model or [settings.default_model]))
    golden = load_cases(cases or GOLDEN_DIR, split.value)
    out_dir = out or PROJECT_ROOT / "evals" / "reports"
    previous = load_previous(out_dir)
    if previous and previous.get("split", "all") != split.value:
        previous = None  # scores of another split are not comparable: no regressions against them
    try:
        # No query cache: each model's latencies are a first-time question's, whichever model ran before it.
        services = isolated_services(
            settings.model_copy(update={"query_cache_size": 0}), models + ([judge] if judge else [])
        )
        services.prepare_index()
        report = asyncio.run(_run_eval(services, models, golden, judge, previous))
        report["split"] = split.value
        if gate:  # the gate embeds every question first, then answers: from the cache, not the model again
            services.retriever.query_batcher.remember(settings.query_cache_size or 2048)
        gate_results = asyncio.run(run_gate(services, load_gates())) if gate else {}
    except ServiceError as exc:
        _fail(exc)
    finally:
        if "services" in locals():
            services.close()
    paths = write_report(report, out_dir)
    console.print(to_markdown(report, with_cases=False), markup=False, highlight=False)
    console.print(f"report: {paths['html']}")
    failures = [f"{suite}: {failure}" for suite, result in gate_results.items() for failure in result["failures"]]
    for failure in failures:
        errors.print(f"[bold red]gate[/]: {failure}")
    if failures:
        raise typer.Exit(code=1)


async def _run_eval(services, models, golden, judge, previous) -> dict:
    from service.evals.judge import judge_answer
    from service.evals.report import build_report
    from service.evals.runner import retrieval_run, run_model

    runs = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=errors
    ) as progress:
        for alias in models:
            task = progress.add_task(f"eval {alias}", total=len(golden))
            runs[alias] = await run_model(services, alias, golden, progress=partial(progress.advance, task))
    judged = None
    if judge:
        scores = {}
        for alias in models:
            grades = []
            for case in (c for c in golden if c.kind in ("question", "multi_doc") and c.supporting):
                answer = await services.answers.ask(case.question, alias, history=case.history_messages)
                grades.append(await judge_answer(services.gateway, judge, case, answer.model_dump(mode="json")))
            valid = [g for g in grades if g]
            scores[alias] = {
                k: (sum(g[k] for g in valid) / len(valid) if valid else None) for k in ("faithfulness", "correctness")
            }
        judged = {"model": judge, "scores": scores}
    return build_report(runs, retrieval_run(services, golden), judge=judged, cases=len(golden), previous=previous)


from service.slack.cli import feedback_app  # noqa: E402
from service.slack.cli import slack as slack_command  # noqa: E402

app.command("slack")(slack_command)
app.add_typer(feedback_app, name="feedback")

keys_app = typer.Typer(help="Manage API keys (stored hashed; /v1/* needs one once any exists).", no_args_is_help=True)
app.add_typer(keys_app, name="keys")


def _key_store():
    from service.security.keys import KeyStore
    from service.storage.database import Database

    return KeyStore(Database.from_settings(get_settings()))


@contextmanager
def _database_errors() -> Iterator[None]:
    """The database down is a one-line error and exit code 2, as every ServiceError of the CLI."""
    try:
        yield
    except ServiceError as exc:
        _fail(exc)


@keys_app.command("create")
def keys_create(
    name: Annotated[str, typer.Option("--name", "-n", help="Who or what the key is for.")] = "default",
) -> None:
    """Create a key and print it once (it is stored only as a hash)."""
    with _database_errors():
        key, secret = _key_store().create(name)
    errors.print(f"created key {key.id} ({key.name}); store it now, it is not shown again:")
    sys.stdout.write(secret + "\n")


@keys_app.command("list")
def keys_list() -> None:
    """List keys (ids and names, never the secrets)."""
    with _database_errors():
        keys = _key_store().list()
    for key in keys:
        state = f"revoked {key.revoked_at}" if key.revoked_at else "active"
        console.print(f"{key.id}  {key.name}  created {key.created_at}  {state}", highlight=False)


@keys_app.command("revoke")
def keys_revoke(key_id: Annotated[str, typer.Argument(help="The key id shown by `keys list`.")]) -> None:
    """Revoke a key; it stops working at once."""
    with _database_errors():
        revoked = _key_store().revoke(key_id)
    if not revoked:
        errors.print(f"[bold red]error[/] (unknown_key): no active key {key_id!r}; see `strategy-assistant keys list`.")
        raise typer.Exit(code=2)
    console.print(f"revoked {key_id}")


if __name__ == "__main__":
    app()
