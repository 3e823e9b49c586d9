"""Slack: Rasa's connector (which checks X-Slack-Signature and its timestamp), adapted.

Compared with `rasa.core.channels.slack.SlackInput` it
- answers Slack's `url_verification` challenge in plain text, as Slack documents;
- sends each reply as one message: a mrkdwn section (escaped, URLs stay links) and one
  actions block with up to 25 buttons, instead of one message per paragraph and no
  buttons at all beyond 5; no legacy `as_user`;
- can use another Web API address (`api_url`), e.g. a proxy or a test stand-in.
Button clicks arrive as interactivity payloads on the same URL.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.slack import SlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import Blueprint, response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from bot.channels.rest import never_silent
from bot.channels.connectors import FormattedOutput, str_credential
from bot.channels.platforms import PLATFORMS, Message

logger = logging.getLogger(__name__)


def slack_blocks(message: Message) -> list:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": message.text}}] if message.text else []
    if message.buttons:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "text": {"type": "plain_text", "text": b["title"]}, "value": b["payload"],
             "action_id": f"choice_{i}"}
            for i, b in enumerate(message.buttons, 1)]})
    return blocks


class SlackOutput(FormattedOutput, SlackBot):
    platform = PLATFORMS["slack"]

    def __init__(self, token: Text, slack_channel: Optional[Text] = None, thread_id: Optional[Text] = None,
                 proxy: Optional[Text] = None, api_url: Text = "") -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)

    async def deliver(self, recipient_id: Text, message: Message) -> None:
        await self._post_message(channel=self.slack_channel or recipient_id, text=message.text or " ",
                                 blocks=slack_blocks(message), unfurl_links=False)


class SlackInput(RasaSlackInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SlackInput":
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            slack_token=str_credential(credentials, "slack_token"),
            slack_channel=credentials.get("slack_channel") or None,
            proxy=credentials.get("proxy") or None,
            slack_retry_reason_header=credentials.get("slack_retry_reason_header", "x-slack-retry-reason"),
            slack_retry_number_header=credentials.get("slack_retry_number_header", "x-slack-retry-num"),
            errors_ignore_retry=credentials.get("errors_ignore_retry"),
            use_threads=bool(credentials.get("use_threads", False)),
            slack_signing_secret=str_credential(credentials, "slack_signing_secret"),
            conversation_granularity=credentials.get("conversation_granularity", "sender"),
            api_url=str_credential(credentials, "api_url"),
        )

    def __init__(self, *args: Any, api_url: Text = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> SlackOutput:
        return SlackOutput(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = super().blueprint(never_silent(on_new_message))

        @bp.middleware("request")
        async def url_verification(request: Request) -> Any:
            if request.method != "POST" or "json" not in request.headers.get("content-type", ""):
                return None
            body = request.json
            if not isinstance(body, dict) or body.get("type") != "url_verification":
                return None
            if not self.is_request_from_slack_authentic(request):
                return response.text("Message is not properly signed", status=400)
            return response.text(str(body.get("challenge", "")), content_type="text/plain")

        return bp
