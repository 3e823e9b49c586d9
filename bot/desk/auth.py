"""The desk's access rules (pure): token, signed session cookie, form token.

- `Authorization: Bearer <DESK_TOKEN>` (scripts, exports), compared in constant time;
- or a session cookie set by the login form: "<editor>|<expiry>|<signature>", signed with
  a key derived from the token (a new token ends every session), sent HttpOnly and
  SameSite=Strict, for /desk only;
- every POST from a session carries a form token derived from that session.
The token is never read from a URL.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import time
from typing import Mapping, Optional

COOKIE = "desk_session"
SESSION_SECONDS = 8 * 3600
API_EDITOR = "api"


def _key(token: str, purpose: bytes) -> bytes:
    return hmac.new(token.encode("utf-8"), purpose, hashlib.sha256).digest()


def clean_editor(name: str) -> str:
    """An editor's name as kept with labels: letters, digits, space, . _ -, at most 40."""
    cleaned = re.sub(r"[^\w .-]", "", str(name or ""), flags=re.UNICODE).strip()[:40]
    return cleaned or "editor"


def token_ok(token: str, given: Optional[str]) -> bool:
    return bool(token) and isinstance(given, str) and hmac.compare_digest(token.encode(), given.encode())


def bearer(headers: Mapping[str, str]) -> Optional[str]:
    value = headers.get("authorization") or headers.get("Authorization") or ""
    scheme, _, credential = value.partition(" ")
    return credential.strip() if scheme.lower() == "bearer" and credential.strip() else None


def make_session(token: str, editor: str, now: Optional[float] = None) -> str:
    expiry = int((time.time() if now is None else now) + SESSION_SECONDS)
    payload = f"{clean_editor(editor)}|{expiry}"
    signature = hmac.new(_key(token, b"desk session"), payload.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{payload}|{signature}"


def session_editor(token: str, cookie: Optional[str], now: Optional[float] = None) -> Optional[str]:
    """The editor of a valid, unexpired session cookie, else None."""
    if not token or not cookie or cookie.count("|") != 2:
        return None
    editor, expiry, signature = cookie.split("|")
    expected = hmac.new(_key(token, b"desk session"), f"{editor}|{expiry}".encode("utf-8"), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature) or not expiry.isdigit():
        return None
    if int(expiry) < (time.time() if now is None else now):
        return None
    return editor


def form_token(token: str, cookie: str) -> str:
    return hmac.new(_key(token, b"desk form"), cookie.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def form_ok(token: str, cookie: Optional[str], given: Optional[str]) -> bool:
    return bool(cookie) and isinstance(given, str) and hmac.compare_digest(form_token(token, cookie), given)
