import pytest

from service.answering.origin import names_originator, origin_asked


@pytest.mark.parametrize(
    ("question", "idea"),
    [
        ("Who came up with the idea of blitzscaling?", "blitzscaling"),
        ("Who coined the term creative destruction?", "creative destruction"),
        ("who first described the Jevons paradox?", "Jevons paradox"),
        ("whose idea was blitzscaling?", "blitzscaling"),
        # when it was first described, which the sentence naming who described it says
        ("When was the Jevons paradox first described?", "Jevons paradox"),
        ("when was the term blitzscaling coined?", "blitzscaling"),
        ("When was GPT-4 released?", None),  # a release, no idea's origin
        ("who wrote about the innovator's dilemma first?", "innovator's dilemma"),
        ("who wrote about Meta?", None),  # which essay does, not whose idea a company is
        ("Who runs Meta?", None),
        ("Who came up with it?", None),  # no idea named: a follow-up, made standalone before this is read
    ],
)
def test_a_question_asking_who_an_idea_comes_from_names_the_idea(question, idea):
    assert origin_asked(question) == idea


LOWERCASE = frozenset({"logic", "hype", "cycle"})


@pytest.mark.parametrize(
    ("sentence", "idea", "context", "named"),
    [
        ("Reid Hoffman’s blitzscaling philosophy—prioritizing speed over efficiency.", "blitzscaling", "", True),
        ("Joseph Schumpeter described capitalism as “creative destruction”.", "creative destruction", "", True),
        # the idea's other word in the passage's document title
        (
            "In 1865, economist William Stanley Jevons observed that ...",
            "Jevons paradox",
            "The Jevons Paradox in AI",
            True,
        ),
        # a company's possessive, a place, a label of common words: nobody
        ("Meta’s blitzscaling bet is the largest.", "blitzscaling", "", False),
        ("The race is blitzscaling at scale in Silicon Valley.", "blitzscaling", "", False),
        ("Blitzscaling Logic: Can’t win efficiently, might win expensively", "blitzscaling", "", False),
        ("The Gartner Hype Cycle has predicted technology adoption for 30 years.", "hype cycle", "", False),
        # the idea not in the sentence
        ("Reid Hoffman wrote a book.", "blitzscaling", "Blitzscaling AI", False),
    ],
)
def test_a_sentence_names_who_an_idea_comes_from_by_a_persons_name(sentence, idea, context, named):
    assert names_originator(sentence, idea, context, LOWERCASE) is named
