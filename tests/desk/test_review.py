"""Probably-wrong answers on the scenario: A's answer met "that's not what I asked",
C's encirclement answer won by 0.05 over the second intent."""
from __future__ import annotations

from bot.desk import query
from bot.desk.review import Turn, reasons
from tests.desk.conftest import NOW


def test_suspects_in_the_scenario(ingested):
    found = query.suspects(ingested, NOW, 30)
    assert sorted(tuple(s["reasons"]) for s in found) == [("close second intent",), ("said the answer missed",)]
    assert all(s["intent"] == "myth_encirclement" for s in found)


def test_rephrase_and_fallback_right_after_an_answer():
    asked = Turn(1, "p", 0.0, "myth_encirclement", 0.9, 0.5, "is nato encircling russia", False)
    again = Turn(2, "p", 40.0, "greet", 0.5, 0.3, "nato encircling russia?", False)
    lost = Turn(2, "p", 40.0, "nlu_fallback", 0.1, 0.0, "hm what", True)
    late = Turn(2, "p", 4000.0, "nlu_fallback", 0.1, 0.0, "hm what", True)
    other = Turn(2, "q", 40.0, "nlu_fallback", 0.1, 0.0, "hm what", True)
    assert reasons(asked, again) == ["asked again in other words"]
    assert reasons(asked, lost) == ["not understood right after"]
    assert reasons(asked, late) == [] and reasons(asked, other) == [] and reasons(asked, None) == []
