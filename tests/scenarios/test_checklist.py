"""Trigger checklists: why each signal matters, quoted from its current's chapter; no internal score shown."""

from __future__ import annotations

import json
import re

import pytest
import respx
from markdown_it import MarkdownIt

from service.scenarios.checklist import choose_currents
from service.scenarios.explanations import explain_signals
from tests.conftest import CURRENT_NAMES, FAKE_OPENAI, services_with_models
from tests.vendor_replies import openai_reply

BANK = "We are a European bank moving our support LLM from a US API to a self-hosted open-weight model"
#: A number shown as a score ("0.66"), not a year, a price or a percentage.
SCORE = re.compile(r"(?<![\d$€£.])[01]\.\d{2,}(?![\d%×x])")


def _chapter_text(services, current) -> str:
    return "\n".join(c.text for c in services.retriever.chunks if c.document_id == current.document_id)


@pytest.mark.parametrize("name", CURRENT_NAMES)
async def test_why_it_matters_quotes_a_different_sentence_of_the_chapter_for_each_item(corpus_services, name):
    checklist = await corpus_services.scenarios.checklist("a mid-sized insurer planning its AI budget", [name])
    current = corpus_services.scenarios.get_current(name)
    chapter = _chapter_text(corpus_services, current)
    whys = [item.why_it_matters for item in checklist.items]
    assert len(set(whys)) == len(whys) == len(current.signals)
    for item in checklist.items:
        quote = item.why_citation.quote
        assert item.why_it_matters == f"“{quote}”" and quote in chapter and quote not in item.signal
        assert item.why_citation.document.id == current.document_id and item.why_citation.chunk_id
        assert item.why_citation.section != "Trigger signals — what to watch for"
    assert checklist.model == "extractive"


def test_the_users_context_steers_which_sentence_is_quoted(corpus_services):
    retriever = corpus_services.retriever
    changed = 0
    for current in corpus_services.scenarios.list_currents():
        coding = explain_signals(current, "a software consultancy pricing agentic coding work by the hour", retriever)
        power = explain_signals(current, "a utility company deciding how much data-center power to build", retriever)
        assert coding.keys() == power.keys() == {s.signal for s in current.signals}
        changed += sum(coding[signal].sentence != power[signal].sentence for signal in coding)
    assert changed >= 2


async def test_no_internal_score_in_what_users_read(corpus_services):
    checklist = await corpus_services.scenarios.checklist(BANK)
    assert checklist.currents[0].name == "Sovereignty"
    shown = [
        checklist.markdown,
        *(c.reason for c in checklist.currents),
        *(i.why_it_matters for i in checklist.items),
    ]
    assert not [text for text in shown if "score" in text.lower() or SCORE.search(text)]
    _, matcher = corpus_services.scenarios._state()
    reasons = [reason for _, reason in choose_currents(BANK, corpus_services.scenarios.list_currents(), matcher)]
    assert reasons[0].startswith("its signal “EU enterprises shifting production workloads")


async def test_markdown_gives_each_item_its_own_line_and_cites_the_quoted_passage(corpus_services):
    checklist = await corpus_services.scenarios.checklist("a bank", ["Sovereignty"])
    items = checklist.items
    parsed = MarkdownIt("commonmark").parse(checklist.markdown)
    rendered_items = [
        parsed[i + 2].content
        for i, t in enumerate(parsed)
        if t.type == "list_item_open" and parsed[i + 2].type == "inline"
    ]
    checks = [text for text in rendered_items if "Why it matters:" in text]
    assert len(checks) == len(items)
    sources = {
        int(m.group(1)): m.group(2)
        for text in rendered_items
        for m in [re.match(r"\[(\d+)\] .*\(`([^`]+)`\)$", text)]
        if m
    }
    for n, (item, text) in enumerate(zip(items, checks, strict=True), 1):
        assert text.count("Why it matters:") == 1 and item.signal in text
        why_marker = int(re.search(r"\[(\d+)\]$", text).group(1))
        assert sources[n] == item.citation.chunk_id and sources[why_marker] == item.why_citation.chunk_id
        assert why_marker > len(items)


@respx.mock
async def test_a_model_tailors_why_it_matters_from_the_quoted_passage_and_never_the_signals(
    corpus_services, models_file, respx_mock
):
    services = services_with_models(corpus_services, models_file)
    extractive = await services.scenarios.checklist("a bank", ["Sovereignty"])
    count = len(extractive.items)
    route = respx_mock.post(f"{FAKE_OPENAI}/chat/completions").mock(
        return_value=openai_reply("\n".join(f"{n}. Tailored reason {n} for a bank." for n in range(1, count + 1)))
    )
    tailored = await services.scenarios.checklist("a bank", ["Sovereignty"], model="gpt-test")
    prompt = json.loads(route.calls[0].request.content)["messages"][-1]["content"]
    assert all(item.why_citation.quote in prompt for item in extractive.items)  # grounded in the booklet's sentences
    assert [i.signal for i in tailored.items] == [i.signal for i in extractive.items]
    assert [i.why_it_matters for i in tailored.items] == [
        f"Tailored reason {n} for a bank." for n in range(1, count + 1)
    ]
    assert tailored.model == "gpt-test" and "Tailored reason 1 for a bank." in tailored.markdown

    route.mock(return_value=openai_reply("Sure! Here are some thoughts."))  # another shape: the quotes stay
    fallback = await services.scenarios.checklist("a bank", ["Sovereignty"], model="gpt-test")
    assert fallback.model == "extractive" and [i.why_it_matters for i in fallback.items] == [
        i.why_it_matters for i in extractive.items
    ]
