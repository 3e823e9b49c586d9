"""bot/answers/measure.py and the scoring of bot/answers/tune.py: what counts as right."""
from __future__ import annotations

import pytest
import yaml

from bot.answers import decide as D
from bot.answers import measure, tune
from bot.answers.data import load_retrieval


@pytest.fixture(scope="module")
def retrieval(repo, nlp_path):
    return load_retrieval(repo, str(nlp_path))


def parsed(intent, confidence=0.9):
    return {"intent": {"name": intent, "confidence": confidence},
            "intent_ranking": [{"name": intent, "confidence": confidence}], "entities": []}


def test_a_factual_question_is_right_only_with_an_expected_fact_first(kb, templates, retrieval):
    q = "When did Finland join NATO?"
    right = measure.judge(kb, templates, retrieval, measure.FACTUAL, q, ("finland_doubled_border",), parsed("ask_fact"))
    wrong = measure.judge(kb, templates, retrieval, measure.FACTUAL, q, ("allies_32_2024",), parsed("ask_fact"))
    assert right.right and right.kind == D.FACT and not wrong.right


def test_a_factual_question_rebutted_as_a_myth_is_right_when_its_answer_leads(kb, templates, retrieval):
    q = "Can Russia veto Ukraine joining NATO?"
    myth = parsed("myth_ukraine_membership", 0.98)
    led = measure.judge(kb, templates, retrieval, measure.FACTUAL, q, ("no_russian_veto",), myth)
    assert led.kind == D.REBUT and led.answer == "no_russian_veto" and led.right and led.in_reply
    other = measure.judge(kb, templates, retrieval, measure.FACTUAL, q, ("allies_32_2024",), myth)
    assert not other.right
    assert measure.judge(kb, templates, retrieval, measure.MYTH, q, ("myth_ukraine_membership",), myth).right


def test_out_of_domain_is_right_without_rebuttal_or_fact(kb, templates, retrieval):
    declined = measure.judge(kb, templates, retrieval, measure.OUT_OF_DOMAIN, "Bucha was staged", (),
                             parsed("out_of_scope"))
    rebutted = measure.judge(kb, templates, retrieval, measure.OUT_OF_DOMAIN, "NATO is encircling Russia", (),
                             parsed("myth_encirclement"))
    assert declined.right and not declined.rebutted
    assert not rebutted.right and rebutted.rebutted
    assert measure.rates([declined, rebutted]) == {"n": 2, "right": 0.5, "in_reply": 0.0, "asked_back": 0.0,
                                                   "no_rebuttal": 0.5}


def test_held_out_files_load(tmp_path):
    f = tmp_path / "f.yml"
    f.write_text(yaml.safe_dump({"questions": [{"text": "q?", "facts": ["a", "b"]}]}))
    o = tmp_path / "o.yml"
    o.write_text(yaml.safe_dump({"messages": [{"text": "hi", "kind": "chatter"}]}))
    assert measure.load_factual(f) == [("q?", ("a", "b"))]
    assert measure.load_out_of_domain(o) == [("hi", "chatter")]


def test_tuning_counts_a_myth_right_only_when_that_myth_is_rebutted():
    case = {"intent": "myth_encirclement", "facts": None}
    assert tune.right(case, D.Decision(D.REBUT, intent="myth_encirclement"))
    assert not tune.right(case, D.Decision(D.REBUT, intent="myth_nato_aggressive"))
    assert not tune.right(case, D.Decision(D.CLARIFY))
    unanswerable = {"intent": "ask_fact", "facts": ()}
    assert tune.category(unanswerable) == "unanswerable"
    assert tune.right(unanswerable, D.Decision(D.NOT_COVERED)) and not tune.right(unanswerable, D.Decision(D.FACT, facts=("x",)))
