"""Where the bot's files live, and loading them once (on first use, never at import)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Union

from bot.knowledge.load import load_knowledge
from bot.knowledge.model import Knowledge
from bot.knowledge.templates import Templates, load_templates

REPO_ROOT = Path(__file__).resolve().parents[2]
ROOT_ENV = "FACTCHECK_ROOT"


@dataclass(frozen=True)
class Content:
    kb: Knowledge
    templates: Templates


def project_root(root: Union[str, Path, None] = None) -> Path:
    return Path(root or os.environ.get(ROOT_ENV) or REPO_ROOT)


def knowledge_dir(root: Union[str, Path, None] = None) -> Path:
    return project_root(root) / "data" / "knowledge"


def templates_file(root: Union[str, Path, None] = None) -> Path:
    return project_root(root) / "responses" / "templates.yml"


@lru_cache(maxsize=8)
def _load(root: Path) -> Content:
    return Content(load_knowledge(knowledge_dir(root)), load_templates(templates_file(root)))


def load_content(root: Union[str, Path, None] = None) -> Content:
    """Knowledge and templates under ``root`` (default: this repository), cached."""
    return _load(project_root(root).resolve())
