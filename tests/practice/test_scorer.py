"""Scoring of practice answers (bot/practice/scorer.py, bot/knowledge/figures.py): number and date parsing,
the rated answers in tests/practice/rated_answers.yml (strong above weak for every myth,
every planted wrong figure flagged), and the `python -m bot score` command.

The measured separation is printed by:  .venv/bin/python -m tests.practice.test_scorer
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.knowledge.figures import find_figures, parse_figure, same_figure, simple_tokens
from bot.knowledge.practice_spec import practice_spec
from bot.practice.replies import render_model_answer, render_model_reply

REPO = Path(__file__).resolve().parents[2]
RATED = REPO / "tests" / "practice" / "rated_answers.yml"


HELDOUT = REPO / "tests" / "practice" / "heldout_answers.yml"


def rated_answers(path: Path = RATED):
    return yaml.safe_load(path.read_text(encoding="utf-8"))["answers"]


@pytest.fixture(scope="module")
def scorer(content, pipelines):
    from bot.practice.scorer import content_scorer

    return content_scorer(content, pipelines)


def flagged(score, planted: str) -> bool:
    """Is the planted wrong figure among the flagged ones (compared as figures)?"""
    want = find_figures(simple_tokens(planted))
    for wrong in score.wrong_figures:
        said = find_figures(simple_tokens(wrong.said))
        if want and said and same_figure(want[0], said[0], exact=True):
            return True
        if planted.lower() in wrong.said.lower():
            return True
    return False


# --------------------------------------------------------------------------- figures


@pytest.mark.parametrize("text, kind, value", [
    ("11 %", "percent", 11),
    ("11%", "percent", 11),
    ("eleven percent", "percent", 11),
    ("eleven per cent", "percent", 11),
    ("half of", "percent", 50),
    ("a quarter of", "percent", 25),
    ("40,000", "count", 40_000),
    ("40 000", "count", 40_000),
    ("forty thousand", "count", 40_000),
    ("one billion", "count", 1_000_000_000),
    ("40 billion", "count", 40_000_000_000),
    ("twenty-one", "count", 21),
    ("eleven", "count", 11),
    ("Article 5", "article", 5),
    ("Art. 5", "article", 5),
    ("2019", "year", 2019),
])
def test_figures_are_read(text, kind, value):
    figures = find_figures(simple_tokens(text))
    assert len(figures) == 1, figures
    assert figures[0].kind == kind and figures[0].value == value


@pytest.mark.parametrize("text, year, month, day", [
    ("April 2023", 2023, 4, None),
    ("in April of 2023", 2023, 4, None),
    ("24 March 2022", 2022, 3, 24),
    ("March 24, 2022", 2022, 3, 24),
    ("the 24th of March 2022", 2022, 3, 24),
    ("December 2021", 2021, 12, None),
])
def test_dates_are_read(text, year, month, day):
    (figure,) = find_figures(simple_tokens(text))
    assert (figure.year, figure.month, figure.day) == (year, month, day)


def test_resolution_numbers_are_not_years():
    figures = find_figures(simple_tokens("Resolutions 1970 and 1973, adopted in 2011"))
    assert [(f.kind, int(f.value)) for f in figures] == [("resolution", 1970), ("resolution", 1973), ("year", 2011)]


def test_no_figure_in_plain_words():
    assert find_figures(simple_tokens("no one said that one of them would join")) == []


def test_figures_agree_within_rounding_and_precision():
    assert same_figure(parse_figure("11%"), parse_figure("about 11 %".split(" ", 1)[1]))
    assert same_figure(parse_figure("2023"), parse_figure("April 2023"))
    assert not same_figure(parse_figure("March 2023"), parse_figure("April 2023"))
    assert not same_figure(parse_figure("50%"), parse_figure("11%"))
    assert not same_figure(parse_figure("eleven"), parse_figure("11%"))  # time zones, not a share


def test_every_fact_number_is_read_and_found_in_its_fact(kb, scorer):
    for fact in kb.facts.values():
        for number in fact.numbers:
            figure = parse_figure(number)
            assert figure is not None, (fact.id, number)
            assert any(raw == number and g.end for g, raw in scorer.fact_figures[fact.id]), (fact.id, number)


# --------------------------------------------------------------------------- rated set


def test_rated_set_covers_every_myth(kb):
    answers = rated_answers()
    assert set(answers) == set(kb.myths)
    for myth, sets in answers.items():
        assert len(sets["strong"]) >= 4 and len(sets["weak"]) >= 4, myth
        assert sum(1 for w in sets["weak"] if w.get("wrong_numbers")) >= 2, myth


@pytest.mark.parametrize("myth", sorted(rated_answers()))
def test_every_strong_answer_outscores_every_weak_answer(scorer, myth):
    sets = rated_answers()[myth]
    strong = [scorer.score(myth, text).score for text in sets["strong"]]
    weak = [scorer.score(myth, w["text"]).score for w in sets["weak"]]
    assert min(strong) > max(weak), (myth, strong, weak)


@pytest.mark.parametrize("myth", sorted(rated_answers()))
def test_every_planted_wrong_figure_is_flagged(scorer, myth):
    for weak in rated_answers()[myth]["weak"]:
        score = scorer.score(myth, weak["text"])
        for planted in weak.get("wrong_numbers", []):
            assert flagged(score, planted), (weak["text"], planted, score.wrong_figures)


@pytest.mark.parametrize("myth", sorted(rated_answers()))
def test_no_figure_of_a_strong_answer_is_flagged(scorer, myth):
    for text in rated_answers()[myth]["strong"]:
        assert scorer.score(myth, text).wrong_figures == (), text


def test_wrong_figures_come_with_the_right_one_and_its_source(scorer, kb):
    score = scorer.score("encirclement", "NATO borders half of Russia. Finland joined in 2019.")
    by_said = {w.said: w for w in score.wrong_figures}
    assert by_said["half"].right == ("11%",) and by_said["half"].fact == "border_share_11"
    assert by_said["2019"].right == ("April 2023",) and by_said["2019"].fact == "finland_doubled_border"
    assert by_said["2019"].sources == ("nato_2024",)
    assert score.tip.code == "wrong_figure"


def test_a_figure_corrected_quoted_or_cited_is_not_flagged(scorer):
    text = ('People say "NATO borders half of Russia". It is not half but only 11% of the land border, '
            "even counting Finland. Source: NATO, July 2024.")
    score = scorer.score("encirclement", text)
    assert score.wrong_figures == ()
    assert {c.fact for c in score.right_figures} == {"border_share_11"}


def test_a_date_next_to_the_alliance_the_claim_is_about_is_not_a_citation(scorer):
    score = scorer.score("encirclement", "Only 11% of the land border is with NATO. Finland joined the Alliance in "
                                         "April 2022. Sources: NATO, July 2024; the EPRS briefing of April 2022.")
    assert [(w.said, w.right) for w in score.wrong_figures] == [("April 2022", ("April 2023",))]


def test_the_share_not_with_nato_counts_as_right(scorer):
    score = scorer.score("encirclement", "About 89% of Russia's land border is not shared with NATO countries.")
    assert score.wrong_figures == () and score.right_figures


@pytest.mark.parametrize("myth", sorted(rated_answers()))
def test_the_bots_own_rebuttal_is_a_model_answer(kb, templates, scorer, myth):
    m = kb.myths[myth]
    answer = scorer.score(myth, render_model_answer(kb, templates, m).text)
    assert answer.missing == () and answer.wrong_figures == () and answer.score == 100
    reply = scorer.score(myth, render_model_reply(kb, templates, m).text, "counter")
    assert reply.missing == () and reply.wrong_figures == () and reply.score >= 85


def test_counter_stage_scores_the_key_points_that_answer_the_push_back(kb, scorer):
    spec = practice_spec(kb.myths["encirclement"])
    score = scorer.score("encirclement", "Even after Finland joined in April 2023, only 11% of the border is NATO's.",
                         "counter")
    assert set(score.covered) | set(score.missing) == set(spec.counter.answered_by)
    assert score.missing == ()


def test_structure_checks_and_tips(scorer):
    myth_first = ("NATO is encircling Russia? No. NATO is not encircling anybody: only 11% of Russia's land border "
                  "is shared with NATO, even with Finland.")
    score = scorer.score("encirclement", myth_first)
    assert not score.leads_with_fact and score.myth_mentions == 2
    assert score.tip.code == "lead_with_fact"
    fact_first = "Only 11% of Russia's land border is shared with NATO, even with Finland."
    score = scorer.score("encirclement", fact_first)
    assert score.leads_with_fact and score.myth_mentions == 0 and not score.cites_source
    assert score.tip.code == "missing_point" and score.tip.key_point == "russia_vast"


def test_scoring_is_deterministic_and_bounded(scorer):
    text = rated_answers()["nato_at_war"]["strong"][0]
    assert scorer.score("nato_at_war", text) == scorer.score("nato_at_war", text)
    for text in ("", "!!!", "half half half 2019 2019 2019 1990 1991 1992"):
        assert 0 <= scorer.score("encirclement", text).score <= 100


def test_unknown_myth_or_stage_is_refused(scorer):
    with pytest.raises(KeyError):
        scorer.score("no_such_myth", "text")
    with pytest.raises(ValueError):
        scorer.score("encirclement", "text", "third")


def test_score_command_prints_json(nlp_path):
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "FACTCHECK_NLP": str(nlp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "bot", "score", "--myth", "encirclement",
         "NATO borders half of Russia, and Finland joined in 2019."],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert {"score", "covered", "missing", "wrong_numbers", "tip"} <= set(out)
    assert {w["said"]: w["right"] for w in out["wrong_numbers"]} == {"half": ["11%"], "2019": ["April 2023"]}
    assert all("NATO" in w["source"] for w in out["wrong_numbers"])


def test_score_command_detects_the_language_and_lang_overrides_it(nlp_path):
    if not (nlp_path.parent / "ru" / "meta.json").exists():
        pytest.skip("no Russian pipeline: run `make nlp`")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    text = "НАТО граничит с половиной России, а Финляндия вступила в 2019 году."
    run = lambda *args: subprocess.run([sys.executable, "-m", "bot", "score", "--myth", "encirclement", *args],
                                       cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    detected = run(text)
    assert detected.returncode == 0, detected.stderr
    assert "language: ru" in detected.stderr
    out = json.loads(detected.stdout)
    assert {w["said"]: w["right"] for w in out["wrong_numbers"]} == {"половиной": ["11%"], "2019": ["апрель 2023"]}
    refused = run("--lang", "xx", text)
    assert refused.returncode == 2 and "xx" in refused.stderr and not refused.stdout


# --------------------------------------------------------------------------- report


def separation(scorer, path: Path = RATED):
    """Per myth: (lowest strong score, highest weak score, planted figures, flagged,
    figures wrongly flagged in strong answers)."""
    rows = {}
    for myth, sets in rated_answers(path).items():
        strong = [scorer.score(myth, t).score for t in sets["strong"]]
        weak_scores = [scorer.score(myth, w["text"]) for w in sets["weak"]]
        planted = [(s, p) for s, w in zip(weak_scores, sets["weak"]) for p in w.get("wrong_numbers", [])]
        false_flags = sum(len(scorer.score(myth, t).wrong_figures) for t in sets["strong"])
        rows[myth] = (min(strong), max(s.score for s in weak_scores), len(planted),
                      sum(flagged(s, p) for s, p in planted), false_flags)
    return rows


if __name__ == "__main__":
    from bot.knowledge.content import load_content
    from bot.nlu.pipeline import pipelines_dir
    from bot.practice.scorer import content_scorer

    scorer = content_scorer(load_content(), pipelines_dir())
    for title, path in (("rated set (tests/practice/rated_answers.yml)", RATED),
                        ("held-out set (tests/practice/heldout_answers.yml)", HELDOUT)):
        print(title)
        print(f"{'myth':26s} {'min strong':>10s} {'max weak':>9s} {'margin':>7s} {'planted flagged':>16s} "
              f"{'false flags':>12s}")
        for myth, (low, high, planted, caught, false) in separation(scorer, path).items():
            print(f"{myth:26s} {low:10d} {high:9d} {low - high:7d} {caught:>9d} of {planted:<4d} {false:>12d}")
        print()
