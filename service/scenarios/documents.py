"""Jinja2 templates for the drafts this package writes (Markdown and a printable HTML page)."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

_ENV = Environment(
    loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
    undefined=StrictUndefined,
    autoescape=select_autoescape(enabled_extensions=("html.j2",), default_for_string=False),  # HTML escapes every value
    trim_blocks=True,
    lstrip_blocks=True,
)


def render(name: str, **variables) -> str:
    return _ENV.get_template(name).render(**variables).strip() + "\n"
