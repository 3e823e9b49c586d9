"""Microsoft Bot Framework (Teams): Rasa's connector with a complete token check, adapted.

Compared with `rasa.core.channels.botframework.BotFrameworkInput` it
- accepts only RS256 tokens signed by a key of Bot Framework's OpenID metadata, with the
  bot's app id as audience, Bot Framework as issuer, a `serviceurl` claim equal to the
  activity's serviceUrl (replies, which carry our access token, go there) and, where the
  key lists endorsements, the activity's channel among them; anything else gets 401.
  (Rasa takes the algorithm from the token's own header and checks no issuer or
  serviceUrl.) If the keys cannot be fetched at start-up, it logs it and retries (at most
  once a minute) instead of failing the whole server;
- sends each reply as one activity in markdown (URLs as links), with its buttons as
  `messageBack` actions on hero cards of up to 6, instead of one activity per paragraph
  and buttons Teams cannot render; strips "<at>Bot</at>" mentions from Teams messages;
- gets its access token for single-tenant bots from their tenant (`tenant_id`), calls
  HTTP in worker threads, and can use other OpenID and token addresses (tests).
"""
from __future__ import annotations

import asyncio
import datetime
import logging
import re
import time
from typing import Any, Awaitable, Callable, Dict, List, Optional, Sequence, Text
from urllib.parse import quote

import jwt
import requests
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.botframework import BotFramework
from rasa.core.channels.botframework import BotFrameworkInput as RasaBotFrameworkInput
from rasa.core.channels.channel import UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import never_silent
from bot.channels.connectors import FormattedOutput, resolve_menu_number, str_credential
from bot.channels.platforms import PLATFORMS, Message

logger = logging.getLogger(__name__)
OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
ISSUER = "https://api.botframework.com"
SCOPE = "https://api.botframework.com/.default"
TIMEOUT = 20
BUTTONS_PER_CARD = 6


def token_url_for(tenant_id: str = "") -> str:
    return f"https://login.microsoftonline.com/{tenant_id or 'botframework.com'}/oauth2/v2.0/token"


def strip_mentions(text: str) -> str:
    """Teams puts "<at>Bot name</at>" into messages that mention the bot."""
    return re.sub(r"<at>.*?</at>", " ", text or "").strip()


def hero_cards(buttons: Sequence[Dict[str, str]]) -> List[Dict[str, Any]]:
    """Hero cards of up to 6 messageBack buttons: a click sends the payload, shows the title."""
    cards = []
    for start in range(0, len(buttons), BUTTONS_PER_CARD):
        actions = [{"type": "messageBack", "title": b["title"], "text": b["payload"], "displayText": b["title"],
                    "value": {"payload": b["payload"]}} for b in buttons[start:start + BUTTONS_PER_CARD]]
        cards.append({"contentType": "application/vnd.microsoft.card.hero", "content": {"buttons": actions}})
    return cards


class TokenCache:
    """The bot's own access token for the Bot Connector API (client credentials grant)."""

    def __init__(self, app_id: str, app_password: str, token_url: str) -> None:
        self.app_id, self.app_password, self.token_url = app_id, app_password, token_url
        self.token: Optional[str] = None
        self.expires = 0.0

    async def headers(self) -> Dict[str, str]:
        if self.token is None or time.time() > self.expires - 300:
            data = {"grant_type": "client_credentials", "client_id": self.app_id,
                    "client_secret": self.app_password, "scope": SCOPE}
            reply = await asyncio.to_thread(requests.post, self.token_url, data=data, timeout=TIMEOUT)
            reply.raise_for_status()
            body = reply.json()
            self.token, self.expires = body["access_token"], time.time() + int(body.get("expires_in", 3600))
        return {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"}


class BotFrameworkOutput(FormattedOutput, BotFramework):
    platform = PLATFORMS["botframework"]

    def __init__(self, app_id: Text, app_password: Text, conversation: Dict[Text, Any], bot: Any,
                 service_url: Text, tokens: TokenCache) -> None:
        super().__init__(app_id, app_password, conversation, bot, service_url)
        self.tokens = tokens

    async def deliver(self, recipient_id: Text, message: Message) -> None:
        activity = self.prepare_message(recipient_id, {"text": message.text, "textFormat": "markdown"})
        if message.buttons:
            activity["attachments"] = hero_cards(message.buttons)
            activity["attachmentLayout"] = "list"
        await self.send(activity)

    async def send(self, message_data: Dict[Text, Any]) -> None:
        url = f"{self.global_uri}conversations/{quote(str(self.conversation['id']), safe='')}/activities"
        headers = await self.tokens.headers()
        reply = await asyncio.to_thread(requests.post, url, headers=headers, json=message_data, timeout=TIMEOUT)
        if not reply.ok:
            logger.error("Bot Framework: sending failed (%s): %s", reply.status_code, reply.text[:500])


class BotFrameworkInput(RasaBotFrameworkInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "BotFrameworkInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(str_credential(credentials, "app_id"), str_credential(credentials, "app_password"),
                   tenant_id=str_credential(credentials, "tenant_id"),
                   openid_url=str_credential(credentials, "openid_url"),
                   token_url=str_credential(credentials, "token_url"))

    def __init__(self, app_id: Text, app_password: Text, tenant_id: Text = "", openid_url: Text = "",
                 token_url: Text = "") -> None:
        if not (app_id and app_password):
            raise ValueError("Bot Framework needs the app id and the app password")
        self.openid_url = openid_url or OPENID_URL
        self.issuer = ISSUER
        self.tokens = TokenCache(app_id, app_password, token_url or token_url_for(tenant_id))
        super().__init__(app_id, app_password)  # fetches the signing keys

    def _update_cached_jwk_keys(self) -> None:
        self.last_key_fetch = time.monotonic()
        try:
            config = requests.get(self.openid_url, timeout=TIMEOUT)
            config.raise_for_status()
            metadata = config.json()
            self.issuer = metadata.get("issuer") or ISSUER  # another cloud has another issuer
            keys = requests.get(metadata["jwks_uri"], timeout=TIMEOUT)
            keys.raise_for_status()
            self.jwt_keys = {key["kid"]: key for key in keys.json()["keys"]}
            self.jwt_update_time = datetime.datetime.now()
        except Exception:
            logger.exception("Bot Framework: could not fetch the signing keys from %s", self.openid_url)

    def token_problem(self, auth_header: Optional[str], activity: Dict[str, Any]) -> Optional[str]:
        """Why the request's token is not acceptable, or None when it is."""
        match = re.fullmatch(r"Bearer\s+(\S+)", auth_header or "")
        if not match:
            return "no Bearer token"
        token = match.group(1)
        try:
            header = jwt.get_unverified_header(token)
            stale = datetime.datetime.now() - self.jwt_update_time > datetime.timedelta(days=1)
            unknown = header.get("kid") not in self.jwt_keys  # keys roll over; fetch at most once a minute
            if (stale or unknown) and time.monotonic() - self.last_key_fetch > 60:
                self._update_cached_jwk_keys()
            key = self.jwt_keys.get(header.get("kid"))
            if key is None or header.get("alg") != "RS256":
                return "unknown signing key or algorithm"
            claims = jwt.decode(token, key=RSAAlgorithm.from_jwk(key), algorithms=["RS256"], audience=self.app_id,
                                issuer=self.issuer, leeway=300, options={"require": ["exp", "iss", "aud"]})
        except jwt.PyJWTError as error:
            return f"invalid token ({error})"
        service_url = claims.get("serviceurl") or claims.get("serviceUrl")
        if not service_url or service_url.rstrip("/") != str(activity.get("serviceUrl", "")).rstrip("/"):
            return "the token's serviceurl does not match the activity"
        endorsements = key.get("endorsements")
        if endorsements is not None and activity.get("channelId") not in endorsements:
            return "the signing key is not endorsed for this channel"
        return None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = never_silent(on_new_message)
        bp = Blueprint("botframework_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            activity = request.json
            if not isinstance(activity, dict):
                return response.text("bad request", status=400)
            problem = await asyncio.to_thread(self.token_problem, request.headers.get("Authorization"), activity)
            if problem:
                logger.warning("Bot Framework: request rejected: %s", problem)
                return response.text("Could not validate the token.", status=401)
            if activity.get("type") != "message":
                return response.text("ignored")
            value = activity.get("value") if isinstance(activity.get("value"), dict) else {}
            text = strip_mentions(activity.get("text") or "") or str(value.get("payload") or "")
            sender = (activity.get("from") or {}).get("id")
            if not text or not sender or not activity.get("serviceUrl") or not activity.get("conversation"):
                return response.text("ignored")
            output = BotFrameworkOutput(self.app_id, self.app_password, activity["conversation"],
                                        activity.get("recipient"), activity["serviceUrl"], self.tokens)
            text = await resolve_menu_number(request.app, sender, text)
            await handle(UserMessage(text, output, sender, input_channel=self.name(),
                                     metadata=self.get_metadata(request)))
            return response.text("success")

        return bp
