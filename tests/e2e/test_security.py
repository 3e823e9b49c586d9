"""Security: Rasa's HTTP API needs the token (which comes from the environment), the
public webhook does not expose it, and CORS answers only configured origins."""
from __future__ import annotations

import requests

from tests.conftest import ALLOWED_ORIGIN


def test_conversation_api_requires_the_token(bot):
    bot.say("private-user", "NATO is encircling Russia")
    url = f"{bot.url}/conversations/private-user/tracker"
    assert requests.get(url, timeout=30).status_code == 401
    assert requests.get(url, params={"token": "wrong"}, timeout=30).status_code == 401
    ok = requests.get(url, params={"token": bot.api_token}, timeout=30)
    assert ok.status_code == 200 and ok.json()["sender_id"] == "private-user"


def test_state_changing_endpoints_require_the_token(bot):
    url = f"{bot.url}/conversations/private-user/tracker/events"
    assert requests.post(url, json=[{"event": "restart"}], timeout=30).status_code == 401
    assert requests.put(f"{bot.url}/model", json={}, timeout=30).status_code == 401


def test_cors_only_for_configured_origins(bot):
    url = f"{bot.url}/webhooks/rest/webhook"
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
    allowed = requests.options(url, headers={"Origin": ALLOWED_ORIGIN, **preflight}, timeout=30)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN
    other = requests.options(url, headers={"Origin": "https://evil.example", **preflight}, timeout=30)
    assert "Access-Control-Allow-Origin" not in other.headers


def test_no_token_in_the_repository(repo):
    """The token is only ever read from the environment: no literal value after --auth-token."""
    import re
    import subprocess

    literal = re.compile(r"--auth-token[ =]+[\"']?[A-Za-z0-9]")
    tracked = subprocess.run(["git", "ls-files"], cwd=repo, capture_output=True, text=True).stdout.split()
    for name in tracked:
        if name.endswith((".yml", ".sh", ".py", ".md", "Makefile")):
            assert not literal.search((repo / name).read_text(errors="ignore")), name
