"""bot/channels/config.py: each chat platform is switched on by its environment variables
alone, stays off without them, and a half-configured one is an error naming what is
missing. The generated credentials file is private; the repository holds no secrets."""
from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
import yaml

from bot.channels import config as channel_config
from bot.channels.config import CHANNELS, ChannelConfigError, credentials, enabled, load_base
from rasa.shared.utils.common import class_from_module_path

BASE_KEYS = ["bot.channels.rest.FriendlyRestInput", "bot.channels.web.WebChatInput",
             "bot.desk.channel.ClaimReviewInput"]
ENV = {
    "telegram": {"TELEGRAM_TOKEN": "123456:ABC-def", "TELEGRAM_SECRET_TOKEN": "s3cret_token-1",
                 "TELEGRAM_WEBHOOK_URL": "https://bot.example.org/webhooks/telegram/webhook"},
    "slack": {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "sign"},
    "facebook": {"FACEBOOK_VERIFY_TOKEN": "v", "FACEBOOK_APP_SECRET": "s", "FACEBOOK_PAGE_ACCESS_TOKEN": "p"},
    "twilio": {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_SMS_NUMBER": "+15005550006"},
    "whatsapp": {"TWILIO_ACCOUNT_SID": "AC1", "TWILIO_AUTH_TOKEN": "t", "TWILIO_WHATSAPP_NUMBER": "+14155238886"},
    "botframework": {"BOTFRAMEWORK_APP_ID": "app", "BOTFRAMEWORK_APP_PASSWORD": "pw"},
}
CONNECTOR = {c.name: c.connector for c in CHANNELS}


@pytest.fixture(scope="module")
def base(repo):
    return load_base(repo / "credentials.yml")


def test_without_variables_only_rest_and_the_widget_are_on(base):
    assert sorted(credentials({}, base)) == BASE_KEYS
    assert enabled({"PATH": "/usr/bin", "PUBLIC_URL": "https://bot.example.org"}) == []


@pytest.mark.parametrize("name", sorted(ENV))
def test_each_platform_is_switched_on_by_its_variables_alone(base, name):
    creds = credentials(ENV[name], base)
    assert sorted(creds) == sorted(BASE_KEYS + [CONNECTOR[name]])
    assert [c.name for c in enabled(ENV[name])] == [name]
    values = creds[CONNECTOR[name]]
    assert set(ENV[name].values()) <= {str(v).replace("whatsapp:", "") for v in values.values()}


def test_all_platforms_together(base):
    env = {k: v for variables in ENV.values() for k, v in variables.items()}
    assert {c.name for c in enabled(env)} == set(ENV)
    creds = credentials(env, base)
    assert creds[CONNECTOR["whatsapp"]]["twilio_number"] == "whatsapp:+14155238886"
    assert creds[CONNECTOR["twilio"]]["twilio_number"] == "+15005550006"


def test_optional_variables_are_passed_on(base):
    env = {**ENV["twilio"], "TWILIO_SMS_MAX_CHARS": "480", "PUBLIC_URL": "https://bot.example.org",
           "TWILIO_API_URL": "http://127.0.0.1:9/twilio"}
    values = credentials(env, base)[CONNECTOR["twilio"]]
    assert values["max_chars"] == 480 and values["public_url"] == "https://bot.example.org"
    assert values["api_url"] == "http://127.0.0.1:9/twilio"


@pytest.mark.parametrize("env,message", [
    ({"SLACK_BOT_TOKEN": "xoxb-1"}, "Slack is half configured: set SLACK_SIGNING_SECRET too"),
    ({"TWILIO_SMS_NUMBER": "+1"}, "set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN too"),
    ({"BOTFRAMEWORK_APP_PASSWORD": "pw"}, "set BOTFRAMEWORK_APP_ID too"),
    ({**ENV["telegram"], "TELEGRAM_SECRET_TOKEN": "has spaces"}, "TELEGRAM_SECRET_TOKEN must be"),
    ({**ENV["telegram"], "TELEGRAM_TOKEN": "nonsense"}, "TELEGRAM_TOKEN does not look like"),
    ({**ENV["telegram"], "TELEGRAM_WEBHOOK_URL": "bot.example.org/hook"}, "TELEGRAM_WEBHOOK_URL must be an http(s) URL"),
    ({**ENV["twilio"], "TWILIO_SMS_MAX_CHARS": "5000"}, "TWILIO_SMS_MAX_CHARS must be a number from 160 to 1600"),
])
def test_half_or_wrongly_configured_platforms_are_errors(env, message):
    with pytest.raises(ChannelConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        credentials(env)


def test_empty_variables_count_as_absent(base):
    assert sorted(credentials({"SLACK_BOT_TOKEN": "", "SLACK_SIGNING_SECRET": " "}, base)) == BASE_KEYS


def test_every_connector_loads_from_generated_credentials(base):
    env = {k: v for variables in ENV.values() for k, v in variables.items()}
    env["BOTFRAMEWORK_OPENID_URL"] = "http://127.0.0.1:9/openid"  # nothing listens: logged, retried later
    for key, values in credentials(env, base).items():
        channel = class_from_module_path(key).from_credentials(values)
        assert channel.name() in {"rest", "webchat", "claimreview"} | set(ENV)


def test_the_repository_holds_no_platform_secrets(repo, base):
    assert sorted(base) == BASE_KEYS  # platforms only come from the environment
    keys = {key for channel in CHANNELS for key in channel.required}
    assert not keys & set(yaml.safe_dump(base).replace(":", " ").split())
    assert "build/" in (repo / ".gitignore").read_text().split()  # where the generated file goes


def test_command_line_writes_a_private_file(tmp_path, repo):
    out = tmp_path / "build" / "credentials.yml"
    env = {**os.environ, **ENV["slack"]}
    done = subprocess.run([sys.executable, "-m", "bot.channels.config", "--out", str(out)], cwd=repo, env=env,
                          capture_output=True, text=True, check=True)
    assert "Slack (/webhooks/slack/webhook)" in done.stdout and "sign" not in done.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    written = yaml.safe_load(out.read_text())
    assert written[CONNECTOR["slack"]] == {"slack_token": "xoxb-1", "slack_signing_secret": "sign"}


def test_command_line_reports_half_configuration(tmp_path, repo):
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "TELEGRAM_", "TWILIO_"))},
           "SLACK_BOT_TOKEN": "xoxb-secret-value"}
    done = subprocess.run([sys.executable, "-m", "bot.channels.config", "--out", str(tmp_path / "c.yml")], cwd=repo,
                          env=env, capture_output=True, text=True)
    assert done.returncode == 2 and "SLACK_SIGNING_SECRET" in done.stderr
    assert "xoxb-secret-value" not in done.stderr and not (tmp_path / "c.yml").exists()


def test_every_variable_is_documented(repo):
    docs = (repo / "docs" / "channels.md").read_text()
    for channel in CHANNELS:
        assert channel.webhook_path in docs
        for variable in [*channel.required.values(), *channel.optional.values()]:
            assert f"`{variable}`" in docs, variable


def test_run_script_uses_the_generated_credentials(repo):
    script = (repo / "scripts" / "run.sh").read_text()
    assert "bot.channels.config" in script and "build/credentials.yml" in script
    assert channel_config.REPO == repo
