"""bot/knowledge/claims.py: sentences, named entities and figures a citation covers."""
from __future__ import annotations

from bot.knowledge.claims import named_entities, sentences, uncovered


def test_sentences_split_on_full_stops_colons_and_semicolons():
    parts = sentences("Kosovo is different: the mandate is KFOR's. Libya; Bosnia.")
    assert parts == ["Kosovo is different:", "the mandate is KFOR's.", "Libya;", "Bosnia."]


def test_named_entities_use_the_aliases(kb):
    assert named_entities(kb, "NATO bombed Belgrade in 1999") == {"nato", "serbia"}
    assert named_entities(kb, "the US and the UK") == {"united_states", "united_kingdom"}
    assert "united_states" not in named_entities(kb, "let us talk")  # all-caps aliases match by case
    assert named_entities(kb, "the Two Plus Four Treaty") == {"two_plus_four"}


def test_names_of_the_cited_document_count_as_covered(kb):
    # the CIA's own title names the World Factbook; the treaty's names the treaty
    assert uncovered(kb, "The Two Plus Four Treaty of 1990 settled it.", ("two_plus_four_alliances",)) == []


def test_a_date_without_its_year_in_the_evidence_is_covered_by_the_source_date(kb):
    # "At the extraordinary NATO Summit on 24 March" in a briefing of 22 April 2022
    assert uncovered(kb, "Leaders met on 24 March 2022.", ("eight_battlegroups_2022",)) == []
    assert uncovered(kb, "Leaders met on 25 March 2022.", ("eight_battlegroups_2022",))


def test_an_uncovered_figure_and_place_are_both_named(kb):
    problems = uncovered(kb, "Libya lost 40,000 people.", ("kosovo_1999",))
    assert len(problems) == 2
    assert "Libya" in problems[0] and "40,000" in problems[1]


def test_organisations_are_checked_too(kb):
    problems = uncovered(kb, "The International Court of Justice ruled on it.", ("kosovo_1999",))
    assert len(problems) == 1 and "International Court of Justice" in problems[0]
    assert uncovered(kb, "The International Court of Justice ruled on it.", ("icj_order_suspend",)) == []
