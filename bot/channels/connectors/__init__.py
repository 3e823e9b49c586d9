"""Rasa's own chat-platform connectors, adapted to this bot (docs/channels.md).

One module per platform: `telegram`, `slack`, `facebook`, `twilio` (SMS and WhatsApp),
`botframework` (Microsoft Teams). Each input channel subclasses Rasa's and
- wraps the message handler in `bot.channels.rest.never_silent` (a failed turn gets an apology),
- checks the platform's signature or token on every request (and rejects it with 4xx),
- replies through an output channel that formats each reply for the platform with
  `bot.channels.platforms.format_reply` (buttons or a numbered menu, split long texts),
- can be pointed at another API address (a self-hosted API server, a proxy, or the local
  stand-ins of tests/channels/test_connectors_e2e.py).
bot/channels/config.py switches them on from environment variables.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Iterable, Mapping, Text

from bot.knowledge.content import load_content
from bot.channels.platforms import Message, Platform, format_reply, last_turn_buttons, menu_choice

logger = logging.getLogger(__name__)


class FormattedOutput:
    """Mixin for an output channel: every text reply goes through `format_reply`.

    Put it first among the bases; subclasses set `platform` and implement `deliver`.
    Menu numbers continue across the replies of one turn, so make one output channel per
    incoming message where the platform shows numbered menus.
    """

    platform: Platform
    next_number: int = 1

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self.send_formatted(recipient_id, text, (), kwargs.get("language"))

    async def send_text_with_buttons(self, recipient_id: Text, text: Text, buttons: Iterable[Mapping[str, Any]],
                                     **kwargs: Any) -> None:
        await self.send_formatted(recipient_id, text, buttons, kwargs.get("language"))

    async def send_quick_replies(self, recipient_id: Text, text: Text, quick_replies: Iterable[Mapping[str, Any]],
                                 **kwargs: Any) -> None:
        await self.send_formatted(recipient_id, text, quick_replies, kwargs.get("language"))

    async def send_formatted(self, recipient_id: Text, text: Text, buttons: Iterable[Mapping[str, Any]],
                             language: Any = None) -> None:
        """Fit the reply to the platform, with the menu prompt and part markers in the
        reply's language (the actions send it with every reply)."""
        templates = load_content().for_language(language if isinstance(language, str) else None).templates
        messages, self.next_number = format_reply(self.platform, templates, text or "", buttons, self.next_number)
        for message in messages:
            await self.deliver(recipient_id, message)

    async def deliver(self, recipient_id: Text, message: Message) -> None:  # pragma: no cover
        raise NotImplementedError


async def resolve_menu_number(app: Any, sender_id: Text, text: Text) -> Text:
    """A typed menu number ("2") becomes the payload of that button of the bot's last turn.

    Reads the conversation from the tracker store, so it works on any replica.
    """
    if not text or not text.strip().lstrip("#").rstrip(".)").strip().isdigit():
        return text
    try:
        tracker = await app.ctx.agent.tracker_store.retrieve(sender_id)
    except Exception:  # a missing tracker store must not lose the message
        logger.exception("could not read the conversation to resolve a menu number")
        return text
    if tracker is None:
        return text
    buttons = last_turn_buttons([event.as_dict() for event in tracker.events])
    return menu_choice(text, buttons) or text


def str_credential(credentials: Mapping[str, Any], key: str, default: str = "") -> str:
    value = credentials.get(key)
    return default if value is None else str(value)


def public_url(request: Any, base: str = "") -> str:
    """The URL the platform called: `base` (PUBLIC_URL) + path, or rebuilt from proxy headers."""
    path = request.path + (f"?{request.query_string}" if request.query_string else "")
    if base:
        return base.rstrip("/") + path
    headers: Dict[str, str] = request.headers
    scheme = headers.get("x-forwarded-proto", request.scheme).split(",")[0].strip()
    host = headers.get("x-forwarded-host", headers.get("host", "")).split(",")[0].strip()
    return f"{scheme}://{host}{path}"
