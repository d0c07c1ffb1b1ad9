"""Jinja2 templates for the drafts this package writes (Markdown and a printable HTML page).

Every value put into a Markdown template passes through `markdown_text`, so text a user (or a model)
wrote stays text in the downloadable .md: no heading, checklist item, link or HTML of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_TEMPLATES = str(Path(__file__).parent / "templates")

#: Characters that open inline Markdown: escapes, code, emphasis, links and images, GFM tables and strikethrough.
_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: What opens a block when it starts a line: a heading, a list item, a setext underline (a quote's > is escaped below).
_BLOCK_START = re.compile(r"^([#+\-=]|\d{1,9}(?=[.)]))")
#: An HTML entity (&amp;, &#60;, &lt;): a lone "&" stays as written, "AT&T" reads as it is.
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")


def markdown_text(value: str) -> str:
    """`value` as literal Markdown text: one line, its Markdown and HTML escaped (CommonMark backslash escapes
    and entities), so it renders as exactly the characters written."""
    text = " ".join(value.split())  # a newline could start a heading, a list item or a quote
    text = _INLINE.sub(r"\\\1", text)
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    match = _BLOCK_START.match(text)
    if match:
        marker = match.group(1)
        text = (marker + "\\" + text[len(marker) :]) if marker[0].isdigit() else "\\" + text
    return text


def _markdown_value(value):
    return markdown_text(value) if isinstance(value, str) else value


_HTML = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    undefined=StrictUndefined,
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),  # HTML escapes every value
    trim_blocks=True,
    lstrip_blocks=True,
)
_MARKDOWN = Environment(
    loader=FileSystemLoader(_TEMPLATES),
    undefined=StrictUndefined,
    autoescape=False,
    finalize=_markdown_value,  # Markdown's counterpart of autoescape: every {{ value }} is text
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **variables) -> str:
    env = _MARKDOWN if name.endswith(".md.j2") else _HTML
    return env.get_template(name).render(**variables).strip() + "\n"
