"""A tracker store the tests fill with Rasa's own event classes, saved by Rasa's
SQLTrackerStore into SQLite under tmp_path, and the desk reading it."""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

import pytest

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.timezone.utc).timestamp()
DAY = 86400.0
SECRET = b"test secret"
PHONE_A = "whatsapp:+4915112345678"
PHONE_B = "+447700900123"


def user(text: str, intent: str, confidence: float, ts: float, channel: str,
         ranking: Sequence[Tuple[str, float]] = (), metadata: Optional[Dict] = None):
    from rasa.shared.core.events import UserUttered

    ranking = list(ranking) or [(intent, confidence)]
    parse = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [],
             "intent_ranking": [{"name": n, "confidence": c} for n, c in ranking]}
    return UserUttered(text, intent={"name": intent, "confidence": confidence}, parse_data=parse,
                       timestamp=ts, input_channel=channel, metadata=metadata or {})


def answer(ts: float, action: str = "action_answer_myth"):
    from rasa.shared.core.events import ActionExecuted, BotUttered

    return [ActionExecuted(action, timestamp=ts + 0.1),
            BotUttered("An answer with sources [1].", metadata={"utter_action": "utter_x"}, timestamp=ts + 0.2),
            ActionExecuted("action_listen", timestamp=ts + 0.3)]


def session(ts: float):
    from rasa.shared.core.events import ActionExecuted, SessionStarted

    return [ActionExecuted("action_session_start", timestamp=ts - 1), SessionStarted(timestamp=ts - 0.9),
            ActionExecuted("action_listen", timestamp=ts - 0.8)]


def save(db: Path, conversations: Dict[str, List]) -> None:
    """Save each sender's events with Rasa's SQLTrackerStore (appending to what is there)."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker

    store = SQLTrackerStore(Domain.empty(), dialect="sqlite", db=str(db))

    async def run():
        for sender, evts in conversations.items():
            tracker = await store.retrieve(sender) or DialogueStateTracker(sender, [])
            for event in evts:
                tracker.update(event)
            await store.save(tracker)

    asyncio.run(run())
    store.engine.dispose()


def scenario() -> Dict[str, List]:
    """Four people; the numbers the tests expect are worked out in test_stats.py."""
    a1, a2 = NOW - 10 * DAY, NOW - 1 * DAY
    b1, c1, d1 = NOW - 2 * DAY, NOW - 1 * DAY + 3600, NOW - 40 * DAY
    enc = [("myth_encirclement", 0.9), ("myth_deployments_threat", 0.05)]
    return {
        PHONE_A: [*session(a1),
                  user("Will NATO invade Belarus next?", "nlu_fallback", 0.15, a1, "whatsapp",
                       [("nlu_fallback", 0.2), ("myth_nato_aggressive", 0.15), ("greet", 0.1)]),
                  *answer(a1, "action_offer_topics"),
                  *session(a2),
                  user("NATO is encircling Russia", "myth_encirclement", 0.9, a2, "whatsapp", enc), *answer(a2),
                  user("that's not what I asked", "nlu_fallback", 0.1, a2 + 30, "whatsapp"),
                  *answer(a2 + 30, "action_offer_topics")],
        PHONE_B: [*session(b1),
                  user("will nato invade belarus next", "nlu_fallback", 0.12, b1, "twilio",
                       [("nlu_fallback", 0.2), ("myth_nato_aggressive", 0.12)]),
                  *answer(b1, "action_offer_topics"),
                  user("my number is +44 7700 900456, mail me at jo@example.org, card 4111 1111 1111 1111",
                       "out_of_scope", 0.8, b1 + 300, "twilio"), *answer(b1 + 300, "utter_out_of_scope")],
        "web-abc123": [*session(c1),
                       user("NATO is encircling Russia!!", "myth_encirclement", 0.75, c1, "webchat",
                            [("myth_encirclement", 0.75), ("myth_deployments_threat", 0.70)]), *answer(c1),
                       user("sources?", "ask_sources", 0.9, c1 + 20, "webchat"), *answer(c1 + 20),
                       user("/start_practice", "start_practice", 1.0, c1 + 60, "webchat"), *answer(c1 + 60)],
        "telegram-999": [*session(d1), user("they promised not to expand", "myth_enlargement_promise", 0.9, d1,
                                            "telegram"), *answer(d1)],
    }


@pytest.fixture
def tracker_db(tmp_path: Path) -> Path:
    db = tmp_path / "rasa.db"
    save(db, scenario())
    return db


@pytest.fixture
def stores(tracker_db: Path):
    from bot.desk.store import Stores

    s = Stores(f"sqlite:///{tracker_db}", f"sqlite:///{tracker_db.with_name('rasa.desk.db')}")
    yield s
    s.dispose()


@pytest.fixture
def ingested(stores):
    from bot.desk.ingest import Ingestor

    Ingestor(stores, SECRET).run()
    return stores
