"""How a reply looks on each chat platform. Pure functions: no Rasa, no I/O.

A reply from the actions is a text (paragraphs, "[1]" markers, a "Sources:" list of
plain URLs) plus buttons ({"title", "payload"}). Each platform gets it

- with its own buttons where it has them (Telegram, Slack, Teams, Messenger quick
  replies), otherwise (SMS, WhatsApp) as a numbered text menu: "Reply with a number";
  a typed number is mapped back to the button's payload (`menu_choice`);
- split into several messages where the text is longer than the platform allows, at
  paragraph, then line, then sentence, then word boundaries, so that a citation line and
  its URL stay whole, each part marked "(1/2)";
- with its text escaped or converted for the platform's markup (Slack mrkdwn, Teams
  markdown), or with typographic punctuation replaced for SMS (keeps GSM-7 encoding,
  160 instead of 70 characters per SMS segment).

The user-visible wording (menu prompt, part marker) is in responses/templates.yml.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from bot.knowledge.templates import Templates

Button = Dict[str, str]


@dataclass(frozen=True)
class Platform:
    name: str
    max_chars: int  # longest text one message may carry
    menu: str  # "native" buttons, "quick_replies" (short titles only) or "numbered" text
    max_buttons: int = 0  # native buttons one message may carry
    max_title: int = 0  # characters of a native button title; 0: no limit
    max_payload: int = 0  # bytes of a native button payload; 0: no limit
    markup: str = "plain"  # "plain", "gsm" (SMS), "slack" (mrkdwn), "markdown" (Teams)


PLATFORMS: Dict[str, Platform] = {
    # sendMessage text: 4096 characters; callback_data: 1-64 bytes
    "telegram": Platform("telegram", 4096, "native", 100, 0, 64),
    # a section block's text: 3000 characters; an actions block: 25 buttons of 75 characters
    "slack": Platform("slack", 3000, "native", 25, 75, 2000, "slack"),
    # Send API text: 2000 characters; 13 quick replies of 20 characters, payload 1000
    "facebook": Platform("facebook", 2000, "quick_replies", 13, 20, 1000),
    # Twilio Messages API: a body of at most 1600 characters (SMS and WhatsApp)
    "twilio": Platform("twilio", 1600, "numbered", markup="gsm"),
    "whatsapp": Platform("whatsapp", 1600, "numbered"),
    # Teams: about 28 KB per message; buttons go on hero cards (the connector makes cards of 6)
    "botframework": Platform("botframework", 20000, "native", 60, 0, 0, "markdown"),
}


@dataclass(frozen=True)
class Message:
    """One message to send: text, and native buttons (already shortened to fit)."""

    text: str
    buttons: Tuple[Button, ...] = ()


# ---- text ---------------------------------------------------------------------------------
_GSM_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2022": "-", "\u00b7": "-",
}
_URL = re.compile(r"https?://[^\s<>\"]+")


def gsm_text(text: str) -> str:
    """Typographic punctuation replaced by its ASCII look-alike (SMS stays in GSM-7)."""
    return "".join(_GSM_REPLACEMENTS.get(ch, ch) for ch in text)


def slack_escape(text: str) -> str:
    """Slack mrkdwn: &, < and > are control characters and must be escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _markdown_escape(segment: str) -> str:
    return re.sub(r"([\\`*_~])", r"\\\1", segment)


def teams_markdown(text: str) -> str:
    """Markdown for Bot Framework / Teams: line breaks kept, URLs as links, no stray styles.

    Markdown joins single lines into one paragraph, so every line becomes a paragraph
    except consecutive "- " list items, which stay a list.
    """
    lines = text.split("\n")
    out: List[str] = []
    for i, line in enumerate(lines):
        pieces, last = [], 0
        for match in _URL.finditer(line):
            pieces.append(_markdown_escape(line[last:match.start()]))
            url = match.group(0)
            pieces.append(f"[{url}]({url})")
            last = match.end()
        pieces.append(_markdown_escape(line[last:]))
        out.append("".join(pieces))
        if i + 1 < len(lines):
            both_items = line.startswith("- ") and lines[i + 1].startswith("- ")
            out.append("\n" if both_items or not line or not lines[i + 1] else "\n\n")
    return "".join(out)


def encode(platform: Platform, text: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if platform.markup == "gsm":
        return gsm_text(text)
    if platform.markup == "slack":
        return slack_escape(text)
    if platform.markup == "markdown":
        return teams_markdown(text)
    return text


# ---- splitting ------------------------------------------------------------------------------
# Split after a blank line, then after a line end, then after a sentence, then after a word.
_BOUNDARIES = (r"(?<=\n\n)", r"(?<=\n)", r"(?<=[.!?;:] )", r"(?<= )")


def _split(text: str, limit: int, level: int) -> List[str]:
    if len(text.strip()) <= limit:
        return [text]
    if level == len(_BOUNDARIES):  # a single word longer than a message: cut it
        return [text[i:i + limit] for i in range(0, len(text), limit)]
    chunks: List[str] = []
    current = ""
    for piece in (p for p in re.split(_BOUNDARIES[level], text) if p):
        if len((current + piece).strip()) <= limit:
            current += piece
            continue
        if current.strip():
            chunks.append(current)
        current = ""
        if len(piece.strip()) <= limit:
            current = piece
        else:
            chunks.extend(_split(piece, limit, level + 1))
    if current.strip():
        chunks.append(current)
    return chunks


def split_text(text: str, limit: int) -> List[str]:
    """Parts of at most `limit` characters, cut at the largest boundary that fits."""
    if limit < 1:
        raise ValueError("limit must be positive")
    return [c.strip() for c in _split(text.strip(), limit, 0) if c.strip()]


def shorten(title: str, limit: int) -> str:
    """At most `limit` characters, ending in '…' when cut; 0 means no limit."""
    title = " ".join(title.split())
    if not limit or len(title) <= limit:
        return title
    return title[: limit - 1].rstrip() + "\u2026"


# ---- menus ------------------------------------------------------------------------------------
def _usable(buttons: Iterable[Mapping[str, Any]]) -> List[Button]:
    return [{"title": str(b["title"]), "payload": str(b["payload"])}
            for b in buttons or () if b.get("title") and b.get("payload")]


def menu_style(platform: Platform, buttons: Sequence[Button]) -> str:
    """"native", "quick_numbered" (Messenger with long titles) or "numbered"."""
    if platform.menu == "numbered" or len(buttons) > platform.max_buttons:
        return "numbered"
    if platform.max_payload and any(len(b["payload"].encode()) > platform.max_payload for b in buttons):
        return "numbered"
    if platform.menu == "quick_replies" and any(len(b["title"]) > platform.max_title for b in buttons):
        return "quick_numbered"
    return "native"


def numbered_menu(t: Templates, buttons: Sequence[Button], first: int = 1) -> str:
    items = [t.fill("platform_menu_item", n=first + i, title=b["title"]) for i, b in enumerate(buttons)]
    return "\n".join([t.fill("platform_menu_prompt")] + items)


def format_reply(platform: Platform, t: Templates, text: str, buttons: Iterable[Mapping[str, Any]] = (),
                 first_number: int = 1) -> Tuple[List[Message], int]:
    """The messages to send for one bot reply, and the next menu number.

    Menu numbers continue across the replies of one turn (pass the returned number on),
    so that every number the user sees in a turn means one button.
    """
    usable = _usable(buttons)
    style = menu_style(platform, usable) if usable else "none"
    menu, native, next_number = "", (), first_number
    if style in ("numbered", "quick_numbered"):
        menu = encode(platform, numbered_menu(t, usable, first_number))
        next_number = first_number + len(usable)
    if style == "native":
        native = tuple({"title": shorten(b["title"], platform.max_title), "payload": b["payload"]}
                       for b in usable)
    elif style == "quick_numbered":
        native = tuple({"title": shorten(t.fill("platform_menu_item", n=first_number + i, title=b["title"]),
                                         platform.max_title), "payload": b["payload"]}
                       for i, b in enumerate(usable))

    body = encode(platform, text or "")

    def compose(limit: int) -> List[str]:
        parts = split_text(body, limit) if body else []
        if menu and parts and len(parts[-1]) + 2 + len(menu) <= limit:
            parts[-1] = f"{parts[-1]}\n\n{menu}"
        elif menu:
            parts.extend(split_text(menu, limit))
        return parts

    parts = compose(platform.max_chars)
    if len(parts) > 1:  # room for the "(1/2)" markers
        parts = compose(platform.max_chars - len(t.fill("platform_part", n=99, total=99)) - 1)
        parts = [f"{t.fill('platform_part', n=i, total=len(parts))} {p}" for i, p in enumerate(parts, 1)]
    if not parts:
        parts = [""] if native else []
    messages = [Message(p) for p in parts]
    if native and messages:
        messages[-1] = Message(messages[-1].text, native)
    return messages, next_number


# ---- numbered replies ---------------------------------------------------------------------------
_NUMBER = re.compile(r"\s*#?\s*(\d{1,3})\s*[.)]?\s*")


def menu_choice(text: Optional[str], buttons: Sequence[Mapping[str, Any]]) -> Optional[str]:
    """The payload of button number `text` (1-based), if `text` is just such a number."""
    match = _NUMBER.fullmatch(text or "")
    if not match:
        return None
    n = int(match.group(1))
    usable = _usable(buttons)
    return usable[n - 1]["payload"] if 1 <= n <= len(usable) else None


def last_turn_buttons(events: Sequence[Mapping[str, Any]]) -> List[Button]:
    """The buttons of the bot's messages since the user's last message, in order.

    `events` are Rasa events as dictionaries (`Event.as_dict()`), oldest first.
    """
    found: List[List[Button]] = []
    for event in reversed(events):
        kind = event.get("event")
        if kind == "user":
            break
        if kind == "bot":
            found.append(_usable((event.get("data") or {}).get("buttons") or ()))
    return [b for buttons in reversed(found) for b in buttons]
