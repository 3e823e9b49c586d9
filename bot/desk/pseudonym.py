"""Keyed pseudonyms for senders: the desk never stores or shows a sender id.

A pseudonym is HMAC-SHA256 of the sender id under a secret from the environment
(DESK_SECRET; without it, a key derived from DESK_TOKEN). A bare hash of a phone number
could be reversed by trying every number; a keyed one cannot without the secret.
"""
from __future__ import annotations

import hashlib
import hmac
from typing import Mapping, Optional


class DeskConfigError(ValueError):
    """The desk is asked to run without the secret it needs."""


def secret_from_env(env: Mapping[str, str]) -> bytes:
    """DESK_SECRET, or a key derived from DESK_TOKEN; DeskConfigError when both are unset."""
    secret = (env.get("DESK_SECRET") or "").strip()
    if secret:
        return secret.encode("utf-8")
    token = (env.get("DESK_TOKEN") or "").strip()
    if token:
        return hmac.new(token.encode("utf-8"), b"desk pseudonym key", hashlib.sha256).digest()
    raise DeskConfigError("the desk needs DESK_SECRET (or DESK_TOKEN) in the environment")


def pseudonym(secret: bytes, sender_id: Optional[str]) -> str:
    """16 hex characters that stand for one sender under this secret."""
    digest = hmac.new(secret, (sender_id or "").encode("utf-8"), hashlib.sha256).hexdigest()
    return "u" + digest[:15]
