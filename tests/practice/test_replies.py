"""bot/practice/replies.py: the model reply to a push-back grants what is true in it first."""
from __future__ import annotations

from bot.practice.replies import render_model_reply


def test_model_reply_grants_the_qualification_the_push_back_raises(kb, templates):
    reply = render_model_reply(kb, templates, kb.myths["operations_not_defensive"])
    lines = reply.text.splitlines()
    grant = next(i for i, line in enumerate(lines) if line.startswith("- Grant what is true in it:"))
    assert "regime change" in lines[grant] and "Foreign Affairs Committee" in lines[grant]
    assert grant < max(i for i, line in enumerate(lines) if line.startswith("- ") and i != grant)
    assert "House of Commons Foreign Affairs Committee (an Ally's parliament)" in reply.text


def test_model_reply_without_a_qualification_has_no_grant(kb, templates):
    reply = render_model_reply(kb, templates, kb.myths["pushing_war"])
    assert "Grant what is true" not in reply.text
