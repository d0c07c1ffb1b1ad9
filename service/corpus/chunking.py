"""Cut documents into structure-aware chunks that never cross a document or section boundary."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from markdown_it import MarkdownIt

from service.corpus.documents import Document
from service.corpus.leftovers import is_leftover
from service.text import sentence_spans

_MARKDOWN = MarkdownIt("commonmark").enable("table")


@dataclass(frozen=True)
class Chunk:
    """A verbatim slice of one section of one document, with what it needs to be found and cited."""

    id: str
    document_id: str
    document_title: str
    section: str | None
    section_path: str
    text: str
    ordinal: int
    kind: str
    current: str | None
    current_number: int | None = None
    publication: str | None = None  # where the document appeared ("Last Week in AI (podcast digest)")
    author: str | None = None  # who wrote the document, as its front matter says
    date: str | None = None  # when it appeared ("2025-09-04", "2026")
    series: str | None = None  # the work a chapter belongs to ("Scenario Planning for Generative AI")

    @property
    def embedded_text(self) -> str:
        """What the embedder and BM25 see: the title and headings carry the chunk's context."""
        heading = f"{self.document_title} — {self.section_path}" if self.section_path else self.document_title
        return f"{heading}\n{self.text}"

    def metadata(self) -> dict[str, str | int]:
        """Flat metadata for the vector store (no None values)."""
        return {
            "document_id": self.document_id,
            "document_title": self.document_title,
            "section": self.section or "",
            "section_path": self.section_path,
            "ordinal": self.ordinal,
            "kind": self.kind,
            "current": self.current or "",
            "current_number": self.current_number or 0,
            "publication": self.publication or "",
            "author": self.author or "",
            "date": self.date or "",
            "series": self.series or "",
        }

    @classmethod
    def from_store(cls, chunk_id: str, text: str, metadata: dict) -> Chunk:
        return cls(
            id=chunk_id,
            document_id=str(metadata["document_id"]),
            document_title=str(metadata["document_title"]),
            section=str(metadata.get("section") or "") or None,
            section_path=str(metadata.get("section_path") or ""),
            text=text,
            ordinal=int(metadata.get("ordinal", 0)),
            kind=str(metadata.get("kind") or "document"),
            current=str(metadata.get("current") or "") or None,
            current_number=int(metadata.get("current_number") or 0) or None,
            publication=str(metadata.get("publication") or "") or None,
            author=str(metadata.get("author") or "") or None,
            date=str(metadata.get("date") or "") or None,
            series=str(metadata.get("series") or "") or None,
        )


@dataclass
class _Block:
    start: int  # character offsets into the document body
    end: int
    headings: tuple[str, ...]
    kind: str = "paragraph"


@dataclass(frozen=True)
class TextBlock:
    """One top-level Markdown block of a text: a paragraph, one list item (with its sub-items), a table, ..."""

    start: int
    end: int
    kind: str  # paragraph | item | table | code | quote | html


_KINDS = {
    "paragraph_open": "paragraph",
    "table_open": "table",
    "code_block": "code",
    "fence": "code",
    "blockquote_open": "quote",
    "html_block": "html",
}


def text_blocks(text: str) -> list[TextBlock]:
    """The top-level blocks of a chunk's (or any) Markdown text, as character spans of it."""
    return [TextBlock(b.start, b.end, b.kind) for b in _blocks(text, "", split_leftovers=False)]


def _blocks(body: str, title: str, split_leftovers: bool = True) -> list[_Block]:
    """Top-level Markdown blocks (paragraphs, list items, tables) with the headings above them.

    Scrape leftovers (service/corpus/leftovers.py) are cut out: a block that holds one is split around it."""
    line_starts = [0]
    for line in body.splitlines(keepends=True):
        line_starts.append(line_starts[-1] + len(line))
    tokens = _MARKDOWN.parse(body)
    blocks: list[_Block] = []
    headings: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            level = int(token.tag[1])
            text = tokens[index + 1].content.strip()
            headings = [h for h in headings if h[0] < level] + [(level, text)]
            continue
        is_item = token.type == "list_item_open" and token.level == 1
        is_block = token.level == 0 and token.type in {
            "paragraph_open",
            "table_open",
            "code_block",
            "fence",
            "blockquote_open",
            "html_block",
        }
        if (is_item or is_block) and token.map:
            start, end = line_starts[token.map[0]], line_starts[token.map[1]]
            text = body[start:end]
            start += len(text) - len(text.lstrip())
            end -= len(text) - len(text.rstrip())
            if end > start:
                # A heading that repeats the document title is carried by the title, not the section.
                section = tuple(h for level, h in headings if not (level == 1 and h == title))
                kind = "item" if is_item else _KINDS.get(token.type, "paragraph")
                spans = _content_spans(body, start, end) if split_leftovers else [(start, end)]
                blocks.extend(_Block(s, e, section, kind) for s, e in spans)
    return blocks


def _content_spans(body: str, start: int, end: int) -> list[tuple[int, int]]:
    """The runs of a block's lines that are content (not scrape leftovers), trimmed of surrounding whitespace."""
    spans: list[tuple[int, int]] = []
    run_start = None
    position = start
    for line in body[start:end].splitlines(keepends=True):
        if is_leftover(line):
            if run_start is not None:
                spans.append((run_start, position))
            run_start = None
        elif run_start is None and line.strip():
            run_start = position
        position += len(line)
    if run_start is not None:
        spans.append((run_start, end))
    trimmed = []
    for s, e in spans:
        text = body[s:e]
        s, e = s + len(text) - len(text.lstrip()), e - (len(text) - len(text.rstrip()))
        if e > s:
            trimmed.append((s, e))
    return trimmed


def _leftover_offsets(body: str) -> list[int]:
    """Where the scrape leftovers of a document body start: a chunk never spans one."""
    offsets, position = [], 0
    for line in body.splitlines(keepends=True):
        if is_leftover(line):
            offsets.append(position)
        position += len(line)
    return offsets


def _pieces(body: str, block: _Block, max_words: int) -> list[tuple[int, int]]:
    """The block, or for an over-long block, runs of whole sentences of at most ~max_words."""
    if len(body[block.start : block.end].split()) <= max_words:
        return [(block.start, block.end)]
    pieces: list[tuple[int, int]] = []
    for start, end in sentence_spans(body, block.start, block.end):
        if pieces and len(body[pieces[-1][0] : end].split()) <= max_words:
            pieces[-1] = (pieces[-1][0], end)
        else:
            pieces.append((start, end))
    return pieces


def chunk_document(document: Document, max_words: int, model_name: str) -> list[Chunk]:
    """Group consecutive blocks of each section into verbatim slices of at most max_words words."""
    body = document.body
    leftovers = _leftover_offsets(body)
    groups: list[tuple[tuple[str, ...], int, int]] = []
    for block in _blocks(body, document.title):
        for start, end in _pieces(body, block, max_words):
            joinable = (
                groups
                and groups[-1][0] == block.headings
                and len(body[groups[-1][1] : end].split()) <= max_words
                and not any(groups[-1][2] <= offset < start for offset in leftovers)
            )
            if joinable:
                groups[-1] = (block.headings, groups[-1][1], end)
            else:
                groups.append((block.headings, start, end))
    chunks: list[Chunk] = []
    seen: set[str] = set()
    for ordinal, (headings, start, end) in enumerate(groups):
        text = body[start:end]
        section_path = " › ".join(headings)
        digest = hashlib.sha256(
            "\x1f".join([model_name, document.id, document.title, section_path, text]).encode()
        ).hexdigest()[:16]
        chunk_id = f"{document.id}:{digest}"
        while chunk_id in seen:  # the same text twice in one section
            chunk_id += "+"
        seen.add(chunk_id)
        chunks.append(
            Chunk(
                id=chunk_id,
                document_id=document.id,
                document_title=document.title,
                section=headings[-1] if headings else None,
                section_path=section_path,
                text=text,
                ordinal=ordinal,
                kind=document.meta.kind,
                current=document.meta.current,
                current_number=document.meta.current_number,
                publication=document.meta.publication,
                author=document.meta.author,
                date=document.meta.date,
                series=document.meta.series,
            )
        )
    return chunks


_LINE_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)]|#{1,6}|\|)\s*")


def chunk_sentences(text: str, min_words: int = 3) -> list[str]:
    """The sentences and list items of a chunk, for sentence-level matching; tiny fragments are dropped."""
    sentences: list[str] = []
    for line in text.splitlines():
        line = _LINE_MARKER.sub("", line).strip()
        sentences.extend(line[start:end] for start, end in sentence_spans(line))
    return [s for s in sentences if len(s.split()) >= min_words]
