import random

from service.evals.golden import RetrievalCase
from service.evals.typos import measure, with_typo


def test_a_typo_swaps_two_inner_letters_of_one_long_word():
    question = "what does the platform paradox say?"
    typo = with_typo(question, random.Random(0))
    assert typo is not None and typo != question and len(typo) == len(question)
    changed = [(a, b) for a, b in zip(question.split(), typo.split(), strict=True) if a != b]
    assert len(changed) == 1 and sorted(changed[0][0]) == sorted(changed[0][1])
    assert changed[0][1][0] == changed[0][0][0] and changed[0][1][-1] == changed[0][0][-1]
    assert with_typo(question, random.Random(0)) == typo  # the same each run
    assert with_typo("what is AI?", random.Random(0)) is None  # no word long enough


async def test_the_tallies_count_answers_and_first_citations(corpus_services):
    cases = [
        RetrievalCase(id="a", question="What is the platform paradox?", document="platform-paradox"),
        RetrievalCase(id="b", kind="out_of_scope", question="When should I plant tomatoes?", must_refuse=True),
    ]
    in_scope, out_of_scope = await measure(corpus_services, cases)
    assert (in_scope.asked, in_scope.answered, in_scope.cited) == (1, 1, 1)
    assert (out_of_scope.asked, out_of_scope.answered) == (1, 0)
