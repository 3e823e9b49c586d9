"""Claim-level grounding: what a sentence names must be covered by its evidence.

A sentence of the bot's own wording (a myth's lead, fallacy, closing, changes, a
qualification, or a fact's text) names places, organisations, operations, treaties,
summits and people (the entities of entities.yml) and figures (years, dates, counts,
percentages, articles, resolutions). Every one of them must also occur in the evidence
phrases of the facts the sentence cites, in their "as of" dates, among their derived
figures, or in the citation of their sources (publisher, title, date, weighing note).
Pure functions.
"""
from __future__ import annotations

import re
from typing import Iterable, List, Sequence, Set, Tuple

from bot.knowledge.figures import Figure, find_figures, same_figure, simple_tokens

CHECKED_LABELS = ("country", "place", "organisation", "operation", "treaty", "summit", "person")
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"'‘“(])|(?<=[;:])\s+")


def sentences(text: str) -> List[str]:
    """Split a passage into sentences (a colon or semicolon also ends a claim)."""
    return [s.strip() for s in _SENTENCE_END.split(" ".join(text.split())) if s.strip()]


def _alias_pattern(alias: str) -> "re.Pattern[str]":
    body = r"\s+".join(re.escape(w) for w in alias.split())
    flags = 0 if alias.isupper() or any(c.isdigit() for c in alias) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){body}(?![\w-])", flags)


def named_entities(kb, text: str) -> Set[str]:
    """Ids of the checked entities whose aliases occur in ``text``."""
    found = set()
    for entity in kb.entities.values():
        if entity.label not in CHECKED_LABELS:
            continue
        if any(_alias_pattern(a).search(text) for a in entity.aliases):
            found.add(entity.id)
    return found


def figures_in(text: str) -> List[Figure]:
    return find_figures(simple_tokens(_normalise(text)))


def _normalise(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"(\d) (\d{3})\b", r"\1,\2", text)
    return text.replace("(", " ( ").replace(")", " ) ")


def _mask_entities(kb, text: str) -> str:
    """``text`` with entity names blanked, so "Two Plus Four" or "Resolution 1244" are
    checked as names, not as figures."""
    for entity in kb.entities.values():
        for alias in entity.aliases:
            if not alias.isdigit():
                text = _alias_pattern(alias).sub(" ", text)
    return text


def covered_text(kb, fact_ids: Iterable[str]) -> Tuple[str, List[Figure]]:
    """What the citation of ``fact_ids`` covers: their evidence phrases, "as of" dates,
    derived figures, and the publisher, title, date and weighing note of each source they
    cite (a citation shows them)."""
    parts, extra = [], []
    for fid in fact_ids:
        fact = kb.facts[fid]
        parts.extend(e.evidence for e in fact.sources)
        parts.append(fact.as_of)
        for sid in dict.fromkeys(e.source for e in fact.sources):
            source = kb.sources[sid]
            parts.extend((source.publisher, source.title, source.date, source.weighing))
        for d in fact.derived:
            extra.extend(figures_in(d.figure))
    text = " | ".join(parts)
    return text, figures_in(text) + extra


def _states(evidence: Figure, claim: Figure) -> bool:
    """Does an evidence figure state ``claim``? Exactly, and for a date at least as
    precisely: "24 March 2022" needs its day and month, not just "2022"."""
    if claim.group != "time":
        return same_figure(claim, evidence, exact=True)
    return evidence.group == "time" and evidence.year == claim.year and all(
        want is None or have == want for want, have in ((claim.month, evidence.month), (claim.day, evidence.day)))


def _date_covered(fig: Figure, evidence: str, figures: Sequence[Figure]) -> bool:
    """A day or month date is covered when its year is, and the evidence names the same
    month (and day) even without a year: "At the extraordinary NATO Summit on 24 March"."""
    if not any(f.group == "time" and f.year == fig.year for f in figures):
        return False
    month = MONTH_NAMES[fig.month - 1]
    if fig.day is None:
        return re.search(rf"\b{month}\b", evidence, re.IGNORECASE) is not None
    return re.search(rf"\b({fig.day} {month}|{month} {fig.day:02d}|{month} {fig.day})\b", evidence, re.IGNORECASE) is not None


def uncovered(kb, text: str, fact_ids: Sequence[str]) -> List[str]:
    """What each sentence of ``text`` names that the evidence of ``fact_ids`` does not."""
    evidence, figures = covered_text(kb, fact_ids)
    have = named_entities(kb, evidence)
    problems = []
    for sentence in sentences(text):
        for eid in sorted(named_entities(kb, sentence) - have):
            problems.append(f"names '{kb.entities[eid].name}' ({eid}), which its evidence does not: {sentence!r}")
        for fig in figures_in(_mask_entities(kb, sentence)):
            if any(_states(f, fig) for f in figures):
                continue
            if fig.kind == "date" and _date_covered(fig, evidence, figures):
                continue
            problems.append(f"states {fig.kind} '{fig.text}', which its evidence does not: {sentence!r}")
    return problems
