"""FastSQLTrackerStore (bot/server/tracker_store.py) on SQLite files in tmp_path: what it
stores is what Rasa's own SQLTrackerStore reads back, and its cache answers only while
the database has nothing newer (the Rasa code it builds on: test_rasa_pins.py)."""
from __future__ import annotations

import asyncio
import sqlite3

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SessionStarted, SlotSet, UserUttered

from bot.server.tracker_store import INDEX, FastSQLTrackerStore

DOMAIN = Domain.from_dict({"slots": {"topic": {"type": "text", "influence_conversation": False,
                                               "mappings": [{"type": "custom"}]}}})
def run(coroutine):
    return asyncio.run(coroutine)


def store(path, cls=FastSQLTrackerStore):
    return cls(domain=DOMAIN, dialect="sqlite", db=str(path))


def turn(tracker, text, topic=None):
    tracker.update(UserUttered(text, intent={"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_answer_myth"))
    tracker.update(BotUttered(f"answer to {text}"))
    if topic:
        tracker.update(SlotSet("topic", topic))
    tracker.update(ActionExecuted("action_listen"))


def dump(tracker):
    return [e.as_dict() for e in tracker.events]


def test_what_it_stores_rasa_reads_back_the_same(tmp_path):
    fast = store(tmp_path / "t.db")
    tracker = run(fast.get_or_create_tracker("alice"))
    for i in range(3):
        tracker = run(fast.retrieve("alice")) or tracker
        turn(tracker, f"message {i}", topic=f"myth{i}")
        run(fast.save(tracker))
    plain = run(store(tmp_path / "t.db", SQLTrackerStore).retrieve("alice"))
    assert dump(plain) == dump(tracker)
    assert plain.get_slot("topic") == "myth2"


def test_the_cache_answers_only_while_the_database_has_nothing_newer(tmp_path):
    first, second = store(tmp_path / "t.db"), store(tmp_path / "t.db")
    tracker = run(first.get_or_create_tracker("bob"))
    tracker = run(first.retrieve("bob"))
    turn(tracker, "hello")
    run(first.save(tracker))
    assert run(first.retrieve("bob")) is tracker  # nothing new: the same object, no reload
    other = run(second.retrieve("bob"))  # another server continues the conversation
    turn(other, "from the other server")
    run(second.save(other))
    reloaded = run(first.retrieve("bob"))
    assert reloaded is not tracker and dump(reloaded) == dump(other)


def test_unsaved_events_of_a_failed_turn_are_not_served_from_the_cache(tmp_path):
    fast = store(tmp_path / "t.db")
    run(fast.get_or_create_tracker("carol"))
    tracker = run(fast.retrieve("carol"))
    turn(tracker, "saved")
    run(fast.save(tracker))
    tracker = run(fast.retrieve("carol"))
    turn(tracker, "never saved")  # the turn failed before Rasa saved it
    assert [e.text for e in run(fast.retrieve("carol")).events if isinstance(e, UserUttered)] == ["saved"]


def test_a_new_session_is_loaded_alone(tmp_path):
    fast = store(tmp_path / "t.db")
    run(fast.get_or_create_tracker("dave"))
    tracker = run(fast.retrieve("dave"))
    turn(tracker, "old session", topic="myth_a")
    for event in (SessionStarted(), SlotSet("topic", "myth_a"), ActionExecuted("action_listen")):
        tracker.update(event)
    run(fast.save(tracker))
    fresh = run(fast.retrieve("dave"))
    assert fresh is not tracker
    assert [e.type_name for e in fresh.events] == ["session_started", "slot", "action"]
    assert fresh.get_slot("topic") == "myth_a"


def test_sqlite_is_in_write_ahead_mode_with_the_session_index(tmp_path):
    fast = store(tmp_path / "t.db")
    run(fast.get_or_create_tracker("erin"))
    with sqlite3.connect(tmp_path / "t.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = [row[2] for row in db.execute(f"PRAGMA index_info({INDEX})")]
    assert columns == ["sender_id", "type_name", "timestamp"]


def test_the_cache_is_bounded_and_cleared_for_a_new_model(tmp_path):
    fast = FastSQLTrackerStore(domain=DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"), cache_size=2)
    for name in ("a", "b", "c"):
        run(fast.get_or_create_tracker(name))
        run(fast.retrieve(name))
    assert list(fast._cache) == ["b", "c"]
    fast.domain = DOMAIN
    assert not fast._cache
