"""bot/knowledge/load.py: the knowledge base loads, is consistent, and bad edits are named."""
from __future__ import annotations

import re

import pytest
import yaml

from bot.knowledge import KnowledgeError, load_knowledge


def test_repository_knowledge_loads(kb):
    assert len(kb.myths) == 9
    assert set(kb.myths) == {
        "nato_at_war", "enlargement_promise", "nato_aggressive", "pushing_war",
        "deployments_threat", "encirclement", "ukraine_membership",
        "operations_not_defensive", "nato_troops_in_ukraine",
    }
    assert [m.order for m in kb.myths.values()] == sorted(m.order for m in kb.myths.values())


def test_ids_are_unique_across_topics(kb):
    assert not set(kb.myths) & set(kb.questions)


def test_every_myth_has_facts_numbers_and_linked_citations(kb):
    for myth in kb.myths.values():
        fact_ids = {f for p in myth.passages() for f in p.facts} | set(myth.more)
        facts = [kb.facts[f] for f in fact_ids]
        assert facts, myth.id
        assert any(f.numbers for f in facts), f"{myth.id} states no figure or date"
        for fact in facts:
            for sid in fact.source_ids:
                assert kb.sources[sid].url.startswith(("https://", "http://")), (myth.id, fact.id)


def test_sources_say_what_kind_of_source_they_are(kb):
    assert kb.sources["nato_2024"].kind == "nato" and "one side" in kb.sources["nato_2024"].weighing
    assert "outside NATO" in kb.sources["eprs_2022"].weighing
    assert kb.sources["eprs_2022"].date == "22 April 2022"


def test_numbers_listed_for_a_fact_appear_in_its_text(kb):
    for fact in kb.facts.values():
        for number in fact.numbers:
            assert number.lower() in fact.text.lower(), (fact.id, number)


def test_figures_that_change_carry_their_date(kb):
    for fid in ("border_share_11", "eastern_flank_40000", "jets_and_ships", "allies_32_2024"):
        assert kb.facts[fid].changes and kb.facts[fid].as_of


def test_entity_aliases_map_to_ids(kb):
    assert kb.entity_id("Finland") == "finland"
    assert kb.entity_id("the Baltics") == "baltic_states"
    assert kb.entity_id("UNSCR 1973") == "unscr_1973"
    assert kb.entity_id("2008") == "2008"
    assert kb.entity_id("Atlantis") is None


def _edit(path, change):
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))


def test_missing_field_names_file_entry_and_field(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "myths" / "encirclement.yml", lambda d: d.pop("lead"))
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(root)
    message = str(err.value)
    assert "encirclement.yml" in message and "'encirclement'" in message and "'lead'" in message


def test_unknown_fact_reference_is_reported(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "questions.yml", lambda d: d["questions"][0]["facts"].append("no_such_fact"))
    with pytest.raises(KnowledgeError, match=r"questions\.yml: entry 'eastern_flank_troops': field 'facts': unknown fact 'no_such_fact'"):
        load_knowledge(root)


def test_duplicate_fact_id_is_reported(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "facts.yml", lambda d: d["facts"].append(dict(d["facts"][0])))
    with pytest.raises(KnowledgeError, match=r"facts\.yml: entry 'strategic_concept_2022': field 'id': is not unique"):
        load_knowledge(root)


def test_misspelt_field_and_unknown_source_are_reported(project_copy):
    root = project_copy / "data" / "knowledge"

    def change(d):
        d["facts"][0]["txt"] = d["facts"][0].pop("text")
        d["facts"][1]["sources"][0]["source"] = "tass"

    _edit(root / "facts.yml", change)
    with pytest.raises(KnowledgeError) as err:
        load_knowledge(root)
    text = str(err.value)
    assert "field 'txt': is not a known field" in text
    assert "field 'text': is missing" in text
    assert "unknown source 'tass'" in text


def test_facet_must_name_a_known_entity(project_copy):
    root = project_copy / "data" / "knowledge"
    _edit(root / "myths" / "encirclement.yml", lambda d: d["facets"].update({"narnia": ["russia_size"]}))
    with pytest.raises(KnowledgeError, match=r"entry 'encirclement': field 'facets.narnia'"):
        load_knowledge(root)


def test_broken_yaml_is_reported_with_its_file(project_copy):
    root = project_copy / "data" / "knowledge"
    (root / "sources.yml").write_text("sources: [unclosed\n")
    with pytest.raises(KnowledgeError, match=r"sources\.yml.*not valid YAML"):
        load_knowledge(root)


def test_a_new_myth_needs_only_data(project_copy):
    """Adding a myth is a data edit: the loader picks up a new file without code changes."""
    root = project_copy / "data" / "knowledge"
    text = (root / "myths" / "encirclement.yml").read_text()
    text = re.sub(r"^id: encirclement", "id: encirclement_copy", text, flags=re.M)
    (root / "myths" / "encirclement_copy.yml").write_text(text)
    kb = load_knowledge(root)
    assert kb.myth_for_intent("myth_encirclement_copy").claim == kb.myths["encirclement"].claim
