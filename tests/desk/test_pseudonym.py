"""Pseudonyms are keyed: the same sender maps to the same pseudonym only under one secret."""
from __future__ import annotations

import pytest

from bot.desk.pseudonym import DeskConfigError, pseudonym, secret_from_env


def test_keyed_and_stable():
    a = pseudonym(b"one", "whatsapp:+4915112345678")
    assert a == pseudonym(b"one", "whatsapp:+4915112345678")
    assert a != pseudonym(b"two", "whatsapp:+4915112345678")
    assert len(a) == 16 and "4915" not in a


def test_secret_from_the_environment():
    assert secret_from_env({"DESK_SECRET": "s"}) == b"s"
    derived = secret_from_env({"DESK_TOKEN": "t"})
    assert derived != b"t" and derived == secret_from_env({"DESK_TOKEN": "t"})
    with pytest.raises(DeskConfigError, match="DESK_SECRET"):
        secret_from_env({})
