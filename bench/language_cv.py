"""Choose the language identifier's thresholds (bot/nlu/language.py) on the training data.

5-fold cross-validation over the NLU training examples, whose language is their
`metadata: {language: xx}` (English when absent; `xx` marks languages the bot does not
speak): the character n-gram model is trained on four folds and scores the fifth, fastText
scores every example, and `decide` runs for each combination of thresholds. Reported per
combination: wrong decisions (a supported language other than the example's), undecided
messages of two or more words, and messages in other languages marked unsupported.
The chosen combination has the fewest wrong plus undecided messages (in a fresh
conversation an undecided message is answered in English, as wrong for its reader as a
wrong decision), then the most other-language messages marked.

    .venv/bin/python bench/language_cv.py --report docs/language-tuning.md   (make tune-language)
"""
from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bot.nlu import language as lid  # noqa: E402
from bot.nlu.lid import fasttext_labels  # noqa: E402

GRID = {"FASTTEXT_MIN": [0.5, 0.7, 0.8, 0.9, 0.95, 1.01], "OWN_MIN": [0.3, 0.4, 0.5, 0.6, 0.75],
        "UNSUPPORTED_MIN": [0.6, 0.7, 0.8, 0.9], "OWN_NEEDS_FASTTEXT": [False, True]}


def examples():
    out = []
    for path in sorted((REPO / "data" / "nlu").rglob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in doc.get("nlu", []):
            lang = (item.get("metadata") or {}).get("language", "en")
            raw = item.get("examples")
            if isinstance(raw, str):
                out += [(line.strip()[2:], lang) for line in raw.splitlines() if line.strip().startswith("- ")]
            elif isinstance(raw, list):
                out += [(e["text"], (e.get("metadata") or {}).get("language", lang)) for e in raw]
    return out


def own_probabilities(texts, labels, folds=5, seed=42):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    rng = np.random.default_rng(seed)
    order = rng.permutation(len(texts))
    probs = [None] * len(texts)
    for k in range(folds):
        test = set(order[k::folds].tolist())
        train = [i for i in range(len(texts)) if i not in test]
        vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 4), sublinear_tf=True)
        x = vec.fit_transform([texts[i].lower() for i in train])
        clf = LogisticRegression(C=10.0, max_iter=2000, class_weight="balanced", random_state=seed)
        clf.fit(x, [labels[i] for i in train])
        rows = clf.predict_proba(vec.transform([texts[i].lower() for i in sorted(test)]))
        for i, row in zip(sorted(test), rows):
            probs[i] = {str(c): float(p) for c, p in zip(clf.classes_, row)}
    return probs


def score(items, fasttext, own, supported):
    wrong = undecided = long_n = other_n = other_marked = 0
    for (text, lang), ft, ow in zip(items, fasttext, own):
        found = lid.decide(text, supported, fasttext=ft, own=ow)
        if lang not in supported:
            other_n += 1
            other_marked += found.unsupported is not None
            wrong += found.language is not None
            continue
        if found.language is not None and found.language != lang:
            wrong += 1
        if len(lid.words(text)) >= lid.MIN_WORDS:
            long_n += 1
            undecided += found.language is None
    return {"wrong": wrong / len(items), "undecided": undecided / max(long_n, 1),
            "other_marked": other_marked / max(other_n, 1)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--report", default=None)
    args = parser.parse_args(argv)
    items = examples()
    texts, labels = [t for t, _ in items], [lang for _, lang in items]
    supported = sorted({lang for lang in labels if lang != "xx"})
    fasttext = [fasttext_labels(t) for t in texts]
    own = own_probabilities(texts, labels)
    rows = []
    for values in itertools.product(*GRID.values()):
        for name, value in zip(GRID, values):
            setattr(lid, name, value)
        rows.append((dict(zip(GRID, values)), score(items, fasttext, own, supported)))
    rows.sort(key=lambda r: (round(r[1]["wrong"] + r[1]["undecided"], 4), -r[1]["other_marked"]))
    best = rows[0]
    lines = ["# Language identification: thresholds chosen by cross-validation", "",
             f"`make tune-language` on {len(items)} training examples ({', '.join(supported)} and `xx` for other "
             "languages), 5 folds for the character n-gram model; fastText's lid.176 scores every example. "
             "Wrong: a supported language other than the example's (share of all examples). Undecided: messages "
             "of two or more words left to the conversation's language. Other marked: messages in languages the "
             "bot does not speak that are marked so. Ranked by wrong + undecided, then other marked.", "",
             "| FASTTEXT_MIN | OWN_MIN | UNSUPPORTED_MIN | OWN_NEEDS_FASTTEXT | wrong | undecided | other marked |",
             "|---|---|---|---|---|---|---|"]
    for params, s in rows[:12]:
        lines.append(f"| {params['FASTTEXT_MIN']} | {params['OWN_MIN']} | {params['UNSUPPORTED_MIN']} | "
                     f"{params['OWN_NEEDS_FASTTEXT']} | "
                     f"{s['wrong']:.2%} | {s['undecided']:.2%} | {s['other_marked']:.0%} |")
    guarded = next(r for r in rows if r[0]["OWN_NEEDS_FASTTEXT"])
    lines += ["", f"Chosen, the best by the measure (first row): {best[0]}.",
              f"Best with the own model needing fastText's agreement unless near-certain: {guarded[0]}, wrong "
              f"{guarded[1]['wrong']:.2%}, undecided {guarded[1]['undecided']:.2%}, other marked "
              f"{guarded[1]['other_marked']:.0%}. The agreement would keep code or keyboard noise from switching a "
              "conversation's language, but costs on real messages, transliterated Russian above all: it stays off.",
              "Held-out figures are in docs/nlu-report.md."]
    text = "\n".join(lines) + "\n"
    if args.report:
        Path(args.report).write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
