import re

from service.answering.comparison_sides import own_questions


def _spans(question: str, **names: str) -> dict[str, list[tuple[int, int]]]:
    return {d: [m.span() for m in re.finditer(re.escape(n), question, re.IGNORECASE)] for d, n in names.items()}


def test_a_question_asked_of_each_document_is_that_documents_own():
    question = (
        "How many GPUs does the Platform Paradox credit Meta with, and what size does the Continued Scaling chapter "
        "give for Meta's Abilene cluster?"
    )
    assert own_questions(question, _spans(question, pp="Platform Paradox", cs="Continued Scaling chapter")) == {
        "pp": "How many GPUs does the Platform Paradox credit Meta with",
        "cs": "what size does the Continued Scaling chapter give for Meta's Abilene cluster?",
    }


def test_what_the_message_says_before_its_questions_frames_each():
    question = (
        "Trace Meta's AI strategy across the corpus: what did the platform paradox essay say about its infrastructure "
        "bet, and what model did Meta launch according to the Sovereignty chapter?"
    )
    own = own_questions(question, _spans(question, pp="platform paradox essay", s="Sovereignty chapter"))
    assert (
        own["s"]
        == "Trace Meta's AI strategy across the corpus: what model did Meta launch according to the Sovereignty chapter?"
    )
    assert own["pp"].startswith("Trace Meta's AI strategy across the corpus: what did the platform paradox essay")


def test_no_document_has_a_question_of_its_own_when_both_are_asked_one():
    together = "Where do the flywheel essay and the Lab to Production chapter locate the real bottleneck?"
    assert own_questions(together, _spans(together, f="flywheel essay", l="Lab to Production chapter")) == {}
    # a statement about one, and a question about the other only
    statement = (
        "The platform paradox essay treats Meta's Llama models as a sign of weakness. How does the defensibility essay "
        "read Meta's decision to release its models openly?"
    )
    assert own_questions(statement, _spans(statement, pp="platform paradox essay", d="defensibility essay")) == {}
    # one clause naming both
    contrast = "Contrast the hype cycle essay's view of an AI trough with the Financial Correction chapter's view."
    assert own_questions(contrast, _spans(contrast, h="hype cycle essay", f="Financial Correction chapter")) == {}
    # a document named nowhere the message spells
    assert own_questions(together, {"f": [(12, 26)], "l": []}) == {}
