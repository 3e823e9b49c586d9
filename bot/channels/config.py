"""Which chat platforms are on, from environment variables alone (docs/channels.md).

`credentials(env, base)` is a pure function: the base credentials (credentials.yml: the
REST channel and the website widget, always on) plus one entry per platform whose
variables are set. A platform whose variables are all absent stays off; one with only
some of them set is an error that names the missing ones. Secrets live only in the
environment and in the generated file (build/credentials.yml, readable by its owner only).

    python -m bot.channels.config --out build/credentials.yml   # scripts/run.sh does this
"""
from __future__ import annotations

import argparse
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

REPO = Path(__file__).resolve().parents[2]


class ChannelConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Channel:
    name: str  # Rasa's channel name: the webhook is /webhooks/<name>/webhook
    title: str
    connector: str  # class path, the key in the credentials file
    required: Mapping[str, str]  # credential key -> environment variable
    optional: Mapping[str, str] = field(default_factory=dict)
    # the variables that say "switch this platform on" (default: all required ones)
    switches: Tuple[str, ...] = ()

    def switch_variables(self) -> Tuple[str, ...]:
        return self.switches or tuple(self.required.values())

    @property
    def webhook_path(self) -> str:
        return f"/webhooks/{self.name}/webhook"


TWILIO_ACCOUNT = {"account_sid": "TWILIO_ACCOUNT_SID", "auth_token": "TWILIO_AUTH_TOKEN"}
TWILIO_OPTIONAL = {"api_url": "TWILIO_API_URL", "public_url": "PUBLIC_URL"}

CHANNELS: Tuple[Channel, ...] = (
    Channel("telegram", "Telegram", "bot.channels.connectors.telegram.TelegramInput",
            {"access_token": "TELEGRAM_TOKEN", "webhook_url": "TELEGRAM_WEBHOOK_URL",
             "secret_token": "TELEGRAM_SECRET_TOKEN"},
            {"api_url": "TELEGRAM_API_URL"}),
    Channel("slack", "Slack", "bot.channels.connectors.slack.SlackInput",
            {"slack_token": "SLACK_BOT_TOKEN", "slack_signing_secret": "SLACK_SIGNING_SECRET"},
            {"slack_channel": "SLACK_CHANNEL", "api_url": "SLACK_API_URL"}),
    Channel("facebook", "Facebook Messenger", "bot.channels.connectors.facebook.FacebookInput",
            {"verify": "FACEBOOK_VERIFY_TOKEN", "secret": "FACEBOOK_APP_SECRET",
             "page-access-token": "FACEBOOK_PAGE_ACCESS_TOKEN"},
            {"graph_url": "FACEBOOK_GRAPH_URL"}),
    Channel("twilio", "SMS (Twilio)", "bot.channels.connectors.twilio.TwilioInput",
            {**TWILIO_ACCOUNT, "twilio_number": "TWILIO_SMS_NUMBER"},
            {**TWILIO_OPTIONAL, "max_chars": "TWILIO_SMS_MAX_CHARS"}, switches=("TWILIO_SMS_NUMBER",)),
    Channel("whatsapp", "WhatsApp (Twilio)", "bot.channels.connectors.twilio.TwilioWhatsAppInput",
            {**TWILIO_ACCOUNT, "twilio_number": "TWILIO_WHATSAPP_NUMBER"},
            dict(TWILIO_OPTIONAL), switches=("TWILIO_WHATSAPP_NUMBER",)),
    Channel("botframework", "Microsoft Teams (Bot Framework)", "bot.channels.connectors.botframework.BotFrameworkInput",
            {"app_id": "BOTFRAMEWORK_APP_ID", "app_password": "BOTFRAMEWORK_APP_PASSWORD"},
            {"tenant_id": "BOTFRAMEWORK_TENANT_ID", "openid_url": "BOTFRAMEWORK_OPENID_URL",
             "token_url": "BOTFRAMEWORK_TOKEN_URL"}),
)

_URL_KEYS = {"webhook_url", "api_url", "public_url", "graph_url", "openid_url", "token_url"}


def _value(env: Mapping[str, str], name: str) -> str:
    return (env.get(name) or "").strip()


def _check(channel: Channel, values: Dict[str, Any]) -> None:
    for key, value in values.items():
        variable = channel.required.get(key) or channel.optional.get(key)
        if key in _URL_KEYS and not re.match(r"https?://[^\s/]+", value):
            raise ChannelConfigError(f"{channel.title}: {variable} must be an http(s) URL, not {value!r}")
    if channel.name == "telegram":
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", values["secret_token"]):
            raise ChannelConfigError("Telegram: TELEGRAM_SECRET_TOKEN must be 1-256 characters "
                                     "A-Z, a-z, 0-9, _ or - (e.g. the output of `openssl rand -hex 32`)")
        if not re.fullmatch(r"\d+:[\w-]+", values["access_token"]):
            raise ChannelConfigError("Telegram: TELEGRAM_TOKEN does not look like a bot token (123456:ABC...)")
    if "max_chars" in values:
        if not values["max_chars"].isdigit() or not 160 <= int(values["max_chars"]) <= 1600:
            raise ChannelConfigError(f"{channel.title}: TWILIO_SMS_MAX_CHARS must be a number from 160 to 1600")
        values["max_chars"] = int(values["max_chars"])
    if channel.name == "whatsapp" and not values["twilio_number"].startswith("whatsapp:"):
        values["twilio_number"] = "whatsapp:" + values["twilio_number"]


def channel_credentials(channel: Channel, env: Mapping[str, str]) -> Optional[Dict[str, Any]]:
    """The channel's credentials, None when it is off; ChannelConfigError when half set."""
    if not any(_value(env, v) for v in channel.switch_variables()):
        return None
    missing = [v for v in channel.required.values() if not _value(env, v)]
    if missing:
        raise ChannelConfigError(f"{channel.title} is half configured: set {', '.join(missing)} "
                                 f"too, or unset {', '.join(v for v in channel.switch_variables() if _value(env, v))}")
    values = {key: _value(env, var) for key, var in channel.required.items()}
    values.update({key: _value(env, var) for key, var in channel.optional.items() if _value(env, var)})
    _check(channel, values)
    return values


DESK = "bot.desk.channel.DeskInput"  # the editor's desk: reads DESK_TOKEN itself (docs/desk.md)


def credentials(env: Mapping[str, str], base: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
    """Base channels (credentials.yml), every platform switched on in `env`, and the
    editor's desk when DESK_TOKEN is set (the token stays in the environment)."""
    result: Dict[str, Any] = dict(base or {})
    for channel in CHANNELS:
        values = channel_credentials(channel, env)
        if values is not None:
            result[channel.connector] = values
    if _value(env, "DESK_TOKEN"):
        result[DESK] = None
    else:
        result.pop(DESK, None)
    return result


def enabled(env: Mapping[str, str]) -> List[Channel]:
    return [c for c in CHANNELS if channel_credentials(c, env) is not None]


def load_base(path: Path) -> Dict[str, Any]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ChannelConfigError(f"{path}: expected a mapping of channels")
    return data


def write(path: Path, creds: Mapping[str, Any]) -> None:
    """Write the credentials file readable by its owner only (it holds secrets)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write("# Generated by `python -m bot.channels.config` from the environment. Holds secrets: do not commit.\n")
        yaml.safe_dump(dict(creds), out, sort_keys=False, default_flow_style=False)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.channels.config", description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default=str(REPO / "credentials.yml"), help="always-on channels (credentials.yml)")
    parser.add_argument("--out", default=str(REPO / "build" / "credentials.yml"))
    args = parser.parse_args(argv)
    try:
        creds = credentials(os.environ, load_base(Path(args.base)))
        on = enabled(os.environ)
    except ChannelConfigError as error:
        print(f"channel configuration: {error}", file=sys.stderr)
        return 2
    write(Path(args.out), creds)
    names = ", ".join(f"{c.title} ({c.webhook_path})" for c in on) or "none (set their variables: docs/channels.md)"
    print(f"chat platforms on: {names}")
    if DESK in creds:
        print("editor's desk on: /desk/ (docs/desk.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
