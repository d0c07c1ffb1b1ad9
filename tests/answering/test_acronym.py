"""What an acronym stands for is answered by the sentence of the corpus that spells it out."""

import pytest

from service.answering.acronym import acronym_asked, expansion_in


@pytest.mark.parametrize(
    ("question", "acronym"),
    [
        ("What does RLVR stand for?", "RLVR"),
        ("what's RAG short for?", "RAG"),
        ("what does maya stand for", "maya"),
        ("What is the acronym MAYA?", "MAYA"),
        ("What does “RLVR” stand for?", "RLVR"),
        ("What does RLVR stand for in AI?", "RLVR"),
        ("What does RLVR mean?", "RLVR"),  # a word in capitals
        ("What do LPUs stand for?", "LPU"),  # the plural's acronym
        ("What does blitzscaling mean?", None),  # a meaning, asked of a word: a definition
        ("What does it stand for?", None),  # a follow-up's "it"
        ("What does the essay say about RLVR?", None),
        # a keyword query or "the meaning of": the acronym, however typed
        ("RLVR meaning", "RLVR"),
        ("rlaif meaning", "rlaif"),
        ("RAG full form", "RAG"),
        ("meaning of RLHF", "RLHF"),
        ("what's the full form of RLVR?", "RLVR"),
        ("the meaning of it", None),
    ],
)
def test_the_acronym_a_question_asks_the_meaning_of(question, acronym):
    assert acronym_asked(question) == acronym


@pytest.mark.parametrize(
    ("sentence", "acronym", "expansion"),
    [
        (
            "The enterprise path is optimized for RLVR (Reinforcement Learning via Verification and Results)—models ...",
            "RLVR",
            "Reinforcement Learning via Verification and Results",
        ),
        (
            "they commonly deploy a Retrieval Augmented Generation (RAG) architecture.",
            "RAG",
            "Retrieval Augmented Generation",
        ),
        ("the MAYA (Most Advanced Yet Acceptable) principle tells us ...", "maya", "Most Advanced Yet Acceptable"),
        # a word in capitals gives all its letters
        (
            "a process called Reinforcement Learning from AI Feedback (RLAIF)",
            "RLAIF",
            "Reinforcement Learning from AI Feedback",
        ),
        ("Groq's Language Processing Units (LPUs) into NVIDIA's architecture", "LPU", "Language Processing Units"),
        ("a Retrieval-Augmented Generation (RAG) stack", "RAG", "Retrieval-Augmented Generation"),
        ("RLVR (the enterprise path) is precise.", "RLVR", None),  # no spelling-out: other words in parentheses
        ("NVIDIA (the chip maker) leads.", "NVIDIA", None),
    ],
)
def test_the_expansion_a_sentence_spells_out(sentence, acronym, expansion):
    assert expansion_in(sentence, acronym) == expansion


@pytest.mark.parametrize(
    ("question", "marked"),
    [
        ("What does RLVR stand for?", "RLVR (Reinforcement Learning via Verification and Results)"),
        ("what does maya stand for", "MAYA (Most Advanced Yet Acceptable)"),
        ("rlvr meaning", "RLVR (Reinforcement Learning via Verification and Results)"),
        ("meaning of RLAIF", "Reinforcement Learning from AI Feedback (RLAIF)"),
    ],
)
async def test_what_an_acronym_stands_for_is_answered_by_its_spelling_out(corpus_services, question, marked):
    answer = await corpus_services.answers.ask(question)
    assert answer.supported, answer.answer
    bold = answer.answer.split("**")[1]
    assert marked in bold


async def test_an_acronym_the_corpus_never_spells_out_is_left_to_the_classifier(corpus_services):
    prepared = await corpus_services.answers.examine("What does TSMC stand for?")
    assert not prepared.coverage.covered
