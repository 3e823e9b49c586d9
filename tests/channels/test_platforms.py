"""bot/channels/platforms.py: each platform gets buttons or a numbered menu, long replies split at
sensible places with every citation line whole, and text its markup will not garble."""
from __future__ import annotations

import dataclasses
import re

import pytest

from bot.channels.platforms import (PLATFORMS, format_reply, gsm_text, last_turn_buttons, menu_choice, menu_style,
                           shorten, slack_escape, split_text, teams_markdown)
from bot.answers.render import render_menu, render_rebuttal

URL_NATO = "https://www.nato.int/cps/en/natohq/115204.htm"
URL_EPRS = "https://www.europarl.europa.eu/thinktank/en/document/EPRS_ATA(2022)729380"


@pytest.fixture(scope="module")
def rebuttal(kb, templates):
    return render_rebuttal(kb, templates, kb.myths["nato_at_war"])  # cites both sources


def joined(messages) -> str:
    return "\n".join(m.text for m in messages)


def citation_lines(text):
    """Citation lines, without the "(2/3) " marker of a part that starts with one."""
    lines = (re.sub(r"^\(\d+/\d+\) ", "", line) for line in text.splitlines())
    return [line for line in lines if re.match(r"\[\d\] ", line)]


# ---- splitting ------------------------------------------------------------------------------
def test_short_text_is_one_part():
    assert split_text("One.\n\nTwo.", 100) == ["One.\n\nTwo."]


def test_split_prefers_paragraphs_then_lines_then_sentences_then_words():
    assert split_text("aaaa\n\nbbbb", 6) == ["aaaa", "bbbb"]
    assert split_text("aaaa\nbbbb", 6) == ["aaaa", "bbbb"]
    assert split_text("One two. Three four.", 12) == ["One two.", "Three four."]
    assert split_text("one two three", 8) == ["one two", "three"]
    assert split_text("x" * 10, 4) == ["xxxx", "xxxx", "xx"]


@pytest.mark.parametrize("limit", [160, 300, 500, 1600])
def test_split_keeps_every_word_and_stays_under_the_limit(rebuttal, limit):
    parts = split_text(rebuttal.text, limit)
    assert all(len(p) <= limit for p in parts)
    assert " ".join(" ".join(parts).split()) == " ".join(rebuttal.text.split())
    assert any(URL_NATO in p for p in parts) and any(URL_EPRS in p for p in parts)


# ---- per platform ----------------------------------------------------------------------------
def test_sms_gets_a_numbered_menu_and_whole_text_in_one_message(kb, templates):
    short = render_rebuttal(kb, templates, kb.myths["encirclement"])  # fits in one SMS of 1600
    messages, next_number = format_reply(PLATFORMS["twilio"], templates, short.text, short.buttons)
    assert len(messages) == 1 and messages[0].buttons == ()
    text = messages[0].text
    assert "Reply with a number:\n1. Sources\n2. More detail\n3. Related: NATO's deployments" in text
    assert next_number == 1 + len(short.buttons)
    assert citation_lines(text) == citation_lines(short.text)  # "[1] NATO (...), ...: https://..."
    assert "World Factbook" in text and "[1]" in text


def test_long_sms_reply_is_split_into_marked_parts_with_citations_whole(rebuttal, templates):
    sms = dataclasses.replace(PLATFORMS["twilio"], max_chars=500)
    messages, _ = format_reply(sms, templates, rebuttal.text, rebuttal.buttons)
    assert len(messages) >= 3
    assert all(len(m.text) <= 500 for m in messages)
    assert [m.text.split(" ", 1)[0] for m in messages] == [f"({i}/{len(messages)})" for i in range(1, len(messages) + 1)]
    assert "Reply with a number:" in messages[-1].text
    assert citation_lines(joined(messages)) == citation_lines(rebuttal.text)


def test_sms_text_stays_in_gsm_characters(templates):
    messages, _ = format_reply(PLATFORMS["twilio"], templates, "Russia’s “claim” – false…", ())
    assert messages[0].text == "Russia's \"claim\" - false..."
    assert gsm_text("é and ü stay") == "é and ü stay"


def test_whatsapp_numbers_menus_but_keeps_typography(templates):
    messages, _ = format_reply(PLATFORMS["whatsapp"], templates, "Russia’s claim.", [{"title": "Sources", "payload": "/ask_sources"}])
    assert messages[0].text == "Russia’s claim.\n\nReply with a number:\n1. Sources"


def test_numbers_continue_across_the_replies_of_one_turn(templates):
    first, n = format_reply(PLATFORMS["twilio"], templates, "A", [{"title": "x", "payload": "/a"}, {"title": "y", "payload": "/b"}])
    second, n = format_reply(PLATFORMS["twilio"], templates, "B", [{"title": "z", "payload": "/c"}], n)
    assert second[0].text.endswith("3. z") and n == 4


def test_telegram_gets_native_buttons_with_full_titles(rebuttal, templates):
    messages, next_number = format_reply(PLATFORMS["telegram"], templates, rebuttal.text, rebuttal.buttons)
    assert len(messages) == 1 and next_number == 1
    assert messages[0].text == rebuttal.text
    assert [b["payload"] for b in messages[0].buttons] == [b["payload"] for b in rebuttal.buttons]
    assert "Reply with a number" not in messages[0].text


def test_telegram_falls_back_to_numbers_when_a_payload_is_too_long(templates):
    long_payload = "/start_practice" + '{"myth":"' + "x" * 60 + '"}'
    messages, _ = format_reply(PLATFORMS["telegram"], templates, "A", [{"title": "Go", "payload": long_payload}])
    assert messages[0].buttons == () and messages[0].text.endswith("1. Go")


def test_slack_escapes_mrkdwn_and_shortens_button_titles(rebuttal, templates):
    messages, _ = format_reply(PLATFORMS["slack"], templates, "NATO & <b>EU</b> " + rebuttal.text, rebuttal.buttons)
    assert messages[0].text.startswith("NATO &amp; &lt;b&gt;EU&lt;/b&gt;")
    assert URL_EPRS in messages[0].text
    assert all(len(b["title"]) <= 75 for b in messages[0].buttons)
    assert slack_escape("a<b>&c") == "a&lt;b&gt;&amp;c"


def test_slack_menu_of_nine_claims_is_buttons(kb, templates):
    menu = render_menu(kb, templates, "off_topic")
    messages, _ = format_reply(PLATFORMS["slack"], templates, menu.text, menu.buttons)
    assert len(messages[-1].buttons) == 9


def test_messenger_quick_replies_number_long_titles(rebuttal, templates):
    messages, _ = format_reply(PLATFORMS["facebook"], templates, rebuttal.text, rebuttal.buttons)
    quick = messages[-1].buttons
    assert [b["payload"] for b in quick] == [b["payload"] for b in rebuttal.buttons]
    assert all(len(b["title"]) <= 20 for b in quick)
    assert quick[0]["title"] == "1. Sources" and quick[2]["title"].endswith("…")
    assert "3. Related: NATO troops are fighting in Ukraine" in messages[-1].text  # the full title in the text


def test_messenger_short_titles_need_no_numbers(templates):
    buttons = [{"title": "Sources", "payload": "/ask_sources"}, {"title": "More detail", "payload": "/ask_more"}]
    messages, _ = format_reply(PLATFORMS["facebook"], templates, "Text", buttons)
    assert messages[0].text == "Text" and messages[0].buttons == tuple(buttons)


def test_messenger_more_than_13_choices_become_a_numbered_menu():
    buttons = [{"title": str(i), "payload": f"/p{i}"} for i in range(14)]
    assert menu_style(PLATFORMS["facebook"], buttons) == "numbered"


def test_teams_markdown_keeps_lines_links_and_lists():
    text = "Fact *one* [1].\n\n- a\n- b\nSources:\n[1] NATO: " + URL_EPRS
    out = teams_markdown(text)
    assert "Fact \\*one\\* [1]." in out
    assert "- a\n- b\n\nSources:\n\n[1] NATO: " in out
    assert f"[{URL_EPRS}]({URL_EPRS})" in out  # underscores inside the URL left alone


def test_teams_reply_is_one_message_with_all_buttons(rebuttal, templates):
    messages, _ = format_reply(PLATFORMS["botframework"], templates, rebuttal.text, rebuttal.buttons)
    assert len(messages) == 1 and len(messages[0].buttons) == len(rebuttal.buttons)
    assert f"]({URL_NATO})" in messages[0].text


def test_shorten():
    assert shorten("Sources", 20) == "Sources"
    assert shorten("Related: NATO is encircling Russia", 20) == "Related: NATO is en…"
    assert shorten("x " * 50, 0) == " ".join(["x"] * 50)


# ---- typed numbers ---------------------------------------------------------------------------
BUTTONS = [{"title": "Sources", "payload": "/ask_sources"}, {"title": "More detail", "payload": "/ask_more"}]


@pytest.mark.parametrize("text,payload", [("1", "/ask_sources"), (" 2 ", "/ask_more"), ("2.", "/ask_more"),
                                          ("#1", "/ask_sources"), ("3", None), ("0", None),
                                          ("1 please", None), ("NATO in 2014", None), ("", None)])
def test_menu_choice(text, payload):
    assert menu_choice(text, BUTTONS) == payload


def test_last_turn_buttons_are_those_since_the_last_user_message():
    events = [
        {"event": "user", "text": "hi"},
        {"event": "bot", "text": "old", "data": {"buttons": [{"title": "Old", "payload": "/old"}]}},
        {"event": "user", "text": "NATO is encircling Russia"},
        {"event": "action", "name": "action_answer_myth"},
        {"event": "bot", "text": "rebuttal", "data": {"buttons": BUTTONS}},
        {"event": "bot", "text": "also", "data": {"buttons": [{"title": "Other", "payload": "/myth_x"}]}},
        {"event": "action", "name": "action_listen"},
    ]
    assert [b["payload"] for b in last_turn_buttons(events)] == ["/ask_sources", "/ask_more", "/myth_x"]
    assert last_turn_buttons(events[:3]) == []
