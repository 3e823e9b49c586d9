"""Choose the answer thresholds of bot/answers/decide.py, retrieval.py and myth_words.py by
cross-validation on the training data only, in every language: data/nlu/*.yml and
data/nlu/<lang>/*.yml, data/knowledge/fact_questions.yml and each language's questions per fact.

Each fold trains the same kind of intent classifier as the bot (TF-IDF over lemmas, words
and character n-grams, logistic regression with config.yml's C) on the other folds of every
language, builds each language's fact index without the held-out questions, learns the myths' evidence words from its
training examples (bot/answers/myth_words.py), and lets `decide` answer the held-out
messages. The grid point with the best mean over languages of each language's mean rate
(myth rebutted right, factual question answered with a listed fact, unanswerable question
and off-topic message given no rebuttal and no fact; a language's training data may lack a
kind) among those that ask "which claim?" on at most 2% of myth messages
and keep every fact reachable (each of its own questions, asked of the full index, is
answered with it) wins. The full product of GRID is too large to score, so the settings
that set the scale of answer_strength (OUTER) are tried in every combination, and for each
the others are searched one at a time (coordinate ascent from the settings in the code,
each given its best value with the rest held when that gains at least MIN_GAIN, until a
full pass changes nothing).
Run with `make tune`; the figures go to docs/answer-tuning.md.

Not used by the bot at run time; needs scikit-learn and the spaCy pipeline (`make nlp`).
"""
from __future__ import annotations

import argparse
import itertools
import random
from contextlib import contextmanager
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import yaml

from bot.answers import decide as D
from bot.answers import myth_words as W
from bot.answers import retrieval as R
from bot.answers.unanswered import UnansweredFinder
from bot.answers.data import FACT_INTENT, intent_examples, language_data, language_pipeline, paths, spacy_analyser, \
    with_words
from bot.knowledge import load_content, project_root

FOLDS = 5
SEED = 1
CLARIFY_MAX = 0.02
CHAT = ("out_of_scope",)
MEASURES = ("myth", "factual", "unanswerable", "off_topic")
RETRIEVAL = ("ENTITY_WEIGHT", "UNKNOWN_WEIGHT", "PAIR_WEIGHT")  # settings of retrieval.py; the rest are decide.py's
WORDS = ("MIN_EXAMPLES", "MIN_SHARE")  # settings of myth_words.py, learnt per fold from its training examples
PASSES = 5
# A setting moves only when that raises the objective by at least this (0.1 point): out-of-fold
# rates on a few thousand messages differ by chance about that much, and a smaller gain is noise.
MIN_GAIN = 0.001
# Searched in full: ENTITY_WEIGHT sets the scale of answer_strength, and the two settings of
# the learnt words only help together (one at a time, each alone looks no better).
OUTER = ("ENTITY_WEIGHT", "MIN_EXAMPLES", "MIN_SHARE")
# A setting with one value is held at what an earlier search chose (ENTITY_WEIGHT,
# MYTH_CONFIDENCE_MIN, CLARIFY_RATIO, NAMED_FACT_OVER_OFF_TOPIC, FOLLOWUP_FACT).
GRID = {
    "ENTITY_WEIGHT": (2.0,),
    "UNKNOWN_WEIGHT": (1.0, 0.6, 0.3),
    "PAIR_WEIGHT": (0.0, 0.5, 1.0),
    "ANSWER_MIN": (5.0, 4.0, 3.0),
    "MYTH_CONFIDENCE_MIN": (0.0,),
    "MYTH_CONFIDENT": (0.8, 0.7, 0.6, 0.5),
    "CLARIFY_RATIO": (0.95,),
    "FACT_OVER_MYTH_RATIO": (0.3, 0.2, 0.5),
    "FACT_OVER_MYTH_CLAIMS": (1, 0),
    "MYTH_OVER_FACT_RATIO": (1.01, 0.8, 0.5),
    "OFF_TOPIC_FACT_MIN": (float("inf"), 20.0, 12.0, 8.0),
    "NAMED_FACT_OVER_OFF_TOPIC": (1,),
    "NAMED_FACT_OVER_OFF_TOPIC_CLAIMS": (1, 0),
    "QUESTION_FACT_MAX_MYTH": (0.9, 0.7, 0.5, 0.0),
    "OTHER_FACT_MAX_MYTH": (0.0, 0.7, 0.9, 1.01),
    "WH_FACT_MAX_MYTH": (0.0, 0.7, 0.9, 0.95, 1.01),
    "WH_REBUTTAL_ANSWER": (0, 1),
    "MYTH_FACT_EVIDENCE": (float("inf"), 8.0, 5.0, 3.0),
    "REBUTTAL_ANSWER_MIN": (float("inf"), 8.0, 5.0, 3.0),
    "MIN_EXAMPLES": (10 ** 6, 2, 3, 5),
    "MIN_SHARE": (0.8, 0.9, 1.0),
    "UNANSWERED_MIN": (1.01, 0.8, 0.6, 0.4, 0.3, 0.2),
    "UNANSWERED_MARGIN": (-0.05, 0.0, 0.05, 0.1, 0.2),
    "FOLLOWUP_FACT": (1,),
    "REPORTED_CLAIMS": (1, 0),
}


def _classifier(texts: Sequence[str], labels: Sequence[str], c: float):
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    words = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True).fit(texts)
    chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True).fit(texts)
    feats = lambda t: sp.hstack([words.transform(t), chars.transform(t)]).tocsr()  # noqa: E731
    clf = LogisticRegression(C=c, max_iter=3000, class_weight="balanced", random_state=42).fit(feats(texts), labels)

    def rank(batch: Sequence[str]) -> List[List[Dict]]:
        return [[{"name": str(n), "confidence": float(p)} for p, n in sorted(zip(row, clf.classes_), reverse=True)[:10]]
                for row in clf.predict_proba(feats(batch))]
    return rank


def _owner(name: str):
    return R if name in RETRIEVAL else W if name in WORDS else D


@contextmanager
def settings(values: Dict[str, float]) -> Iterator[None]:
    old = {k: getattr(_owner(k), k) for k in values}
    for k, v in values.items():
        setattr(_owner(k), k, v)
    try:
        yield
    finally:
        for k, v in old.items():
            setattr(_owner(k), k, v)


def weightings() -> List[Tuple[float, ...]]:
    return list(itertools.product(*(GRID[k] for k in RETRIEVAL)))


def ranks(finder: R.FactFinder, texts: Sequence[str], analyses: Sequence) -> Dict[Tuple[float, ...], List]:
    """The hits for each text at every weighting of RETRIEVAL."""
    out = {}
    for w in weightings():
        finder.entity_weight = w[0]
        with settings(dict(zip(RETRIEVAL[1:], w[1:]))):
            out[w] = [finder.rank(t, analysis=a) for t, a in zip(texts, analyses)]
    return out


def _language(root: Path, code: str) -> Dict:
    """One language's data for the search: its knowledge, hand-written signals (no learnt
    words: those are learnt per fold), analyser, lemmatiser and training cases."""
    from bot.nlu.pipeline import load_pipeline

    kb, questions, signals, examples, synonyms = language_data(root, code, learnt=False)
    nlp = load_pipeline(language_pipeline(root, code))
    labelled = dict(examples)
    nlu = intent_examples(paths(root, code)["intents"])
    cases = [(t, i, labelled.get(t) if i == FACT_INTENT else None, None) for t, i in nlu]
    cases += [(q, FACT_INTENT, (fid,), (fid, n)) for fid, qs in questions.items() for n, q in enumerate(qs)]
    return {"code": code, "kb": kb, "signals": signals, "questions": questions, "labelled": labelled, "cases": cases,
            "analyse": spacy_analyser(nlp, synonyms, signals.questions),
            "lemma_text": lambda t: " ".join((tok.lemma_ or tok.text).lower() for tok in nlp(t))}


def collect(root: Path, languages: Sequence[str] = ()) -> Tuple[List[Dict], Dict, object, Dict]:
    """Held-out cases of every fold in every language: language, intent, expected facts,
    ranking, analysis, hits per weight. One classifier per fold learns from the training
    part of every language, as the bot's does; each language has its own fact index."""
    codes = list(languages or load_content(root).codes or ("en",))
    langs = {code: _language(root, code) for code in codes}
    c = float(next((s.get("C", 30) for s in yaml.safe_load((root / "config.yml").read_text())["pipeline"]
                    if s["name"].endswith("LemmaTfidfIntentClassifier")), 30))
    cases = [(code,) + case for code in codes for case in langs[code]["cases"]]
    analysed = [langs[code]["analyse"](t) for code, t, *_ in cases]
    lemmas = [langs[code]["lemma_text"](t) for code, t, *_ in cases]
    order = list(range(len(cases)))
    random.Random(SEED).shuffle(order)
    fold = {i: k % FOLDS for k, i in enumerate(order)}
    out: List[Dict] = []
    counts: Dict[Tuple[int, str], W.WordCounts] = {}
    for f in range(FOLDS):
        train = [i for i in range(len(cases)) if fold[i] != f and cases[i][4] is None]
        rank = _classifier([lemmas[i] for i in train], [cases[i][2] for i in train], c)
        for code, lang in langs.items():
            mine = [i for i in range(len(cases)) if cases[i][0] == code]
            test = [i for i in mine if fold[i] == f]
            counts[f, code] = W.count_words((analysed[i], cases[i][2]) for i in mine
                                            if fold[i] != f and cases[i][4] is None)
            held = {cases[i][4] for i in test if cases[i][4]}
            qs = {fid: tuple(q for n, q in enumerate(v) if (fid, n) not in held) for fid, v in lang["questions"].items()}
            examples = [(cases[i][1], cases[i][3]) for i in mine if fold[i] != f and cases[i][4] is None and cases[i][3]]
            finder = R.FactFinder(lang["kb"], lang["analyse"], qs, examples)
            unanswered = UnansweredFinder(lang["analyse"], [cases[i][1] for i in mine if fold[i] != f and cases[i][4]
                                                            is None and cases[i][2] == FACT_INTENT and cases[i][3] == ()],
                                          [q for v in qs.values() for q in v] + [t for t, _ in examples])
            rankings = rank([lemmas[i] for i in test])
            hits = ranks(finder, [cases[i][1] for i in test], [analysed[i] for i in test])
            for n, (i, ranking) in enumerate(zip(test, rankings)):
                out.append({"language": code, "text": cases[i][1], "intent": cases[i][2], "facts": cases[i][3],
                            "ranking": ranking, "analysis": analysed[i], "hits": {w: h[n] for w, h in hits.items()},
                            "fold": f, "near": unanswered.nearness(analysed[i])})
    en = langs[codes[0]]
    full = R.FactFinder(en["kb"], en["analyse"], en["questions"], [(t, f) for t, f in en["labelled"].items() if f])
    own = [q for qs in en["questions"].values() for q in qs]
    reach = {w: min(D.answer_strength(h[0]) for h in hits)
             for w, hits in ranks(full, own, [en["analyse"](q) for q in own]).items()}
    learnt: Dict[Tuple, object] = {}

    def fold_signals(f: int, code: str, values: Dict[str, float]):
        key = (f, code) + tuple(values[k] for k in WORDS)
        if key not in learnt:
            lang = langs[code]
            learnt[key] = with_words(lang["signals"], W.learn(counts[f, code], lang["kb"].myths, *key[2:]))
        return learnt[key]
    return out, {code: lang["kb"] for code, lang in langs.items()}, fold_signals, reach


def category(case: Dict) -> str:
    if case["intent"].startswith("myth_"):
        return "myth"
    if case["intent"] == FACT_INTENT:
        return "factual" if case["facts"] else "unanswerable"
    return "off_topic" if case["intent"] in CHAT else ""


def right(case: Dict, d: D.Decision) -> bool:
    cat = category(case)
    if cat == "myth":
        return d.kind == D.REBUT and d.intent == case["intent"]
    if cat == "factual":
        return d.answer in case["facts"]
    return d.kind not in (D.REBUT, D.FACT, D.CLARIFY)


def score(cases: List[Dict], kbs: Mapping, signals, values: Dict[str, float]) -> Dict[str, Dict[str, float]]:
    """Out-of-fold rates per language; ``signals(fold, language, values)`` gives the signals
    learnt on a fold's training part."""
    counts: Dict[str, Dict[str, List[int]]] = {}
    weights = tuple(values[k] for k in RETRIEVAL)
    with settings({k: v for k, v in values.items() if k not in RETRIEVAL}):
        for case in cases:
            cat = category(case)
            if not cat:
                continue
            code = case["language"]
            d = D.decide(kbs[code], signals(case["fold"], code, values), case["ranking"], case["analysis"],
                         case["hits"][weights], near=case["near"])
            mine = counts.setdefault(code, {})
            mine.setdefault(cat, []).append(right(case, d))
            if cat == "myth":
                mine.setdefault("clarify", []).append(d.kind in (D.CLARIFY, D.UNSURE))
    return {code: {k: sum(v) / len(v) for k, v in rates.items()} for code, rates in counts.items()}


def objective(rates: Mapping[str, Mapping[str, float]]) -> float:
    """The mean over languages of each language's mean rate over the kinds of message it has."""
    means = [sum(r[k] for k in MEASURES if k in r) / sum(1 for k in MEASURES if k in r) for r in rates.values()]
    return sum(means) / len(means)


def clarify_rate(rates: Mapping[str, Mapping[str, float]]) -> float:
    return max((r.get("clarify", 0.0) for r in rates.values()), default=0.0)


def tune(root: Path, languages: Sequence[str] = ()) -> Tuple[Dict[str, float], Dict[str, Dict[str, float]], int]:
    cases, kbs, signals, reach = collect(root, languages)
    memo: Dict[Tuple, Tuple[float, Dict[str, float]]] = {}

    def judge(values: Dict[str, float]):
        key = tuple(values.values())
        if key not in memo:
            s = score(cases, kbs, signals, values)
            ok = values["ANSWER_MIN"] <= reach[tuple(values[k] for k in RETRIEVAL)] and clarify_rate(s) <= CLARIFY_MAX
            memo[key] = (objective(s) if ok else -1.0, s)
        return memo[key]

    start = {k: getattr(_owner(k), k) for k in GRID}
    best = None
    for outer in itertools.product(*(GRID[k] for k in OUTER)):
        values = {**start, **dict(zip(OUTER, outer))}
        for _ in range(PASSES):
            changed = False
            for k, options in GRID.items():
                if k in OUTER:
                    continue
                here = judge(values)[0]
                for v in options:
                    trial = {**values, k: v}
                    if judge(trial)[0] > here + MIN_GAIN:
                        values, here, changed = trial, judge(trial)[0], True
            if not changed:
                break
        if best is None or judge(values)[0] > judge(best)[0] + 1e-12:
            best = values
    values = best
    return values, judge(values)[1], len(cases)


def report(values: Dict[str, float], rates: Dict[str, Dict[str, float]], n: int) -> str:
    codes = list(rates)
    lines = ["# Answer thresholds, chosen by cross-validation on the training data", "",
             f"`make tune` ({FOLDS}-fold cross-validation over {n} training messages and fact questions in "
             f"{', '.join(codes)}: data/nlu/ and data/nlu/<lang>/, data/knowledge/fact_questions.yml and each "
             "language's questions per fact; no test or held-out message is used). One classifier per fold "
             "learns from every language, as the bot's does; the search maximises the mean over languages "
             "of each language's mean rate. A setting marked held keeps the value an earlier run chose "
             "(bot/answers/tune.py).", "",
             "| setting | chosen | searched |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {', '.join(map(str, GRID[k])) if len(GRID.get(k, ())) > 1 else 'held'} |"
              for k, v in values.items()]
    lines += ["", "Out-of-fold rates at these settings (– where a language's training data has no such message):", "",
              "| measure | " + " | ".join(codes) + " |", "|---|" + "---|" * len(codes)]
    names = {"myth": "myth messages rebutted with the right myth", "factual": "factual questions answered with a listed fact",
             "unanswerable": "unanswerable NATO questions given no fact and no rebuttal",
             "off_topic": "off-topic messages given no fact and no rebuttal",
             "clarify": "myth messages asked \"which claim?\" or shown the menu"}
    for k, name in names.items():
        cells = [f"{rates[c][k]:.1%}" if k in rates[c] else "–" for c in codes]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="docs/answer-tuning.md")
    parser.add_argument("--languages", nargs="*", default=(), help="language codes (default: every language)")
    args = parser.parse_args(argv)
    values, rates, n = tune(project_root(), args.languages)
    text = report(values, rates, n)
    Path(args.report).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
