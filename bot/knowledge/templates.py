"""The message templates in responses/templates.yml, filled in by the renderers."""
from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

import yaml

TEMPLATES_KEY = "message_templates"


class TemplateError(ValueError):
    pass


@dataclass(frozen=True)
class Templates:
    texts: Mapping[str, str]
    path: str = "<memory>"

    def fill(self, name: str, /, **values: object) -> str:
        try:
            template = self.texts[name]
        except KeyError:
            raise TemplateError(f"{self.path}: template '{name}' is missing") from None
        try:
            return template.format_map(values)
        except KeyError as exc:
            raise TemplateError(
                f"{self.path}: template '{name}': placeholder {exc} has no value"
            ) from None

    def placeholders(self, name: str) -> set:
        return {f for _, f, _, _ in string.Formatter().parse(self.texts[name]) if f}


def load_templates(path: Path) -> Templates:
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise TemplateError(f"{path}: cannot read templates ({exc})") from None
    texts = doc.get(TEMPLATES_KEY) if isinstance(doc, dict) else None
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise TemplateError(f"{path}: '{TEMPLATES_KEY}' must map template names to text")
    return Templates(texts=texts, path=str(path))
