"""bot/knowledge/templates.py and responses/templates.yml: every template the code uses exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.knowledge.templates import TemplateError, Templates, load_templates

REPO = Path(__file__).resolve().parents[2]


def used_template_names() -> set:
    names = set()
    for path in list((REPO / "bot").rglob("*.py")) + list((REPO / "actions").glob("*.py")):
        text = path.read_text()
        names |= set(re.findall(r'fill\(\s*"([a-z_]+)"', text))
        names |= set(re.findall(r'_button\(t, "([a-z_]+)"', text))
        names |= set(re.findall(r'render_menu\([^)]*"([a-z_]+)"\)', text))
    return names


def test_every_template_used_in_code_exists(templates):
    used = used_template_names()
    assert {"rebuttal", "sources", "off_topic", "button_sources"} <= used
    missing = used - set(templates.texts)
    assert not missing


def test_fill_reports_missing_template_and_value():
    t = Templates({"hello": "Hi {name}"}, "x.yml")
    assert t.fill("hello", name="Ann") == "Hi Ann"
    with pytest.raises(TemplateError, match="x.yml: template 'bye' is missing"):
        t.fill("bye")
    with pytest.raises(TemplateError, match="placeholder 'name' has no value"):
        t.fill("hello")


def test_templates_file_is_not_a_rasa_domain_file(repo):
    from rasa.shared.core.domain import Domain

    assert not Domain.is_domain_file(repo / "responses" / "templates.yml")


def test_bad_templates_file_is_reported(tmp_path):
    path = tmp_path / "t.yml"
    path.write_text("message_templates: [1, 2]\n")
    with pytest.raises(TemplateError, match="must map template names to text"):
        load_templates(path)
