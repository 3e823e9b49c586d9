"""Erasure and retention: `forget` one person everywhere, `purge` what is older than N days.

These are the only writes the desk makes to the tracker store, and only on an editor's
command (python -m bot desk forget|purge). Whole conversations go, never single events,
so the bot never restores half a tracker. A cluster whose example text came from a
removed message takes another member's text, or none. The audit log records that it
happened and how many rows went, never whom.
"""
from __future__ import annotations

import json
import re
import time
from typing import Dict, Iterable, List, Set

import sqlalchemy as sa

from bot.desk.pseudonym import pseudonym
from bot.desk.store import Stores, desk_audit, desk_cluster, desk_event, events

DEFAULT_RETENTION_DAYS = 90
_PSEUDONYM = re.compile(r"u[0-9a-f]{15}")


def _senders_of(stores: Stores, secret: bytes, who: str) -> List[str]:
    """The sender ids `who` stands for: itself, or every sender with that pseudonym."""
    with stores.tracker.connect() as conn:
        if conn.execute(sa.select(events.c.id).where(events.c.sender_id == who).limit(1)).first():
            return [who]
        if not _PSEUDONYM.fullmatch(who):
            return [who]
        senders = [s for (s,) in conn.execute(sa.select(events.c.sender_id).distinct())]
    return [s for s in senders if pseudonym(secret, s) == who] or [who]


def _reseat_examples(conn: sa.engine.Connection, cluster_ids: Iterable[int]) -> None:
    """Give clusters whose example went a remaining member's text (or none)."""
    for cid in set(cluster_ids):
        row = conn.execute(sa.select(desk_event.c.event_id, desk_event.c.text)
                           .where(desk_event.c.cluster_id == cid, desk_event.c.text.isnot(None))
                           .order_by(desk_event.c.event_id).limit(1)).first()
        conn.execute(desk_cluster.update().where(desk_cluster.c.id == cid).values(
            text=row.text if row else None, event_id=row.event_id if row else None))


def _affected_clusters(conn: sa.engine.Connection, event_ids: Set[int]) -> List[int]:
    if not event_ids:
        return []
    found: List[int] = []
    ids = list(event_ids)
    for i in range(0, len(ids), 500):
        found += [c for (c,) in conn.execute(sa.select(desk_cluster.c.id)
                                             .where(desk_cluster.c.event_id.in_(ids[i:i + 500])))]
    return found


def _audit(conn: sa.engine.Connection, who: str, action: str, detail: Dict) -> None:
    conn.execute(desk_audit.insert().values(at=time.time(), who=who, action=action, detail=json.dumps(detail)))


def forget(stores: Stores, secret: bytes, who: str, editor: str = "cli") -> Dict[str, int]:
    """Remove one person (sender id or pseudonym): tracker events and desk rows."""
    senders = _senders_of(stores, secret, who)
    pseudos = {pseudonym(secret, s) for s in senders} | ({who} if _PSEUDONYM.fullmatch(who) else set())
    with stores.tracker.begin() as conn:
        removed_events = conn.execute(events.delete().where(events.c.sender_id.in_(senders))).rowcount
    with stores.desk.begin() as conn:
        gone = {i for (i,) in conn.execute(sa.select(desk_event.c.event_id)
                                           .where(desk_event.c.pseudo.in_(list(pseudos))))}
        clusters = _affected_clusters(conn, gone)
        removed_desk = conn.execute(desk_event.delete().where(desk_event.c.pseudo.in_(list(pseudos)))).rowcount
        _reseat_examples(conn, clusters)
        _audit(conn, editor, "forget", {"tracker_events": removed_events, "desk_rows": removed_desk})
    return {"tracker_events": removed_events, "desk_rows": removed_desk}


def purge(stores: Stores, older_than_days: float, now: float = None, editor: str = "cli") -> Dict[str, int]:
    """Delete the conversations of senders inactive for the given days from the tracker
    store, and withhold desk texts older than that; pseudonymous counts stay."""
    now = time.time() if now is None else now
    cutoff = now - older_than_days * 86400.0
    with stores.tracker.begin() as conn:
        stale = (sa.select(events.c.sender_id).group_by(events.c.sender_id)
                 .having(sa.func.max(events.c.timestamp) < cutoff))
        removed_events = conn.execute(events.delete().where(events.c.sender_id.in_(stale))).rowcount
    with stores.desk.begin() as conn:
        old = {i for (i,) in conn.execute(sa.select(desk_event.c.event_id)
                                          .where(desk_event.c.ts < cutoff, desk_event.c.text.isnot(None)))}
        clusters = _affected_clusters(conn, old)
        cleared = conn.execute(desk_event.update().where(desk_event.c.ts < cutoff, desk_event.c.text.isnot(None))
                               .values(text=None)).rowcount
        _reseat_examples(conn, clusters)
        _audit(conn, editor, "purge", {"older_than_days": older_than_days, "tracker_events": removed_events,
                                       "desk_texts": cleared})
    return {"tracker_events": removed_events, "desk_texts": cleared}
