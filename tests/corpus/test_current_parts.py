from service.corpus.chunking import chunk_document
from service.corpus.current_parts import TRIGGER_SECTION, is_data_line, part_spans, trigger_items
from service.corpus.documents import load_document
from tests.conftest import write_doc

CHAPTER = f"""# Sovereignty

“What if your vendor isn’t allowed to sell to you?”

Sovereignty stopped being a paranoid’s concern.

## {TRIGGER_SECTION}

- New rules require on-shore inference
- Counter-trigger: a diplomatic settlement re-normalizes vendor access

Data: court filings • vendor releases
"""


def _chunks(tmp_path, body=CHAPTER):
    path = write_doc(tmp_path, "c.md", "Sovereignty", body, current="Sovereignty", kind='"booklet chapter"')
    return chunk_document(load_document(path), max_words=200, model_name="m")


def _texts(chunks, part):
    return [chunk.text[start:end] for chunk, start, end in part_spans(chunks, part)]


def test_each_part_of_a_current_is_a_verbatim_span_of_its_chapter(tmp_path):
    chunks = _chunks(tmp_path)
    assert _texts(chunks, "framing question") == ["“What if your vendor isn’t allowed to sell to you?”"]
    assert _texts(chunks, "data sources") == ["Data: court filings • vendor releases"]
    assert _texts(chunks, "counter-triggers") == [
        "- Counter-trigger: a diplomatic settlement re-normalizes vendor access"
    ]
    assert _texts(chunks, "triggers") == ["- New rules require on-shore inference"]


def test_trigger_items_tell_counter_triggers_from_triggers(tmp_path):
    items = [(m.group(1), counter) for c in _chunks(tmp_path) for m, counter in trigger_items(c)]
    assert items == [
        ("New rules require on-shore inference", False),
        ("Counter-trigger: a diplomatic settlement re-normalizes vendor access", True),
    ]


def test_a_chapter_without_a_part_has_no_span_of_it(tmp_path):
    body = CHAPTER.replace("“What if your vendor isn’t allowed to sell to you?”\n\n", "").replace(
        "- Counter-trigger: a diplomatic settlement re-normalizes vendor access\n", ""
    )
    chunks = _chunks(tmp_path, body)
    assert _texts(chunks, "framing question") == [] and _texts(chunks, "counter-triggers") == []


def test_a_data_line_is_told_by_its_label():
    assert is_data_line("Data: court filings • vendor releases")
    assert not is_data_line("The data suggest otherwise.")
