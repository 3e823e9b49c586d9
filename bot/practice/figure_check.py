"""Figures and dates in a trainee's answer, checked against the facts (practice scoring).

Every figure is linked to the fact of data/knowledge/facts.yml whose wording surrounds it
most closely, and checked against that fact's `numbers`; a wrong one is reported with the
right figure, written as the answer's language writes it, and the fact's sources. Dates
given for a source ("NATO, July 2024") are citations, not claims. The language's negations,
clause breaks and list words come with the analyser. Pure given the analyser; no I/O.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from bot.knowledge.figures import Figure, comparable, parse_figure, same_figure
from bot.knowledge.practice_spec import Cue
from bot.practice.analysis import Analysis, TextAnalyser

# Publishers of the sources in sources.yml, as entity ids of entities.yml.
SOURCE_PUBLISHERS = frozenset({"nato", "eprs", "european_parliament"})
PUBLISHER_KINDS = frozenset({"nato", "eu_parliament_research"})  # the sources those entities name
MIN_LINK = 0.5           # context (IDF-weighted) needed to link a figure to a fact at all
PLAUSIBLE_SHARE = 0.6    # other facts this close to the best one may be meant as well
MYTH_BONUS = 0.4         # facts of the myth being practised are the likelier reading
LOCAL_WINDOW = 6         # words around a figure in a fact that say what it is about
UNIT_WINDOW = 3          # words after a figure that say what it counts
UNIT_BONUS = 0.6         # both figures count the same thing
LOCAL_WEIGHT = 0.5       # answer words this close (within 3 words) are compared with them
CLOSE_SHARE = 0.8        # figures of a fact this close to the best match are all named



@dataclass(frozen=True)
class WrongFigure:
    said: str
    right: Tuple[str, ...]
    fact: str
    sources: Tuple[str, ...]


@dataclass(frozen=True)
class CheckedFigure:
    said: str
    fact: str


class FigureChecker:
    """The facts' figures, indexed with the words around them, for one knowledge base."""

    def __init__(self, kb: Any, analyser: TextAnalyser, source_words: Sequence[Cue]) -> None:
        self.kb, self.analyser, self.source_words = kb, analyser, tuple(source_words)
        self.language = analyser.language
        self.source_dates = [f for s in kb.sources.values() if s.kind in PUBLISHER_KINDS
                             for f in self.language.figures_in(s.date)[:1]]
        self.fact_keys: Dict[str, FrozenSet[str]] = {}
        self.fact_figures: Dict[str, Tuple[Tuple[Figure, str], ...]] = {}
        self.figure_keys: Dict[Tuple[str, int], FrozenSet[str]] = {}
        self.figure_units: Dict[Tuple[str, int], FrozenSet[str]] = {}
        for fact in kb.facts.values():
            self._index_fact(fact)
        # rare words say more about which fact is meant than words most facts share
        n = len(self.fact_keys)
        df: Dict[str, int] = {}
        for keys in self.fact_keys.values():
            for k in keys:
                df[k] = df.get(k, 0) + 1
        self.idf = {k: math.log((n + 1) / (c + 1)) / math.log(n + 1) for k, c in df.items()}
        self.fact_rank = {fid: (-self._date_key(kb.facts[fid].as_of), len(keys)) for fid, keys in self.fact_keys.items()}

    def _index_fact(self, fact) -> None:
        a = self.analyser.analyse(fact.text)
        self.fact_keys[fact.id] = frozenset(k for ks in a.keys for k in ks)
        numbers = [(parse_figure(n), n) for n in fact.numbers]
        out: List[Tuple[Figure, str]] = []
        for number, raw in numbers:
            if number is None:
                continue
            in_text = [f for f in a.figures if same_figure(f, number, exact=True)
                       or (f.kind == "resolution" and number.kind in ("year", "count") and f.value == number.value)]
            if in_text:
                out.extend((f, raw) for f in in_text if all(f is not g for g, _ in out))
            else:
                out.append((replace(number, start=0, end=0), raw))  # not in the text: no context
        self.fact_figures[fact.id] = tuple(out)
        for i, (f, _) in enumerate(out):
            # the words right around a figure in the fact ("32 Allies", "one billion people")
            lo, hi = a.sents[a.sent_of[f.start]] if f.end else (0, 0)  # empty span: no words
            near = range(max(lo, f.start - LOCAL_WINDOW), min(hi, f.end + LOCAL_WINDOW))
            self.figure_keys[(fact.id, i)] = frozenset(k for j in near for k in a.keys[j])
            self.figure_units[(fact.id, i)] = self._unit(a, f) if f.end else frozenset()

    def _list_spans(self, a: Analysis) -> Dict[int, Tuple[int, int]]:
        """Figures listed together ("2014 and 2022", "1970 and 1973", "2016-2017") share
        the words around the whole list: token span of the list, by figure start."""
        spans: Dict[int, Tuple[int, int]] = {}
        group: List[Figure] = []
        joiners = self.language.list_joiners
        for f in a.figures + [None]:
            prev = group[-1] if group else None
            joined = (f is not None and prev is not None and f.group == prev.group
                      and a.sent_of[f.start] == a.sent_of[prev.start]
                      and all(a.doc[k].lower_ in joiners for k in range(prev.end, f.start))
                      and f.start - prev.end <= 2)
            if not joined:
                for g in group:
                    spans[g.start] = (group[0].start, group[-1].end)
                group = []
            if f is not None:
                group.append(f)
        return spans

    def _context(self, a: Analysis, f: Figure, span: Optional[Tuple[int, int]] = None) -> Dict[str, float]:
        lo, hi = span or (f.start, f.end)
        f = replace(f, start=lo, end=hi)
        start, end = a.sents[a.sent_of[f.start]]
        weights: Dict[str, float] = {}
        for j in range(start, end):
            if f.start <= j < f.end or not a.keys[j]:
                continue
            if any(g.start <= j < g.end for g in a.figures):
                continue
            d = f.start - j if j < f.start else j - f.end + 1
            w = 1.0 / (1.0 + (d - 1) / 4.0)
            lo, hi = (j + 1, f.start) if j < f.start else (f.end, j)
            if any(a.doc[k].lower_ in self.language.clause_breaks for k in range(lo, hi)):
                w *= 0.5
            for key in a.keys[j]:
                weights[key] = max(weights.get(key, 0.0), w)
        return weights

    def _local(self, fid: str, index: int, near: Dict[str, float], unit: FrozenSet[str] = frozenset()) -> float:
        """How well the words around a figure of a fact match the answer's: the nearby
        words (IDF-weighted) plus a bonus when both count the same thing ("40 members",
        "32 Allies")."""
        keys = self.figure_keys.get((fid, index), frozenset())
        score = sum(w * self.idf[k] for k, w in near.items() if k in keys)
        if unit & self.figure_units.get((fid, index), frozenset()):
            score += UNIT_BONUS
        return score

    @staticmethod
    def _unit(a: Analysis, f: Figure) -> FrozenSet[str]:
        """What a figure counts: the content words just after it ("troops", "time zones")."""
        end = a.sents[a.sent_of[f.start]][1]
        return frozenset(k for j in range(f.end, min(end, f.end + UNIT_WINDOW)) for k in a.keys[j])

    def _is_citation(self, a: Analysis, f: Figure) -> bool:
        """A date given for a source ("NATO, July 2024", "(EPRS, 2022)")."""
        if f.group != "time" or not any(same_figure(f, d) for d in self.source_dates):
            return False
        if f.start in a.bracketed:
            return True
        start, end = a.sents[a.sent_of[f.start]]
        # a publisher right before the date ("NATO, July 2024"); not one the claim is about
        # ("joined the Alliance in April 2022")
        j = f.start - 1
        while j >= start and a.doc[j].is_punct:
            j -= 1
        if j >= start and j < f.start - 1 and a.doc[j].ent_id_ in SOURCE_PUBLISHERS:
            return True
        near: Set[int] = set()
        for cue in self.source_words:
            for term in cue.terms:
                near |= a.token_hits.get(term.text, set())
        return any(start <= j < end and (f.start - 4 <= j < f.end + 4) for j in near)

    def citations(self, a: Analysis) -> List[Figure]:
        """Dates given for a source: "(NATO, 2024)", "EPRS briefing of April 2022"."""
        return [f for f in a.figures if self._is_citation(a, f)]

    def check_figures(self, a: Analysis, myth_facts: Set[str]) -> Tuple[List[WrongFigure], List[CheckedFigure]]:
        wrong: List[WrongFigure] = []
        right: List[CheckedFigure] = []
        lists = self._list_spans(a)
        for f in a.figures:
            if f.start in a.quoted or f.start in a.cited or self._is_citation(a, f):
                continue
            context = self._context(a, f, lists.get(f.start))
            near = {k: w for k, w in context.items() if w >= LOCAL_WEIGHT}
            unit = self._unit(a, f) if f.group != "time" else frozenset()
            scored = []
            for fid, figures in self.fact_figures.items():
                local = [self._local(fid, i, near, unit) for i, (g, _) in enumerate(figures) if comparable(f, g)]
                if not local:
                    continue
                s = sum(w * self.idf[k] for k, w in context.items() if k in self.fact_keys[fid])
                if s > 0:
                    scored.append((s + max(local) + (MYTH_BONUS if fid in myth_facts else 0.0), fid))
            if not scored:
                continue
            # best context first; on a tie the newer fact (as the bot prefers newer
            # sources), then the more specific one (fewer words)
            scored.sort(key=lambda x: (-round(x[0], 2), self.fact_rank[x[1]]))
            best, best_fid = scored[0]
            if best < MIN_LINK:
                continue
            # any fact nearly as likely as the best one may be meant: give the benefit of the doubt
            plausible = [fid for s, fid in scored if s >= PLAUSIBLE_SHARE * best]
            said = [f]
            negations = self.language.negations
            negated = any(a.doc[k].lower_ in negations or a.doc[k].lemma_ in negations
                          for k in range(*a.sents[a.sent_of[f.start]]))
            if f.kind == "percent" and negated:
                said.append(replace(f, value=100.0 - f.value))
            match = next((fid for fid in plausible for g, _ in self.fact_figures[fid]
                          if any(same_figure(x, g) for x in said)), None)
            if match is not None:
                right.append(CheckedFigure(f.text, match))
                continue
            # "not half, only 11%": the trainee corrects the wrong figure in the same sentence
            same_sentence = [g for g in a.figures if g is not f and a.sent_of[g.start] == a.sent_of[f.start]]
            if negated and any(same_figure(g, h) for g in same_sentence for h, _ in self.fact_figures[best_fid]):
                continue
            fact = self.kb.facts[best_fid]
            options = [(self._local(best_fid, i, near, unit), raw) for i, (g, raw) in enumerate(self.fact_figures[best_fid])
                       if comparable(f, g)]
            top = max(w for w, _ in options)
            # name the figure(s) the answer's wording points to, else all that could be meant
            correct = tuple(dict.fromkeys(self.language.write_figure(raw) for w, raw in options if w >= CLOSE_SHARE * top))
            wrong.append(WrongFigure(f.text, correct, best_fid, fact.source_ids))
        return wrong, right

    def _date_key(self, text: str) -> int:
        found = self.language.figures_in(text)
        f = found[0] if found else None
        return (f.year or 0) * 10000 + (f.month or 0) * 100 + (f.day or 0) if f else 0
