"""The structure of a rebuttal (practice scoring): it opens with a fact rather than the
myth, names the myth at most once, says why the myth misleads, and names a source.

Pure given the analyser; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence, Set

from bot.knowledge.practice_i18n import PracticeLanguage
from bot.knowledge.practice_spec import Cue, PracticeSpec
from bot.practice.analysis import Analysis, TextAnalyser
from bot.practice.figure_check import CheckedFigure, FigureChecker

LEAD_MIN_WORDS = 4

@dataclass(frozen=True)
class Structure:
    leads_with_fact: bool
    myth_mentions: int
    explains_why: bool
    cites_source: bool

    @property
    def checks(self):
        return (self.leads_with_fact, self.myth_mentions <= 1, self.explains_why, self.cites_source)


class StructureChecker:
    """The explanation and source cues of a language (``scoring:`` of
    data/knowledge/i18n/practice/<lang>.yml), and the four structure checks."""

    def __init__(self, language: PracticeLanguage) -> None:
        self.explain = language.explain_cues
        self.source = language.source_cues
        self.source_words = language.source_words

    def cues(self) -> Iterable[Cue]:
        yield from self.explain
        yield from self.source
        yield from self.source_words

    def check(self, analyser: TextAnalyser, figures: FigureChecker, a: Analysis, spec: PracticeSpec,
              point_sents: Mapping[str, Set[int]], right: Sequence[CheckedFigure]) -> Structure:
        # a source's title in a citation line ("... Russian offensive ...") is not the answer naming the myth
        named = {i for i in analyser.cues_sentences(a, spec.myth_cues) if a.sents[i][0] not in a.cited}
        lead = next((i for i, (s, e) in enumerate(a.sents)
                     if sum(1 for t in a.doc[s:e] if t.is_alpha) >= LEAD_MIN_WORDS), None)
        lead_facts = {i for kp in spec.key_points for i in point_sents[kp.id]}
        lead_facts |= {a.sent_of[f.start] for f in a.figures
                       if any(c.said == f.text for c in right)}
        leads = lead is not None and lead in lead_facts and lead not in named
        explains = bool(analyser.cues_sentences(a, self.explain))
        cites = (bool(analyser.cues_sentences(a, self.source)) or any(t.like_url for t in a.doc)
                 or bool(figures.citations(a)))
        return Structure(leads, len(named), explains, cites)
