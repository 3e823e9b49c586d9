"""bot/channels/rest.py: a turn that produces no reply gets an apology, never silence."""
from __future__ import annotations

import asyncio

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.rest import FriendlyRestInput, apology_text, never_silent


def handle(handler, text="hello"):
    output = CollectingOutputChannel()
    asyncio.run(never_silent(handler)(UserMessage(text, output, "user-1")))
    return [m.get("text") for m in output.messages]


def test_silent_turn_gets_the_apology():
    async def silent(message):
        return None

    assert handle(silent) == [apology_text()]
    assert "try again" in apology_text()


def test_failing_turn_gets_the_apology():
    async def broken(message):
        raise RuntimeError("action server down")

    assert handle(broken) == [apology_text()]


def test_cancelled_turn_gets_the_apology_and_stays_cancelled():
    async def cancelled(message):
        raise asyncio.CancelledError()

    output = CollectingOutputChannel()
    try:
        asyncio.run(never_silent(cancelled)(UserMessage("hello", output, "user-1")))
    except asyncio.CancelledError:
        pass
    else:
        raise AssertionError("the cancellation was swallowed")
    assert [m.get("text") for m in output.messages] == [apology_text()]


def test_answered_turn_is_left_alone():
    async def answers(message):
        await message.output_channel.send_response(message.sender_id, {"text": "Fact."})
        await message.output_channel.send_response(message.sender_id, {"text": "Sources."})

    assert handle(answers) == ["Fact.", "Sources."]


def test_rest_channel_keeps_rasas_url():
    assert FriendlyRestInput.name() == "rest"


def test_control_characters_are_removed_and_blank_messages_nudged():
    from bot.channels.rest import clean_text

    assert clean_text("NATO\x00 is encircling\x07 Russia \n") == "NATO is encircling Russia"
    assert clean_text(None) == "" and clean_text("   \t") == ""
    seen = []

    async def record(message):
        seen.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": "ok"})

    assert handle(record, "a\x00b") == ["ok"] and seen == ["ab"]
    replies = handle(record, "  \n ")
    assert len(replies) == 1 and "empty" in replies[0] and seen == ["ab"]
