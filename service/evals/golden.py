"""Golden cases as data: loading and the passage-matching rule shared by every metric."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from pydantic import BaseModel, Field

from service.settings import PROJECT_ROOT

GOLDEN_DIR = PROJECT_ROOT / "evals" / "golden"

_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?)", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalize_text(text: str) -> str:
    """Whitespace and Markdown line markers do not count when matching a passage."""
    return _SPACE.sub(" ", _MARKER.sub("", text)).strip()


def contains_passage(chunk_text: str, passage: str) -> bool:
    return normalize_text(passage) in normalize_text(chunk_text)


class RetrievalCase(BaseModel):
    id: str
    question: str
    document: str | None = None
    passage: str | None = None
    key_facts: list[str | list[str]] = Field(default_factory=list)
    names_document: bool = False
    must_refuse: bool = False
    why: str | None = None


def load_cases(path: Path) -> list[RetrievalCase]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return [RetrievalCase.model_validate(item) for item in data]
