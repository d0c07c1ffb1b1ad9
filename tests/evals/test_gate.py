"""The CI gate: the golden set on the offline default must meet the floors of evals/gates.yaml."""

import yaml

from service.evals.golden import GOLDEN_DIR, load_cases
from service.evals.report import build_report
from service.evals.runner import check_gates, retrieval_scores, run_model
from service.settings import PROJECT_ROOT


async def test_offline_default_meets_the_gate(corpus_services):
    gates = yaml.safe_load((PROJECT_ROOT / "evals" / "gates.yaml").read_text())
    golden = load_cases(GOLDEN_DIR)
    assert len(golden) >= 80 and {c.kind for c in golden} == {"question", "out_of_scope", "multi_doc", "injection", "checklist", "briefing"}
    run = await run_model(corpus_services, gates["model"], golden)
    report = build_report({gates["model"]: run}, retrieval_scores(corpus_services, golden), cases=len(golden), previous=None)
    assert check_gates(report, gates) == [], report["models"][gates["model"]]["metrics"] | report["retrieval"]
