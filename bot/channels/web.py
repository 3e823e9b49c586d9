"""Website chat widget channel: Rasa's socket.io protocol plus the widget's page and files.

Registered in credentials.yml as `bot.channels.web.WebChatInput`. Compared with Rasa's own
`socketio` channel it

- serves the widget (web/) from the Rasa server itself: the page at `/` for browsers (a
  request that does not accept text/html still gets Rasa's "Hello from Rasa" reply) and
  its files under `/widget/`, so page and socket.io share one origin;
- accepts socket.io connections only from the page's own origin and from the origins in
  `cors_origins` (credentials) or the environment variable CORS_ORIGINS. Browsers apply no
  CORS rules to WebSockets, so the check has to be on the server; Rasa's own channel
  switches it off. CORS headers for the polling transport come from `rasa run --cors`,
  which scripts/run.sh sets from the same CORS_ORIGINS;
- sends each bot reply as one message (text and buttons) instead of one message per
  paragraph, so a rebuttal's "[1]" markers and its "Sources:" list stay together;
- awaits `enter_room` when python-socketio makes it a coroutine (5.10 and later), so
  session persistence does not silently break on an upgrade (RasaHQ/rasa#13027);
- ignores malformed or oversized user messages.

The protocol (events `session_request`, `session_confirm`, `user_uttered`, `bot_uttered`)
is Rasa's, so other socket.io clients of Rasa work with it too.
"""
from __future__ import annotations

import inspect
import logging
import os
import re
import uuid
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Text

import engineio
import socketio
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels.rest import never_silent
from bot.knowledge.content import load_content

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parents[2] / "web"
MAX_MESSAGE_CHARS = 2000

# Files the server hands out under /widget/; nothing else in web/ is reachable.
WIDGET_FILES: Dict[str, str] = {
    "widget.js": "text/javascript; charset=utf-8",
    "widget.css": "text/css; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "vendor/socket.io.min.js": "text/javascript; charset=utf-8",
    "vendor/socket.io.LICENSE": "text/plain; charset=utf-8",
    "embed-example.html": "text/html; charset=utf-8",
}

# The page's policy: only its own scripts, styles, images and connections (which in
# CSP level 3 includes ws:// and wss:// to the same host).
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


def parse_origins(value: Any) -> List[str]:
    """Origins from a list or a comma- or space-separated string, without trailing '/'."""
    if value is None:
        return []
    items: Iterable[Any] = value if isinstance(value, (list, tuple)) else re.split(r"[\s,]+", str(value))
    return [str(item).strip().rstrip("/") for item in items if str(item).strip()]


def own_origins(environ: Dict[str, Any]) -> List[str]:
    """The origin(s) the request was addressed to, as engine.io computes them."""
    host = environ.get("HTTP_HOST")
    if not host:
        return []
    scheme = environ.get("wsgi.url_scheme", "http")
    found = [f"{scheme}://{host}"]
    if "HTTP_X_FORWARDED_HOST" in environ or "HTTP_X_FORWARDED_PROTO" in environ:
        f_scheme = environ.get("HTTP_X_FORWARDED_PROTO", scheme).split(",")[0].strip()
        f_host = environ.get("HTTP_X_FORWARDED_HOST", host).split(",")[0].strip()
        found.append(f"{f_scheme}://{f_host}")
    return found


async def _maybe_await(result: Any) -> None:
    # python-socketio 5.10 made enter_room/leave_room coroutines; 5.9 returns None
    if inspect.isawaitable(result):
        await result


class OriginCheckingEngineIO(engineio.AsyncServer):
    """engine.io server that rejects unlisted origins but leaves CORS headers to Rasa.

    Rasa's Sanic-CORS middleware already adds Access-Control-Allow-Origin for the
    origins given to `rasa run --cors`; a second copy from engine.io would make
    browsers reject the response.
    """

    def _cors_headers(self, environ):  # noqa: D401 - engine.io's hook
        return []


class OriginCheckingSocketIO(socketio.AsyncServer):
    def _engineio_server_class(self):
        return OriginCheckingEngineIO


class WebChatOutput(OutputChannel):
    """Sends each reply to the conversation's room as one `bot_uttered` message."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    def __init__(self, sio: socketio.AsyncServer, bot_message_evt: Text) -> None:
        self.sio = sio
        self.bot_message_evt = bot_message_evt

    async def _send(self, room: Text, message: Dict[Text, Any]) -> None:
        await self.sio.emit(self.bot_message_evt, message, room=room)

    @staticmethod
    def _language(message: Dict[Text, Any], kwargs: Dict[Text, Any]) -> Dict[Text, Any]:
        """The reply's language (set by the actions) travels with it: the widget follows it."""
        if isinstance(kwargs.get("language"), str):
            message["language"] = kwargs["language"]
        return message

    async def send_text_message(self, recipient_id: Text, text: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, self._language({"text": text.strip()}, kwargs))

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        quick_replies = [
            {"content_type": "text", "title": b.get("title", ""), "payload": b.get("payload", "")}
            for b in buttons
        ]
        await self._send(recipient_id, self._language({"text": (text or "").strip(), "quick_replies": quick_replies}, kwargs))

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        await self._send(recipient_id, {"attachment": {"type": "image", "payload": {"src": image}}})

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        await self._send(recipient_id, {"custom": json_message})


def widget_languages() -> Dict[Text, Any]:
    """Every language's interface strings, name and month names, for the widget."""
    content = load_content()
    out = {}
    for code in content.codes or ("en",):
        local = content.for_language(code)
        language = content.languages.get(code)
        out[code] = {"name": language.name if language else code, "strings": dict(local.widget_strings),
                     "months": sorted(set(language.months) | set(language.months_of)) if language else []}
    return {"languages": out}


class WidgetBlueprint(SocketBlueprint):
    """Attaches socket.io, the widget's files and the page at `/` to the Sanic app."""

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        super().register(app, options)
        if getattr(app.ctx, "web_widget_registered", False):
            return
        app.ctx.web_widget_registered = True

        async def widget_file(request: Request, name: str) -> HTTPResponse:
            mime = WIDGET_FILES.get(name)
            path = WEB_DIR / name
            if mime is None or not path.is_file():
                return response.text("Not found", status=404)
            return await response.file(path, mime_type=mime, headers=dict(COMMON_HEADERS))

        async def widget_strings(request: Request) -> HTTPResponse:
            return response.json(widget_languages(), headers=dict(COMMON_HEADERS, **{"Cache-Control": "no-cache"}))

        app.add_route(widget_strings, "/widget/strings.json", methods=["GET"], name="web_widget_strings")
        app.add_route(widget_file, "/widget/<name:path>", methods=["GET"], name="web_widget_file")

        async def page_for_browsers(request: Request) -> Optional[HTTPResponse]:
            # Rasa already answers GET / with "Hello from Rasa" (health checks rely on it);
            # browsers asking for HTML get the widget page instead.
            if request.path != "/" or request.method != "GET":
                return None
            if "text/html" not in request.headers.get("accept", ""):
                return None
            headers = dict(COMMON_HEADERS, **{"Content-Security-Policy": PAGE_CSP})
            return await response.file(WEB_DIR / "index.html", mime_type="text/html; charset=utf-8", headers=headers)

        app.register_middleware(page_for_browsers, "request")


class WebChatInput(InputChannel):
    """socket.io input channel for the website widget (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        origins = credentials.get("cors_origins")
        if origins is None:
            origins = os.environ.get("CORS_ORIGINS", "")
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            session_persistence=credentials.get("session_persistence", True),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            cors_origins=parse_origins(origins),
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method", "HS256"),
            metadata_key=credentials.get("metadata_key", "metadata"),
        )

    def __init__(
        self,
        user_message_evt: Text = "user_uttered",
        bot_message_evt: Text = "bot_uttered",
        session_persistence: bool = True,
        socketio_path: Text = "/socket.io",
        cors_origins: Optional[List[Text]] = None,
        jwt_key: Optional[Text] = None,
        jwt_method: Text = "HS256",
        metadata_key: Text = "metadata",
    ) -> None:
        self.user_message_evt = user_message_evt
        self.bot_message_evt = bot_message_evt
        self.session_persistence = session_persistence
        self.socketio_path = socketio_path
        self.cors_origins = list(cors_origins or [])
        self.jwt_key = jwt_key
        self.jwt_method = jwt_method
        self.metadata_key = metadata_key
        self.sio: Optional[socketio.AsyncServer] = None
        self.sessions: Dict[str, str] = {}  # socket id -> confirmed conversation id

    def origin_allowed(self, origin: Optional[str], environ: Dict[str, Any]) -> bool:
        """Same origin as the server, or one of the configured origins ('*' allows all)."""
        if not origin:
            return True  # not a browser's cross-origin request
        origin = origin.rstrip("/")
        return "*" in self.cors_origins or origin in self.cors_origins or origin in own_origins(environ)

    def get_output_channel(self) -> Optional[OutputChannel]:
        return WebChatOutput(self.sio, self.bot_message_evt) if self.sio else None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = never_silent(on_new_message)  # apologise instead of silence
        sio = OriginCheckingSocketIO(async_mode="sanic", cors_allowed_origins=self.origin_allowed)
        self.sio = sio
        bp = WidgetBlueprint(sio, self.socketio_path, "webchat_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect")
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict] = None) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_method))

        @sio.on("disconnect")
        async def disconnect(sid: Text) -> None:
            self.sessions.pop(sid, None)

        @sio.on("session_request")
        async def session_request(sid: Text, data: Any = None) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not re.fullmatch(r"[A-Za-z0-9_-]{8,64}", session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                previous = self.sessions.get(sid)
                if previous and previous != session_id:  # "new conversation" in the widget
                    await _maybe_await(sio.leave_room(sid, previous))
                await _maybe_await(sio.enter_room(sid, session_id))
            self.sessions[sid] = session_id
            await sio.emit("session_confirm", session_id, room=sid)

        @sio.on(self.user_message_evt)
        async def handle_message(sid: Text, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            text = data["message"].strip()
            if not text or len(text) > MAX_MESSAGE_CHARS:
                logger.debug("webchat: ignored an empty or oversized message from %s", sid)
                return
            if self.session_persistence:
                # the conversation this socket was confirmed for, not whatever id it sends
                sender_id = self.sessions.get(sid)
                if sender_id is None:
                    logger.warning("webchat: message before session_request ignored")
                    return
            else:
                sender_id = sid
            metadata = data.get(self.metadata_key)
            metadata = metadata if isinstance(metadata, dict) else {}
            output = WebChatOutput(sio, self.bot_message_evt)
            # replies go to the room named after sender_id: the conversation's room that
            # session_request joined, or without session persistence the socket's own room
            await on_new_message(
                UserMessage(text, output, sender_id, input_channel=self.name(), metadata=metadata)
            )

        return bp
