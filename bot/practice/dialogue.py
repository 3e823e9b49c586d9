"""Pure decisions of a practice dialogue: which myth, which voice, progress, summary.

No I/O, no spaCy, no Rasa.
"""
from __future__ import annotations

import random
from collections import Counter as _Tally
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge.figures import simple_tokens
from bot.knowledge.practice_spec import Cue, PracticeSpec, practice_spec, text_matches


def practicable(kb: Any) -> List[Any]:
    """Myths that have a practice block, in menu order."""
    return [m for m in kb.myths.values() if m.practice]


def myths_named(kb: Any, text: str) -> List[Any]:
    """Myths whose `names` occur in ``text``, best match first (ties in menu order)."""
    scored = []
    for order, myth in enumerate(practicable(kb)):
        hits = sum(text_matches(cue, text) for cue in practice_spec(myth).names)
        if hits:
            scored.append((-hits, order, myth))
    return [m for _, _, m in sorted(scored, key=lambda x: (x[0], x[1]))]


def wants_repeat(text: str, repeat_words: Sequence[Cue]) -> bool:
    """Does the trainee ask for the same myth again ("again", "ещё раз", "noch einmal")?"""
    return any(text_matches(cue, text or "") for cue in repeat_words)


def choose_myth(kb: Any, requested: Optional[str], text: str, log: Sequence[Mapping],
                current: Optional[str], seed: str, repeat_words: Sequence[Cue] = ()) -> Optional[Any]:
    """The myth to practise next.

    A myth id from a button wins, then a myth named in the text, then the current myth
    when the trainee asks to go again, else a random myth, preferring ones not yet
    practised in this conversation."""
    candidates = practicable(kb)
    if not candidates:
        return None
    by_id = {m.id: m for m in candidates}
    if requested in by_id:
        return by_id[requested]
    named = myths_named(kb, text or "")
    if named:
        return named[0]
    if current in by_id and wants_repeat(text, repeat_words):
        return by_id[current]
    done = {entry.get("myth") for entry in log}
    fresh = [m for m in candidates if m.id not in done and m.id != current]
    pool = fresh or [m for m in candidates if m.id != current] or candidates
    return random.Random(seed).choice(pool)


def choose_voice(spec: PracticeSpec, log: Sequence[Mapping]) -> int:
    """Index of the voice to play: a different one each time the myth comes round again."""
    rounds = sum(1 for e in log if e.get("myth") == spec.myth and e.get("stage") == "answer")
    return rounds % len(spec.voices)


def log_entry(myth_id: str, stage: str, score: int, covered: Sequence[str], missing: Sequence[str]) -> Dict[str, Any]:
    return {"myth": myth_id, "stage": stage, "score": int(score),
            "covered": list(covered), "missing": list(missing)}


def add_to_log(log: Optional[Sequence[Mapping]], entry: Mapping) -> List[Dict[str, Any]]:
    """A new progress list with ``entry`` appended (the tracker slot is never mutated)."""
    return [dict(e) for e in (log or [])] + [dict(entry)]


@dataclass(frozen=True)
class MythProgress:
    myth: str
    answer_scores: Tuple[int, ...]
    counter_scores: Tuple[int, ...]


@dataclass(frozen=True)
class Summary:
    myths: Tuple[MythProgress, ...]
    missed: Tuple[Tuple[str, str, int], ...]   # (myth id, key point id, times missed)

    @property
    def rounds(self) -> int:
        return sum(len(m.answer_scores) for m in self.myths)


def summarise(log: Optional[Sequence[Mapping]], top: int = 3) -> Summary:
    """Myths practised (in first-practised order) with their scores, and the key points
    missed most often across all rounds."""
    order: List[str] = []
    answers: Dict[str, List[int]] = {}
    counters: Dict[str, List[int]] = {}
    missed: _Tally = _Tally()
    for entry in log or []:
        myth = entry.get("myth")
        if not myth:
            continue
        if myth not in order:
            order.append(myth)
        target = counters if entry.get("stage") == "counter" else answers
        target.setdefault(myth, []).append(int(entry.get("score", 0)))
        for point in entry.get("missing") or []:
            missed[(myth, point)] += 1
    ranked = sorted(missed.items(), key=lambda kv: (-kv[1], order.index(kv[0][0]), kv[0][1]))
    return Summary(
        tuple(MythProgress(m, tuple(answers.get(m, ())), tuple(counters.get(m, ()))) for m in order),
        tuple((m, p, n) for (m, p), n in ranked[:top]),
    )


MIN_ANSWER_WORDS = 4
# In the middle of a round, a message this long that NLU reads as "stop" or "bye" is taken
# as the trainee's answer ("NATO should stop sending weapons ..."); commands are short.
LONG_ANSWER_WORDS = 10


def is_real_answer(text: Optional[str]) -> bool:
    """Enough words to be scored (not "ok", "no idea", a stray button payload)."""
    if not text or text.strip().startswith("/"):
        return False
    return sum(1 for t in simple_tokens(text) if any(ch.isalnum() for ch in t)) >= MIN_ANSWER_WORDS


def is_long_answer(text: Optional[str]) -> bool:
    """Too long to be a command such as "stop" or "ok I'm done, bye"."""
    return bool(text) and sum(1 for t in simple_tokens(text) if any(ch.isalnum() for ch in t)) >= LONG_ANSWER_WORDS
