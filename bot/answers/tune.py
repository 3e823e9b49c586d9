"""Choose the answer thresholds of bot/answers/decide.py and retrieval.py by cross-validation
on the training data only: data/nlu/*.yml and data/knowledge/fact_questions.yml.

Each fold trains the same kind of intent classifier as the bot (TF-IDF over lemmas, words
and character n-grams, logistic regression with config.yml's C) on the other folds, builds
the fact index without the held-out questions, learns the myths' evidence words from its
training examples (bot/answers/myth_words.py), and lets `decide` answer the held-out
messages. The grid point with the best mean of four rates (myth rebutted right, factual
question answered with a listed fact, unanswerable question and off-topic message given no
rebuttal and no fact) among those that ask "which claim?" on at most 2% of myth messages
and keep every fact reachable (each of its own questions, asked of the full index, is
answered with it) wins. The full product of GRID is too large to score, so the settings
that set the scale of answer_strength (OUTER) are tried in every combination, and for each
the others are searched one at a time (coordinate ascent from the settings in the code,
each given its best value with the rest held, until a full pass changes nothing).
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
from bot.answers.data import FACT_INTENT, intent_examples, load_fact_examples, load_fact_questions, load_signals, \
    load_synonyms, paths, with_words, \
    spacy_analyser
from bot.knowledge import load_content, project_root

FOLDS = 5
SEED = 1
CLARIFY_MAX = 0.02
CHAT = ("out_of_scope",)
RETRIEVAL = ("ENTITY_WEIGHT", "UNKNOWN_WEIGHT", "PAIR_WEIGHT")  # settings of retrieval.py; the rest are decide.py's
WORDS = ("MIN_EXAMPLES", "MIN_SHARE")  # settings of myth_words.py, learnt per fold from its training examples
PASSES = 5
# Searched in full: ENTITY_WEIGHT and ANSWER_MIN set the scale of answer_strength, and the two
# settings of the learnt words only help together (one at a time, each alone looks no better).
OUTER = ("ENTITY_WEIGHT", "ANSWER_MIN", "MIN_EXAMPLES", "MIN_SHARE")
# The settings chosen before the question-vs-claim signals existed (ENTITY_WEIGHT,
# ANSWER_MIN, MYTH_CONFIDENT, CLARIFY_RATIO, FACT_OVER_MYTH_RATIO, NAMED_FACT_OVER_OFF_TOPIC,
# FOLLOWUP_FACT) are held at those values; only the newer ones are
# searched. This cross-validation sees English only, and set free it moves the older ones to
# values that lower the other languages' rebuttal rates (docs/nlu-report.md, Languages).
GRID = {
    "ENTITY_WEIGHT": (2.0,),
    "UNKNOWN_WEIGHT": (1.0, 0.6, 0.3),
    "PAIR_WEIGHT": (0.0, 0.25, 0.5, 0.75, 1.0),
    "ANSWER_MIN": (5.0,),
    "MYTH_CONFIDENCE_MIN": (0.0,),
    "MYTH_CONFIDENT": (0.8,),
    "CLARIFY_RATIO": (0.95,),
    "FACT_OVER_MYTH_RATIO": (0.3,),
    "FACT_OVER_MYTH_CLAIMS": (1, 0),
    "MYTH_OVER_FACT_RATIO": (1.01, 0.8, 0.5),
    "OFF_TOPIC_FACT_MIN": (float("inf"), 20.0, 12.0, 8.0),
    "NAMED_FACT_OVER_OFF_TOPIC": (1,),
    "NAMED_FACT_OVER_OFF_TOPIC_CLAIMS": (1, 0),
    "QUESTION_FACT_MAX_MYTH": (0.9, 0.7, 0.5, 0.0),
    "OTHER_FACT_MAX_MYTH": (0.0, 0.7, 0.9, 1.01),
    "WH_FACT_MAX_MYTH": (0.0, 0.7, 0.9, 0.95, 1.01),
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


def collect(root: Path) -> List[Dict]:
    """Held-out cases of every fold: intent, expected facts, ranking, analysis, hits per weight."""
    from bot.nlu.pipeline import load_pipeline, pipeline_path

    kb = load_content(root).kb
    p = paths(root)
    nlp = load_pipeline(str(pipeline_path(root)))
    analyse = spacy_analyser(nlp, load_synonyms(p["synonyms"]))
    lemma_text = lambda t: " ".join((tok.lemma_ or tok.text).lower() for tok in nlp(t))  # noqa: E731
    c = float(next((s.get("C", 30) for s in yaml.safe_load((root / "config.yml").read_text())["pipeline"]
                    if s["name"].endswith("LemmaTfidfIntentClassifier")), 30))
    labelled = {t: facts for t, facts in load_fact_examples(p["examples"], kb)}
    questions = load_fact_questions(p["fact_questions"], kb)
    signals = load_signals(p["signals"], kb)
    nlu = intent_examples(root / "data" / "nlu")
    cases = [(t, i, labelled.get(t) if i == FACT_INTENT else None, None) for t, i in nlu]
    cases += [(q, FACT_INTENT, (fid,), (fid, n)) for fid, qs in questions.items() for n, q in enumerate(qs)]
    analysed = [analyse(t) for t, *_ in cases]
    order = list(range(len(cases)))
    random.Random(SEED).shuffle(order)
    fold = {i: k % FOLDS for k, i in enumerate(order)}
    out, counts = [], []
    for f in range(FOLDS):
        train = [cases[i] for i in range(len(cases)) if fold[i] != f]
        test = [cases[i] for i in range(len(cases)) if fold[i] == f]
        counts.append(W.count_words((analysed[i], cases[i][1]) for i in range(len(cases))
                                    if fold[i] != f and cases[i][3] is None))
        clf_train = [(t, i) for t, i, _, key in train if key is None]
        rank = _classifier([lemma_text(t) for t, _ in clf_train], [i for _, i in clf_train], c)
        held = {key for *_, key in test if key}
        qs = {fid: tuple(q for n, q in enumerate(v) if (fid, n) not in held) for fid, v in questions.items()}
        examples = [(t, facts) for t, i, facts, key in train if key is None and facts]
        finder = R.FactFinder(kb, analyse, qs, examples)
        unanswered = UnansweredFinder(analyse, [t for t, i, facts, key in train
                                                if key is None and i == FACT_INTENT and facts == ()],
                                      [q for v in qs.values() for q in v] + [t for t, facts in examples])
        rankings = rank([lemma_text(t) for t, *_ in test])
        analyses = [analysed[i] for i in range(len(cases)) if fold[i] == f]
        hits = ranks(finder, [t for t, *_ in test], analyses)
        for n, ((text, intent, facts, _), ranking) in enumerate(zip(test, rankings)):
            out.append({"text": text, "intent": intent, "facts": facts, "ranking": ranking, "analysis": analyses[n],
                        "hits": {w: h[n] for w, h in hits.items()}, "fold": f,
                        "near": unanswered.nearness(analyses[n])})
    reach = {}
    full = R.FactFinder(kb, analyse, questions, [(t, f) for t, f in labelled.items() if f])
    own = [q for qs in questions.values() for q in qs]
    for w, hits in ranks(full, own, [analyse(q) for q in own]).items():
        reach[w] = min(D.answer_strength(h[0]) for h in hits)
    learnt: Dict[Tuple, object] = {}

    def fold_signals(f: int, values: Dict[str, float]):
        key = (f,) + tuple(values[k] for k in WORDS)
        if key not in learnt:
            learnt[key] = with_words(signals, W.learn(counts[f], kb.myths, *key[1:]))
        return learnt[key]
    return out, kb, fold_signals, reach


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


def score(cases: List[Dict], kb, signals, values: Dict[str, float]) -> Dict[str, float]:
    """Out-of-fold rates; ``signals(fold, values)`` gives the signals learnt on a fold's training part."""
    counts: Dict[str, List[int]] = {}
    weights = tuple(values[k] for k in RETRIEVAL)
    with settings({k: v for k, v in values.items() if k not in RETRIEVAL}):
        for case in cases:
            cat = category(case)
            if not cat:
                continue
            d = D.decide(kb, signals(case["fold"], values), case["ranking"], case["analysis"], case["hits"][weights],
                         near=case["near"])
            counts.setdefault(cat, []).append(right(case, d))
            if cat == "myth":
                counts.setdefault("clarify", []).append(d.kind in (D.CLARIFY, D.UNSURE))
    return {k: sum(v) / len(v) for k, v in counts.items()}


def tune(root: Path) -> Tuple[Dict[str, float], Dict[str, float], int]:
    cases, kb, signals, reach = collect(root)
    memo: Dict[Tuple, Tuple[float, Dict[str, float]]] = {}

    def judge(values: Dict[str, float]):
        key = tuple(values.values())
        if key not in memo:
            s = score(cases, kb, signals, values)
            ok = values["ANSWER_MIN"] <= reach[tuple(values[k] for k in RETRIEVAL)] and \
                s.get("clarify", 0) <= CLARIFY_MAX
            objective = sum(s[k] for k in ("myth", "factual", "unanswerable", "off_topic")) / 4
            memo[key] = (objective if ok else -1.0, s)
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
                    if judge(trial)[0] > here + 1e-12:
                        values, here, changed = trial, judge(trial)[0], True
            if not changed:
                break
        if best is None or judge(values)[0] > judge(best)[0] + 1e-12:
            best = values
    values = best
    return values, judge(values)[1], len(cases)


def report(values: Dict[str, float], rates: Dict[str, float], n: int) -> str:
    lines = ["# Answer thresholds, chosen by cross-validation on the training data", "",
             f"`make tune` ({FOLDS}-fold cross-validation over {n} training messages and fact questions: "
             "data/nlu/*.yml and data/knowledge/fact_questions.yml; no test or held-out message is used). "
             "A setting marked held keeps the value an earlier run of this search chose: this search sees "
             "English only, and set free those settings move to values that lower the other languages' "
             "rebuttal rates (bot/answers/tune.py).", "",
             "| setting | chosen | searched |", "|---|---|---|"]
    lines += [f"| {k} | {v} | {', '.join(map(str, GRID[k])) if len(GRID.get(k, ())) > 1 else 'held'} |"
              for k, v in values.items()]
    lines += ["", "Out-of-fold rates at these settings:", "", "| measure | rate |", "|---|---|"]
    names = {"myth": "myth messages rebutted with the right myth", "factual": "factual questions answered with a listed fact",
             "unanswerable": "unanswerable NATO questions given no fact and no rebuttal",
             "off_topic": "off-topic messages given no fact and no rebuttal",
             "clarify": "myth messages asked \"which claim?\" or shown the menu"}
    lines += [f"| {names[k]} | {rates[k]:.1%} |" for k in names if k in rates]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", default="docs/answer-tuning.md")
    args = parser.parse_args(argv)
    values, rates, n = tune(project_root())
    text = report(values, rates, n)
    Path(args.report).write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
