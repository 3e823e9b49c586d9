"""Local stand-ins for the chat platforms' HTTP APIs, on 127.0.0.1, recording every call.

One threaded HTTP server answers, under a prefix per platform, the calls the connectors
make, with the platforms' documented response shapes:
  /telegram/bot<token>/<method>                 Telegram Bot API (setWebhook, sendMessage, ...)
  /slack/api/chat.postMessage                   Slack Web API
  /facebook/v19.0/me/messages                   Messenger Send API
  /twilio/2010-04-01/Accounts/<sid>/Messages.json   Twilio Messages API
  /botframework/openid, /keys, /token           Bot Framework OpenID metadata, keys, token
  /botframework/service/v3/conversations/<id>/activities   Bot Connector API (serviceUrl)
Tests read `calls` (or wait for one with `wait_for`) to see exactly what would have gone
to the platform.
"""
from __future__ import annotations

import email.parser
import email.policy
import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional
from urllib.parse import parse_qs, unquote, urlsplit

from tests.bot_servers import free_port


@dataclass
class Call:
    method: str
    path: str  # without the query string, percent-decoded
    query: Dict[str, str]
    headers: Dict[str, str]
    body: Any  # JSON, or a dict of form fields, or text

    @property
    def platform(self) -> str:
        return self.path.strip("/").split("/", 1)[0]


def _parse_body(content_type: str, raw: bytes) -> Any:
    if not raw:
        return None
    if "application/json" in content_type:
        return json.loads(raw)
    if "application/x-www-form-urlencoded" in content_type:
        return {k: v[0] if len(v) == 1 else v for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()}
    if "multipart/form-data" in content_type:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
        return {part.get_param("name", header="content-disposition"): part.get_content()
                for part in message.iter_parts()}
    return raw.decode(errors="replace")


class PlatformStandIns:
    def __init__(self, jwks: Optional[Dict[str, Any]] = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.jwks = jwks or {"keys": []}
        self.calls: List[Call] = []
        self.changed = threading.Condition()
        self.server: Optional[http.server.ThreadingHTTPServer] = None
        self._ids = 0

    # ---- answers, by platform ------------------------------------------------------------
    def _answer(self, call: Call) -> tuple:
        parts = call.path.strip("/").split("/")
        body = call.body if isinstance(call.body, dict) else {}
        self._ids += 1
        if call.platform == "telegram":
            method = parts[-1]
            if method == "sendMessage":
                chat = int(body.get("chat_id", 0))
                return 200, {"ok": True, "result": {"message_id": self._ids, "date": int(time.time()),
                                                    "chat": {"id": chat, "type": "private"},
                                                    "text": body.get("text", "")}}
            return 200, {"ok": True, "result": True}
        if call.platform == "slack":
            return 200, {"ok": True, "channel": body.get("channel"), "ts": f"{time.time():.6f}",
                         "message": {"text": body.get("text", "")}}
        if call.platform == "facebook":
            recipient = (body.get("recipient") or {}).get("id")
            return 200, {"recipient_id": recipient, "message_id": f"m_{self._ids}"}
        if call.platform == "twilio":
            return 201, {"sid": f"SM{self._ids:032d}", "account_sid": parts[3], "to": body.get("To"),
                         "from": body.get("From"), "body": body.get("Body"), "status": "queued",
                         "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01"}
        if call.platform == "botframework":
            if parts[1:] == ["openid"]:
                return 200, {"issuer": "https://api.botframework.com", "jwks_uri": f"{self.url}/botframework/keys",
                             "id_token_signing_alg_values_supported": ["RS256"]}
            if parts[1:] == ["keys"]:
                return 200, self.jwks
            if parts[1:] == ["token"]:
                return 200, {"token_type": "Bearer", "expires_in": 3600, "ext_expires_in": 3600,
                             "access_token": "stand-in-access-token"}
            if "activities" in parts:
                return 200, {"id": f"activity-{self._ids}"}
        return 404, {"error": "unknown stand-in path"}

    # ---- server ------------------------------------------------------------------------------
    def start(self) -> "PlatformStandIns":
        standins = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _handle(self) -> None:
                raw = self.rfile.read(int(self.headers.get("content-length") or 0))
                split = urlsplit(self.path)
                call = Call(self.command, unquote(split.path), {k: v[0] for k, v in parse_qs(split.query).items()},
                            {k.lower(): v for k, v in self.headers.items()},
                            _parse_body(self.headers.get("content-type", ""), raw))
                with standins.changed:
                    status, answer = standins._answer(call)
                    standins.calls.append(call)
                    standins.changed.notify_all()
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_DELETE = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()

    # ---- reading what was sent -------------------------------------------------------------------
    def find(self, predicate: Callable[[Call], bool]) -> List[Call]:
        with self.changed:
            return [c for c in self.calls if predicate(c)]

    def wait_for(self, predicate: Callable[[Call], bool], count: int = 1, timeout: float = 120) -> List[Call]:
        """The calls matching `predicate`, once there are at least `count` of them."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                found = [c for c in self.calls if predicate(c)]
                if len(found) >= count or time.monotonic() > deadline:
                    return found
                self.changed.wait(timeout=1)

    def mark(self) -> int:
        """A position in the call log; `since(mark)` gives the calls made after it."""
        with self.changed:
            return len(self.calls)

    def since(self, mark: int) -> List[Call]:
        with self.changed:
            return list(self.calls[mark:])
