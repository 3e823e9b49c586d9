"""Pure functions that turn knowledge into replies. No I/O, no Rasa imports.

Every reply names the template it was built from, the topic it is about and the facts
it states, so that actions can report them and tests can check them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

from bot.knowledge import Fact, Knowledge, Myth, Passage, Qualification, Question, Topic
from bot.knowledge.templates import Templates


@dataclass(frozen=True)
class Reply:
    template: str
    text: str
    buttons: Tuple[Dict[str, str], ...] = ()
    topic: Optional[str] = None
    facts: Tuple[str, ...] = ()


def topic_title(topic: Topic) -> str:
    return topic.claim if isinstance(topic, Myth) else topic.title


def topic_facts(topic: Topic) -> Tuple[str, ...]:
    if isinstance(topic, Myth):
        ids = [f for p in (topic.lead, topic.fallacy, topic.closing) for f in p.facts]
    else:
        ids = list(topic.facts)
    return tuple(dict.fromkeys(ids))


def find_topic(kb: Knowledge, topic_id: Optional[str]) -> Optional[Topic]:
    if not topic_id:
        return None
    return kb.myths.get(topic_id) or kb.questions.get(topic_id)


class _Citer:
    """Numbers sources in order of first use and writes markers and citation lists."""

    def __init__(self, kb: Knowledge, t: Templates) -> None:
        self.kb, self.t = kb, t
        self.order: List[str] = []
        self.used: List[str] = []

    def _facts(self, ids: Iterable[str]) -> List[Fact]:
        return [self.kb.facts[i] for i in ids]

    def cite(self, text: str, fact_ids: Sequence[str]) -> str:
        facts = self._facts(fact_ids)
        self.used.extend(f.id for f in facts if f.id not in self.used)
        numbers = []
        for fact in facts:
            for sid in fact.source_ids:
                if sid not in self.order:
                    self.order.append(sid)
                n = self.order.index(sid) + 1
                if n not in numbers:
                    numbers.append(n)
        dates = list(dict.fromkeys(f.as_of for f in facts if f.changes))
        as_of = self.t.fill("as_of", dates=self.t.fill("and").join(dates)) if dates else ""
        marker = self.t.fill("marker", numbers=", ".join(str(n) for n in sorted(numbers)))
        body = text.rstrip()
        end = body[-1] if body and body[-1] in ".!?" else ""
        body = body[: len(body) - len(end)]
        return f"{body}{as_of} {marker}{end}" if numbers else f"{body}{as_of}{end}"

    def points(self, fact_ids: Sequence[str]) -> str:
        return "\n".join(
            self.t.fill("point", text=self.cite(self.kb.facts[i].text, [i])) for i in fact_ids
        )

    def citations(self) -> str:
        lines = []
        for n, sid in enumerate(self.order, start=1):
            s = self.kb.sources[sid]
            lines.append(self.t.fill("citation", n=n, publisher=s.publisher, title=s.title, date=s.date, url=s.url,
                                     kind=self.t.fill(f"kind_{s.kind}")))
        return self.t.fill("citations", lines=self.t.fill("citation_separator").join(lines))

    def number(self, sid: str) -> int:
        if sid not in self.order:
            self.order.append(sid)
        return self.order.index(sid) + 1

    def limits(self, qualifications: Sequence[Qualification]) -> str:
        """The qualifications as a block of one cited sentence each, or "" when none."""
        if not qualifications:
            return ""
        lines = "\n".join(self.t.fill("point", text=self.cite(q.text, q.facts)) for q in qualifications)
        return self.t.fill("limits", lines=lines)


def _button(t: Templates, name: str, payload: str, **values: str) -> Dict[str, str]:
    return {"title": t.fill(name, **values), "payload": payload}


def _followup_buttons(kb: Knowledge, t: Templates, topic: Topic) -> Tuple[Dict[str, str], ...]:
    buttons = [_button(t, "button_sources", "/ask_sources"), _button(t, "button_more", "/ask_more")]
    related = topic.related[:1] if isinstance(topic, Myth) else (topic.related,)
    for rid in related:
        buttons.append(_button(t, "button_related", f"/myth_{rid}", claim=kb.myths[rid].claim))
    if isinstance(topic, Myth) and topic.practice:
        buttons.append(_button(t, "button_practise", f'/start_practice{{"myth":"{topic.id}"}}'))
    return tuple(buttons)


def _section(block: str) -> str:
    """A block that follows another, or nothing: keeps replies free of empty paragraphs."""
    return f"\n\n{block}" if block else ""


def render_rebuttal(kb: Knowledge, t: Templates, myth: Myth, mentioned: Sequence[str] = (),
                    answer: Optional[str] = None) -> Reply:
    """The rebuttal, with the qualifications that bear on what the message mentions. A
    question rebutted as a myth gets its ``answer`` fact first, unless the lead states it."""
    c = _Citer(kb, t)
    opening = ""
    if answer is not None and answer not in myth.lead.facts:
        opening = t.fill("rebuttal_answer", text=c.cite(kb.facts[answer].text, [answer])) + "\n\n"
    parts = {name: c.cite(p.text, p.facts) for name, p in
             (("lead", myth.lead), ("fallacy", myth.fallacy), ("closing", myth.closing))}
    limits = _section(c.limits(myth.qualifications_on(mentioned)))
    text = t.fill("rebuttal", answer=opening, claim=myth.claim, limits=limits, citations=c.citations(), **parts)
    return Reply("rebuttal", text, _followup_buttons(kb, t, myth), myth.id, tuple(c.used))


def render_also_raised(kb: Knowledge, t: Templates, myth: Myth) -> Reply:
    text = t.fill("also_raised", claim=myth.claim)
    buttons = (_button(t, "button_myth", f"/{myth.intent}", claim=myth.claim),)
    return Reply("also_raised", text, buttons, None)


def render_question(kb: Knowledge, t: Templates, question: Question) -> Reply:
    c = _Citer(kb, t)
    points = c.points(question.facts)
    text = t.fill("question", title=question.title, points=points, citations=c.citations())
    return Reply("question", text, _followup_buttons(kb, t, question), question.id, tuple(c.used))


def render_sources(kb: Knowledge, t: Templates, topic: Topic) -> Reply:
    c = _Citer(kb, t)
    c.cite("", topic_facts(topic))
    details = []
    for n, sid in enumerate(c.order, start=1):
        s = kb.sources[sid]
        details.append(t.fill("source_detail", n=n, publisher=s.publisher, title=s.title,
                              date=s.date, date_note=s.date_note, kind=t.fill(f"kind_{s.kind}"),
                              weighing=s.weighing, url=s.url))
    text = t.fill("sources", title=topic_title(topic), source_details="\n\n".join(details))
    buttons = (_button(t, "button_trust", "/ask_trust"), _button(t, "button_changes", "/ask_changes"))
    return Reply("sources", text, buttons, topic.id, tuple(c.used))


def _more_facts(kb: Knowledge, topic: Topic) -> Tuple[str, ...]:
    if isinstance(topic, Myth):
        return topic.more
    related = kb.myths[topic.related]
    return tuple(f for f in related.more if f not in topic.facts) or topic_facts(related)


def render_more(kb: Knowledge, t: Templates, topic: Topic) -> Reply:
    c = _Citer(kb, t)
    points = c.points(_more_facts(kb, topic))
    limits = _section(c.limits(topic.qualifications if isinstance(topic, Myth) else ()))
    text = t.fill("more", title=topic_title(topic), points=points, limits=limits, citations=c.citations())
    buttons = (_button(t, "button_sources", "/ask_sources"), _button(t, "button_trust", "/ask_trust"))
    return Reply("more", text, buttons, topic.id, tuple(c.used))


def _voices(c: _Citer, fact_ids: Sequence[str]) -> str:
    """The independent sources behind ``fact_ids``, each with its kind and citation number."""
    t, kb = c.t, c.kb
    ids = dict.fromkeys(s for f in fact_ids for s in kb.facts[f].source_ids if kb.sources[s].independent)
    return t.fill("trust_voice_separator").join(
        t.fill("trust_voice", publisher=kb.sources[s].publisher, kind=t.fill(f"kind_{kb.sources[s].kind}"),
               n=c.number(s)) for s in ids)


def _trust_points(c: _Citer, topic: Topic) -> List[str]:
    """One line per passage of the answer: what it says and who, beside NATO, confirms it."""
    t = c.t
    passages = ((topic.lead, topic.fallacy, topic.closing) if isinstance(topic, Myth)
                else tuple(Passage(c.kb.facts[f].text, (f,)) for f in topic.facts))
    confirmed: List[str] = []
    nato_only: List[str] = []
    for passage in passages:
        c.cite("", passage.facts)
        for fid in passage.facts:
            fact = c.kb.facts[fid]
            voices = _voices(c, [fid])
            numbers = ", ".join(str(n) for n in sorted(c.number(s) for s in fact.source_ids))
            line = t.fill("trust_point_confirmed" if voices else "trust_point_nato_only",
                          text=fact.text, voices=voices, numbers=numbers)
            group = confirmed if voices else nato_only
            if line not in group:
                group.append(line)
    return confirmed + nato_only


def render_trust(kb: Knowledge, t: Templates, topic: Topic) -> Reply:
    """"Why trust NATO on this?": point by point, which independent document confirms what."""
    c = _Citer(kb, t)
    points = "\n".join(_trust_points(c, topic))
    gap = isinstance(topic, Myth) and topic.second_voice_gap
    gap_text = _section(t.fill("trust_gap", reason=topic.second_voice_gap)) if gap else ""
    limits = _section(c.limits(topic.qualifications if isinstance(topic, Myth) else ()))
    text = t.fill("trust", points=points, gap=gap_text, limits=limits, citations=c.citations())
    return Reply("trust", text, (_button(t, "button_sources", "/ask_sources"),), topic.id, tuple(c.used))


def render_changes(kb: Knowledge, t: Templates, topic: Optional[Topic]) -> Reply:
    c = _Citer(kb, t)
    own = topic.changes if isinstance(topic, Myth) else None
    passages: Sequence[Passage] = (own,) if own else kb.changes
    points = "\n".join(t.fill("point", text=c.cite(p.text, p.facts)) for p in passages)
    text = t.fill("changes", points=points, citations=c.citations())
    return Reply("changes", text, (_button(t, "button_sources", "/ask_sources"),),
                 topic.id if topic else None, tuple(c.used))


def _facet_owner(kb: Knowledge, entity_id: str, prefer: Optional[Topic]) -> Optional[Myth]:
    if isinstance(prefer, Myth) and entity_id in prefer.facets:
        return prefer
    return next((m for m in kb.myths.values() if entity_id in m.facets), None)


def render_facet(kb: Knowledge, t: Templates, topic: Optional[Topic], entity_ids: Sequence[str]) -> Reply:
    """Answer "what about X?" from the facet of the current myth, or of the myth X belongs to."""
    known = [e for e in entity_ids if e in kb.entities or e.isdigit()]
    for entity_id in known:
        owner = _facet_owner(kb, entity_id, topic)
        if owner is None:
            continue
        c = _Citer(kb, t)
        points = c.points(owner.facets[entity_id])
        limits = _section(c.limits(owner.qualifications_on(known)))
        name = kb.entities[entity_id].name if entity_id in kb.entities else entity_id
        same = topic is not None and owner.id == topic.id
        template = "facet" if same or topic is None else "facet_elsewhere"
        text = t.fill(template, entity=name, title=owner.claim, points=points, limits=limits,
                      citations=c.citations())
        return Reply(template, text, _followup_buttons(kb, t, owner), owner.id, tuple(c.used))
    if topic is not None and known:
        c = _Citer(kb, t)
        points = c.points(topic_facts(topic)[:2])
        name = kb.entities[known[0]].name if known[0] in kb.entities else known[0]
        text = t.fill("facet_unknown", entity=name, title=topic_title(topic), points=points, citations=c.citations())
        return Reply("facet_unknown", text, _followup_buttons(kb, t, topic), topic.id, tuple(c.used))
    if topic is not None:
        return render_more(kb, t, topic)
    return render_menu(kb, t, "no_topic")


def render_menu(kb: Knowledge, t: Templates, template: str) -> Reply:
    buttons = tuple(_button(t, "button_myth", f"/{m.intent}", claim=m.claim) for m in kb.myths.values())
    return Reply(template, t.fill(template), buttons, None)


def render_clarify(kb: Knowledge, t: Templates, candidates: Sequence[Topic]) -> Reply:
    buttons = tuple(
        _button(t, "button_myth", f"/{c.intent}", claim=topic_title(c)) for c in candidates
    )
    return Reply("clarify", t.fill("clarify"), buttons, None)


def render_fact_answer(kb: Knowledge, t: Templates, fact_ids: Sequence[str], topic_id: Optional[str]) -> Reply:
    """A factual question answered by retrieval: the fact found first, then its support."""
    c = _Citer(kb, t)
    points = c.points(fact_ids)
    text = t.fill("fact_answer", points=points, citations=c.citations())
    topic = find_topic(kb, topic_id)
    buttons = _followup_buttons(kb, t, topic) if topic else ()
    return Reply("fact_answer", text, buttons, topic_id, tuple(c.used))


def render_not_covered(kb: Knowledge, t: Templates, nearby: Sequence[str]) -> Reply:
    """A question about NATO that no fact answers: say so, and what the sources say near it."""
    if not nearby:
        return Reply("not_covered", t.fill("not_covered"), (_button(t, "button_capabilities", "/ask_capabilities"),))
    c = _Citer(kb, t)
    points = c.points(nearby)
    text = t.fill("not_covered_nearby", points=points, citations=c.citations())
    return Reply("not_covered_nearby", text, (_button(t, "button_capabilities", "/ask_capabilities"),), None,
                 tuple(c.used))
