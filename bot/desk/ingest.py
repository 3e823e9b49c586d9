"""Incremental reading of Rasa's tracker store into the desk's tables.

`Ingestor.run()` reads `events` rows with an id above the last one it read (kept in
desk_progress), in id order and in batches, and writes one desk_event row per user message
and per conversation start: a pseudonym instead of the sender id, the channel, a language
guess, the intent with its confidence and margin, the nearest myth, the redacted text
(NULL when redaction withheld it) and, for unmatched messages, a cluster. It only selects
from `events`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import threading
from typing import Any, Dict, Iterable, List, Optional, Tuple

import sqlalchemy as sa

from bot.desk.clusters import Clusterer, tokens
from bot.desk.pseudonym import pseudonym
from bot.desk.redact import redact
from bot.desk.store import Stores, desk_cluster, desk_event, desk_progress, events

BATCH = 5000
UNMATCHED_INTENTS = frozenset({"nlu_fallback", "out_of_scope"})
LOW_CONFIDENCE = 0.4  # a matched intent below this confidence also goes to the queue
_UK = re.compile(r"[іїєґІЇЄҐ]")
_RU = re.compile(r"[ыэъёЫЭЪЁ]")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LATIN = re.compile(r"[A-Za-z]")


def guess_language(text: str, metadata: Any = None, parse: Any = None) -> str:
    """The channel's language if it sent one, else the language the bot's NLU decided
    (`language_detection` in the parse, or the language it could not speak), else a guess
    from the script (uk/ru/latin)."""
    if isinstance(metadata, dict) and isinstance(metadata.get("language"), str):
        return metadata["language"][:12].lower()
    found = parse.get("language_detection") if isinstance(parse, dict) else None
    if isinstance(found, dict):
        for key in ("language", "unsupported"):
            if isinstance(found.get(key), str):
                return found[key][:12].lower()
    if _CYRILLIC.search(text):
        if _UK.search(text):
            return "uk"
        return "ru" if _RU.search(text) else "cyrillic"
    return "latin" if _LATIN.search(text) else "other"


def day_of(ts: float) -> str:
    return dt.datetime.fromtimestamp(ts, tz=dt.timezone.utc).strftime("%Y-%m-%d")


def read_user(data: Dict[str, Any]) -> Dict[str, Any]:
    """Intent, confidence, margin and nearest myth from a user event's parse_data."""
    parse = data.get("parse_data") or {}
    intent = (parse.get("intent") or {}).get("name")
    confidence = (parse.get("intent") or {}).get("confidence")
    ranking = [r for r in parse.get("intent_ranking") or [] if isinstance(r, dict)]
    real = [r for r in ranking if r.get("name") not in ("nlu_fallback",)]
    margin = None
    if len(real) >= 2:
        margin = float(real[0].get("confidence") or 0) - float(real[1].get("confidence") or 0)
    elif len(real) == 1:
        margin = float(real[0].get("confidence") or 0)
    nearest = next((r.get("name") for r in ranking if str(r.get("name", "")).startswith("myth_")), None)
    return {"intent": intent, "confidence": float(confidence) if confidence is not None else None,
            "margin": margin, "nearest": nearest}


class Ingestor:
    """Reads new tracker-store events into the desk; one per process (it caches clusters)."""

    def __init__(self, stores: Stores, secret: bytes) -> None:
        self.stores = stores
        self.secret = secret
        self.clusterer: Optional[Clusterer] = None
        self.lock = threading.Lock()

    def _load_clusters(self, conn: sa.engine.Connection) -> Clusterer:
        clusterer = Clusterer()
        for cid, toks in conn.execute(sa.select(desk_cluster.c.id, desk_cluster.c.tokens)):
            clusterer.add(cid, frozenset(toks.split()))
        return clusterer

    def last_id(self, conn: sa.engine.Connection) -> int:
        value = conn.execute(sa.select(desk_progress.c.last_event_id)
                             .where(desk_progress.c.name == "events")).scalar()
        return int(value or 0)

    def run(self, batch: int = BATCH) -> int:
        """Ingest every new event; returns how many desk rows were written."""
        if not self.stores.has_events():
            return 0
        with self.lock:
            written = 0
            while True:
                try:
                    added = self._batch(batch)
                except sa.exc.IntegrityError:  # another server's desk wrote these rows first
                    self.clusterer = None
                    continue
                if added is None:
                    return written
                written += added

    def _batch(self, batch: int) -> Optional[int]:
        """Read and convert one batch in one transaction; None when nothing is new."""
        with self.stores.desk.begin() as conn:
            if self.clusterer is None:
                self.clusterer = self._load_clusters(conn)
            start = self.last_id(conn)
            with self.stores.tracker.connect() as tconn:
                rows = tconn.execute(
                    sa.select(events.c.id, events.c.sender_id, events.c.type_name,
                              events.c.timestamp, events.c.data)
                    .where(events.c.id > start).order_by(events.c.id).limit(batch)).fetchall()
            if not rows:
                return None
            desk_rows, new_clusters = self._convert(rows)
            if new_clusters:
                conn.execute(desk_cluster.insert(), new_clusters)
            if desk_rows:
                conn.execute(desk_event.insert(), desk_rows)
            self._save_progress(conn, start, rows[-1][0])
            return len(desk_rows)

    def _save_progress(self, conn: sa.engine.Connection, start: int, last: int) -> None:
        if start == 0 and not conn.execute(sa.select(desk_progress.c.name)).first():
            conn.execute(desk_progress.insert().values(name="events", last_event_id=last))
        else:
            conn.execute(desk_progress.update().where(desk_progress.c.name == "events")
                         .values(last_event_id=last))

    def _convert(self, rows: Iterable[Tuple]) -> Tuple[List[Dict[str, Any]], List[Dict[str, Any]]]:
        out: List[Dict[str, Any]] = []
        new_clusters: List[Dict[str, Any]] = []
        assert self.clusterer is not None
        for event_id, sender_id, type_name, timestamp, raw in rows:
            if type_name not in ("user", "session_started"):
                continue
            try:
                data = json.loads(raw or "{}")
            except ValueError:
                data = {}
            ts = float(timestamp if timestamp is not None else data.get("timestamp") or 0.0)
            row = {"event_id": event_id, "ts": ts, "day": day_of(ts),
                   "pseudo": pseudonym(self.secret, sender_id), "channel": "", "lang": "",
                   "intent": None, "confidence": None, "margin": None, "nearest": None,
                   "text": None, "unmatched": False, "cluster_id": None, "kind": "session"}
            if type_name == "user":
                text = data.get("text") if isinstance(data.get("text"), str) else ""
                row.update(read_user(data), kind="user",
                           channel=str(data.get("input_channel") or "unknown")[:40],
                           lang=guess_language(text, data.get("metadata"), data.get("parse_data")))
                if not text.startswith("/"):  # button payloads carry no words of the user's
                    row["text"] = redact(text)
                intent, confidence = row["intent"], row["confidence"]
                row["unmatched"] = bool(not text.startswith("/") and (
                    intent in UNMATCHED_INTENTS or (confidence is not None and confidence < LOW_CONFIDENCE)))
                if row["unmatched"] and row["text"]:
                    toks = tokens(row["text"])
                    if toks:
                        cid, new = self.clusterer.assign(toks)
                        row["cluster_id"] = cid
                        if new:
                            new_clusters.append({"id": cid, "tokens": " ".join(sorted(toks)),
                                                 "text": row["text"], "event_id": event_id})
            out.append(row)
        return out, new_clusters
