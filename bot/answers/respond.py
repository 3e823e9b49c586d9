"""From a parsed message to the replies: decide what kind of answer it gets
(bot/answers/decide.py), then render it (bot/answers/render.py). Pure: the message is the
dict Rasa keeps as the tracker's latest message (text, intent, intent_ranking, entities,
clause_intents); the caller passes the loaded retrieval data.
"""
from __future__ import annotations

from typing import List, Mapping, Optional, Sequence, Tuple

from bot.answers import decide as D
from bot.answers import render
from bot.answers.data import Retrieval
from bot.answers.render import Reply
from bot.answers.retrieval import Hit
from bot.answers.unanswered import Nearness
from bot.knowledge import Knowledge
from bot.knowledge.templates import Templates
from bot.nlu import understand

SUPPORT_MAX = 2


def message_ranking(message: Mapping) -> List[Mapping]:
    ranking = list(message.get("intent_ranking") or [])
    intent = message.get("intent") or {}
    return ranking or ([intent] if intent.get("name") else [])


def decide_message(kb: Knowledge, retrieval: Retrieval, message: Mapping,
                   topic: Optional[str] = None) -> Tuple[D.Decision, List[Hit]]:
    """The decision for a parsed message, and the facts ranked for it."""
    text = str(message.get("text") or "")
    analysis = retrieval.analyse(text)
    hits = retrieval.finder.rank(text, analysis=analysis)
    chosen = text.startswith("/")  # a button's payload names the intent itself
    near = retrieval.unanswered.nearness(analysis) if retrieval.unanswered else Nearness()
    return D.decide(kb, retrieval.signals, message_ranking(message), analysis, hits, topic, chosen, near), hits


def _cited_with(kb: Knowledge, fact_id: str) -> List[Tuple[str, ...]]:
    """The groups of facts the knowledge base cites together with ``fact_id``."""
    groups = [q.facts for q in kb.questions.values()]
    groups += [p.facts for m in kb.myths.values() for p in m.passages()]
    groups += [m.more for m in kb.myths.values()] + [ids for m in kb.myths.values() for ids in m.facets.values()]
    return [g for g in groups if fact_id in g]


def supporting_facts(kb: Knowledge, fact_id: str, hits: Sequence[Hit]) -> Tuple[str, ...]:
    """Up to SUPPORT_MAX facts ranked next for the question that the knowledge base cites
    together with the answering fact."""
    together = {f for g in _cited_with(kb, fact_id) for f in g} - {fact_id}
    return tuple(h.fact for h in hits if h.fact in together)[:SUPPORT_MAX]


def curated_question(kb: Knowledge, fact_id: str):
    """The curated question (questions.yml) that answers with this fact, if one reads well:
    one led by the fact, or a short one (two facts) that holds it."""
    led = [q for q in kb.questions.values() if q.facts and q.facts[0] == fact_id]
    short = [q for q in kb.questions.values() if fact_id in q.facts and len(q.facts) <= 2]
    return (led + short)[0] if led or short else None


def topic_of_fact(kb: Knowledge, fact_id: str) -> Optional[str]:
    """The topic a follow-up ("sources?", "more") about this fact refers to."""
    curated = curated_question(kb, fact_id)
    if curated is not None:
        return curated.id
    for m in kb.myths.values():
        if any(fact_id in p.facts for p in m.passages()) or fact_id in m.more:
            return m.id
    for m in kb.myths.values():
        if any(fact_id in ids for ids in m.facets.values()):
            return m.id
    return None


def fact_reply(kb: Knowledge, t: Templates, fact_id: str, hits: Sequence[Hit]) -> Reply:
    """A curated question when the fact leads one (it reads better), else the fact and support."""
    curated = curated_question(kb, fact_id)
    if curated is not None:
        return render.render_question(kb, t, curated)
    facts = (fact_id,) + supporting_facts(kb, fact_id, hits)
    return render.render_fact_answer(kb, t, facts, topic_of_fact(kb, fact_id))


def rebuttal_replies(kb: Knowledge, t: Templates, myth_intent: str, message: Mapping,
                     topic: Optional[str], answer: Optional[str] = None) -> List[Reply]:
    """The rebuttal (led by the ``answer`` fact to a question), or the detail asked about
    while on that myth, plus a second myth raised."""
    myth = kb.myth_for_intent(myth_intent)
    entities = understand.detail_entities(kb, myth, message.get("entities"))
    if topic == myth.id and any(e in myth.facets for e in entities):
        # "but Finland joined" while discussing encirclement: answer the detail
        return [render.render_facet(kb, t, myth, entities)]
    replies = [render.render_rebuttal(kb, t, myth, entities, answer)]
    other = understand.second_myth(kb, message.get("intent_ranking"), myth_intent, message.get("clause_intents"))
    if other is not None:
        replies.append(render.render_also_raised(kb, t, other))
    return replies


def fact_answer(kb: Knowledge, t: Templates, retrieval: Retrieval, message: Mapping) -> List[Reply]:
    """The fact reply when the decision for a message with no topic under discussion is a
    fact, else []: follow-up intents ("what about...") use it before their own answers."""
    decision, hits = decide_message(kb, retrieval, message)
    return [fact_reply(kb, t, decision.facts[0], hits)] if decision.kind == D.FACT else []


def respond(kb: Knowledge, t: Templates, retrieval: Retrieval, message: Mapping,
            topic: Optional[str] = None) -> List[Reply]:
    """The replies to a message that raises a myth, asks a question, or fits nothing clearly."""
    decision, hits = decide_message(kb, retrieval, message, topic)
    if decision.kind == D.REBUT:
        return rebuttal_replies(kb, t, decision.intent, message, topic, decision.answer)
    if decision.kind == D.FACT:
        return [fact_reply(kb, t, decision.facts[0], hits)]
    if decision.kind == D.NOT_COVERED:
        return [render.render_not_covered(kb, t, decision.facts)]
    if decision.kind == D.DECLINE:
        return [render.render_menu(kb, t, "off_topic")]
    if decision.kind == D.CLARIFY:
        return [render.render_clarify(kb, t, [kb.myth_for_intent(i) for i in decision.candidates])]
    return [render.render_menu(kb, t, "unsure")]
