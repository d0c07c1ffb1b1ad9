import pytest

from service.request_frame import is_request, without_answer_style, without_request


@pytest.mark.parametrize(
    ("message", "topic"),
    [
        ("Tell me about blitzscaling", "blitzscaling"),
        ("Then tell me what blitzscaling is.", "what blitzscaling is."),
        ("ok, can you explain the death zone to me?", "the death zone?"),
        ("give me a quick overview of the Sovereignty current", "the Sovereignty current"),
        ("Give me a one-sentence summary of the flywheel essay.", "the flywheel essay."),
        ("give me a quick high-level overview of blitzscaling", "blitzscaling"),
        ("I'd like to know more about webvan", "webvan"),
        ("help me understand the platform paradox", "the platform paradox"),
        ("talk me through the RLHF approach", "the RLHF approach"),
        ("tl;dr blitzscaling", "blitzscaling"),
        ("TLDR of the platform paradox", "the platform paradox"),
        ("tl;dr", "tl;dr"),  # nothing but the request
        ("tldr; what is blitzscaling?", "what is blitzscaling?"),
        ("What is blitzscaling?", "What is blitzscaling?"),  # no request around it
        ("tell me", "tell me"),  # nothing but the request
        ("explain like I'm five why Meta's AI spend backfired", "explain like I'm five why Meta's AI spend backfired"),
        ("Explain it to me like I'm new here", "Explain it to me like I'm new here"),  # how to answer, not what
        # how to answer after what: what is left is the topic
        ("Explain Hours and Dollars like I'm a 12-year-old", "Hours and Dollars"),
        ("explain blitzscaling to a new hire", "blitzscaling"),
        ("explain the death zone in plain English?", "the death zone"),
        # how to answer only at the end, and only so: topic words are kept
        ("explain what happens to a kid who skips school", "what happens to a kid who skips school"),
        ("explain how companies respond to a new tax law", "how companies respond to a new tax law"),
        ("explain why it feels like you're always behind in AI", "why it feels like you're always behind in AI"),
        ("Give me a checklist for our quarterly trigger review", "our quarterly trigger review"),
        ("give me a summary for my boss", "for my boss"),  # no "summary for": nothing asked of it
        # "for me" / "to me" right after the request is the request's
        (
            "Summarise for me the knock-on effects the podcast warns about.",
            "the knock-on effects the podcast warns about.",
        ),
        ("describe to me the death zone", "the death zone"),
        ("explain to me like I'm five why GPUs matter", "explain to me like I'm five why GPUs matter"),
        # what the collection as a whole says: the topic alone ("the booklet" is one document, judged as named)
        ("What does the corpus say about George Hotz?", "George Hotz?"),
        # which of its documents speak of something
        ("Which essays talk about Meta?", "Meta?"),
        ("which chapters mention vendor concentration?", "vendor concentration?"),
        # whether the collection speaks of something
        ("Does the corpus mention Nvidia?", "Nvidia?"),
        ("do the sources cover CUDA?", "CUDA?"),
        ("does the corpus say anything about Apple?", "Apple?"),
        ("Does the booklet mention Nvidia?", "Does the booklet mention Nvidia?"),  # one document, judged as named
        ("what do your sources say about CUDA?", "CUDA?"),
        ("do you have anything on Webvan?", "Webvan?"),
        ("What does the booklet say about China?", "What does the booklet say about China?"),
        ("what do the documents have in common?", "what do the documents have in common?"),
        (  # a second sentence is a question of its own, kept
            "explain RLVR to me like I've never trained a model. what is it chasing?",
            "RLVR to me like I've never trained a model. what is it chasing?",
        ),
    ],
)
def test_the_request_around_a_question_is_told_from_its_topic(message, topic):
    assert without_request(message) == topic


@pytest.mark.parametrize(
    ("message", "requested"),
    [
        ("tell me about midjourney", True),
        ("Summarise for me the knock-on effects the podcast warns about.", True),
        ("What is blitzscaling?", False),
        ("explain like I'm five why Meta's AI spend backfired", False),  # how to answer: a question all the same
        ("tell me", False),  # nothing but the request: no subject of its own
    ],
)
def test_a_request_is_told_from_a_question_by_the_subject_it_leaves(message, requested):
    assert is_request(message) is requested


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("explain in simple terms what training an AI model actually is", "what training an AI model actually is"),
        ("Explain like I'm five how a RAG setup works", "how a RAG setup works"),
        ("explain like i'm 5 the capability treadmill idea", "the capability treadmill idea"),
        ("explain like I'm a 12-year-old why GPUs matter", "why GPUs matter"),
        ("ELI5: tell me about blitzscaling", "tell me about blitzscaling"),  # a request still, ranked as one
        ("ELI5: the jevons paradox", "the jevons paradox"),
        ("In plain English, what is the death zone?", "what is the death zone?"),
        ("what is the death zone, in plain English?", "what is the death zone?"),
        # words that only look so inside a question, or nothing else asked: kept whole
        (
            "Why does AI feel like I'm training my own replacement?",
            "Why does AI feel like I'm training my own replacement?",
        ),
        ("What should I say to a new hire?", "What should I say to a new hire?"),
        ("Which essay is written in simple terms?", "Which essay is written in simple terms?"),
        ("Is it like I'm five years behind?", "Is it like I'm five years behind?"),
        ("explain simply-put ideas", "explain simply-put ideas"),
        ("What is blitzscaling?", "What is blitzscaling?"),
        ("explain like I'm five", "explain like I'm five"),
    ],
)
def test_how_to_answer_is_told_from_what_is_asked(message, asked):
    assert without_answer_style(message) == asked
