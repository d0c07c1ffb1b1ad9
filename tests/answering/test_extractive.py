"""Extractive answers: the answering block of the best passage, quoted verbatim with its structure intact."""

import re
from dataclasses import replace

import pytest

from service.answering import entities
from service.answering.extractive import (
    ExtractiveAnswerer,
    ExtractiveConfig,
    _models_asked,
    _units,
    _without_words,
    says_little,
    shown_sentences,
)
from service.answering.question_form import classify
from service.container import build_services
from service.corpus.chunking import Chunk
from service.scenarios.currents import extract_currents
from service.settings import Settings
from service.text import content_words
from tests.conftest import write_doc

STAGES = [
    "- Family (1-9 employees): proof of concept for a new product",
    "- Tribe (10-99 employees): product-market fit with paying customers",
    "- Village (100-999 employees): scaling operations across regions",
    "- City (1,000-9,999 employees): market dominance in one category",
    "- Nation (10,000+ employees): a global empire across categories",
    "- Empire (100,000+ employees): control of adjacent markets worldwide",
    "- Legacy (1,000,000+ employees): an institution that outlives its founders",
]

PLAYBOOK = f"""# Scaling Playbook

Scaling is the practice of growing faster than rivals in a winner-take-all market, accepting waste for speed.

## The Framework

Hoffman's framework identifies seven stages:

{chr(10).join(STAGES)}

## The Death Zone

Companies with 1,000-10,000 GPUs face extinction:

- Too small to compete with frontier labs
- Too large to pivot to a niche

## Costs

| Item | Cost per hour |
|---|---|
| GPU hour | $2 |
| Engineer hour | $150 |
"""

EFFICIENCY = """# Efficiency Essay

Cheaper tokens increase total consumption: when prices fell tenfold, usage rose a hundredfold.

## Rebound

Efficiency gains are eaten by new demand, so total energy use keeps rising year after year.
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory, embedder):
    """A two-document corpus cut into small chunks (40 words), so that a list runs over several chunks."""
    root = tmp_path_factory.mktemp("extractive")
    (root / "corpus").mkdir()
    write_doc(root / "corpus", "playbook.md", "Scaling Playbook", PLAYBOOK, kind="essay")
    write_doc(root / "corpus", "efficiency.md", "Efficiency Essay", EFFICIENCY, kind="essay")
    services = build_services(
        Settings(corpus_dir=root / "corpus", data_dir=root / "data", chunk_max_words=40), embedder=embedder
    )
    services.indexer.ingest()
    services.retriever.load()
    return services.retriever


def ask(retriever, question):
    return ExtractiveAnswerer(retriever).answer(question, retriever.retrieve(question, 5))


def assert_verbatim_and_marked(answered):
    assert answered.citations
    for n, citation in enumerate(answered.citations, 1):
        assert citation.quote in citation.chunk.text
        assert f"[{n}]" in answered.text
    markers = [int(m) for m in re.findall(r"\[(\d+)\]", answered.text)]
    assert markers == sorted(markers)


def test_list_lead_ins_and_keyword_lists_say_little():
    assert says_little("Jevons Paradox occurs through:")
    assert says_little(
        "Keywords: Jevons paradox, AI efficiency, resource consumption, energy crisis, exponential demand, sustainability"
    )
    assert not says_little("OpenAI’s API calls grew 100x when prices dropped 10x.")
    assert not says_little("Meta, Google, Microsoft and xAI are racing to build clusters of 100,000 GPUs.")


def test_an_enumeration_gets_the_whole_list_across_chunks_as_one_markdown_list(small):
    answered = ask(small, "Which stages does Hoffman's framework identify?")
    assert_verbatim_and_marked(answered)
    assert "**Hoffman's framework identifies seven stages:**\n\n" + "\n".join(STAGES) in answered.text
    spanned = {c.chunk.id for c in answered.citations if c.quote.lstrip().startswith(("-", "Hoffman"))}
    assert len(spanned) >= 2  # the list is longer than one 40-word chunk


def test_a_definition_keeps_its_defining_sentence_and_what_it_introduces(small):
    answered = ask(small, "What is the death zone?")
    assert_verbatim_and_marked(answered)
    assert answered.text.startswith("From “Scaling Playbook — The Death Zone” [1]:")
    assert (
        "**Companies with 1,000-10,000 GPUs face extinction:**\n\n- Too small to compete with frontier labs\n- Too large to pivot"
        in answered.text
    )


def test_a_comparison_quotes_one_block_per_document(small):
    answered = ask(small, "Compare the scaling playbook with the efficiency essay")
    assert_verbatim_and_marked(answered)
    assert {c.chunk.document_id for c in answered.citations} == {"playbook", "efficiency"}
    assert answered.text.count("From “") == 2
    # Nothing but the documents' names is compared: each side is quoted by its opening statement.
    assert "Scaling is the practice of growing faster than rivals" in answered.text
    assert "Cheaper tokens increase total consumption" in answered.text


def test_a_table_is_quoted_as_a_table(small):
    answered = ask(small, "What does an engineer hour cost compared with a GPU hour per hour?")
    assert_verbatim_and_marked(answered)
    assert "| Item | Cost per hour |\n|---|---|\n| GPU hour | $2 |\n| Engineer hour | $150 |" in answered.text


def test_a_question_without_content_words_or_passages_never_crashes(corpus_services):
    from service.retrieval.hybrid import Retrieval

    answerer = ExtractiveAnswerer(corpus_services.retriever)
    answered = answerer.answer("why is that?", corpus_services.retriever.retrieve("the Jevons paradox in AI", 5))
    assert answered.citations and all(c.quote in c.chunk.text for c in answered.citations)
    empty = Retrieval(
        hits=[], query_vector=None, best_chunk_similarity=0.0, best_sentence_similarity=0.0, best_lexical_score=0.0
    )
    assert answerer.answer("why is that?", empty).citations == []


# --- through AnswerService, on the real corpus index -----------------------------------------


def _cited_chunks(services, answer) -> list:
    """The chunk behind each of the answer's citations."""
    chunks = {c.id: c for c in services.retriever.chunks}
    return [chunks[c.chunk_id] for c in answer.citations]


async def test_the_trigger_signals_of_a_current_are_its_whole_trigger_list(corpus_services):
    answer = await corpus_services.answers.ask("What are the trigger signals of the Sovereignty current?")
    assert answer.mode == "extractive" and answer.supported
    sovereignty = next(c for c in extract_currents(corpus_services.retriever.chunks) if c.name == "Sovereignty")
    for signal in sovereignty.signals:
        assert f"- {signal.citation.quote}" in answer.answer
    assert answer.citations[0].document.id == "scenario-planning-04-sovereignty"
    cited = _cited_chunks(corpus_services, answer)
    assert all(c.quote in chunk.text for c, chunk in zip(answer.citations, cited, strict=True))


@pytest.mark.parametrize(
    ("question", "current"),
    [
        ("Give me a checklist for sovereignty risk", "Sovereignty"),
        ("what should we keep an eye on for Financial Correction?", "Financial Correction"),
        ("which signals say the efficiency revolution is real?", "Efficiency Revolution"),
    ],
)
async def test_a_checklist_or_what_to_watch_for_a_current_is_its_whole_trigger_list(corpus_services, question, current):
    answer = await corpus_services.answers.ask(question)
    assert answer.mode == "extractive" and answer.supported
    signals = next(c for c in extract_currents(corpus_services.retriever.chunks) if c.name == current).signals
    assert all(f"- {signal.citation.quote}" in answer.answer.replace("**", "") for signal in signals)
    assert {c.document.id for c in answer.citations} == {signals[0].citation.document.id}


@pytest.mark.parametrize(
    "question",
    [
        "Give me a checklist for GDPR compliance.",
        "a watch list for the platform paradox essay",
        "what should I watch?",
        # questions about the signals, not requests for what to watch
        "Which triggers of the Sovereignty current have already fired?",
        "Which indicators does the Financial Correction current use to measure the revenue gap?",
        "What should I watch in the Hours and Dollars chapter video?",
        # a word the corpus never uses, another document named, or the current named only in pasted context
        "What red flags for GDPR does the Sovereignty chapter raise?",
        "Give me a checklist for adopting efficient models, per the monetization efficiency revolution essay",
    ],
)
def test_a_checklist_naming_no_current_or_a_question_about_signals_is_judged_as_any_question(corpus_services, question):
    assert corpus_services.answers._watch_list_of(question) is None


async def test_a_current_named_only_in_pasted_context_makes_no_checklist(corpus_services):
    answer = await corpus_services.answers.ask(
        "Q3 review: our board discussed the Sovereignty current at length. Give me a checklist for GDPR compliance."
    )
    assert not answer.supported and "Trigger signals" not in answer.answer


async def test_a_definition_answer_holds_the_defining_sentence(corpus_services):
    answer = await corpus_services.answers.ask("What is the death zone in blitzscaling?")
    assert answer.mode == "extractive" and answer.supported
    assert "**Companies with 1,000-10,000 GPUs face extinction:**" in answer.answer
    assert answer.citations[0].section == "The Death Zone"
    assert "Acquisition or Death: No middle ground" in answer.answer  # with the list it introduces


async def test_an_answer_opening_with_this_is_quotes_what_this_refers_to(corpus_services):
    """ "This is the paradox at the heart of the AI flywheel." sums up the list before it: quoted alone, its "this"
    would name nothing, so the list (with its lead-in) comes first, in the same quote."""
    answer = await corpus_services.answers.ask("what is the paradox at the heart of the AI flywheel?")
    assert answer.supported
    text = answer.answer
    assert "The result: capability soars while actual utilization flatlines" in text
    assert text.index("capability soars") < text.index("This is the paradox at the heart of the AI flywheel.")
    assert "**This is the paradox at the heart of the AI flywheel.**" in text  # the answering sentence stays marked
    assert text.count("[1]") == 1 and "And yet, paradoxically, prompting has become more important" in text


async def test_a_block_that_sets_up_a_turn_is_quoted_with_the_turn(corpus_services):
    """ "Models are improving at a staggering pace. ... Benchmark scores keep climbing." is the setup the next block
    turns against ("And yet, paradoxically, ..." and its list): quoted alone it would say the opposite of the author's
    point, so the quote runs through the turn, the answering sentence still marked."""
    answer = await corpus_services.answers.ask("do climbing benchmark scores mean people get more out of AI?")
    assert answer.supported
    first = answer.citations[0].quote
    assert first.startswith("Models are improving at a staggering pace.")
    assert "The result: capability soars while actual utilization flatlines" in first  # the turn, in the same quote
    assert "**Benchmark scores keep climbing.**" in answer.answer


async def test_a_block_is_quoted_with_the_one_that_sums_it_up(corpus_services):
    """The figures of the training cost freefall are summed up by the paragraph after them, which opens by referring
    back to them ("That is a roughly 95% cost reduction in 20 months."): the quote runs through it."""
    answer = await corpus_services.answers.ask(
        "How much cheaper did training a GPT-4-class model get by the time DeepSeek V3 came out?"
    )
    first = answer.citations[0].quote
    assert "for just $5.6 million in GPU time" in first
    assert "That is a roughly 95% cost reduction in 20 months." in first


async def test_a_list_is_quoted_with_the_short_line_after_it_that_says_what_it_comes_to(corpus_services):
    """ "Traditional bubbles pop, allowing:" and its list are followed by their point, one short line ("Permanent peak
    prevents healthy correction."): the quote of the list runs through it."""
    answer = await corpus_services.answers.ask("what happens to the economy when an AI bubble never pops?")
    quotes = [c.quote for c in answer.citations if "Foundation rebuilding" in c.quote]
    assert quotes and quotes[0].rstrip().endswith("Permanent peak prevents healthy correction.")


async def test_a_list_asked_for_is_quoted_with_the_line_that_says_what_it_comes_to(corpus_services):
    answer = await corpus_services.answers.ask("What are the two curves in Christensen's model?")
    first = answer.citations[0].quote
    assert "- Market Needs: Gradual requirement growth" in first
    assert first.rstrip().endswith("The gap between them creates disruption opportunity.")


async def test_a_paragraph_is_quoted_with_the_one_that_says_what_it_comes_to(corpus_services):
    """ "The question isn’t whether blitzscaling AI is sustainable ... The question is whether ..." sums up the paragraph
    before it: a quote that ends that paragraph runs through it."""
    answer = await corpus_services.answers.ask("Are the companies racing to 100,000 GPUs being irrational?")
    first = answer.citations[0].quote
    assert "they’re playing the game theory perfectly" in first
    assert "The question is whether you can blitzscale long enough to win before the music stops." in first


async def test_a_list_quoted_whole_keeps_the_turn_after_it(corpus_services):
    """ "Meta's AI spending breakdown reveals the trap:" and its five items say what the money buys; the trap is the
    line after them, "Yet employees already use Anthropic's Claude for coding.", quoted with the list."""
    answer = await corpus_services.answers.ask("what is the trap in Meta's AI spending?")
    listing = next(c.quote for c in answer.citations if "reveals the trap" in c.quote)
    assert listing.rstrip().endswith("Yet employees already use Anthropic’s Claude for coding.")
    assert "Integration Costs: Retrofitting existing products" in listing


@pytest.mark.parametrize(
    "question",
    [
        "what should a bank do about the financial correction current?",
        # where it was the best block: the next one leads
        "How should a hospital prepare for the Financial Correction current?",
    ],
)
async def test_a_passage_is_never_a_lone_sentence_pointing_elsewhere(corpus_services, question):
    """A chunk that opens inside a paragraph can hold one sentence of it, "That is the subject of Section 5.": quoted
    alone, first or as a further passage, it refers to what the reader cannot see."""
    answer = await corpus_services.answers.ask(question)
    assert answer.supported
    assert all(c.quote.strip() != "That is the subject of Section 5." for c in answer.citations)


async def test_each_side_of_a_comparison_is_searched_for_what_is_asked_not_for_the_other_documents_name(
    corpus_services,
):
    """Searched with the whole question, the blitzscaling essay's side found "Data sovereignty compliance" (the word of
    the other side's name, "the Sovereignty chapter") in Microsoft's section, not what it says about Meta's open models."""
    answer = await corpus_services.answers.ask(
        "What do the blitzscaling essay and the Sovereignty chapter each say about Meta's open models?"
    )
    assert answer.supported
    assert "Open source play: Commoditize competitors’ advantage" in answer.answer
    assert "Muse Spark" in answer.answer  # the Sovereignty chapter's side
    assert "Data sovereignty compliance" not in answer.answer
    assert answer.citations[0].section == "Meta: The Desperate Sprinter"


def test_the_question_less_the_words_that_name_documents_keeps_the_rest_as_written():
    names = content_words("Blitzscaling AI: The Race to 100,000 GPUs blitzscaling ai Sovereignty")
    assert (
        _without_words(
            "What do the blitzscaling essay and the Sovereignty chapter each say about Meta's open models?", names
        )
        == "What do the essay and the chapter each say about Meta's open models?"
    )
    # figures and signs stay as written; a word whose parts are all names goes whole
    assert _without_words("Blitzscaling vs sovereignty: AI-GPUs cost ($/token)?", names) == "vs: cost ($/token)?"


@pytest.mark.parametrize(
    ("question", "gloss"),
    [
        ("What is Continued Scaling?", "Continued Scaling (the $700B capex bet on the next capability staircase)"),
        ("what is the hours and dollars current", "Hours and Dollars (the two units that will decide displacement"),
        ("What is From Lab to Production?", "From Lab to Production (the deployment gap that is now the binding"),
        ("What is the Sovereignty current?", "Sovereignty (what happens when a vendor’s access collides"),
        ("What is the Sovereignty chapter?", "Sovereignty (what happens when a vendor’s access collides"),
        ("define hours and dollars", "Hours and Dollars (the two units"),
    ],
)
async def test_a_current_is_defined_first_by_the_gloss_the_booklet_gives_it(corpus_services, question, gloss):
    # The chapters open with a framing question; the introduction says in one clause what each current is.
    answer = await corpus_services.answers.ask(question)
    assert answer.supported and answer.citations[0].document.id == "scenario-planning-00-introduction"
    assert answer.citations[0].quote.startswith(gloss) and answer.citations[0].quote.endswith(")")
    assert len(answer.citations) >= 2  # the passages that discuss it follow


@pytest.mark.parametrize(
    "question",
    ["What is a lab?", "What is efficiency?", "What is scaling?", "What is the trigger for Financial Correction?"],
)
async def test_a_word_of_a_currents_name_or_a_part_of_it_gets_no_gloss(corpus_services, question):
    answer = await corpus_services.answers.ask(question)
    assert not any(c.document.id == "scenario-planning-00-introduction" for c in answer.citations)


async def test_a_current_asked_by_name_is_its_gloss_then_its_chapters_overview(corpus_services):
    answer = await corpus_services.answers.ask("What is Continued Scaling?")
    # not another chapter's passing mention ("Continued Scaling (1) and Efficiency Revolution (2) pull capex ...")
    rest = {c.document.id for c in answer.citations[1:]}
    assert rest == {"scenario-planning-01-continued-scaling"} and len(answer.citations) >= 3


@pytest.mark.parametrize("question", ["What is the last chapter?", "tell me more about the last chapter"])
async def test_a_document_referred_to_by_position_is_not_the_one_whose_title_holds_the_word(corpus_services, question):
    answer = await corpus_services.answers.ask(question)  # "Last Week in AI" is a title, "last" a position
    assert "last-week-in-ai-arms-race" not in {c.document.id for c in answer.citations}


@pytest.mark.parametrize(
    ("question", "document", "opening"),
    [
        ("What is the booklet?", "scenario-planning-00-introduction", "This booklet sketches six underlying currents"),
        ("what is the podcast?", "last-week-in-ai-arms-race", None),
    ],
)
async def test_what_a_document_referred_to_as_one_is_is_its_overview(corpus_services, question, document, opening):
    answer = await corpus_services.answers.ask(question)  # "the booklet" had been refused as naming no subject
    assert answer.supported and answer.citations[0].document.id == document
    assert opening is None or answer.citations[0].quote.startswith(opening)


async def test_one_document_referred_to_as_one_is_no_comparison_with_a_title_sharing_its_words(corpus_services):
    # "The AI Monetization Efficiency Revolution" shares the current's name, which names the current alone; the
    # question asks for one current's list.
    question = "What are the trigger signals of the Efficiency Revolution current?"
    assert corpus_services.retriever.named_documents(question) == ["scenario-planning-02-efficiency-revolution"]
    answer = await corpus_services.answers.ask(question)
    assert {c.document.id for c in answer.citations} == {"scenario-planning-02-efficiency-revolution"}


async def test_a_comparison_cites_both_documents(corpus_services):
    answer = await corpus_services.answers.ask(
        "Compare the Jevons paradox essay with the efficiency revolution current"
    )
    assert answer.mode == "extractive" and answer.supported
    assert {c.document.id for c in answer.citations} == {
        "jevons-paradox-in-ai",
        "scenario-planning-02-efficiency-revolution",
    }
    cited = _cited_chunks(corpus_services, answer)
    assert all(c.quote in chunk.text for c, chunk in zip(answer.citations, cited, strict=True))


@pytest.mark.parametrize(
    ("question", "document", "says", "sections"),
    [
        # The booklet is named by its introduction, which opens with a tagline and has one section: the overview
        # starts where the introduction says what the booklet itself does.
        ("what's the booklet about?", "scenario-planning-00-introduction", "This booklet sketches six", 1),
        ("give me an overview of the podcast", "last-week-in-ai-arms-race", "The core thesis is", 4),
        ("summarise the Jevons essay", "jevons-paradox-in-ai", "In 1865, economist William Stanley Jevons", 4),
        (
            "jevons essay tl;dr",
            "jevons-paradox-in-ai",
            "In 1865, economist William Stanley Jevons",
            4,
        ),  # a search box's
    ],
)
async def test_an_overview_quotes_the_opening_statement_then_how_the_next_sections_open(
    corpus_services, question, document, says, sections
):
    answer = await corpus_services.answers.ask(question)
    assert answer.mode == "extractive" and answer.supported
    assert {c.document.id for c in answer.citations} == {document}
    assert says in answer.citations[0].quote
    assert len({c.section for c in answer.citations}) == len(answer.citations) == sections  # one per section
    cited = _cited_chunks(corpus_services, answer)
    assert all(c.quote in chunk.text for c, chunk in zip(answer.citations, cited, strict=True))


@pytest.mark.parametrize("question", ["What does Anthropic argue?", "what is AI about?", "What is Meta about?"])
def test_a_question_about_a_subject_is_no_overview_and_goes_to_the_coverage_judge(corpus_services, question):
    assert corpus_services.answers._overview_of(question) is None


async def test_an_overview_of_a_document_it_cannot_tell_asks_which(corpus_services):
    answer = await corpus_services.answers.ask("summarise the essay")  # thirteen essays: which one?
    assert not answer.supported and "names no subject" in answer.answer


async def test_scrape_leftovers_are_never_quoted(corpus_services):
    assert not any("Keywords:" in c.text or "Click any card" in c.text for c in corpus_services.retriever.chunks)
    answer = await corpus_services.answers.ask("What keywords and topics does the Jevons paradox essay cover?")
    assert "Keywords:" not in answer.answer and "Click any card" not in answer.answer


def test_a_fourth_further_passage_only_adds_to_what_three_quote(corpus_services):
    # a fifth passage comes after the four quoted before, which stay as they were; the rules that may put a further block
    # first (a figure asked) look at the first three either way (test_service: "how long do we stay stuck there?")
    retriever = corpus_services.retriever
    questions = [
        "how long do we stay stuck at the permanent peak of hype?",
        "Why is the hype cycle dead?",
        "What does the Jevons paradox mean for data centers?",
        "How much did Meta invest in AI infrastructure?",
    ]
    gained = 0
    for question in questions:
        retrieval = retriever.retrieve(question, 5)
        three = ExtractiveAnswerer(retriever, replace(ExtractiveConfig(), extra_blocks=3)).answer(question, retrieval)
        four = ExtractiveAnswerer(retriever, replace(ExtractiveConfig(), extra_blocks=4)).answer(question, retrieval)
        assert four.text.startswith(three.text.rstrip()), question
        assert four.citations[: len(three.citations)] == three.citations
        assert len(four.citations) <= 5
        gained += len(four.citations) > len(three.citations)
    assert gained, "no question quoted a fifth passage"


def test_a_further_passage_quotes_a_short_list_whole_rather_than_one_item(small):
    answerer = ExtractiveAnswerer(small)
    question = "Which stage comes after product-market fit?"
    retrieval = small.retrieve(question, 5)
    form = classify(question)
    units = answerer._scored_units(question, form, [], retrieval.hits, retrieval.query_vector)
    unit = max((u for u in units if u.kind == "list" and not u.lead), key=lambda u: len(u.items))
    assert len(unit.items) >= 2

    def quoted(quotes):
        return "".join(q.text for q in quotes)

    brief = quoted(answerer._render(unit, form, sentences=1))
    whole = quoted(answerer._render(unit, form, sentences=1, list_words=80))
    assert "\n" not in brief.strip()  # one item, as a further passage was quoted before
    assert whole == unit.chunk.text[unit.start : unit.end]  # every item of the list in this passage
    assert quoted(answerer._render(unit, form, sentences=1, list_words=5)) == brief  # longer than the cap: one item


async def test_an_enumeration_the_corpus_gives_as_subsections_lists_every_one_in_order(corpus_services):
    answer = await corpus_services.answers.ask("Which stages does the Jevons paradox essay name?")
    assert answer.supported
    stages = [c.section for c in corpus_services.retriever.section_openings("jevons-paradox-in-ai")]
    stages = [s for s in stages if s and s.startswith("Stage ")]
    assert len(stages) == 5
    assert [c.section for c in answer.citations] == stages  # each stage once, in the essay's order
    for stage in stages:
        assert f"From “The Jevons Paradox in AI — {stage}”" in answer.answer
    cited = _cited_chunks(corpus_services, answer)
    assert all(c.quote in chunk.text for c, chunk in zip(answer.citations, cited, strict=True))


async def test_a_counted_enumeration_needs_as_many_subsections_and_a_list_still_answers_as_a_list(corpus_services):
    # "four levels": the Dependency Cascade's four "Level n" sections.
    levels = await corpus_services.answers.ask("What are the four levels of the dependency cascade?")
    assert [c.section.split(":")[0] for c in levels.citations] == ["Level 1", "Level 2", "Level 3", "Level 4"]
    # The five phases are one list under one heading: quoted whole, as before.
    phases = await corpus_services.answers.ask("What are the five phases of the Gartner hype cycle?")
    assert "- Trough of Disillusionment: Reality disappoints" in phases.answer
    assert phases.citations[0].section == "The Five Phases"


async def test_subsections_answer_an_enumeration_only_when_their_heading_names_the_thing_listed(corpus_services):
    # "The Hidden Costs of Blitzscaling": its three subsections, in order
    costs = await corpus_services.answers.ask("list the hidden costs of blitzscaling")
    assert [c.section for c in costs.citations] == [
        "Financial Hemorrhaging",
        "Technical Debt Accumulation",
        "Organizational Chaos",
    ]
    # "The Blitzscaling Playbook in Action" names blitzscaling, not stages: its company sections are no stages
    stages = await corpus_services.answers.ask("blitzscaling stages")
    assert stages.supported and stages.citations[0].section in (
        "The GPU Scaling Stages",
        "Classic Blitzscaling Principles",
    )
    assert not any("Sprinter" in c.section for c in stages.citations)


async def test_subsections_of_another_document_answer_no_enumeration_of_a_company_they_never_name(corpus_services):
    # the blitzscaling essay's “Strategic Lessons” (For Blitzscalers, For Defenders, ...) never name Amazon
    lessons = await corpus_services.answers.ask("What lessons does Amazon's dot-com survival teach?")
    assert lessons.supported and lessons.citations[0].document.id == "scenario-planning-03-financial-correction"
    assert not any((c.section or "").startswith("For ") for c in lessons.citations)


@pytest.mark.parametrize(
    "question",
    ["What are Meta's strategic options?", "What are Meta's options?"],  # the possessive's "s" is no word asked
)
async def test_subsections_of_a_document_whose_title_names_the_company_answer_its_enumeration(
    corpus_services, question
):
    # “The Platform Paradox: Why Meta Must Use Competitors' AI”: its options need not name Meta themselves
    options = await corpus_services.answers.ask(question)
    assert [c.section for c in options.citations][:4] == [
        "Option 1: Accept Dependency",
        "Option 2: Acquisition Spree",
        "Option 3: Radical Pivot",
        "Option 4: Open Source Gambit",
    ], options.answer


async def test_a_section_that_is_only_its_subsections_is_defined_by_them(corpus_services):
    # "## The Dependency Cascade" says nothing before "### Level 1: Model Dependency": its levels, in order
    cascade = await corpus_services.answers.ask("What is the dependency cascade?")
    assert [c.section for c in cascade.citations] == [
        "Level 1: Model Dependency",
        "Level 2: Ecosystem Dependency",
        "Level 3: Strategic Dependency",
        "Level 4: Existential Dependency",
    ], cascade.answer
    # a term that is a small part of such a heading is not what it lists ("VTDF Analysis: Platform Paradox Dynamics")
    paradox = await corpus_services.answers.ask("Explain the platform paradox to me like I'm a new intern.")
    assert paradox.citations[0].section == "The Platform Paradox Defined", paradox.answer


async def test_a_follow_up_about_one_of_the_subsections_leads_with_it(corpus_services):
    question = "What future scenarios does the Jevons essay describe?"
    first = await corpus_services.answers.ask(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.answer}]
    answer = await corpus_services.answers.ask("what happens in the hard wall one?", history=history)
    assert first.citations[0].section == "Scenario 1: The Runaway Train", first.answer
    assert answer.citations[0].section == "Scenario 2: The Hard Wall", answer.answer


async def test_a_block_naming_the_company_asked_leads_when_the_best_names_it_nowhere(corpus_services):
    # the innovator's dilemma essay's list of 2023's questions ("When will you achieve AGI?") names no xAI
    answer = await corpus_services.answers.ask("when does xAI expect AGI?")
    assert answer.supported and answer.citations[0].section == "xAI: The Pure Blitzscaler", answer.answer
    assert "AGI by 2029" in answer.answer


async def test_a_block_naming_the_company_asked_by_another_name_leads_when_the_best_names_it_nowhere(corpus_services):
    # "the search giant" is Google (aliases.yaml); “xAI: The Pure Blitzscaler” ("Billions in chip orders") names no Google
    answer = await corpus_services.answers.ask("How did the search giant approach the chip race?")
    assert answer.supported and answer.citations[0].section == "Google: The Vertical Integrator", answer.answer


@pytest.mark.parametrize(
    ("question", "section"),
    [
        # “How the Currents Interact” names "vendor concentration risk" in passing, in a sentence about sovereignty
        (
            "How should a bank think about vendor concentration risk?",
            "Vendor concentration is the under-discussed risk",
        ),
        # “Inference pricing in freefall” says open-source alternatives are cheaper
        ("How worried should an insurer be about the open-source convergence?", "The open-source convergence"),
    ],
)
async def test_a_block_whose_heading_names_what_is_asked_leads_when_the_best_heading_names_none_of_it(
    corpus_services, question, section
):
    answer = await corpus_services.answers.ask(question)
    assert answer.supported and answer.citations[0].section == section, answer.answer


@pytest.mark.parametrize(
    ("question", "section", "said"),
    [
        # “The Winner Will Be Whoever Closes This Gap” had led: "... justify the flywheel's next turn", the term in passing
        (
            "What is the AI flywheel?",
            "The AI Industry Is Starting to Look Like Amazon’s Flywheel",
            "More compute leads",
        ),
        # the essay's opening says the term first: no section named after a blitzscaler takes its place
        ("What is blitzscaling?", None, "Reid Hoffman’s blitzscaling philosophy"),
        # a best sentence opening with the term defines it: the document's opening does not take its place
        ("What is fractal specialization?", "Conclusion: Specialization as Destiny", "The Fractal Pattern"),
    ],
)
async def test_a_definition_is_led_by_the_block_headed_by_its_term_unless_the_best_opens_with_the_term(
    corpus_services, question, section, said
):
    answer = await corpus_services.answers.ask(question)
    assert answer.supported and answer.citations[0].section == section, answer.answer
    assert said in answer.answer.split("[2]")[0]


async def test_who_someone_named_is_is_led_by_the_block_naming_them(corpus_services):
    # a block of the Sovereignty chapter about Alexandr Wang had led, chosen as one naming a company
    answer = await corpus_services.answers.ask("Who is David Cahn?")
    assert answer.supported and answer.citations[0].section == "The revenue gap", answer.answer
    assert "Sequoia partner David Cahn" in answer.citations[0].quote


async def test_one_action_across_all_six_currents_is_answered_by_the_drill_not_their_list(corpus_services):
    answer = await corpus_services.answers.ask("What's the one action that works under all six currents?")
    assert answer.supported and answer.citations[0].section == "One action that works under all six currents"


async def test_a_question_opening_with_the_document_to_answer_from_is_answered_from_it(corpus_services):
    # the Efficiency Revolution chapter's interviews of Mistral's CEO on a podcast led before
    answer = await corpus_services.answers.ask("According to the podcast digest, what decides who wins in AI now?")
    assert answer.supported and answer.citations[0].chunk_id.startswith("last-week-in-ai-arms-race"), answer.answer


async def test_a_heading_naming_what_is_asked_does_not_lead_over_a_block_holding_more_of_it(corpus_services):
    # “Local—Inference” holds "local inference" in its heading, but not the micro-datacenters the best block names
    answer = await corpus_services.answers.ask("local inference micro-datacenters")
    assert answer.supported and "micro-datacenters" in answer.answer.split("\n\n")[1], answer.answer


async def test_a_figure_asked_of_a_company_is_marked_where_the_block_gives_its_own(corpus_services):
    # “The training cost freefall” opens with OpenAI's GPT-4 ($63-100 million); DeepSeek's V3 comes after it
    answer = await corpus_services.answers.ask("deepseek training cost")
    bold = re.findall(r"\*\*(.+?)\*\*", answer.answer)
    assert answer.supported and bold and "DeepSeek" in bold[0] and "$5.6 million" in bold[0], answer.answer
    # a sentence saying "the company" may be about the one asked of: the ChatGPT maker's losses stay marked
    answer = await corpus_services.answers.ask(
        "When is the ChatGPT maker supposed to make money, and how much red ink?"
    )
    assert "loss" in re.findall(r"\*\*(.+?)\*\*", answer.answer)[0], answer.answer


async def test_a_question_asking_which_companies_is_answered_by_a_block_about_one(corpus_services):
    # “For Defenders” (advice to anyone: "Don't Play Their Game") was found first for who is doing it
    answer = await corpus_services.answers.ask("Who is doing blitzscaling?")
    assert answer.supported and entities.companies(answer.citations[0].section or ""), answer.answer
    # who coined it asks for a person, not a company
    answer = await corpus_services.answers.ask("Who coined blitzscaling?")
    assert "Hoffman" in answer.answer.split("\n\n")[1], answer.answer


async def test_how_a_named_document_applies_to_a_company_its_title_names_is_answered_by_a_block_naming_it(
    corpus_services,
):
    # the essay's title names OpenAI ("Why OpenAI Lost Enterprise to Anthropic"); “Understanding the Innovator's
    # Dilemma”, which names no company, led
    answer = await corpus_services.answers.ask("How does the innovator's dilemma apply to OpenAI?")
    assert answer.supported and "OpenAI" in answer.answer.split("\n\n")[1], answer.answer


async def test_where_a_company_stands_on_a_subject_is_marked_where_the_block_names_the_subject(corpus_services):
    # the passage's quotation of Zuckerberg's H100 count was marked; it says nothing of CUDA
    answer = await corpus_services.answers.ask("What is NVIDIA's CUDA moat?")
    assert "CUDA" in re.findall(r"\*\*(.+?)\*\*", answer.answer)[0], answer.answer
    # naming no subject, where it stands is marked by a word of standing ("king"), not by the quotation
    answer = await corpus_services.answers.ask("What's NVIDIA's moat?")
    assert "king" in re.findall(r"\*\*(.+?)\*\*", answer.answer)[0], answer.answer


async def test_a_list_of_what_is_asked_of_another_subject_does_not_lead(corpus_services):
    # “Different Risk Profiles” (RLHF, RLVR) lists risks, not blitzscaling's
    answer = await corpus_services.answers.ask("What are the risks of blitzscaling?")
    assert answer.supported and answer.citations[0].document.id == "blitzscaling-ai", answer.answer


async def test_a_definition_of_a_documents_title_leads_with_its_opening_though_found_lower(corpus_services):
    # the essay's opening was found fifth and lost to “Microsoft: The Platform Blitzscaler”, whose heading holds the term
    answer = await corpus_services.answers.ask("What is blitzscaling?")
    assert answer.citations[0].section is None and answer.citations[0].document.id == "blitzscaling-ai", answer.answer
    assert answer.answer.split("\n\n")[1].startswith("**Reid Hoffman’s blitzscaling philosophy"), answer.answer


async def test_a_how_often_question_marks_the_sentence_that_says_how_often(corpus_services):
    answer = await corpus_services.answers.ask("How often should teams review their triggers?")
    assert answer.supported and "**Quarterly is probably right for most teams.**" in answer.answer, answer.answer


async def test_a_follow_up_naming_no_version_keeps_the_last_questions(corpus_services):
    question = "How much does an hour of a Sonnet 4.6 agent cost?"
    first = await corpus_services.answers.ask(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.answer}]
    answer = await corpus_services.answers.ask("why?", history=history)
    assert "**Claude Sonnet 4.6 at $3 input" in first.answer, first.answer
    # the Sonnet item still leads, marked past the sentence just shown (its next one)
    assert "per million tokens. **Same workload at moderate load: roughly $2 per agent-hour" in answer.answer, (
        answer.answer
    )


async def test_a_year_or_a_versions_number_is_no_amount(corpus_services):
    # "GPT-3 (2020) ... GPT-4 (2023)" gives no amount; "a major jump every roughly two years" does
    answer = await corpus_services.answers.ask("How long does a major jump in AI capability take?")
    assert "**Looking backward, AI capability has advanced in a staircase pattern" in answer.answer, answer.answer


async def test_a_question_asking_an_amount_marks_the_sentence_that_gives_one(corpus_services):
    # the sentence of the list item that gives the forecast, not the item's opening claim
    answer = await corpus_services.answers.ask(
        "What is the forecast size of the enterprise productivity and coding AI market?"
    )
    assert answer.supported and "**Forecasts suggest $47.3B by 2034" in answer.answer, answer.answer


async def test_a_lead_in_quoted_last_is_quoted_with_what_it_leads_into(plain_ranking):
    corpus_services = plain_ranking  # the passages the plain sentence model quotes "displacement math" from
    # the quotation is the next block of the same chunk: one quote through it
    said = await corpus_services.answers.ask("What did Mark Zuckerberg say about GPUs?")
    assert said.supported and "hybrid GPU infrastructure plans:**\n\n“By the end of this year" in said.answer
    assert "-Mark Zuckerberg, 1/18/2024" in said.answer
    # the list is the next chunk's: quoted after it, cited
    math = await corpus_services.answers.ask("displacement math")
    assert "Today’s math, using May 2026 prices" in math.answer and "- Claude Opus 4.7 at $5 input" in math.answer
    cited = _cited_chunks(corpus_services, math)
    assert all(c.quote in chunk.text for c, chunk in zip(math.citations, cited, strict=True))


@pytest.mark.parametrize("question", ["What are the six currents?", "Which currents does the booklet describe?"])
async def test_an_enumeration_no_top_passage_lists_is_answered_by_the_listing_further_down(corpus_services, question):
    # The top passages mention "the six currents" (the trigger drill, the how-to chapter) without naming them;
    # the introduction's sentence that names all six ranks lower and answers.
    answer = await corpus_services.answers.ask(question)
    assert answer.supported and answer.citations[0].document.id == "scenario-planning-00-introduction"
    currents = corpus_services.retriever.currents()
    assert len(currents) == 6 and all(name in answer.answer for name in currents)


async def test_a_listing_further_down_is_of_the_work_the_question_asks_about(corpus_services):
    # "three steps ... the booklet": no list of the booklet's, and the strategic mismatch essay's numbered "Phase 3"
    # list further down is another document's, not an answer; the booklet's own sentence naming the three is
    answer = await corpus_services.answers.ask("What are the three steps of the habit the booklet wants you to build?")
    assert answer.supported and "foresee, watch triggers, adjust" in answer.answer
    assert all(c.document.id.startswith("scenario-planning-") for c in answer.citations)


async def test_a_question_asked_of_each_of_two_documents_quotes_each_ones_answer(corpus_services):
    # "the Platform Paradox" (no kind word) and "the Continued Scaling chapter" are each asked their own question: each
    # side is searched for it, not for both ("Meta's ... $14.8 billion" had stood for the essay's side)
    answer = await corpus_services.answers.ask(
        "How many GPUs does the Platform Paradox say Meta has, and how big is Microsoft's Rainier project according to "
        "the Continued Scaling chapter?"
    )
    assert (
        "600,000 GPUs: Massive compute capacity" in answer.answer and "Rainier project targets 500,000" in answer.answer
    )


async def test_a_sentence_too_short_to_say_anything_alone_is_quoted_with_the_one_it_goes_on_from(corpus_services):
    # a further passage's brief quote whose answering sentence is "No disillusionment phase.": from "There’s no trough
    # coming.", which it goes on from
    answer = await corpus_services.answers.ask("Why hasn't AI dropped into a trough of disillusionment yet?")
    assert "No disillusionment phase." in answer.answer.replace("**", "")
    assert "There’s no trough coming. No disillusionment phase." in answer.answer.replace("**", "")


async def test_a_keyword_query_in_the_plural_is_no_request_for_a_list(corpus_services):
    answer = await corpus_services.answers.ask("stale currents")
    assert answer.citations[0].section == "Let currents go stale"


async def test_a_short_section_is_quoted_whole_with_the_line_that_concludes_it(corpus_services):
    answer = await corpus_services.answers.ask(
        "in the platform paradox essay, what's the Microsoft mobile cautionary tale?"
    )
    assert answer.mode == "extractive" and answer.supported
    first = _cited_chunks(corpus_services, answer)[0]
    assert first.section_path.endswith("Microsoft’s Mobile Paradox")
    # the lead-in, its list and the result after it: the section, not its first block
    assert "Windows Phone OS" in answer.answer and "Result: Complete failure, adopted Android/iOS" in answer.answer
    assert answer.citations[0].quote.strip() == first.text.strip()


async def test_a_name_inside_a_longer_title_names_the_longer_titles_document(corpus_services):
    question = "What is the monetization efficiency revolution?"
    # "Efficiency Revolution" is a current's name, spelled inside the essay's: the essay is what is named
    assert corpus_services.retriever.named_documents(question) == ["ai-monetization-efficiency-revolution"]
    assert "scenario-planning-02-efficiency-revolution" in corpus_services.retriever.named_documents(
        "What are the trigger signals of the Efficiency Revolution current?"
    )
    answer = await corpus_services.answers.ask(question)
    assert answer.supported and answer.citations[0].document.id == "ai-monetization-efficiency-revolution"
    assert "Monetization Efficiency Revolution" in answer.answer


async def test_a_documents_untitled_opening_is_not_quoted_whole(corpus_services):
    answer = await corpus_services.answers.ask("What changed in the last four months for sovereignty?")
    # the chapter's opening chunk holds its tagline and a line pointing at sections not quoted: its block only
    assert "What if your vendor isn’t allowed to sell to you?" not in answer.answer
    assert "Five anchors." not in answer.answer


async def test_a_chapters_data_line_is_no_answer_to_a_question_about_its_sources_claims(corpus_services):
    # "Data: Nasdaq historical data • Sequoia “AI’s $600B Question” • ..." names the words, the revenue gap answers
    answer = await corpus_services.answers.ask("What did Sequoia's $600B question argue?", "extractive")
    assert answer.supported and "Data:" not in answer.answer
    assert "$600 billion in annual end-user revenue" in answer.citations[0].quote


def test_a_line_naming_a_quotations_source_is_one_block_with_it(corpus_services):
    chunk = next(c for c in corpus_services.retriever.chunks if "NVIDIA 10-Q, filed 5/29/2024" in c.text)
    unit = next(u for u in _units(chunk, 0) if "NVIDIA 10-Q" in chunk.text[u.start : u.end])
    block = chunk.text[unit.start : unit.end]
    assert block.startswith("“Sales to one direct customer") and block.endswith("NVIDIA 10-Q, filed 5/29/2024")
    assert unit.attribution == chunk.text.index("NVIDIA 10-Q, filed")


def test_a_one_item_line_naming_a_quotations_source_is_one_block_with_it(corpus_services):
    chunk = next(c for c in corpus_services.retriever.chunks if "- Mark Twain (attributed)" in c.text)
    unit = next(u for u in _units(chunk, 0) if "Mark Twain" in chunk.text[u.start : u.end])
    assert chunk.text[unit.start : unit.end].startswith("“History doesn’t repeat itself, but it often rhymes.”")
    assert unit.kind == "paragraph" and unit.attribution == chunk.text.index("- Mark Twain")


async def test_who_said_a_quotation_quotes_it_with_the_line_naming_its_source(corpus_services):
    answer = await corpus_services.answers.ask("Who said history doesn't repeat itself but it often rhymes?")
    assert answer.supported and answer.citations[0].quote.endswith("- Mark Twain (attributed)"), answer.answer


async def test_a_quotation_is_quoted_with_its_source_and_the_quotation_answers(corpus_services):
    answer = await corpus_services.answers.ask(
        "how dependent is nvidia on a couple of giant buyers? what did its 10-Q filing show?", "extractive"
    )
    first = answer.citations[0].quote
    assert first.startswith("“Sales to one direct customer") and first.endswith("NVIDIA 10-Q, filed 5/29/2024")
    assert "**“Sales to one direct customer" in answer.answer and "**NVIDIA 10-Q" not in answer.answer


async def test_two_documents_compared_as_wholes_each_say_what_they_argue_then_where_they_land(corpus_services):
    answer = await corpus_services.answers.ask(
        "Compare the fractal specialization essay with the monetization efficiency essay.", "extractive"
    )
    sections = [(c.document.id, c.section) for c in answer.citations]
    assert [d for d, _ in sections] == [
        "ai-fractal-pattern-of-specialization",
        "ai-fractal-pattern-of-specialization",
        "ai-monetization-efficiency-revolution",
        "ai-monetization-efficiency-revolution",
    ]
    assert sections[1][1].startswith("Conclusion") and sections[3][1].startswith("Conclusion")


@pytest.mark.parametrize(
    "question",
    ["Compare Sovereignty and Financial Correction", "Compare Continued Scaling with Efficiency Revolution"],
)
async def test_chapters_compared_as_wholes_quote_statements_not_their_framing_questions(corpus_services, question):
    answer = await corpus_services.answers.ask(question, "extractive")
    # each chapter compared, after the one that sets the two side by side, when one does ("How the Currents Interact")
    bridge = "scenario-planning-07-how-the-currents-interact"
    assert len({c.document.id for c in answer.citations if c.document.id != bridge}) == 2
    assert not any(c.quote.strip().startswith("“") and c.quote.strip().endswith("?”") for c in answer.citations)


async def test_a_short_subsection_listed_as_one_item_is_quoted_whole(corpus_services):
    answer = await corpus_services.answers.ask(
        "what strategic options does Meta have in the platform paradox essay?", "extractive"
    )
    assert [c.section for c in answer.citations][:2] == ["Option 1: Accept Dependency", "Option 2: Acquisition Spree"]
    assert "Probability: Highest" in answer.citations[0].quote  # the line after its list, which says how likely
    assert "Outcome: Gradual platform erosion" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "said"),
    [
        (
            "How do Continued Scaling and Efficiency Revolution relate - don't they contradict each other?",
            "Continued Scaling (1) and Efficiency Revolution (2) pull capex in opposite directions",
        ),
        (
            "Does Efficiency Revolution accelerate Sovereignty?",
            "Efficiency Revolution (Current 2) accelerates Sovereignty",
        ),
    ],
)
async def test_how_two_currents_bear_on_each_other_is_the_passage_linking_them(corpus_services, question, said):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.citations[0].document.id == "scenario-planning-07-how-the-currents-interact"
    assert said in answer.citations[0].quote


async def test_how_two_essays_relate_compares_them_as_wholes(corpus_services):
    answer = await corpus_services.answers.ask("how do the Jevons essay and the flywheel essay relate?", "extractive")
    assert answer.supported
    assert list(dict.fromkeys(c.document.id for c in answer.citations)) == [
        "jevons-paradox-in-ai",
        "ai-flywheel-paradox",
    ]


async def test_a_comparison_on_a_topic_quotes_each_side_on_it_not_their_conclusions(corpus_services):
    answer = await corpus_services.answers.ask(
        "compare the Jevons essay and the flywheel essay on compute demand", "extractive"
    )
    assert {c.document.id for c in answer.citations} == {"jevons-paradox-in-ai", "ai-flywheel-paradox"}
    assert not any((c.section or "").startswith("Conclusion") for c in answer.citations)


@pytest.mark.parametrize(
    "question",
    [
        "What does the Efficiency Revolution mean for an EU insurance company?",
        "Compare Hours and Dollars with From Lab to Production",
        # a comparison on a topic: each side's best block on it, never the chapter's tagline
        "How do the From Lab to Production chapter and the flywheel essay each describe the gap between what AI can do"
        " and what actually gets used?",
    ],
)
async def test_a_chapters_tagline_in_quotation_marks_is_never_the_answer(corpus_services, question):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.citations
    assert not any(re.fullmatch(r"\s*“[^”]*”\s*", c.quote) for c in answer.citations)


async def test_a_section_the_question_names_by_its_heading_is_quoted_whole(corpus_services):
    answer = await corpus_services.answers.ask("what is the real bottleneck in the AI flywheel?", "extractive")
    first = answer.citations[0]
    assert first.section == "The Real Bottleneck Is Somewhere Else Entirely"
    assert "capability soars while actual utilization flatlines" in first.quote
    assert "if users can’t effectively communicate what they need" in first.quote


@pytest.mark.parametrize(
    ("question", "marked"),
    [
        # the paragraph's cause is marked, not the sentence saying what happened
        ("Why did Meta switch to Muse Spark?", "**The combination of $115–135B in 2026 capex"),
        # "This leads to consolidation.": the sentence before it gives the cause
        (
            "Why will frontier models consolidate?",
            "**With huge capital expenditures required to stay ahead in the frontier model market",
        ),
        # a sentence that already gives one stays marked ("... is what makes EU-onshore deployment a real choice")
        (
            "Why does cheap open-weight AI strengthen the case for keeping deployments on European soil?",
            "**Efficiency Revolution (Current 2) accelerates Sovereignty (Current 4)",
        ),
    ],
)
async def test_a_why_question_marks_the_sentence_that_gives_the_cause(plain_ranking, question, marked):
    # the blocks the plain sentence model quotes; with the query adapter on, "Why will frontier models consolidate?" is
    # answered from the same section's list of past consolidations, whose lead-in is marked
    answer = await plain_ranking.answers.ask(question, "extractive")
    assert answer.supported and marked in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "marked"),
    [
        # the sentence that says whether, not the one that shares the most words
        (
            "Are Meta's Llama models still being developed?",
            "**Existing Llama models remain available but no longer evolve.**",
        ),
        ("Can DeepSeek's cost-saving training techniques be replicated by others?", "**They can be replicated.**"),
    ],
)
async def test_a_whether_question_marks_the_sentence_that_says_whether(corpus_services, question, marked):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and marked in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "marked"),
    [
        # the Sonnet 4.6 item, not the "$8 per agent-hour" of the Opus 4.7 item before it
        ("How much does an hour of work by a Sonnet 4.6 agent cost?", "**Claude Sonnet 4.6 at $3 input"),
        # the year asked, not the launch the timeline opens with
        ("Which 2023 release kept the post-ChatGPT excitement from fading?", "**March 2023: GPT-4 launches"),
        # "GPT-4", not "GPT-4o"
        ("How much did GPT-4 cost per 1K tokens?", "**2023 GPT-4: $0.03 per 1K tokens"),
    ],
)
async def test_the_list_item_with_the_version_or_year_asked_answers(corpus_services, question, marked):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and marked in answer.answer, answer.answer


async def test_a_follow_up_naming_another_version_marks_its_item(corpus_services):
    question = "How much does a Claude Sonnet 4.6 agent-hour cost?"
    first = await corpus_services.answers.ask(question)
    history = [{"role": "user", "content": question}, {"role": "assistant", "content": first.answer}]
    answer = await corpus_services.answers.ask("And Opus 4.7?", history=history)
    assert "**Claude Sonnet 4.6 at $3 input" in first.answer
    assert answer.supported and "**Claude Opus 4.7 at $5 input" in answer.answer, answer.answer


async def test_one_current_named_as_one_and_another_how_they_interact_is_the_passage_linking_them(corpus_services):
    # "the Efficiency Revolution current" is one reference; with "Sovereignty" and "interact" it asks how they relate
    answer = await corpus_services.answers.ask("how does the Efficiency Revolution current interact with Sovereignty?")
    assert (
        answer.supported and "**Efficiency Revolution (Current 2) accelerates Sovereignty (Current 4)" in answer.answer
    )


def test_the_sentences_an_answer_marked_are_read_back_from_its_bold():
    answer = "From “X — Y” [1]:\n\n**Amazon’s stock fell 94%.** Yet revenue grew.\n\n- **RLVR scales  like SaaS.**\n"
    assert shown_sentences(answer) == {"Amazon’s stock fell 94%.", "RLVR scales like SaaS."}
    assert shown_sentences("no marks here") == frozenset()


def test_a_short_sentence_right_before_a_list_leads_into_it():
    text = (
        "Benchmarks keep climbing.\n\nAnd yet, paradoxically, prompting has become more important than ever.\n\n"
        "- Benchmarks use expert-level queries\n- Real user questions fall far short\n\n"
        "This is the paradox at the heart of the flywheel, and it goes on well past fifteen words in one long sentence "
        "about compute.\n\n- One item after a long paragraph\n"
    )
    chunk = Chunk("d:1", "d", "Doc", "Section", "Section", text, 0, "essay", None)
    units = _units(chunk, 0)
    led = next(u for u in units if u.kind == "list" and u.lead)
    assert text[led.lead[0] : led.lead[1]] == "And yet, paradoxically, prompting has become more important than ever."
    assert len(led.items) == 2
    assert any(
        u.kind == "list" and not u.lead and text[u.start : u.end] == "- One item after a long paragraph" for u in units
    )


async def test_an_amount_asked_is_led_by_a_quoted_block_that_gives_one(corpus_services):
    # "OpenAI's loss of enterprise market share to Anthropic isn't a failure—it's physics." scores best and says none
    answer = await corpus_services.answers.ask("how much enterprise market share did openai lose to anthropic")
    assert answer.supported and "50%" in answer.citations[0].quote, answer.answer


async def test_a_question_of_degree_is_not_led_by_a_figure(corpus_services):
    answer = await corpus_services.answers.ask("How much does prompting still matter?")
    assert answer.supported and "prompting has become more important than ever" in answer.citations[0].quote


@pytest.mark.parametrize(
    ("question", "marked", "not_marked"),
    [
        # "V3", not the R1 sentence after it that says "training cost" as the question does
        ("What did DeepSeek V3 cost to train?", "**Then in December 2024, DeepSeek released V3", "**A month later"),
    ],
)
async def test_the_sentence_naming_the_version_asked_answers(corpus_services, question, marked, not_marked):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and marked in answer.answer and not_marked not in answer.answer, answer.answer


@pytest.mark.parametrize(
    ("question", "versions"),
    [
        ("What did DeepSeek V3 cost to train?", ["V3"]),
        ("How does o1 compare with GPT-4?", ["GPT-4", "o1"]),
        ("What does an H100 cost?", ["H100"]),
        # a numbered part, a quarter, a fiscal year: no version
        ("What is Stage 4 of the Jevons essay?", []),
        ("What did Nvidia earn in Q3 and FY2026?", []),
        ("What does Article 5 ban?", []),
    ],
)
def test_the_versions_a_question_names(question, versions):
    found = _models_asked(question)
    assert sorted(v for v in versions if any(p.search(v) for p in found)) == sorted(versions)
    assert len(found) == len(versions)


async def test_a_number_in_a_documents_title_is_no_version_to_lead_with(corpus_services):
    answer = await corpus_services.answers.ask(
        "What does Creative Destruction 2.0 predict for financial software vendors?"
    )
    assert answer.supported and answer.citations[0].section == "Financial Software", answer.answer


async def test_a_readers_own_parentheses_are_read(corpus_services):
    # only a gloss resolving a follow-up added is read past: here the parentheses name the two currents compared
    answer = await corpus_services.answers.ask("Compare the two currents (Continued Scaling and Financial Correction)")
    cited = {c.document.id for c in answer.citations}
    assert (
        answer.supported
        and {"scenario-planning-01-continued-scaling", "scenario-planning-03-financial-correction"} <= cited
    )


@pytest.mark.parametrize(
    ("question", "sections"),
    [
        (
            "Compare how Meta and Google are approaching the GPU race",
            ["Meta: The Desperate Sprinter", "Google: The Vertical Integrator"],
        ),
        # no comparison's form, but "differently" sets the two against each other
        (
            "How do OpenAI and Anthropic make money differently?",
            ["Consumer Model: OpenAI’s Strategy", "Enterprise Model: Anthropic’s Strategy"],
        ),
    ],
)
async def test_two_companies_set_against_each_other_get_a_block_each(corpus_services, question, sections):
    answer = await corpus_services.answers.ask(question, "extractive")
    cited = [c.section for c in answer.citations]
    assert answer.supported and all(s in cited for s in sections), answer.answer


async def test_a_company_whose_own_search_misses_its_section_gets_the_one_beside_the_others(corpus_services):
    # Google's search finds “Microsoft vs. Google (Cloud)”; xAI's section has Google's beside it
    answer = await corpus_services.answers.ask("How is Google's approach different from xAI's?", "extractive")
    cited = [c.section for c in answer.citations]
    assert "Google: The Vertical Integrator" in cited and "xAI: The Pure Blitzscaler" in cited, answer.answer
    # a company's own section is quoted whole, from its strategy line
    assert "Strategy: Custom silicon escape route" in answer.answer and "AGI by 2029" in answer.answer, answer.answer


@pytest.mark.parametrize(
    "question",
    [
        # neither search finds its section: Google's “Microsoft vs. Google (Cloud)”, Meta's “Why Meta Can't Catch Up”
        "How does Google's approach differ from Meta's?",
        "Microsoft vs xAI in the GPU race",
    ],
)
async def test_companies_compared_get_the_sections_a_document_gives_each_side_by_side(corpus_services, question):
    answer = await corpus_services.answers.ask(question, "extractive")
    cited = [c.section or "" for c in answer.citations]
    first, second = entities.companies(question)
    assert any(s.startswith(f"{first}:") for s in cited) and any(s.startswith(f"{second}:") for s in cited), cited


async def test_the_block_naming_the_year_asked_leads(corpus_services):
    # 2024, not the "Stage 4: Ambient Intelligence (2026-2027)" block the search ranks first
    answer = await corpus_services.answers.ask(
        "What does the Jevons piece put AI's electricity use at back in 2024, and which country is that comparable to?"
    )
    assert answer.supported and answer.citations[0].section == "Current Trajectory", answer.answer
    assert "Argentina" in answer.answer


@pytest.mark.parametrize(
    ("question", "marked"),
    [
        # the sentence saying what the quoted term is, though another holding it ("Execution power ...") scores best
        (
            "How does the author define 'power' in the context of tech defensibility?",
            "**Power—where a company maintains margin amidst competition",
        ),
        # quoted, the term is what is asked: "the Anthropic vs OpenAI story" sets no two companies against each other
        (
            'ELI5 what a "one-way moat" means in the Anthropic vs OpenAI story',
            "**By aligning with enterprise requirements, Anthropic created a one-way moat",
        ),
    ],
)
async def test_a_quoted_term_is_answered_by_the_sentence_saying_what_it_is(corpus_services, question, marked):
    answer = await corpus_services.answers.ask(question, "extractive")
    assert answer.supported and marked in answer.answer.split("\n\nFrom")[0], answer.answer


async def test_a_quoted_document_name_is_where_to_look_and_two_quoted_terms_are_compared(corpus_services):
    answer = await corpus_services.answers.ask(
        'In "The Platform Paradox" essay, why can\'t Meta catch up?', "extractive"
    )
    assert answer.citations[0].section == "Why Meta Can’t Catch Up", answer.answer
    compared = await corpus_services.answers.ask('Compare "Continued Scaling" and "Financial Correction"', "extractive")
    assert "Financial Correction (3) and Continued Scaling (1)" in compared.citations[0].quote, compared.answer


async def test_a_list_as_long_as_asked_answers_only_when_it_is_about_what_is_asked(corpus_services):
    # "three bets": the sentence naming them, not the flywheel essay's list of three about prompting
    answer = await corpus_services.answers.ask(
        "Each year's AI capex gets split into which three bets, and on what timescales?"
    )
    assert answer.supported and answer.citations[0].section == "The money is already spent", answer.answer
    assert "**Each year’s spending splits into three bets" in answer.answer


def test_the_passage_a_rule_put_first_leads_the_answer():
    from types import SimpleNamespace

    from service.answering.extractive import _led_by_chunk

    units = [SimpleNamespace(chunk=SimpleNamespace(id=i), score=s) for i, s in (("a", 0.9), ("b", 0.8), ("c", 0.7))]
    _led_by_chunk("c", units)  # type: ignore[arg-type]
    assert [u.chunk.id for u in units] == ["c", "a", "b"]
    _led_by_chunk("missing", units)  # type: ignore[arg-type]  # not quoted: the order stands
    assert [u.chunk.id for u in units] == ["c", "a", "b"]


async def test_an_answer_quotes_first_the_section_a_rule_led_with(corpus_services):
    prepared = await corpus_services.answers.examine("what does blitzscaling say about xAI?")
    assert prepared.retrieval.lead == prepared.retrieval.hits[0].chunk.id  # the company's section, put first by a rule
    answer = await corpus_services.answers.ask("what does blitzscaling say about xAI?", "extractive")
    assert answer.citations[0].chunk_id == prepared.retrieval.lead
