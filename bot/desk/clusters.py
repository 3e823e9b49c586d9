"""Folding near-identical texts into clusters (pure).

Texts are normalised (lower case, placeholders and punctuation dropped, a plural or verb
ending cut) into token sets; two texts belong together when the Jaccard similarity of
their token sets is at least THRESHOLD. A new text joins the first cluster whose leader
is that close, else it starts one. Candidates are found by prefix filtering: with the
tokens in one fixed order, two sets with Jaccard >= t share a token among the first
|A| - ceil(t * |A|) + 1 of each, so only clusters indexed under those tokens are compared.
"""
from __future__ import annotations

import hashlib
import math
import re
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

THRESHOLD = 0.6
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_PLACEHOLDER = re.compile(r"\[(?:email|phone|card|iban|handle|number)\]")
STOPWORDS = frozenset("a an the is are was were be to of and or in on at it this that i you do does did".split())


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> FrozenSet[str]:
    """The normalised token set of a (redacted) text."""
    words = _WORD.findall(_PLACEHOLDER.sub(" ", text.lower()))
    found = {_stem(w) for w in words if w not in STOPWORDS}
    return frozenset(found or {_stem(w) for w in words})


def jaccard(a: FrozenSet[str], b: FrozenSet[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _order(token: str) -> str:
    return hashlib.md5(token.encode("utf-8")).hexdigest()


def prefix(toks: FrozenSet[str], threshold: float = THRESHOLD) -> List[str]:
    ordered = sorted(toks, key=_order)
    size = len(ordered) - math.ceil(threshold * len(ordered)) + 1
    return ordered[:max(size, 1)]


class Clusterer:
    """Leader clustering over token sets; `assign` returns (cluster id, is new)."""

    def __init__(self, threshold: float = THRESHOLD) -> None:
        self.threshold = threshold
        self.leaders: Dict[int, FrozenSet[str]] = {}
        self.index: Dict[str, Set[int]] = {}
        self.next_id = 1

    def add(self, cluster_id: int, toks: FrozenSet[str]) -> None:
        self.leaders[cluster_id] = toks
        for token in prefix(toks, self.threshold):
            self.index.setdefault(token, set()).add(cluster_id)
        self.next_id = max(self.next_id, cluster_id + 1)

    def find(self, toks: FrozenSet[str]) -> Optional[int]:
        candidates: Set[int] = set()
        for token in prefix(toks, self.threshold):
            candidates |= self.index.get(token, set())
        best: Tuple[float, int] = (0.0, 0)
        for cid in candidates:
            score = jaccard(toks, self.leaders[cid])
            if score >= self.threshold and (score, -cid) > (best[0], -best[1]):
                best = (score, cid)
        return best[1] or None

    def assign(self, toks: FrozenSet[str]) -> Tuple[int, bool]:
        found = self.find(toks)
        if found is not None:
            return found, False
        cid = self.next_id
        self.add(cid, toks)
        return cid, True


def rising(this_week: int, previous_weeks: Iterable[int], minimum: int = 2) -> bool:
    """This week's askers at least `minimum` and more than twice the recent weekly mean."""
    previous = list(previous_weeks)
    mean = sum(previous) / len(previous) if previous else 0.0
    return this_week >= minimum and this_week > 2 * mean
