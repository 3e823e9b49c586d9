"""Bad input over REST: every request gets a sane HTTP status and, where it is a message,
a polite answer; the server stays up and keeps answering others."""
from __future__ import annotations

import pytest
import requests


def post(bot, **kwargs):
    return requests.post(f"{bot.url}/webhooks/rest/webhook", timeout=120, **kwargs)


@pytest.mark.parametrize("name,kwargs", [
    ("invalid json", dict(data=b'{"sender": "a", "message": ', headers={"content-type": "application/json"})),
    ("wrong content type", dict(data=b"NATO is encircling Russia", headers={"content-type": "text/plain"})),
    ("binary garbage", dict(data=bytes(range(256)) * 8, headers={"content-type": "application/octet-stream"})),
    ("no message", dict(json={"sender": "a"})),
    ("message is a number", dict(json={"sender": "a", "message": 42})),
    ("sender is a list", dict(json={"sender": ["a"], "message": "hi"})),
    ("json array", dict(json=["NATO is encircling Russia"])),
])
def test_malformed_requests_get_a_clear_400(bot, name, kwargs):
    response = post(bot, **kwargs)
    assert response.status_code == 400, name
    assert "must be" in response.json()["error"] or "JSON object" in response.json()["error"]


@pytest.mark.parametrize("text", ["", "   \n\t  ", "\x00\x00"])
def test_empty_messages_get_a_nudge(bot, text):
    replies = post(bot, json={"sender": "blank", "message": text}).json()
    assert len(replies) == 1 and "empty" in replies[0]["text"]


@pytest.mark.parametrize("text", [
    "🙄🤡🇷🇺", "الناتو يحاصر روسيا", "<script>alert(1)</script>", "'; DROP TABLE events; --",
    "<b>bold</b> claim", "Robert'); DELETE FROM users;--",
])
def test_odd_messages_get_a_polite_decline(bot, content, text):
    response = post(bot, json={"sender": "odd", "message": text})
    assert response.status_code == 200
    reply = response.json()[0]["text"]
    # the decline is in the language the message reads as (noise can read as French)
    declines = [local.templates.fill(name).split(".")[0] for local in map(content.for_language, content.codes)
                for name in ("off_topic", "unsure")] + ["Sorry, I can't answer in that language yet"]
    assert any(reply.startswith(d) for d in declines), reply
    assert "<script" not in reply and "DROP TABLE" not in reply


def test_null_bytes_are_removed_not_fatal(bot):
    replies = post(bot, json={"sender": "nul", "message": "NATO\x00 is encircling\x00 Russia"}).json()
    assert "11%" in replies[0]["text"]


def test_a_100_kb_message_is_answered(bot):
    text = ("NATO keeps encircling Russia with its bases, closing the ring every year. " * 1400)[:100_000]
    response = post(bot, json={"sender": "long", "message": text})
    assert response.status_code == 200 and "11%" in response.json()[0]["text"]


def test_server_still_answers_others_afterwards(bot):
    assert "11%" in bot.say("after-bad-input", "NATO is encircling Russia")[0]["text"]
