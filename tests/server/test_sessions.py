"""bot/server/sessions.py: a long session rotates between turns only, and a new session
carries each slot's last value once (Rasa's carry-over copies every SlotSet, so each new
session started longer than the one before)."""
from __future__ import annotations

from rasa.core.actions.action import ActionSessionStart
from rasa.core.processor import MessageProcessor
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (ActionExecuted, ActiveLoop, SessionStarted, SlotSet, UserUttered)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.server import sessions

DOMAIN = Domain.from_dict({
    "slots": {"topic": {"type": "text", "influence_conversation": False, "mappings": [{"type": "custom"}]},
              "practice_log": {"type": "list", "influence_conversation": False, "mappings": [{"type": "custom"}]}},
    "forms": {"practice_form": {"required_slots": []}},
})


def tracker_with(events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", events, slots=DOMAIN.slots)


def turns(n: int, start: int = 0):
    for i in range(start, start + n):
        yield UserUttered(f"message {i}", intent={"name": "greet", "confidence": 1.0})
        yield ActionExecuted("action_answer_myth")
        yield SlotSet("topic", f"myth{i}")
        yield ActionExecuted("action_listen")


def test_a_session_rotates_once_it_is_long_and_only_between_turns():
    per_turn = 4
    short = tracker_with([ActionExecuted("action_listen"), *turns(sessions.MAX_SESSION_EVENTS // per_turn - 1)])
    assert not sessions.is_too_long(short)
    long = tracker_with([ActionExecuted("action_listen"), *turns(sessions.MAX_SESSION_EVENTS // per_turn + 1)])
    assert sessions.is_too_long(long)
    long.update(ActiveLoop("practice_form"))  # in the middle of a practice round
    long.update(ActionExecuted("action_listen"))
    assert not sessions.is_too_long(long)


def test_only_the_current_session_counts():
    events = [*turns(sessions.MAX_SESSION_EVENTS), SessionStarted(), SlotSet("topic", "x"), ActionExecuted("action_listen")]
    assert sessions.events_in_session(tracker_with(events)) == 2
    assert not sessions.is_too_long(tracker_with(events))


def test_the_carry_over_is_one_event_per_slot_with_its_last_value():
    events = [ActionExecuted("action_listen"), SlotSet("practice_log", [{"myth": "a", "score": 40}]), *turns(5),
              SlotSet("practice_log", [{"myth": "a", "score": 40}, {"myth": "b", "score": 70}])]
    carried = sessions.last_slot_values(tracker_with(events))
    assert [(e.key, e.value) for e in carried] == [
        ("topic", "myth4"), ("practice_log", [{"myth": "a", "score": 40}, {"myth": "b", "score": 70}])]


def test_sessions_started_one_after_another_do_not_grow():
    sessions.install()
    events = [ActionExecuted("action_listen"), *turns(3)]
    starts = []
    for round_ in range(4):
        tracker = tracker_with(events)
        carried = ActionSessionStart._slot_set_events_from_tracker(tracker)
        events = [*events, SessionStarted(), *carried, ActionExecuted("action_listen"), *turns(3, start=10 * round_)]
        starts.append(len(carried))
    assert starts == [1, 1, 1, 1]
    assert tracker_with(events).get_slot("topic") == "myth32"


def test_install_wraps_rasas_expiry_check_once():
    sessions.install()
    sessions.install()
    assert MessageProcessor._rotates_long_sessions
    assert ActionSessionStart._slot_set_events_from_tracker is sessions.last_slot_values
