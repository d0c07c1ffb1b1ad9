"""Run the golden cases against one or more models and aggregate the metrics, side by side."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from service.errors import ServiceError
from service.evals.answers import describe, score_answer, score_briefing, score_checklist
from service.evals.golden import ASKED_KINDS, RetrievalCase
from service.evals.retrieval import failures as retrieval_failures
from service.evals.retrieval import metrics as retrieval_metrics
from service.evals.retrieval import rank_cases

#: Which way is better, per metric (for regressions and charts).
HIGHER_IS_BETTER = {
    "recall@1": True,
    "recall@5": True,
    "mrr": True,
    "reached@150w": True,
    "reached@300w": True,
    "key_fact_recall": True,
    "passage_cited": True,
    "citation_precision": True,
    "citation_validity": True,
    "answered_rate": True,
    "refusal_accuracy": True,
    "out_of_scope_answered": False,
    "in_scope_refused": False,
    "injection_resistance": True,
    "checklist_currents_found": True,
    "checklist_signals_verbatim": True,
    "briefing_key_fact_recall": True,
    "errors": False,
    "latency_ms_p50": False,
    "latency_ms_p95": False,
    "cost_usd_per_answer": False,
}


def _mean(values) -> float | None:
    values = [float(v) for v in values if v is not None]
    return statistics.fmean(values) if values else None


def _percentile(values: list[float], q: int) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def split_of(row: dict) -> str:
    """dev or heldout, as golden.in_split counts it (a case without a split is dev)."""
    return "heldout" if row.get("split") == "heldout" else "dev"


def _by_split(rows: list, score: Callable[[list], dict], split: Callable = split_of) -> dict[str, dict]:
    """The scores per split, when the rows cover more than one (else empty: the overall scores say it all)."""
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(split(row), []).append(row)
    return {name: score(groups[name]) for name in ("dev", "heldout") if name in groups} if len(groups) > 1 else {}


def retrieval_run(services, cases: list[RetrievalCase]) -> dict:
    """Model-independent (the same retrieval serves every model): the metrics, per split, and per case."""
    searchable = [c for c in cases if c.kind in ("question", "multi_doc") and c.supporting]
    if not searchable:
        return {"metrics": {}, "by_split": {}, "cases": {}}
    ranked = rank_cases(services.retriever, searchable)
    return {
        "metrics": retrieval_metrics(ranked),
        "by_split": _by_split(ranked, retrieval_metrics, lambda r: split_of({"split": r.case.split})),
        "cases": {
            r.case.id: {"rank": r.rank, "words_to_answer": r.words_to_answer, "failed": retrieval_failures(r)}
            for r in ranked
        },
    }


def retrieval_scores(services, cases: list[RetrievalCase]) -> dict:
    """The retrieval metrics alone (what the gate reads)."""
    return retrieval_run(services, cases)["metrics"]


async def run_model(
    services, model: str, cases: list[RetrievalCase], progress: Callable[[], None] | None = None
) -> dict:
    """Every case against one model alias; returns the aggregate metrics and per-case outcomes."""
    chunk_text = {c.id: c.text for c in services.retriever.chunks}
    chunk_section = {c.id: c.section_path for c in services.retriever.chunks}
    booklet_text = "\n".join(c.text for c in services.retriever.chunks if c.current)
    outcomes, errors = [], []
    for case in cases:
        started = time.perf_counter()
        try:
            if case.kind in ASKED_KINDS:
                answer = await services.answers.ask(case.question, model, history=case.history_messages)
                outcomes.append(score_answer(case, answer.model_dump(mode="json"), chunk_text, chunk_section))
            elif case.kind == "checklist":
                checklist = (await services.scenarios.checklist(case.context, case.currents, None, model)).model_dump()
                checklist["latency_ms"] = (time.perf_counter() - started) * 1000
                outcomes.append(score_checklist(case, checklist, booklet_text))
            elif case.kind == "briefing":
                briefing = (
                    await services.scenarios.briefing(case.topic, case.audience, case.length, model)
                ).model_dump()
                briefing["latency_ms"] = (time.perf_counter() - started) * 1000
                outcomes.append(score_briefing(case, briefing, chunk_text))
        except ServiceError as exc:
            errors.append({**describe(case), "code": exc.code, "message": exc.message})
        if progress:
            progress()
    return summarize(outcomes, errors)


def summarize(outcomes: list[dict], errors: list[dict]) -> dict:
    """One model's run: the metrics overall and per split, and the per-case outcomes and errors behind them."""
    by_split = _by_split(
        outcomes + errors,
        lambda rows: aggregate([r for r in rows if "code" not in r], [r for r in rows if "code" in r]),
    )
    return {"metrics": aggregate(outcomes, errors), "by_split": by_split, "cases": outcomes, "errors": errors}


def aggregate(outcomes: list[dict], errors: list[dict]) -> dict:
    asked = [o for o in outcomes if o["kind"] in ASKED_KINDS]
    answerable = [o for o in asked if "key_fact_recall" in o]
    latencies = [o["latency_ms"] for o in outcomes if o.get("latency_ms") is not None]
    checklists = [o for o in outcomes if o["kind"] == "checklist"]
    briefings = [o for o in outcomes if o["kind"] == "briefing"]
    return {
        "cases": len(outcomes) + len(errors),
        "errors": len(errors),
        "key_fact_recall": _mean(o["key_fact_recall"] for o in answerable),
        "passage_cited": _mean(o["passage_cited"] for o in answerable),
        "citation_precision": _mean(o["citation_precision"] for o in answerable),
        "citation_validity": _mean(o["citation_valid"] for o in outcomes),
        "answered_rate": _mean(o["supported"] for o in answerable),
        "refusal_accuracy": _mean(o["refusal_correct"] for o in asked if o["must_refuse"]),
        # The two gate errors, each on its own: answering what must be refused, refusing what the corpus answers.
        "out_of_scope_answered": _mean(bool(o["supported"]) for o in asked if o["must_refuse"]),
        "in_scope_refused": _mean(not o["supported"] for o in answerable),
        "injection_resistance": _mean(o["injection_resisted"] for o in asked if "injection_resisted" in o),
        "checklist_currents_found": _mean(o["currents_found"] for o in checklists),
        "checklist_signals_verbatim": _mean(o["signals_verbatim"] for o in checklists),
        "briefing_key_fact_recall": _mean(o["key_fact_recall"] for o in briefings),
        "latency_ms_p50": _percentile(latencies, 50),
        "latency_ms_p95": _percentile(latencies, 95),
        "cost_usd_per_answer": _mean(o["cost_usd"] for o in asked),
    }


def isolated_services(settings, models: list[str], **parts):
    """Services whose model aliases answer alone: no fallback can reach a model the caller did not name."""
    from service.container import build_services, embedded_server
    from service.llm.catalog import ModelCatalog, load_catalog
    from service.llm.gateway import LLMGateway

    catalog = load_catalog(settings.models_file)
    for model in models:
        catalog.resolve(model, model)  # an unknown alias fails here, before any case runs
    isolated = ModelCatalog(model_list=catalog.model_list, fallbacks={}, router_settings=catalog.router_settings)
    given = parts.pop("gateway", None)
    gateway = given or LLMGateway(
        isolated,
        timeout_s=settings.llm_timeout_s,
        num_retries=0,
        max_tokens=settings.llm_max_tokens,
        embedded=embedded_server(settings),
    )
    services = build_services(settings, gateway=gateway, **parts)
    services.owns_gateway = given is None  # the embedded model server it started stops with the services
    return services
