"""Redaction of personal data in message texts, before any text reaches a desk view.

Pure and offline. `redact(text)` replaces e-mail addresses, URL query strings, card
numbers (Luhn), IBANs, phone numbers, @handles and long digit runs with placeholders such
as "[phone]". It fails closed: it returns None, and the caller leaves the text out, when
the redactor raises or when its result still holds something that looks personal (a run of
7 or more digits, an @ between word characters).
"""
from __future__ import annotations

import logging
import re
from typing import Callable, List, Optional, Tuple

logger = logging.getLogger(__name__)

MAX_DIGITS = 6  # a run of more digits than this (separators ignored) is never shown

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
_URL_QUERY = re.compile(r"(https?://[^\s?#]+)[?#]\S*", re.IGNORECASE)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]){11,30}\b")
# 13-19 digits in groups of four, optionally separated by spaces or dashes
_CARD = re.compile(r"(?<![\d+])(?:\d{4}[ -]?){3}\d{1,7}(?!\d)")
# an optional +, then digits with the separators people type in phone numbers
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d ().\-/]{5,}\d(?!\d)")
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.]{1,}")
_DIGIT_RUN = re.compile(r"\d{%d,}" % (MAX_DIGITS + 1))
# what must not survive redaction
_LEFTOVER_DIGITS = re.compile(r"(?:\d[\s().\-/]?){%d,}" % (MAX_DIGITS + 1))
_LEFTOVER_AT = re.compile(r"\w@\w|(?<![\w\[])@\w")


def luhn_ok(digits: str) -> bool:
    total, double = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if double:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
        double = not double
    return total % 10 == 0


def _card(match: "re.Match[str]") -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[card]" if 13 <= len(digits) <= 19 and luhn_ok(digits) else match.group(0)


def _phone(match: "re.Match[str]") -> str:
    digits = re.sub(r"\D", "", match.group(0))
    return "[phone]" if len(digits) >= 7 else match.group(0)


STEPS: List[Tuple[str, Callable[[str], str]]] = [
    ("email", lambda t: _EMAIL.sub("[email]", t)),
    ("url_query", lambda t: _URL_QUERY.sub(r"\1", t)),
    ("iban", lambda t: _IBAN.sub("[iban]", t)),
    ("card", lambda t: _CARD.sub(_card, t)),
    ("phone", lambda t: _PHONE.sub(_phone, t)),
    ("handle", lambda t: _HANDLE.sub("[handle]", t)),
    ("digits", lambda t: _DIGIT_RUN.sub("[number]", t)),
]


def _apply(text: str) -> str:
    for _, step in STEPS:
        text = step(text)
    return text


def suspicious(text: str) -> bool:
    """True when a text still holds a long digit run or an @handle/e-mail shape."""
    return bool(_LEFTOVER_DIGITS.search(text) or _LEFTOVER_AT.search(text))


def redact(text: Optional[str], apply: Callable[[str], str] = _apply) -> Optional[str]:
    """The text with personal data replaced, or None when it cannot be shown safely."""
    if not isinstance(text, str):
        return None
    try:
        result = apply(text)
    except Exception:  # fail closed: any error withholds the text
        logger.warning("desk: redaction failed; the text is withheld")
        return None
    if not isinstance(result, str) or suspicious(result):
        return None
    return result
