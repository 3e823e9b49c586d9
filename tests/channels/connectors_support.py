"""Support for the per-platform end-to-end tests: secrets and keys, the platforms' API
stand-ins, one Rasa server with every platform on, and the platforms' request formats.
Fixtures are module-scoped and imported by the test module.
"""
from __future__ import annotations

import json
import time
import uuid

import jwt
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from bot.channels import config as channel_config
from tests.bot_servers import REPO, BotServers
from tests.platform_standins import PlatformStandIns

MYTH = "NATO is encircling Russia"
NATO_URL = "https://www.nato.int/cps/en/natohq/115204.htm"
PUBLIC_URL = "https://factcheck.example.org"
APP_ID = "8d2c0c6e-0000-4000-8000-00000000b07f"
SECRETS = {
    "TELEGRAM_TOKEN": "123456:TEST-telegram-token", "TELEGRAM_SECRET_TOKEN": "telegram-secret-0123",
    "SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "slack-signing-secret",
    "FACEBOOK_VERIFY_TOKEN": "fb-verify-token", "FACEBOOK_APP_SECRET": "fb-app-secret",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "fb-page-token",
    "TWILIO_ACCOUNT_SID": "AC" + "0123456789abcdef" * 2, "TWILIO_AUTH_TOKEN": "twilio-auth-token",
    "BOTFRAMEWORK_APP_ID": APP_ID, "BOTFRAMEWORK_APP_PASSWORD": "bot-framework-password",
}
SMS_NUMBER, WHATSAPP_NUMBER, SMS_MAX = "+15005550006", "+14155238886", 600


def platform_env(api: str) -> dict:
    return {**SECRETS,
            "TELEGRAM_WEBHOOK_URL": f"{PUBLIC_URL}/webhooks/telegram/webhook", "TELEGRAM_API_URL": f"{api}/telegram",
            "SLACK_API_URL": f"{api}/slack/api/", "FACEBOOK_GRAPH_URL": f"{api}/facebook/v19.0",
            "TWILIO_SMS_NUMBER": SMS_NUMBER, "TWILIO_WHATSAPP_NUMBER": WHATSAPP_NUMBER,
            "TWILIO_SMS_MAX_CHARS": str(SMS_MAX), "TWILIO_API_URL": f"{api}/twilio", "PUBLIC_URL": PUBLIC_URL,
            "BOTFRAMEWORK_OPENID_URL": f"{api}/botframework/openid",
            "BOTFRAMEWORK_TOKEN_URL": f"{api}/botframework/token"}


class Keys:
    """An RSA key pair standing in for Bot Framework's signing key, and a stranger's."""

    def __init__(self) -> None:
        self.private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "stand-in-key", "use": "sig", "endorsements": ["msteams"]}]}

    def token(self, service_url: str, key=None, **claims) -> str:
        now = int(time.time())
        body = {"iss": "https://api.botframework.com", "aud": APP_ID, "nbf": now - 10, "exp": now + 3600,
                "serviceurl": service_url, **claims}
        return jwt.encode(body, key or self.private, algorithm="RS256", headers={"kid": "stand-in-key"})


@pytest.fixture(scope="module")
def keys():
    return Keys()


@pytest.fixture(scope="module")
def api(keys):
    standins = PlatformStandIns(jwks=keys.jwks).start()
    yield standins
    standins.stop()


@pytest.fixture(scope="module")
def bot(api, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("channels")
    creds = channel_config.credentials(platform_env(api.url), channel_config.load_base(REPO / "credentials.yml"))
    channel_config.write(workdir / "credentials.yml", creds)
    with BotServers(workdir, credentials=workdir / "credentials.yml") as servers:
        yield servers


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def webhook(bot, name: str) -> str:
    return f"{bot.url}/webhooks/{name}/webhook"


def assert_rebuttal(text: str) -> None:
    assert "11%" in text and f'The claim "{MYTH}" is a myth.' in text
    assert "[1]" in text and "[1] NATO (" in text and NATO_URL in text


def assert_sources(text: str) -> None:
    assert f'Where the answer on "{MYTH}" comes from' in text and NATO_URL in text


# ---- Telegram ---------------------------------------------------------------------------------
def telegram_update(chat: int, text: str = "", data: str = "") -> dict:
    user = {"id": chat, "is_bot": False, "first_name": "Ann", "language_code": "en"}
    message = {"message_id": 1000 + len(text), "date": int(time.time()), "chat": {**user, "type": "private"},
               "from": user, "text": text or "earlier bot message"}
    if data:
        return {"update_id": 900001, "callback_query": {"id": "4382bfdwdsb323b2d9", "from": user, "message": message,
                                                        "chat_instance": "-8123", "data": data}}
    return {"update_id": 900000, "message": message}


def post_telegram(bot, update: dict, secret: str = SECRETS["TELEGRAM_SECRET_TOKEN"]):
    return requests.post(webhook(bot, "telegram"), json=update, timeout=60,
                         headers={"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {})


def telegram_sent(api, chat: int):
    return api.find(lambda c: c.path.endswith("/sendMessage") and str(c.body.get("chat_id")) == str(chat))
