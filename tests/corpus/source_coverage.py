"""Check that corpus/ keeps every word of ../shared/corpus-sources/.

Each corpus document must be a verbatim slice of its source once Markdown
structure markers and whitespace are ignored, and together the documents must
cover their sources except known syndication boilerplate.

Run by hand to see what is missing: python tests/corpus/source_coverage.py
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from pathlib import Path

import frontmatter

ROOT = Path(__file__).resolve().parents[2]
CORPUS_DIR = ROOT / "corpus"
SOURCES_DIR = ROOT.parent / "shared" / "corpus-sources"

# Lines the scrape added around the authors' text, dropped on purpose.
BOILERPLATE = [
    r"Gennaro Cuofano's Blog, page \d+",
    r"(January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, \d{4}",
    r"The post .{5,200}? appeared first on FourWeekMBA\.",
    r"Want to leverage AI for your business strategy\?",
    r"Discover frameworks and insights at BusinessEngineer\.ai",
    r"Join the newsletter",
    r"Get updates on my latest projects, articles, and experiments with AI and web development\.",
    r"-",  # lone dashes the scrape left between list groups
]

_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|[-*+][ \t]+|>[ \t]?)", re.MULTILINE)
_SPACE = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Drop Markdown line markers and all whitespace, keeping every other character."""
    return _SPACE.sub("", _MARKER.sub("", text))


def uncovered_spans(source_text: str, bodies: list[str]) -> tuple[list[str], list[str]]:
    """Return (bodies not found verbatim in the source, source spans no body covers)."""
    source = normalize(source_text)
    covered = [False] * len(source)
    missing = []
    for body in bodies:
        norm = normalize(body)
        start = source.find(norm)
        if start < 0 or not norm:
            missing.append(body[:200])
            continue
        for i in range(start, start + len(norm)):
            covered[i] = True
    spans, current = [], []
    for ch, is_covered in zip(source, covered, strict=True):
        if is_covered:
            if current:
                spans.append("".join(current))
                current = []
        else:
            current.append(ch)
    if current:
        spans.append("".join(current))
    allowed = re.compile("(?:" + "|".join(normalize(p) for p in BOILERPLATE) + ")+")
    return missing, [s for s in spans if not allowed.fullmatch(s)]


def check() -> list[str]:
    by_source: dict[str, list[str]] = defaultdict(list)
    for path in sorted(CORPUS_DIR.glob("*.md")):
        if path.name.upper() == "README.MD":
            continue
        post = frontmatter.load(path)
        by_source[str(post.get("source_file", ""))].append(post.content)
    problems = []
    for source_path in sorted(SOURCES_DIR.glob("*.txt")):
        bodies = by_source.pop(source_path.name, [])
        if not bodies:
            problems.append(f"{source_path.name}: no corpus document names it as source_file")
            continue
        missing, gaps = uncovered_spans(source_path.read_text(encoding="utf-8"), bodies)
        problems += [f"{source_path.name}: body not verbatim in source: {m!r}" for m in missing]
        problems += [f"{source_path.name}: source text no document covers: {g[:160]!r}" for g in gaps]
    return problems


if __name__ == "__main__":
    found = check()
    print("\n".join(found) or "corpus covers its sources verbatim")
    sys.exit(1 if found else 0)
