"""Score a trainee's rebuttal of a myth: deterministic and explainable (practice mode).

What is scored, for the key points of the stage ("answer": all key points of the myth;
"counter": the key points that answer its usual push-back):

- key points (60): a key point is covered when one of its cues (bot/practice.py) matches
  within one sentence, on spaCy lemmas, entity ids and figures;
- structure (4 x 7.5, only once a key point is covered): the first real sentence states a
  fact rather than the myth; the myth is named at most once; the answer says why the myth
  misleads; it names a source;
- figures (10, also only once a key point is covered): every figure or date is linked to the fact of data/knowledge/facts.yml
  whose wording surrounds it most closely, and checked against that fact's `numbers`;
  each wrong figure also costs 15 points and is reported with the right one and its source.

The spaCy pipeline (``make nlp``: blank English, lookup lemmatizer, entity ruler) is loaded
on first use, never at import; nothing else is read from disk.
"""
from __future__ import annotations

import math
import os
import re
import threading
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, Iterable, List, Optional, Sequence, Set, Tuple, Union

from bot.figures import Figure, comparable, find_figures, parse_figure, same_figure
from bot.practice import Alternative, Cue, KeyPoint, PracticeSpec, Term, parse_cue, practice_spec

KEY_POINTS_MAX = 60.0
STRUCTURE_EACH = 7.5
FIGURES_MAX = 10.0
WRONG_FIGURE_PENALTY = 15.0
LEAD_MIN_WORDS = 4

# Saying why a myth misleads ("it ignores ...", "because ...", "blurs support with combat").
EXPLAIN_CUES = (
    "because", "mislead*", "ignor*", "hide|hides|hid|hidden|hiding", "distort*", "twist*",
    "revers*", "confus*", "conflat*", "blur*", "blam*", "omit*", "leav* out", "strip* out", "cherry*",
    "context", "framing", "trick*", "exaggerat*", "inflat*", "pretend*", "selective*",
    "treat* as", "present* as", "turn* upside", "shift* blame", "flip*", "only_work*",
    "make*|makes|made look|seem|sound", "not_the_same", "not_mean",
)
# Naming a source ("according to NATO", "the EPRS briefing", "NATO's fact-check page").
SOURCE_CUES = (
    "according", "source*", "cite*|citing", "briefing", "report*", "page", "website",
    "fact_check|factcheck", "eprs", "european_parliament", "parliament",
    "research service", "nato_say*|nato_state*|nato_note*|alliance_say*", "setting_the_record",
    "nato.int|europarl*",
)
SOURCE_WORD_CUES = ("source*", "briefing", "page", "report*", "eprs", "european_parliament",
                    "parliament", "fact_check|factcheck", "according", "website")
NEGATIONS = frozenset({"not", "no", "never", "n't", "nobody", "none", "without", "nor", "non"})
CLAUSE_BREAKS = frozenset({",", ";", ":", "and", "but", "while", "whereas", "although", "though",
                           "(", ")", "—", "–", "which", "who"})
# Words that say nothing about which fact a figure belongs to.
GENERIC = frozenset({"nato", "russia", "russian", "alliance", "be", "have", "do", "also", "only",
                     "say", "'s", "-"})
SYNONYMS = {"member": "ally", "allied": "ally", "soldier": "troop", "force": "troop",
            "frontier": "border", "accession": "join", "invasion": "invade", "eastern": "east"}
# Publishers of the sources in sources.yml, as entity ids of entities.yml.
SOURCE_PUBLISHERS = frozenset({"nato", "eprs", "european_parliament"})
LIST_JOINERS = frozenset({"and", "or", ",", "-", "–", "to", "&", "/"})
QUOTES = frozenset({'"', "“", "”", "«", "»"})
MIN_LINK = 0.5           # context (IDF-weighted) needed to link a figure to a fact at all
PLAUSIBLE_SHARE = 0.6    # other facts this close to the best one may be meant as well
MYTH_BONUS = 0.4         # facts of the myth being practised are the likelier reading
LOCAL_WINDOW = 6         # words around a figure in a fact that say what it is about
UNIT_WINDOW = 3          # words after a figure that say what it counts
UNIT_BONUS = 0.6         # both figures count the same thing
LOCAL_WEIGHT = 0.5       # answer words this close (within 3 words) are compared with them
CLOSE_SHARE = 0.8        # figures of a fact this close to the best match are all named


def _enclosed(doc, opening: str, closing: str) -> Set[int]:
    """Indices of the tokens between matching opening and closing marks (nesting allowed)."""
    inside: Set[int] = set()
    depth = 0
    for i, token in enumerate(doc):
        if token.text == opening:
            depth += 1
        elif token.text == closing:
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside


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


@dataclass(frozen=True)
class Tip:
    code: str                       # wrong_figure, missing_point, lead_with_fact, explain,
    key_point: Optional[str] = None # name_once, cite_source, well_done
    figure: Optional[WrongFigure] = None


@dataclass(frozen=True)
class Score:
    myth: str
    stage: str
    score: int
    covered: Tuple[str, ...]
    missing: Tuple[str, ...]
    wrong_figures: Tuple[WrongFigure, ...]
    right_figures: Tuple[CheckedFigure, ...]
    leads_with_fact: bool
    myth_mentions: int
    explains_why: bool
    cites_source: bool
    tip: Tip
    parts: Dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- pipeline


def pipeline_path(root: Union[str, Path, None] = None) -> Path:
    """build/spacy_pipeline under the project root (env FACTCHECK_NLP overrides)."""
    from bot.content import project_root

    return Path(os.environ.get("FACTCHECK_NLP") or project_root(root) / "build" / "spacy_pipeline")


@lru_cache(maxsize=4)
def load_pipeline(path: str):
    """The rule-based spaCy pipeline of ``make nlp``, plus a sentencizer (in memory only)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if not (Path(path) / "meta.json").exists():
        raise FileNotFoundError(f"{path}: spaCy pipeline not found; build it with `make nlp`")
    import spacy

    nlp = spacy.load(path)
    if "sentencizer" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer", first=True)
    return nlp


# --------------------------------------------------------------------------- analysis


@dataclass
class Analysis:
    doc: Any
    sent_of: List[int]
    sents: List[Tuple[int, int]]
    keys: List[FrozenSet[str]]
    figures: List[Figure]
    term_hits: Dict[str, Set[int]]
    token_hits: Dict[str, Set[int]]
    quoted: Set[int]
    bracketed: Set[int]
    cited: Set[int]          # tokens of source markers "[1, 2]" and of citation sentences


def _alternative_patterns(alt: Alternative, lemma, entity_ids: FrozenSet[str]) -> List[List[Dict]]:
    if alt.figure is not None:
        return []
    words = alt.words
    patterns: List[List[Dict]] = []
    if len(words) == 1:
        w = words[0]
        if alt.prefix:
            rx = {"REGEX": "^" + re.escape(w)}
            return [[{"LOWER": rx}], [{"LEMMA": rx}]]
        patterns = [[{"LOWER": w}], [{"LEMMA": lemma(w)}]]
        if w in entity_ids:
            patterns.append([{"ENT_ID": w}])
        return patterns
    seq: List[Dict] = []
    for k, w in enumerate(words):
        if k:
            seq.append({"IS_PUNCT": True, "OP": "?"})
        if alt.prefix and k == len(words) - 1:
            seq.append({"LOWER": {"REGEX": "^" + re.escape(w)}})
        else:
            seq.append({"LEMMA": {"IN": sorted({lemma(w), w})}})
    patterns.append(seq)
    joined = "_".join(words)
    if joined in entity_ids:
        patterns.append([{"ENT_ID": joined}])
    return patterns


class Scorer:
    """Compiled cues and fact figures for one knowledge base and one spaCy pipeline."""

    def __init__(self, kb: Any, nlp: Any) -> None:
        from spacy.matcher import Matcher

        self.kb, self.nlp = kb, nlp
        try:
            self._lookup = nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        except (KeyError, ValueError):
            self._lookup = {}
        self.entity_ids = frozenset(kb.entities)
        self.specs: Dict[str, PracticeSpec] = {
            m.id: practice_spec(m) for m in kb.myths.values() if m.practice
        }
        self.explain = tuple(parse_cue(c) for c in EXPLAIN_CUES)
        self.source = tuple(parse_cue(c) for c in SOURCE_CUES)
        self.source_words = tuple(parse_cue(c) for c in SOURCE_WORD_CUES)
        self.matcher = Matcher(nlp.vocab, validate=True)
        self._terms: Dict[str, Term] = {}
        for cue in self._all_cues():
            for term in cue.terms:
                if term.text in self._terms:
                    continue
                self._terms[term.text] = term
                patterns = [p for a in term.alternatives for p in _alternative_patterns(a, self.lemma, self.entity_ids)]
                if patterns:
                    self.matcher.add(term.text, patterns)
        self.source_dates = [f for f in (parse_figure(s.date) for s in kb.sources.values()) if f]
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
        self.fact_rank = {fid: (-_date_key(kb.facts[fid].as_of), len(keys)) for fid, keys in self.fact_keys.items()}

    # -- helpers ---------------------------------------------------------------

    def _all_cues(self) -> Iterable[Cue]:
        for spec in self.specs.values():
            yield from spec.myth_cues
            for kp in spec.key_points:
                yield from kp.cues
        yield from self.explain
        yield from self.source
        yield from self.source_words

    def lemma(self, word: str) -> str:
        low = word.lower()
        return str(self._lookup.get(low, low)).lower()

    def _key(self, token) -> Optional[str]:
        if token.is_punct or token.is_space or token.like_num or token.is_stop:
            return None
        key = SYNONYMS.get(token.lemma_, token.lemma_)
        return None if key in GENERIC or len(key) < 2 else key

    def analyse(self, text: str) -> Analysis:
        doc = self.nlp(text)
        for token in doc:
            token.lemma_ = self.lemma(token.text)
        sents = [(s.start, s.end) for s in doc.sents] or [(0, len(doc))]
        sent_of = [0] * len(doc)
        for i, (a, b) in enumerate(sents):
            for j in range(a, b):
                sent_of[j] = i
        keys = []
        for token in doc:
            k = set()
            key = self._key(token)
            if key:
                k.add(key)
            if token.ent_id_ and token.ent_id_ not in GENERIC:
                k.add(token.ent_id_)
            keys.append(frozenset(k))
        figures = [replace(f, text=doc[f.start:f.end].text) for f in find_figures([t.text for t in doc])]
        term_hits: Dict[str, Set[int]] = {}
        token_hits: Dict[str, Set[int]] = {}
        for match_id, start, end in self.matcher(doc):
            name = self.nlp.vocab.strings[match_id]
            term_hits.setdefault(name, set()).add(sent_of[start])
            token_hits.setdefault(name, set()).update(range(start, end))
        quoted = set()
        in_quote = 0
        for i, token in enumerate(doc):
            if token.text in QUOTES:
                in_quote = 1 - in_quote
            elif in_quote:
                quoted.add(i)
        bracketed = _enclosed(doc, "(", ")")
        cited: Set[int] = _enclosed(doc, "[", "]")
        for start, end in sents:
            words = [t for t in doc[start:end] if not t.is_punct and not t.is_space]
            if any(t.like_url for t in doc[start:end]) or (words and words[0].lower_ in ("source", "sources")):
                cited.update(range(start, end))
        return Analysis(doc, sent_of, sents, keys, figures, term_hits, token_hits, quoted, bracketed, cited)

    def _index_fact(self, fact) -> None:
        a = self.analyse(fact.text)
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

    # -- cues ------------------------------------------------------------------

    def term_sentences(self, a: Analysis, term: Term) -> Set[int]:
        found = set(a.term_hits.get(term.text, ()))
        for alt in term.alternatives:
            if alt.figure is not None:
                found.update(a.sent_of[f.start] for f in a.figures if same_figure(alt.figure, f))
        return found

    def cue_sentences(self, a: Analysis, cue: Cue) -> Set[int]:
        result: Optional[Set[int]] = None
        for term in cue.terms:
            hits = self.term_sentences(a, term)
            result = hits if result is None else result & hits
            if not result:
                return set()
        return result or set()

    def cues_sentences(self, a: Analysis, cues: Iterable[Cue]) -> Set[int]:
        out: Set[int] = set()
        for cue in cues:
            out |= self.cue_sentences(a, cue)
        return out

    # -- figures ---------------------------------------------------------------

    @staticmethod
    def _list_spans(a: Analysis) -> Dict[int, Tuple[int, int]]:
        """Figures listed together ("2014 and 2022", "1970 and 1973", "2016-2017") share
        the words around the whole list: token span of the list, by figure start."""
        spans: Dict[int, Tuple[int, int]] = {}
        group: List[Figure] = []
        for f in a.figures + [None]:
            prev = group[-1] if group else None
            joined = (f is not None and prev is not None and f.group == prev.group
                      and a.sent_of[f.start] == a.sent_of[prev.start]
                      and all(a.doc[k].lower_ in LIST_JOINERS for k in range(prev.end, f.start))
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
            if any(a.doc[k].lower_ in CLAUSE_BREAKS for k in range(lo, hi)):
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
        near = {j for j, t in enumerate(a.doc) if t.ent_id_ in SOURCE_PUBLISHERS}
        for cue in self.source_words:
            for term in cue.terms:
                near |= a.token_hits.get(term.text, set())
        start, end = a.sents[a.sent_of[f.start]]
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
            negated = any(a.doc[k].lower_ in NEGATIONS or a.doc[k].lemma_ in NEGATIONS
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
            correct = tuple(dict.fromkeys(raw for w, raw in options if w >= CLOSE_SHARE * top))
            wrong.append(WrongFigure(f.text, correct, best_fid, fact.source_ids))
        return wrong, right

    # -- scoring ---------------------------------------------------------------

    def score(self, myth_id: str, text: str, stage: str = "answer") -> Score:
        if stage not in ("answer", "counter"):
            raise ValueError(f"stage must be 'answer' or 'counter', not {stage!r}")
        spec = self.specs.get(myth_id)
        if spec is None:
            raise KeyError(f"myth '{myth_id}' has no practice block")
        myth = self.kb.myths[myth_id]
        points = spec.points_for(stage)
        a = self.analyse(text or "")
        point_sents = {kp.id: self.cues_sentences(a, kp.cues) for kp in spec.key_points}
        covered = tuple(kp.id for kp in points if point_sents[kp.id])
        missing = tuple(kp.id for kp in points if not point_sents[kp.id])
        myth_facts = set(spec.facts()) | {f for p in myth.passages() for f in p.facts}
        wrong, right = self.check_figures(a, myth_facts)

        named = self.cues_sentences(a, spec.myth_cues)
        lead = next((i for i, (s, e) in enumerate(a.sents)
                     if sum(1 for t in a.doc[s:e] if t.is_alpha) >= LEAD_MIN_WORDS), None)
        lead_facts = {i for kp in spec.key_points for i in point_sents[kp.id]}
        lead_facts |= {a.sent_of[f.start] for f in a.figures
                       if any(c.said == f.text for c in right)}
        leads = lead is not None and lead in lead_facts and lead not in named
        explains = bool(self.cues_sentences(a, self.explain))
        cites = (bool(self.cues_sentences(a, self.source)) or any(t.like_url for t in a.doc)
                 or bool(self.citations(a)))

        key_part = KEY_POINTS_MAX * len(covered) / max(len(points), 1)
        checks = (leads, len(named) <= 1, explains, cites)
        structure = STRUCTURE_EACH * sum(checks) if covered else 0.0
        has_numbers = any(self.kb.facts[f].numbers for kp in points for f in kp.facts)
        if wrong or not covered:
            figure_part = 0.0  # like structure, figures earn credit only in a substantive answer
        elif right or not has_numbers:
            figure_part = FIGURES_MAX
        else:
            figure_part = FIGURES_MAX / 2
        penalty = WRONG_FIGURE_PENALTY * len(wrong)
        total = max(0.0, min(100.0, key_part + structure + figure_part - penalty))
        tip = _choose_tip(points, covered, missing, wrong, leads, len(named), explains, cites)
        return Score(
            myth=myth_id, stage=stage, score=int(round(total)), covered=covered, missing=missing,
            wrong_figures=tuple(wrong), right_figures=tuple(right), leads_with_fact=leads,
            myth_mentions=len(named), explains_why=explains, cites_source=cites, tip=tip,
            parts={"key_points": round(key_part, 1), "structure": structure,
                   "figures": figure_part, "penalty": -penalty},
        )


def _date_key(text: str) -> int:
    f = parse_figure(text)
    return (f.year or 0) * 10000 + (f.month or 0) * 100 + (f.day or 0) if f else 0


def _choose_tip(points: Sequence[KeyPoint], covered, missing, wrong, leads, mentions, explains, cites) -> Tip:
    """The one most useful thing to change, in a fixed order of priority."""
    if wrong:
        return Tip("wrong_figure", figure=wrong[0])
    if not covered and missing:
        return Tip("missing_point", key_point=missing[0])
    if not leads:
        return Tip("lead_with_fact", key_point=(covered or missing)[0])
    if missing:
        return Tip("missing_point", key_point=missing[0])
    if not explains:
        return Tip("explain")
    if mentions > 1:
        return Tip("name_once")
    if not cites:
        return Tip("cite_source")
    return Tip("well_done")


_SCORERS: Dict[Tuple[int, str], Scorer] = {}
_LOCK = threading.Lock()


def get_scorer(kb: Any, nlp_path: Union[str, Path, None] = None) -> Scorer:
    """The scorer for ``kb`` (compiled once per knowledge base and pipeline; thread-safe)."""
    path = str(Path(nlp_path or pipeline_path()).resolve())
    key = (id(kb), path)
    with _LOCK:
        scorer = _SCORERS.get(key)
        if scorer is None or scorer.kb is not kb:
            scorer = Scorer(kb, load_pipeline(path))
            _SCORERS[key] = scorer
        return scorer


def score_answer(kb: Any, myth_id: str, text: str, stage: str = "answer",
                 nlp_path: Union[str, Path, None] = None) -> Score:
    return get_scorer(kb, nlp_path).score(myth_id, text, stage)
