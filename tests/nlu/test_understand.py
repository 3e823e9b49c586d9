"""bot/nlu/understand.py: reading the NLU ranking and entities."""
from __future__ import annotations

from bot.nlu import understand


def ranking(*pairs):
    return [{"name": n, "confidence": c} for n, c in pairs]


def test_second_myth_is_offered_when_likely_enough(kb):
    r = ranking(("myth_encirclement", 0.5), ("myth_enlargement_promise", 0.3), ("greet", 0.1))
    assert understand.second_myth(kb, r, "myth_encirclement").id == "enlargement_promise"


def test_second_myth_is_not_offered_when_unlikely(kb):
    r = ranking(("myth_encirclement", 0.9), ("myth_enlargement_promise", 0.05))
    assert understand.second_myth(kb, r, "myth_encirclement") is None
    assert understand.second_myth(kb, [], "myth_encirclement") is None


def test_second_myth_ignores_the_fallback_entry(kb):
    r = ranking(("nlu_fallback", 0.3), ("myth_encirclement", 0.5), ("myth_nato_at_war", 0.4))
    assert understand.second_myth(kb, r, "myth_encirclement").id == "nato_at_war"


def test_clarify_between_two_close_topics(kb):
    r = ranking(("nlu_fallback", 0.2), ("myth_pushing_war", 0.19), ("myth_nato_at_war", 0.17))
    assert [t.id for t in understand.clarify_candidates(kb, r)] == ["pushing_war", "nato_at_war"]


def test_no_clarification_when_runner_up_is_far_or_not_a_topic(kb):
    assert understand.clarify_candidates(kb, ranking(("myth_pushing_war", 0.19), ("myth_nato_at_war", 0.05))) == []
    assert understand.clarify_candidates(kb, ranking(("out_of_scope", 0.19), ("myth_nato_at_war", 0.18))) == []


def test_entity_ids_are_canonical_and_unique(kb):
    entities = [{"value": "Finland"}, {"value": "finnland"}, {"value": "2023"}, {"value": "Narnia"}]
    assert understand.entity_ids(kb, entities) == ["finland", "2023"]


def test_a_confident_clause_names_the_second_myth(kb):
    r = ranking(("myth_enlargement_promise", 0.9), ("myth_encirclement", 0.02))
    clauses = [{"name": "myth_enlargement_promise", "confidence": 0.8}, {"name": "myth_encirclement", "confidence": 0.7}]
    assert understand.second_myth(kb, r, "myth_enlargement_promise", clauses).id == "encirclement"
    weak = [{"name": "myth_encirclement", "confidence": 0.3}]
    assert understand.second_myth(kb, r, "myth_enlargement_promise", weak) is None


def test_entities_named_in_the_claim_are_no_new_detail(kb):
    myth = kb.myths["encirclement"]
    entities = [{"value": "Russia"}, {"value": "NATO"}, {"value": "Finland"}]
    assert understand.detail_entities(kb, myth, entities) == ["finland"]
