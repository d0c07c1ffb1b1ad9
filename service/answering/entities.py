"""Places and companies in a question: what a follow-up naming one ("China", "and Anthropic?") is asked instead of.

Only things of a known kind are swapped for one another, a place for a place and a company for a company, found
by name, never guessed from capital letters: "Sam Altman" after "Who is the CEO of OpenAI?", "Financial
Correction" after "How does blitzscaling apply to OpenAI?" or "Digital Omnibus" after "How much did Meta spend?"
are of no kind here, and the conversation treats them as before.

Places are the countries of ISO 3166 (pycountry: each name, common and official name, and the part before a comma,
"Korea" of "Korea, Republic of") and the regions, blocs and short names readers use (REGIONS). Companies are the
names of service/retrieval/aliases.yaml (the companies the corpus writes about) and OTHER_COMPANIES.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pycountry

from service.retrieval.aliases import load_lexicon

Kind = Literal["place", "company"]

#: Regions, blocs, parts of countries and short or older country names that ISO 3166 does not spell that way.
REGIONS = (
    "Europe",
    "European Union",
    "EU",
    "Western Europe",
    "Eastern Europe",
    "Central Europe",
    "Central and Eastern Europe",
    "CEE",
    "Nordics",
    "Scandinavia",
    "Asia",
    "Southeast Asia",
    "East Asia",
    "APAC",
    "Asia-Pacific",
    "EMEA",
    "Middle East",
    "Gulf",
    "Africa",
    "Latin America",
    "South America",
    "North America",
    "Americas",
    "US",
    "USA",
    "U.S.",
    "America",
    "UK",
    "U.K.",
    "Britain",
    "Great Britain",
    "England",
    "Scotland",
    "Wales",
    "UAE",
    "Russia",
    "Turkey",
    "Ivory Coast",
    "Holland",
    "Burma",
    "Kosovo",
    "Brunei",
    "Silicon Valley",
)
#: Countries whose states or provinces count as places too (ISO 3166-2, pycountry's subdivisions).
#: (Not Britain's councils nor France's départements: "Reading", "Bury", "Somme", "Var" are words too.)
_STATES_OF = frozenset({"US", "CA", "DE", "IN", "AU"})
#: Places also written with "the" ("the EU", "the Netherlands"): the article goes with them when they replace one.
_WITH_ARTICLE = frozenset(
    {
        "eu",
        "european union",
        "us",
        "usa",
        "u.s.",
        "uk",
        "u.k.",
        "uae",
        "middle east",
        "gulf",
        "nordics",
        "americas",
        "netherlands",
        "philippines",
        "united states",
        "united kingdom",
        "united arab emirates",
        "czech republic",
    }
)
#: AI-industry companies the corpus names that aliases.yaml lists no other name for.
OTHER_COMPANIES = (
    "DeepSeek",
    "Mistral",
    "Cohere",
    "Perplexity",
    "Scale AI",
    "Character.AI",
    "Inflection",
    "CoreWeave",
    "Oracle",
    "AMD",
    "Intel",
    "TSMC",
    "IBM",
    "Salesforce",
    "Snowflake",
    "Databricks",
    "Hugging Face",
    "Midjourney",
    "Stability AI",
    "Tesla",
    "Baidu",
    "Tencent",
    "ByteDance",
    "Huawei",
    "Zhipu",
    "MiniMax",
    "Samsung",
)
#: Company names that are everyday words in lower case: a company only as spelled ("Meta", not "meta").
_EVERYDAY = frozenset({"meta", "apple", "amazon", "oracle", "inflection", "perplexity", "mistral", "google"})
_POSSESSIVE = r"(?:['’]s?)?"


@cache
def _places() -> frozenset[str]:
    """Every place, as it is spelled: countries, regions, and the states and provinces of _STATES_OF ("California")."""
    return frozenset(_countries() | {s.name for s in pycountry.subdivisions if s.country_code in _STATES_OF})


@cache
def _countries() -> frozenset[str]:
    """The countries and regions, as spelled."""
    return frozenset({value for country in pycountry.countries for value in _spellings(country)} | set(REGIONS))


def _spellings(country) -> set[str]:
    values = [getattr(country, field, None) for field in ("name", "common_name", "official_name")]
    return {spelling for value in values if value for spelling in (value, value.split(",")[0])}


@cache
def _lexicon() -> dict[str, list[str]]:
    return load_lexicon()


@cache
def _companies() -> dict[str, str]:
    """Every company's name as it is spelled, by its lower-case form ("nvidia" -> "NVIDIA")."""
    return {name.lower(): name for name in [*_lexicon(), *OTHER_COMPANIES]}


@cache
def _products() -> re.Pattern[str]:
    """The products aliases.yaml names companies by ("ChatGPT maker", "maker of Claude"): a question about one of them
    is about that product, whose company a follow-up cannot swap."""
    products = set()
    for phrases in _lexicon().values():
        for phrase in phrases:
            if m := re.fullmatch(r"(?:maker of|company behind)\s+(\S+)|(\S+?)(?:['’]s)?\s+(?:maker|parent)", phrase):
                products.add(m.group(1) or m.group(2))
    return re.compile(rf"\b(?:{'|'.join(re.escape(p) for p in sorted(products))})\b", re.IGNORECASE)


def names_a_product(question: str) -> bool:
    """Whether the question names a product ("GPT-5.5", "Claude", "Grok"), not only its company."""
    return _VERSIONED.search(question) is not None or _products().search(question) is not None


@cache
def _pattern() -> re.Pattern[str]:
    """Any known name as a whole word ("U.S." with its dot), longest first: a place as it is spelled, a company in
    any case ("Nvidia", "openai"), one that is an everyday word as spelled or in lower case ("meta": `mentions` keeps
    it only as an owner); not a company's name that opens a product's ("DeepSeek R1", "Google Gemini", "OpenAI o1")."""
    places = [re.escape(p) for p in _places() | set(_lower_places())]  # "eu", "china" in a question in lower case
    companies = [  # an everyday word in lower case too, for `_owner_in_lower_case` ("meta's approach")
        f"{re.escape(name)}|{re.escape(name.lower())}" if name.lower() in _EVERYDAY else f"(?i:{re.escape(name)})"
        for name in _companies().values()
    ]
    names = sorted(places + companies, key=len, reverse=True)
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(names)})(?![\w-]|\.\w)")


#: What follows a company's name when the name opens a product's ("DeepSeek R1", "Google Gemini", "OpenAI o1",
#: "Microsoft's Copilot"): a capitalised word in lower case after its capital, or a version; not a figure ("Nvidia 10
#: times", "Nvidia 2025 revenue") nor an acronym ("Microsoft's AI strategy", "Nvidia's GPUs").
_PRODUCT_AFTER = re.compile(r"(?:['’]s)?\s+(?:[A-Z][a-z]|[A-Za-z]+-?\d)")
#: A product's name with a version in it ("GPT-5.5", "H100", "o1", "Claude 3"), not a quarter ("Q3", "H1").
_VERSIONED = re.compile(r"\b(?![QH]\d\b)[A-Za-z]+-?\d[\w.]*")
_NEXT = re.compile(r"\s+([\w’'-]+)")  # the word right after a name; after a possessive ("China's AI") there is none
_OF_NAME = re.compile(r"\s+of\s+(?:the\s+)?[A-Z]")  # "the Gulf of Mexico"
_BEFORE = re.compile(r"([\w’'.-]+)\s+(?:(?:of|the)\s+)*$")


#: Places that are everyday words or first names in lower case ("us", "turkey", "jordan"): places only as spelled.
_EVERYDAY_PLACES = frozenset(
    "us chad jordan georgia turkey guinea jersey niger mali victoria washington acre gulf america".split()
)


@cache
def _lower_places() -> dict[str, str]:
    """A country's or region's name as it is spelled, by its lower-case form ("china" -> "China", "eu" -> "EU")."""
    return {p.lower(): p for p in sorted(_countries()) if p.lower() not in _EVERYDAY_PLACES}


def _kind(name: str) -> Kind | None:
    if name in _places() or name in _lower_places():
        return "place"
    company = _companies().get(name.lower())
    return "company" if company and (company == name or company.lower() not in _EVERYDAY) else None


def named(message: str) -> str | None:
    """The place or company a message is, whole ("China", "the U.S.", "and nvidia" is not one): the name as written
    less closing punctuation and a possessive, else None."""
    text = message.strip().rstrip("?!,;: ")
    if not kind_of(text):
        return None
    bare = re.sub(rf"{_POSSESSIVE}$", "", re.sub(r"^the\s+", "", text, flags=re.IGNORECASE))
    name = text if _kind(bare) else text.rstrip(".")  # "the U.S." keeps its dot; "China." ends a sentence
    return re.sub(r"^the\s+", "the ", name, flags=re.IGNORECASE)


def kind_of(phrase: str) -> Kind | None:
    """A place ("China", "the EU", "the U.S.", "china") or a company ("Anthropic", "OpenAI's", "nvidia"), as it is
    known; None for anything else ("AI chips", "Sam Altman", "us", "meta", "turkey")."""
    name = re.sub(rf"{_POSSESSIVE}$", "", re.sub(r"^the\s+", "", phrase.strip(" ?!,;:"), flags=re.IGNORECASE))
    return _kind(name) or _kind(name.rstrip("."))  # "China", "china", "the U.S."


@dataclass(frozen=True)
class Mention:
    start: int  # where its article starts, when the place takes one ("the EU")
    end: int  # before a possessive
    name: str
    kind: Kind


def mentions(question: str) -> list[Mention]:
    """The places and companies a question names, in order: "What was OpenAI's valuation in the EU?" -> OpenAI
    (company), the EU (place)."""
    found = []
    for match in _pattern().finditer(question):
        owner = _owner_in_lower_case(question, match)
        kind = "company" if owner else _kind(match.group(0))
        if kind is None:
            continue
        if kind == "company" and not owner and not _as_company(match.group(0), question, match.end()):
            continue
        if kind == "place" and _inside_name(question, match.start(), match.end()):
            continue
        # "the EU" is replaced whole; in "the China strategy" the article is the strategy's
        takes_article = kind == "place" and match.group(0).lower() in _WITH_ARTICLE
        article = re.search(r"\bthe\s+$", question[: match.start()], re.IGNORECASE) if takes_article else None
        found.append(Mention(article.start() if article else match.start(), match.end(), match.group(0), kind))
    return found


def companies(text: str) -> list[str]:
    """The companies a text names, each once, in order: "How do OpenAI and Anthropic make money?" -> OpenAI,
    Anthropic."""
    return list(dict.fromkeys(m.name for m in mentions(text) if m.kind == "company"))


def _name(name: str) -> str:
    """The company's name as a whole word ("Meta's" too), in any case."""
    return rf"(?i:\b{re.escape(name)}\b)"


def named_in(name: str, text: str) -> bool:
    """Whether the text names the company, as a whole word ("Meta's" too), in any case."""
    return re.search(_name(name), text) is not None


def times_named(name: str, text: str) -> int:
    """How many times the text names the company (as named_in finds it)."""
    return len(re.findall(_name(name), text))


def without(text: str, name: str) -> str:
    """The text with the company's name, and its possessive, blanked: "How does Anthropic's model ..." -> "How does
    model ..."."""
    return re.sub(rf"\b{re.escape(name)}(?:['’]s)?\b", " ", text, flags=re.IGNORECASE)


#: A possessive that owns something: "meta's approach".
_OWNS = re.compile(r"['’]s\s+\w")
_ARTICLE_BEFORE = re.compile(r"\b(?:a|an|the)\s+$", re.IGNORECASE)


def _owner_in_lower_case(question: str, match: re.Match[str]) -> bool:
    """A company whose name is an everyday word, typed in lower case, owning something and after no article: "how
    does the blitzscaling essay describe meta's approach?", "amazon's stock" (not "the meta level", "an apple's
    core")."""
    name = match.group(0)
    return (
        name.islower()
        and name in _EVERYDAY
        and bool(_OWNS.match(question, match.end()))
        and not _ARTICLE_BEFORE.search(question[: match.start()])
    )


def _as_company(text: str, question: str, end: int) -> bool:
    """The company itself: spelled with a capital, or in lower case only when its name is one word with a capital
    inside ("openai", "nvidia"; not "intel", nor "scale AI" in "how do we scale AI"), and not opening a product's
    name."""
    spelled = _companies()[text.lower()]
    written = text[0].isupper() or (" " not in spelled and any(ch.isupper() for ch in spelled[1:]))
    return written and not _PRODUCT_AFTER.match(question, end)


def _inside_name(question: str, start: int, end: int) -> bool:
    """A place's name inside a longer name: after a capitalised word ("Bank of America", "New South Wales", "Michael
    Jordan") or before one ("China Mobile", "the EU AI Act")."""
    after = _NEXT.match(question, end)
    if after and after.group(1)[0].isupper() or _OF_NAME.match(question, end):
        return True
    before = _BEFORE.search(question[:start])
    opens_sentence = before is not None and re.search(r"(?:^|[.!?]\s+)$", question[: before.start()]) is not None
    return before is not None and before.group(1)[0].isupper() and not opens_sentence


def swapped(question: str, subject: str, *, add_place: bool = False) -> str | None:
    """The question asked of another place or company, in place of the one of its kind it names: "What is the impact
    of AI in the EU?" + "China" -> "What is the impact of AI in China?"; "How does blitzscaling apply to OpenAI?" +
    "Anthropic" -> "... apply to Anthropic?". With `add_place`, a place the question names none of is added ("Who
    are the key players in AI chips?" + "Europe" -> "... in AI chips in Europe?"). None when the subject is of no
    known kind, or the question names no single other thing of its kind."""
    kind = kind_of(subject)
    if kind is None:
        return None
    name = re.sub(rf"{_POSSESSIVE}$", "", subject.strip(" ?!,;:"))
    bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE)
    asked, end = question.strip().rstrip("?!. "), "?" if question.strip().endswith("?") else ""
    if names_already(asked, bare):  # already asked of it
        return None
    same = [m for m in mentions(asked) if m.kind == kind]
    if kind == "company":
        if names_a_product(asked):  # "How does OpenAI price GPT-5.5?": the product is OpenAI's
            return None
        placed = _companies().get(bare.lower(), bare)
    else:  # "the Netherlands" as typed; "EU" with the article it takes; "china" spelled "China"
        if bare.islower():
            spelled = _lower_places().get(bare) or _lower_places()[bare.rstrip(".")]
            name, bare = name[: len(name) - len(bare)] + spelled, spelled
        placed = name if name != bare or bare.lower() not in _WITH_ARTICLE else f"the {bare}"
    if not same:
        inside = any(_kind(m.group(0)) == "place" for m in _pattern().finditer(asked))  # "the EU AI Act": no place
        return f"{asked} in {placed}{end}" if kind == "place" and add_place and not inside else None
    if len(same) > 1:
        return None
    target = same[0]
    rest = asked[target.end :]
    if re.match(r"['’](?!s)", rest) and not placed.endswith("s"):  # "the Netherlands' role" -> "Japan's role"
        rest = rest[0] + "s" + rest[1:]
    return f"{asked[: target.start]}{placed}{rest}{end}"


def names_already(question: str, name: str) -> bool:
    """Whether the question names that place or company already ("the EU" in "How is AI regulated in the EU?")."""
    bare = re.sub(r"^the\s+", "", name, flags=re.IGNORECASE).lower().rstrip(".")
    return any(m.name.lower().rstrip(".") == bare for m in mentions(question))
