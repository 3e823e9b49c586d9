"""Rasa custom actions: thin adapters from the tracker to the pure renderers in bot/.

Each action reads what it needs from the tracker, asks bot.answers.render for a Reply and sends
it. The reply's template name, topic and facts travel with the message (they are kept
in the tracker as the bot message's metadata) so that answers can be audited.
"""
from __future__ import annotations

import abc

from pathlib import Path
from typing import Any, Dict, List, Optional, Text, Union

from rasa_sdk import Action, Tracker
from rasa_sdk.events import Restarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.answers import render
from bot.nlu import understand
from bot.knowledge.content import Content, load_content
from bot.answers.data import load_retrieval
from bot.answers.render import Reply
from bot.answers.respond import fact_answer, respond

TOPIC_SLOT = "topic"
LANGUAGE_SLOT = "language"


def conversation_language(tracker: Tracker) -> Optional[str]:
    """The conversation's language: the `language` slot, which the language identifier's
    entity fills (bot/nlu/components.py) and which stays for short messages."""
    return tracker.get_slot(LANGUAGE_SLOT)


def send_reply(dispatcher: CollectingDispatcher, reply: Reply, language: Optional[str] = None) -> None:
    """Send a rendered reply with the metadata that lets answers be audited and tested, and
    that tells the channel which language the reply is in."""
    dispatcher.utter_message(
        text=reply.text,
        buttons=list(reply.buttons),
        answer_template=reply.template,
        topic=reply.topic,
        facts=list(reply.facts),
        language=language or "en",
    )


class FactCheckAction(Action, abc.ABC):
    """Shared plumbing: load content lazily, send replies, remember the topic. Abstract, so
    the action server registers only its subclasses."""

    action_name = ""

    def __init__(self, root: Union[str, Path, None] = None) -> None:
        self._root = root

    def name(self) -> Text:
        return self.action_name

    def content(self, tracker: Optional[Tracker] = None) -> Content:
        """The content in the conversation's language (English without a tracker)."""
        content = load_content(self._root)
        return content.for_language(conversation_language(tracker)) if tracker is not None else content

    def respond(self, content: Content, tracker: Tracker) -> List[Reply]:
        """Rebuttal, fact, "my sources don't say", decline or question back (bot/answers/respond.py)."""
        return respond(content.kb, content.templates, load_retrieval(self._root, language=content.language),
                       tracker.latest_message,
                       tracker.get_slot(TOPIC_SLOT))

    @staticmethod
    def send(dispatcher: CollectingDispatcher, reply: Reply, content: Optional[Content] = None) -> None:
        send_reply(dispatcher, reply, content.language if content is not None else None)

    @staticmethod
    def remember(reply: Reply) -> List[Dict[Text, Any]]:
        return [SlotSet(TOPIC_SLOT, reply.topic)] if reply.topic else []

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        content = self.content(tracker)
        replies = self.replies(content, tracker)
        for reply in replies:
            self.send(dispatcher, reply, content)
        return [event for reply in replies[:1] for event in self.remember(reply)]

    @abc.abstractmethod
    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        """The replies for this turn."""


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


class ActionAnswerMyth(FactCheckAction):
    """Rebut the myth named by the intent when the message shows it is about that myth;
    offer a second myth the message raises. Otherwise answer it as respond() decides."""

    action_name = "action_answer_myth"

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        return self.respond(content, tracker)


class ActionAnswerQuestion(FactCheckAction):
    """Answer a factual question (intent ask_fact) with the fact that answers it, or say
    that the sources do not."""

    action_name = "action_answer_question"

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        return self.respond(content, tracker)


class ActionAnswerFollowup(FactCheckAction):
    """Sources, more detail, trust, changes or a named detail of the current topic; with no
    topic, a question that a fact answers gets the fact (bot/answers/respond.py)."""

    action_name = "action_answer_followup"

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        kb, t = content.kb, content.templates
        topic = render.find_topic(kb, tracker.get_slot(TOPIC_SLOT))
        if topic is None:
            answered = fact_answer(kb, t, load_retrieval(self._root), tracker.latest_message)
            if answered:
                return answered
        intent = _intent(tracker)
        entities = understand.entity_ids(kb, tracker.latest_message.get("entities"))
        if intent == "ask_about" or (topic is None and entities):
            return [render.render_facet(kb, t, topic, entities)]
        if intent == "ask_changes":
            return [render.render_changes(kb, t, topic)]
        if topic is None:
            return [render.render_menu(kb, t, "no_topic")]
        if intent == "ask_sources":
            return [render.render_sources(kb, t, topic)]
        if intent == "ask_trust":
            return [render.render_trust(kb, t, topic)]
        return [render.render_more(kb, t, topic)]


class ActionOfferTopics(FactCheckAction):
    """What the bot can check: for "what can you do", off-topic and unclear messages."""

    action_name = "action_offer_topics"

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        kb, t = content.kb, content.templates
        intent = _intent(tracker)
        if intent == "ask_capabilities":
            return [render.render_menu(kb, t, "capabilities")]
        if intent == understand.FALLBACK_INTENT:
            return self.respond(content, tracker)
        return [render.render_menu(kb, t, "off_topic")]


class ActionRestart(Action):
    """/restart: forget the conversation and say so. Replaces Rasa's default action_restart,
    which says nothing unless the domain has an utter_restart response."""

    action_name = "action_restart"

    def __init__(self, root: Union[str, Path, None] = None) -> None:
        self._root = root

    def name(self) -> Text:
        return self.action_name

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]) -> List[Dict[Text, Any]]:
        dispatcher.utter_message(text=load_content(self._root).templates.fill("restarted"), answer_template="restarted")
        return [Restarted()]
