"""Pure functions that turn practice state and scores into replies (practice mode).

Wording is in responses/templates.yml (the practice_* keys); no I/O, no Rasa imports.
Every reply names its template, its myth and the facts it states, as in bot/answers/render.py.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.answers.render import Reply, render_rebuttal
from bot.knowledge import Knowledge, Myth
from bot.knowledge.practice_spec import practice_spec
from bot.knowledge.templates import Templates
from bot.practice.dialogue import Summary
from bot.practice.figure_check import WrongFigure
from bot.practice.scorer import Score


def start_payload(myth_id: Optional[str] = None) -> str:
    return f'/start_practice{{"myth":"{myth_id}"}}' if myth_id else "/start_practice"


STOP_PAYLOAD = "/stop_practice"


def _button(t: Templates, name: str, payload: str) -> Dict[str, str]:
    return {"title": t.fill(name), "payload": payload}


def _next_buttons(t: Templates, myth: Optional[Myth], repeat: bool) -> Tuple[Dict[str, str], ...]:
    buttons = []
    if repeat and myth is not None:
        buttons.append(_button(t, "practice_button_repeat", start_payload(myth.id)))
    buttons.append(_button(t, "practice_button_another", start_payload()))
    buttons.append(_button(t, "practice_button_stop", STOP_PAYLOAD))
    return tuple(buttons)


def source_line(kb: Knowledge, t: Templates, source_ids: Sequence[str]) -> str:
    return "; ".join(
        t.fill("practice_source", publisher=kb.sources[s].publisher, date=kb.sources[s].date)
        for s in source_ids
    )


def _first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s+", text.strip(), maxsplit=1)[0]


# --------------------------------------------------------------------------- a round


def render_intro(kb: Knowledge, t: Templates, myth: Myth) -> Reply:
    return Reply("practice_intro", t.fill("practice_intro", claim=myth.claim), (), myth.id)


def render_voice(kb: Knowledge, t: Templates, myth: Myth, index: int) -> Reply:
    spec = practice_spec(myth)
    voice = spec.voices[int(index or 0) % len(spec.voices)]
    return Reply("practice_voice", t.fill("practice_voice", voice=voice),
                 _next_buttons(t, myth, repeat=False), myth.id)


def render_too_short(t: Templates, myth_id: Optional[str]) -> Reply:
    return Reply("practice_too_short", t.fill("practice_too_short"), (), myth_id)


def _wrong_line(kb: Knowledge, t: Templates, w: WrongFigure) -> str:
    fact = kb.facts[w.fact]
    return t.fill("practice_wrong_figure", said=w.said, right=" / ".join(w.right),
                  fact=fact.text, source=source_line(kb, t, fact.source_ids))


def tip_text(kb: Knowledge, t: Templates, myth: Myth, score: Score) -> str:
    """The score's one concrete tip, in words."""
    tip = score.tip
    spec = practice_spec(myth)
    if tip.code == "wrong_figure" and tip.figure is not None:
        return t.fill("practice_tip_wrong_figure", said=tip.figure.said, right=" / ".join(tip.figure.right))
    if tip.code in ("missing_point", "lead_with_fact") and tip.key_point:
        return t.fill(f"practice_tip_{tip.code}", label=spec.key_point(tip.key_point).label)
    if tip.code == "explain":
        return t.fill("practice_tip_explain", fallacy=_first_sentence(myth.fallacy.text))
    if tip.code == "cite_source":
        facts = [kb.facts[f] for f in myth.lead.facts]
        sources = list(dict.fromkeys(s for f in facts for s in f.source_ids))
        return t.fill("practice_tip_cite_source", source=source_line(kb, t, sources[:1]))
    if tip.code == "well_done" and score.stage == "counter":
        return t.fill("practice_tip_well_done_counter")
    return t.fill(f"practice_tip_{tip.code}")


def _mentions(t: Templates, n: int) -> str:
    if n == 0:
        return t.fill("practice_mentions_0")
    if n == 1:
        return t.fill("practice_mentions_1")
    return t.fill("practice_mentions_n", n=n)


def render_feedback(kb: Knowledge, t: Templates, myth: Myth, score: Score) -> Reply:
    """Score, key points covered and missed, figures, structure, one tip."""
    spec = practice_spec(myth)
    lines = [t.fill("practice_covered", label=spec.key_point(k).label) for k in score.covered]
    lines += [t.fill("practice_missed", label=spec.key_point(k).label) for k in score.missing]
    if score.wrong_figures:
        figures = t.fill("practice_figures_wrong",
                         lines="\n".join(_wrong_line(kb, t, w) for w in score.wrong_figures))
    elif score.right_figures:
        said = ", ".join(dict.fromkeys(f'"{c.said}"' for c in score.right_figures))
        figures = t.fill("practice_figures_right", figures=said)
    else:
        figures = t.fill("practice_figures_none")
    yes, no = t.fill("practice_yes"), t.fill("practice_no")
    structure = t.fill(
        "practice_structure",
        leads=yes if score.leads_with_fact else no,
        mentions=_mentions(t, score.myth_mentions),
        explains=yes if score.explains_why else no,
        cites=yes if score.cites_source else no,
    )
    text = t.fill(
        "practice_feedback", score=score.score, claim=myth.claim,
        stage_name=t.fill(f"practice_stage_{score.stage}"), points="\n".join(lines),
        figures=figures, structure=structure, tip=tip_text(kb, t, myth, score),
    )
    facts = [f for k in score.missing for f in spec.key_point(k).facts]
    facts += [w.fact for w in score.wrong_figures]
    return Reply("practice_feedback", text, (), myth.id, tuple(dict.fromkeys(facts)))


def render_model_answer(kb: Knowledge, t: Templates, myth: Myth) -> Reply:
    """The bot's own rebuttal: fact first, myth named once, why it misleads, sources."""
    rebuttal = render_rebuttal(kb, t, myth)
    return Reply("practice_model_answer", t.fill("practice_model_answer", answer=rebuttal.text),
                 (), myth.id, rebuttal.facts)


def render_counter(kb: Knowledge, t: Templates, myth: Myth) -> Reply:
    spec = practice_spec(myth)
    return Reply("practice_counter", t.fill("practice_counter", counter=spec.counter.text),
                 _next_buttons(t, myth, repeat=False), myth.id)


def _cited_points(kb: Knowledge, t: Templates, fact_ids: Sequence[str],
                  lead: Optional[Tuple[str, Sequence[str]]] = None) -> Tuple[str, str]:
    """Facts as points with source markers [n], and the list of sources they cite; ``lead``
    (a text and the facts behind it) comes first, as what the answer grants."""
    order: List[str] = []
    points = []
    items = [(kb.facts[f].text, (f,), "point") for f in fact_ids]
    if lead is not None:
        items.insert(0, (lead[0], tuple(lead[1]), "practice_grant"))
    for text, ids, template in items:
        facts = [kb.facts[f] for f in ids]
        numbers = []
        for sid in dict.fromkeys(s for fact in facts for s in fact.source_ids):
            if sid not in order:
                order.append(sid)
            numbers.append(order.index(sid) + 1)
        dates = list(dict.fromkeys(f.as_of for f in facts if f.changes))
        as_of = t.fill("as_of", dates=" and ".join(dates)) if dates else ""
        body = text.rstrip()
        end = body[-1] if body[-1:] in ".!?" else ""
        body = body[: len(body) - len(end)]
        marker = t.fill("marker", numbers=", ".join(str(n) for n in sorted(set(numbers))))
        points.append(t.fill(template, text=f"{body}{as_of} {marker}{end}"))
    lines = [t.fill("citation", n=n, publisher=kb.sources[s].publisher, title=kb.sources[s].title,
                    date=kb.sources[s].date, url=kb.sources[s].url, kind=t.fill(f"kind_{kb.sources[s].kind}"))
             for n, s in enumerate(order, start=1)]
    return "\n".join(points), t.fill("citations", lines=t.fill("citation_separator").join(lines))


def render_model_reply(kb: Knowledge, t: Templates, myth: Myth) -> Reply:
    """What answers the push-back: what is true in it (the qualification it raises, if any),
    then the facts behind the key points that answer it."""
    spec = practice_spec(myth)
    facts = list(dict.fromkeys(f for k in spec.counter.answered_by for f in spec.key_point(k).facts))
    granted = next((q for q in myth.qualifications if q.id == spec.counter.qualification), None)
    lead = (granted.text, granted.facts) if granted else None
    points, citations = _cited_points(kb, t, facts, lead)
    text = t.fill("practice_model_reply", points=points, citations=citations)
    return Reply("practice_model_reply", text, (), myth.id, tuple(facts))


def _last_score(log: Sequence[Mapping], myth_id: str, stage: str) -> Optional[int]:
    for entry in reversed(log or []):
        if entry.get("myth") == myth_id and entry.get("stage") == stage:
            return int(entry.get("score", 0))
        if entry.get("myth") == myth_id and entry.get("stage") == "answer":
            return None  # the push-back of the last round was not answered
    return None


def render_round_end(kb: Knowledge, t: Templates, myth: Myth, log: Sequence[Mapping]) -> Reply:
    parts = []
    answer = _last_score(log, myth.id, "answer")
    counter = _last_score(log, myth.id, "counter")
    if answer is not None:
        parts.append(t.fill("practice_round_answer_score", score=answer))
    if counter is not None:
        parts.append(t.fill("practice_round_counter_score", score=counter))
    text = t.fill("practice_round_end", claim=myth.claim, scores=", ".join(parts) or "-")
    return Reply("practice_round_end", text, _next_buttons(t, myth, repeat=True), myth.id)


# --------------------------------------------------------------------------- summary


def render_summary(kb: Knowledge, t: Templates, summary: Summary) -> Reply:
    if not summary.myths:
        return Reply("practice_nothing_yet", t.fill("practice_nothing_yet"), (), None)
    lines = []
    for progress in summary.myths:
        myth = kb.myths.get(progress.myth)
        if myth is None:
            continue
        counters = ""
        if progress.counter_scores:
            counters = t.fill("practice_summary_counters",
                              scores=", ".join(str(s) for s in progress.counter_scores))
        lines.append(t.fill("practice_summary_myth", claim=myth.claim,
                            answers=", ".join(str(s) for s in progress.answer_scores) or "-",
                            counters=counters))
    missed = []
    facts: List[str] = []
    for myth_id, point_id, count in summary.missed:
        myth = kb.myths.get(myth_id)
        if myth is None or not myth.practice:
            continue
        point = practice_spec(myth).key_point(point_id)
        facts.extend(point.facts)
        missed.append(t.fill("practice_summary_missed", label=point.label, claim=myth.claim,
                             times=t.fill("practice_times_1") if count == 1
                             else t.fill("practice_times_n", n=count)))
    rounds = t.fill("practice_rounds_1") if summary.rounds == 1 else t.fill("practice_rounds_n", n=summary.rounds)
    text = t.fill("practice_summary", rounds=rounds, myths="\n".join(lines),
                  missed="\n".join(missed) or t.fill("practice_summary_nothing_missed"))
    buttons = (_button(t, "practice_button_another", start_payload()),)
    return Reply("practice_summary", text, buttons, None, tuple(dict.fromkeys(facts)))


def render_unavailable(t: Templates) -> Reply:
    return Reply("practice_unavailable", t.fill("practice_unavailable"), (), None)


# --------------------------------------------------------------------------- evaluation


def score_json(kb: Knowledge, t: Templates, score: Score) -> Dict[str, Any]:
    """What `python -m bot score` prints."""
    myth = kb.myths[score.myth]
    return {
        "myth": score.myth,
        "stage": score.stage,
        "score": score.score,
        "covered": list(score.covered),
        "missing": list(score.missing),
        "wrong_numbers": [
            {"said": w.said, "right": list(w.right), "fact": w.fact, "fact_text": kb.facts[w.fact].text,
             "source": source_line(kb, t, w.sources)}
            for w in score.wrong_figures
        ],
        "right_numbers": [{"said": c.said, "fact": c.fact} for c in score.right_figures],
        "structure": {
            "leads_with_fact": score.leads_with_fact,
            "myth_mentions": score.myth_mentions,
            "explains_why": score.explains_why,
            "cites_source": score.cites_source,
        },
        "parts": score.parts,
        "tip": tip_text(kb, t, myth, score),
    }
