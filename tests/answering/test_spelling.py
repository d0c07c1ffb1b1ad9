"""Typos of the corpus's words are corrected before a question is searched and judged; nothing else is."""

import pytest

from service.answering.spelling import Speller


@pytest.fixture(scope="module")
def speller(corpus_services):
    return Speller(corpus_services.retriever.chunks)


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("whats the platfrom paradox", "whats the platform paradox"),  # a transposition
        ("explain the innovators dilema", "explain the innovators dilemma"),
        ("what is blitscaling?", "what is blitzscaling?"),
        ("sovreignty triggers", "sovereignty triggers"),
        ("what is antropic's strategy?", "what is anthropic's strategy?"),  # before a possessive
        ("hyperscalres capex", "hyperscalers capex"),  # two edits in a long word
    ],
)
def test_a_typo_of_a_corpus_word_is_corrected(speller, text, corrected):
    assert speller.corrected(text) == corrected


@pytest.mark.parametrize(
    "text",
    [
        "when should I plant tomatoes?",  # an English word the corpus lacks is no typo
        "how do I descale my espresso machine?",
        "what's qwen?",  # too short: one edit from "when"
        "What did Windsurf do?",  # a name: capitalised
        "what is gpt-4o?",  # part of a longer token
        "What is the Jevons paradox?",  # nothing to correct
        "what do leaderboard scores miss?",  # another form of a corpus word ("leaderboards"): the search stems it
    ],
)
def test_anything_else_is_left_as_written(speller, text):
    assert speller.corrected(text) == text


async def test_a_question_with_a_typo_is_answered_as_if_spelled_right(corpus_services):
    answer = await corpus_services.answers.ask("whats the platfrom paradox", "extractive")
    assert answer.supported and answer.citations[0].document.id == "platform-paradox"
