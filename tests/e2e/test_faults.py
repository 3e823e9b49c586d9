"""Faults, with custom actions in a separate action server: with it down the user gets a short apology, not silence or an
error dump; when it comes back, the conversation continues where it was. A restarted
Rasa server still knows the myth under discussion (SQLite tracker store)."""
from __future__ import annotations

import signal

import pytest

from tests.bot_servers import BotServers


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    with BotServers(tmp_path_factory.mktemp("faults"), actions="server") as servers:
        yield servers


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_action_server_down_then_back(bot):
    assert "11%" in texts(bot.say("patient", "NATO is encircling Russia"))
    bot.stop_process(bot.actions_process, signal.SIGTERM)
    replies = bot.say("patient", "source?")
    assert len(replies) == 1 and "Sorry" in replies[0]["text"] and "try again" in replies[0]["text"]
    assert "Traceback" not in replies[0]["text"]
    bot.start_actions()
    sources = texts(bot.say("patient", "source?"))
    assert "NATO is encircling Russia" in sources and "https://www.nato.int" in sources


def test_rasa_restart_keeps_the_conversation(bot):
    assert "is a myth" in texts(bot.say("returning", "NATO will never let Ukraine in"))
    bot.stop_process(bot.rasa_process)  # SIGINT, as Ctrl-C
    bot.start_rasa()  # same SQLite tracker store
    sources = texts(bot.say("returning", "source?"))
    assert "Ukraine will never join NATO" in sources
