"""Rasa input channels that serve the editor's desk and the public ClaimReview pages.

- `bot.desk.channel.DeskInput` (in the generated credentials only when DESK_TOKEN is set;
  bot/channels/config.py): /desk/ overview, /desk/queue (with labels), /desk/review,
  /desk/export/*.csv, login and logout. Without DESK_TOKEN it registers no route at all.
  Pages read the server's own SQL tracker store; reading new events and rendering happen
  in a process of the desk's own (worker.py), so the bot's replies never wait for them.
- `bot.desk.channel.ClaimReviewInput` (always on: it holds no personal data):
  /claimreview.json and /claims/<myth>, a page carrying the myth's ClaimReview JSON-LD.
  Absolute URLs use PUBLIC_URL, else the address the request came to.
Both attach their routes at the server's root, not under /webhooks/.
"""
from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.desk import auth, pages
from bot.desk.claimreview import claim_review, feed, load_reviews
from bot.desk.pseudonym import secret_from_env
from bot.desk.service import period
from bot.desk.worker import DeskWorker
from bot.knowledge import KnowledgeError, knowledge_dir, load_content

logger = logging.getLogger(__name__)

COMMON = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
PRIVATE = {**COMMON, "Cache-Control": "no-store", "Content-Security-Policy": pages.DESK_CSP}
LOGIN_DELAY = 1.0  # seconds before a wrong token is answered
PUBLIC = {**COMMON, "Cache-Control": "public, max-age=300", "Content-Security-Policy": pages.PUBLIC_CSP}


class RootBlueprint(Blueprint):
    """A blueprint whose routes stay at the root although Rasa mounts channels under a prefix."""

    def register(self, app: Sanic, options: Dict[Text, Any]) -> None:
        super().register(app, {**options, "url_prefix": None})


def sql_tracker_url(app: Sanic) -> Optional[str]:
    """The URL of the running server's SQL tracker store, through Rasa's wrappers."""
    store = getattr(getattr(app.ctx, "agent", None), "tracker_store", None)
    for _ in range(5):
        if store is None or hasattr(store, "engine"):
            break
        store = getattr(store, "_tracker_store", None)
    engine = getattr(store, "engine", None)
    return engine.url.render_as_string(hide_password=False) if engine is not None else None


class DeskInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "desk"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(os.environ.get("DESK_TOKEN", ""), credentials.get("tracker_url"), credentials.get("root"))

    def __init__(self, token: str, tracker_url: Optional[str] = None, root: Optional[str] = None) -> None:
        self.token = (token or "").strip()
        self.tracker_url = tracker_url
        self.root = Path(root) if root else None
        self.worker: Optional[DeskWorker] = None

    async def _run(self, request: Request, method: str, *args: Any, **kwargs: Any) -> Any:
        """Desk.<method> in the desk's process, after it read the new events."""
        if self.worker is None:
            url = self.tracker_url or sql_tracker_url(request.app)
            if url is None:
                raise RuntimeError("the desk needs Rasa's SQL tracker store (endpoints.yml)")
            secret_from_env(os.environ)  # fail here, with a clear message, when there is no secret
            self.worker = DeskWorker(url, self.root)
        return await asyncio.wrap_future(self.worker.submit(method, *args, **kwargs))

    def _editor(self, request: Request) -> Optional[str]:
        if auth.token_ok(self.token, auth.bearer(request.headers)):
            return auth.API_EDITOR
        return auth.session_editor(self.token, request.cookies.get(auth.COOKIE))

    def _csrf(self, request: Request) -> str:
        cookie = request.cookies.get(auth.COOKIE)
        return auth.form_token(self.token, cookie) if cookie else ""

    @staticmethod
    def _unauthorised(request: Request, error: str = "") -> HTTPResponse:
        if "text/html" in request.headers.get("accept", ""):
            return response.html(pages.login_page(error), status=401, headers=PRIVATE)
        return response.text("401: send Authorization: Bearer <DESK_TOKEN>", status=401, headers=PRIVATE)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = RootBlueprint("desk_pages", __name__)
        if not self.token:
            logger.info("desk: DESK_TOKEN is not set, so no /desk/ routes")
            return bp

        def guarded(handler: Callable[..., Awaitable[HTTPResponse]], post: bool = False):
            async def wrapper(request: Request, *args: Any, **kwargs: Any) -> HTTPResponse:
                editor = self._editor(request)
                if editor is None:
                    return self._unauthorised(request)
                if post and editor != auth.API_EDITOR and not auth.form_ok(
                        self.token, request.cookies.get(auth.COOKIE), (request.form or {}).get("csrf")):
                    return response.text("403: the form token is missing or stale; reload the page",
                                         status=403, headers=PRIVATE)
                try:
                    return await handler(request, editor, *args, **kwargs)
                except Exception:  # an editor gets a message, never a stack trace
                    logger.exception("desk: a page failed")
                    return response.text("500: the desk could not build this page; see the server log",
                                         status=500, headers=PRIVATE)
            wrapper.__name__ = handler.__name__
            return wrapper

        async def page(request: Request, editor: str, name: str) -> HTTPResponse:
            days = period(request.args.get("days"))
            body = await self._run(request, "page", name, days, self._csrf(request), editor)
            return response.html(body, headers=PRIVATE)

        async def export(request: Request, editor: str, name: str) -> HTTPResponse:
            if name not in ("overview.csv", "myths.csv", "clusters.csv", "candidates.yml"):
                return response.text("404: no such export", status=404, headers=PRIVATE)
            body = await self._run(request, "export", name, period(request.args.get("days")))
            mime = "text/csv; charset=utf-8" if name.endswith(".csv") else "text/yaml; charset=utf-8"
            headers = {**PRIVATE, "Content-Disposition": f'attachment; filename="desk-{name}"'}
            return response.text(body, content_type=mime, headers=headers)

        async def label(request: Request, editor: str, cluster_id: int) -> HTTPResponse:
            form = request.form or {}
            days = period(request.args.get("days"))
            try:
                await self._run(request, "label", cluster_id, form.get("label", ""), form.get("myth") or None, editor)
            except ValueError as error:
                body = await self._run(request, "page", "queue", days, self._csrf(request), editor,
                                       message=f"Not saved: {error}.")
                return response.html(body, status=400, headers=PRIVATE)
            return response.redirect(f"/desk/queue?days={days}#c{cluster_id}", status=303, headers=PRIVATE)

        async def login_form(request: Request) -> HTTPResponse:
            if self._editor(request):
                return response.redirect("/desk/", status=303, headers=PRIVATE)
            return response.html(pages.login_page(), headers=PRIVATE)

        async def login(request: Request) -> HTTPResponse:
            form = request.form or {}
            if not auth.token_ok(self.token, form.get("token")):
                await asyncio.sleep(LOGIN_DELAY)  # slows down guessing
                return response.html(pages.login_page("That token is not the desk's."), status=401, headers=PRIVATE)
            result = response.redirect("/desk/", status=303, headers=PRIVATE)
            result.cookies[auth.COOKIE] = auth.make_session(self.token, form.get("editor", ""))
            cookie = result.cookies[auth.COOKIE]
            cookie["httponly"] = True
            cookie["samesite"] = "Strict"
            cookie["path"] = "/desk"
            cookie["max-age"] = auth.SESSION_SECONDS
            if request.headers.get("x-forwarded-proto", request.scheme) == "https":
                cookie["secure"] = True
            return result

        async def logout(request: Request, editor: str) -> HTTPResponse:
            result = response.redirect("/desk/login", status=303, headers=PRIVATE)
            result.cookies[auth.COOKIE] = ""
            result.cookies[auth.COOKIE]["path"] = "/desk"
            result.cookies[auth.COOKIE]["max-age"] = 0
            return result

        async def css(request: Request) -> HTTPResponse:
            return await response.file(pages.CSS, mime_type="text/css; charset=utf-8", headers=PUBLIC)

        for path, name in (("/desk/", "overview"), ("/desk/queue", "queue"), ("/desk/review", "review")):
            bp.add_route(guarded(partial_page(page, name)), path, methods=["GET"], name=f"desk_{name}")
        bp.add_route(guarded(export), "/desk/export/<name:str>", methods=["GET"], name="desk_export")
        bp.add_route(guarded(label, post=True), "/desk/queue/<cluster_id:int>", methods=["POST"], name="desk_label")
        bp.add_route(login_form, "/desk/login", methods=["GET"], name="desk_login_form")
        bp.add_route(login, "/desk/login", methods=["POST"], name="desk_login")
        bp.add_route(guarded(logout, post=True), "/desk/logout", methods=["POST"], name="desk_logout")
        bp.add_route(css, "/desk/desk.css", methods=["GET"], name="desk_css")
        return bp


def partial_page(page: Callable[..., Awaitable[HTTPResponse]], name: str) -> Callable[..., Awaitable[HTTPResponse]]:
    async def handler(request: Request, editor: str) -> HTTPResponse:
        return await page(request, editor, name)
    handler.__name__ = f"desk_{name}"
    return handler


class ClaimReviewInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "claimreview"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        return cls((credentials or {}).get("root"))

    def __init__(self, root: Optional[str] = None) -> None:
        self.root = Path(root) if root else None

    def _data(self):
        kb = load_content(self.root).kb
        return kb, load_reviews(knowledge_dir(self.root) / "claimreview.yml", kb)

    @staticmethod
    def base_url(request: Request) -> str:
        public = os.environ.get("PUBLIC_URL", "").strip()
        return public.rstrip("/") if public else f"{request.scheme}://{request.host}"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = RootBlueprint("claimreview_pages", __name__)

        async def all_reviews(request: Request) -> HTTPResponse:
            try:
                kb, reviews = self._data()
            except KnowledgeError:
                logger.exception("claimreview: data/knowledge/claimreview.yml is not valid")
                return response.text("503: the reviews are being fixed", status=503, headers=PUBLIC)
            body = json.dumps(feed(kb, reviews, self.base_url(request)), ensure_ascii=False, indent=1)
            return response.text(body, content_type="application/ld+json; charset=utf-8", headers=PUBLIC)

        async def one(request: Request, myth: str) -> HTTPResponse:
            try:
                kb, reviews = self._data()
            except KnowledgeError:
                logger.exception("claimreview: data/knowledge/claimreview.yml is not valid")
                return response.text("503: the reviews are being fixed", status=503, headers=PUBLIC)
            if myth not in kb.myths:
                return response.text("404: no such myth", status=404, headers=PUBLIC)
            from bot.desk.claimreview import body as rebuttal

            review = claim_review(kb, reviews, myth, self.base_url(request))
            return response.html(pages.claim_page(review, rebuttal(kb, kb.myths[myth])), headers=PUBLIC)

        async def css(request: Request) -> HTTPResponse:
            return await response.file(pages.CSS, mime_type="text/css; charset=utf-8", headers=PUBLIC)

        bp.add_route(all_reviews, "/claimreview.json", methods=["GET"], name="claimreview_feed")
        bp.add_route(css, "/claims/style.css", methods=["GET"], name="claimreview_css")
        bp.add_route(one, "/claims/<myth:str>", methods=["GET"], name="claimreview_page")
        return bp
