"""Find the facts that answer a question: BM25 over lemmas, with entity overlap.

Each fact is one document: its text, its evidence phrases, the aliases of the entities it
names and the questions it answers (data/knowledge/fact_questions.yml plus the labelled
`ask_fact` examples of data/nlu/questions.yml). BM25 ranks the facts; a fact that names an
entity of the question gains the entity's inverse document frequency. Each hit also carries its `coverage`: the share of
the question's word weight (idf) that the fact's document contains, so that a question
with a word no fact knows ("nuclear", "budget") is not answered by the fact that merely
shares "NATO" (bot/answers/decide.py weighs score and coverage together).

Among facts that share the question's entities and most of its words (the date of a
decision and the decision itself, a war and the peacekeeping after it), single words rarely
tell which fact answers; pairs of words do ("forward presence", "new member"). A second
BM25 index holds each document's pairs of nearby terms (neighbours, or one term apart),
and a fact's pair score, weighted, is added to its word score to order the facts. The
score a hit carries stays the word score with entity overlap, the scale decide.py's
thresholds are set on, so pairs change which fact comes first, not whether one is given.

A word no document knows ("finlnad", "ukriane") is read as the indexed word it is one or
two typing slips away from, with the entity that word names, so that a typo neither drops
the question's topic nor lowers its coverage.

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
# Weight of a word no document knows in coverage, as a share of the highest idf: such a
# word may be what the question turns on ("nuclear") or filler ("consist"); cross-validated.
UNKNOWN_WEIGHT = 0.6
# Weight of the pair score in the order of the facts; cross-validated.
PAIR_WEIGHT = 0.5
# Terms at most this far apart in a text form a pair ("forward presence", "forward ... summit").
PAIR_SPAN = 2
# Unknown words shorter than this are neither corrected nor weighed in coverage ("rn", "u").
MIN_WORD = 3


@dataclass(frozen=True)
class Analysis:
    """What the ranker needs of a text."""

    terms: Tuple[str, ...]  # content lemmas, lowercase, synonyms merged
    entities: Tuple[str, ...] = ()  # canonical entity ids (and years)
    tokens: Tuple[str, ...] = ()  # every token's lowercase lemma, in order
    words: Tuple[str, ...] = ()  # every token, lowercase, in order
    question: bool = False  # phrased as a question ("when did...", "...?") rather than a claim
    wh: bool = False  # a question asking for information: when, who, which, how many...


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
        self.postings: Dict[str, List[Tuple[int, int]]] = {}
        for i, tf in enumerate(self.tf):
            for term, f in tf.items():
                self.postings.setdefault(term, []).append((i, f))

    def scores(self, terms: Iterable[str]) -> List[float]:
        out = [0.0] * len(self.tf)
        avg = self.avg or 1.0
        for term in set(terms):
            idf = self.idf.get(term)
            for i, f in self.postings.get(term, ()) if idf is not None else ():
                norm = K1 * (1 - B + B * self.length[i] / avg)
                out[i] += idf * f * (K1 + 1) / (f + norm)
        return out

    def coverage(self, terms: Iterable[str], doc: int) -> float:
        """Share of the terms' idf weight found in document ``doc`` (an unknown term weighs
        UNKNOWN_WEIGHT of the most, one shorter than MIN_WORD nothing)."""
        terms = {t for t in terms if t in self.idf or len(t) >= MIN_WORD}
        total = sum(self.idf.get(t, UNKNOWN_WEIGHT * self.unknown_idf) for t in terms)
        found = sum(self.idf.get(t, 0.0) for t in terms if self.tf[doc].get(t))
        return found / total if total else 0.0


def pairs(terms: Sequence[str]) -> List[str]:
    """Each ordered pair of terms at most PAIR_SPAN apart, as one term ("warsaw summit")."""
    return [f"{a} {b}" for d in range(1, PAIR_SPAN + 1) for a, b in zip(terms, terms[d:])]


def slips(a: str, b: str, limit: int) -> int:
    """Edits (insert, delete, replace, swap two neighbours) from ``a`` to ``b``; ``limit + 1``
    as soon as more than ``limit`` are needed."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: List[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


def correction(word: str, vocabulary: Iterable[str], df: Mapping[str, int]) -> Optional[str]:
    """The indexed word ``word`` is most likely a slip for: same first letter, one edit away
    (two for words of eight letters or more), the commonest of the nearest; None if none.
    A word that only adds or drops an ending is another form, not a slip ("defensiv" is German,
    not a misspelt "defensive"), and is left as it is."""
    if len(word) < max(MIN_WORD, 4) or not word.isalpha():
        return None
    limit = 2 if len(word) >= 8 else 1
    best: Optional[Tuple[int, int, str]] = None
    for v in vocabulary:
        if v[:1] != word[:1] or not v.isalpha() or len(v) < 4 or v.startswith(word) or word.startswith(v):
            continue
        d = slips(word, v, limit)
        if d <= limit and (best is None or (d, -df.get(v, 0), v) < best):
            best = (d, -df.get(v, 0), v)
    return best[2] if best else None


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


@dataclass(frozen=True)
class Index:
    ids: List[str]
    bm25: BM25  # one document per fact
    pairs: BM25  # the same documents' pairs of nearby terms
    entity_sets: List[frozenset]
    entity_idf: Dict[str, float]
    word_entities: Dict[str, str]  # a one-word alias's term -> its entity
    df: Dict[str, int]  # how many documents hold each term (the commonest slip wins)


class FactFinder:
    """Ranks the facts of ``kb`` for a question. The index is built on the first call."""

    def __init__(self, kb: Knowledge, analyse: Analyse, questions: Mapping[str, Sequence[str]],
                 examples: Sequence[Tuple[str, Sequence[str]]] = (), entity_weight: float = ENTITY_WEIGHT) -> None:
        self.kb, self.analyse = kb, analyse
        self._questions, self._examples = questions, examples
        self.entity_weight = entity_weight
        self._index: Optional[Index] = None
        self._corrections: Dict[str, Optional[str]] = {}

    def _build(self) -> "Index":
        ids, docs, pair_docs, entity_sets = [], [], [], []
        word_entities: Dict[str, str] = {}
        for fid, texts in fact_documents(self.kb, self._questions, self._examples).items():
            terms: List[str] = []
            term_pairs: List[str] = []
            entities = set()
            for text in texts:
                a = self.analyse(text)
                terms += a.terms
                term_pairs += pairs(a.terms)
                entities |= set(a.entities)
            for eid in sorted(entities):
                entity = self.kb.entities.get(eid)
                for alias in entity.aliases if entity else ():
                    alias_terms = self.analyse(alias).terms
                    terms += alias_terms
                    term_pairs += pairs(alias_terms)
                    if len(alias_terms) == 1 and eid not in GENERIC_ENTITIES:
                        word_entities.setdefault(alias_terms[0], eid)
            ids.append(fid)
            docs.append(terms)
            pair_docs.append(term_pairs)
            entity_sets.append(frozenset(entities))
        n = max(len(ids), 1)
        df = Counter(e for s in entity_sets for e in s)
        entity_idf = {e: math.log(1 + n / c) for e, c in df.items()}
        words = BM25(docs)
        df_terms = {t: len(p) for t, p in words.postings.items()}
        return Index(ids, words, BM25(pair_docs), entity_sets, entity_idf, word_entities, df_terms)

    def corrected(self, analysis: Analysis) -> Tuple[Tuple[str, ...], Tuple[str, ...]]:
        """The analysis's terms with slips for indexed words corrected, and the entities the
        corrected words name."""
        index = self.index()
        vocabulary = index.bm25.idf
        terms, entities = [], []
        for t in analysis.terms:
            if t not in vocabulary:
                if t not in self._corrections:
                    self._corrections[t] = correction(t, vocabulary, index.df)
                fixed = self._corrections[t]
                if fixed is not None:
                    t = fixed
                    if fixed in index.word_entities:
                        entities.append(index.word_entities[fixed])
            terms.append(t)
        return tuple(terms), tuple(entities)

    def index(self) -> Index:
        if self._index is None:
            self._index = self._build()
        return self._index

    def rank(self, text: str, limit: int = 5, analysis: Optional[Analysis] = None) -> List[Hit]:
        """The best facts for ``text``, best first: by word score, entity overlap and pair score."""
        x = self.index()
        a = analysis or self.analyse(text)
        terms, named = self.corrected(a)
        scores = x.bm25.scores(terms)
        asked = (set(a.entities) | set(named)) - GENERIC_ENTITIES
        shared = [tuple(sorted(asked & s)) for s in x.entity_sets]
        total = [s + self.entity_weight * sum(x.entity_idf.get(e, 0.0) for e in sh) for s, sh in zip(scores, shared)]
        order_by = [t + PAIR_WEIGHT * p for t, p in zip(total, x.pairs.scores(pairs(terms)))]
        order = sorted(range(len(x.ids)), key=lambda i: (-order_by[i], x.ids[i]))[:limit]
        return [Hit(x.ids[i], total[i], x.bm25.coverage(terms, i), shared[i]) for i in order]
