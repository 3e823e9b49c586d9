"""forget and purge remove what they should and leave other conversations working."""
from __future__ import annotations

import asyncio

import sqlalchemy as sa

from bot.desk import query, retention
from bot.desk.ingest import Ingestor
from bot.desk.pseudonym import pseudonym
from bot.desk.store import desk_audit, desk_cluster, desk_event, events
from tests.desk.conftest import NOW, PHONE_A, PHONE_B, SECRET


def _senders(stores):
    with stores.tracker.connect() as conn:
        return {s for (s,) in conn.execute(sa.select(events.c.sender_id).distinct())}


def _retrieve(db, sender):
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))
    try:
        return asyncio.run(store.retrieve(sender))
    finally:
        store.engine.dispose()


def test_forget_removes_one_person_everywhere(ingested, tracker_db):
    result = retention.forget(ingested, SECRET, PHONE_A)
    assert result == {"tracker_events": 18, "desk_rows": 5}
    assert PHONE_A not in _senders(ingested)
    with ingested.desk.connect() as conn:
        assert not conn.execute(sa.select(desk_event).where(
            desk_event.c.pseudo == pseudonym(SECRET, PHONE_A))).first()
        texts = [t for (t,) in conn.execute(sa.select(desk_cluster.c.text))]
        audit = conn.execute(sa.select(desk_audit.c.detail)).scalar()
    # A's Belarus question was the cluster's example: B's words take its place
    assert "will nato invade belarus next" in texts and "Will NATO invade Belarus next?" not in texts
    assert "4915" not in audit and "u" + pseudonym(SECRET, PHONE_A)[1:] not in audit
    # the others' conversations are intact and still load as trackers
    tracker = _retrieve(tracker_db, PHONE_B)
    assert [e.text for e in tracker.events if getattr(e, "text", None) and e.type_name == "user"][0] \
        == "will nato invade belarus next"
    assert query.overview(ingested, NOW, 30)["users"] == 2


def test_forget_by_pseudonym(ingested):
    retention.forget(ingested, SECRET, pseudonym(SECRET, PHONE_B))
    assert PHONE_B not in _senders(ingested) and PHONE_A in _senders(ingested)


def test_purge_drops_inactive_conversations_and_old_texts(ingested, tracker_db):
    result = retention.purge(ingested, 30, now=NOW)
    assert result["tracker_events"] > 0
    assert _senders(ingested) == {PHONE_A, PHONE_B, "web-abc123"}  # only D was inactive for 30 days
    assert _retrieve(tracker_db, "web-abc123").latest_message.text == "/start_practice"
    o = query.overview(ingested, NOW, 90)
    assert o["messages"] == 9  # pseudonymous counts stay
    with ingested.desk.connect() as conn:
        old = conn.execute(sa.select(desk_event.c.text).where(desk_event.c.ts < NOW - 30 * 86400)).fetchall()
    assert old and all(t is None for (t,) in old)
    # new events after a purge are still read
    assert Ingestor(ingested, SECRET).run() == 0
