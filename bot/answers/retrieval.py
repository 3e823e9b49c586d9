"""Find the facts that answer a question: BM25 over lemmas, with entity overlap.

Each fact is one document: its text, its evidence phrases, the aliases of the entities it
names and the questions it answers (data/knowledge/fact_questions.yml plus the labelled
`ask_fact` examples of data/nlu/questions.yml). BM25 ranks the facts; a fact that names an
entity of the question gains the entity's inverse document frequency. Each hit also carries its `coverage`: the share of
the question's word weight (idf) that the fact's document contains, so that a question
with a word no fact knows ("nuclear", "budget") is not answered by the fact that merely
shares "NATO" (bot/answers/decide.py weighs score and coverage together).

BM25 is written out here (about 30 lines) rather than taken from a package: the index
holds some sixty documents, so a plain implementation answers in well under a millisecond
and adds no dependency to the shared environment.

Pure: no Rasa, no I/O. Text analysis is passed in (`Analyse`), so the index can be built
with the spaCy pipeline in the bot and with a plain word splitter in tests. Nothing is
built at import; `FactFinder` builds its index on first use.
"""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge import Knowledge

# Entities named in most messages to the bot: sharing them says nothing about which fact.
GENERIC_ENTITIES = frozenset({"nato"})
# BM25's usual parameters (term-frequency saturation, length normalisation).
K1, B = 1.2, 0.75
# Weight of the entity-overlap signal against the BM25 score; chosen by cross-validation
# on the training questions (bot/answers/tune.py, figures in docs/nlu-report.md).
ENTITY_WEIGHT = 2.0


@dataclass(frozen=True)
class Analysis:
    """What the ranker needs of a text."""

    terms: Tuple[str, ...]  # content lemmas, lowercase, synonyms merged
    entities: Tuple[str, ...] = ()  # canonical entity ids (and years)
    tokens: Tuple[str, ...] = ()  # every token's lowercase lemma, in order
    words: Tuple[str, ...] = ()  # every token, lowercase, in order
    question: bool = False  # phrased as a question ("when did...", "...?") rather than a claim


Analyse = Callable[[str], Analysis]


@dataclass(frozen=True)
class Hit:
    fact: str
    score: float
    coverage: float
    shared_entities: Tuple[str, ...]


class BM25:
    def __init__(self, docs: Sequence[Sequence[str]]) -> None:
        self.tf = [Counter(d) for d in docs]
        self.length = [len(d) for d in docs]
        self.avg = (sum(self.length) / len(docs)) if docs else 1.0
        n = len(docs)
        df = Counter(t for d in docs for t in set(d))
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.unknown_idf = math.log(1 + (n + 0.5) / 0.5)

    def scores(self, terms: Iterable[str]) -> List[float]:
        out = [0.0] * len(self.tf)
        for term in set(terms):
            idf = self.idf.get(term)
            if idf is None:
                continue
            for i, tf in enumerate(self.tf):
                f = tf.get(term, 0)
                if f:
                    norm = K1 * (1 - B + B * self.length[i] / (self.avg or 1.0))
                    out[i] += idf * f * (K1 + 1) / (f + norm)
        return out

    def coverage(self, terms: Iterable[str], doc: int) -> float:
        """Share of the terms' idf weight found in document ``doc`` (unknown terms weigh most)."""
        terms = set(terms)
        total = sum(self.idf.get(t, self.unknown_idf) for t in terms)
        found = sum(self.idf.get(t, 0.0) for t in terms if self.tf[doc].get(t))
        return found / total if total else 0.0


def fact_documents(kb: Knowledge, questions: Mapping[str, Sequence[str]],
                   examples: Sequence[Tuple[str, Sequence[str]]]) -> Dict[str, List[str]]:
    """The texts indexed for each fact: its text, evidence, questions, and the labelled
    examples whose first listed fact it is."""
    docs: Dict[str, List[str]] = {}
    for fid, fact in kb.facts.items():
        docs[fid] = [fact.text] + [e.evidence for e in fact.sources] + list(questions.get(fid, ()))
    for text, facts in examples:
        if facts and facts[0] in docs:
            docs[facts[0]].append(text)
    return docs


class FactFinder:
    """Ranks the facts of ``kb`` for a question. The index is built on the first call."""

    def __init__(self, kb: Knowledge, analyse: Analyse, questions: Mapping[str, Sequence[str]],
                 examples: Sequence[Tuple[str, Sequence[str]]] = (), entity_weight: float = ENTITY_WEIGHT) -> None:
        self.kb, self.analyse = kb, analyse
        self._questions, self._examples = questions, examples
        self.entity_weight = entity_weight
        self._index: Optional[Tuple[List[str], BM25, List[frozenset], Dict[str, float]]] = None

    def _build(self):
        ids, docs, entity_sets = [], [], []
        for fid, texts in fact_documents(self.kb, self._questions, self._examples).items():
            terms: List[str] = []
            entities = set()
            for text in texts:
                a = self.analyse(text)
                terms += a.terms
                entities |= set(a.entities)
            for eid in sorted(entities):
                entity = self.kb.entities.get(eid)
                for alias in entity.aliases if entity else ():
                    terms += self.analyse(alias).terms
            ids.append(fid)
            docs.append(terms)
            entity_sets.append(frozenset(entities))
        n = max(len(ids), 1)
        df = Counter(e for s in entity_sets for e in s)
        entity_idf = {e: math.log(1 + n / c) for e, c in df.items()}
        return ids, BM25(docs), entity_sets, entity_idf

    def index(self):
        if self._index is None:
            self._index = self._build()
        return self._index

    def rank(self, text: str, limit: int = 5, analysis: Optional[Analysis] = None) -> List[Hit]:
        """The best facts for ``text``, best first."""
        ids, bm25, entity_sets, entity_idf = self.index()
        a = analysis or self.analyse(text)
        scores = bm25.scores(a.terms)
        asked = set(a.entities) - GENERIC_ENTITIES
        shared = [tuple(sorted(asked & s)) for s in entity_sets]
        total = [s + self.entity_weight * sum(entity_idf.get(e, 0.0) for e in sh) for s, sh in zip(scores, shared)]
        order = sorted(range(len(ids)), key=lambda i: (-total[i], ids[i]))[:limit]
        return [Hit(ids[i], total[i], bm25.coverage(a.terms, i), shared[i]) for i in order]
