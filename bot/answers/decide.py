"""What kind of answer a message gets: a rebuttal, a fact, "my sources don't say", a polite
decline, or a question back. Pure: the caller passes Rasa's intent ranking, the message's
analysis and the fact finder's hits.

A rebuttal needs positive evidence besides the classifier's vote: the message must name
NATO (or the Alliance, the West...) or use words of that myth (data/knowledge/signals.yml),
or the classifier must be sure of the myth (MYTH_CONFIDENT).
When no such words occur, the facts found for the message can serve: a message whose best
fact, matched well enough (MYTH_FACT_EVIDENCE), is one the myth's rebuttal states is about
that myth ("station brigades a few hours' drive from Pskov").
A fact answer needs the best fact to match the question well: its BM25 score times the
share of the question's word weight it covers (`answer_strength`) must reach ANSWER_MIN.
A question nearer to one the training data marks as unanswered by the sources than to any
question a fact answers (bot/answers/unanswered.py: UNANSWERED_MIN, UNANSWERED_MARGIN) gets
no fact as its answer: "who was the first secretary general" is not answered with a fact
that quotes the Secretary General.

A question and a claim about the same topic get different answers: "when did Finland
join?" or "how many troops...?" asks for a fact (WH_FACT_MAX_MYTH), and so does a yes/no
question whose answering fact the myth's rebuttal states ("Can Russia veto Ukraine joining
NATO?", QUESTION_FACT_MAX_MYTH) or does not state (OTHER_FACT_MAX_MYTH); "is it true
that...?" and statements ask to check a claim.

A question the classifier takes for a myth, whose best fact the myth's rebuttal states, is
both: "Is NATO a party to the war in Ukraine?" gets the rebuttal, led by the fact that
answers it (`Decision.facts`), when that fact matches well enough (REBUTTAL_ANSWER_MIN).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import List, Mapping, Optional, Sequence, Tuple

from bot.answers.data import FACT_INTENT, Signals, matches
from bot.answers.retrieval import Analysis, Hit
from bot.answers.unanswered import Nearness
from bot.knowledge import Knowledge

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"
# Chosen by cross-validation on the training data (bot/answers/tune.py; docs/nlu-report.md):
# - a fact answers a question when its answer_strength reaches ANSWER_MIN;
ANSWER_MIN = 5.0
# - a myth message is rebutted only when the classifier gives the myth at least this;
MYTH_CONFIDENCE_MIN = 0.0
# - the classifier alone is evidence enough when it gives the myth at least this
#   (above 1: never; the message must then name NATO or use the myth's words);
MYTH_CONFIDENT = 0.8
# - "which claim did you mean?" only when the runner-up myth has this share of the
#   leader's probability: a real tie;
CLARIFY_RATIO = 0.95
# - a message the classifier takes for a myth is answered with a fact instead when
#   `ask_fact` has at least this share of the myth's probability and a fact covers it.
FACT_OVER_MYTH_RATIO = 0.3
#   That holds for statements too (1), or only for questions (0): a statement is a claim.
FACT_OVER_MYTH_CLAIMS = 0
# - a statement the classifier takes for a factual question is rebutted instead when a myth
#   it names the words of has at least this share of `ask_fact`'s probability (above 1: never).
MYTH_OVER_FACT_RATIO = 0.5
# - a message the classifier calls off-topic is answered with a fact when a fact covers it
#   and names one of the things it names (1) or never (0).
NAMED_FACT_OVER_OFF_TOPIC = 1
#   That holds for statements too (1), or only for questions (0): "Zelensky is a puppet" is a
#   claim on another topic, not a question about Zelensky.
NAMED_FACT_OVER_OFF_TOPIC_CLAIMS = 0
#   It is answered with a fact that names nothing it names when the fact's answer_strength
#   reaches this ("How many people were killed in the Bosnian war?").
OFF_TOPIC_FACT_MIN = 20.0
# - a question asking for information ("when did...?", not "is it true that...?") that a
#   fact answers gets the fact when the classifier gives the myth less than this.
QUESTION_FACT_MAX_MYTH = 0.0
#   The same for a question whose answering fact the myth's rebuttal does not state,
OTHER_FACT_MAX_MYTH = 0.7
#   and for a question asking when, who, which, where, how many or what (not why).
WH_FACT_MAX_MYTH = 1.01
#   Such a question whose fact the rebuttal states gets the rebuttal led by it (1) or the fact (0):
#   "when will NATO send troops into Ukraine?".
WH_REBUTTAL_ANSWER = 0
# - with no NATO or myth words, a message the classifier takes for a myth is still about it
#   when its best fact, with at least this answer_strength, is one the rebuttal states.
MYTH_FACT_EVIDENCE = 3.0
# - a question at least this near (cosine, 0..1; above 1: never) to one the sources do not
#   answer, and nearer to it by this margin than to any question a fact answers, gets no fact;
UNANSWERED_MIN = 0.3
UNANSWERED_MARGIN = -0.05
# - a question rebutted as a myth is answered first with its best fact, when the rebuttal
#   states that fact and its answer_strength reaches this (infinite: never).
REBUTTAL_ANSWER_MIN = 3.0
# - with no topic under discussion, a follow-up intent ("what about...", "tell me more")
#   that is really an information question a fact answers gets the fact (1) or not (0).
FOLLOWUP_FACT = 1
FOLLOWUP_INTENTS = frozenset({"ask_about", "ask_more", "ask_sources", "ask_trust", "ask_changes"})
# Lemmas of a message that passes on what someone claims ("my cousin says...", "a post I saw
# claims...?"): it asks to check the claim even when it ends in a question mark.
REPORTING = frozenset({"say", "claim", "tell", "hear", "believe", "insist", "read", "post", "video",
                       "apparently", "supposedly", "allegedly"})
ADDRESSED = frozenset({"me", "us"})  # "tell me..." is a request, not a report
# - a question that reports a claim is taken for a claim (1) or for a question (0).
REPORTED_CLAIMS = 0

REBUT, FACT, NOT_COVERED, DECLINE, CLARIFY, UNSURE, PASS = (
    "rebut", "fact", "not_covered", "decline", "clarify", "unsure", "pass")


@dataclass(frozen=True)
class Decision:
    kind: str
    intent: Optional[str] = None  # the myth rebutted, or the intent passed on
    facts: Tuple[str, ...] = ()  # the fact answered first (a fact or a rebuttal), or the facts near the question
    candidates: Tuple[str, ...] = ()  # intents to choose between

    @property
    def answer(self) -> Optional[str]:
        """The fact the reply leads with as the answer to a question, if any."""
        return self.facts[0] if self.kind in (FACT, REBUT) and self.facts else None


def ranked(ranking: Optional[Sequence[Mapping]]) -> List[Tuple[str, float]]:
    """(intent, confidence) best first, without Rasa's fallback entry."""
    out = [(str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking or []
           if r.get("name") and r.get("name") != FALLBACK_INTENT]
    return sorted(out, key=lambda r: -r[1])


def about_nato(signals: Signals, analysis: Analysis) -> bool:
    return "nato" in analysis.entities or matches(signals.nato, (analysis.tokens, analysis.words))


def myth_evidence(signals: Signals, myth_id: str, analysis: Analysis) -> bool:
    """Positive evidence that the message is about this myth: NATO named, or its words."""
    return about_nato(signals, analysis) or matches(signals.myths.get(myth_id, ()), (analysis.tokens, analysis.words))


def reports(analysis: Analysis) -> bool:
    """Passes on what someone claims ("my cousin says", "I was told", "a post claims")."""
    t = analysis.tokens
    return any(w in REPORTING and not (i + 1 < len(t) and t[i + 1] in ADDRESSED) for i, w in enumerate(t))


def asks(analysis: Analysis) -> bool:
    """Phrased as a question for information ("when did...?", "is Finland in NATO?"), not as
    a claim to check: a yes/no question that reports a claim is one (REPORTED_CLAIMS)."""
    return asks_wh(analysis) or (analysis.question and not (REPORTED_CLAIMS and reports(analysis)))


def asks_wh(analysis: Analysis) -> bool:
    """A question opening (after a "so" or an "ok") with when, who, which, how, what... in
    the message's language (the analyser's `wh`, from signals.yml `questions`)."""
    return analysis.wh and analysis.question


def fact_evidence(myth, hits: Sequence[Hit]) -> bool:
    """The best fact for the message, matched well, is one the myth's rebuttal states."""
    return bool(hits) and answer_strength(hits[0]) >= MYTH_FACT_EVIDENCE and hits[0].fact in myth.stated_facts


def answer_strength(hit: Hit) -> float:
    """How well a fact answers: BM25 score (with entity overlap) times coverage, so that a
    fact sharing only common words, or missing a word the question turns on, stays low."""
    return hit.score * hit.coverage


def answering_fact(hits: Sequence[Hit]) -> Optional[Hit]:
    return hits[0] if hits and answer_strength(hits[0]) >= ANSWER_MIN else None


def rebuttal_answer(myth, analysis: Analysis, hits: Sequence[Hit]) -> Tuple[str, ...]:
    """The fact that answers a question rebutted as this myth: the best fact, when the
    rebuttal states it and it matches well (REBUTTAL_ANSWER_MIN); () for a claim."""
    if asks(analysis) and hits and hits[0].fact in myth.stated_facts \
            and answer_strength(hits[0]) >= REBUTTAL_ANSWER_MIN:
        return (hits[0].fact,)
    return ()


def nearby_facts(hits: Sequence[Hit], limit: int = 2) -> Tuple[str, ...]:
    """Facts that name something the question names: what the sources say near it."""
    return tuple(h.fact for h in hits if h.shared_entities)[:limit]


def _fact_or_not_covered(signals: Signals, analysis: Analysis, hits: Sequence[Hit]) -> Decision:
    best = answering_fact(hits)
    if best is not None:
        return Decision(FACT, facts=(best.fact,))
    if about_nato(signals, analysis) or nearby_facts(hits):
        return Decision(NOT_COVERED, facts=nearby_facts(hits))
    return Decision(DECLINE)


def unanswerable(near: Nearness) -> bool:
    """Near a question the sources do not answer, and nearer to it than to any they answer."""
    return near.unanswered >= UNANSWERED_MIN and near.unanswered - near.answered >= UNANSWERED_MARGIN


def decide(kb: Knowledge, signals: Signals, ranking: Optional[Sequence[Mapping]], analysis: Analysis,
           hits: Sequence[Hit], topic: Optional[str] = None, chosen: bool = False,
           near: Nearness = Nearness()) -> Decision:
    """The kind of answer for a message (see the module docstring). ``topic`` is the myth
    under discussion: a message about it ("but Finland joined") needs no further evidence;
    nor does a myth the user ``chosen`` with a button ("/myth_encirclement"). ``near`` says
    how near the message is to labelled questions the sources do and do not answer."""
    if unanswerable(near):
        # no fact answers it: keep the facts only as what the sources say nearby
        hits = [Hit(h.fact, 0.0, h.coverage, h.shared_entities) for h in hits]
    r = ranked(ranking)
    if not r:
        return Decision(UNSURE)
    (top, p1), (second, p2) = r[0], (r[1] if len(r) > 1 else ("", 0.0))
    myth = kb.myth_for_intent(top)
    best = answering_fact(hits)
    if myth is not None:
        if second == FACT_INTENT and p1 > 0 and p2 / p1 >= FACT_OVER_MYTH_RATIO and best is not None \
                and (asks(analysis) or FACT_OVER_MYTH_CLAIMS):
            return Decision(FACT, facts=(best.fact,))
        if best is not None and not chosen and asks(analysis):
            stated = best.fact in myth.stated_facts
            limit = QUESTION_FACT_MAX_MYTH if stated else OTHER_FACT_MAX_MYTH
            if p1 < limit or (p1 < WH_FACT_MAX_MYTH and asks_wh(analysis) and not (stated and WH_REBUTTAL_ANSWER)):
                return Decision(FACT, facts=(best.fact,))
        if chosen:
            return Decision(REBUT, intent=top)
        if myth.id != topic and p1 < MYTH_CONFIDENT and not myth_evidence(signals, myth.id, analysis) \
                and not fact_evidence(myth, hits):
            return _fact_or_not_covered(signals, analysis, hits) if best is not None else Decision(DECLINE)
        if p1 < MYTH_CONFIDENCE_MIN:
            return Decision(UNSURE)
        other = kb.myth_for_intent(second)
        if other is not None and p2 / p1 >= CLARIFY_RATIO and myth_evidence(signals, other.id, analysis):
            return Decision(CLARIFY, candidates=(top, second))
        return Decision(REBUT, intent=top, facts=rebuttal_answer(myth, analysis, hits))
    other = kb.myth_for_intent(second)
    if top == FACT_INTENT and other is not None and not asks(analysis) and p1 > 0 \
            and p2 / p1 >= MYTH_OVER_FACT_RATIO and myth_evidence(signals, other.id, analysis):
        return Decision(REBUT, intent=second)
    if top == FACT_INTENT or kb.question_for_intent(top) is not None:
        return _fact_or_not_covered(signals, analysis, hits)
    if top in FOLLOWUP_INTENTS and FOLLOWUP_FACT and topic is None and analysis.question and best is not None:
        return Decision(FACT, facts=(best.fact,))
    if top == OUT_OF_SCOPE and best is not None and best.shared_entities and NAMED_FACT_OVER_OFF_TOPIC \
            and (asks(analysis) or NAMED_FACT_OVER_OFF_TOPIC_CLAIMS):
        # "what does NSATU stand for": off-topic to the classifier, but it names what a fact is about
        return Decision(FACT, facts=(best.fact,))
    if top == OUT_OF_SCOPE and best is not None and answer_strength(best) >= OFF_TOPIC_FACT_MIN:
        return Decision(FACT, facts=(best.fact,))
    if top == OUT_OF_SCOPE:
        return Decision(DECLINE)
    return Decision(PASS, intent=top)
