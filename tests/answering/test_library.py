from dataclasses import replace

import pytest

from service.answering.library import (
    LibraryQuestion,
    about_work,
    catalogue,
    kind_mentioning,
    library_asked,
    mentioning,
    mentions_asked,
    works,
    works_by,
)
from service.corpus.chunking import Chunk


@pytest.mark.parametrize(
    "question",
    [
        "what documents do you have?",
        "Which sources do you use?",
        "what's in the corpus?",
        "hi, what can you help me with?",
        "what can I ask you about?",
        "what topics do you cover?",
        "what kinds of questions can you answer?",
    ],
)
def test_what_the_corpus_holds_is_a_catalogue_question(question):
    assert library_asked(question) == LibraryQuestion("catalogue")


@pytest.mark.parametrize("question", ["list all the essays", "which essays are there?", "what articles do you have?"])
def test_a_catalogue_of_essays_is_asked_for_by_their_kind(question):
    assert library_asked(question) == LibraryQuestion("catalogue", works_of="essay")


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("who wrote the Jevons essay?", LibraryQuestion("author", "the Jevons essay")),
        ("Who is the author of the booklet?", LibraryQuestion("author", "the booklet")),
        ("when was the platform paradox essay published?", LibraryQuestion("date", "the platform paradox essay")),
        ("what's the date of the podcast digest?", LibraryQuestion("date", "the podcast digest")),
        ("where was the flywheel essay published?", LibraryQuestion("publication", "the flywheel essay")),
        ("who published the Jevons essay?", LibraryQuestion("publication", "the Jevons essay")),
        # who someone is, or what they wrote: the service answers it so only for an author of the corpus (works_by)
        ("Who is Gennaro Cuofano?", LibraryQuestion("writer", "Gennaro Cuofano")),
        ("what did Robert Barcik write?", LibraryQuestion("writer", "Robert Barcik")),
    ],
)
def test_who_wrote_a_document_and_when_or_where_it_appeared_are_asked_of_a_reference(question, asked):
    assert library_asked(question) == asked


@pytest.mark.parametrize(
    "question",
    [
        "what can you tell me about blitzscaling?",  # a request about a topic
        "what documents does the Sovereignty current say enterprises must keep?",
        "which essays discuss Meta?",
        "what is this?",  # a follow-up about what was shown, not about the assistant
        "who wrote the rules of the hype cycle, and did AI break them?",
        "who is behind the Financial Correction current?",  # what drives a trend
        "how old is the Continued Scaling current?",
        "what can I do?",  # about the asker's situation
    ],
)
def test_questions_about_topics_are_not_about_the_corpus(question):
    assert library_asked(question) is None


def opening(document_id: str, title: str, kind: str = "essay", **meta) -> Chunk:
    return Chunk(
        id=f"{document_id}:0",
        document_id=document_id,
        document_title=title,
        section=None,
        section_path="",
        text=f"The opening line of {title}.\n\nMore.",
        ordinal=0,
        kind=kind,
        current=None,
        **meta,
    )


OPENINGS = [
    opening("jevons", "The Jevons Paradox in AI", author="Ann Author", publication="FourWeekMBA", date="2025-09-04"),
    opening("intro", "A Booklet", "booklet chapter", author="Bo Writer", date="2026"),
    opening("one", "First Current", "booklet chapter", author="Bo Writer", date="2026", series="A Booklet"),
    opening("digest", "The Digest", "digest", publication="A Podcast"),
]


def test_a_booklets_chapters_are_one_work_under_its_introductions_title():
    assert [(w.title, w.kind, len(w.openings)) for w in works(OPENINGS)] == [
        ("A Booklet", "booklet", 2),
        ("The Digest", "digest", 1),
        ("The Jevons Paradox in AI", "essay", 1),
    ]


def test_the_catalogue_cites_every_document_by_its_opening_line():
    answer = catalogue(works(OPENINGS))
    assert [c.chunk.document_id for c in answer.citations] == ["intro", "one", "digest", "jevons"]
    assert all(c.quote == f"The opening line of {c.chunk.document_title}." for c in answer.citations)
    assert "“A Booklet” — booklet by Bo Writer, 2026, in 2 chapters: its introduction [1], First Current [2]" in (
        answer.text
    )
    assert "“The Jevons Paradox in AI” — essay by Ann Author, FourWeekMBA, 4 September 2025 [4]" in answer.text


def test_a_catalogue_of_one_kind_lists_only_those_and_says_what_else_there_is():
    answer = catalogue(works(OPENINGS), "essay")
    assert [c.chunk.document_id for c in answer.citations] == ["jevons"]
    assert answer.text.startswith("The corpus holds 1 essay (besides a booklet and a digest):")


def test_what_the_front_matter_records_is_stated_and_cited_and_what_it_lacks_is_said_plainly():
    jevons, digest = works(OPENINGS)[2], works(OPENINGS)[1]
    stated = about_work(jevons, "author")
    assert stated.text == (
        "“The Jevons Paradox in AI” is an essay by Ann Author, published in FourWeekMBA on 4 September 2025 [1]."
    )
    assert [c.chunk.document_id for c in stated.citations] == ["jevons"] and not stated.refused
    lacking = about_work(digest, "author")
    assert lacking.refused and not lacking.citations
    assert lacking.text.startswith("The corpus does not record who wrote “The Digest”.")
    assert "published in A Podcast" in lacking.text


def test_who_an_author_is_is_the_works_they_wrote_and_anyone_else_is_no_author():
    written = works_by(works(OPENINGS), "Bo Writer")
    assert written is not None and [c.chunk.document_id for c in written.citations] == ["intro"]
    assert written.text.startswith("Bo Writer is the author of one of the works I answer from")
    assert "“A Booklet” — booklet by Bo Writer, 2026 [1]" in written.text
    assert works_by(works(OPENINGS), "Writer") is not None  # by a surname alone
    assert works_by(works(OPENINGS), "Reid Hoffman") is None  # named in a passage, the author of none


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Which essays talk about Meta?", "Meta"),
        ("which chapters mention vendor concentration?", "vendor concentration"),
        ("Where does the corpus mention CUDA?", "CUDA"),
        ("which documents discuss 'RLVR'?", "RLVR"),
        ("What does the corpus say about Meta?", None),  # what it says, not where
        ("Which essay is the longest?", None),
        # a leading article is no part of the name; a dotted name is one
        ("which essays mention the Jevons paradox?", "Jevons paradox"),
        ("which documents mention Pets.com?", "Pets.com"),
        ("which essays mention GPT-5.4?", "GPT-5.4"),
        # a pronoun or no word at all names nothing
        ("Which essays mention this?", None),
        ("which essays talk about it?", None),
        ("which essays mention - ?", None),
    ],
)
def test_which_documents_mention_something_is_asked_of_a_name(question, name):
    assert mentions_asked(question) == name


def test_the_documents_mentioning_a_name_are_listed_most_mentions_first_each_cited_where_it_first_names_it():
    chunks = [
        opening("jevons", "The Jevons Paradox in AI"),
        Chunk(
            id="digest:1",
            document_id="digest",
            document_title="The Digest",
            section="Runtime",
            section_path="Runtime",
            text="Meta bought Manus. Then Meta's runtime grew.\n\n- A vendor-concentration risk, says Meta.",
            ordinal=1,
            kind="digest",
            current=None,
        ),
        replace(opening("booklet", "A Booklet"), text="Nothing here.\n\nThe metaverse is not Meta’s only bet."),
    ]
    answer = mentioning(chunks, "Meta")
    assert [c.chunk.document_id for c in answer.citations] == ["digest", "booklet"]  # 3 mentions, then 1
    assert [c.quote for c in answer.citations] == ["Meta bought Manus.", "The metaverse is not Meta’s only bet."]
    assert answer.text.startswith("“Meta” is mentioned in 2 documents of the corpus:")
    assert "3 mentions [1]" in answer.text and "1 mention [2]" in answer.text
    # a phrase, hyphenated or not; a name no document writes is no answer
    assert [c.chunk.document_id for c in mentioning(chunks, "vendor concentration").citations] == ["digest"]
    assert mentioning(chunks, "Groq") is None
    # typed with a capital, the name as written ("the metaverse" is no Meta); typed in lower case, any case
    assert [c.chunk.document_id for c in mentioning(chunks, "Meta").citations] == ["digest", "booklet"]
    assert [c.chunk.document_id for c in mentioning(chunks, "runtime").citations] == ["digest"]
    assert mentioning(chunks, "RUNTIME") is None


def test_a_name_with_an_apostrophe_is_found_however_the_apostrophe_is_typed():
    chunks = [replace(opening("essay", "An Essay"), text="The Innovator’s Dilemma returns.")]
    assert [c.quote for c in mentioning(chunks, "innovator's dilemma").citations] == [
        "The Innovator’s Dilemma returns."
    ]


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Which chapters mention agents?", "booklet chapter"),
        ("which essays talk about Meta?", "essay"),
        ("Which documents mention Groq?", ""),
        ("where does the corpus mention CUDA?", ""),
    ],
)
def test_the_kind_of_document_asked_which_of_mention_something(question, kind):
    assert kind_mentioning(question) == kind
