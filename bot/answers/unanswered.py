"""Questions about NATO that the sources do not answer, as the training data labels them
(`ask_fact` examples whose `facts` list is empty in data/nlu/questions.yml: "Who was the
first NATO Secretary General?", "How much does the US pay into NATO's budget?").

A message whose nearest labelled question is one of them, rather than a question a fact
answers (data/knowledge/fact_questions.yml, the labelled examples with facts), asks what
the sources do not say even when a fact shares its words ("secretary general", "budget"):
bot/answers/decide.py then gives no fact as the answer. Nearness is the idf-weighted cosine
of the messages' terms (1: the same words), so thresholds serve every length.

Pure: the analyser is passed in, the index is built on first use.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Dict, FrozenSet, List, Optional, Sequence, Tuple

from bot.answers.retrieval import Analyse, Analysis


@dataclass(frozen=True)
class Nearness:
    """Cosine of a message to the nearest unanswerable and the nearest answerable question."""

    unanswered: float = 0.0
    answered: float = 0.0


class UnansweredFinder:
    """The labelled questions, unanswerable and answerable, and how near a message is to each kind."""

    def __init__(self, analyse: Analyse, unanswered: Sequence[str], answered: Sequence[str] = ()) -> None:
        self.analyse = analyse
        self._texts = (tuple(unanswered), tuple(answered))
        self._index: Optional[Tuple[Tuple[List[Tuple[FrozenSet[str], float]], ...], Dict[str, float], float]] = None

    def index(self):
        """Per kind, each question's terms with the norm of their idf vector; the idf; the
        weight of an unknown word. Built on the first call."""
        if self._index is None:
            groups = tuple([frozenset(self.analyse(q).terms) for q in texts] for texts in self._texts)
            everything = [s for g in groups for s in g]
            n = max(len(everything), 1)
            df = Counter(t for s in everything for t in s)
            idf = {t: math.log(1 + n / c) for t, c in df.items()}
            vectors = tuple([(s, math.sqrt(sum(idf[t] ** 2 for t in s))) for s in g if s] for g in groups)
            self._index = (vectors, idf, math.log(1 + n))
        return self._index

    def nearness(self, analysis: Analysis) -> Nearness:
        """A word no labelled question holds weighs as the rarest word: it lowers both."""
        if not self._texts[0]:
            return Nearness()
        (unanswered, answered), idf, unknown = self.index()
        asked = {t: idf.get(t, unknown) for t in set(analysis.terms)}
        norm = math.sqrt(sum(w * w for w in asked.values())) or 1.0

        def nearest(vectors: List[Tuple[FrozenSet[str], float]]) -> float:
            best = 0.0
            for terms, length in vectors:
                shared = sum(w * w for t, w in asked.items() if t in terms)
                if shared:
                    best = max(best, shared / (norm * length))
            return best
        return Nearness(nearest(unanswered), nearest(answered))
