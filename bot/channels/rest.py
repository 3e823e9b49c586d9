"""Input-channel helpers that make sure a user never meets silence.

If handling a message produces no bot message at all (the action server is down, an
action failed, an unexpected error), the user gets a short apology instead, taken from
the `service_unavailable` template. Their message is still stored in the tracker.
Only Rasa's server imports this module.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import response
from sanic.request import Request


from bot.knowledge.content import load_content
from bot.nlu.lid import guess_language

logger = logging.getLogger(__name__)
APOLOGY_TEMPLATE = "service_unavailable"
EMPTY_TEMPLATE = "empty_message"
# control characters other than tab and newline (NUL breaks PostgreSQL text columns)
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def clean_text(text: Any) -> str:
    """The user's text without control characters and surrounding blanks."""
    return CONTROL_CHARS.sub("", text).strip() if isinstance(text, str) else ""


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


def apology_text(template: str = APOLOGY_TEMPLATE, said: str = "") -> str:
    """The apology in the language of what the user said (a quick guess: no NLU result
    exists when the bot could not answer)."""
    try:
        content = load_content()
        language = guess_language(said, content.codes) if said else None
        return content.for_language(language).templates.fill(template)
    except Exception:  # the apology must not depend on anything that can fail
        logger.exception("could not load the template %s", template)
        return "Sorry, I can't answer right now. Please try again in a minute."


def never_silent(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[Any]]:
    """Wrap Rasa's message handler: apologise when it produced no reply."""

    async def handle(message: UserMessage) -> None:
        text = clean_text(message.text)
        if not text:
            await message.output_channel.send_response(message.sender_id, {"text": apology_text(EMPTY_TEMPLATE)})
            return
        message.text = text
        output = CountingOutput(message.output_channel)
        message.output_channel = output
        cancelled = None
        try:
            await on_new_message(message)
        except Exception:
            logger.exception("handling a message failed")
        except asyncio.CancelledError as error:  # Rasa's REST channel would then answer []
            logger.error("handling a message was cancelled")
            cancelled = error
        if output.sent == 0:
            await output.inner.send_response(message.sender_id, {"text": apology_text(APOLOGY_TEMPLATE, text)})
        if cancelled is not None:
            raise cancelled

    return handle


class FriendlyRestInput(RestInput):
    """Rasa's REST channel (same URL, /webhooks/rest/webhook) that never answers with []."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]):
        blueprint = super().blueprint(never_silent(on_new_message))

        @blueprint.middleware("request")
        async def reject_malformed(request: Request) -> Optional[response.HTTPResponse]:
            if request.method == "POST" and request.path.endswith("/webhook"):
                problem = body_problem(request)
                if problem:
                    return response.json({"error": problem}, status=400)
            return None

        return blueprint


def body_problem(request: Request) -> Optional[str]:
    """Why a REST webhook body is unusable, or None. Rasa's format: {"sender", "message"}."""
    try:
        body = request.json
    except Exception:
        body = None
    if not isinstance(body, dict):
        return 'send a JSON object such as {"sender": "me", "message": "NATO is encircling Russia"}'
    if not isinstance(body.get("message"), str):
        return '"message" must be a string'
    if "sender" in body and not isinstance(body["sender"], str):
        return '"sender" must be a string'
    return None
