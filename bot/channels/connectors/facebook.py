"""Facebook Messenger: Rasa's connector with a stricter signature check, adapted.

Compared with `rasa.core.channels.facebook.FacebookInput` it
- checks `X-Hub-Signature-256` (HMAC-SHA256 of the body with the app secret; the SHA-1
  `X-Hub-Signature` only when no SHA-256 one is sent) in constant time, and answers a bad
  signature or verify token with 403 instead of 200;
- handles every event of a batched delivery, not just the first;
- sends each reply as one message (split beyond 2000 characters) with quick replies; when
  a title is longer than Messenger's 20 characters, the text lists the choices by number
  and the quick replies carry the numbers; a typed number works too;
- signs its Send API calls with `appsecret_proof`, and can use another Graph API address
  (`graph_url`), e.g. a newer API version or a test stand-in.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any, Awaitable, Callable, Dict, List, Mapping, Optional, Text, Tuple

from fbmessenger import MessengerClient
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.facebook import FacebookInput as RasaFacebookInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import never_silent
from bot.channels.connectors import FormattedOutput, resolve_menu_number, str_credential
from bot.channels.platforms import PLATFORMS, Message

logger = logging.getLogger(__name__)
TIMEOUT = 20  # seconds for a Send API call


def signature_valid(app_secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """X-Hub-Signature-256 (or, only without it, the SHA-1 X-Hub-Signature) matches the body."""
    for header, algorithm in (("X-Hub-Signature-256", hashlib.sha256), ("X-Hub-Signature", hashlib.sha1)):
        given = headers.get(header)
        if given:
            prefix = "sha256=" if algorithm is hashlib.sha256 else "sha1="
            expected = prefix + hmac.new(app_secret.encode(), body, algorithm).hexdigest()
            return hmac.compare_digest(given.encode(), expected.encode())
    return False


def messenger_events(payload: Any) -> List[Tuple[str, str]]:
    """(sender id, text) of every user message, quick reply and postback in a delivery."""
    found: List[Tuple[str, str]] = []
    entries = payload.get("entry") if isinstance(payload, dict) else None
    for entry in entries if isinstance(entries, list) else []:
        for event in (entry or {}).get("messaging") or []:
            sender = (event.get("sender") or {}).get("id")
            message = event.get("message") or {}
            if message.get("is_echo") or not sender:
                continue
            text = ((message.get("quick_reply") or {}).get("payload") or message.get("text")
                    or (event.get("postback") or {}).get("payload"))
            if isinstance(text, str) and text.strip():
                found.append((str(sender), text))
    return found


class MessengerOutput(FormattedOutput, OutputChannel):
    platform = PLATFORMS["facebook"]

    @classmethod
    def name(cls) -> Text:
        return "facebook"

    def __init__(self, client: MessengerClient) -> None:
        self.client = client

    async def _call(self, method: Callable[..., Any], *args: Any) -> None:
        result = await asyncio.to_thread(method, *args, timeout=TIMEOUT)  # requests is blocking
        if isinstance(result, dict) and result.get("error"):
            logger.error("Messenger Send API error: %s", result["error"])

    async def deliver(self, recipient_id: Text, message: Message) -> None:
        payload: Dict[str, Any] = {"text": message.text}
        if message.buttons:
            payload["quick_replies"] = [{"content_type": "text", "title": b["title"], "payload": b["payload"]}
                                        for b in message.buttons]
        await self._call(self.client.send, payload, recipient_id, "RESPONSE")

    async def send_action(self, recipient_id: Text, sender_action: Text) -> None:
        try:  # "seen" and "typing" are niceties: never let them stop the reply
            await self._call(self.client.send_action, sender_action, recipient_id)
        except Exception:
            logger.warning("Messenger: sender action %s failed", sender_action, exc_info=True)


class FacebookInput(RasaFacebookInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "FacebookInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(str_credential(credentials, "verify"), str_credential(credentials, "secret"),
                   str_credential(credentials, "page-access-token"), str_credential(credentials, "graph_url"))

    def __init__(self, fb_verify: Text, fb_secret: Text, fb_access_token: Text, graph_url: Text = "") -> None:
        super().__init__(fb_verify, fb_secret, fb_access_token)
        if not (fb_verify and fb_secret and fb_access_token):
            raise ValueError("Messenger needs a verify token, the app secret and a page access token")
        self.graph_url = graph_url.rstrip("/")

    def client(self) -> MessengerClient:
        client = MessengerClient(self.fb_access_token, app_secret=self.fb_secret)
        if self.graph_url:
            client.graph_url = self.graph_url
        return client

    def get_output_channel(self) -> MessengerOutput:
        return MessengerOutput(self.client())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = never_silent(on_new_message)
        bp = Blueprint("fb_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            token = request.args.get("hub.verify_token", "")
            if request.args.get("hub.mode") == "subscribe" and hmac.compare_digest(token.encode(), self.fb_verify.encode()):
                return response.text(request.args.get("hub.challenge", ""))
            logger.warning("Messenger: webhook verification with a wrong verify token")
            return response.text("forbidden", status=403)

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not signature_valid(self.fb_secret, request.body, request.headers):
                logger.warning("Messenger: request with a wrong or missing signature rejected")
                return response.text("forbidden", status=403)
            for sender, text in messenger_events(request.json):
                output = self.get_output_channel()  # one per message: menu numbers restart
                await output.send_action(sender, "mark_seen")
                await output.send_action(sender, "typing_on")
                text = await resolve_menu_number(request.app, sender, text)
                await handle(UserMessage(text, output, sender, input_channel=self.name(),
                                         metadata=self.get_metadata(request)))
            return response.text("EVENT_RECEIVED")

        return bp
