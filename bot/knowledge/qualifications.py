"""The parts of the knowledge base that say where NATO's account has limits.

Facts may carry ``derived`` figures (our own arithmetic on figures a source states); myths
carry ``qualifications`` (where the record qualifies the rebuttal) and, where no UN, court
or treaty text stands beside NATO's page, a ``second_voice_gap`` giving the reason.
Problems are reported as ``<file>: entry '<id>': field '<field>': <what>``.
"""
from __future__ import annotations

from typing import Any, List, Mapping, Tuple

from bot.knowledge.figures import derived_agrees, evaluate_formula
from bot.knowledge.model import ID_RE, PRIMARY_KINDS, YEAR_RE, Derived, Knowledge, Myth, Qualification


def load_derived(c: Any, where: str, fid: str, raw: Mapping) -> Tuple[Derived, ...]:
    """The ``derived`` list of a fact: [{figure, formula}], each formula redone."""
    value = raw.get("derived", [])
    if not isinstance(value, list):
        c.fail(where, fid, "derived", "must be a list of {figure, formula}")
        return ()
    out = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"figure", "formula"}:
            c.fail(where, fid, "derived", "each item needs exactly 'figure' and 'formula'")
            continue
        figure, formula = str(item["figure"]), str(item["formula"])
        if evaluate_formula(formula) is None:
            c.fail(where, fid, "derived", f"formula '{formula}' is not a sum of written numbers (+ - * /)")
        elif not derived_agrees(figure, formula):
            c.fail(where, fid, "derived", f"'{formula}' does not give {figure}")
        out.append(Derived(figure, formula))
    return tuple(out)


def load_qualifications(c: Any, where: str, mid: str, raw: Mapping) -> Tuple[Qualification, ...]:
    """A myth's ``qualifications``: [{id, text, facts, bears_on}]."""
    value = raw.get("qualifications", [])
    if not isinstance(value, list):
        c.fail(where, mid, "qualifications", "must be a list")
        return ()
    out, seen = [], set()
    for i, item in enumerate(value):
        entry = f"{mid}.qualifications#{i + 1}"
        if not isinstance(item, dict):
            c.fail(where, entry, "-", "must be a mapping")
            continue
        qid = item.get("id")
        if not isinstance(qid, str) or not ID_RE.match(qid) or qid in seen:
            c.fail(where, entry, "id", "must be a lower_snake_case id, unique in this myth")
            continue
        seen.add(qid)
        entry = f"{mid}.qualifications.{qid}"
        c.unknown_fields(where, entry, item, ("id", "text", "facts", "bears_on"))
        bears_on = item.get("bears_on")
        if not isinstance(bears_on, list) or not bears_on:
            c.fail(where, entry, "bears_on", "must list the entity ids or years that make it relevant")
            bears_on = []
        out.append(Qualification(
            id=qid,
            text=c.text(where, entry, item, "text"),
            facts=c.id_list(where, entry, item, "facts"),
            bears_on=tuple(str(b) for b in bears_on),
        ))
    return tuple(out)


def primary_sources(kb: Knowledge, fact_ids) -> List[str]:
    """Ids of the UN, court and treaty sources behind ``fact_ids``."""
    ids = dict.fromkeys(s for f in fact_ids for s in kb.facts[f].source_ids)
    return [s for s in ids if kb.sources[s].kind in PRIMARY_KINDS]


def myth_limit_problems(where: str, myth: Myth, kb: Knowledge) -> List[str]:
    """Cross-checks of a myth's qualifications and its second-voice gap."""
    problems = []

    def fail(entry: str, fld: str, what: str) -> None:
        problems.append(f"{where}: entry '{entry}': field '{fld}': {what}")

    for q in myth.qualifications:
        entry = f"{myth.id}.qualifications.{q.id}"
        if not q.facts:
            fail(entry, "facts", "must cite at least one fact")
        for fid in q.facts:
            if fid not in kb.facts:
                fail(entry, "facts", f"unknown fact '{fid}'")
        for key in q.bears_on:
            if key not in kb.entities and not YEAR_RE.match(key):
                fail(entry, "bears_on", f"'{key}' is neither an entity id in entities.yml nor a year")
    if any(f not in kb.facts for f in myth.rebuttal_facts()):
        return problems
    independent = [s for f in myth.rebuttal_facts() for s in kb.facts[f].source_ids if kb.sources[s].independent]
    if not independent:
        fail(myth.id, "second_voice_gap" if myth.second_voice_gap else "lead",
             "the rebuttal cites no source independent of NATO")
    has_primary = bool(primary_sources(kb, myth.rebuttal_facts()))
    if not has_primary and not myth.second_voice_gap:
        fail(myth.id, "second_voice_gap", "the rebuttal cites no UN, court or treaty text; say why in 'second_voice_gap'")
    if has_primary and myth.second_voice_gap:
        fail(myth.id, "second_voice_gap", "the rebuttal does cite a UN, court or treaty text; remove the gap")
    return problems
