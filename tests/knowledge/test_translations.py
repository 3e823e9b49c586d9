"""bot/knowledge/translations.py: every language has every text, figures equal the English,
dates are written the language's way, and a bad edit names file, entry, field and language."""
from __future__ import annotations

import pytest
import yaml

from bot.knowledge import KnowledgeError, load_content
from bot.knowledge.translations import english_figures, translated_figures

LANGUAGES = ("de", "fr", "ru", "uk")


def _edit(path, edit):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    edit(doc)
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _problems(root):
    with pytest.raises(KnowledgeError) as err:
        load_content(root)
    return err.value.problems


def test_the_bot_speaks_five_languages(content):
    assert content.codes == ("en",) + LANGUAGES
    for code in LANGUAGES:
        local = content.for_language(code)
        assert local.language == code and set(local.kb.facts) == set(content.kb.facts)
        assert local.templates.texts.keys() == content.templates.texts.keys()
    assert content.for_language("pl") is content and content.for_language(None) is content


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_figure_of_a_translation_is_a_figure_of_the_english(content, code):
    local, language = content.for_language(code).kb, content.languages[code]
    pairs = [(fid, fact.text, local.facts[fid].text) for fid, fact in content.kb.facts.items()]
    for mid, myth in content.kb.myths.items():
        pairs.append((mid, myth.claim, local.myths[mid].claim))
        pairs += [(mid, p.text, q.text) for p, q in zip(myth.passages(), local.myths[mid].passages())]
    wrong = [(entry, sorted(english_figures(en)), sorted(translated_figures(tr, language)))
             for entry, en, tr in pairs if english_figures(en) != translated_figures(tr, language)]
    assert not wrong


def test_figures_are_read_as_each_language_writes_them(content):
    ru, de = content.languages["ru"], content.languages["de"]
    assert translated_figures("около 40 000 военных и 1 миллиард жителей", ru) == {40000.0, 1e9}
    assert translated_figures("rund 40.000 Soldaten, 11 %", de) == {40000.0, 11.0}
    assert english_figures("about 40,000 troops and one billion people") == {40000.0, 1e9}
    # a changed figure is caught
    assert translated_figures("около 45 000 военных", ru) != english_figures("about 40,000 troops")


def test_dates_are_written_the_languages_way(content):
    assert content.languages["ru"].format_date("22 April 2022") == "22 апреля 2022"
    assert content.languages["uk"].format_date("April 2023") == "квітень 2023"
    assert content.languages["de"].format_date("22 April 2022") == "22. April 2022"
    assert content.languages["fr"].format_date("July 2024") == "juillet 2024"
    assert content.languages["fr"].format_date("2022") == "2022"
    fact = next(f for f in content.kb.facts.values() if f.as_of == "July 2024")
    assert content.for_language("de").kb.facts[fact.id].as_of == "Juli 2024"
    assert content.for_language("ru").kb.sources["eprs_2022"].date == "22 апреля 2022"


def test_entity_names_of_both_languages_are_known(content):
    ru = content.for_language("ru").kb
    assert ru.entity_id("Финляндии") == "finland" and ru.entity_id("Finland") == "finland"
    assert content.kb.entity_id("Финляндии") is None


def test_a_missing_fact_names_file_entry_field_and_language(project_copy):
    path = project_copy / "data" / "knowledge" / "i18n" / "ru.yml"
    _edit(path, lambda doc: doc["facts"].pop("border_share_11"))
    assert f"{path}: border_share_11: facts (ru): must be a non-empty text" in _problems(project_copy)


def test_a_template_that_loses_a_placeholder_is_reported(project_copy):
    path = project_copy / "responses" / "i18n" / "de.yml"
    _edit(path, lambda doc: doc["templates"].__setitem__("as_of", " (Stand)"))
    assert any(p.startswith(f"{path}: as_of: templates (de): placeholders") for p in _problems(project_copy))


def test_a_missing_myth_text_and_widget_string_are_reported(project_copy):
    kpath = project_copy / "data" / "knowledge" / "i18n" / "fr.yml"
    rpath = project_copy / "responses" / "i18n" / "fr.yml"
    _edit(kpath, lambda doc: doc["myths"]["encirclement"].pop("fallacy"))
    _edit(rpath, lambda doc: doc["widget"].pop("send"))
    problems = _problems(project_copy)
    assert f"{kpath}: encirclement: myths.fallacy (fr): must be a non-empty text" in problems
    assert f"{rpath}: send: widget (fr): must be a non-empty text" in problems


def test_a_fixed_reply_without_the_languages_variation_is_reported(project_copy):
    path = project_copy / "responses" / "utterances.yml"

    def drop_ukrainian(doc):
        doc["responses"]["utter_goodbye"] = [v for v in doc["responses"]["utter_goodbye"]
                                             if not any(c.get("value") == "uk" for c in v.get("condition") or [])]
    _edit(path, drop_ukrainian)
    assert f"{path}: utter_goodbye: condition (uk): no variation for this language" in _problems(project_copy)


def test_every_fixed_reply_has_a_variation_per_language(repo):
    doc = yaml.safe_load((repo / "responses" / "utterances.yml").read_text(encoding="utf-8"))
    for name, variants in doc["responses"].items():
        assert "condition" not in variants[0], name  # English first: Rasa's default
        found = {c["value"] for v in variants for c in v.get("condition") or [] if c.get("name") == "language"}
        assert found == set(LANGUAGES), name
        assert not any("channel" in v for v in variants), name


def test_widget_strings_match_the_english_built_into_the_widget(repo, content):
    script = (repo / "web" / "widget.js").read_text(encoding="utf-8")
    built_in = script[script.index("var STRINGS = { en: {"):script.index("} };")]
    for key, text in content.widget_strings.items():
        assert f'{key}: "{text}"' in built_in, key
