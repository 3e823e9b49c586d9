"""Faults: with the action server down the user gets a short apology, not silence or an
error dump; when it comes back, the conversation continues where it was."""
from __future__ import annotations

import pytest

from tests.bot_servers import BotServers


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    with BotServers(tmp_path_factory.mktemp("faults")) as servers:
        yield servers


def texts(replies):
    return "\n".join(r.get("text", "") for r in replies)


def test_action_server_down_then_back(bot):
    assert "11%" in texts(bot.say("patient", "NATO is encircling Russia"))
    actions = bot.processes[0]
    actions.terminate()
    actions.wait(timeout=30)
    replies = bot.say("patient", "source?")
    assert len(replies) == 1 and "Sorry" in replies[0]["text"] and "try again" in replies[0]["text"]
    assert "Traceback" not in replies[0]["text"]
    bot.processes.remove(actions)
    bot.start_actions()
    sources = texts(bot.say("patient", "source?"))
    assert "NATO is encircling Russia" in sources and "https://www.nato.int" in sources
