"""Other names for the companies the corpus writes about, added to a query before it is searched.

Readers name companies the way the press does ("the ChatGPT maker", "Zuckerberg's team", "the search giant");
the corpus uses the name. Neither BM25 nor the small embedding model links the two, so a question that says
"Why isn't the search giant hoarding Nvidia cards?" missed the passage on Google's TPUs. `Aliases.expand` adds
the names a query refers to ("… (Google)"); the lexicon is aliases.yaml beside this file. The corpus's own terms
have everyday names too ("graphics chips" for GPUs, "the big cloud companies" for hyperscalers): terms.yaml, loaded
as a second lexicon of the same form, so that no term is taken for a company.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ALIASES_FILE = Path(__file__).with_name("aliases.yaml")
#: Everyday names for the corpus's own terms ("graphics chips": GPUs), expanded alike but naming no company.
TERMS_FILE = Path(__file__).with_name("terms.yaml")


def _phrase_pattern(phrase: str) -> str:
    """A phrase as whole words, any case, spaces and hyphens alike, with or without a possessive."""
    words = [re.escape(w).replace(r"'", "['’]") for w in re.split(r"[\s\-]+", phrase.strip()) if w]
    return r"\b" + r"[\s\-]+".join(words) + r"(?:['’]s)?\b"


def load_lexicon(path: Path = ALIASES_FILE) -> dict[str, list[str]]:
    """aliases.yaml as it is written: each company's name and its other names."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {str(name): [str(p) for p in phrases or []] for name, phrases in data.items()}


@dataclass(frozen=True)
class Aliases:
    """Per name, one pattern matching any of its other names."""

    names: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def load(cls, path: Path = ALIASES_FILE) -> Aliases:
        return cls.of(load_lexicon(path))

    @classmethod
    def of(cls, lexicon: dict[str, list[str]]) -> Aliases:
        return cls(
            tuple(
                (name, re.compile("|".join(_phrase_pattern(p) for p in kept), re.IGNORECASE))
                for name, phrases in lexicon.items()
                if (kept := [p for p in phrases or [] if p and p.strip()])
            )
        )

    def referred(self, query: str) -> list[str]:
        """The names the query refers to by another name and does not spell out itself."""
        return [
            name
            for name, pattern in self.names
            if pattern.search(query) and not re.search(rf"\b{re.escape(name)}\b", query, re.IGNORECASE)
        ]

    def call(self, name: str, text: str) -> bool:
        """Whether the text says the company by one of its other names ("What did Mark Zuckerberg say?": Meta)."""
        return any(n == name and pattern.search(text) for n, pattern in self.names)

    def spans(self, query: str) -> list[tuple[int, int]]:
        """Where the query says a company by another name ("Facebook", "the ChatGPT maker"), in any case."""
        return [m.span() for _, pattern in self.names for m in pattern.finditer(query)]

    def expand(self, query: str) -> str:
        """The query with the names it refers to added in brackets; unchanged when it refers to none."""
        names = self.referred(query)
        return f"{query} ({', '.join(names)})" if names else query
