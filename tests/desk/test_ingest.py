"""Ingest reads the tracker store incrementally and never changes it."""
from __future__ import annotations

import hashlib

import sqlalchemy as sa

from bot.desk.ingest import Ingestor, guess_language, read_user
from bot.desk.store import desk_cluster, desk_event
from tests.desk.conftest import NOW, PHONE_A, SECRET, save, session, user


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_ingest_never_writes_to_the_tracker_store(tracker_db, stores):
    before = _digest(tracker_db)
    assert Ingestor(stores, SECRET).run() == 14  # 9 user messages, 5 conversation starts
    assert _digest(tracker_db) == before


def test_rows_per_kind_and_no_sender_ids(ingested):
    with ingested.desk.connect() as conn:
        kinds = dict(conn.execute(sa.select(desk_event.c.kind, sa.func.count()).group_by(desk_event.c.kind)).fetchall())
        pseudos = {p for (p,) in conn.execute(sa.select(desk_event.c.pseudo).distinct())}
    assert kinds == {"user": 9, "session": 5}
    assert len(pseudos) == 4 and all(len(p) == 16 and "+" not in p for p in pseudos)


def test_ingest_is_incremental(tracker_db, stores):
    ingest = Ingestor(stores, SECRET)
    first = ingest.run()
    assert ingest.run() == 0
    save(tracker_db, {PHONE_A: [user("Will NATO invade Belarus soon?", "nlu_fallback", 0.1, NOW, "whatsapp")]})
    assert ingest.run() == 1
    # a fresh ingestor (another process) continues where the last one stopped
    save(tracker_db, {"new-person": [*session(NOW), user("hello", "greet", 0.9, NOW, "rest")]})
    assert Ingestor(stores, SECRET).run() == 2
    with stores.desk.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(desk_event)).scalar() == first + 3


def test_two_near_identical_messages_from_two_people_make_one_cluster(ingested):
    with ingested.desk.connect() as conn:
        rows = conn.execute(sa.select(desk_event.c.cluster_id, desk_event.c.pseudo)
                            .where(desk_event.c.cluster_id.isnot(None))).fetchall()
        clusters = conn.execute(sa.select(desk_cluster.c.id, desk_cluster.c.text)).fetchall()
    by_cluster = {}
    for cid, pseudo in rows:
        by_cluster.setdefault(cid, set()).add(pseudo)
    assert sorted(len(p) for p in by_cluster.values()) == [1, 1, 2]
    belarus = [cid for cid, text in clusters if "belarus" in text.lower()]
    assert len(belarus) == 1 and len(by_cluster[belarus[0]]) == 2


def test_texts_are_redacted_before_they_are_stored(ingested):
    with ingested.desk.connect() as conn:
        texts = [t for (t,) in conn.execute(sa.select(desk_event.c.text).where(desk_event.c.text.isnot(None)))]
    joined = " ".join(texts)
    assert "my number is [phone], mail me at [email], card [card]" in joined
    assert "7700" not in joined and "example.org" not in joined and "4111" not in joined
    assert "/start_practice" not in joined  # button payloads are not the user's words


def test_margin_and_nearest_myth_come_from_the_ranking():
    parsed = read_user({"parse_data": {"intent": {"name": "nlu_fallback", "confidence": 0.2},
                                       "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.2},
                                                          {"name": "greet", "confidence": 0.15},
                                                          {"name": "myth_encirclement", "confidence": 0.1}]}})
    assert parsed["nearest"] == "myth_encirclement"
    assert abs(parsed["margin"] - 0.05) < 1e-9


def test_language_guess():
    assert guess_language("НАТО окружає Україну і їх") == "uk"
    assert guess_language("НАТО окружает Россию, это ясно") == "ru"
    assert guess_language("NATO is encircling Russia") == "latin"
    # the bot's own decision, when the parse has it, beats the script
    assert guess_language("Die NATO kreist Russland ein", None, {"language_detection": {"language": "de"}}) == "de"
    assert guess_language("Czy NATO obiecało?", None, {"language_detection": {"language": None,
                                                                             "unsupported": "pl"}}) == "pl"
    assert guess_language("NATO", {"language": "fr"}, {"language_detection": {"language": "de"}}) == "fr"
    assert guess_language("123") == "other"
    assert guess_language("x", {"language": "de"}) == "de"
