from pathlib import Path

import pytest

from service.corpus.documents import load_corpus, load_document
from service.errors import CorpusError
from service.settings import PROJECT_ROOT
from tests.conftest import CURRENT_NAMES, write_doc


def test_front_matter_is_the_metadata(tmp_path):
    path = write_doc(tmp_path, "a.md", "A Title", "Body text.", author="Someone", kind="essay", date="2025-09-05")
    doc = load_document(path)
    assert (doc.id, doc.title, doc.meta.kind, doc.meta.author, doc.meta.date) == (
        "a",
        "A Title",
        "essay",
        "Someone",
        "2025-09-05",
    )


def test_title_falls_back_to_the_first_heading(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("# My Own Notes\n\nSome text.", encoding="utf-8")
    assert load_document(path).title == "My Own Notes"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("---\ntitle: [unclosed\n---\ntext", "not valid YAML"),
        ("no front matter and no heading", "no title"),
        ("---\ntitle: Empty\n---\n\n", "no text"),
        ("---\ntitle: X\nchapter: not-a-number\n---\ntext", "chapter"),
        ("---\n- a\n- b\n---\ntext", "mapping"),
    ],
)
def test_malformed_documents_name_the_file_and_the_problem(tmp_path, content, problem):
    path = tmp_path / "broken.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CorpusError) as error:
        load_document(path)
    assert "broken.md" in error.value.message and problem in error.value.message


def test_non_utf8_document_is_rejected(tmp_path):
    path = tmp_path / "latin.md"
    path.write_bytes("---\ntitle: Caf\xe9\n---\ntext".encode("latin-1"))
    with pytest.raises(CorpusError, match="latin.md: not UTF-8"):
        load_document(path)


def test_missing_or_empty_corpus_folder(tmp_path):
    with pytest.raises(CorpusError, match="does not exist"):
        load_corpus(tmp_path / "nope")
    with pytest.raises(CorpusError, match="no Markdown"):
        load_corpus(tmp_path)


def test_project_corpus_loads_with_the_documents_of_the_design():
    docs = {d.id: d for d in load_corpus(PROJECT_ROOT / "corpus")}
    assert len(docs) == 23
    assert sum(d.meta.kind == "essay" and d.meta.publication == "FourWeekMBA" for d in docs.values()) == 10
    currents = sorted((d.meta.current_number, d.meta.current) for d in docs.values() if d.meta.current)
    assert [c for _, c in currents] == CURRENT_NAMES
    assert all(d.meta.source_file for d in docs.values())
    assert Path(docs["blitzscaling-ai"].path).name == "blitzscaling-ai.md"
