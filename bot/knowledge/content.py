"""Where the bot's files live, and loading them once (on first use, never at import):
the knowledge base, templates and practice words in English and in every language of
data/knowledge/i18n/ (practice: data/knowledge/i18n/practice/<lang>.yml)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Sequence, Union

import yaml

from bot.knowledge.load import load_knowledge
from bot.knowledge.model import Knowledge
from bot.knowledge.practice_i18n import PracticeLanguage, load_practice_language, localize_practice, practice_path
from bot.knowledge.templates import Templates, load_templates
from bot.knowledge.translations import (DEFAULT_LANGUAGE, Language, Translation, load_language, load_translation,
                                         localize)

REPO_ROOT = Path(__file__).resolve().parents[2]
ROOT_ENV = "FACTCHECK_ROOT"


@dataclass(frozen=True)
class Content:
    """The knowledge base and templates of one language, and every language's (``localized``)."""

    kb: Knowledge
    templates: Templates
    language: str = DEFAULT_LANGUAGE
    languages: Mapping[str, Language] = field(default_factory=dict)
    translations: Mapping[str, Translation] = field(default_factory=dict)
    localized: Mapping[str, "Content"] = field(default_factory=dict)
    widget_strings: Mapping[str, str] = field(default_factory=dict)
    practice: Optional[PracticeLanguage] = None   # None: no practice words for this language

    def for_language(self, code: Optional[str]) -> "Content":
        """The content in language ``code``; English for an unknown or missing code."""
        return self.localized.get(code or DEFAULT_LANGUAGE, self.localized.get(DEFAULT_LANGUAGE, self))

    @property
    def codes(self) -> Sequence[str]:
        """The languages the bot speaks, English first."""
        return tuple(self.languages)


def project_root(root: Union[str, Path, None] = None) -> Path:
    return Path(root or os.environ.get(ROOT_ENV) or REPO_ROOT)


def knowledge_dir(root: Union[str, Path, None] = None) -> Path:
    return project_root(root) / "data" / "knowledge"


def templates_file(root: Union[str, Path, None] = None) -> Path:
    return project_root(root) / "responses" / "templates.yml"


def _utterances(root: Path) -> Dict[str, Any]:
    """The fixed replies of the domain, with their variations per language."""
    path = root / "responses" / "utterances.yml"
    doc = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}) or {}
    return dict(doc.get("responses", {}))


def _widget_strings(root: Path) -> Dict[str, str]:
    """The chat widget's English strings (responses/widget.yml)."""
    path = root / "responses" / "widget.yml"
    doc = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}) or {}
    return {str(k): str(v) for k, v in (doc.get("widget_strings") or {}).items()}


@lru_cache(maxsize=8)
def _load(root: Path) -> Content:
    kdir, rdir = knowledge_dir(root), root / "responses"
    kb, templates = load_knowledge(kdir), load_templates(templates_file(root))
    codes = sorted(p.stem for p in (kdir / "i18n").glob("*.yml")) if (kdir / "i18n").is_dir() else []
    languages: Dict[str, Language] = {}
    translations: Dict[str, Translation] = {}
    if DEFAULT_LANGUAGE in codes:
        languages[DEFAULT_LANGUAGE] = load_language(kdir, rdir, DEFAULT_LANGUAGE)
    utterances = _utterances(root) if len(codes) > 1 else {}
    widget = _widget_strings(root)
    for code in codes:
        if code != DEFAULT_LANGUAGE:
            translations[code] = load_translation(kdir, rdir, code, kb, templates, utterances, widget)
            languages[code] = translations[code].language
    practice: Dict[str, Any] = {}
    if practice_path(kdir, DEFAULT_LANGUAGE).parent.is_dir():
        for code in [DEFAULT_LANGUAGE] + list(translations):
            practice[code] = load_practice_language(kdir, code, kb, languages.get(code))
    localized: Dict[str, Content] = {}
    english_practice = practice.get(DEFAULT_LANGUAGE, (None, {}))[0]
    english = Content(kb, templates, DEFAULT_LANGUAGE, languages, translations, localized, widget, english_practice)
    localized[DEFAULT_LANGUAGE] = english
    for code, tr in translations.items():
        words, blocks = practice.get(code, (None, {}))
        localized[code] = Content(localize_practice(localize(kb, tr), blocks),
                                  Templates(tr.templates, f"responses/i18n/{code}.yml"), code,
                                  languages, translations, localized, tr.widget, words)
    return english


def load_content(root: Union[str, Path, None] = None) -> Content:
    """Knowledge and templates under ``root`` (default: this repository), cached."""
    return _load(project_root(root).resolve())
