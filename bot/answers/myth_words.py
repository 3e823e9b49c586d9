"""Words that show a message is about one myth, learnt from the intent classifier's
training examples: a lemma found in at least MIN_EXAMPLES examples of the myth, and in
that myth's examples for at least MIN_SHARE of all the examples that hold it ("armour",
"stationed" for the deployments myth; "assurance", "soviet" for the enlargement promise).

They add to the hand-written words of data/knowledge/signals.yml as positive evidence that
a message the classifier takes for that myth is about it (bot/answers/decide.py). They are
learnt once per language by `make myth-words` into data/knowledge/myth_words.yml, so the
bot reads a list rather than analysing every training example when it starts, and an
editor can read what was learnt.

Pure: the caller passes the examples and the analyser; imports only bot.answers.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Dict, Iterable, Mapping, Sequence, Tuple

from bot.answers.retrieval import Analyse, Analysis

# Chosen by cross-validation on the training data (bot/answers/tune.py, docs/answer-tuning.md).
MIN_EXAMPLES = 5
MIN_SHARE = 0.8
# Shorter lemmas ("us", "eu") are too ambiguous to be evidence of one myth.
MIN_LENGTH = 3
MYTH_PREFIX = "myth_"


@dataclass(frozen=True)
class WordCounts:
    """Per intent, how many of its examples hold each lemma; and over every intent."""

    by_intent: Mapping[str, Counter]
    total: Counter


def example_words(analysis: Analysis) -> frozenset:
    """The content lemmas of an analysed example that can be evidence: no stop words, no
    digits or punctuation, at least MIN_LENGTH letters."""
    content = set(analysis.terms)
    return frozenset(t for t in analysis.tokens if t in content and len(t) >= MIN_LENGTH and t.isalpha())


def count_words(examples: Iterable[Tuple[Analysis, str]]) -> WordCounts:
    """Count, per intent and overall, the examples ((analysis, intent) pairs) holding each lemma."""
    by_intent: Dict[str, Counter] = {}
    total: Counter = Counter()
    for analysis, intent in examples:
        words = example_words(analysis)
        by_intent.setdefault(intent, Counter()).update(words)
        total.update(words)
    return WordCounts(by_intent, total)


def analysed(examples: Sequence[Tuple[str, str]], analyse: Analyse) -> WordCounts:
    return count_words((analyse(text), intent) for text, intent in examples)


def learn(counts: WordCounts, myth_ids: Iterable[str], min_examples: int = None,
          min_share: float = None) -> Dict[str, Tuple[str, ...]]:
    """Per myth id, its learnt words, sorted."""
    low = MIN_EXAMPLES if min_examples is None else min_examples
    share = MIN_SHARE if min_share is None else min_share
    out: Dict[str, Tuple[str, ...]] = {}
    for mid in myth_ids:
        own = counts.by_intent.get(MYTH_PREFIX + mid, Counter())
        out[mid] = tuple(sorted(w for w, n in own.items() if n >= low and n / counts.total[w] >= share))
    return out
