"""SMS and WhatsApp through Twilio: Rasa's connector plus the X-Twilio-Signature check.

Rasa's `rasa.core.channels.twilio.TwilioInput` accepts any POST as a message from any
phone number. These channels
- reject a request (403) unless its `X-Twilio-Signature` is the HMAC-SHA1 of the URL
  Twilio called and the form fields, keyed with the account's auth token (Twilio's own
  `RequestValidator`). The URL is PUBLIC_URL + path when set (behind a proxy that rewrites
  it), else rebuilt from Host and X-Forwarded-Proto;
- send each reply as one message of at most 1600 characters (Twilio's limit; `max_chars`
  may set it lower to save SMS segments), split with "(1/2)" markers beyond that, and
  list the buttons as a numbered menu: "Reply with a number"; a typed number is mapped
  back to the button, from the conversation in the tracker store (works on any replica);
- send SMS text in GSM-7 characters (typographic quotes and dashes replaced);
- call the Messages API in a worker thread (the Twilio client blocks), and can be
  pointed at another API address (`api_url`), e.g. the stand-in of the tests.
`TwilioInput` is SMS at /webhooks/twilio/webhook, `TwilioWhatsAppInput` WhatsApp at
/webhooks/whatsapp/webhook.
"""
from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text
from urllib.parse import parse_qs

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.twilio import TwilioInput as RasaTwilioInput
from rasa.core.channels.twilio import TwilioOutput as RasaTwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.base.exceptions import TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.request_validator import RequestValidator

from bot.channels.rest import never_silent
from bot.channels.connectors import FormattedOutput, public_url, resolve_menu_number, str_credential
from bot.channels.platforms import PLATFORMS, Message, Platform

logger = logging.getLogger(__name__)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class FormFields(Dict[str, List[str]]):
    """All form fields, blank ones too (Twilio signs them; Sanic's `request.form` drops them)."""

    @classmethod
    def of(cls, request: Request) -> "FormFields":
        return cls(parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True))

    def getlist(self, name: str) -> List[str]:  # what RequestValidator reads
        return self[name]

    def first(self, name: str) -> Optional[str]:
        return self.get(name, [None])[0]


class BaseUrlHttpClient(TwilioHttpClient):
    """Twilio's HTTP client, sending to another address than https://api.twilio.com."""

    def __init__(self, base_url: str) -> None:
        super().__init__(timeout=20)
        self.base_url = base_url.rstrip("/")

    def request(self, method: str, url: str, *args: Any, **kwargs: Any):
        return super().request(method, re.sub(r"^https://[^/]+", self.base_url, url), *args, **kwargs)


class TwilioOutput(FormattedOutput, RasaTwilioOutput):
    def __init__(self, account_sid: Text, auth_token: Text, twilio_number: Text, platform: Platform,
                 api_url: Text = "") -> None:
        super().__init__(account_sid, auth_token, twilio_number)
        self.platform = platform
        self.http_client = BaseUrlHttpClient(api_url) if api_url else TwilioHttpClient(timeout=20)

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    async def deliver(self, recipient_id: Text, message: Message) -> None:
        try:
            await asyncio.to_thread(self.messages.create, to=recipient_id, from_=self.twilio_number, body=message.text)
        except TwilioRestException as error:
            logger.error("Twilio: sending to %s failed: %s", recipient_id, error.msg)


class TwilioInput(RasaTwilioInput):
    platform_name = "twilio"

    @classmethod
    def name(cls) -> Text:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TwilioInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(str_credential(credentials, "account_sid"), str_credential(credentials, "auth_token"),
                   str_credential(credentials, "twilio_number"), api_url=str_credential(credentials, "api_url"),
                   public_url=str_credential(credentials, "public_url"),
                   max_chars=int(credentials.get("max_chars") or 0))

    def __init__(self, account_sid: Text, auth_token: Text, twilio_number: Text, api_url: Text = "",
                 public_url: Text = "", max_chars: int = 0) -> None:
        super().__init__(account_sid, auth_token, twilio_number, debug_mode=False)
        if not (account_sid and auth_token and twilio_number):
            raise ValueError("Twilio needs the account SID, the auth token and a sender number")
        self.api_url = api_url
        self.public_url = public_url
        platform = PLATFORMS[self.platform_name]
        self.platform = dataclasses.replace(platform, max_chars=min(max_chars or platform.max_chars,
                                                                    platform.max_chars))

    def get_output_channel(self) -> TwilioOutput:  # one per message: menu numbers restart
        return TwilioOutput(self.account_sid, self.auth_token, self.twilio_number, self.platform, self.api_url)

    def authentic(self, request: Request, form: FormFields) -> bool:
        signature = request.headers.get("X-Twilio-Signature", "")
        if not signature:
            return False
        url = public_url(request, self.public_url)
        return RequestValidator(self.auth_token).validate(url, form, signature)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = never_silent(on_new_message)
        bp = Blueprint(f"{self.name()}_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            form = FormFields.of(request)
            if not self.authentic(request, form):
                logger.warning("%s: request without a valid X-Twilio-Signature rejected", self.name())
                return response.text("forbidden", status=403)
            sender, text = form.first("From"), form.first("Body")
            if sender and text and text.strip():
                text = await resolve_menu_number(request.app, sender, text)
                await handle(UserMessage(text, self.get_output_channel(), sender, input_channel=self.name(),
                                         metadata=self.get_metadata(request)))
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return bp


class TwilioWhatsAppInput(TwilioInput):
    """WhatsApp through Twilio; the sender number is "whatsapp:+<number>"."""

    platform_name = "whatsapp"

    @classmethod
    def name(cls) -> Text:
        return "whatsapp"
