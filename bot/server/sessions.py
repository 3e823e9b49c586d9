"""Keep the work of a turn flat however long a conversation lasts.

Rasa loads, replays and featurises the whole current session on every turn (tracker
store retrieval, `applied_events`, RulePolicy's `past_states`), so a turn's cost grows
with the session. Rasa ends a session only after `session_expiration_time` minutes of
silence, so a conversation that keeps going (a messaging user chatting daily) never
ends one. Two changes to Rasa 3.6:

- `rotate_long_sessions`: a session also counts as expired once it holds
  `MAX_SESSION_EVENTS` events, checked where Rasa checks expiry (before a user message
  is handled, inside the conversation's lock), and only between turns: the bot is
  listening and no form is active. Rasa then runs `action_session_start` as usual.
- `carry_over_last_values`: `action_session_start` carries slots over by copying every
  `SlotSet` event of the old session, including the copies carried into it from the
  session before, so each new session starts longer than the last one (measured: 18, 26,
  33, 39, 44 events), until rotation happens on every turn. Here only the last value of
  each slot is carried over: the same slots with the same values, one event each.

What a conversation needs across sessions is in slots (the topic under discussion,
practice progress), none of which influence the dialogue policy, so nothing else of the
old session is needed; the full history stays in the tracker store.
"""
from __future__ import annotations

from typing import Dict, List, Text

MAX_SESSION_EVENTS = 50
LISTEN = "action_listen"


def events_in_session(tracker) -> int:
    """Events since the latest SessionStarted (all events if there is none)."""
    from rasa.shared.core.events import SessionStarted

    count = 0
    for event in reversed(tracker.events):
        if isinstance(event, SessionStarted):
            break
        count += 1
    return count


def is_too_long(tracker, limit: int = MAX_SESSION_EVENTS) -> bool:
    return (len(tracker.events) >= limit and tracker.active_loop_name is None
            and tracker.latest_action_name == LISTEN and events_in_session(tracker) >= limit)


def last_slot_values(tracker) -> List:
    """One SlotSet per slot set in the session: its last value and metadata."""
    from rasa.shared.core.events import SlotSet

    last: Dict[Text, SlotSet] = {}
    for event in tracker.applied_events():
        if isinstance(event, SlotSet):
            last.pop(event.key, None)
            last[event.key] = event
    return [SlotSet(key=e.key, value=e.value, metadata=e.metadata) for e in last.values()]


def install() -> None:
    from rasa.core.actions.action import ActionSessionStart
    from rasa.core.processor import MessageProcessor

    if not getattr(MessageProcessor, "_rotates_long_sessions", False):
        expired = MessageProcessor._has_session_expired

        def _has_session_expired(self, tracker) -> bool:
            return is_too_long(tracker) or expired(self, tracker)

        MessageProcessor._has_session_expired = _has_session_expired
        MessageProcessor._rotates_long_sessions = True
    if not getattr(ActionSessionStart, "_carries_last_values", False):
        ActionSessionStart._slot_set_events_from_tracker = staticmethod(last_slot_values)
        ActionSessionStart._carries_last_values = True
