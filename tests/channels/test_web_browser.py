"""Browser tests of the website chat widget (web/, bot/channels/web.py, docs/widget.md).

Python Playwright drives Debian's Chromium (/usr/bin/chromium, `make browser`); it never
downloads a browser. The module starts the action server and the Rasa server once on free
localhost ports (tests/bot_servers.py), plus a static "other site" that embeds the widget;
the last test stops the bot to see the widget report it. Screenshots go to test-output/.
"""
from __future__ import annotations

import json

import requests
from playwright.sync_api import Browser, expect

from tests.bot_servers import BotServers
from tests.channels.browser import (  # noqa: F401  (fixtures)
    MYTH,
    NATO_URL,
    PHONE,
    REPLY,
    StaticSite,
    browser,
    new_page,
    open_chat,
    reachable,
    rebuttal,
    screenshot,
    send,
    servers,
    site,
    site_dir,
)


def test_page_is_served_with_a_strict_policy(servers: BotServers) -> None:
    page = requests.get(f"{servers.url}/", headers={"Accept": "text/html"}, timeout=10)
    assert page.status_code == 200
    assert "widget.js" in page.text
    csp = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
    assert page.headers["X-Content-Type-Options"] == "nosniff"
    # health checks that do not ask for HTML still get Rasa's own answer
    assert requests.get(f"{servers.url}/", timeout=10).text.startswith("Hello from Rasa")
    js = requests.get(f"{servers.url}/widget/widget.js", timeout=10)
    assert js.status_code == 200 and js.headers["Content-Type"].startswith("text/javascript")
    assert requests.get(f"{servers.url}/widget/vendor/socket.io.min.js", timeout=10).status_code == 200
    for path in ("/widget/index.html", "/widget/..%2Fcredentials.yml", "/widget/%2e%2e/bot/channels/web.py"):
        assert requests.get(f"{servers.url}{path}", timeout=10).status_code == 404, path


def test_socketio_accepts_only_configured_origins(servers: BotServers, site: StaticSite) -> None:
    handshake = f"{servers.url}/socket.io/?EIO=4&transport=polling"
    foreign = requests.get(handshake, headers={"Origin": "http://evil.example"}, timeout=10)
    assert foreign.status_code == 400
    assert "Access-Control-Allow-Origin" not in foreign.headers
    allowed = requests.get(handshake, headers={"Origin": site.origin}, timeout=10)
    assert allowed.status_code == 200
    assert allowed.headers.get("Access-Control-Allow-Origin") == site.origin  # once, not twice
    same = requests.get(handshake, headers={"Origin": servers.url}, timeout=10)
    assert same.status_code == 200


# ---- the widget ---------------------------------------------------------------------------
def test_rebuttal_shows_numbers_and_working_citation_links(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser)
    opened = []

    def fake_nato(route):  # no network here: answer for nato.int, and note the referrer
        opened.append(route.request.headers.get("referer"))
        route.fulfill(status=200, content_type="text/html", body="<title>NATO</title>stub")

    context.route(NATO_URL, fake_nato)
    open_chat(page, servers)
    send(page, MYTH)
    expect(page.locator(".fc-msg-user .fc-msg-body").last).to_have_text(MYTH)
    reply = rebuttal(page)
    expect(reply.locator(".fc-num", has_text="11%").first).to_be_visible()
    expect(reply.locator(".fc-p").first).to_be_visible()
    assert reply.locator(".fc-p").count() >= 3  # short paragraphs, not one wall of text

    source = reply.locator("a.fc-source-link").first
    expect(source).to_have_attribute("href", NATO_URL)
    expect(source).to_have_attribute("target", "_blank")
    expect(source).to_have_attribute("rel", "noopener noreferrer")
    for link in reply.locator("a").all():  # the [1] markers link to the source too
        expect(link).to_have_attribute("target", "_blank")
        expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(reply.locator("a.fc-cite-link").first).to_have_attribute("href", NATO_URL)
    expect(reply.get_by_role("button", name="More detail")).to_be_visible()
    screenshot(page, "widget-desktop.png")

    href = source.get_attribute("href")
    with context.expect_page() as tab:
        source.click()
    nato = tab.value
    nato.wait_for_load_state()
    assert nato.url == href
    assert nato.evaluate("window.opener") is None
    assert opened == [None]  # noreferrer: the site's address is not passed on
    assert page.url == f"{servers.url}/"  # the chat stays where it was
    assert problems.errors == [] and problems.dialogs == []
    context.close()


def test_followup_button_is_clickable(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser)
    open_chat(page, servers)
    send(page, MYTH)
    rebuttal(page).get_by_role("button", name="More detail").click()
    expect(page.locator(".fc-msg-user .fc-msg-body").last).to_have_text("More detail")  # the title, not "/ask_more"
    more = page.locator(".fc-msg-bot").filter(has_text=f'More on "{MYTH}"')
    expect(more).to_have_count(1, timeout=REPLY)
    expect(more.locator("a.fc-source-link").filter(has_text="NATO's own account")).to_have_attribute("href", NATO_URL)
    # the rebuttal's buttons are gone once answered; the new reply has its own
    expect(rebuttal(page).locator(".fc-chip")).to_have_count(0)
    expect(more.get_by_role("button", name="Why trust this?")).to_be_visible()
    assert problems.errors == []
    context.close()


def test_usable_by_keyboard_with_visible_focus_and_live_region(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser)
    open_chat(page, servers)
    log = page.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.get_by_role("status")).to_have_count(1)
    box = page.get_by_label("Your message")
    expect(box).to_be_focused()  # the page focuses the message box
    page.keyboard.type(MYTH)
    page.keyboard.press("Enter")
    reply = rebuttal(page)
    expect(log.locator(".fc-msg-bot").filter(has_text="11%")).to_have_count(1)
    expect(box).to_be_focused()

    # Shift+Tab from the message box walks back through the reply's buttons
    sources = reply.get_by_role("button", name="Sources")
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        if sources.evaluate("b => b === document.activeElement"):
            break
    expect(sources).to_be_focused()
    outline = sources.evaluate("b => [getComputedStyle(b).outlineStyle, getComputedStyle(b).outlineWidth]")
    assert outline[0] != "none" and outline[1] != "0px", outline
    page.keyboard.press("Enter")
    expect(page.locator(".fc-msg-bot").filter(has_text=f'Where the answer on "{MYTH}" comes from')).to_have_count(
        1, timeout=REPLY)
    expect(box).to_be_focused()
    assert problems.errors == []
    context.close()


def test_conversation_survives_reload(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser)
    open_chat(page, servers)
    send(page, MYTH)
    rebuttal(page)
    session = page.evaluate("Object.values(sessionStorage).map(v => JSON.parse(v).sessionId)")
    page.reload()
    expect(page.locator(".fc-msg-user").filter(has_text=MYTH)).to_have_count(1)
    reply = rebuttal(page)
    expect(reply.locator("a.fc-source-link").first).to_have_attribute("href", NATO_URL)
    assert page.evaluate("Object.values(sessionStorage).map(v => JSON.parse(v).sessionId)") == session
    # same conversation on the server: it still knows the topic for a follow-up
    reply.get_by_role("button", name="Sources").click()
    expect(page.locator(".fc-msg-bot").filter(has_text=f'Where the answer on "{MYTH}" comes from')).to_have_count(
        1, timeout=REPLY)
    expect(page.locator(".fc-msg-bot").filter(has_text="Hello!")).to_have_count(1)  # no second greeting

    page.get_by_role("button", name="New chat").click()  # forgets it and starts afresh
    expect(page.locator(".fc-msg-user")).to_have_count(0)
    expect(page.locator(".fc-msg-bot").first).to_contain_text("Hello!", timeout=REPLY)
    assert page.evaluate("Object.values(sessionStorage).map(v => JSON.parse(v).sessionId)") != session
    assert problems.errors == []
    context.close()


def test_typed_html_is_shown_as_text(browser: Browser, servers: BotServers) -> None:
    attack = "<img src=x onerror=alert(1)>"
    context, page, problems = new_page(browser)
    open_chat(page, servers)
    bots_before = page.locator(".fc-msg-bot").count()
    send(page, attack)
    expect(page.locator(".fc-msg-user .fc-msg-body").last).to_have_text(attack)
    expect(page.locator(".fc-msg-bot").nth(bots_before)).to_be_visible(timeout=REPLY)  # the bot answered
    assert page.locator(".fc-log img").count() == 0
    messages = page.locator(".fc-msg").count()
    page.reload()  # and again when the history is drawn from storage
    expect(page.locator(".fc-msg-user .fc-msg-body").last).to_have_text(attack)
    expect(page.locator(".fc-msg")).to_have_count(messages)
    assert page.locator(".fc-log img").count() == 0
    assert problems.dialogs == []
    assert problems.errors == []
    context.close()


# A stand-in for socket.io-client that confirms a session and answers the greeting with
# a hostile bot message, to check what the widget does with markup and unsafe links.
FAKE_SOCKET_IO = """
window.io = function () {
  var handlers = {};
  var socket = {
    io: { on: function () {} },
    on: function (event, handler) { handlers[event] = handler; },
    emit: function (event, data) {
      if (event === "session_request") { setTimeout(function () { handlers.session_confirm("fake-session-1"); }); }
      if (event === "user_uttered") { setTimeout(function () { handlers.bot_uttered(%s); }); }
    },
    connect: function () {}, disconnect: function () {}
  };
  setTimeout(function () { handlers.connect(); });
  return socket;
};
"""
HOSTILE_REPLY = {
    "text": ("Look <img src=x onerror=alert(1)> and <b>bold</b> [1].\n\n"
             "Links: javascript:alert(2) http://plain.example/x (see https://ok.example/page).\n\n"
             "Sources:\n[1] Evil, \"<script>alert(3)</script>\", 2024: javascript:alert(4)\n"
             "[2] Good, \"Title\", 2024: https://good.example/doc"),
    "quick_replies": [{"title": "<i>chip</i>", "payload": "/greet"}],
}


def test_bot_markup_and_unsafe_links_are_not_interpreted(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser)
    page.route("**/widget/vendor/socket.io.min.js", lambda route: route.fulfill(
        status=200, content_type="text/javascript", body=FAKE_SOCKET_IO % json.dumps(HOSTILE_REPLY)))
    page.goto(f"{servers.url}/")
    reply = page.locator(".fc-msg-bot").first
    expect(reply).to_contain_text("Look <img src=x onerror=alert(1)> and <b>bold</b>")
    expect(reply).to_contain_text('Evil, "<script>alert(3)</script>", 2024: javascript:alert(4)')
    assert reply.locator("img, b, script, i").count() == 0
    hrefs = [a.get_attribute("href") for a in reply.locator("a").all()]
    assert hrefs == ["https://ok.example/page", "https://good.example/doc"]  # https only, ")" left off
    expect(reply.get_by_role("button", name="<i>chip</i>")).to_be_visible()
    assert problems.dialogs == [] and problems.errors == []
    context.close()


def test_readable_on_a_phone(browser: Browser, servers: BotServers) -> None:
    context, page, problems = new_page(browser, viewport=PHONE, is_mobile=True, has_touch=True,
                                       device_scale_factor=2)
    open_chat(page, servers)
    send(page, MYTH)
    reply = rebuttal(page)
    expect(page.get_by_label("Your message")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Send")).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(page.locator(".fc-msg-user").last).to_be_in_viewport()  # the question stays in view
    screenshot(page, "widget-phone.png")
    chip = reply.get_by_role("button", name="More detail")
    chip.scroll_into_view_if_needed()
    expect(chip).to_be_in_viewport()
    assert chip.bounding_box()["height"] >= 32  # big enough to tap
    assert problems.errors == []
    context.close()


def test_embedded_on_another_site_under_its_csp(browser: Browser, servers: BotServers, site: StaticSite) -> None:
    context, page, problems = new_page(browser)
    page.goto(f"{site.origin}/index.html")
    launcher = page.get_by_role("button", name="Fact-check a claim")
    expect(launcher).to_have_attribute("aria-expanded", "false")
    launcher.click()
    expect(launcher).to_have_attribute("aria-expanded", "true")
    box = page.get_by_label("Your message")
    expect(box).to_be_focused()
    expect(page.locator(".fc-msg-bot").first).to_contain_text("fact-check", timeout=REPLY)
    send(page, MYTH)
    rebuttal(page)
    screenshot(page, "widget-embedded.png")
    page.keyboard.press("Escape")
    expect(box).to_be_hidden()
    expect(launcher).to_be_focused()
    assert problems.errors == []  # includes Content-Security-Policy violations
    context.close()


def test_in_russian_from_first_message_to_a_followup_and_a_citation(browser: Browser, servers: BotServers) -> None:
    from bot.knowledge import load_content

    ru = load_content().for_language("ru")
    myth = ru.kb.myths["encirclement"]
    context, page, problems = new_page(browser)
    # no network here: every cited site answers with a stub page
    context.route("https://**/*", lambda route: route.fulfill(status=200, content_type="text/html", body="<title>source</title>"))
    open_chat(page, servers)
    box = page.locator(".fc-input")
    box.fill("НАТО окружает Россию со всех сторон")
    box.press("Enter")
    reply = page.locator(".fc-msg-bot").filter(has_text=" ".join(myth.lead.text.split()[:6]))
    expect(reply).to_have_count(1, timeout=REPLY)
    # the widget follows the reply's language: its own strings are Russian now
    expect(page.locator(".fc-input")).to_have_attribute("placeholder", ru.widget_strings["placeholder"])
    expect(page.locator(".fc-send")).to_have_text(ru.widget_strings["send"])
    expect(page.locator(".fc-widget")).to_have_attribute("lang", "ru")
    heading = ru.templates.fill("citations", lines="").split("\n")[0].rstrip(":")
    expect(reply.locator(".fc-sources-title")).to_have_text(heading)
    expect(reply.locator("a.fc-source-link").first).to_have_attribute("href", NATO_URL)
    expect(reply.locator("a.fc-cite-link").first).to_have_attribute("href", NATO_URL)

    reply.get_by_role("button", name=ru.templates.fill("button_more")).click()
    more = page.locator(".fc-msg-bot").filter(has_text=" ".join(ru.kb.facts[myth.more[0]].text.split()[:6]))
    expect(more).to_have_count(1, timeout=REPLY)
    link = more.locator("a.fc-source-link").first
    href = link.get_attribute("href")
    with context.expect_page() as tab:
        link.click()
    tab.value.wait_for_load_state()
    assert href.startswith("https://") and tab.value.url == href
    screenshot(page, "widget-russian.png")
    assert problems.errors == [] and problems.dialogs == []
    context.close()


def test_unreachable_bot_is_reported_and_retried(browser: Browser, servers: BotServers) -> None:
    """Runs last: it stops the servers."""
    context, page, problems = new_page(browser)
    open_chat(page, servers)
    servers.stop()
    assert not reachable(f"{servers.url}/")
    status = page.get_by_role("status")
    expect(status).to_contain_text("Can't reach the fact-check bot", timeout=REPLY)
    expect(status).to_contain_text("Retrying", timeout=REPLY)
    expect(page.get_by_role("button", name="Retry now")).to_be_visible()
    send(page, MYTH)
    expect(page.locator(".fc-msg-user").last).to_contain_text("Not sent yet")
    expect(page.locator(".fc-typing")).to_be_hidden()  # no endless spinner
    expect(page.locator(".fc-status-detail")).to_contain_text("attempt 2", timeout=REPLY)  # it keeps retrying
    screenshot(page, "widget-offline.png")
    assert problems.dialogs == []
    context.close()
