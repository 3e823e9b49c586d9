"""Redaction replaces personal data and fails closed."""
from __future__ import annotations

import pytest

from bot.desk.redact import luhn_ok, redact, suspicious


@pytest.mark.parametrize("text, expected", [
    ("call me on +49 151 12345678 please", "call me on [phone] please"),
    ("my number: (0151) 123-4567", "my number: [phone]"),
    ("write to jo.bloggs+nato@mail.example.co.uk now", "write to [email] now"),
    ("ask @some_user about it", "ask [handle] about it"),
    ("pay with 4111-1111-1111-1111", "pay with [card]"),
    ("IBAN DE89370400440532013000 thanks", "IBAN [iban] thanks"),
    ("id 12345678901", "id [phone]"),
    ("see https://example.org/page?user=jo&t=1 here", "see https://example.org/page here"),
])
def test_personal_data_is_replaced(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize("text", [
    "NATO has 32 members since 2024", "about 11% of the border", "40,000 troops in 2022",
    "Article 5 of the 1949 treaty", "in 1990 and 2014",
])
def test_ordinary_figures_stay(text):
    assert redact(text) == text


def test_luhn():
    assert luhn_ok("4111111111111111") and not luhn_ok("4111111111111112")


def test_fails_closed_when_the_redactor_raises():
    def broken(text):
        raise RuntimeError("boom")

    assert redact("call +49 151 12345678", apply=broken) is None


def test_fails_closed_when_a_digit_run_survives():
    assert redact("call +49 151 12345678", apply=lambda t: t) is None
    assert suspicious("code 1 2 3 4 5 6 7") and not suspicious("[phone] and 2024")


def test_not_a_string_is_withheld():
    assert redact(None) is None and redact(42) is None
