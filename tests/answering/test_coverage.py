from service.answering.coverage import CoverageJudge
from service.corpus.chunking import Chunk


def chunk(text: str) -> Chunk:
    return Chunk(id="d:1", document_id="d", document_title="Blitzscaling AI", section="The Death Zone", section_path="The Death Zone", text=text, ordinal=0, kind="essay", current=None)


judge = CoverageJudge([chunk("Meta’s $14.8 billion bet on 100,000 GPUs in 2025. OpenAI and Anthropic compete in the 19th round.")])


def test_named_things_the_corpus_never_mentions_are_unknown():
    assert judge.unknown_terms("What does Google DeepMind's AlphaFold do?") == ["Google", "DeepMind", "AlphaFold"]
    assert judge.unknown_terms("What did California's SB 1047 require?") == ["California", "SB", "1047"]


def test_known_names_numbers_ordinals_and_the_first_word_are_not():
    assert judge.unknown_terms("Why did Meta bet $14.8 billion on 100k GPUs in the 19th-century way?") == []
    assert judge.unknown_terms("Blitzscaling: what is it?") == []
    assert judge.unknown_terms("How do OpenAI and Anthropic's strategies differ?") == []
