"""The desk in Chromium on a real bot: people chat over REST (one of them from a WhatsApp
number), then an editor logs in, reads the overview, finds the shared question in the
queue, labels it, and opens the review. Screenshots go to test-output/desk-*.png, or to
the folder DESK_SCREENSHOTS names (`make desk-screenshots` refreshes docs/). Afterwards
`desk forget` removes one person while the bot goes on answering the others.

Playwright drives Debian's Chromium (/usr/bin/chromium, `make browser`); the action server
and the Rasa server run on free localhost ports (tests/bot_servers.py).
"""
from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import expect

from tests.bot_servers import REPO, BotServers
from tests.channels.browser import chromium

DOCS = Path(os.environ.get("DESK_SCREENSHOTS") or REPO / "test-output")
TOKEN = secrets.token_hex(16)
WHATSAPP = "whatsapp:+4915112345678"
CHATS = [
    (WHATSAPP, "NATO is encircling Russia"),
    (WHATSAPP, "Will NATO invade Belarus next?"),
    ("web-reader-2", "will nato invade belarus next"),
    ("web-reader-2", "NATO is encircling Russia"),
    ("web-reader-3", "my number is +49 151 2345678, write to me at reader@example.org"),
    ("web-reader-3", "they promised not to expand"),
]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    work = tmp_path_factory.mktemp("desk-bot")
    creds = yaml.safe_load((REPO / "credentials.yml").read_text()) or {}
    creds["bot.desk.channel.DeskInput"] = None
    (work / "credentials.yml").write_text(yaml.safe_dump(creds))
    servers = BotServers(work, credentials=work / "credentials.yml",
                         env={"DESK_TOKEN": TOKEN, "DESK_SECRET": secrets.token_hex(16)})
    with servers:
        for sender, text in CHATS:
            assert servers.say(sender, text), text
        yield servers


@pytest.fixture(scope="module")
def browser():
    DOCS.mkdir(parents=True, exist_ok=True)
    yield from chromium()


@pytest.fixture(scope="module")
def page(browser, bot):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    p = context.new_page()
    errors = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    p.on("pageerror", lambda e: errors.append(str(e)))
    p.errors = errors
    yield p
    context.close()


def test_log_in(page, bot):
    response = page.goto(f"{bot.url}/desk/")
    assert response.status == 401
    page.get_by_label("Your name").fill("Ann")
    page.get_by_label("Desk token").fill(TOKEN)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Last 30 days")).to_be_visible()
    page.errors.clear()  # the 401 of the first visit is expected


def test_overview_counts_the_chats(page, bot):
    page.goto(f"{bot.url}/desk/?days=7")
    expect(page.locator(".card").filter(has_text="messages").first).to_contain_text(str(len(CHATS)))
    expect(page.locator(".card").filter(has_text="people").first).to_contain_text("3")
    expect(page.locator("tr").filter(has_text="encirclement")).to_contain_text("2")
    page.screenshot(path=str(DOCS / "desk-overview.png"), full_page=True)


def test_queue_shows_the_shared_question_and_hides_the_rest(page, bot):
    page.goto(f"{bot.url}/desk/queue")
    row = page.locator("tr").filter(has_text="invade Belarus")
    expect(row).to_have_count(1)
    expect(row.locator("td.n").first).to_have_text("2")
    content = page.content()
    assert "4915" not in content and "example.org" not in content and "2345678" not in content


def test_label_a_cluster(page, bot):
    row = page.locator("tr").filter(has_text="invade Belarus")
    row.get_by_label("label").select_option("new_claim")
    row.get_by_role("button", name="Save").click()
    row = page.locator("tr").filter(has_text="invade Belarus")
    expect(row).to_contain_text("new claim to check")
    expect(row).to_contain_text("by Ann")
    page.screenshot(path=str(DOCS / "desk-queue.png"), full_page=True)


def test_review_and_phone_width(page, bot, browser):
    page.goto(f"{bot.url}/desk/review")
    expect(page.get_by_role("heading", name=re.compile("Probably wrong answers"))).to_be_visible()
    page.screenshot(path=str(DOCS / "desk-review.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{bot.url}/desk/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    page.screenshot(path=str(DOCS / "desk-phone.png"), full_page=True)
    assert page.errors == []  # no CSP violation, missing file or page error on a desk page


def _events_of(bot, sender: str) -> int:
    import sqlite3

    with sqlite3.connect(bot.workdir / "tracker.db") as db:
        return db.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_forget_leaves_the_others_talking(bot):
    import subprocess
    import sys

    others = {s: _events_of(bot, s) for s in ("web-reader-2", "web-reader-3")}
    done = subprocess.run([sys.executable, "-m", "bot", "desk", "--endpoints", str(bot.workdir / "endpoints.yml"),
                           "forget", WHATSAPP], cwd=REPO, env=bot.env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert re.search(r"forgotten: [1-9]\d* tracker-store events", done.stdout)
    assert _events_of(bot, WHATSAPP) == 0
    assert {s: _events_of(bot, s) for s in others} == others
    # the others go on where they were; the forgotten number starts a new conversation
    assert "11%" in bot.say("web-reader-3", "NATO is encircling Russia")[0]["text"]
    assert "11%" in bot.say(WHATSAPP, "NATO is encircling Russia")[0]["text"]
    assert _events_of(bot, "web-reader-3") > others["web-reader-3"]
