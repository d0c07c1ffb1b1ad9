import pytest

from service.answering import entities
from service.answering.entities import kind_of, mentions, swapped


@pytest.mark.parametrize(
    ("phrase", "kind"),
    [
        ("China", "place"),
        ("the EU", "place"),
        ("the U.S.", "place"),
        ("Turkey", "place"),
        ("South Korea", "place"),
        ("Central and Eastern Europe", "place"),
        ("Anthropic", "company"),
        ("OpenAI's", "company"),
        ("nvidia", "company"),
        ("Meta", "company"),
        ("meta", None),  # an everyday word in lower case
        ("china", "place"),  # a country in lower case
        ("turkey", None),
        ("California", "place"),  # a state
        ("Reading", None),  # a British council's name, and a word
        ("us", None),  # the reader
        ("AI chips", None),
        ("Sam Altman", None),
        ("Financial Correction", None),
    ],
)
def test_places_and_companies_are_known_by_name(phrase, kind):
    assert kind_of(phrase) == kind


@pytest.mark.parametrize(
    ("question", "found"),
    [
        ("What was OpenAI's valuation in the EU?", [("OpenAI", "OpenAI"), ("the EU", "EU")]),
        ("What was OpenAI’s valuation?", [("OpenAI", "OpenAI")]),
        ("What did the U.S. do about chips?", [("the U.S.", "U.S.")]),
        ("Why did DeepSeek R1 shock Nvidia?", [("Nvidia", "Nvidia")]),  # the company opening a product's name is not
        ("We use OpenAI. Should we switch?", [("OpenAI", "OpenAI")]),
        ("What is the Jevons paradox?", []),
        ("What does it mean for us?", []),
    ],
)
def test_mentions_are_the_places_and_companies_a_question_names_with_their_article(question, found):
    assert [(question[m.start : m.end], m.name) for m in mentions(question)] == found


def test_a_place_replaces_a_place_with_the_article_it_takes():
    assert swapped("How is AI regulated in China?", "EU") == "How is AI regulated in the EU?"
    assert swapped("How is AI regulated in the US?", "China") == "How is AI regulated in China?"
    assert swapped("How is AI regulated in China?", "the Netherlands") == "How is AI regulated in the Netherlands?"


def test_a_company_replaces_a_company_spelled_as_it_is_known():
    assert swapped("What does the CEO of OpenAI think?", "anthropic") == "What does the CEO of Anthropic think?"
    assert swapped("Tell me about OpenAI", "Anthropic") == "Tell me about Anthropic"


def test_a_place_is_added_only_when_asked_for():
    assert swapped("Who are the key players in AI chips?", "Europe") is None
    assert swapped("Who are the key players in AI chips?", "Europe", add_place=True) == (
        "Who are the key players in AI chips in Europe?"
    )


def test_nothing_to_swap_is_none():
    assert swapped("What is blitzscaling?", "Anthropic") is None  # none of its kind
    assert swapped("What does OpenAI say about Google?", "Meta") is None  # two of its kind
    assert swapped("How does OpenAI make money?", "OpenAI") is None  # the same
    assert swapped("How does OpenAI make money?", "Sam Altman") is None  # no kind


@pytest.mark.parametrize(
    "question",
    [
        "What did Bank of America say about AI?",  # a place inside a longer name
        "What does China Mobile do with AI?",
        "What does the EU AI Act require?",
        "What is the Gulf of Mexico?",
        "How do we scale AI in banks?",  # "Scale AI" in lower case is two words, not the company
        "What intel do we have?",
    ],
)
def test_names_inside_other_names_or_everyday_words_are_no_mentions(question):
    assert mentions(question) == []


def test_a_company_opening_a_product_name_is_no_mention_but_a_figure_after_it_is_no_product():
    assert [m.name for m in mentions("How does blitzscaling apply to OpenAI's GPT-5?")] == []
    assert [m.name for m in mentions("Nvidia 2025 revenue")] == ["Nvidia"]


@pytest.mark.parametrize(
    ("question", "companies"),
    [
        ("how does the blitzscaling essay describe meta's approach", ["meta"]),  # typed in lower case, owning
        ("amazon's stock in the crash", ["amazon"]),
        ("what is the meta level?", []),  # the everyday word
        ("an apple's core", []),  # after an article
        ("amazon rainforest", []),
    ],
)
def test_a_company_named_by_an_everyday_word_in_lower_case_is_one_only_as_an_owner(question, companies):
    assert [m.name for m in mentions(question) if m.kind == "company"] == companies


def test_the_companies_a_text_names_each_once_in_order():
    assert entities.companies("How do OpenAI and Anthropic make money, and why does OpenAI lose?") == [
        "OpenAI",
        "Anthropic",
    ]
    assert entities.companies("What is the Jevons paradox?") == []


def test_a_company_named_in_a_text_and_the_text_without_it():
    assert entities.named_in("Meta", "Meta's open models") and entities.named_in("xai", "xAI: The Pure Blitzscaler")
    assert not entities.named_in("Meta", "metadata and metaverse")
    assert entities.without("How does Anthropic's model make money for Anthropic?", "Anthropic").split() == [
        "How",
        "does",
        "model",
        "make",
        "money",
        "for",
        "?",
    ]
