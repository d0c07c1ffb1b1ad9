"""Retrieval measured by how soon the reader reaches the answer, on hand-made rankings with exact word offsets."""

from service.corpus.chunking import Chunk
from service.evals.golden import Passage, RetrievalCase
from service.evals.retrieval import RankedCase, failures, metrics, passage_holders, relevant_chunks, words_to_answer


def chunk(id: str, document: str, text: str, section_path: str = "Body", ordinal: int = 0) -> Chunk:
    return Chunk(
        id=id,
        document_id=document,
        document_title=document,
        section=section_path,
        section_path=section_path,
        text=text,
        ordinal=ordinal,
        kind="essay",
        current=None,
    )


# Word counts: a = 10, b = 9 ("## " and "- " are Markdown markers, not words), c = 6.
A = chunk("a", "alpha", "one two three four five six seven eight nine ten")
B = chunk("b", "beta", "## Costs\n- prices fell by ninety percent in two years", ordinal=0)
C = chunk("c", "beta", "more text follows under the heading", section_path="Body > The Death Zone", ordinal=1)
CHUNKS = [A, B, C]


def reach(case: RetrievalCase, ranking: list[Chunk]) -> int | None:
    return words_to_answer(case, ranking, passage_holders(case, CHUNKS))


def test_the_answer_is_reached_where_the_passage_ends_counting_the_chunks_ranked_above():
    case = RetrievalCase(id="q", question="?", document="beta", passage="fell by ninety percent")
    assert reach(case, [B]) == 6  # Costs prices fell by ninety percent
    assert reach(case, [A, B]) == 16  # all 10 words of a, then 6 of b
    assert reach(case, [C, A, B]) == 22
    assert reach(case, [A, C]) is None  # the passage is not in the ranking


def test_a_heading_passage_is_reached_at_the_end_of_its_first_chunk():
    case = RetrievalCase(id="q", question="?", document="beta", passage="The Death Zone")
    assert relevant_chunks(case, CHUNKS) == {"c"}
    assert reach(case, [A, C]) == 16


def test_a_multi_document_case_is_reached_when_all_its_passages_are():
    case = RetrievalCase(
        id="m",
        kind="multi_doc",
        question="?",
        passages=[
            Passage(document="alpha", passage="three four"),
            Passage(document="beta", passage="two years"),
        ],
    )
    assert reach(case, [A, B]) == 19  # a's passage at 4, b's at 10 + 9
    assert reach(case, [B, A]) == 13  # b's passage at 9, a's at 9 + 4
    assert reach(case, [A, C]) is None  # b's passage never comes
    unfindable = RetrievalCase(id="u", question="?", document="beta", passage="not in the corpus")
    assert reach(unfindable, [A, B, C]) is None


def test_reached_at_a_word_budget_is_the_share_of_cases_within_it():
    case = RetrievalCase(id="q", question="?", document="beta", passage="x")

    def ranked(id: str, rank: int | None, words: int | None) -> RankedCase:
        ranking = (("a", 2.0), ("b", 1.0)) if rank == 2 else (("b", 2.0), ("a", 1.0)) if rank == 1 else (("a", 2.0),)
        return RankedCase(case.model_copy(update={"id": id}), rank, ranking[0][0], frozenset({"b"}), ranking, words)

    cases = [ranked("q1", 1, 150), ranked("q2", 2, 151), ranked("q3", 2, 300), ranked("q4", None, None)]
    scores = metrics(cases)
    assert (scores["reached@150w"], scores["reached@300w"]) == (0.25, 0.75)
    assert (scores["recall@1"], scores["recall@5"]) == (0.25, 0.75)
    assert [f["metric"] for f in failures(cases[1])] == []
    assert failures(cases[3]) == [
        {"metric": "recall@5", "detail": "passage ranked below 20"},
        {"metric": "reached@300w", "detail": "answer reached not in the top 20 chunks"},
    ]
    assert failures(ranked("q5", 2, 301)) == [{"metric": "reached@300w", "detail": "answer reached after 301 words"}]
