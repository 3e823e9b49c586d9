"""End to end, per chat platform: a webhook request in the platform's documented format
goes to the running Rasa server, and the reply that would go back to the platform is
captured by a local stand-in of the platform's HTTP API (tests/platform_standins.py),
then checked: the right rebuttal, its figures and citation link, buttons or a numbered
menu, and long replies split. Requests with a wrong signature or token are rejected and
answered with nothing. One Rasa server with every platform on, configured only from
environment variables through bot/channels/config.py, serves the whole module.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from urllib.parse import urlencode

import pytest
import requests
from twilio.request_validator import RequestValidator

from tests.channels.connectors_support import (  # noqa: F401  (fixtures)
    SMS_MAX,
    SMS_NUMBER,
    WHATSAPP_NUMBER,
    APP_ID,
    MYTH,
    NATO_URL,
    PUBLIC_URL,
    SECRETS,
    api,
    assert_rebuttal,
    assert_sources,
    bot,
    keys,
    new_id,
    post_telegram,
    telegram_sent,
    telegram_update,
    webhook,
)


def test_telegram_webhook_is_registered_with_its_secret(bot, api):
    calls = api.wait_for(lambda c: c.path.endswith("/setWebhook"))
    assert calls and calls[0].path == f"/telegram/bot{SECRETS['TELEGRAM_TOKEN']}/setWebhook"
    assert calls[0].body["url"] == f"{PUBLIC_URL}/webhooks/telegram/webhook"
    assert calls[0].body["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]


def test_telegram_rebuttal_with_inline_buttons_then_a_button_press(bot, api):
    chat = 7_000_001
    assert post_telegram(bot, telegram_update(chat, MYTH)).status_code == 200
    [reply] = telegram_sent(api, chat)
    assert_rebuttal(reply.body["text"])
    rows = json.loads(reply.body["reply_markup"])["inline_keyboard"]
    assert [row[0]["callback_data"] for row in rows][:2] == ["/ask_sources", "/ask_more"]
    assert all(len(row) == 1 for row in rows)  # one button per row: long titles stay readable

    assert post_telegram(bot, telegram_update(chat, data="/ask_sources")).status_code == 200
    assert api.find(lambda c: c.path.endswith("/answerCallbackQuery"))
    assert_sources(telegram_sent(api, chat)[-1].body["text"])


def test_telegram_start_command_is_greeted(bot, api):
    chat = 7_000_003
    assert post_telegram(bot, telegram_update(chat, "/start")).status_code == 200
    [reply] = telegram_sent(api, chat)
    assert reply.body["text"].startswith("Hello! I fact-check claims about NATO")


@pytest.mark.parametrize("secret", ["", "wrong-secret"])
def test_telegram_rejects_a_wrong_secret_token(bot, api, secret):
    chat = 7_000_002
    assert post_telegram(bot, telegram_update(chat, MYTH), secret=secret).status_code == 403
    assert telegram_sent(api, chat) == []


# ---- Slack ---------------------------------------------------------------------------------------
def slack_post(bot, body: bytes, content_type: str, secret: str = SECRETS["SLACK_SIGNING_SECRET"], age: int = 0):
    ts = str(int(time.time()) - age)
    signature = "v0=" + hmac.new(secret.encode(), f"v0:{ts}:".encode() + body, hashlib.sha256).hexdigest()
    return requests.post(webhook(bot, "slack"), data=body, timeout=60, headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature})


def slack_event(user: str, channel: str, text: str) -> bytes:
    ts = f"{time.time():.6f}"
    return json.dumps({
        "token": "legacy-verification-token", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
        "event": {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts, "event_ts": ts,
                  "channel_type": "im"},
        "event_id": f"Ev{new_id()}", "event_time": int(time.time()),
        "authorizations": [{"team_id": "T0001", "user_id": "UBOT0001", "is_bot": True}]}).encode()


def slack_click(user: str, channel: str, value: str) -> bytes:
    payload = {"type": "block_actions", "user": {"id": user, "username": "ann", "team_id": "T0001"},
               "api_app_id": "A0001", "team": {"id": "T0001"}, "channel": {"id": channel, "name": "directmessage"},
               "message": {"type": "message", "ts": f"{time.time():.6f}", "text": "earlier reply"},
               "actions": [{"type": "button", "action_id": "choice_1", "block_id": "b1", "value": value,
                            "text": {"type": "plain_text", "text": "Sources"}, "action_ts": f"{time.time():.6f}"}]}
    return urlencode({"payload": json.dumps(payload)}).encode()


def slack_sent(api, channel: str, count: int):
    return api.wait_for(lambda c: c.path.endswith("/chat.postMessage") and c.body.get("channel") == channel, count)


def test_slack_url_verification_challenge(bot):
    body = json.dumps({"token": "x", "challenge": "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdAL", "type": "url_verification"})
    reply = slack_post(bot, body.encode(), "application/json")
    assert reply.status_code == 200 and reply.text == "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdAL"


def test_slack_rebuttal_as_blocks_then_a_button_click(bot, api):
    user, channel = "U" + new_id().upper(), "D" + new_id().upper()
    assert slack_post(bot, slack_event(user, channel, MYTH), "application/json").status_code == 200
    [reply] = slack_sent(api, channel, 1)
    assert reply.headers["authorization"] == f"Bearer {SECRETS['SLACK_BOT_TOKEN']}"
    section, actions = reply.body["blocks"]
    assert section["text"]["type"] == "mrkdwn"
    assert_rebuttal(section["text"]["text"])
    assert [e["value"] for e in actions["elements"]][:2] == ["/ask_sources", "/ask_more"]

    click = slack_click(user, channel, "/ask_sources")
    assert slack_post(bot, click, "application/x-www-form-urlencoded").status_code == 200
    replies = slack_sent(api, channel, 2)
    assert_sources(replies[-1].body["text"])


@pytest.mark.parametrize("secret,age", [("not-the-signing-secret", 0), (SECRETS["SLACK_SIGNING_SECRET"], 600)])
def test_slack_rejects_bad_or_stale_signatures(bot, api, secret, age):
    channel = "D" + new_id().upper()
    reply = slack_post(bot, slack_event("UEVE", channel, MYTH), "application/json", secret=secret, age=age)
    assert reply.status_code == 400
    assert api.find(lambda c: c.body and c.body.get("channel") == channel) == []


# ---- Facebook Messenger ---------------------------------------------------------------------------
def messenger_delivery(psid: str, text: str, quick_reply: str = "") -> bytes:
    message = {"mid": f"m_{new_id()}", "text": text}
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return json.dumps({"object": "page", "entry": [{"id": "PAGE_ID", "time": int(time.time() * 1000), "messaging": [
        {"sender": {"id": psid}, "recipient": {"id": "PAGE_ID"}, "timestamp": int(time.time() * 1000),
         "message": message}]}]}).encode()


def post_messenger(bot, body: bytes, secret: str = SECRETS["FACEBOOK_APP_SECRET"]):
    signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return requests.post(webhook(bot, "facebook"), data=body, timeout=60,
                         headers={"Content-Type": "application/json", "X-Hub-Signature-256": signature})


def messenger_sent(api, psid: str):
    return api.find(lambda c: c.path == "/facebook/v19.0/me/messages" and c.body.get("message")
                    and c.body["recipient"]["id"] == psid)


def test_messenger_webhook_verification(bot):
    query = {"hub.mode": "subscribe", "hub.verify_token": SECRETS["FACEBOOK_VERIFY_TOKEN"], "hub.challenge": "1158201444"}
    assert requests.get(webhook(bot, "facebook"), params=query, timeout=30).text == "1158201444"
    query["hub.verify_token"] = "wrong"
    assert requests.get(webhook(bot, "facebook"), params=query, timeout=30).status_code == 403


def test_messenger_rebuttal_with_quick_replies_then_a_tap(bot, api):
    psid = "2" + str(uuid.uuid4().int)[:15]
    assert post_messenger(bot, messenger_delivery(psid, MYTH)).status_code == 200
    [reply] = messenger_sent(api, psid)
    assert reply.query["access_token"] == SECRETS["FACEBOOK_PAGE_ACCESS_TOKEN"] and reply.query["appsecret_proof"]
    assert reply.body["messaging_type"] == "RESPONSE"
    message = reply.body["message"]
    assert_rebuttal(message["text"]) and len(message["text"]) <= 2000
    quick = message["quick_replies"]
    assert [q["payload"] for q in quick][:2] == ["/ask_sources", "/ask_more"]
    assert all(len(q["title"]) <= 20 for q in quick)
    assert "3. Related: NATO's deployments near Russia" in message["text"]  # long titles listed in full
    assert api.find(lambda c: c.body and c.body.get("sender_action") == "mark_seen"
                    and c.body["recipient"]["id"] == psid)

    assert post_messenger(bot, messenger_delivery(psid, "1. Sources", quick_reply="/ask_sources")).status_code == 200
    assert_sources(messenger_sent(api, psid)[-1].body["message"]["text"])


def test_messenger_rejects_a_wrong_signature(bot, api):
    psid = "3" + str(uuid.uuid4().int)[:15]
    assert post_messenger(bot, messenger_delivery(psid, MYTH), secret="not-the-app-secret").status_code == 403
    assert requests.post(webhook(bot, "facebook"), data=messenger_delivery(psid, MYTH), timeout=30,
                         headers={"Content-Type": "application/json"}).status_code == 403
    assert api.find(lambda c: c.body and (c.body.get("recipient") or {}).get("id") == psid) == []


# ---- Twilio: SMS and WhatsApp ------------------------------------------------------------------------
def twilio_form(sender: str, to: str, text: str) -> dict:
    sid = "SM" + uuid.uuid4().hex
    return {"ToCountry": "US", "ToState": "CA", "SmsMessageSid": sid, "NumMedia": "0", "ToCity": "", "FromZip": "",
            "SmsSid": sid, "FromState": "", "SmsStatus": "received", "FromCity": "", "Body": text, "FromCountry": "GB",
            "To": to, "ToZip": "", "NumSegments": "1", "MessageSid": sid, "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
            "From": sender, "ApiVersion": "2010-04-01"}


def post_twilio(bot, name: str, form: dict, token: str = SECRETS["TWILIO_AUTH_TOKEN"], signed_url: str = ""):
    url = signed_url or f"{PUBLIC_URL}/webhooks/{name}/webhook"  # the address Twilio was given
    signature = RequestValidator(token).compute_signature(url, form)
    return requests.post(webhook(bot, name), data=form, headers={"X-Twilio-Signature": signature}, timeout=60)


def twilio_sent(api, to: str):
    return api.find(lambda c: c.path == f"/twilio/2010-04-01/Accounts/{SECRETS['TWILIO_ACCOUNT_SID']}/Messages.json"
                    and c.body.get("To") == to)


def test_sms_rebuttal_split_into_parts_with_a_numbered_menu_then_a_number(bot, api):
    phone = "+4479" + str(uuid.uuid4().int)[:8]
    assert post_twilio(bot, "twilio", twilio_form(phone, SMS_NUMBER, MYTH)).status_code == 200
    parts = twilio_sent(api, phone)
    assert len(parts) >= 2 and all(p.body["From"] == SMS_NUMBER for p in parts)
    assert all(p.headers["authorization"].startswith("Basic ") for p in parts)
    bodies = [p.body["Body"] for p in parts]
    assert all(len(b) <= SMS_MAX for b in bodies)
    assert [b.split(" ", 1)[0] for b in bodies] == [f"({i}/{len(bodies)})" for i in range(1, len(bodies) + 1)]
    whole = "\n".join(bodies)
    assert_rebuttal(whole)
    assert any(NATO_URL in line and line.startswith("[1] NATO") for line in whole.splitlines())
    assert "Reply with a number:\n1. Sources\n2. More detail" in bodies[-1]
    assert all(ord(ch) < 128 for ch in whole)  # GSM-friendly punctuation

    assert post_twilio(bot, "twilio", twilio_form(phone, SMS_NUMBER, "1")).status_code == 200
    assert_sources("\n".join(p.body["Body"] for p in twilio_sent(api, phone)[len(parts):]))


def test_whatsapp_rebuttal_with_a_numbered_menu(bot, api):
    phone = "whatsapp:+3161" + str(uuid.uuid4().int)[:7]
    assert post_twilio(bot, "whatsapp", twilio_form(phone, f"whatsapp:{WHATSAPP_NUMBER}", MYTH)).status_code == 200
    [reply] = twilio_sent(api, phone)
    assert reply.body["From"] == f"whatsapp:{WHATSAPP_NUMBER}"
    assert_rebuttal(reply.body["Body"])
    assert "Reply with a number:\n1. Sources" in reply.body["Body"]

    assert post_twilio(bot, "whatsapp", twilio_form(phone, f"whatsapp:{WHATSAPP_NUMBER}", "2")).status_code == 200
    # "More detail" may be split into parts "(1/2)", "(2/2)": the first part names the topic
    more = [m.body["Body"] for m in twilio_sent(api, phone) if f'More on "{MYTH}"' in m.body["Body"]]
    assert more and (more[-1].startswith("(1/") or more[-1].startswith("More on"))


def test_whatsapp_in_ukrainian_rebuttal_menu_and_followup(bot, api):
    from bot.knowledge import load_content

    uk = load_content().for_language("uk")
    myth = uk.kb.myths["encirclement"]
    phone = "whatsapp:+38067" + str(uuid.uuid4().int)[:7]
    sender = f"whatsapp:{WHATSAPP_NUMBER}"
    assert post_twilio(bot, "whatsapp", twilio_form(phone, sender, "НАТО оточує Росію з усіх боків")).status_code == 200
    [reply] = twilio_sent(api, phone)
    body = reply.body["Body"]
    assert myth.lead.text.rstrip(".") in body and NATO_URL in body
    prompt = uk.templates.fill("platform_menu_prompt")
    first = uk.templates.fill("platform_menu_item", n=1, title=uk.templates.fill("button_sources"))
    assert f"{prompt}\n{first}" in body

    before = len(twilio_sent(api, phone))
    assert post_twilio(bot, "whatsapp", twilio_form(phone, sender, "1")).status_code == 200
    sources = "\n".join(m.body["Body"] for m in twilio_sent(api, phone)[before:])  # one reply, maybe in parts
    assert myth.claim in sources and uk.kb.sources["nato_2024"].date in sources


@pytest.mark.parametrize("name,how", [("twilio", "wrong token"), ("twilio", "no signature"),
                                      ("twilio", "signed for another URL"), ("whatsapp", "wrong token")])
def test_twilio_rejects_requests_without_a_valid_signature(bot, api, name, how):
    phone = "+4479" + str(uuid.uuid4().int)[:8]
    form = twilio_form(phone, SMS_NUMBER, MYTH)
    if how == "no signature":
        reply = requests.post(webhook(bot, name), data=form, timeout=60)
    elif how == "wrong token":
        reply = post_twilio(bot, name, form, token="not-the-auth-token")
    else:
        reply = post_twilio(bot, name, form, signed_url=f"https://attacker.example/webhooks/{name}/webhook")
    assert reply.status_code == 403
    assert twilio_sent(api, phone) == []


def test_a_forged_sms_cannot_change_a_signed_one(bot, api):
    phone = "+4479" + str(uuid.uuid4().int)[:8]
    form = twilio_form(phone, SMS_NUMBER, "hello")
    signature = RequestValidator(SECRETS["TWILIO_AUTH_TOKEN"]).compute_signature(
        f"{PUBLIC_URL}/webhooks/twilio/webhook", form)
    form["Body"] = MYTH  # changed after signing
    reply = requests.post(webhook(bot, "twilio"), data=form, headers={"X-Twilio-Signature": signature}, timeout=60)
    assert reply.status_code == 403 and twilio_sent(api, phone) == []


# ---- Microsoft Teams (Bot Framework) -------------------------------------------------------------------
def teams_activity(api, user: str, conversation: str, text: str) -> dict:
    return {"type": "message", "id": f"1{new_id()}", "timestamp": "2026-11-24T00:00:00.000Z",
            "serviceUrl": f"{api.url}/botframework/service/", "channelId": "msteams",
            "from": {"id": user, "name": "Ann", "aadObjectId": str(uuid.uuid4())},
            "conversation": {"conversationType": "personal", "tenantId": "tenant-1", "id": conversation},
            "recipient": {"id": f"28:{APP_ID}", "name": "FactCheck"}, "textFormat": "plain", "locale": "en-GB",
            "text": text, "entities": [{"type": "clientInfo", "locale": "en-GB", "platform": "Web"}],
            "channelData": {"tenant": {"id": "tenant-1"}}}


def post_teams(bot, activity: dict, token: str = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.post(webhook(bot, "botframework"), json=activity, headers=headers, timeout=60)


def teams_sent(api, conversation: str):
    return api.find(lambda c: c.path == f"/botframework/service/v3/conversations/{conversation}/activities")


def test_teams_rebuttal_with_hero_card_buttons_then_a_click(bot, api, keys):
    user, conversation = f"29:{new_id()}", f"a:{new_id()};messageid=1"
    activity = teams_activity(api, user, conversation, f"<at>FactCheck</at> {MYTH}")
    assert post_teams(bot, activity, keys.token(activity["serviceUrl"])).status_code == 200
    [reply] = teams_sent(api, conversation)
    assert reply.headers["authorization"] == "Bearer stand-in-access-token"
    token_calls = api.find(lambda c: c.path == "/botframework/token")
    assert token_calls and token_calls[0].body["client_id"] == APP_ID
    assert token_calls[0].body["grant_type"] == "client_credentials"
    body = reply.body
    assert body["type"] == "message" and body["recipient"]["id"] == user and body["textFormat"] == "markdown"
    assert "11%" in body["text"] and "is a myth" in body["text"] and f"]({NATO_URL})" in body["text"]
    actions = body["attachments"][0]["content"]["buttons"]
    assert [a["text"] for a in actions][:2] == ["/ask_sources", "/ask_more"]
    assert actions[0]["type"] == "messageBack" and actions[0]["displayText"] == "Sources"

    click = teams_activity(api, user, conversation, "/ask_sources")
    assert post_teams(bot, click, keys.token(click["serviceUrl"])).status_code == 200
    text = teams_sent(api, conversation)[-1].body["text"]
    assert f'Where the answer on "{MYTH}" comes from' in text and NATO_URL in text


@pytest.mark.parametrize("how", ["no token", "signed by a stranger", "wrong audience", "wrong issuer",
                                 "other serviceUrl", "expired", "unendorsed channel"])
def test_teams_rejects_invalid_tokens(bot, api, keys, how):
    conversation = f"a:{new_id()}"
    activity = teams_activity(api, f"29:{new_id()}", conversation, MYTH)
    service = activity["serviceUrl"]
    token = {
        "no token": None,
        "signed by a stranger": keys.token(service, key=keys.stranger),
        "wrong audience": keys.token(service, aud="another-bot"),
        "wrong issuer": keys.token(service, iss="https://sts.example"),
        "other serviceUrl": keys.token("https://attacker.example/"),
        "expired": keys.token(service, exp=int(time.time()) - 3600, nbf=int(time.time()) - 7200),
        "unendorsed channel": keys.token(service),
    }[how]
    if how == "unendorsed channel":
        activity["channelId"] = "webchat"
    assert post_teams(bot, activity, token).status_code == 401
    assert teams_sent(api, conversation) == []
