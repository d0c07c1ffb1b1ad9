"""Other names of the corpus's companies: added to a query before it is searched (service/retrieval/aliases.py)."""

import pytest

from service.retrieval.aliases import ALIASES_FILE, TERMS_FILE, Aliases

LEXICON = Aliases.of({"OpenAI": ["ChatGPT maker", "Sam Altman"], "xAI": ["Grok"], "Google": ["search giant"]})


@pytest.mark.parametrize(
    ("query", "expanded"),
    [
        ("When will the ChatGPT maker turn a profit?", "When will the ChatGPT maker turn a profit? (OpenAI)"),
        ("what did sam altman's firm raise", "what did sam altman's firm raise (OpenAI)"),  # any case, possessive
        ("the chatgpt-maker’s losses", "the chatgpt-maker’s losses (OpenAI)"),  # hyphen, curly apostrophe
        ("Does the search giant or Grok lead?", "Does the search giant or Grok lead? (xAI, Google)"),
    ],
)
def test_a_query_that_says_another_name_is_searched_with_the_name(query, expanded):
    assert LEXICON.expand(query) == expanded


@pytest.mark.parametrize(
    "query",
    [
        "What did OpenAI, the ChatGPT maker, raise?",  # the name is there already
        "Is grokking a real training effect?",  # a word that begins with an alias is not the alias
        "What is the Jevons paradox?",
    ],
)
def test_a_query_is_unchanged_when_it_names_nothing_by_another_name(query):
    assert LEXICON.expand(query) == query


def test_the_shipped_lexicon_loads_and_every_name_has_other_names():
    aliases = Aliases.load(ALIASES_FILE)
    assert {"OpenAI", "Anthropic", "Google", "Meta", "NVIDIA"} <= {name for name, _ in aliases.names}
    assert aliases.expand("Why is the search giant building its own chips?").endswith("(Google)")


def test_the_shipped_terms_load_and_name_no_company():
    terms = Aliases.load(TERMS_FILE)
    assert {"GPUs", "hyperscalers", "AGI"} <= {term for term, _ in terms.names}
    assert terms.expand("How much are the big cloud companies spending?").endswith("(hyperscalers)")
    # the institution by the names the press gives it: the corpus writes "the Pentagon"
    assert terms.expand("What did the DoD want from Anthropic?").endswith("(Pentagon)")
    assert terms.expand("the Department of Defense contract").endswith("(Pentagon)")
    companies = {name for name, _ in Aliases.load(ALIASES_FILE).names}
    assert not companies & {term for term, _ in terms.names}


def test_a_query_is_searched_with_the_companies_and_the_terms_it_calls_by_other_names(corpus_services):
    expanded = corpus_services.retriever.expand("When will Elon's AI company reach human-level AI?")
    assert expanded == "When will Elon's AI company reach human-level AI? (xAI) (AGI)"


def test_searching_a_term_by_its_everyday_name_finds_its_passages(corpus_services, monkeypatch):
    retriever = corpus_services.retriever
    question = "when does Elon's AI company say it'll get to human-level intelligence?"
    with_terms = [h.chunk.section for h in retriever.retrieve(question, 3).hits]
    monkeypatch.setattr(retriever, "terms", Aliases.of({}))
    without = [h.chunk.section for h in retriever.retrieve(question, 3).hits]
    # “xAI: The Pure Blitzscaler” says "AGI by 2029"
    assert with_terms[0] == "xAI: The Pure Blitzscaler" != without[0], (with_terms, without)


def test_searching_by_another_name_finds_the_company_passages_sooner(corpus_services, monkeypatch):
    retriever = corpus_services.retriever

    def rank(query: str, needle: str) -> int:
        # ranked by the plain embedding: the query adapter's map alone finds TPU development second
        hits = retriever.retrieve(query, 20, adapt=False).hits
        return next(i for i, hit in enumerate(hits, 1) if needle in hit.chunk.text)

    with_aliases = rank("Why does the search giant build its own chips?", "TPU development")
    monkeypatch.setattr(retriever, "aliases", Aliases.of({}))
    without = rank("Why does the search giant build its own chips?", "TPU development")
    assert with_aliases <= 3 < without


def test_blank_or_missing_other_names_are_ignored():
    assert Aliases.of({"X": ["", "  "], "Y": None, "Z": ["zed"]}).expand("what about zed?") == "what about zed? (Z)"  # type: ignore[dict-item]
    assert Aliases.of({"X": ["", "  "]}).expand("anything") == "anything"


@pytest.mark.parametrize(
    "query",
    [
        "Is Alibaba, the e-commerce giant, a threat to Qwen?",
        "Is TSMC the real chip giant?",
        "help me grok the Jevons paradox",
    ],
)
def test_an_epithet_that_fits_several_companies_or_an_everyday_word_adds_no_name(query):
    assert Aliases.load().expand(query) == query


def test_spans_say_where_the_query_uses_another_name():
    aliases = Aliases.of({"Meta": ["Facebook"], "OpenAI": ["ChatGPT maker"]})
    query = "Did the ChatGPT maker or Facebook's parent spend more?"
    assert [query[s:e] for s, e in aliases.spans(query)] == ["Facebook's", "ChatGPT maker"]


def test_call_says_whether_a_text_says_the_company_by_another_name():
    assert LEXICON.call("OpenAI", "As Sam Altman put it, compute is the bottleneck.")
    assert not LEXICON.call("Google", "As Sam Altman put it, compute is the bottleneck.")  # another company's
    assert not LEXICON.call("OpenAI", "OpenAI says compute is the bottleneck.")  # its name is no other name
