"""An SQL tracker store whose cost per turn does not depend on the database's size.

Rasa 3.6's `SQLTrackerStore` (rasa/core/tracker_store.py) per turn:
- opens and closes a database connection for every query: on a SQLite file its engine
  uses SQLAlchemy's NullPool, and closing the last connection checkpoints the journal;
- finds the latest session with a query over all the sender's rows (the only index is
  on `sender_id`), then loads, decodes and replays every event of the session;
- on saving, counts the session's stored events with that query again, to know which
  events are new.

`FastSQLTrackerStore` keeps Rasa's schema and behaviour and changes how it gets there:
- SQLite: one pooled connection, write-ahead log (`journal_mode=WAL`,
  `synchronous=NORMAL`) and a busy timeout; PostgreSQL keeps Rasa's pool;
- an index on (sender_id, type_name, timestamp), which the session query uses;
- a per-process cache of the trackers it handed out, with the id of the newest stored
  event and the number of events stored. `retrieve` asks the database only for
  `max(id)` of the sender's events: if another process or server stored anything since,
  or the cached tracker holds events that were never saved, the tracker is loaded the
  normal way. `save` then inserts just the events after the stored ones, with no count.
  A tracker whose new events start a session is dropped from the cache, so the next
  turn loads only the new session.
Correct across several servers for the same reason Rasa's store is: the lock store
serialises the turns of one conversation.

endpoints.yml: `tracker_store: {type: bot.server.tracker_store.FastSQLTrackerStore,
dialect: sqlite, db: rasa.db}` (same keys as `type: SQL`, plus `cache_size`).
"""
from __future__ import annotations

import json
import logging
from collections import OrderedDict
from typing import Any, Dict, Optional, Text, Tuple

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

logger = logging.getLogger(__name__)
INDEX = "ix_events_sender_type_ts"
CACHE_SIZE = 128


class FastSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, cache_size: int = CACHE_SIZE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite" and self.engine.url.database not in (None, "", ":memory:"):
            self._pool_sqlite()
        self._create_index()
        self.cache_size = int(cache_size)
        self._cache: "OrderedDict[Text, Tuple[DialogueStateTracker, int, int]]" = OrderedDict()

    def _pool_sqlite(self) -> None:
        url = self.engine.url
        self.engine.dispose()
        self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=1, max_overflow=4,
                                       connect_args={"check_same_thread": False, "timeout": 10})

        @sa.event.listens_for(self.engine, "connect")
        def on_connect(connection, _record) -> None:
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.close()

        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    def _create_index(self) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(sa.text(
                    f"CREATE INDEX IF NOT EXISTS {INDEX} ON events (sender_id, type_name, timestamp)"))
        except sa.exc.SQLAlchemyError as error:  # e.g. another server is creating it right now
            logger.warning("could not create the index %s: %s", INDEX, error)

    @property
    def domain(self):
        return self._domain

    @domain.setter
    def domain(self, domain) -> None:  # a new model: trackers must be rebuilt with its slots
        SQLTrackerStore.domain.fset(self, domain)
        if getattr(self, "_cache", None):
            self._cache.clear()

    def _newest_id(self, connection, sender_id: Text) -> int:
        table = self.SQLEvent.__table__
        query = sa.select(sa.func.max(table.c.id)).where(table.c.sender_id == sender_id)
        return connection.execute(query).scalar() or 0

    async def retrieve(self, sender_id: Text) -> Optional[DialogueStateTracker]:
        with self.engine.connect() as connection:
            newest = self._newest_id(connection, sender_id)
        cached = self._cache.get(sender_id)
        if cached is not None:
            tracker, max_id, stored = cached
            if max_id == newest and len(tracker.events) == stored:
                self._cache.move_to_end(sender_id)
                return tracker
            del self._cache[sender_id]
        tracker = await super().retrieve(sender_id)
        if tracker is not None:
            self._remember(sender_id, tracker, newest)
        return tracker

    def _remember(self, sender_id: Text, tracker: DialogueStateTracker, max_id: int) -> None:
        self._cache[sender_id] = (tracker, max_id, len(tracker.events))
        self._cache.move_to_end(sender_id)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    async def save(self, tracker: DialogueStateTracker) -> None:
        cached = self._cache.pop(tracker.sender_id, None)
        if cached is None or cached[0] is not tracker:
            await super().save(tracker)  # a tracker this store did not hand out: Rasa's way
            return
        await self.stream_events(tracker)
        new = list(tracker.events)[cached[2]:]
        with self.engine.begin() as connection:
            if new:
                connection.execute(self.SQLEvent.__table__.insert(), [self._row(tracker.sender_id, e) for e in new])
            max_id = self._newest_id(connection, tracker.sender_id)
        if not any(isinstance(event, SessionStarted) for event in new):
            self._remember(tracker.sender_id, tracker, max_id)

    @staticmethod
    def _row(sender_id: Text, event) -> Dict[Text, Any]:
        """The row Rasa's SQLTrackerStore.save writes for `event`."""
        data = event.as_dict()
        return {
            "sender_id": sender_id,
            "type_name": event.type_name,
            "timestamp": data.get("timestamp"),
            "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
            "action_name": data.get("name"),
            "data": json.dumps(data),
        }
