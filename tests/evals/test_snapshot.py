"""Every labelled answer at once, and what a change did to them (service/evals/snapshot.py)."""

from service.evals.golden import RetrievalCase, Turn
from service.evals.snapshot import answers, changes, labelled_sets


def _answer(text: str, supported: bool = True, key_facts: float | None = 1.0, **rest) -> dict:
    return {
        "question": "What is blitzscaling?",
        "history": [],
        "answer": text,
        "supported": supported,
        "cited": ["blitzscaling-ai"] if supported else [],
        "must_refuse": False,
        "key_fact_recall": key_facts,
        "passage_cited": supported,
        **rest,
    }


def test_a_diff_shows_a_read_answer_whole_and_a_held_back_one_by_its_scores_alone():
    before = {
        "tha/tha-001": _answer("Speed over efficiency."),
        "thb/thb-001": _answer("A held-back answer's words."),
        "golden/up-001": _answer("Unchanged."),
    }
    after = {
        "tha/tha-001": _answer("The corpus does not cover this question.", supported=False, key_facts=0.0),
        "thb/thb-001": _answer("Other words of it.", key_facts=0.5),
        "golden/up-001": _answer("Unchanged."),
    }
    lines = changes(before, after)
    text = "\n".join(lines)
    assert lines[-1] == "2 of 3 answers changed"
    assert (
        "## tha/tha-001 (in scope): key_fact_recall 1.0 -> 0.0, passage_cited True -> False, supported True -> False"
        in lines
    )
    assert "before: Speed over efficiency." in text and "after: The corpus does not cover this question." in text
    assert "## thb/thb-001 (in scope): key_fact_recall 1.0 -> 0.5" in text
    assert "held-back answer's words" not in text and "Other words of it" not in text  # never the held-back text
    assert "up-001" not in text


def test_the_sets_a_change_is_checked_on_leave_golden_heldout_out():
    sets = dict(labelled_sets())
    assert {"golden", "tha", "thb", "tra"} <= set(sets)
    assert all(case.split != "heldout" for case in sets["golden"])


async def test_each_asked_case_is_answered_and_scored_with_its_conversation(corpus_services):
    first = RetrievalCase(
        id="s-1",
        question="What is blitzscaling?",
        document="blitzscaling-ai",
        passage="prioritizing speed over efficiency",
        key_facts=["speed over efficiency"],
    )
    follow_up = RetrievalCase(
        id="s-2",
        question="who came up with it?",
        history=[
            Turn(role="user", content="What is blitzscaling?"),
            Turn(role="assistant", content="Prioritizing speed over efficiency."),
        ],
        document="blitzscaling-ai",
        passage="Reid Hoffman",
        key_facts=["Reid Hoffman"],
    )
    refused = RetrievalCase(id="s-3", kind="out_of_scope", question="How do I bake sourdough bread?", must_refuse=True)
    written = await answers(corpus_services, iter([("mine", [first, follow_up, refused])]))
    assert list(written) == ["mine/s-1", "mine/s-2", "mine/s-3"]
    assert written["mine/s-1"]["key_fact_recall"] == 1.0 and written["mine/s-1"]["passage_cited"]
    assert written["mine/s-2"]["history"] == ["What is blitzscaling?", "Prioritizing speed over efficiency."]
    assert "Reid Hoffman" in written["mine/s-2"]["answer"]
    assert written["mine/s-3"]["supported"] is False and written["mine/s-3"]["refusal_correct"]
