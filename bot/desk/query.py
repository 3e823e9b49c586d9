"""Reads from the desk's tables for pages and exports, and records editors' labels."""
from __future__ import annotations

import json
import time
from typing import Any, Dict, List, Optional

import sqlalchemy as sa

from bot.desk import review, stats
from bot.desk.store import Stores, desk_audit, desk_cluster, desk_event, desk_label

LABELS = ("myth", "new_claim", "out_of_scope", "spam")
e = desk_event.c


def overview(stores: Stores, end: float, days: int) -> Dict[str, Any]:
    start = end - days * stats.DAY
    dates = stats.period_days(end, days)
    with stores.desk.connect() as conn:
        rows = [stats.Event(*r) for r in conn.execute(
            sa.select(e.kind, e.ts, e.day, e.pseudo, e.channel, e.lang, e.intent, e.unmatched)
            .where(e.ts > start, e.ts <= end))]
        active = {r.pseudo for r in rows if r.kind == "user"}
        first = conn.execute(sa.select(e.pseudo, sa.func.min(e.day)).where(e.kind == "user", e.ts <= end)
                             .group_by(e.pseudo)).fetchall()
    first_seen = {p: d for p, d in first if p in active}
    return stats.overview(rows, first_seen, dates)


def labels(conn: sa.engine.Connection) -> Dict[int, Dict[str, Any]]:
    latest: Dict[int, Dict[str, Any]] = {}
    for row in conn.execute(sa.select(desk_label).order_by(desk_label.c.id)):
        latest[row.cluster_id] = {"label": row.label, "myth": row.myth, "editor": row.editor, "at": row.at}
    return latest


def clusters(stores: Stores, end: float, days: int) -> List[Dict[str, Any]]:
    start = min(end - days * stats.DAY, end - 35 * stats.DAY)  # five weeks for "rising"
    with stores.desk.connect() as conn:
        rows = [stats.Unmatched(*r) for r in conn.execute(
            sa.select(e.cluster_id, e.ts, e.pseudo, e.channel, e.lang, e.nearest)
            .where(e.cluster_id.isnot(None), e.ts > start, e.ts <= end))]
        in_period = {r.cluster_id for r in rows if r.ts > end - days * stats.DAY}
        rows = [r for r in rows if r.cluster_id in in_period]
        texts = dict(conn.execute(sa.select(desk_cluster.c.id, desk_cluster.c.text)).fetchall()) if rows else {}
        current = labels(conn)
    return stats.clusters(rows, end, texts, current)


def suspects(stores: Stores, end: float, days: int, limit: int = 200) -> List[Dict[str, Any]]:
    with stores.desk.connect() as conn:
        turns = [review.Turn(*r) for r in conn.execute(
            sa.select(e.event_id, e.pseudo, e.ts, e.intent, e.confidence, e.margin, e.text, e.unmatched)
            .where(e.kind == "user", e.ts > end - days * stats.DAY, e.ts <= end).order_by(e.pseudo, e.ts))]
    return review.suspects(turns, limit)


def add_label(stores: Stores, cluster_id: int, label: str, myth: Optional[str], editor: str,
              known_myths: List[str]) -> None:
    """Record a label and its audit entry; ValueError for an unknown label or myth."""
    if label not in LABELS:
        raise ValueError(f"unknown label {label!r}")
    if label == "myth" and myth not in known_myths:
        raise ValueError(f"unknown myth {myth!r}")
    now = time.time()
    with stores.desk.begin() as conn:
        if conn.execute(sa.select(desk_cluster.c.id).where(desk_cluster.c.id == cluster_id)).first() is None:
            raise ValueError(f"no cluster {cluster_id}")
        conn.execute(desk_label.insert().values(cluster_id=cluster_id, label=label,
                                                myth=myth if label == "myth" else None, editor=editor, at=now))
        conn.execute(desk_audit.insert().values(at=now, who=editor, action="label", detail=json.dumps(
            {"cluster": cluster_id, "label": label, "myth": myth if label == "myth" else None})))


def candidate_examples(stores: Stores) -> Dict[str, List[str]]:
    """Per myth, the example text of each cluster labelled as that myth and sent by two or
    more people: candidate NLU examples for an editor to review before adding them."""
    with stores.desk.connect() as conn:
        wanted = {cid: v["myth"] for cid, v in labels(conn).items() if v["label"] == "myth" and v["myth"]}
        if not wanted:
            return {}
        askers = dict(conn.execute(sa.select(e.cluster_id, sa.func.count(sa.distinct(e.pseudo)))
                                   .where(e.cluster_id.in_(list(wanted))).group_by(e.cluster_id)).fetchall())
        texts = dict(conn.execute(sa.select(desk_cluster.c.id, desk_cluster.c.text)
                                  .where(desk_cluster.c.id.in_(list(wanted)))).fetchall())
    out: Dict[str, List[str]] = {}
    for cid, myth in sorted(wanted.items()):
        if askers.get(cid, 0) >= 2 and texts.get(cid):
            out.setdefault(myth, []).append(texts[cid])
    return out


def audit(stores: Stores, limit: int = 50) -> List[Dict[str, Any]]:
    with stores.desk.connect() as conn:
        rows = conn.execute(sa.select(desk_audit).order_by(desk_audit.c.id.desc()).limit(limit)).fetchall()
    return [{"at": r.at, "who": r.who, "action": r.action, "detail": r.detail} for r in rows]
