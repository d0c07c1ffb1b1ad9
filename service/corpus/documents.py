"""Load and validate the Markdown documents of the corpus folder."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from frontmatter.default_handlers import YAMLHandler
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from service.errors import CorpusError

_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_DOC_ID = re.compile(r"^[a-z0-9][a-z0-9._-]*$")


class DocumentMeta(BaseModel):
    """Front matter of a corpus document: the one source of document metadata."""

    model_config = ConfigDict(extra="allow")

    title: str = Field(min_length=1)
    kind: str = "document"
    author: str | None = None
    publication: str | None = None
    series: str | None = None
    date: str | None = None
    source_file: str | None = None
    chapter: int | None = None
    current: str | None = None
    current_number: int | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _date_as_text(cls, value: object) -> object:
        if isinstance(value, (dt.date, int)):
            return str(value)
        return value


@dataclass(frozen=True)
class Document:
    id: str
    meta: DocumentMeta
    body: str
    path: Path = field(compare=False)

    @property
    def title(self) -> str:
        return self.meta.title


def _split_front_matter(path: Path, raw: str) -> tuple[dict, str]:
    handler = YAMLHandler()
    if not handler.detect(raw):
        return {}, raw.strip("\n")
    try:
        front, body = handler.split(raw)
        metadata = yaml.safe_load(front)
    except (ValueError, yaml.YAMLError) as exc:
        raise CorpusError(f"{path.name}: the front matter is not valid YAML: {exc}") from exc
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        raise CorpusError(f"{path.name}: the front matter must be a YAML mapping of fields such as title: and kind:.")
    return metadata, body.strip("\n")


def load_document(path: Path) -> Document:
    """Parse one Markdown file; raise CorpusError naming the file and what is wrong."""
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8.") from exc
    metadata, body = _split_front_matter(path, raw)
    if not body.strip():
        raise CorpusError(f"{path.name}: the document has no text after its front matter.")
    if "title" not in metadata:
        heading = _H1.search(body)
        if heading is None:
            raise CorpusError(
                f"{path.name}: no title: add `title:` to the front matter or start the text with a `# Heading`."
            )
        metadata["title"] = heading.group(1)
    try:
        meta = DocumentMeta.model_validate(metadata)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'front matter'}: {e['msg']}" for e in exc.errors())
        raise CorpusError(f"{path.name}: invalid front matter: {problems}") from exc
    doc_id = path.stem.lower()
    if not _DOC_ID.match(doc_id):
        raise CorpusError(
            f"{path.name}: rename the file to lowercase letters, digits, '-', '_' or '.' (it becomes the document id)."
        )
    return Document(id=doc_id, meta=meta, body=body, path=path)


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every *.md document under corpus_dir except README.md, in file-name order."""
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"corpus folder {corpus_dir} does not exist; set STRATEGY_CORPUS_DIR to a folder of Markdown files."
        )
    paths = sorted(p for p in corpus_dir.glob("*.md") if p.name.lower() != "readme.md")
    if not paths:
        raise CorpusError(f"corpus folder {corpus_dir} holds no Markdown (*.md) documents.")
    return [load_document(p) for p in paths]
