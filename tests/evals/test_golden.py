"""The golden set as data: splits, verbatim passages, key facts, follow-up histories and out-of-scope claims; the
training (evals/training) and fresh (evals/fresh) files are held to the same passages, key facts and claims."""

import re
from collections import Counter, defaultdict

import pytest

from service.corpus.chunking import chunk_document
from service.corpus.documents import load_corpus
from service.evals.golden import (
    ASKED_KINDS,
    FRESH_DIR,
    GOLDEN_DIR,
    TRAINING_DIR,
    RetrievalCase,
    contains_passage,
    load_cases,
    normalize_text,
)
from service.evals.retrieval import relevant_chunks
from service.settings import PROJECT_ROOT, get_settings

CASES = load_cases(GOLDEN_DIR)
ASKED = [c for c in CASES if c.kind in ASKED_KINDS]
IN_SCOPE = [c for c in CASES if c.kind in ("question", "multi_doc") and not c.must_refuse]
TRAINING = load_cases(TRAINING_DIR)
FRESH = load_cases(FRESH_DIR)
#: Every labelled case whose passages, key facts and absent terms must hold: the golden set's, the training and the
#: fresh files'.
CHECKED = CASES + TRAINING + FRESH
DOCUMENTS = {d.id: d for d in load_corpus(PROJECT_ROOT / "corpus")}


def _passages(case: RetrievalCase):
    return [(p.document, p.passage) for p in case.supporting]


def test_the_set_is_large_enough_and_ids_unique():
    assert len(IN_SCOPE) >= 150
    assert sum(c.kind == "out_of_scope" for c in CASES) >= 120
    assert len({c.id for c in CASES}) == len(CASES)


def test_every_asked_case_has_a_split_and_about_30_percent_per_kind_is_heldout():
    assert [c.id for c in ASKED if c.split is None] == []
    for kind in ASKED_KINDS:
        cases = [c for c in ASKED if c.kind == kind]
        share = sum(c.split == "heldout" for c in cases) / len(cases)
        assert 0.25 <= share <= 0.40, (kind, share)


def test_splits_are_stratified_by_style():
    by_style = defaultdict(Counter)
    for c in ASKED:
        assert c.style, f"{c.id} has no style"
        by_style[(c.kind, c.style)][c.split] += 1
    for stratum, counts in by_style.items():
        if sum(counts.values()) >= 5:
            assert counts["dev"] and counts["heldout"], (stratum, counts)


def test_no_passage_answers_cases_of_both_splits():
    """A dev case and a heldout case answered by the same span would leak the heldout answer into tuning."""
    seen: dict[tuple[str, str], tuple[str, str]] = {}
    for case in (c for c in ASKED if c.supporting):
        for document, passage in _passages(case):
            for (other_doc, other_passage), (other_id, other_split) in seen.items():
                a, b = normalize_text(passage).lower(), normalize_text(other_passage).lower()
                if document == other_doc and (a in b or b in a):
                    assert case.split == other_split, (
                        f"{case.id} ({case.split}) and {other_id} ({other_split}) share a passage"
                    )
            seen[(document, passage)] = (case.id, case.split)


def test_load_cases_selects_a_split():
    heldout, dev = load_cases(GOLDEN_DIR, "heldout"), load_cases(GOLDEN_DIR, "dev")
    assert heldout and {c.split for c in heldout} == {"heldout"}
    assert "heldout" not in {c.split for c in dev} and {"checklist", "briefing"} <= {c.kind for c in dev}
    assert sorted(c.id for c in heldout + dev) == sorted(c.id for c in CASES)


def test_every_passage_is_verbatim_in_its_document_and_inside_one_chunk():
    """Retrieval can only find a passage that lies in one chunk (or is a heading), so both are checked."""
    settings = get_settings()
    chunks = [
        c for d in DOCUMENTS.values() for c in chunk_document(d, settings.chunk_max_words, settings.embedding_model)
    ]
    problems = []
    for case in (c for c in CHECKED if c.supporting):
        for document, passage in _passages(case):
            if document not in DOCUMENTS:
                problems.append(f"{case.id}: no document {document!r}")
            elif not contains_passage(DOCUMENTS[document].body, passage):
                problems.append(f"{case.id}: not verbatim in {document}: {passage[:60]!r}")
            elif not relevant_chunks(RetrievalCase(id=case.id, document=document, passage=passage), chunks):
                problems.append(f"{case.id}: crosses a chunk boundary of {document}: {passage[:60]!r}")
    assert problems == []


def test_in_scope_cases_have_a_passage_and_key_facts_found_in_it():
    problems = []
    in_scope = [c for c in CHECKED if c.kind in ("question", "multi_doc") and not c.must_refuse]
    for case in in_scope + [c for c in CASES if c.kind == "briefing"]:
        text = " ".join(normalize_text(p).lower() for _, p in _passages(case))
        if not case.supporting or not case.key_facts:
            problems.append(f"{case.id}: needs a passage and key facts")
        for fact in case.key_facts:
            options = fact if isinstance(fact, list) else [fact]
            if not any(normalize_text(o).lower() in text for o in options):
                problems.append(f"{case.id}: key fact {fact!r} is in none of its passages")
    assert problems == []


def test_follow_up_histories_are_well_formed():
    follow_ups = [c for c in CASES if c.history]
    assert len(follow_ups) >= 10
    for case in follow_ups:
        roles = [t.role for t in case.history]
        assert case.kind in ("question", "multi_doc"), case.id
        assert roles == ["user", "assistant"] * (len(roles) // 2) and len(roles) % 2 == 0, (case.id, roles)
        assert all(t.content.strip() for t in case.history), case.id
        # Retrieval sees the earlier question with the follow-up: "why?" alone names nothing.
        assert case.search_query == f"{case.history[-2].content} {case.question}"
    assert all(c.history for c in CASES if c.style == "follow_up")


def test_out_of_scope_cases_say_why_and_their_absent_terms_are_not_in_the_corpus():
    text = "\n".join(f"{d.title}\n{d.body}" for d in DOCUMENTS.values())
    problems = []
    for case in (c for c in CHECKED if c.kind == "out_of_scope"):
        if not (case.must_refuse and case.why and case.question):
            problems.append(f"{case.id}: needs must_refuse: true, a question and a why")
        for term in case.absent_terms:
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE):
                problems.append(f"{case.id}: {term!r} occurs in the corpus")
    assert problems == []


@pytest.mark.parametrize(
    "style", ["short", "follow_up", "role", "explain_like", "trigger_words", "enumeration", "industry", "comparison"]
)
def test_each_user_phrasing_style_is_represented(style):
    assert sum(c.style == style for c in IN_SCOPE) >= 5


def _sharing_a_heldout_passage(cases: list[RetrievalCase]) -> list[str]:
    """The cases answered by a span a golden heldout case is answered by (or one holding it)."""
    held = [
        (p.document, normalize_text(p.passage).lower()) for c in ASKED if c.split == "heldout" for p in c.supporting
    ]
    return [
        case.id
        for case in cases
        for document, passage in _passages(case)
        for other_document, other in held
        if document == other_document
        and (normalize_text(passage).lower() in other or other in normalize_text(passage).lower())
    ]


def test_the_training_files_are_dev_and_share_no_question_nor_heldout_passage_with_the_golden_set():
    """All dev, ids of their own, no question a golden case asks and no span a golden heldout case is answered by:
    tuned on, either would leak the heldout answer."""
    assert len(TRAINING) >= 300 and all(c.split == "dev" for c in TRAINING)
    assert not {c.id for c in TRAINING} & {c.id for c in CASES}
    asked = {normalize_text(c.question or "").lower() for c in CASES}
    assert not [c.id for c in TRAINING if normalize_text(c.question or "").lower() in asked]
    assert _sharing_a_heldout_passage(TRAINING) == []


def test_the_fresh_files_are_dev_with_ids_and_questions_of_their_own():
    """A fresh round measures what nothing was fitted to: no id or question of the golden set or the training files,
    and, like the training files, no span a golden heldout case is answered by (measured twice, it says nothing new)."""
    assert len(FRESH) >= 100 and all(c.split == "dev" for c in FRESH)
    assert not {c.id for c in FRESH} & {c.id for c in CASES + TRAINING}
    asked = {normalize_text(c.question or "").lower() for c in CASES + TRAINING}
    assert not [c.id for c in FRESH if normalize_text(c.question or "").lower() in asked]
    fresh = [normalize_text(c.question or "").lower() for c in FRESH]
    assert len(set(fresh)) == len(fresh)  # a later round asks nothing an earlier one asked
    assert _sharing_a_heldout_passage(FRESH) == []
