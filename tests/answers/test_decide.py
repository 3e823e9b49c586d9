"""bot/answers/decide.py: a rebuttal needs evidence, a fact needs coverage, a question back
needs a real tie. Uses the repository's knowledge and signals with hand-made analyses."""
from __future__ import annotations

import pytest

from functools import lru_cache
from pathlib import Path

from bot.answers import decide as D
from bot.answers.data import load_signals, paths
from bot.answers.retrieval import Analysis, Hit
from bot.knowledge import load_content

REPO = Path(__file__).resolve().parents[2]


@lru_cache(maxsize=1)
def english():
    """The English question words of data/knowledge/signals.yml."""
    return load_signals(paths(REPO)["signals"], load_content(REPO).kb).questions


@pytest.fixture(scope="module")
def signals(kb, repo):
    return load_signals(paths(repo)["signals"], kb)


def said(text: str, entities=(), question=None) -> Analysis:
    """An analysis as the analyser makes it: words as lemmas, English question words; a
    ``question`` given overrides whether it reads as one."""
    q = english()
    words = tuple(text.lower().replace("?", "").split())
    checks = any(words[:len(c)] == c for c in q.claim_checks)
    opening = list(words[:3])
    while opening and opening[0] in q.lead_in:
        opening.pop(0)
    if question is None:
        question = (text.endswith("?") or (bool(opening) and opening[0] in q.starts)) and not checks
    return Analysis(words, tuple(entities), words, words, question, question and bool(opening) and opening[0] in q.wh)


def ranking(*pairs):
    return [{"name": n, "confidence": c} for n, c in pairs]


COVERED = [Hit("finland_doubled_border", 12.0, 1.0, ("finland",)), Hit("border_share_11", 4.0, 0.5, ())]
UNCOVERED = [Hit("allies_32_2024", 2.0, 0.2, ()), Hit("border_share_11", 1.0, 0.1, ())]


def test_a_myth_that_names_nato_is_rebutted(kb, signals):
    d = D.decide(kb, signals, ranking(("myth_encirclement", 0.9)), said("nato is encircling russia", ["nato"]), UNCOVERED)
    assert d == D.Decision(D.REBUT, intent="myth_encirclement")


def test_myth_words_are_evidence_without_nato(kb, signals):
    d = D.decide(kb, signals, ranking(("myth_enlargement_promise", 0.6)), said("baker said not one inch"), UNCOVERED)
    assert d.kind == D.REBUT


def test_the_closest_myth_without_evidence_gets_no_rebuttal(kb, signals):
    text = said("there is no evidence russia was involved in shooting down mh17", ["russia"])
    d = D.decide(kb, signals, ranking(("myth_encirclement", 0.5), ("out_of_scope", 0.3)), text, UNCOVERED)
    assert d.kind == D.DECLINE


def test_the_myth_under_discussion_needs_no_further_evidence(kb, signals):
    d = D.decide(kb, signals, ranking(("myth_encirclement", 0.7)), said("but finland joined", ["finland"]),
                 UNCOVERED, topic="encirclement")
    assert d.kind == D.REBUT


def test_a_covered_question_gets_its_fact(kb, signals):
    d = D.decide(kb, signals, ranking(("ask_fact", 0.8)), said("when did finland join nato", ["finland", "nato"]),
                 COVERED)
    assert d == D.Decision(D.FACT, facts=("finland_doubled_border",))


def test_a_nato_question_no_fact_covers_is_not_covered(kb, signals):
    d = D.decide(kb, signals, ranking(("ask_fact", 0.9)), said("how many nuclear warheads does nato have", ["nato"]),
                 UNCOVERED)
    assert d == D.Decision(D.NOT_COVERED, facts=())


def test_not_covered_lists_facts_that_name_what_the_question_names(kb, signals):
    hits = [Hit("finland_doubled_border", 3.0, 0.3, ("finland",)), Hit("allies_32_2024", 1.0, 0.1, ())]
    d = D.decide(kb, signals, ranking(("ask_fact", 0.9)), said("what is finland's defence budget", ["finland"]), hits)
    assert d == D.Decision(D.NOT_COVERED, facts=("finland_doubled_border",))


def test_an_unrelated_question_no_fact_covers_is_declined(kb, signals):
    d = D.decide(kb, signals, ranking(("ask_fact", 0.5)), said("how many legs does a spider have"), UNCOVERED)
    assert d.kind == D.DECLINE


def test_a_question_taken_for_a_myth_gets_the_fact_when_ask_fact_is_close(kb, signals):
    r = ranking(("myth_encirclement", 0.5), ("ask_fact", 0.4))
    d = D.decide(kb, signals, r, said("when did finland join nato", ["finland", "nato"]), COVERED)
    assert d.kind == D.FACT


def test_clarify_only_on_a_real_tie(kb, signals):
    text = said("nato is at war with russia and drags europe into war", ["nato"])
    tie = D.decide(kb, signals, ranking(("myth_nato_at_war", 0.40), ("myth_pushing_war", 0.39)), text, UNCOVERED)
    assert tie == D.Decision(D.CLARIFY, candidates=("myth_nato_at_war", "myth_pushing_war"))
    lead = D.decide(kb, signals, ranking(("myth_nato_at_war", 0.40), ("myth_pushing_war", 0.30)), text, UNCOVERED)
    assert lead == D.Decision(D.REBUT, intent="myth_nato_at_war")


def test_off_topic_is_declined_and_other_intents_pass(kb, signals):
    assert D.decide(kb, signals, ranking(("out_of_scope", 0.9)), said("bucha was staged"), UNCOVERED).kind == D.DECLINE
    assert D.decide(kb, signals, ranking(("greet", 0.9)), said("hello"), UNCOVERED) == D.Decision(D.PASS, "greet")
    assert D.decide(kb, signals, [], said("..."), UNCOVERED).kind == D.UNSURE


def test_fallback_entry_is_ignored_in_the_ranking():
    r = ranking(("nlu_fallback", 0.3), ("myth_encirclement", 0.2), ("ask_fact", 0.25))
    assert D.ranked(r) == [("ask_fact", 0.25), ("myth_encirclement", 0.2)]


def test_a_myth_chosen_with_a_button_is_rebutted(kb, signals):
    d = D.decide(kb, signals, ranking(("myth_encirclement", 1.0)), said("/myth_encirclement"), UNCOVERED, chosen=True)
    assert d == D.Decision(D.REBUT, intent="myth_encirclement")


def test_a_followup_intent_that_asks_for_a_fact_gets_it_only_without_a_topic(kb, signals):
    a = Analysis(("what", "finland", "join"), ("finland",), ("what", "about", "finland"), ("what", "about", "finland"),
                 question=True)
    assert D.decide(kb, signals, ranking(("ask_about", 0.8)), a, COVERED).kind == D.FACT
    assert D.decide(kb, signals, ranking(("ask_about", 0.8)), a, COVERED, topic="encirclement").kind == D.PASS


def asked(text: str, entities=()) -> Analysis:
    """A question as the analyser marks one."""
    return said(text, entities, question=True)


@pytest.fixture
def strict(monkeypatch):
    """Questions never override a myth the classifier is sure of, except as each test sets."""
    for name in ("QUESTION_FACT_MAX_MYTH", "OTHER_FACT_MAX_MYTH", "WH_FACT_MAX_MYTH"):
        monkeypatch.setattr(D, name, 0.0)
    monkeypatch.setattr(D, "FACT_OVER_MYTH_RATIO", 1.01)
    monkeypatch.setattr(D, "ANSWER_MIN", 5.0)
    return monkeypatch


def test_a_wh_question_gets_the_fact_a_yes_no_question_the_rebuttal(kb, signals, strict):
    strict.setattr(D, "WH_FACT_MAX_MYTH", 1.01)
    r = ranking(("myth_encirclement", 0.95))
    wh = D.decide(kb, signals, r, asked("so when did finland join nato", ["finland", "nato"]), COVERED)
    assert wh == D.Decision(D.FACT, facts=("finland_doubled_border",))
    yes_no = D.decide(kb, signals, r, asked("is nato encircling russia now that finland joined", ["nato"]), COVERED)
    assert yes_no == D.Decision(D.REBUT, intent="myth_encirclement", facts=("finland_doubled_border",))
    assert yes_no.answer == "finland_doubled_border"


def test_a_rebutted_question_is_led_by_its_fact_only_when_it_matches_and_the_rebuttal_states_it(kb, signals, strict):
    r = ranking(("myth_encirclement", 0.95))
    question = asked("is nato encircling russia now that finland joined", ["nato"])
    claim = said("nato is encircling russia now that finland joined", ["nato"])
    assert D.decide(kb, signals, r, claim, COVERED) == D.Decision(D.REBUT, intent="myth_encirclement")
    assert D.decide(kb, signals, r, claim, COVERED).answer is None
    elsewhere = [Hit("allies_32_2024", 12.0, 1.0, ())]  # not a fact of the encirclement rebuttal
    assert D.decide(kb, signals, r, question, elsewhere).facts == ()
    strict.setattr(D, "REBUTTAL_ANSWER_MIN", 12.5)  # finland_doubled_border's strength is 12
    assert D.decide(kb, signals, r, question, COVERED) == D.Decision(D.REBUT, intent="myth_encirclement")


def test_a_question_about_a_fact_the_rebuttal_states_has_its_own_limit(kb, signals, strict):
    strict.setattr(D, "OTHER_FACT_MAX_MYTH", 1.01)
    r = ranking(("myth_encirclement", 0.8))
    own = D.decide(kb, signals, r, asked("is finland in nato", ["finland", "nato"]), COVERED)
    assert own.kind == D.REBUT  # finland_doubled_border is part of the encirclement rebuttal
    other = [Hit("allies_32_2024", 12.0, 1.0, ())]
    assert D.decide(kb, signals, r, asked("how many allies does nato have", ["nato"]), other).facts == ("allies_32_2024",)
    strict.setattr(D, "QUESTION_FACT_MAX_MYTH", 0.9)
    assert D.decide(kb, signals, r, asked("is finland in nato", ["finland", "nato"]), COVERED).kind == D.FACT


def test_a_question_that_passes_on_a_claim_is_checked_as_a_claim(kb, signals, strict):
    strict.setattr(D, "QUESTION_FACT_MAX_MYTH", 1.01)
    strict.setattr(D, "REPORTED_CLAIMS", 1)
    r = ranking(("myth_encirclement", 0.8))
    words = tuple("my cousin says finland joined to surround russia is that right".split())
    lemmas = tuple(w.replace("says", "say") for w in words)
    claim = Analysis(words, ("finland",), lemmas, words, True)
    assert D.decide(kb, signals, r, claim, COVERED).kind == D.REBUT
    request = asked("tell me when finland joined nato", ["finland", "nato"])
    assert D.asks(request) and D.decide(kb, signals, r, request, COVERED).kind == D.FACT
    strict.setattr(D, "REPORTED_CLAIMS", 0)
    assert D.decide(kb, signals, r, claim, COVERED).kind == D.FACT


def test_a_well_matched_fact_of_the_rebuttal_is_evidence_for_the_myth(kb, signals, strict):
    strict.setattr(D, "MYTH_CONFIDENT", 1.1)
    strict.setattr(D, "MYTH_FACT_EVIDENCE", 3.0)
    text = said("why station brigades a few hours drive from pskov")
    r = ranking(("myth_deployments_threat", 0.5))
    own = [Hit("eight_battlegroups_2022", 4.0, 1.0, ())]
    assert D.decide(kb, signals, r, text, own).intent == "myth_deployments_threat"
    weak = [Hit("eight_battlegroups_2022", 4.0, 0.5, ())]
    assert D.decide(kb, signals, r, text, weak).kind == D.DECLINE
    unrelated = [Hit("bosnia_1992_1995", 4.0, 1.0, ())]
    assert D.decide(kb, signals, r, text, unrelated).kind == D.DECLINE


def test_a_claim_taken_for_a_question_is_rebutted_when_its_myth_is_close(kb, signals, monkeypatch):
    monkeypatch.setattr(D, "MYTH_OVER_FACT_RATIO", 0.5)
    hits = [Hit("eu_deployments_at_request", 18.0, 0.9, ())]
    r = ranking(("ask_fact", 0.45), ("myth_deployments_threat", 0.3))
    claim = said("nato's forward presence is an invasion force", ["nato"])
    assert D.decide(kb, signals, r, claim, hits) == D.Decision(D.REBUT, intent="myth_deployments_threat")
    question = asked("what is nato's forward presence", ["nato"])
    assert D.decide(kb, signals, r, question, hits).kind == D.FACT
    monkeypatch.setattr(D, "MYTH_OVER_FACT_RATIO", 1.01)
    assert D.decide(kb, signals, r, claim, hits).kind == D.FACT


def test_an_off_topic_message_gets_a_fact_only_when_it_matches_strongly(kb, signals, monkeypatch):
    monkeypatch.setattr(D, "NAMED_FACT_OVER_OFF_TOPIC", 0)
    monkeypatch.setattr(D, "OFF_TOPIC_FACT_MIN", 8.0)
    r = ranking(("out_of_scope", 0.5))
    text = asked("how many people were killed in the bosnian war")
    assert D.decide(kb, signals, r, text, [Hit("bosnia_1992_1995", 19.0, 1.0, ())]).kind == D.FACT
    assert D.decide(kb, signals, r, text, [Hit("bosnia_1992_1995", 19.0, 0.3, ())]).kind == D.DECLINE


def test_an_off_topic_message_naming_a_fact_s_subject_gets_it_only_as_a_question(kb, signals, monkeypatch):
    monkeypatch.setattr(D, "NAMED_FACT_OVER_OFF_TOPIC", 1)
    monkeypatch.setattr(D, "NAMED_FACT_OVER_OFF_TOPIC_CLAIMS", 0)
    monkeypatch.setattr(D, "OFF_TOPIC_FACT_MIN", float("inf"))
    r = ranking(("out_of_scope", 0.8))
    hits = [Hit("zelenskyy_2022_not_seeking", 20.0, 0.3, ("zelenskyy",))]
    assert D.decide(kb, signals, r, asked("what did zelensky say about nato", ["zelenskyy"]), hits).kind == D.FACT
    claim = said("zelensky is a puppet", ["zelenskyy"])
    assert D.decide(kb, signals, r, claim, hits).kind == D.DECLINE
    monkeypatch.setattr(D, "NAMED_FACT_OVER_OFF_TOPIC_CLAIMS", 1)
    assert D.decide(kb, signals, r, claim, hits).kind == D.FACT
