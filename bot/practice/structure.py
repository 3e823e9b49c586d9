"""The structure of a rebuttal (practice scoring): it opens with a fact rather than the
myth, names the myth at most once, says why the myth misleads, and names a source.

Pure given the analyser; no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence, Set

from bot.knowledge.practice_spec import Cue, PracticeSpec, parse_cue
from bot.practice.analysis import Analysis, TextAnalyser
from bot.practice.figure_check import CheckedFigure, FigureChecker

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
    """The explanation and source cues, and the four structure checks."""

    def __init__(self) -> None:
        self.explain = tuple(parse_cue(c) for c in EXPLAIN_CUES)
        self.source = tuple(parse_cue(c) for c in SOURCE_CUES)
        self.source_words = tuple(parse_cue(c) for c in SOURCE_WORD_CUES)

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
