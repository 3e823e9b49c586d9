"""Pure aggregations for the desk's pages and exports.

Inputs are plain tuples read by query.py; nothing here touches a database. Definitions:
- conversations: conversation starts (Rasa's `session_started`) in the period;
- users: distinct pseudonyms that sent a message in the period; returning users: those
  who sent one on a later day than their first message ever;
- matched share: user messages not counted as unmatched (fallback, out of domain, low
  confidence) over all user messages;
- demand of a myth: distinct people whose message was recognised as that myth.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any, Dict, Iterable, List, Mapping, NamedTuple, Optional, Sequence, Set

from bot.desk.clusters import rising

FOLLOW_UPS = frozenset({"ask_sources", "ask_more", "ask_trust", "ask_changes", "ask_about"})
PRACTICE = "start_practice"
DAY = 86400.0


class Event(NamedTuple):
    kind: str
    ts: float
    day: str
    pseudo: str
    channel: str
    lang: str
    intent: Optional[str]
    unmatched: bool


class Unmatched(NamedTuple):
    cluster_id: int
    ts: float
    pseudo: str
    channel: str
    lang: str
    nearest: Optional[str]


def period_days(end: float, days: int) -> List[str]:
    """The UTC dates of the `days` days ending with the day of `end`, oldest first."""
    last = dt.datetime.fromtimestamp(end, tz=dt.timezone.utc).date()
    return [(last - dt.timedelta(days=days - 1 - i)).isoformat() for i in range(days)]


def overview(rows: Iterable[Event], first_seen: Mapping[str, str], days: Sequence[str]) -> Dict[str, Any]:
    """Totals, per-day series, channels, languages, myths by demand, follow-ups, practice."""
    per_day: Dict[str, Dict[str, Any]] = {d: {"conversations": 0, "messages": 0, "users": set(),
                                              "returning": set()} for d in days}
    channels: Dict[str, List[Any]] = defaultdict(lambda: [0, set()])
    langs: Dict[str, List[Any]] = defaultdict(lambda: [0, set()])
    myth_users: Dict[str, Set[str]] = defaultdict(set)
    myth_msgs: Counter = Counter()
    myth_days: Dict[str, Counter] = defaultdict(Counter)
    users: Set[str] = set()
    returning: Set[str] = set()
    conversations = messages = unmatched = followups = practice = 0
    for e in rows:
        bucket = per_day.get(e.day)
        if bucket is None:
            continue
        if e.kind == "session":
            conversations += 1
            bucket["conversations"] += 1
            continue
        messages += 1
        bucket["messages"] += 1
        bucket["users"].add(e.pseudo)
        users.add(e.pseudo)
        if first_seen.get(e.pseudo, e.day) < e.day:
            bucket["returning"].add(e.pseudo)
            returning.add(e.pseudo)
        channels[e.channel][0] += 1
        channels[e.channel][1].add(e.pseudo)
        langs[e.lang][0] += 1
        langs[e.lang][1].add(e.pseudo)
        unmatched += bool(e.unmatched)
        intent = e.intent or ""
        if intent.startswith("myth_") and not e.unmatched:
            myth = intent[len("myth_"):]
            myth_users[myth].add(e.pseudo)
            myth_msgs[myth] += 1
            myth_days[myth][e.day] += 1
        followups += intent in FOLLOW_UPS
        practice += intent == PRACTICE
    myths = [{"myth": m, "askers": len(p), "messages": myth_msgs[m], "series": [myth_days[m][d] for d in days]}
             for m, p in myth_users.items()]
    myths.sort(key=lambda r: (-r["askers"], -r["messages"], r["myth"]))
    return {
        "days": list(days),
        "conversations": conversations, "messages": messages, "users": len(users),
        "returning": len(returning), "unmatched": unmatched,
        "matched_share": (messages - unmatched) / messages if messages else None,
        "followups": followups, "practice": practice,
        "by_day": [{"day": d, "conversations": b["conversations"], "messages": b["messages"],
                    "users": len(b["users"]), "returning": len(b["returning"])} for d, b in per_day.items()],
        "by_channel": _facet(channels), "by_language": _facet(langs), "myths": myths,
    }


def _facet(values: Mapping[str, List[Any]]) -> List[Dict[str, Any]]:
    out = [{"name": k or "unknown", "messages": v[0], "users": len(v[1])} for k, v in values.items()]
    return sorted(out, key=lambda r: (-r["messages"], r["name"]))


def clusters(rows: Iterable[Unmatched], end: float, texts: Mapping[int, Optional[str]],
             labels: Mapping[int, Mapping[str, Any]], min_askers_for_text: int = 2) -> List[Dict[str, Any]]:
    """One entry per cluster, most distinct askers first; text only with enough askers."""
    found: Dict[int, Dict[str, Any]] = {}
    week_start = end - 7 * DAY
    for r in rows:
        c = found.setdefault(r.cluster_id, {"id": r.cluster_id, "messages": 0, "askers": set(), "first": r.ts,
                                            "last": r.ts, "channels": Counter(), "langs": Counter(),
                                            "nearest": Counter(), "weeks": defaultdict(set)})
        c["messages"] += 1
        c["askers"].add(r.pseudo)
        c["first"], c["last"] = min(c["first"], r.ts), max(c["last"], r.ts)
        c["channels"][r.channel] += 1
        c["langs"][r.lang] += 1
        if r.nearest:
            c["nearest"][r.nearest] += 1
        if r.ts <= end:
            c["weeks"][int((end - r.ts) // (7 * DAY))].add(r.pseudo)
    out = []
    for c in found.values():
        askers = len(c["askers"])
        weeks = c.pop("weeks")
        text = texts.get(c["id"]) if askers >= min_askers_for_text else None
        nearest = c["nearest"].most_common(1)[0][0] if c["nearest"] else None
        out.append({**c, "askers": askers, "text": text, "hidden": text is None,
                    "channels": [k for k, _ in c["channels"].most_common()],
                    "langs": [k for k, _ in c["langs"].most_common()],
                    "nearest": nearest[len("myth_"):] if nearest and nearest.startswith("myth_") else nearest,
                    "rising": rising(len(weeks.get(0, ())), [len(weeks.get(i, ())) for i in range(1, 5)]),
                    "label": dict(labels.get(c["id"]) or {}) or None,
                    "this_week": len(weeks.get(0, ())), "recent": c["last"] >= week_start})
    out.sort(key=lambda c: (-c["askers"], -c["messages"], c["id"]))
    return out
