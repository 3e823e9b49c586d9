"""NLU quality on the held-out test set (tests/nlu/test_set.yml, written separately from
the training data). Asserts floors; the per-intent report is written to
test-output/nlu-report.md (docs/nlu-report.md is the committed copy from `make evaluate`)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.nlu.evaluate import (Prediction, evaluate_model, false_offer_rate, in_other_languages, load_test_set,
                              load_two_myths, metrics, parse_messages, report_markdown, two_myth_rate)

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "models" / "nato-factcheck.tar.gz"
TEST_SET = REPO / "tests" / "nlu" / "test_set.yml"

TWO_MYTHS = REPO / "tests" / "nlu" / "two_myths.yml"

MYTH_ACCURACY_FLOOR = 0.93
PER_MYTH_FLOOR = 0.80
OOS_REJECTION_FLOOR = 0.95
# answers: a NATO question the sources do not answer sometimes gets a fact that shares
# its words (docs/nlu-report.md lists such misses), so this floor is lower
ANSWER_OOS_FLOOR = 0.9


@pytest.fixture(scope="module")
def result(content):
    assert MODEL.exists(), "train the model first: make train"
    others = in_other_languages([t for t, _ in load_test_set(TEST_SET)], content.codes[1:])
    outcome = metrics(evaluate_model(MODEL, TEST_SET, skip=others))
    out = REPO / "test-output" / "nlu-report.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report_markdown(outcome, "tests/nlu/test_set.yml", "make test"))
    return outcome


def test_test_set_has_at_least_15_messages_per_myth(result, kb):
    for myth in kb.myths.values():
        assert result["per_intent"][myth.intent]["n"] >= 15


def test_myth_accuracy_floor(result):
    assert result["myth_accuracy"] >= MYTH_ACCURACY_FLOOR


def test_every_myth_is_recognised(result, kb):
    for myth in kb.myths.values():
        assert result["per_intent"][myth.intent]["accuracy"] >= PER_MYTH_FLOOR, myth.intent


def test_off_topic_messages_get_no_nato_rebuttal(result):
    assert result["oos_rejection"] >= OOS_REJECTION_FLOOR


def test_two_myths_in_one_message_answer_one_and_offer_the_other(kb):
    cases = load_two_myths(TWO_MYTHS)
    single = [t for t, intent in load_test_set(TEST_SET) if intent.startswith("myth_")]
    parsed = parse_messages(MODEL, [t for t, _ in cases] + single)
    rate = two_myth_rate(kb, cases, parsed[: len(cases)])
    assert rate["answered_one"] >= 0.9 and rate["offered_other"] >= 0.75
    assert false_offer_rate(kb, parsed[len(cases):]) <= 0.1


def test_messages_in_the_bots_other_languages_are_set_aside(content):
    texts = ["NATO is encircling Russia", "НАТО окружает Россию", "L'OTAN encercle la Russie, c'est vrai ?",
             "Czy NATO obiecało Rosji, że się nie rozszerzy?"]
    assert in_other_languages(texts, content.codes[1:]) == texts[1:3]


def test_metrics_count_fallback_as_rejection_but_not_as_a_hit():
    preds = [
        Prediction("a", "out_of_scope", "nlu_fallback", 0.1),
        Prediction("b", "out_of_scope", "myth_encirclement", 0.6),
        Prediction("c", "myth_encirclement", "nlu_fallback", 0.1),
        Prediction("d", "myth_encirclement", "myth_encirclement", 0.9),
    ]
    m = metrics(preds)
    assert m["oos_rejection"] == 0.5 and m["myth_accuracy"] == 0.5
    assert m["per_intent"]["myth_encirclement"]["precision"] == 0.5


def test_off_topic_messages_get_no_rebuttal_and_no_fact_in_the_answer(kb, templates, repo, nlp_path, content):
    """The answer, not only the intent: NATO questions the sources do not answer, other
    disinformation and chatter get neither a rebuttal nor a fact."""
    from bot.answers import measure
    from bot.answers.data import load_retrieval

    retrieval = load_retrieval(repo, str(nlp_path))
    texts = [t for t, intent in load_test_set(TEST_SET) if intent == "out_of_scope"]
    others = set(in_other_languages(texts, content.codes[1:]))  # answered in their language now
    texts = [t for t in texts if t not in others]
    outcomes = [measure.judge(kb, templates, retrieval, measure.OUT_OF_DOMAIN, t, (), p)
                for t, p in zip(texts, parse_messages(MODEL, texts))]
    assert measure.rates(outcomes)["right"] >= ANSWER_OOS_FLOOR, [o.text for o in outcomes if not o.right]
