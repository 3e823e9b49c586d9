"""bot/answers/render.py: replies carry the structure, figures, citations and buttons promised."""
from __future__ import annotations

import re

import pytest

from bot.answers import render

KEY_FIGURES = {
    "encirclement": ["11%", "April 2023", "eleven time zones"],
    "deployments_threat": ["2014", "four", "eight", "2016", "2017"],
    "enlargement_promise": ["1949", "1990", "Baker", "Genscher"],
    "nato_at_war": ["UN Charter", "Article 5"],
    "nato_aggressive": ["Georgia in 2008", "2014 and 2022", "2002", "January 2022"],
    "pushing_war": ["2014", "2022", "December 2021"],
    "ukraine_membership": ["32 NATO Allies", "2024 Washington Summit", "40 billion"],
    "operations_not_defensive": ["1244", "1970 and 1973", "100,000", "1999", "2011"],
    "nato_troops_in_ukraine": ["no-fly zone", "not deploy forces"],
}


@pytest.mark.parametrize("myth_id", sorted(KEY_FIGURES))
def test_rebuttal_has_fact_myth_fallacy_fact_and_figures(kb, templates, myth_id):
    myth = kb.myths[myth_id]
    reply = render.render_rebuttal(kb, templates, myth)
    assert reply.template == "rebuttal" and reply.topic == myth_id
    text = reply.text
    # fact first, the myth named once, the fallacy, the fact again
    lead, claim_at = text.index(myth.lead.text[:40]), text.index(f'"{myth.claim}" is a myth')
    why_at, bottom_at = text.index("Why it misleads:"), text.index("Bottom line:")
    assert lead < claim_at < why_at < bottom_at
    assert text.count(myth.claim) == 1
    for figure in KEY_FIGURES[myth_id]:
        assert figure in text, (myth_id, figure)
    # citations: markers in the text and numbered source lines with links
    assert re.search(r"\[\d(, \d)*\]", text)
    assert "Sources:\n[1] " in text and "https://" in text
    payloads = [b["payload"] for b in reply.buttons]
    assert payloads[:2] == ["/ask_sources", "/ask_more"]
    assert payloads[2] == f"/myth_{myth.related[0]}"


def test_changing_figures_carry_their_as_of_date(kb, templates):
    text = render.render_rebuttal(kb, templates, kb.myths["encirclement"]).text
    assert "even counting Finland; the CIA World Factbook's lengths give 2,626 of 22,407 km" in text
    assert "about 11.7% by our arithmetic (as of July 2024) [1, 2]." in text
    question = render.render_question(kb, templates, kb.questions["eastern_flank_troops"]).text
    assert "40,000" in question and "(as of 22 April 2022)" in question
    assert "European Parliamentary Research Service" in question


def test_citation_numbers_follow_first_use(kb, templates):
    text = render.render_question(kb, templates, kb.questions["allies_count"]).text
    assert "[1] NATO" in text and "[2] European Parliamentary Research Service" in text


def test_sources_reply_describes_kind_and_date_of_each_source(kb, templates):
    reply = render.render_sources(kb, templates, kb.myths["deployments_threat"])
    assert reply.template == "sources"
    assert "one side of the dispute" in reply.text and "outside NATO" in reply.text
    assert "22 April 2022" in reply.text and "July 2024" in reply.text


def test_facet_of_current_myth(kb, templates):
    reply = render.render_facet(kb, templates, kb.myths["encirclement"], ["finland"])
    assert reply.template == "facet" and reply.topic == "encirclement"
    assert "April 2023" in reply.text and "more than doubled" in reply.text


def test_facet_of_another_myth_moves_the_topic(kb, templates):
    reply = render.render_facet(kb, templates, kb.myths["encirclement"], ["libya"])
    assert reply.template == "facet_elsewhere" and reply.topic == "operations_not_defensive"
    assert "1970 and 1973" in reply.text


def test_facet_without_sourced_detail_says_so(kb, templates):
    reply = render.render_facet(kb, templates, kb.myths["encirclement"], ["china"])
    assert reply.template == "facet_unknown" and "China" in reply.text
    assert reply.topic == "encirclement"


def test_facet_without_topic_or_entity_offers_the_menu(kb, templates):
    reply = render.render_facet(kb, templates, None, [])
    assert reply.template == "no_topic" and len(reply.buttons) == len(kb.myths)


def test_more_on_a_question_uses_its_related_myth(kb, templates):
    reply = render.render_more(kb, templates, kb.questions["jets_and_ships"])
    assert reply.template == "more" and reply.facts
    assert not set(reply.facts) & set(kb.questions["jets_and_ships"].facts)


def test_changes_prefer_the_myths_own_account(kb, templates):
    own = render.render_changes(kb, templates, kb.myths["ukraine_membership"])
    assert "would not seek NATO membership" in own.text and "32 Allies" in own.text
    general = render.render_changes(kb, templates, kb.myths["encirclement"])
    assert "30 Allies" in general.text and "four to eight" in general.text


def test_menu_lists_every_myth_in_order(kb, templates):
    reply = render.render_menu(kb, templates, "off_topic")
    assert [b["payload"] for b in reply.buttons] == [f"/myth_{m}" for m in kb.myths]
    assert reply.topic is None


def test_replies_never_contain_markup(kb, templates):
    for myth in kb.myths.values():
        assert "<" not in render.render_rebuttal(kb, templates, myth).text


def test_rebuttal_shows_a_qualification_only_when_the_message_bears_on_it(kb, templates):
    myth = kb.myths["operations_not_defensive"]
    plain = render.render_rebuttal(kb, templates, myth)
    assert "Where the record qualifies this:" not in plain.text
    asked = render.render_rebuttal(kb, templates, myth, ["yugoslavia"])
    assert "Where the record qualifies this:" in asked.text
    assert "cite no Security Council authorisation" in asked.text and "KFOR" in asked.text
    assert "all ran with UN Security Council backing" not in asked.text
    assert "kosovo_mandate_is_kfor" in asked.facts


def test_rebuttals_cite_a_voice_independent_of_nato(kb, templates):
    for myth in kb.myths.values():
        text = render.render_rebuttal(kb, templates, myth).text
        citations = text[text.index("Sources:"):]
        assert re.search(r"\((UN body|court|treaty text|a government's reference work|an Ally's parliament|"
                         r"European Parliament research service|EU service)\)", citations), myth.id


def test_libya_facet_states_the_mandate_and_the_uk_finding(kb, templates):
    reply = render.render_facet(kb, templates, kb.myths["operations_not_defensive"], ["libya"])
    assert "regime change" in reply.text and "House of Commons Foreign Affairs Committee" in reply.text
    assert "abstain" in reply.text and "10 votes to none" in reply.text


def test_more_detail_lists_every_qualification_with_its_source(kb, templates):
    reply = render.render_more(kb, templates, kb.myths["encirclement"])
    assert "Where the record qualifies this:" in reply.text
    assert "2,626" in reply.text and "22,407" in reply.text and "our arithmetic" in reply.text
    assert "US Central Intelligence Agency (a government's reference work)" in reply.text


def test_trust_names_point_by_point_which_independent_document_confirms_it(kb, templates):
    reply = render.render_trust(kb, templates, kb.myths["pushing_war"])
    assert reply.template == "trust"
    lines = [line for line in reply.text.splitlines() if line.startswith("- ")]
    assert any("International Court of Justice (court)" in line for line in lines)
    assert any("UN General Assembly (UN body)" in line for line in lines)
    assert any("rests on NATO's own word" in line for line in lines)
    assert "Where the record qualifies this:" in reply.text and "Ukrainian forces" in reply.text
    gap = render.render_trust(kb, templates, kb.myths["encirclement"])
    assert "No UN, court or treaty text backs this answer: none of those I hold gives border lengths" in gap.text


def test_the_1999_bombing_question_gets_the_honest_limit(kb, templates):
    """'ok but why did nato bomb yugoslavia then': the answer no longer claims UN backing."""
    myth = kb.myths["operations_not_defensive"]
    text = render.render_rebuttal(kb, templates, myth, ["yugoslavia"]).text
    assert "Kosovo is different" in text and "1999" in text


def test_a_rebutted_question_gets_its_answer_first_with_its_citation(kb, templates):
    myth = kb.myths["nato_at_war"]
    answer = next(f for f in sorted({f for p in myth.passages() for f in p.facts} | set(myth.more))
                  if f not in myth.lead.facts)
    reply = render.render_rebuttal(kb, templates, myth, answer=answer)
    first, rest = reply.text.split("\n\n", 1)
    assert first.startswith("Short answer: ") and reply.facts[0] == answer
    assert kb.facts[answer].text[:40] in first and re.search(r"\[\d(, \d)*\]", first)
    assert rest.startswith(myth.lead.text[:40]) and reply.text.count(myth.claim) == 1
    plain = render.render_rebuttal(kb, templates, myth)
    assert render.render_rebuttal(kb, templates, myth, answer=myth.lead.facts[0]).text == plain.text
