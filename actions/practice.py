"""Rasa custom actions of practice mode: thin adapters to bot.practice (dialogue,
scorer, replies).

Flow (domain in responses/practice.yml, rules in data/stories/practice.yml):
  start_practice -> action_start_practice -> practice_form
      asks practice_answer with action_ask_practice_answer (the myth in a realistic voice),
      validate_practice_form scores the answer, sends feedback and a model answer,
      asks practice_reply with action_ask_practice_reply (the usual push-back),
      scores the reply the same way;
  form done -> action_practice_round_end (scores, buttons: again / another / finish);
  stop_practice (or goodbye during a round) -> action_stop_practice (summary).
Progress is the list slot practice_log, kept per conversation in the tracker store.
A round speaks the conversation's language (the `language` slot): its voices, key points,
scoring and wording come from that language's content (bot.knowledge.content).
"""
from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Union

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import conversation_language, send_reply
from bot.answers.render import Reply
from bot.knowledge.content import Content, load_content
from bot.knowledge.practice_spec import practice_spec
from bot.nlu.pipeline import pipelines_dir
from bot.practice import dialogue, replies
from bot.practice.scorer import content_scorer

MYTH_SLOT = "practice_myth"
VOICE_SLOT = "practice_voice"
ANSWER_SLOT = "practice_answer"
REPLY_SLOT = "practice_reply"
LOG_SLOT = "practice_log"
REQUESTED_SLOT = "requested_slot"
FORM = "practice_form"
TOPIC_SLOT = "topic"
MYTH_ENTITY = "myth"
STAGE_OF_SLOT = {ANSWER_SLOT: "answer", REPLY_SLOT: "counter"}
logger = logging.getLogger(__name__)


class _Practice:
    """Shared plumbing: content (in the conversation's language) and scorer loaded lazily,
    replies sent with their metadata and language."""

    def __init__(self, root: Union[str, Path, None] = None, pipelines: Union[str, Path, None] = None) -> None:
        self._root = root
        self._pipelines = pipelines

    def name(self) -> Text:
        return self.action_name

    def content(self, tracker: Optional[Tracker] = None) -> Content:
        """The content in the conversation's language; English for a language without
        practice words."""
        english = load_content(self._root)
        local = english.for_language(conversation_language(tracker) if tracker is not None else None)
        return local if local.practice is not None else english

    def scorer(self, content: Content):
        return content_scorer(content, self._pipelines or pipelines_dir(self._root))

    def warm_up(self, content: Content) -> None:
        """Build the scorer in the background while the trainee reads the myth (best effort:
        scoring itself reports a missing spaCy pipeline)."""
        def build() -> None:
            try:
                self.scorer(content)
            except Exception as exc:  # noqa: BLE001 - only a warm-up
                logger.debug("practice scorer not warmed up: %s", exc)

        threading.Thread(target=build, daemon=True).start()

    @staticmethod
    def send(dispatcher: CollectingDispatcher, reply: Reply, content: Content) -> None:
        send_reply(dispatcher, reply, content.language)

    @staticmethod
    def log(tracker: Tracker) -> List[Dict[Text, Any]]:
        value = tracker.get_slot(LOG_SLOT)
        return [e for e in value if isinstance(e, dict)] if isinstance(value, list) else []

    @staticmethod
    def myth(content: Content, tracker: Tracker):
        myth = content.kb.myths.get(tracker.get_slot(MYTH_SLOT) or "")
        return myth if myth is not None and myth.practice else None

    def score_round(self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        """Score the answer in ``slot``, send feedback and a model answer; the slots to set."""
        content = self.content(tracker)
        kb, t = content.kb, content.templates
        myth = self.myth(content, tracker)
        if myth is None or value is None:
            return {slot: value}  # nothing to score (the form checks its empty slots on activation)
        if not dialogue.is_real_answer(value if isinstance(value, str) else None):
            self.send(dispatcher, replies.render_too_short(t, myth.id), content)
            return {slot: None}
        stage = STAGE_OF_SLOT[slot]
        score = self.scorer(content).score(myth.id, value, stage)
        self.send(dispatcher, replies.render_feedback(kb, t, myth, score), content)
        model = replies.render_model_answer if stage == "answer" else replies.render_model_reply
        self.send(dispatcher, model(kb, t, myth), content)
        entry = dialogue.log_entry(myth.id, stage, score.score, score.covered, score.missing)
        return {slot: value, LOG_SLOT: dialogue.add_to_log(self.log(tracker), entry)}


def _requested_myth(tracker: Tracker) -> Optional[str]:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == MYTH_ENTITY and entity.get("value"):
            return str(entity["value"])
    return None


class ActionStartPractice(_Practice, Action):
    """Pick the myth (button, named in the message, "again", or at random) and a voice."""

    action_name = "action_start_practice"
    runs_in_thread = True  # spaCy scoring, off the server's event loop when run in-process

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        content = self.content(tracker)
        kb, t = content.kb, content.templates
        log = self.log(tracker)
        myth = dialogue.choose_myth(
            kb, _requested_myth(tracker), tracker.latest_message.get("text") or "", log,
            tracker.get_slot(MYTH_SLOT), seed=f"{tracker.sender_id}:{len(log)}",
            repeat_words=content.practice.repeat_words if content.practice else (),
        )
        if myth is None:
            self.send(dispatcher, replies.render_unavailable(t), content)
            return [SlotSet(MYTH_SLOT, None)]
        self.warm_up(content)
        self.send(dispatcher, replies.render_intro(kb, t, myth), content)
        voice = dialogue.choose_voice(practice_spec(myth), log)
        return [SlotSet(MYTH_SLOT, myth.id), SlotSet(VOICE_SLOT, voice),
                SlotSet(ANSWER_SLOT, None), SlotSet(REPLY_SLOT, None), SlotSet(TOPIC_SLOT, myth.id)]


class ActionAskPracticeAnswer(_Practice, Action):
    """The form asks for the answer: the bot plays someone spreading the myth."""

    action_name = "action_ask_practice_answer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        content = self.content(tracker)
        myth = self.myth(content, tracker)
        if myth is None:
            self.send(dispatcher, replies.render_unavailable(content.templates), content)
            return []
        voice = int(tracker.get_slot(VOICE_SLOT) or 0)
        self.send(dispatcher, replies.render_voice(content.kb, content.templates, myth, voice), content)
        return []


class ActionAskPracticeReply(_Practice, Action):
    """The form asks for the second round: the usual push-back against the answer."""

    action_name = "action_ask_practice_reply"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        content = self.content(tracker)
        myth = self.myth(content, tracker)
        if myth is not None:
            self.send(dispatcher, replies.render_counter(content.kb, content.templates, myth), content)
        return []


class ValidatePracticeForm(_Practice, FormValidationAction):
    """Score each free-text answer of the form, explain the score, keep the progress."""

    action_name = "validate_practice_form"
    runs_in_thread = True  # spaCy scoring, off the server's event loop when run in-process

    def validate_practice_answer(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                 domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self.score_round(ANSWER_SLOT, value, dispatcher, tracker)

    def validate_practice_reply(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: Dict[Text, Any]) -> Dict[Text, Any]:
        return self.score_round(REPLY_SLOT, value, dispatcher, tracker)


class ActionPracticeRoundEnd(_Practice, Action):
    """After both rounds: the scores of this myth and what to do next."""

    action_name = "action_practice_round_end"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        content = self.content(tracker)
        myth = self.myth(content, tracker)
        if myth is not None:
            self.send(dispatcher, replies.render_round_end(content.kb, content.templates, myth, self.log(tracker)),
                      content)
        return [SlotSet(ANSWER_SLOT, None), SlotSet(REPLY_SLOT, None)]


class ActionStopPractice(_Practice, Action):
    """ "stop" (or goodbye): the summary of this conversation's practice (myths, scores,
    points missed), ending a round in progress.

    In the middle of a round a long message is an answer that NLU took for "stop" ("NATO
    should stop sending weapons ..."): it is scored, and the form goes on."""

    action_name = "action_stop_practice"
    runs_in_thread = True  # spaCy scoring, off the server's event loop when run in-process

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        requested = tracker.get_slot(REQUESTED_SLOT)
        text = tracker.latest_message.get("text") or ""
        if tracker.active_loop_name == FORM and requested in STAGE_OF_SLOT and dialogue.is_long_answer(text):
            slots = self.score_round(requested, text, dispatcher, tracker)
            return [SlotSet(name, value) for name, value in slots.items()]
        content = self.content(tracker)
        summary = dialogue.summarise(self.log(tracker))
        self.send(dispatcher, replies.render_summary(content.kb, content.templates, summary), content)
        return [ActiveLoop(None), SlotSet(REQUESTED_SLOT, None), SlotSet(ANSWER_SLOT, None), SlotSet(REPLY_SLOT, None)]
