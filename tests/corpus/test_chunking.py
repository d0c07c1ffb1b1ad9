from service.corpus.chunking import Chunk, chunk_document, chunk_sentences, text_blocks
from service.corpus.documents import load_corpus, load_document
from service.settings import PROJECT_ROOT
from tests.conftest import write_doc

BODY = """# Title

Intro paragraph before any section.

## First Section

One sentence here. Another sentence there.

- item one
- item two

## Second Section

### Deeper

A paragraph in a sub-section.
"""


def test_chunks_never_cross_sections_and_carry_headings(tmp_path):
    doc = load_document(write_doc(tmp_path, "d.md", "Title", BODY))
    chunks = chunk_document(doc, max_words=100, model_name="m")
    assert [(c.section, c.section_path) for c in chunks] == [
        (None, ""),
        ("First Section", "First Section"),
        ("Deeper", "Second Section › Deeper"),
    ]
    assert chunks[1].text == "One sentence here. Another sentence there.\n\n- item one\n- item two"
    assert chunks[2].embedded_text.startswith("Title — Second Section › Deeper\n")


def test_chunks_carry_their_documents_front_matter_through_the_store(tmp_path):
    path = write_doc(
        tmp_path,
        "d.md",
        "Title",
        BODY,
        publication='"Last Week in AI (podcast digest)"',
        author="Ann Author",
        date="2025-09-04",
        series='"A Booklet"',
    )
    chunks = chunk_document(load_document(path), max_words=100, model_name="m")
    assert {(c.publication, c.author, c.date, c.series) for c in chunks} == {
        ("Last Week in AI (podcast digest)", "Ann Author", "2025-09-04", "A Booklet")
    }
    assert [Chunk.from_store(c.id, c.text, c.metadata()) for c in chunks] == chunks


def test_every_chunk_is_a_verbatim_slice_of_its_document():
    for doc in load_corpus(PROJECT_ROOT / "corpus"):
        for chunk in chunk_document(doc, max_words=110, model_name="m"):
            assert chunk.text in doc.body, chunk.id


def test_long_blocks_split_at_sentence_ends_within_the_limit(tmp_path):
    sentence = "This sentence has exactly eight words in it. "
    doc = load_document(write_doc(tmp_path, "long.md", "Long", "## S\n\n" + sentence * 30))
    chunks = chunk_document(doc, max_words=40, model_name="m")
    assert len(chunks) == 6
    assert all(len(c.text.split()) <= 40 and c.text.endswith("in it.") for c in chunks)


def test_ids_are_content_hashes(tmp_path):
    path = write_doc(tmp_path, "d.md", "Title", BODY)
    first = [c.id for c in chunk_document(load_document(path), 100, "m")]
    assert first == [c.id for c in chunk_document(load_document(path), 100, "m")]
    assert first != [c.id for c in chunk_document(load_document(path), 100, "other-model")]
    path.write_text(path.read_text().replace("item two", "item 2"))
    changed = [c.id for c in chunk_document(load_document(path), 100, "m")]
    assert changed[0] == first[0] and changed[1] != first[1] and changed[2] == first[2]


def test_sentences_of_a_chunk_drop_list_markers_and_fragments():
    text = "First sentence is here. Second one follows!\n\n- A list item with words\n- tiny"
    assert chunk_sentences(text) == ["First sentence is here.", "Second one follows!", "A list item with words"]


def test_text_blocks_name_each_top_level_block_of_a_chunk():
    text = "Five stages:\n\n- Family: proof\n- Tribe: fit\n  - a sub-item\n\n| Model | Cost |\n|---|---|\n| GPT-4 | $60 |\n\nOne sentence. Two."
    blocks = [(b.kind, text[b.start : b.end]) for b in text_blocks(text)]
    assert blocks == [
        ("paragraph", "Five stages:"),
        ("item", "- Family: proof"),
        ("item", "- Tribe: fit\n  - a sub-item"),
        ("table", "| Model | Cost |\n|---|---|\n| GPT-4 | $60 |"),
        ("paragraph", "One sentence. Two."),
    ]
