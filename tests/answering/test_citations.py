from service.answering.citations import CitationVerifier, find_verbatim
from service.corpus.chunking import Chunk


def chunk(n: int, text: str) -> Chunk:
    return Chunk(
        id=f"doc:{n}",
        document_id="doc",
        document_title="Doc",
        section=f"S{n}",
        section_path=f"S{n}",
        text=text,
        ordinal=n,
        kind="essay",
        current=None,
    )


SOURCES = [
    chunk(1, "Companies with 1,000-10,000 GPUs face extinction. They are too small to compete."),
    chunk(2, "The Jevons paradox: cheaper tokens raise total consumption. Usage went up 1000x."),
]
verifier = CitationVerifier()


def test_verbatim_quotes_are_kept_and_markers_renumbered_in_citation_order():
    result = verifier.verify('Usage went up 1000x [2]. Firms with "1,000-10,000 GPUs face extinction" [1].', SOURCES)
    assert result.text == 'Usage went up 1000x [1]. Firms with "1,000-10,000 GPUs face extinction" [2].'
    assert [(c.chunk.id, c.quote) for c in result.citations] == [
        ("doc:2", "Usage went up 1000x."),
        ("doc:1", "1,000-10,000 GPUs face extinction"),
    ]
    assert result.unsupported_claims == [] and result.dropped == []


def test_a_misquote_is_repaired_to_the_sentence_that_supports_the_claim():
    result = verifier.verify('Mid-sized firms "with 1,000 to 10,000 GPUs will go extinct" [1].', SOURCES)
    assert [c.quote for c in result.citations] == ["Companies with 1,000-10,000 GPUs face extinction."]
    for citation in result.citations:
        assert citation.quote in citation.chunk.text


def test_a_marker_naming_a_missing_source_is_dropped_and_the_claim_flagged():
    result = verifier.verify("Quantum computers will replace GPUs by 2030 [7].", SOURCES)
    assert result.citations == [] and result.dropped == [{"marker": 7, "reason": "cites a source that was not given"}]
    assert result.unsupported_claims == ["Quantum computers will replace GPUs by 2030."]
    assert "[7]" not in result.text


def test_a_citation_whose_source_does_not_support_the_claim_is_dropped():
    result = verifier.verify("Quantum computers will replace GPUs by 2030 [1].", SOURCES)
    assert result.citations == [] and result.dropped[0]["reason"] == "the source does not support the claim"
    assert result.unsupported_claims


def test_an_answer_citing_nothing_gets_citations_only_where_a_source_clearly_says_it():
    result = verifier.verify("Cheaper tokens raise total consumption. Also the moon is made of cheese.", SOURCES)
    assert result.text == "Cheaper tokens raise total consumption [1]. Also the moon is made of cheese."
    assert [c.chunk.id for c in result.citations] == ["doc:2"]
    assert result.unsupported_claims == ["Also the moon is made of cheese."]


def test_a_refusal_is_recognised():
    result = verifier.verify("The sources do not cover this question.", SOURCES)
    assert result.refused and result.citations == [] and result.unsupported_claims == []


def test_find_verbatim_tolerates_whitespace_case_and_apostrophe_style():
    text = "Meta’s   platform paradox\ndemonstrates a fundamental truth"
    assert find_verbatim("meta's platform paradox demonstrates", text) == "Meta’s   platform paradox\ndemonstrates"
    assert find_verbatim("platform paradox proves", text) is None
