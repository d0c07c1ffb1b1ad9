"""Typos of the corpus's words are corrected before a question is searched and judged; nothing else is."""

import pytest

from service.answering.spelling import Speller


@pytest.fixture(scope="module")
def speller(corpus_services):
    return Speller(corpus_services.retriever.chunks)


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("whats the platfrom paradox", "what's the platform paradox"),  # a transposition, and an apostrophe
        ("explain the innovators dilema", "explain the innovators dilemma"),
        ("what is blitscaling?", "what is blitzscaling?"),
        ("sovreignty triggers", "sovereignty triggers"),
        ("what is antropic's strategy?", "what is anthropic's strategy?"),  # before a possessive
        ("hyperscalres capex", "hyperscalers capex"),  # two edits in a long word
        ("should we commoditise models?", "should we commoditize models?"),  # the corpus's "-ize"
        ("the inovator's dilemma", "the innovator's dilemma"),  # early in the word too
        ("nivdia's moat", "nvidia's moat"),
        # a name's possessive typed without its apostrophe (an English word too: "googles")
        ("whats googles angle in the gpu race", "what's google's angle in the gpu race"),
        ("is nvidias moat real?", "is nvidia's moat real?"),
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
        # real words that differ from a corpus word by a prefix or an ending: no typos of it
        "how should a bank approach debiasing of models?",  # not "biasing"
        "what about unbundling?",  # not "bundling"
        "is offboarding a risk?",  # not "onboarding"
        "what did spacex do?",  # not "space"
        "is minimax a lab?",  # not "minimal"
        "should we productise it?",  # a British "-ise" the corpus does not spell with "-ize": not "productive"
    ],
)
def test_anything_else_is_left_as_written(speller, text):
    assert speller.corrected(text) == text


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("whats the ai flywheel", "what's the ai flywheel"),
        ("Whats blitzscaling", "What's blitzscaling"),
        ("why doesnt meta build its own?", "why doesn't meta build its own?"),  # "its" is a word: left
        ("well, were the currents useful?", "well, were the currents useful?"),
        ("What did Jony Ive say?", "What did Jony Ive say?"),  # a name: capitalised
        ("are IM apps dead?", "are IM apps dead?"),  # an acronym
        ("the whys and hows of blitzscaling", "the whys and hows of blitzscaling"),  # nouns
        ("and whats the ai flywheel", "and what's the ai flywheel"),
        ("Q: Whats blitzscaling", "Q: What's blitzscaling"),
    ],
)
def test_a_contraction_typed_without_its_apostrophe_gets_one(speller, text, corrected):
    assert speller.corrected(text) == corrected


async def test_a_contraction_without_its_apostrophe_is_answered_as_with_it(corpus_services):
    answer = await corpus_services.answers.ask("whats the ai flywheel", "extractive")
    assert answer.supported and answer.citations[0].document.id == "ai-flywheel-paradox"


async def test_a_question_with_a_typo_is_answered_as_if_spelled_right(corpus_services):
    answer = await corpus_services.answers.ask("whats the platfrom paradox", "extractive")
    assert answer.supported and answer.citations[0].document.id == "platform-paradox"


async def test_a_typo_in_an_earlier_turn_is_corrected_too(corpus_services):
    history = [
        {"role": "user", "content": "what is the sovreignty current?"},
        {"role": "assistant", "content": "..."},
    ]
    answer = await corpus_services.answers.ask("what are its triggers?", "extractive", history)
    assert answer.supported and answer.citations[0].document.id == "scenario-planning-04-sovereignty"


@pytest.mark.parametrize(
    ("text", "corrected"),
    [
        ("lessons of the dotcom crash", "lessons of the dot-com crash"),  # the corpus writes only "dot-com"
        ("nonlinear gpu returns", "non-linear gpu returns"),
        ("when did pretraining of GPT-6 end", "when did pre-training of GPT-6 end"),
        ("what was the postmoney valuation?", "what was the post-money valuation?"),  # not "postponed"
        ("how much did deepseek's pretraining run cost?", "how much did deepseek's pre-training run cost?"),
        ("Dotcom", "Dotcom"),  # a capitalised word may be a name
    ],
)
def test_a_compound_typed_as_one_word_gets_the_corpus_hyphen(speller, text, corrected):
    assert speller.corrected(text) == corrected


async def test_a_compound_typed_as_one_word_is_answered_as_the_corpus_writes_it(corpus_services):
    answer = await corpus_services.answers.ask("what lessons does the booklet take from the dotcom crash?")
    assert answer.supported and answer.citations[0].section == "The dot-com precedent", answer.answer
