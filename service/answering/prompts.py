"""Jinja2 templates from service/prompts/, one per task, loaded once with strict undefined variables."""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from service.settings import PACKAGE_DIR

PROMPTS_DIR = PACKAGE_DIR / "prompts"


class PromptLibrary:
    def __init__(self, folder: Path = PROMPTS_DIR):
        self._env = Environment(
            loader=FileSystemLoader(str(folder)),
            undefined=StrictUndefined,
            autoescape=False,
            keep_trailing_newline=False,
        )
        # Load (and so syntax-check) every template at start, not on first use.
        self._templates = {
            name.removesuffix(".j2"): self._env.get_template(name)
            for name in self._env.list_templates(extensions=["j2"])
        }

    def render(self, name: str, **variables) -> str:
        return self._templates[name].render(**variables).strip()
