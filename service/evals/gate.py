"""The CI gate: suites of golden files, each with floors (`min`) and ceilings (`max`), in evals/gates.yaml.

A suite's floors are raised to what is reached and never lowered; a new, harder set of cases gets a suite
of its own instead of pulling an old suite's floors down.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from service.evals.golden import GOLDEN_DIR, RetrievalCase, load_cases
from service.evals.retrieval import metrics as retrieval_metrics
from service.evals.retrieval import rank_cases
from service.evals.runner import ASKED_KINDS, aggregate, run_model
from service.settings import PROJECT_ROOT

GATES_FILE = PROJECT_ROOT / "evals" / "gates.yaml"


def load_gates(path: Path = GATES_FILE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def suite_cases(suite: dict, golden: Path = GOLDEN_DIR) -> list[RetrievalCase]:
    """The cases of a suite: `files: all` (less the files it `exclude`s) or a list of file names, optionally one `split`."""
    split = suite.get("split", "all")
    files = suite.get("files", "all")
    if files == "all":
        excluded = set(suite.get("exclude") or [])
        files = [p.name for p in sorted(golden.glob("*.yaml")) if p.name not in excluded]
    return [case for name in files for case in load_cases(golden / name, split=split)]


def failures(metrics: dict, suite: dict) -> list[str]:
    """Each metric below its floor or above its ceiling, said in one line."""
    out = []
    for name, floor in (suite.get("min") or {}).items():
        value = metrics.get(name)
        if value is None or value < floor:
            out.append(f"{name} = {value} is below the floor {floor}")
    for name, ceiling in (suite.get("max") or {}).items():
        value = metrics.get(name)
        if value is None or value > ceiling:
            out.append(f"{name} = {value} is above the ceiling {ceiling}")
    return out


async def run_gate(services, gates: dict) -> dict[str, dict]:
    """Every suite's metrics and failures for the gated model; its cases are run once."""
    suites = {name: suite_cases(suite) for name, suite in gates["suites"].items()}
    everything = list({c.id: c for cases in suites.values() for c in cases}.values())
    # Every question embedded first, together (16 to a model call), so that ranking and answering find their
    # vectors in the query cache: the gate measures answers, not latency. Searched once too, however many
    # suites hold a case (the cases runner.retrieval_run searches).
    asked = [c for c in everything if c.kind in ASKED_KINDS and c.question]
    services.retriever.embed_many(list(dict.fromkeys([c.question for c in asked] + [c.search_query for c in asked])))
    searchable = [c for c in everything if c.kind in ("question", "multi_doc") and c.supporting]
    ranked = {r.case.id: r for r in rank_cases(services.retriever, searchable)}
    run = await run_model(services, gates["model"], everything)
    results = {}
    for name, cases in suites.items():
        ids = {c.id for c in cases}
        metrics = aggregate([o for o in run["cases"] if o["id"] in ids], [e for e in run["errors"] if e["id"] in ids])
        if suite_ranked := [ranked[c.id] for c in cases if c.id in ranked]:
            metrics |= retrieval_metrics(suite_ranked)
        results[name] = {"metrics": metrics, "failures": failures(metrics, gates["suites"][name]), "cases": len(cases)}
    return results
