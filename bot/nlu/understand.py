"""Pure decisions on what the NLU result means for the answer: no I/O, no Rasa imports.

`ranking` is Rasa's ``intent_ranking``: a list of {"name": intent, "confidence": p}.
"""
from __future__ import annotations

from typing import Iterable, List, Mapping, Optional, Sequence

from bot.knowledge import Knowledge, Myth, Topic

# A second myth in the same message is offered when the classifier gives it at least
# ALSO_RAISED_MIN for the whole message, or CLAUSE_MIN for one of its clauses
# (bot/nlu/classifier.py). Chosen on tests/nlu/two_myths.yml against false offers on
# single-myth messages; figures in docs/nlu-report.md.
ALSO_RAISED_MIN = 0.15
CLAUSE_MIN = 0.6
# Two candidates are offered as a choice when the runner-up has at least this share of
# the leader's probability.
CLARIFY_RATIO = 0.5
FALLBACK_INTENT = "nlu_fallback"


def _ranked(ranking: Optional[Sequence[Mapping]]) -> List[Mapping]:
    return [r for r in (ranking or []) if r.get("name") and r.get("name") != FALLBACK_INTENT]


def second_myth(kb: Knowledge, ranking: Optional[Sequence[Mapping]], main_intent: str,
                clause_intents: Optional[Sequence[Mapping]] = None) -> Optional[Myth]:
    """The other myth a message raises besides ``main_intent``, if there is one."""
    for clause in clause_intents or []:
        myth = kb.myth_for_intent(clause.get("name"))
        if myth is not None and clause["name"] != main_intent and float(clause.get("confidence") or 0) >= CLAUSE_MIN:
            return myth
    for entry in _ranked(ranking):
        if entry["name"] == main_intent:
            continue
        myth = kb.myth_for_intent(entry["name"])
        if myth is not None and float(entry.get("confidence") or 0) >= ALSO_RAISED_MIN:
            return myth
        if myth is not None:
            return None
    return None


def clarify_candidates(kb: Knowledge, ranking: Optional[Sequence[Mapping]]) -> List[Topic]:
    """Two close topic candidates to ask about, or [] when the message fits none."""
    top = _ranked(ranking)[:2]
    if len(top) < 2:
        return []
    topics = [kb.myth_for_intent(r["name"]) or kb.question_for_intent(r["name"]) for r in top]
    if any(t is None for t in topics):
        return []
    first, second = (float(r.get("confidence") or 0) for r in top)
    return topics if first > 0 and second / first >= CLARIFY_RATIO else []


def entity_ids(kb: Knowledge, entities: Optional[Iterable[Mapping]]) -> List[str]:
    """Canonical ids of the entities Rasa extracted, in message order, without repeats."""
    ids: List[str] = []
    for entity in entities or []:
        eid = kb.entity_id(str(entity.get("value", "")))
        if eid and eid not in ids:
            ids.append(eid)
    return ids


def detail_entities(kb: Knowledge, myth: Myth, entities: Optional[Iterable[Mapping]]) -> List[str]:
    """Entities that add a detail to ``myth``: those not already named in its claim
    ("Russia" in "NATO is encircling Russia" is no new detail; "Finland" is)."""
    claim = myth.claim.lower()
    return [
        eid for eid in entity_ids(kb, entities)
        if eid not in kb.entities or not any(a.lower() in claim for a in kb.entities[eid].aliases)
    ]
