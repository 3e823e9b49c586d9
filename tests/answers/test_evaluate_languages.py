"""bot/answers/evaluate_languages.py: the per-language figures from parse results."""
from __future__ import annotations

from bot.answers.evaluate_languages import cases, language_metrics, report_markdown


def _parsed(intent, language):
    return {"intent": {"name": intent}, "language_detection": {"language": language}}


def test_rates_and_errors_per_language(kb):
    sets = {"ru": {"myths": [{"text": "НАТО окружает Россию", "myth": "encirclement"},
                             {"text": "НАТО воюет с Россией", "myth": "nato_at_war"}],
                   "questions": [{"text": "Сколько войск на восточном фланге?", "facts": ["eastern_flank_40000"]}],
                   "short": [{"text": "ок"}]},
            "other_languages": {"messages": [{"text": "Czy NATO obiecało?", "language": "pl"}]}}
    items = cases(sets)
    parsed = [_parsed("myth_encirclement", "ru"), _parsed("myth_encirclement", "ru"),
              _parsed("ask_eastern_flank_troops", "ru"), _parsed("thank", None), _parsed("use_other_language", None)]
    result = language_metrics(kb, items, parsed)
    ru = result["rates"]["ru"]
    assert ru["myth"] == (0.5, 2) and ru["myth_nato_at_war"] == (0.0, 1)
    assert ru["question"] == (1.0, 1) and ru["short"] == (1.0, 1) and ru["reply_language"] == (1.0, 3)
    assert result["rates"]["other"]["other"] == (1.0, 1)
    assert [e["text"] for e in result["errors"]] == ["НАТО воюет с Россией"]
    report = report_markdown(result, "tests/nlu/languages")
    assert "| ru | 50.0% (2) | – | 100.0% (1) | 100.0% (3) | 100.0% (1) |" in report
    assert "НАТО воюет с Россией" in report


def test_an_undecided_language_counts_as_a_wrong_reply_language(kb):
    items = cases({"de": {"myths": [{"text": "Nato", "myth": "encirclement"}]}})
    result = language_metrics(kb, items, [_parsed("myth_encirclement", None)])
    assert result["rates"]["de"]["reply_language"] == (0.0, 1)


def test_answers_as_the_actions_give_them_decide_when_given(kb):
    items = cases({"de": {"myths": [{"text": "Die NATO kreist Russland ein", "myth": "encirclement"}],
                          "questions": [{"text": "Wann trat Finnland bei?", "facts": ["finland_doubled_border"]}]}})
    parsed = [_parsed("myth_encirclement", "de"), _parsed("ask_fact", "de")]
    rates = language_metrics(kb, items, parsed, answered=[False, True])["rates"]["de"]
    assert rates["myth"] == (1.0, 1) and rates["rebutted"] == (0.0, 1) and rates["question"] == (1.0, 1)
