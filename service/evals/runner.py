"""Run the golden cases against one or more models and aggregate the metrics, side by side."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from service.errors import ServiceError
from service.evals.answers import score_answer, score_briefing, score_checklist
from service.evals.golden import RetrievalCase
from service.evals.retrieval import metrics as retrieval_metrics
from service.evals.retrieval import rank_cases

ASKED_KINDS = ("question", "multi_doc", "out_of_scope", "injection")

#: Which way is better, per metric (for regressions and charts).
HIGHER_IS_BETTER = {
    "recall@1": True, "recall@5": True, "mrr": True, "key_fact_recall": True, "passage_cited": True,
    "citation_precision": True, "citation_validity": True, "answered_rate": True, "refusal_accuracy": True, "injection_resistance": True,
    "checklist_currents_found": True, "checklist_signals_verbatim": True, "briefing_key_fact_recall": True,
    "errors": False, "latency_ms_p50": False, "latency_ms_p95": False, "cost_usd_per_answer": False,
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


def retrieval_scores(services, cases: list[RetrievalCase]) -> dict:
    """Model-independent: the same retrieval serves every model."""
    searchable = [c for c in cases if c.kind in ("question", "multi_doc") and c.supporting]
    return retrieval_metrics(rank_cases(services.retriever, searchable)) if searchable else {}


async def run_model(services, model: str, cases: list[RetrievalCase], progress: Callable[[], None] | None = None) -> dict:
    """Every case against one model alias; returns the aggregate metrics and per-case outcomes."""
    chunk_text = {c.id: c.text for c in services.retriever.chunks}
    chunk_section = {c.id: c.section_path for c in services.retriever.chunks}
    booklet_text = "\n".join(c.text for c in services.retriever.chunks if c.current)
    outcomes, errors = [], []
    for case in cases:
        started = time.perf_counter()
        try:
            if case.kind in ASKED_KINDS:
                answer = (await services.answers.ask(case.question, model)).to_dict()
                outcomes.append(score_answer(case, answer, chunk_text, chunk_section))
            elif case.kind == "checklist":
                checklist = await services.scenarios.checklist(case.context, case.currents, None, model)
                checklist["latency_ms"] = (time.perf_counter() - started) * 1000
                outcomes.append(score_checklist(case, checklist, booklet_text))
            elif case.kind == "briefing":
                briefing = await services.scenarios.briefing(case.topic, case.audience, case.length, model)
                briefing["latency_ms"] = (time.perf_counter() - started) * 1000
                outcomes.append(score_briefing(case, briefing, chunk_text))
        except ServiceError as exc:
            errors.append({"id": case.id, "code": exc.code, "message": exc.message})
        if progress:
            progress()
    return {"metrics": aggregate(outcomes, errors), "cases": outcomes, "errors": errors}


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
    from service.container import build_services
    from service.llm.catalog import ModelCatalog, load_catalog
    from service.llm.gateway import LLMGateway

    catalog = load_catalog(settings.models_file)
    for model in models:
        catalog.resolve(model, model)  # an unknown alias fails here, before any case runs
    isolated = ModelCatalog(model_list=catalog.model_list, fallbacks={}, router_settings=catalog.router_settings)
    gateway = parts.pop("gateway", None) or LLMGateway(isolated, timeout_s=settings.llm_timeout_s, num_retries=0, max_tokens=settings.llm_max_tokens)
    return build_services(settings, gateway=gateway, **parts)


def check_gates(report: dict, gates: dict) -> list[str]:
    """The gate's failures for the gated model (empty when it passes)."""
    metrics = {**report["retrieval"], **report["models"][gates["model"]]["metrics"]}
    failures = []
    for name, floor in (gates.get("min") or {}).items():
        value = metrics.get(name)
        if value is None or value < floor:
            failures.append(f"{name} = {value} is below the floor {floor}")
    for name, ceiling in (gates.get("max") or {}).items():
        value = metrics.get(name)
        if value is None or value > ceiling:
            failures.append(f"{name} = {value} is above the ceiling {ceiling}")
    return failures
