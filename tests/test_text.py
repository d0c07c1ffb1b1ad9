"""The one tokenizer: words, stems, content words and sentences."""

import threading

import pytest

from service.text import (
    compound_words,
    content_words,
    document_references,
    indexed_words,
    sentence_spans,
    singular_acronyms,
    split_sentences,
    stem,
    stems,
    without_glosses,
    words_of,
)


def test_words_are_lowercased_runs_of_letters_and_digits():
    assert words_of("OpenAI's GPT-4o costs $2.50/hour.") == ["openai", "s", "gpt", "4o", "costs", "2", "50", "hour"]


@pytest.mark.parametrize(
    ("text", "singular"),
    [
        ("a cluster of 100,000 GPUs", "a cluster of 100,000 GPU"),
        ("what do vcs and LLMs want", "what do vc and LLM want"),
        ("how many gpus and tpus", "how many gpu and tpu"),
        # words, not plurals of acronyms: a vowel before the "s", a capital "S", "opus"
        ("the status of AWS, SMS and Claude Opus", "the status of AWS, SMS and Claude Opus"),
    ],
)
def test_an_acronyms_plural_is_its_singular(text, singular):
    assert singular_acronyms(text) == singular


def test_an_acronyms_plural_meets_its_singular_in_content_words():
    assert content_words("GPUs") == content_words("gpus") == content_words("a GPU") == {"gpu"}
    assert content_words("LLMs") == content_words("LLM") == {"llm"}


def test_content_words_are_stems_without_stop_words():
    assert content_words("The scaling of the models scales") == {"scale", "model"}
    assert content_words("what is it?") == set()
    assert content_words("who is doing blitzscaling?") == {"blitzscal"}  # "doing" is no topic ("do" is a stop word)


def test_stems_match_one_word_at_a_time():
    assert (
        stems(["rising", "falls", "growth"])
        == [stem("rising"), stem("falls"), stem("growth")]
        == ["rise", "fall", "growth"]
    )


def test_stemming_from_many_threads_gives_the_same_stems():
    expected = stems(["accelerating", "correction", "bankruptcies"] * 50)
    results, errors = [], []

    def work():
        try:
            for _ in range(200):
                results.append(stems(["accelerating", "correction", "bankruptcies"] * 50) == expected)
        except Exception as exc:  # any failure in a thread fails the test below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and all(results) and len(results) == 800


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("Scale fast. Then slow down!", ["Scale fast.", "Then slow down!"]),
        ("Is it real? maybe not", ["Is it real?", "maybe not"]),  # ? before white space always ends one
        ("He said “stop.” Then he left.", ["He said “stop.”", "Then he left."]),
        ("Revenue grew in 2023. 2024 was flat.", ["Revenue grew in 2023.", "2024 was flat."]),
        ("It fell. [2] Next claim.", ["It fell.", "[2] Next claim."]),
        ("A lowercase start. is not a new sentence", ["A lowercase start. is not a new sentence"]),
    ],
)
def test_sentence_ends(text, sentences):
    assert split_sentences(text) == sentences


@pytest.mark.parametrize(
    "text",
    [
        "Chips differ (e.g. Intel’s x86) from models.",
        "The New York Times v. OpenAI case was settled.",
        "Slack vs. Microsoft Teams is the example.",
        "Exports to the U.S. Commerce Department fell.",
        "See p. 12 and No. 5 of the list.",
        "J. R. R. Tolkien wrote it.",
        "Efficiency gains, i.e. Jevons, raise demand.",
    ],
)
def test_abbreviations_and_initials_end_no_sentence(text):
    assert split_sentences(text) == [text]


def test_a_word_that_is_an_abbreviation_only_before_a_number_ends_a_sentence_before_a_word():
    assert split_sentences("The answer was no. Then it changed.") == ["The answer was no.", "Then it changed."]


def test_line_breaks_end_sentences_but_not_spans():
    text = "First line\nsecond line. Third one."
    assert split_sentences(text) == ["First line", "second line.", "Third one."]
    assert [text[s:e] for s, e in sentence_spans(text)] == ["First line\nsecond line.", "Third one."]


def test_spans_stay_inside_the_range_asked_for():
    text = "Ignore. Alpha one. Beta two. Ignore too."
    start, end = text.index("Alpha"), text.index(" Ignore too")
    assert [text[s:e] for s, e in sentence_spans(text, start, end)] == ["Alpha one.", "Beta two."]


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("What does the Jevons essay say?", ("Jevons essay",)),
        ("In Jevons essay, what is the rebound effect?", ("Jevons essay",)),
        ("Jevons essay: what does it say?", ("Jevons essay",)),
        ("Compare Jevons essay with flywheel essay", ("Jevons essay", "flywheel essay")),
        ("What is Meta's current stance?", ()),  # an adjective after a question word
        ("Does Anthropic post higher revenue?", ()),  # a verb
        ("Is Meta currently winning?", ()),  # inside a word
        # several of one kind named together: each, with the kind word
        ("compare the Jevons and flywheel essays", ("Jevons essay", "flywheel essay")),
        (
            "In the Sovereignty, Efficiency Revolution and Financial Correction chapters, what fired?",
            ("Sovereignty chapter", "Efficiency Revolution chapter", "Financial Correction chapter"),
        ),
        ("Do both essays agree?", ()),  # no names
        (  # each name from after its last determiner or preposition
            "What are the different trigger signals in the Sovereignty and Financial Correction chapters?",
            ("Sovereignty chapter", "Financial Correction chapter"),
        ),
        ("the Jevons essay and other posts", ("Jevons essay",)),  # "other" names nothing
        ("What does the All-In podcast say?", ("All-In podcast",)),  # "in" inside a name opens nothing
    ],
)
def test_document_references_opened_by_a_determiner_a_preposition_or_a_clause_start(text, references):
    assert document_references(text, determined=True) == references


@pytest.mark.parametrize(
    ("text", "references"),
    [
        ("What does the Jevons essay say?", ("Jevons essay",)),
        ("How does the Last Week in AI digest see it?", ("Last Week in AI digest",)),
        # a clause that ends in a kind's word: only what follows the last word no name holds
        ("In the trigger drill worksheet, how many questions do you answer for each current?", ("current",)),
        ("Which current does the booklet say matters most?", ("current", "booklet")),
        # words a title holds stay in it
        ("What does the Hype Cycle is Dead essay recommend?", ("Hype Cycle is Dead essay",)),
        ("the Why OpenAI Lost Enterprise to Anthropic essay", ("Why OpenAI Lost Enterprise to Anthropic essay",)),
    ],
)
def test_document_references_start_after_a_determiner_or_a_word_no_name_holds(text, references):
    assert document_references(text) == references


def test_hyphenated_words_are_also_indexed_as_one_word():
    assert compound_words("GPU accumulation creates non-linear returns before pre-training") == {
        "nonlinear",
        "pretrain",
    }
    assert {"non", "linear", "nonlinear"} <= indexed_words("non-linear returns")
    assert compound_words("no hyphen here") == set()


def test_a_gloss_in_parentheses_is_left_out():
    assert without_glosses("what are the triggers for Continued Scaling (the six currents)?") == (
        "what are the triggers for Continued Scaling?"
    )
