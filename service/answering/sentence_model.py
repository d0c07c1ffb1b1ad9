"""Which sentence answers: a learned model over the extractive answerer's per-sentence signals.

The extractive answerer (extractive.py) scores every sentence of the top passages' blocks. Hand weights
add cosine similarity, word overlap and a few block bonuses; which signal to trust depends on the
question (a "how much" question wants the sentence with the figure, a definition the one that says what
the term is, a list question the lead-in of the list it names). A small LightGBM model learns that from
the golden dev split (`make tune-answer`: service/evals/train_answer.py, labels are the sentences holding
a key fact or the answering passage, cross-validated by question; the held-back split is reported and
never tuned on). It ships as sentence_model.txt beside this file; without it the hand weights stand. A second one,
sentence_model_adapted.txt, is fitted for sentences scored against the query adapter's mapped question (`make
tune-answer`: each dev question's features taken with a map fitted without its fold, as the shipped map meets new
questions); the answerer uses it when the passages were ranked with the map.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np

from service.answering.question_form import QuestionForm
from service.retrieval.rerank import ShippedModel
from service.text import content_words

MODEL_FILE = Path(__file__).with_name("sentence_model.txt")
ADAPTED_MODEL_FILE = Path(__file__).with_name("sentence_model_adapted.txt")

#: Per (question, sentence) signals, in the order the model was trained on.
FEATURES = (
    "similarity",  # cosine of the question to the sentence
    "similarity_gap",  # below the best sentence among all candidates
    "unit_similarity_gap",  # below the best sentence of its own block
    "overlap",  # share of the question's content words in the sentence
    "idf_overlap",  # the same, weighted by rarity in the corpus
    "fragment",  # says little alone (lead-in, keyword line) or is itself a question
    "defining",  # reads as a definition ("X is ...", "... means ...")
    "has_number",  # holds a figure (digits or a number word)
    "asks_quantity",  # the question asks how much / how many / what share / when
    "log_words",  # log(1 + words of the sentence)
    "position",  # its place in its block (0: the first)
    "unit_list",  # the block is a list (with its lead-in)
    "unit_table",
    "is_lead",  # the sentence is a list's lead-in
    "first_in_section",  # the block is the first statement of its section
    "rank",  # the passage's rank in the retrieval
    "heading_share",  # share of the question's words in the section heading
    "block_share",  # idf-weighted share of the question's words in the block and headings
    "form_bonus",  # what the question's form gives the block (a named list, a titled section)
    "answering",  # the question's form picks this sentence as the block's answer
    "named",  # the passage's document is one the question names
    "form_definition",
    "form_enumeration",
    "form_comparison",
    "question_log_words",
)


#: A sentence that says what something is.
DEFINING = re.compile(r"\b(?:is|are|was|means|refers to|describes|occurs|happens when)\b|:\s*$", re.IGNORECASE)
_QUANTITY = re.compile(
    r"\b(?:how\s+(?:much|many|fast|large|big|long|often|far|cheap|expensive|high|low|quickly)|"
    r"what\s+(?:share|percentage|percent|proportion|fraction|price|cost|year|amount|number|valuation)|"
    r"when|by\s+how|what\s+(?:did|does|do)\s+\w+\s+cost)\b",
    re.IGNORECASE,
)
_FIGURE = re.compile(
    r"\d|\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|hundred|thousand|million|billion|trillion)\b",
    re.IGNORECASE,
)


def sentence_features(question: str, form: QuestionForm, units: list) -> np.ndarray:
    """The FEATURES of every sentence of every block, rows in block then sentence order."""
    best = max(s.similarity for u in units for s in u.sentences)
    asks_quantity = float(bool(_QUANTITY.search(question)))
    question_words = math.log1p(len(content_words(question)))
    rows = []
    for unit in units:
        unit_best = max(s.similarity for s in unit.sentences)
        for position, sentence in enumerate(unit.sentences):
            rows.append(
                [
                    sentence.similarity,
                    sentence.similarity - best,
                    sentence.similarity - unit_best,
                    sentence.overlap,
                    sentence.idf_overlap,
                    float(sentence.fragment),
                    float(bool(DEFINING.search(sentence.text))),
                    float(bool(_FIGURE.search(sentence.text))),
                    asks_quantity,
                    math.log1p(len(sentence.text.split())),
                    float(position),
                    float(unit.kind == "list"),
                    float(unit.kind == "table"),
                    float(unit.lead is not None and sentence.start < unit.lead[1]),
                    float(unit.first_in_section),
                    float(unit.rank),
                    unit.heading_share,
                    unit.block_share,
                    unit.form_bonus,
                    float(unit.answering is sentence),
                    float(unit.named),
                    float(form.kind == "definition"),
                    float(form.kind == "enumeration"),
                    float(form.kind == "comparison"),
                    question_words,
                ]
            )
    return np.array(rows, dtype=np.float64).reshape(-1, len(FEATURES))


class SentenceModel(ShippedModel):
    def __init__(self, path: Path = MODEL_FILE):
        super().__init__(path, FEATURES, "make tune-answer")

    def score_sentences(self, question: str, form: QuestionForm, units: list) -> np.ndarray | None:
        """One score per sentence of the blocks (block then sentence order); None without a shipped model."""
        if not self.exists:
            return None
        return self.scores(sentence_features(question, form, units))
