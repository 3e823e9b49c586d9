"""Answers that were probably wrong (pure).

A user message the bot answered (a myth, a question or a follow-up) is a suspect when
- the two best intents were close (margin below LOW_MARGIN), or
- the same person's next message, within FOLLOW_WINDOW seconds, fell to the fallback or
  out of domain, repeated the question in other words (token overlap >= REPHRASE), or
  said the answer missed ("that's not what I asked").
Only the answered message's redacted text is shown; the next message is named by kind.
"""
from __future__ import annotations

import re
from typing import Any, Dict, Iterable, List, NamedTuple, Optional

from bot.desk.clusters import jaccard, tokens

LOW_MARGIN = 0.1
FOLLOW_WINDOW = 120.0
REPHRASE = 0.5
COMPLAINT = re.compile(
    r"not what i (?:asked|meant|said)|(?:that'?s|that is|this is) not (?:it|my question|what i)|"
    r"(?:you )?did(?:n'?t| not) (?:answer|get)|wrong answer|i did(?:n'?t| not) ask|irrelevant|"
    r"не то|не об этом|не про це|я не про", re.IGNORECASE)


class Turn(NamedTuple):
    event_id: int
    pseudo: str
    ts: float
    intent: Optional[str]
    confidence: Optional[float]
    margin: Optional[float]
    text: Optional[str]
    unmatched: bool


def answered(turn: Turn) -> bool:
    intent = turn.intent or ""
    return not turn.unmatched and (intent.startswith("myth_") or intent.startswith("ask_"))


def reasons(turn: Turn, following: Optional[Turn]) -> List[str]:
    found = []
    if turn.margin is not None and turn.margin < LOW_MARGIN:
        found.append("close second intent")
    if following is not None and following.pseudo == turn.pseudo and following.ts - turn.ts <= FOLLOW_WINDOW:
        next_text = following.text or ""
        if next_text and COMPLAINT.search(next_text):
            found.append("said the answer missed")
        elif following.unmatched:
            found.append("not understood right after")
        elif turn.text and next_text and jaccard(tokens(turn.text), tokens(next_text)) >= REPHRASE:
            found.append("asked again in other words")
    return found


def suspects(turns: Iterable[Turn], limit: int = 200) -> List[Dict[str, Any]]:
    """Suspects, newest first; `turns` ordered by pseudonym then time."""
    ordered = list(turns)
    out: List[Dict[str, Any]] = []
    for i, turn in enumerate(ordered):
        if not answered(turn):
            continue
        following = ordered[i + 1] if i + 1 < len(ordered) else None
        why = reasons(turn, following)
        if why:
            out.append({"event_id": turn.event_id, "ts": turn.ts, "intent": turn.intent,
                        "confidence": turn.confidence, "margin": turn.margin, "text": turn.text,
                        "reasons": why})
    out.sort(key=lambda r: -r["ts"])
    return out[:limit]
