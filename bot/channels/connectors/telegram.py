"""Telegram: Rasa's connector, with the webhook's secret token checked on every update.

Compared with `rasa.core.channels.telegram.TelegramInput` it
- registers the webhook with a `secret_token` after the server has started (not while the
  blueprint is built, outside the server's event loop), and rejects updates whose header
  `X-Telegram-Bot-Api-Secret-Token` does not match (Rasa instead calls getMe on every
  update, which checks nothing about the sender);
- answers button presses (answerCallbackQuery), maps /start and /help to greetings;
- sends each reply as one message (split only beyond 4096 characters) with one button per
  row, instead of one message per paragraph with all buttons on one row;
- can use another Bot API server (`api_url`), e.g. a self-hosted one or a test stand-in.
"""
from __future__ import annotations

import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable, Dict, Optional, Text, Tuple

from aiogram import Bot
from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer, check_token
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import never_silent
from bot.channels.connectors import FormattedOutput, resolve_menu_number, str_credential
from bot.channels.platforms import PLATFORMS, Message

logger = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
COMMANDS = {"start": "/greet", "help": "/ask_capabilities"}


def parse_update(update: Any) -> Optional[Tuple[str, str, Optional[str]]]:
    """(chat id, text, callback query id) of a text message or a button press, else None."""
    if not isinstance(update, dict):
        return None
    query = update.get("callback_query")
    if isinstance(query, dict) and isinstance(query.get("data"), str):
        chat = ((query.get("message") or {}).get("chat") or {}).get("id") or (query.get("from") or {}).get("id")
        return (str(chat), query["data"], str(query.get("id"))) if chat is not None else None
    message = update.get("message") or update.get("edited_message")
    if isinstance(message, dict) and isinstance(message.get("text"), str):
        chat = (message.get("chat") or {}).get("id")
        return (str(chat), message["text"], None) if chat is not None else None
    return None


def command_text(text: str) -> str:
    """/start and /help (also as /start@SomeBot) become the bot's greeting and help intents."""
    match = re.fullmatch(r"/([a-z_]+)(@\w+)?", text.strip())
    return COMMANDS.get(match.group(1), text) if match else text


class TelegramOutput(FormattedOutput, OutputChannel):
    platform = PLATFORMS["telegram"]

    @classmethod
    def name(cls) -> Text:
        return "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def deliver(self, recipient_id: Text, message: Message) -> None:
        markup = None
        if message.buttons:
            rows = [[InlineKeyboardButton(b["title"], callback_data=b["payload"])] for b in message.buttons]
            markup = InlineKeyboardMarkup(inline_keyboard=rows)
        await self.bot.send_message(recipient_id, message.text, reply_markup=markup, disable_web_page_preview=True)


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "TelegramInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(str_credential(credentials, "access_token"), str_credential(credentials, "webhook_url"),
                   str_credential(credentials, "secret_token"), str_credential(credentials, "api_url"))

    def __init__(self, access_token: Text, webhook_url: Text, secret_token: Text, api_url: Text = "") -> None:
        super().__init__(access_token, None, webhook_url, debug_mode=False)
        if not secret_token:
            raise ValueError("Telegram needs a secret_token (TELEGRAM_SECRET_TOKEN)")
        check_token(access_token)  # a malformed token fails at start-up, not on the first message
        self.secret_token = secret_token
        self.api_url = api_url
        self._bot: Optional[Bot] = None

    def bot(self) -> Bot:
        if self._bot is None:  # created inside the server's event loop, on first use
            server = TelegramAPIServer.from_base(self.api_url) if self.api_url else TELEGRAM_PRODUCTION
            self._bot = Bot(self.access_token, server=server)
        return self._bot

    def get_output_channel(self) -> TelegramOutput:
        return TelegramOutput(self.bot())

    async def set_webhook(self) -> bool:
        data = {"url": self.webhook_url, "secret_token": self.secret_token,
                "allowed_updates": json.dumps(["message", "edited_message", "callback_query"])}
        return bool(await self.bot().request("setWebhook", data))

    def authentic(self, request: Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "")
        return hmac.compare_digest(given.encode(), self.secret_token.encode())

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        handle = never_silent(on_new_message)
        bp = Blueprint("telegram_webhook", __name__)

        @bp.listener("after_server_start")
        async def register_webhook(app: Any, loop: Any) -> None:
            try:
                ok = await self.set_webhook()
                logger.info("Telegram webhook %s: %s", "set" if ok else "NOT set", self.webhook_url)
            except Exception:  # the other channels keep working; POST .../set_webhook retries
                logger.exception("Telegram: could not set the webhook to %s", self.webhook_url)

        @bp.listener("before_server_stop")
        async def close_session(app: Any, loop: Any) -> None:
            if self._bot is not None and self._bot._session is not None:
                await self._bot._session.close()

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/set_webhook", methods=["POST"])
        async def set_webhook(_: Request) -> HTTPResponse:
            ok = await self.set_webhook()
            return response.text("Webhook setup successful" if ok else "Invalid webhook", status=200 if ok else 502)

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            if not self.authentic(request):
                logger.warning("Telegram: update with a wrong or missing secret token rejected")
                return response.text("forbidden", status=403)
            parsed = parse_update(request.json)
            if parsed is None:
                return response.text("ignored")
            chat_id, text, query_id = parsed
            if query_id:
                try:  # stops the button's spinner
                    await self.bot().answer_callback_query(query_id)
                except Exception:
                    logger.warning("Telegram: answerCallbackQuery failed", exc_info=True)
            text = await resolve_menu_number(request.app, chat_id, command_text(text))
            await handle(UserMessage(text, self.get_output_channel(), chat_id, input_channel=self.name(),
                                     metadata=self.get_metadata(request)))
            return response.text("success")

        return bp
