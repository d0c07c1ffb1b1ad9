"""The question-type classifier reads the form of a question, not its topic."""

import pytest

from service.answering.question_form import (
    ConclusionAsked,
    by_position,
    classify,
    conclusion_asked,
    current_parts,
    term_defined,
)


@pytest.mark.parametrize(
    ("question", "focus", "count"),
    [
        ("Which stages does the framework name?", "stages", None),
        ("What are the trigger signals of the Sovereignty current?", "trigger signals", None),
        ("name the six currents", "currents", 6),
        ("List the main risks of vendor lock-in.", "main risks", None),
        ("What are the five phases of the hype cycle?", "phases", 5),
        ("At which levels does the pattern operate?", "levels", None),
        ("What physical limits could stop the buildout?", "physical limits", None),
        ("sovereignty triggers", "sovereignty triggers", None),
        # counting the parts a text is divided into asks for their list
        ("How many currents are there and what are they called?", "currents", None),
        ("how many stages of GPU scaling are there?", "stages", None),
        ("what are the names of the currents?", "currents", None),
        ("name all the currents", "currents", None),
        ("which ones of the currents are most likely?", "currents", None),  # several: a list
        # a plural that is also a verb ("it costs") is a noun after a modifier
        ("list the hidden costs of blitzscaling", "hidden costs", None),
        ("what are the training runs that fail?", "training runs", None),
        ("what the main risks of blitzscaling are", "main risks", None),  # "... are": a list, not what one thing is
        # a "which" after a break asks again
        ("When the model is basically free, which layers does value move to?", "layers", None),
        ("How does AI improving AI feed the cycle — what are the steps?", "steps", None),
        # a verb in -ing after a preposition or before its object is no subject's doing
        ("What are the hidden costs of scaling?", "hidden costs", None),
        ("What are the challenges facing Meta?", "challenges", None),
    ],
)
def test_enumerations_name_what_they_ask_for(question, focus, count):
    form = classify(question)
    assert (form.kind, form.focus, form.count) == ("enumeration", focus, count)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What's the one action that works under all six currents?", "other"),  # what holds across them
        ("What risk runs through all six currents?", "other"),
        ("What are all six currents?", "enumeration"),  # their list
        ("What happens in the five scenarios?", "enumeration"),
    ],
)
def test_what_holds_across_all_of_a_counted_whole_is_no_list_of_it(question, kind):
    assert classify(question).kind == kind


@pytest.mark.parametrize(
    ("question", "sides"),
    [
        (
            "Compare the Jevons paradox essay with the efficiency revolution current",
            ("Jevons paradox essay", "efficiency revolution current"),
        ),
        ("blitzscaling vs jevons: do they agree on efficiency?", ("blitzscaling", "jevons")),
        ("Open weights versus closed APIs", ("Open weights", "closed APIs")),
        ("How does blitzscaling differ from the Jevons paradox?", ("blitzscaling", "Jevons paradox")),
        ("What is the difference between training and inference spend?", ("training", "inference spend")),
        ("What distinguishes training from inference in terms of compute?", ("training", "inference")),
        ("what sets Anthropic apart from OpenAI?", ("Anthropic", "OpenAI")),
        ("How is open-weight AI different from closed APIs?", ("open-weight AI", "closed APIs")),
        ("Contrast the hype cycle essay's view with the booklet's.", ("hype cycle essay's view", "booklet's")),
        (
            "How do the flywheel essay and the scaling chapter each justify more compute?",
            ("flywheel essay", "scaling chapter"),
        ),
        # documents of one kind named together, in the plural
        ("compare the Jevons and flywheel essays", ("Jevons essay", "flywheel essay")),
        ("How are the Jevons and flywheel essays different?", ("Jevons essay", "flywheel essay")),
        (
            "Do the platform paradox and innovator's dilemma essays agree?",
            ("platform paradox essay", "innovator's dilemma essay"),
        ),
        # one of two chosen by a superlative is still a comparison
        ("which of the Jevons essay and the flywheel essay is most optimistic?", ("Jevons essay", "flywheel essay")),
    ],
)
def test_comparisons_name_their_sides(question, sides):
    form = classify(question)
    assert (form.kind, form.sides) == ("comparison", sides)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("What is the death zone in blitzscaling?", "death zone"),
        ("what is RLVR in one sentence?", "RLVR"),
        ("What's a moat?", "moat"),
        ("whats the commodity trap", "commodity trap"),  # as a search box has it, without the apostrophe
        ("Define creative destruction", "creative destruction"),
        ("Explain the platform paradox to me like I'm a new intern.", "platform paradox"),
        ("What does RLVR mean?", "RLVR"),
        ("death zone", "death zone"),
        ("blitzscaling", "blitzscaling"),
        # what it is, asked inside a request or as a clause (a topic without its request)
        ("explain what the Jevons paradox is", "Jevons paradox"),
        ("what an AI moat is", "AI moat"),
        ("explain what RLVR means", "RLVR"),
        # how to answer, before the question or after it, is no part of it
        ("In plain English, what is the Efficiency Revolution?", "Efficiency Revolution"),
        ("What is the Efficiency Revolution, in plain English?", "Efficiency Revolution"),
        # how someone defines it, or what they mean by it
        ("How does the flywheel essay define the AI flywheel?", "AI flywheel"),
        ("How is the death zone defined in the blitzscaling essay?", "death zone"),
        ("What does the booklet mean by a current?", "current"),
    ],
)
def test_definitions_name_the_term(question, term):
    form = classify(question)
    assert (form.kind, form.focus) == ("definition", term)


@pytest.mark.parametrize(
    ("question", "term"),
    [
        ("How does the flywheel essay define the AI flywheel?", "AI flywheel"),
        ("how is blitzscaling defined?", "blitzscaling"),
        ("How is the death zone defined in the blitzscaling essay?", "death zone"),
        ("What does Reid Hoffman mean by blitzscaling?", "blitzscaling"),
        ("What is blitzscaling?", None),  # what it is, not how someone defines it
        ("How does the flywheel work?", None),
        ("How are moats defined differently in the two essays?", None),  # how, not in what words
        ("how is it defined?", None),  # a pronoun is no term
    ],
)
def test_the_term_asked_how_someone_defines_it(question, term):
    assert term_defined(question) == term


@pytest.mark.parametrize(
    "question",
    [
        "why?",
        "and with Sonnet?",
        "How did demand respond when prices fell?",
        "What does the Jevons essay say about efficiency?",
        "Which rival's assistant do the engineers rely on?",  # a possessive is no plural
        "What happens when inference gets cheaper?",  # nor is a verb in -s
        "What's the codename of the model whose rollout slipped, per the podcast digest?",  # too long to be a term
        "Which investor joked that base models lose value fastest?",
        "how many GPUs did Meta buy?",  # a figure: GPUs are no parts of a text
        "which of the six currents is most likely?",  # one of the list, chosen: no list
        "and which one of the stages is the riskiest?",
        # a "what"/"which" opening a clause of a question another question word asks: its point, reason or way
        "What's the point of deciding in advance what signals will make you act?",
        "Why decide ahead of time which signals would change your plans?",
        "and how do they decide which tools to pay for?",
        # what a plural subject is doing: no list of it ("Big Five" counts the hyperscalers, not what is asked)
        "What are the Big Five hyperscalers spending?",
        "what are the labs building",
        "What are the hyperscalers spending on?",
    ],
)
def test_other_questions_ask_for_a_passage(question):
    assert classify(question).kind == "other"


@pytest.mark.parametrize(
    ("question", "focus"),
    [
        ("summarise the booklet", "the booklet"),
        ("Can you summarize the Sovereignty current for me?", "the Sovereignty current"),
        ("tl;dr of the AI flywheel essay", "the AI flywheel essay"),
        ("give me an overview of the podcast", "the podcast"),
        # what it was written in response to, which its opening says
        ("what news is the platform paradox essay reacting to?", "the platform paradox essay"),
        ("what prompted the Jevons essay?", "the Jevons essay"),
        ("what is the flywheel essay a response to?", "the flywheel essay"),
        ("what's the booklet about?", "the booklet"),
        ("What is the main argument of the innovator's dilemma piece?", "the innovator's dilemma piece"),
        ("key points of the defensibility essay", "the defensibility essay"),
        ("What does the podcast digest cover?", "the podcast digest"),
        ("What does the Sovereignty current say?", "the Sovereignty current"),
        ("what does the podcast tell us?", "the podcast"),
        ("what was the Last Week in AI episode mainly about?", "the Last Week in AI episode"),
        ("summary of the Jevons essay, please", "the Jevons essay"),
        ("tell me more about the Sovereignty current", "the Sovereignty current"),
        ("Can you tell me a bit more about the Jevons essay, please?", "the Jevons essay"),
        ("say more about Efficiency Revolution (the six currents)?", "Efficiency Revolution"),  # a resolved follow-up
        ("what about Hours and Dollars (the six currents)?", "Hours and Dollars"),
        ("go deeper into the podcast", "the podcast"),
        ("Tell me about the podcast", "the podcast"),
        ("What do you have on the podcast?", "the podcast"),
        ("what's the booklet's main message?", "the booklet"),  # a document's own gist
        # how long or in what shape to answer says nothing of what is asked
        ("Summarize the Hours and Dollars chapter in three bullets", "the Hours and Dollars chapter"),
        ("summarise the podcast as a table", "the podcast"),
        ("summarise the booklet in a nutshell", "the booklet"),
        ("give me 3 takeaways from the Jevons essay", "the Jevons essay"),  # a number of takeaways
        ("what are the five key points of the flywheel essay?", "the flywheel essay"),
        ("the flywheel essay's key takeaways", "the flywheel essay"),
        # as typed in a search box
        ("jevons essay tl;dr", "jevons essay"),
        ("scenario planning booklet cheat sheet", "scenario planning booklet"),
        ("the podcast recap", "the podcast"),
        ("Sovereignty chapter quick summary", "Sovereignty chapter"),
    ],
)
def test_overviews_name_the_document_as_referred_to(question, focus):
    form = classify(question)
    assert (form.kind, form.focus) == ("overview", focus)


@pytest.mark.parametrize(
    ("question", "document"),
    [
        ("what does the flywheel essay conclude?", "the flywheel essay"),
        ("What does the platform paradox piece conclude about Meta?", "the platform paradox piece"),
        ("What is the conclusion of the Jevons essay?", "the Jevons essay"),
        ("what's the bottom line of the innovator's dilemma essay?", "the innovator's dilemma essay"),
        ("What is the Jevons essay's conclusion?", "the Jevons essay"),
        ("How does the blitzscaling essay end?", "the blitzscaling essay"),
        ("give me the final verdict of the podcast", "the podcast"),
        ("what does the podcast end with?", "the podcast"),
        ("What conclusion does the Jevons essay reach?", "the Jevons essay"),
        ("What does the Jevons essay ultimately conclude?", "the Jevons essay"),
        ("what's the bottom line on the Jevons essay?", "the Jevons essay"),
        ("What does the Jevons essay say in its conclusion?", "the Jevons essay"),
        ("what does the booklet recommend?", "the booklet"),  # what a document recommends, it concludes with
        ("What does the Jevons essay advise?", "the Jevons essay"),
        # the one thing to take from it
        ("what is the single biggest takeaway of the booklet?", "the booklet"),
        ("ok, so summarise the single biggest takeaway of the booklet for me", "the booklet"),
        ("give me one takeaway from the flywheel essay", "the flywheel essay"),
    ],
)
def test_a_question_asking_what_a_document_concludes_names_it(question, document):
    asked = conclusion_asked(question)
    assert asked is not None and asked.document == document


def test_what_a_conclusion_is_asked_about_is_kept():
    assert conclusion_asked("What does the platform paradox piece conclude about Meta?") == ConclusionAsked(
        "the platform paradox piece", "Meta"
    )
    assert conclusion_asked("What is the Jevons essay's conclusion?") == ConclusionAsked("the Jevons essay")


@pytest.mark.parametrize(
    "question",
    [
        "What conclusions can a bank draw from the Sovereignty current?",
        "How does the market end up?",
        "how do labs finish the race to 100,000 GPUs?",
        "What is the main argument of the innovator's dilemma piece?",  # an overview
        "How does the hype cycle end?",  # the framework, not a document
        "what is the conclusion from the arms race?",
        "What does Christensen conclude?",
        "what are the key takeaways of the podcast?",  # an overview
    ],
)
def test_other_questions_ask_no_conclusion(question):
    assert conclusion_asked(question) is None


@pytest.mark.parametrize(
    "question", ["what about the six currents?", "tell me more about the five stages of the Jevons paradox"]
)
def test_more_about_things_counted_is_an_enumeration(question):
    assert classify(question).kind == "enumeration"


def test_a_document_placed_in_an_order_is_referred_to_by_position():
    assert by_position("the last chapter") and by_position("the next current")
    assert not by_position("Last Week in AI") and not by_position("the Sovereignty chapter")
    assert not by_position("last week in ai") and not by_position("the latest digest")


def test_documents_referred_to_by_kind_are_collected():
    form = classify("The platform paradox essay calls it weakness. How does the defensibility essay read it?")
    assert form.references == ("platform paradox essay", "defensibility essay")
    assert classify("What does the Jevons essay say?").references == ("Jevons essay",)


@pytest.mark.parametrize(
    ("question", "part"),
    [
        ("What are the counter-triggers of the Sovereignty current?", "counter-triggers"),
        ("What would disconfirm the Sovereignty current?", "counter-triggers"),
        ("what are the data sources for the Hours and Dollars current?", "data sources"),
        ("Where does the data for the Sovereignty current come from?", "data sources"),
        ("Which sources does the Sovereignty chapter draw on?", "data sources"),
        ("What is the Financial Correction chapter's data?", "data sources"),
        ("what is the framing question of the Sovereignty current?", "framing question"),
        ("What question does the Financial Correction chapter ask?", "framing question"),
        ("What are the trigger signals of the Sovereignty current?", "triggers"),  # alone, a watch list (service)
        ("What data does METR publish?", None),
    ],
)
def test_a_question_for_one_part_of_a_current_names_that_part(question, part):
    assert current_parts(question)[0] == ([part] if part else [])


def test_parts_come_in_the_order_asked_and_leave_the_rest_of_the_question():
    parts, rest = current_parts("What are the counter-triggers and data sources of the Sovereignty current?")
    assert parts == ["counter-triggers", "data sources"]
    assert "counter" not in rest and "data" not in rest and "Sovereignty current" in rest


def test_the_different_items_of_two_documents_are_no_comparison():
    form = classify("What are the different trigger signals in the Sovereignty and Financial Correction chapters?")
    assert form.kind != "comparison"


def test_a_company_s_main_argument_is_no_overview_of_a_document():
    assert classify("what is OpenAI's main argument?").kind != "overview"


@pytest.mark.parametrize(
    "question",
    [
        "How much does it cost?",
        "What makes costs rise?",
        "what it costs",
        "Which company runs the largest GPU cluster?",  # a verb with its object
        "Which strategy works best?",
        "What strategy works for incumbents?",
    ],
)
def test_a_plural_that_is_a_verb_here_asks_for_no_list(question):
    assert classify(question).kind != "enumeration"
