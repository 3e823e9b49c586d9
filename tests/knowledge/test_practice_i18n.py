"""Practice mode's words and texts per language (bot/knowledge/practice_i18n.py): every
myth with a practice block has its texts in every language, with the English key points
and their facts, and every problem names file, entry, field and language."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from bot.knowledge import KnowledgeError
from bot.knowledge.practice_i18n import load_practice_language, localize_practice

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A copy of data/knowledge/i18n/practice under tmp_path, safe to edit."""
    target = tmp_path / "knowledge"
    shutil.copytree(REPO / "data" / "knowledge" / "i18n" / "practice", target / "i18n" / "practice")
    return target


def edit(knowledge: Path, code: str, change) -> Path:
    path = knowledge / "i18n" / "practice" / f"{code}.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def problems(knowledge: Path, code: str, kb, content) -> str:
    with pytest.raises(KnowledgeError) as err:
        load_practice_language(knowledge, code, kb, content.languages.get(code))
    return str(err.value)


@pytest.mark.parametrize("code", ["en", "ru", "uk", "de", "fr"])
def test_the_repository_files_load(knowledge, kb, content, code):
    words, blocks = load_practice_language(knowledge, code, kb, content.languages.get(code))
    assert words.code == code and words.explain_cues and words.source_cues
    practised = {m.id for m in kb.myths.values() if m.practice}
    assert set(blocks) == (set() if code == "en" else practised)


@pytest.mark.parametrize("code", ["ru", "uk", "de", "fr"])
def test_key_points_and_their_facts_are_the_english_ones(knowledge, kb, content, code):
    _, blocks = load_practice_language(knowledge, code, kb, content.languages.get(code))
    for mid, block in blocks.items():
        english = kb.myths[mid].practice
        assert [(k["id"], k["facts"]) for k in block["key_points"]] == \
               [(k["id"], k["facts"]) for k in english["key_points"]]
        assert block["counter"]["answered_by"] == english["counter"]["answered_by"]
        assert block["counter"]["text"] != english["counter"]["text"]


def test_a_missing_myth_is_named_with_file_and_language(knowledge, kb, content):
    path = edit(knowledge, "ru", lambda d: d["myths"].pop("encirclement"))
    text = problems(knowledge, "ru", kb, content)
    assert f"{path} (ru): entry 'encirclement': field 'myths': missing" in text


def test_a_key_point_not_in_the_english_block_is_refused(knowledge, kb, content):
    def change(doc):
        points = doc["myths"]["encirclement"]["key_points"]
        points["ring_of_bases"] = points.pop("russia_vast")
    edit(knowledge, "de", change)
    text = problems(knowledge, "de", kb, content)
    assert "(de): entry 'encirclement.key_points': field 'ring_of_bases': not a key point of the English block" in text
    assert "(de): entry 'encirclement.key_points': field 'russia_vast': missing" in text


def test_a_label_with_a_figure_its_facts_do_not_hold_is_refused(knowledge, kb, content):
    def change(doc):
        doc["myths"]["encirclement"]["key_points"]["small_border_share"]["label"] = "Nur 30 % der Grenze."
    edit(knowledge, "de", change)
    text = problems(knowledge, "de", kb, content)
    assert "(de): entry 'encirclement.practice.key_points.small_border_share': field 'label': figure" in text


def test_a_bad_cue_and_missing_figure_words_are_named(knowledge, kb, content):
    def change(doc):
        doc["scoring"]["explain_cues"].append("weil||")
        doc["figures"].pop("months")
    edit(knowledge, "de", change)
    text = problems(knowledge, "de", kb, content)
    assert "(de): entry 'scoring': field 'explain_cues': cue 'weil||'" in text
    assert "(de): entry 'figures': field 'months': must list the 12 months" in text


def test_a_missing_file_is_reported(knowledge, kb, content):
    (knowledge / "i18n" / "practice" / "fr.yml").unlink()
    assert "fr.yml (fr): missing or empty" in problems(knowledge, "fr", kb, content)


def test_localized_myths_carry_the_language_s_practice_block(knowledge, kb, content):
    _, blocks = load_practice_language(knowledge, "ru", kb, content.languages.get("ru"))
    local = localize_practice(kb, blocks)
    assert local.myths["encirclement"].practice["voices"] == blocks["encirclement"]["voices"]
    assert kb.myths["encirclement"].practice["voices"] != blocks["encirclement"]["voices"]
