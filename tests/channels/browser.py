"""Support for the widget's browser tests: a static "other site" that embeds the widget, the
bot's servers with the widget's origins allowed, Debian's Chromium through Playwright, and
small page helpers. Fixtures are module-scoped and imported by the test module.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path
from typing import List, Optional

import pytest
import requests
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.bot_servers import REPO as ROOT
from tests.bot_servers import BotServers, free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
OUT = ROOT / "test-output"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
REPLY = 60_000  # ms: generous waits for the bot; nothing asserts on speed
MYTH = "NATO is encircling Russia"
NATO_URL = re.compile(r"^https://www\.nato\.int/")


# ---- fixtures --------------------------------------------------------------------------
class StaticSite:
    """A site owner's page on its own 127.0.0.1 port, optionally under a CSP header."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.origin = f"http://127.0.0.1:{free_port()}"
        self.server: Optional[http.server.ThreadingHTTPServer] = None

    def start(self, csp: str) -> None:
        class Handler(http.server.SimpleHTTPRequestHandler):
            def end_headers(self) -> None:
                self.send_header("Content-Security-Policy", csp)
                super().end_headers()

            def log_message(self, *args) -> None:
                pass

        port = int(self.origin.rsplit(":", 1)[1])
        handler = functools.partial(Handler, directory=str(self.directory))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()


def reachable(url: str) -> bool:
    try:
        requests.get(url, timeout=2)
        return True
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def site_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("site")


@pytest.fixture(scope="module")
def site(site_dir: Path):
    """Another origin whose page embeds the widget with the snippet from the docs."""
    s = StaticSite(site_dir)
    yield s
    s.stop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory, site: StaticSite, site_dir: Path):
    bot = BotServers(tmp_path_factory.mktemp("bot"),
                     extra_args=["--interface", "127.0.0.1", "--cors", site.origin])
    bot.env["CORS_ORIGINS"] = site.origin  # read by bot/channels/web.py, as scripts/run.sh sets it
    # the site owner's page: web/embed-example.html pointed at this test's bot, served
    # under a strict Content-Security-Policy that allows only the bot's origin
    page = (ROOT / "web" / "embed-example.html").read_text().replace("http://localhost:5005", bot.url)
    (site_dir / "index.html").write_text(page)
    (site_dir / "favicon.ico").write_bytes(b"")  # the browser asks for it; a 404 would be logged
    ws = bot.url.replace("http://", "ws://")
    site.start(csp=(f"default-src 'none'; script-src {bot.url}; style-src {bot.url}; "
                    f"connect-src {bot.url} {ws}; img-src 'self'; base-uri 'none'"))
    with bot:
        yield bot


def chromium():
    """Debian's Chromium under Playwright, for a module's tests (the widget's, the desk's)."""
    if not CHROMIUM.exists():
        pytest.fail("/usr/bin/chromium is missing: run `make browser` (scripts/install-browser.sh)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


browser = pytest.fixture(scope="module", name="browser")(chromium)


class Problems:
    """Console errors (CSP violations show up there), page errors and dialogs of a page."""

    def __init__(self, page: Page) -> None:
        self.errors: List[str] = []
        self.dialogs: List[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

        def on_dialog(dialog):
            self.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)


def new_page(browser: Browser, viewport=DESKTOP, **options) -> tuple[BrowserContext, Page, Problems]:
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    return context, page, Problems(page)


def open_chat(page: Page, servers: BotServers) -> None:
    page.goto(f"{servers.url}/")
    # the widget's first message: the bot's greeting, asked for on a fresh session
    expect(page.locator(".fc-msg-bot").first).to_contain_text("fact-check", timeout=REPLY)


def send(page: Page, text: str) -> None:
    box = page.get_by_label("Your message")
    box.fill(text)
    box.press("Enter")


def rebuttal(page: Page):
    reply = page.locator(".fc-msg-bot").filter(has_text="is a myth")
    expect(reply).to_have_count(1, timeout=REPLY)
    return reply


def screenshot(page: Page, name: str) -> None:
    OUT.mkdir(exist_ok=True)
    page.screenshot(path=str(OUT / name))


# ---- the server side ---------------------------------------------------------------------
