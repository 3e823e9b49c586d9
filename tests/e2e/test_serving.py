"""The serving set-up as `make run` starts it: no serving process loads TensorFlow (nor
does the separate action server), the configured tracker store is in use, and a
conversation that goes on and on starts new sessions that keep the topic under
discussion."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from tests.bot_servers import BotServers


def texts(replies) -> str:
    return "\n".join(r.get("text", "") for r in replies)


def loads_tensorflow(pid: int) -> bool:
    return "tensorflow" in Path(f"/proc/{pid}/maps").read_text()


def test_the_rasa_server_runs_without_tensorflow(bot):
    assert "11%" in texts(bot.say("no-tf", "NATO is encircling Russia"))
    assert bot.pids() and not any(loads_tensorflow(pid) for pid in bot.pids())
    log = (bot.workdir / "rasa.log").read_text()
    assert "TensorFlow: not loaded" in log
    assert "tracker store FastSQLTrackerStore, custom actions in this process (actions)" in log
    assert "DeprecationWarning" not in log


@pytest.fixture(scope="module")
def with_action_server(tmp_path_factory):
    with BotServers(tmp_path_factory.mktemp("action-server"), actions="server") as servers:
        yield servers


def test_the_separate_action_server_answers_and_runs_without_tensorflow_too(with_action_server):
    bot = with_action_server
    assert "11%" in texts(bot.say("two-processes", "NATO is encircling Russia"))
    assert "https://www.nato.int" in texts(bot.say("two-processes", "source?"))
    assert len(bot.pids()) == 2 and not any(loads_tensorflow(pid) for pid in bot.pids())


def events(db: Path, sender: str):
    with sqlite3.connect(db) as connection:
        rows = connection.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [(kind, json.loads(data)) for kind, data in rows]


def test_a_long_conversation_starts_new_sessions_and_keeps_the_topic(bot):
    sender = "messaging-user"
    assert "11%" in texts(bot.say(sender, "NATO is encircling Russia"))
    for _ in range(30):
        assert "Where the answer on \"NATO is encircling Russia\" comes from" in texts(bot.say(sender, "source?"))
    stored = events(bot.tracker_db, sender)
    starts = [i for i, (kind, _) in enumerate(stored) if kind == "session_started"]
    assert len(starts) >= 3  # the first session, then rotations
    lengths = [b - a for a, b in zip(starts, starts[1:])]
    assert max(lengths) - min(lengths) <= 6  # every session about as long: carry-over does not grow
    carried = []  # what action_session_start put into the last session, before its first action_listen
    for kind, data in stored[starts[-1] + 1:]:
        if kind != "slot":
            break
        carried.append(data["name"])
        if data["name"] == "topic":
            assert data["value"] == "encirclement"
    assert "topic" in carried and len(carried) == len(set(carried))
