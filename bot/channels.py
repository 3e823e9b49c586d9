"""Input-channel helpers that make sure a user never meets silence.

If handling a message produces no bot message at all (the action server is down, an
action failed, an unexpected error), the user gets a short apology instead, taken from
the `service_unavailable` template. Their message is still stored in the tracker.
Only Rasa's server imports this module.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput

from bot.content import load_content

logger = logging.getLogger(__name__)
APOLOGY_TEMPLATE = "service_unavailable"


class CountingOutput(OutputChannel):
    """Passes every bot message on to the real output channel and counts them."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> Text:  # channel-specific responses still apply
        return self.inner.name()

    async def send_response(self, recipient_id: Text, message: Dict[Text, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, attribute: str) -> Any:  # e.g. CollectingOutputChannel.messages
        return getattr(self.inner, attribute)


def apology_text() -> str:
    try:
        return load_content().templates.fill(APOLOGY_TEMPLATE)
    except Exception:  # the apology must not depend on anything that can fail
        logger.exception("could not load the apology template")
        return "Sorry, I can't answer right now. Please try again in a minute."


def never_silent(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap Rasa's message handler: apologise when it produced no reply."""

    async def handle(message: UserMessage) -> None:
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("handling a message failed")
        if output.sent == 0:
            await output.inner.send_response(message.sender_id, {"text": apology_text()})

    return handle


class FriendlyRestInput(RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) that never answers with []."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]):
        return super().blueprint(never_silent(on_new_message))
