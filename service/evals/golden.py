"""Golden cases as data (evals/golden/*.yaml): loading, and the passage-matching rule every metric shares."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, Field

from service.settings import PROJECT_ROOT

GOLDEN_DIR = PROJECT_ROOT / "evals" / "golden"
#: Labelled questions that only train (evals/training/*.yaml): written blind to the golden set by other hands, in
#: its format, all `split: dev`; no eval scores them.
TRAINING_DIR = PROJECT_ROOT / "evals" / "training"
#: Labelled questions that train nothing and no gate scores (evals/fresh/*.yaml): written blind like the training files,
#: each round measured through the whole pipeline before anything was fitted to it (README, "Evaluation").
FRESH_DIR = PROJECT_ROOT / "evals" / "fresh"

Kind = Literal["question", "out_of_scope", "multi_doc", "injection", "checklist", "briefing"]
#: The kinds asked as questions; every such case carries a split.
ASKED_KINDS: tuple[Kind, ...] = ("question", "multi_doc", "out_of_scope", "injection")
#: dev tunes; heldout only measures (never look at it to tune anything); all is both.
Split = Literal["dev", "heldout", "all"]
#: Files written before cases carried a `kind`.
_DEFAULT_KIND = {"retrieval.yaml": "question", "out_of_scope.yaml": "out_of_scope"}
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?)", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Whitespace and Markdown line markers do not count when matching a passage."""
    return _SPACE.sub(" ", _MARKER.sub("", text)).strip()


def contains_passage(chunk_text: str, passage: str) -> bool:
    return normalize_text(passage) in normalize_text(chunk_text)


class Passage(BaseModel):
    document: str
    passage: str


class Turn(BaseModel):
    """One earlier turn of the conversation a follow-up question belongs to."""

    role: Literal["user", "assistant"]
    content: str = Field(min_length=1)


class RetrievalCase(BaseModel):
    """One golden case; which fields matter depends on its kind."""

    id: str
    kind: Kind = "question"
    # Asked kinds carry one (tests/evals/test_golden.py); feedback exports and ad-hoc files may not.
    split: Literal["dev", "heldout"] | None = None
    style: str | None = None  # the phrasing pattern the case stands for (short, follow_up, framework, ...)
    question: str | None = None
    history: list[Turn] = Field(default_factory=list)  # earlier turns; the question is the next user turn
    document: str | None = None
    passage: str | None = None
    passages: list[Passage] = Field(default_factory=list)
    key_facts: list[str | list[str]] = Field(default_factory=list)
    names_document: bool = False
    must_refuse: bool = False
    forbidden: list[str] = Field(default_factory=list)
    why: str | None = None
    absent_terms: list[str] = Field(default_factory=list)  # out_of_scope: key terms no corpus document uses
    # checklist and briefing requests
    context: str | None = None
    currents: list[str] | None = None
    expect_currents: list[str] = Field(default_factory=list)
    topic: str | None = None
    audience: str | None = None
    length: Literal["short", "standard"] = "standard"

    @property
    def supporting(self) -> list[Passage]:
        """Every passage that supports the answer."""
        single = [Passage(document=self.document, passage=self.passage)] if self.document and self.passage else []
        return single + self.passages

    @property
    def history_messages(self) -> list[dict] | None:
        """The history as the answer service takes it, or None for a first question."""
        return [turn.model_dump() for turn in self.history] or None

    @property
    def search_query(self) -> str:
        """What retrieval alone is given: a follow-up ("why?") carries its last user turn along."""
        last_user = next((t.content for t in reversed(self.history) if t.role == "user"), None)
        return f"{last_user} {self.question}" if last_user else (self.question or "")


Case = RetrievalCase


def in_split(case: RetrievalCase, split: Split) -> bool:
    """heldout: the heldout cases only; dev: everything not held out (unsplit checklists and briefings too)."""
    if split == "all":
        return True
    return (case.split == "heldout") == (split == "heldout")


#: Files written after the reranker and the answer-sentence model were trained (session 5). The coverage
#: classifier trains on their dev split; the other two train without them, so `make tune` reproduces what ships
#: (retrained with them, they generalised no better on the heldout questions: README, "Evaluation").
SECOND_SET = ("questions_essays.yaml", "questions_booklet.yaml", "questions_more.yaml", "out_of_scope_more.yaml")
#: ... and a third, written after the coverage classifier's topic signal existed (events and figures the corpus
#: reports, the hardest phrasings, news and facts past its snapshot). It trains nothing yet: a fresh measure of
#: all three models. (Trained on, it lowered out-of-scope answered on every heldout question from 0.111 to
#: 0.089 and in-scope refused from 0.142 to 0.135, but refused one more first-set question, under that suite's
#: floors; README, "Evaluation".)
THIRD_SET = ("questions_events.yaml", "questions_styles.yaml", "out_of_scope_events.yaml")
#: ... and a fourth (session 8): requests rather than questions ("tell me about re-bench", "give me a quick overview
#: of Kubernetes"), in scope and out, written by another hand after the request rule of coverage.py existed and
#: before it was measured. It trains nothing: a measure.
FOURTH_SET = ("questions_requests.yaml",)
#: ... and a fifth (session 10, written blind by another hand): the broad first questions of a new user ("how does the
#: AI flywheel work?", "what did the podcast say about Anthropic?", "summarise the booklet", "moats") and near-domain
#: ones the corpus cannot answer, asked the same way. It trains nothing: a measure. (Trained on, the classifier's
#: cross-validated errors fell from 0.103/0.099 to 0.087/0.092 but, at its threshold, the dev questions of all five
#: sets were judged worse overall: in-scope refused 0.049 -> 0.082 against out-of-scope answered 0.081 -> 0.064.)
FIFTH_SET = ("questions_broad.yaml", "out_of_scope_broad.yaml")
#: Files that train none of the models (the reranker and the answer-sentence model train on the first set only).
MEASURE_ONLY = THIRD_SET + FOURTH_SET + FIFTH_SET
LATER_SETS = SECOND_SET + MEASURE_ONLY


def load_cases(path: Path, split: Split = "all", exclude: tuple[str, ...] = ()) -> list[RetrievalCase]:
    """Cases from one YAML file, or from every *.yaml file of a folder (less the file names in `exclude`);
    optionally one split of them."""
    files = [f for f in (sorted(path.glob("*.yaml")) if path.is_dir() else [path]) if f.name not in exclude]
    cases = []
    for file in files:
        # libyaml's loader when PyYAML has it: the same data, 8x faster (the golden files are read by many tests)
        for item in yaml.load(file.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or []:
            item.setdefault("kind", _DEFAULT_KIND.get(file.name, "question"))
            cases.append(RetrievalCase.model_validate(item))
    ids = [c.id for c in cases]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise ValueError(f"duplicate golden case ids: {duplicates}")
    return [c for c in cases if in_split(c, split)]
