"""Train the answer-sentence model on the golden set's dev split and write service/answering/sentence_model.txt.

Run `make tune-answer` (or `python -m service.evals.train_answer --heldout`). For every answerable dev
question it records the sentences the extractive answerer weighs (service/answering/extractive.py) with
their features (service/answering/sentence_model.py), labels the ones that hold a key fact or lie inside
an answering passage, and fits a LightGBM binary model. It prints 5-fold cross-validated answer metrics
(folds by question: each question answered by a model that never saw it) next to the hand weights', and,
with --heldout, the held-back split's (reported, never tuned on). The JSON beside the model records the
parameters and the numbers.

With --adapted it fits the model for sentences scored against the query adapter's mapped question
(sentence_model_adapted.txt): each dev question's features are taken with a map fitted without the questions of its
fold (cross-fitting: the shipped map was fitted on the dev questions, and would hand the model similarities it never
meets on new ones), and the cross-validated numbers are measured the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
from dataclasses import dataclass

import numpy as np

from service.answering.sentence_model import ADAPTED_MODEL_FILE, FEATURES, MODEL_FILE, sentence_features
from service.evals.answers import fact_found
from service.evals.golden import GOLDEN_DIR, LATER_SETS, RetrievalCase, load_cases, normalize_text
from service.evals.shipping import SMALL_TREES, ship_lightgbm
from service.retrieval.query_adapter import QueryAdapter

PARAMS = {**SMALL_TREES, "objective": "binary"}
ROUNDS = 200
#: A sentence this short inside an answering passage says too little to count as answering.
MIN_PASSAGE_WORDS = 5


@dataclass
class Question:
    case: RetrievalCase
    features: np.ndarray
    labels: np.ndarray


class _Recorder:
    """Stands in for the model while features are collected: records every sentence, leaves the hand weights."""

    exists = True

    def __init__(self):
        self.rows: list[np.ndarray] = []
        self.texts: list[str] = []

    def score_sentences(self, question, form, units):
        self.rows.append(sentence_features(question, form, units))
        self.texts += [s.text for u in units for s in u.sentences]
        return None


class _Fitted:
    """A booster being evaluated, in the shape the answerer calls."""

    exists = True

    def __init__(self, booster):
        self.booster = booster

    def score_sentences(self, question, form, units):
        return self.booster.predict(sentence_features(question, form, units), num_threads=1)


def answering(case: RetrievalCase, sentence: str) -> bool:
    """The sentence holds a key fact, or lies inside a passage that answers the case."""
    if any(fact_found(f, sentence) for f in case.key_facts):
        return True
    text = normalize_text(sentence).lower()
    return len(text.split()) >= MIN_PASSAGE_WORDS and any(
        text in normalize_text(p.passage).lower() for p in case.supporting
    )


def answerable(split) -> list[RetrievalCase]:
    cases = load_cases(GOLDEN_DIR, split, LATER_SETS if split == "dev" else ())
    return [
        c
        for c in cases
        if c.kind in ("question", "multi_doc") and c.question and not c.must_refuse and (c.key_facts or c.supporting)
    ]


def _slot(adapted: bool) -> str:
    """The answerer's model being fitted: the one for the mapped question, or the plain one (sentences scored against
    the plain embedding on purpose, a document's opening for a comparison, keep the plain model either way)."""
    return "adapted_sentence_model" if adapted else "sentence_model"


async def collect(services, cases: list[RetrievalCase], adapted: bool = False) -> list[Question]:
    answerer, slot = services.answers.extractive, _slot(adapted)
    shipped, recorder = getattr(answerer, slot), _Recorder()
    setattr(answerer, slot, recorder)
    try:
        questions = []
        for case in cases:
            recorder.rows.clear()
            recorder.texts.clear()
            prepared = await services.answers.examine(case.question, "extractive", case.history_messages)
            if prepared.retrieval.hits:
                answerer.answer(prepared.question, prepared.retrieval)
            features = np.vstack(recorder.rows) if recorder.rows else np.zeros((0, len(FEATURES)))
            labels = np.array([1.0 if answering(case, t) else 0.0 for t in recorder.texts])
            questions.append(Question(case, features, labels))
        return questions
    finally:
        setattr(answerer, slot, shipped)


def train(questions: list[Question], rounds: int = ROUNDS):
    import lightgbm

    usable = [q for q in questions if len(q.labels)]
    data = lightgbm.Dataset(
        np.vstack([q.features for q in usable]),
        np.concatenate([q.labels for q in usable]),
        feature_name=list(FEATURES),
        free_raw_data=False,
    )
    return lightgbm.train(PARAMS, data, num_boost_round=rounds)


async def measure(
    services, cases: list[RetrievalCase], model_of, adapter_of=None, adapted: bool = False
) -> dict[str, float]:
    """Key facts and the answering passage cited, over answered cases and all, with `model_of(case)` as the model
    being fitted (and `adapter_of(case)` mapping the question, when given)."""
    answerer, retriever, slot = services.answers.extractive, services.retriever, _slot(adapted)
    shipped = (getattr(answerer, slot), retriever.adapter)
    chunks = {c.id: c.text for c in retriever.chunks}
    facts, cited, words, answered = [], [], [], 0
    try:
        for case in cases:
            setattr(answerer, slot, model_of(case))  # None: the hand weights
            if adapter_of is not None:
                retriever.adapter = adapter_of(case)
            answer = await services.answers.ask(case.question, "extractive", case.history_messages)
            answered += answer.supported
            if case.key_facts:
                facts.append(sum(fact_found(f, answer.answer) for f in case.key_facts) / len(case.key_facts))
            if case.supporting:
                cited.append(
                    any(
                        normalize_text(p.passage) in normalize_text(chunks.get(c.chunk_id, ""))
                        for c in answer.citations
                        for p in case.supporting
                    )
                )
            if answer.supported:
                words.append(len(answer.answer.split()))
    finally:
        model, retriever.adapter = shipped
        setattr(answerer, slot, model)
    return {
        "key_facts": round(float(np.mean(facts)), 4) if facts else 0.0,
        "passage_cited": round(float(np.mean(cited)), 4) if cited else 0.0,
        "answered": round(answered / max(1, len(cases)), 4),
        "median_words": statistics.median(words) if words else 0,
    }


async def main(heldout: bool, adapted: bool = False) -> None:
    from service.container import build_services
    from service.settings import get_settings

    settings = get_settings()
    services = build_services(settings)
    services.prepare_index()
    retriever = services.retriever
    dev_cases = answerable("dev")
    rng = np.random.default_rng(0)
    fold_of = dict(zip((c.id for c in dev_cases), rng.permutation(len(dev_cases)) % 5, strict=True))
    shipped_map = QueryAdapter(embedding_model=settings.embedding_model, enabled=adapted)
    if adapted and not shipped_map.enabled:
        raise SystemExit("no query adapter for this embedding model: run `make tune-adapter` first")
    retriever.adapter = shipped_map  # on for --adapted, off otherwise, whatever the settings say
    adapter_of = None
    if adapted:
        from service.evals.train_adapter import Index, fitted_without

        index = Index.of(retriever)
        maps = [
            QueryAdapter.of_matrix(
                fitted_without({i for i, f in fold_of.items() if f == fold}, index, retriever),
                embedding_model=settings.embedding_model,
            )
            for fold in range(5)
        ]

        def adapter_of(case):
            return maps[fold_of[case.id]]

    collected: dict[str, Question] = {}
    for fold in range(5):  # each fold's questions with its own map when cross-fitted
        if adapter_of is not None:
            retriever.adapter = maps[fold]
        for question in await collect(services, [c for c in dev_cases if fold_of[c.id] == fold], adapted):
            collected[question.case.id] = question
    retriever.adapter = shipped_map
    dev = [collected[c.id] for c in dev_cases]  # in the cases' order, as the model has always been fitted
    folds = [_Fitted(train([q for q in dev if fold_of[q.case.id] != f])) for f in range(5)]
    report = {
        "rounds": ROUNDS,
        "query_adapter": adapted,
        "dev_questions": len(dev),
        "dev_sentences": int(sum(len(q.labels) for q in dev)),
        "dev_hand_weights": await measure(services, dev_cases, lambda case: None, adapter_of, adapted),
        "dev_cv_learned": await measure(services, dev_cases, lambda case: folds[fold_of[case.id]], adapter_of, adapted),
    }
    model = train(dev)
    if heldout:
        held = answerable("heldout")
        report["heldout_questions"] = len(held)
        report["heldout_hand_weights"] = await measure(services, held, lambda case: None, adapted=adapted)
        report["heldout_learned"] = await measure(services, held, lambda case: _Fitted(model), adapted=adapted)
    ship_lightgbm(model, ADAPTED_MODEL_FILE if adapted else MODEL_FILE, FEATURES, PARAMS, report)
    services.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", action="store_true", help="also report the held-back split (never tuned on)")
    parser.add_argument("--adapted", action="store_true", help="fit the model for the query adapter's mapped question")
    arguments = parser.parse_args()
    asyncio.run(main(arguments.heldout, arguments.adapted))
