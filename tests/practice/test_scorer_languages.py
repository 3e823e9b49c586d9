"""Practice scoring in Russian, Ukrainian, German and French, on rated answers written per
language apart from the cues (tests/practice/rated_answers_<lang>.yml; held-out ones in
heldout_answers_<lang>.yml, reported, not asserted): strong answers outscore weak ones of
their myth, every planted wrong figure is named with the right one in the language's
format, and strong answers get no false flags.

The tables of docs/practice.md are printed by:  .venv/bin/python -m tests.practice.test_scorer_languages
"""
from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Tuple

import pytest
import yaml

from bot.knowledge.figures import same_figure

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = tuple(sorted(p.stem.rsplit("_", 1)[1] for p in (REPO / "tests" / "practice").glob("rated_answers_*.yml")))
PAIRS_MIN = 0.98      # share of (strong, weak) pairs of a myth where the strong one scores higher


def answers_file(code: str, kind: str = "rated") -> Path:
    return REPO / "tests" / "practice" / f"{kind}_answers_{code}.yml"


def rated(code: str, kind: str = "rated") -> Dict[str, Dict]:
    return yaml.safe_load(answers_file(code, kind).read_text(encoding="utf-8"))["answers"]


def flagged(scorer, score, planted: str) -> bool:
    """Is the planted wrong figure among the flagged ones (compared as figures)?"""
    want = scorer.language.figures_in(planted)
    for wrong in score.wrong_figures:
        said = scorer.language.figures_in(wrong.said)
        if want and said and same_figure(want[0], said[0], exact=True):
            return True
        if planted.lower() in wrong.said.lower():
            return True
    return False


def measure(scorer, answers: Dict[str, Dict]) -> Dict[str, Tuple]:
    """Per myth: (pairs ordered, pairs, lowest strong, highest weak, planted, flagged,
    false flags in strong answers, corrections that are not a number of the fact written the
    language's way)."""
    kb = scorer.kb
    rows = {}
    for myth, sets in answers.items():
        strong = [scorer.score(myth, t) for t in sets["strong"]]
        weak = [scorer.score(myth, w["text"]) for w in sets["weak"]]
        ordered = sum(s.score > w.score for s in strong for w in weak)
        planted = [(s, p) for s, w in zip(weak, sets["weak"]) for p in w.get("wrong_numbers", [])]
        caught = sum(flagged(scorer, s, p) for s, p in planted)
        false_flags = sum(len(s.wrong_figures) for s in strong)
        bad_corrections = 0
        for s in weak:
            for w in s.wrong_figures:
                written = {scorer.language.write_figure(n) for n in kb.facts[w.fact].numbers}
                if not w.right or not set(w.right) <= written:
                    bad_corrections += 1
        rows[myth] = (ordered, len(strong) * len(weak), min(x.score for x in strong), max(x.score for x in weak),
                      len(planted), caught, false_flags, bad_corrections)
    return rows


@pytest.fixture(scope="module")
def scorers(content, pipelines):
    from bot.practice.scorer import content_scorer

    found = {code: content_scorer(content.for_language(code), pipelines)
             for code in LANGUAGES if (Path(pipelines) / code / "meta.json").exists()}
    if not found:
        pytest.skip("no pipelines for other languages: run `make nlp`")
    return found


@pytest.fixture(scope="module")
def results(scorers) -> Dict[str, Dict[str, Tuple]]:
    return {code: measure(s, rated(code)) for code, s in scorers.items()}


def test_every_language_has_rated_answers_for_every_myth(content):
    assert set(LANGUAGES) == set(content.codes) - {"en"}
    practised = {m.id for m in content.kb.myths.values() if m.practice}
    for code in LANGUAGES:
        answers = rated(code)
        assert set(answers) == practised, code
        for myth, sets in answers.items():
            assert len(sets["strong"]) >= 4 and len(sets["weak"]) >= 5, (code, myth)
            assert sum(bool(w.get("wrong_numbers")) for w in sets["weak"]) >= 1, (code, myth)
            for w in sets["weak"]:
                assert all(p in w["text"] for p in w.get("wrong_numbers", [])), (code, myth, w["text"])


@pytest.mark.parametrize("code", LANGUAGES)
def test_strong_answers_outscore_weak_ones(results, code):
    if code not in results:
        pytest.skip(f"no pipeline for {code}")
    ordered = sum(r[0] for r in results[code].values())
    pairs = sum(r[1] for r in results[code].values())
    assert ordered / pairs >= PAIRS_MIN, {m: r[:4] for m, r in results[code].items() if r[0] < r[1]}


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_planted_wrong_figure_is_named_with_the_right_one(results, code):
    if code not in results:
        pytest.skip(f"no pipeline for {code}")
    missed = {m: (r[4], r[5]) for m, r in results[code].items() if r[5] < r[4]}
    assert not missed
    assert all(r[7] == 0 for r in results[code].values())


@pytest.mark.parametrize("code", LANGUAGES)
def test_strong_answers_get_no_false_flags(results, code):
    if code not in results:
        pytest.skip(f"no pipeline for {code}")
    assert {m: r[6] for m, r in results[code].items() if r[6]} == {}


def test_inflected_forms_count(scorers):
    """A cue built on a Russian stem finds the noun and the verb in any form."""
    if "ru" not in scorers:
        pytest.skip("no Russian pipeline")
    ru = scorers["ru"]
    cues = ru.specs["encirclement"].myth_cues
    for text in ("Это окружение.", "Они окружают Россию.", "НАТО окружила нас."):
        assert ru.analyser.cues_sentences(ru.analyser.analyse(text), cues), text


@pytest.mark.parametrize("code, answer, said, right", [
    ("ru", "Финляндия вступила в НАТО в 2019 году, и граница выросла вдвое.", "2019", "апрель 2023"),
    ("de", "Finnland ist 2019 der NATO beigetreten und hat die Grenze verdoppelt.", "2019", "April 2023"),
    ("fr", "La Finlande a rejoint l'OTAN en 2019 et a doublé la frontière.", "2019", "avril 2023"),
    ("uk", "Фінляндія вступила до НАТО у 2019 році й подвоїла кордон.", "2019", "квітень 2023"),
])
def test_a_wrong_year_is_corrected_in_the_language_s_format(scorers, code, answer, said, right):
    if code not in scorers:
        pytest.skip(f"no pipeline for {code}")
    score = scorers[code].score("encirclement", answer)
    assert [(w.said, w.right) for w in score.wrong_figures] == [(said, (right,))]
    assert score.tip.code == "wrong_figure"


def table(rows: Dict[str, Tuple]) -> List[str]:
    lines = [f"{'myth':26s} {'pairs ordered':>14s} {'min strong':>10s} {'max weak':>9s} {'planted flagged':>16s} "
             f"{'false flags':>12s}"]
    for myth, (ordered, pairs, low, high, planted, caught, false, _) in rows.items():
        lines.append(f"{myth:26s} {ordered:>7d} of {pairs:<4d} {low:10d} {high:9d} {caught:>9d} of {planted:<4d} "
                     f"{false:>12d}")
    ordered = sum(r[0] for r in rows.values())
    pairs = sum(r[1] for r in rows.values())
    planted = sum(r[4] for r in rows.values())
    caught = sum(r[5] for r in rows.values())
    lines.append(f"{'all':26s} {ordered:>7d} of {pairs:<4d} {ordered / max(pairs, 1):>10.1%} {'':9s} "
                 f"{caught:>9d} of {planted:<4d} {sum(r[6] for r in rows.values()):>12d}")
    return lines


if __name__ == "__main__":
    from bot.knowledge.content import load_content
    from bot.nlu.pipeline import pipelines_dir
    from bot.practice.scorer import content_scorer

    content = load_content()
    for code in LANGUAGES:
        scorer = content_scorer(content.for_language(code), pipelines_dir())
        for kind in ("rated", "heldout"):
            if answers_file(code, kind).exists():
                print(f"{code}: {kind} set (tests/practice/{answers_file(code, kind).name})")
                print("\n".join(table(measure(scorer, rated(code, kind)))))
                print()
