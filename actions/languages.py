"""Rasa custom actions about the conversation's language: confirm a switch, and answer a
message in a language the bot does not speak (in English, naming the languages it speaks,
with a button for each)."""
from __future__ import annotations

from typing import List, Optional

from rasa_sdk import Tracker

from actions.actions import FactCheckAction
from bot.answers.render import Reply
from bot.knowledge.content import Content


def language_buttons(content: Content) -> tuple:
    return tuple({"title": lang.name, "payload": f'/switch_language{{"language":"{code}"}}'}
                 for code, lang in content.languages.items())


class ActionSwitchLanguage(FactCheckAction):
    """The `language` slot already holds the new language (from the entity): confirm it."""

    action_name = "action_switch_language"

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        name = content.languages[content.language].name
        return [Reply("language_switched", content.templates.fill("language_switched", language=name))]


class ActionExplainLanguages(FactCheckAction):
    """A message in a language the bot does not speak: answered in English."""

    action_name = "action_explain_languages"

    def content(self, tracker: Optional[Tracker] = None) -> Content:
        return super().content(None)

    def replies(self, content: Content, tracker: Tracker) -> List[Reply]:
        names = ", ".join(lang.name for lang in content.languages.values())
        text = content.templates.fill("language_unsupported", languages=names)
        return [Reply("language_unsupported", text, language_buttons(content))]
