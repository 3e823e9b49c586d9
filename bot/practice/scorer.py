"""Score a trainee's rebuttal of a myth: deterministic and explainable (practice mode).

What is scored, for the key points of the stage ("answer": all key points of the myth;
"counter": the key points that answer its usual push-back):

- key points (60): a key point is covered when one of its cues (bot.knowledge.practice_spec)
  matches within one sentence, on spaCy lemmas, entity ids and figures (analysis.py);
- structure (4 x 7.5, only once a key point is covered): the first real sentence states a
  fact rather than the myth; the myth is named at most once; the answer says why the myth
  misleads; it names a source (structure.py);
- figures (10, also only once a key point is covered): every figure or date is linked to the fact of data/knowledge/facts.yml
  whose wording surrounds it most closely, and checked against that fact's `numbers`;
  each wrong figure also costs 15 points and is reported with the right one and its source
  (figure_check.py).

A scorer reads one language: the knowledge base in that language (bot.knowledge.content),
its spaCy pipeline (``make nlp``, bot.nlu.pipeline; loaded on first use, never at import)
and its practice words (bot.knowledge.practice_i18n). Nothing else is read from disk.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Optional, Sequence, Tuple, Union

from bot.knowledge.practice_i18n import PracticeLanguage
from bot.knowledge.practice_spec import KeyPoint, PracticeSpec, practice_spec
from bot.nlu.pipeline import load_pipeline
from bot.practice.analysis import TextAnalyser
from bot.practice.figure_check import CheckedFigure, FigureChecker, WrongFigure
from bot.practice.structure import Structure, StructureChecker

KEY_POINTS_MAX = 60.0
STRUCTURE_EACH = 7.5
FIGURES_MAX = 10.0
WRONG_FIGURE_PENALTY = 15.0


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


class Scorer:
    """Key points, structure and figures of one knowledge base, on one spaCy pipeline, in
    one language."""

    def __init__(self, kb: Any, nlp: Any, language: PracticeLanguage) -> None:
        self.kb, self.nlp, self.language = kb, nlp, language
        self.specs: Dict[str, PracticeSpec] = {
            m.id: practice_spec(m) for m in kb.myths.values() if m.practice
        }
        self.structure = StructureChecker(language)
        self.analyser = TextAnalyser(nlp, kb.entities, self._all_cues(), language)
        self.figures = FigureChecker(kb, self.analyser, self.structure.source_words)

    @property
    def fact_figures(self):
        return self.figures.fact_figures

    def _all_cues(self):
        for spec in self.specs.values():
            yield from spec.myth_cues
            for kp in spec.key_points:
                yield from kp.cues
        yield from self.structure.cues()

    def score(self, myth_id: str, text: str, stage: str = "answer") -> Score:
        if stage not in ("answer", "counter"):
            raise ValueError(f"stage must be 'answer' or 'counter', not {stage!r}")
        spec = self.specs.get(myth_id)
        if spec is None:
            raise KeyError(f"myth '{myth_id}' has no practice block")
        myth = self.kb.myths[myth_id]
        points = spec.points_for(stage)
        a = self.analyser.analyse(text or "")
        point_sents = {kp.id: self.analyser.cues_sentences(a, kp.cues) for kp in spec.key_points}
        covered = tuple(kp.id for kp in points if point_sents[kp.id])
        missing = tuple(kp.id for kp in points if not point_sents[kp.id])
        myth_facts = set(spec.facts()) | {f for p in myth.passages() for f in p.facts}
        wrong, right = self.figures.check_figures(a, myth_facts)

        st = self.structure.check(self.analyser, self.figures, a, spec, point_sents, right)

        key_part = KEY_POINTS_MAX * len(covered) / max(len(points), 1)
        structure = STRUCTURE_EACH * sum(st.checks) if covered else 0.0
        has_numbers = any(self.kb.facts[f].numbers for kp in points for f in kp.facts)
        if wrong or not covered:
            figure_part = 0.0  # like structure, figures earn credit only in a substantive answer
        elif right or not has_numbers:
            figure_part = FIGURES_MAX
        else:
            figure_part = FIGURES_MAX / 2
        penalty = WRONG_FIGURE_PENALTY * len(wrong)
        total = max(0.0, min(100.0, key_part + structure + figure_part - penalty))
        tip = _choose_tip(points, covered, missing, wrong, st)
        return Score(
            myth=myth_id, stage=stage, score=int(round(total)), covered=covered, missing=missing,
            wrong_figures=tuple(wrong), right_figures=tuple(right), leads_with_fact=st.leads_with_fact,
            myth_mentions=st.myth_mentions, explains_why=st.explains_why, cites_source=st.cites_source, tip=tip,
            parts={"key_points": round(key_part, 1), "structure": structure,
                   "figures": figure_part, "penalty": -penalty},
        )


def _choose_tip(points: Sequence[KeyPoint], covered, missing, wrong, st: Structure) -> Tip:
    """The one most useful thing to change, in a fixed order of priority."""
    if wrong:
        return Tip("wrong_figure", figure=wrong[0])
    if not covered and missing:
        return Tip("missing_point", key_point=missing[0])
    if not st.leads_with_fact:
        return Tip("lead_with_fact", key_point=(covered or missing)[0])
    if missing:
        return Tip("missing_point", key_point=missing[0])
    if not st.explains_why:
        return Tip("explain")
    if st.myth_mentions > 1:
        return Tip("name_once")
    if not st.cites_source:
        return Tip("cite_source")
    return Tip("well_done")


_SCORERS: Dict[Tuple[int, str], Scorer] = {}
_LOCK = threading.Lock()


def get_scorer(kb: Any, nlp_path: Union[str, Path], language: PracticeLanguage) -> Scorer:
    """The scorer for ``kb`` in ``language`` (compiled once per knowledge base and
    pipeline; thread-safe)."""
    path = str(Path(nlp_path).resolve())
    key = (id(kb), path)
    with _LOCK:
        scorer = _SCORERS.get(key)
        if scorer is None or scorer.kb is not kb or scorer.language is not language:
            scorer = Scorer(kb, load_pipeline(path), language)
            _SCORERS[key] = scorer
        return scorer


def content_scorer(content: Any, pipelines: Union[str, Path]) -> Scorer:
    """The scorer of a language's content (bot.knowledge.content.Content), on that
    language's pipeline under ``pipelines`` (build/spacy)."""
    return get_scorer(content.kb, Path(pipelines) / content.language, content.practice)
