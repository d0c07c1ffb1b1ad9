"""The CI gate: the golden set on the offline default must meet every suite's floors in evals/gates.yaml."""

from service.evals.gate import failures, load_gates, run_gate, suite_cases


def test_every_suite_names_existing_cases_and_the_first_set_keeps_its_size():
    gates = load_gates()
    first = suite_cases(gates["suites"]["first-set"])
    assert len(first) == 180 and {c.kind for c in first} == {
        "question",
        "out_of_scope",
        "multi_doc",
        "injection",
        "checklist",
        "briefing",
    }
    everything = suite_cases(gates["suites"]["all"])
    assert len(everything) > len(first)
    named = suite_cases(gates["suites"]["named-off-topic"])
    assert named and not {c.id for c in named} & {c.id for c in everything}  # excluded from "all": a suite of its own


def test_a_metric_below_its_floor_or_above_its_ceiling_fails():
    suite = {"min": {"mrr": 0.8}, "max": {"errors": 0}}
    assert failures({"mrr": 0.8, "errors": 0}, suite) == []
    assert failures({"mrr": 0.79, "errors": 1}, suite) == [
        "mrr = 0.79 is below the floor 0.8",
        "errors = 1 is above the ceiling 0",
    ]
    assert failures({}, {"min": {"mrr": 0.8}}) == ["mrr = None is below the floor 0.8"]


async def test_offline_default_meets_the_gate(corpus_services):
    results = await run_gate(corpus_services, load_gates())
    assert {name: r["failures"] for name, r in results.items()} == {name: [] for name in results}, {
        name: r["metrics"] for name, r in results.items()
    }
