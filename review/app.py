"""The review web application (Starlette): server-rendered pages over the registry.

Pages: `/` the queue (documents needing a person, worst first; filters by status, finding
code, unit, batch), `/projects` the same documents by project, `/doc/<id>` one document
(pages with overlays, every finding and every reading beside its crop, the forms that decide,
the audit trail), `/doc/<id>.json` its reviewed record as exported.

Safety:

- every POST carries a CSRF token: an HMAC (server secret) of a random cookie, checked
  against that cookie (`SameSite=Strict`, `HttpOnly`); a cross-site form cannot forge it;
- every page is rendered by autoescaping Jinja2 templates (a value read from a scan cannot
  inject markup) and served with a strict Content-Security-Policy (no script at all);
- with a token (`TASKSHEET_REVIEW_TOKEN`), every page asks for it first (`/login`; a cookie
  holding its HMAC then); `review.server` refuses a non-local address without one;
- `allowed_hosts` (the loopback names when bound to loopback) turns away DNS rebinding;
- every decision names the review version it was made on; a stale one is refused (409).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import (
    FileResponse,
    HTMLResponse,
    JSONResponse,
    RedirectResponse,
    Response,
)
from starlette.routing import Route
from tasksheet.registry.db import Registry
from tasksheet.registry.export import record_json
from tasksheet.registry.reviews import KINDS, ReviewError, Reviews, StaleReview, machine_reading
from tasksheet.reports.html import CSS_PATH, SEVERITY_ZH, STATUS_ZH, safe_name
from tasksheet.reports.html import TEMPLATES as REPORT_TEMPLATES
from tasksheet.review import data
from tasksheet.schemas.errors import TasksheetError

TEMPLATES = Path(__file__).with_name("templates")
REVIEW_CSS = Path(__file__).with_name("review.css")
CSRF_COOKIE, AUTH_COOKIE, REVIEWER_COOKIE = "ts_csrf", "ts_auth", "ts_reviewer"
TOKEN_ENV, SECRET_ENV = "TASKSHEET_REVIEW_TOKEN", "TASKSHEET_REVIEW_SECRET"
CSP = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")
KIND_ZH = {"reading_confirmed": "确认读数", "reading_corrected": "更正读数",
           "finding_confirmed": "确认问题", "finding_dismissed": "驳回问题（误报）",
           "sheet_returned": "退回单位", "sheet_accepted": "接受", "sheet_reopened": "重新打开"}
DONE_ZH = {"reading_confirmed": "已确认读数", "reading_corrected": "已更正读数，规则已重新核查",
           "finding_confirmed": "已确认问题", "finding_dismissed": "已驳回问题，规则已重新核查",
           "sheet_returned": "已标记为退回单位", "sheet_accepted": "已标记为接受",
           "sheet_reopened": "已重新打开", "reviewer": "已记下审核人"}
DISPOSITION_ZH = {"returned": "已退回单位", "accepted": "已接受"}
MAX_BODY = 1 << 20  # bytes of a form: a decision is a few hundred
_SAFE_FILE = re.compile(r"^[A-Za-z0-9_.-]+\.jpg$")


def _environment() -> Environment:
    # the report's templates too: its overlay and badge macros draw the same pages
    loader = ChoiceLoader([FileSystemLoader(TEMPLATES), FileSystemLoader(REPORT_TEMPLATES)])
    env = Environment(loader=loader, autoescape=select_autoescape(
        ["html"], default_for_string=True, default=True), undefined=StrictUndefined,
        finalize=lambda v: "" if v is None else v)
    env.globals.update(status_zh=STATUS_ZH, severity_zh=SEVERITY_ZH, kind_zh=KIND_ZH,
                       disposition_zh=DISPOSITION_ZH)
    env.filters["show"] = data.show_value
    env.filters["safe_name"] = safe_name
    return env


ENV = _environment()


def _css() -> str:
    return "".join(p.read_text(encoding="utf-8") for p in (CSS_PATH, REVIEW_CSS) if p.is_file())


class ReviewApp:
    """The application's state: its registry, output folder, secrets."""

    def __init__(self, registry: str, out: Path | None, token: str | None,
                 secret: bytes | None) -> None:
        self.registry = Registry(registry)
        self.reviews = Reviews(self.registry)
        self.out = out
        self.token = token or None
        self.secret = secret or os.environ.get(SECRET_ENV, "").encode() or secrets.token_bytes(32)
        self.css = _css()

    # -- tokens ------------------------------------------------------------------------------

    def _mac(self, what: str, value: str) -> str:
        return hmac.new(self.secret, f"{what}:{value}".encode(), hashlib.sha256).hexdigest()

    def csrf_for(self, request: Request) -> tuple[str, str | None]:
        """(form token, new cookie value or None when the browser has one)."""
        cookie = request.cookies.get(CSRF_COOKIE)
        new = None
        if not cookie or len(cookie) > 100:
            cookie = new = secrets.token_urlsafe(32)
        return self._mac("csrf", cookie), new

    def csrf_ok(self, request: Request, form: Any) -> bool:
        cookie = request.cookies.get(CSRF_COOKIE) or ""
        sent = str(form.get("csrf") or "")
        return bool(cookie and sent) and hmac.compare_digest(sent, self._mac("csrf", cookie))

    def authorised(self, request: Request) -> bool:
        if self.token is None:
            return True
        bearer = request.headers.get("authorization", "")
        if bearer.startswith("Bearer ") and hmac.compare_digest(bearer[7:], self.token):
            return True
        return hmac.compare_digest(request.cookies.get(AUTH_COOKIE, ""),
                                   self._mac("auth", self.token))

    # -- rendering ---------------------------------------------------------------------------

    def render(self, request: Request, name: str, status: int = 200, **context: Any) -> Response:
        csrf, new_cookie = self.csrf_for(request)
        reviewer = unquote(request.cookies.get(REVIEWER_COOKIE, ""))[:200]
        html = ENV.get_template(name).render(
            css=self.css, csrf=csrf, reviewer=reviewer, auth=self.token is not None,
            request_path=request.url.path, **context)
        response = HTMLResponse(html, status_code=status)
        if new_cookie:
            response.set_cookie(CSRF_COOKIE, new_cookie, httponly=True, samesite="strict")
        return response


def _headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Cache-Control"] = "no-store"
    return response


def create_app(registry: str, out: Path | None = None, *, token: str | None = None,
               secret: bytes | None = None, allowed_hosts: list[str] | None = None) -> Starlette:
    """The review application over `registry` (page images from `out`, when given)."""
    app_state = ReviewApp(registry, out, token, secret)

    async def guard(request: Request, call_next: Any) -> Response:
        if not app_state.authorised(request) and request.url.path != "/login":
            return _headers(RedirectResponse("/login", status_code=303))
        return _headers(await call_next(request))

    async def queue_page(request: Request) -> Response:
        filters = data.Filters.of(request.query_params)
        items = await run_in_threadpool(data.load_items, app_state.registry)
        return app_state.render(request, "queue.html", items=data.queue(items, filters),
                                filters=filters, choices=data.choices(items),
                                counts=data.counts(items), view="queue")

    async def projects_page(request: Request) -> Response:
        items = await run_in_threadpool(data.load_items, app_state.registry)
        status = request.query_params.get("status") or ""
        unit = (request.query_params.get("unit") or "").strip()
        found = [p for p in data.projects(items) if (not status or p.status == status)
                 and (not unit or data.unit_matches(unit, [p.commissioning_unit,
                                                          p.undertaking_unit]))]
        return app_state.render(request, "projects.html", projects=found, view="projects",
                                wanted_status=status, unit=unit)

    async def document_page(request: Request, message: str | None = None,
                            error: str | None = None, status: int = 200) -> Response:
        doc_id = request.path_params["doc_id"]
        items = await run_in_threadpool(data.load_items, app_state.registry)
        item = next((i for i in items if i.id == doc_id), None)
        if item is None:
            return app_state.render(request, "error.html", 404, message="没有这个文档",
                                    view="")
        decisions = await run_in_threadpool(app_state.reviews.decisions, doc_id)
        view = await run_in_threadpool(data.document_view, item, app_state.out, decisions)
        done = request.query_params.get("done")
        return app_state.render(request, "document.html", status, doc=view,
                                project=data.project_of(items, doc_id),
                                message=message or DONE_ZH.get(done or ""), error=error,
                                kinds=KINDS, view="")

    async def decide(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        form = await request.form()
        if not app_state.csrf_ok(request, form):
            return app_state.render(request, "error.html", 403, view="",
                                    message="表单已过期或来自别处（CSRF 校验失败）：请重新打开页面")
        kind = str(form.get("kind") or "")
        if kind == "reviewer":
            name = str(form.get("reviewer") or "").strip()[:200]
            response = RedirectResponse(f"/doc/{quote(doc_id)}?done=reviewer", status_code=303)
            if name:
                response.set_cookie(REVIEWER_COOKIE, quote(name), samesite="strict",
                                    httponly=True, max_age=30 * 86400)
            return response
        try:
            version = int(str(form.get("version") or "-1"))
        except ValueError:
            version = -1
        target = str(form.get("target") or "") or None
        value: Any = None
        if kind == "reading_corrected":
            items = await run_in_threadpool(data.load_items, app_state.registry, doc_id)
            item = items[0] if items else None
            if item is not None and target:
                kind_of = data.field_kind(data.template_of(item.machine), target,
                                          machine_reading(item.machine, target))
                value = data.parse_value(kind_of, str(form.get("value") or ""))
        try:
            await run_in_threadpool(
                app_state.reviews.decide, doc_id, version=version,
                reviewer=str(form.get("reviewer") or ""), kind=kind, target=target,
                value=value, reason=str(form.get("reason") or ""))
        except StaleReview as exc:
            return await document_page(request, error=str(exc), status=409)
        except ReviewError as exc:
            return await document_page(request, error=str(exc), status=400)
        anchor = "#f-" + safe_name(target) if target else ""
        response = RedirectResponse(f"/doc/{quote(doc_id)}?done={kind}{anchor}", status_code=303)
        response.set_cookie(REVIEWER_COOKIE, quote(str(form.get("reviewer") or "").strip()[:200]),
                            samesite="strict", httponly=True, max_age=30 * 86400)
        return response

    async def document_json(request: Request) -> Response:
        doc_id = request.path_params["doc_id"]
        items = await run_in_threadpool(data.load_items, app_state.registry, doc_id)
        item = items[0] if items else None
        if item is None:
            return JSONResponse({"error": "no such document"}, status_code=404)
        reviews = {item.id: (item.state, item.machine)} if item.state else None
        return JSONResponse(record_json(item.result, reviews))

    async def image(request: Request) -> Response:
        doc, name = request.path_params["doc"], request.path_params["name"]
        if app_state.out is None or not _SAFE_FILE.match(name) or doc != safe_name(doc):
            return Response("not found", status_code=404)
        path = app_state.out / data.ASSETS / doc / name
        if not path.is_file():
            return Response("not found", status_code=404)
        return FileResponse(path, media_type="image/jpeg")

    async def login(request: Request) -> Response:
        if request.method == "GET":
            return app_state.render(request, "login.html", view="", error=None)
        form = await request.form()
        if not app_state.csrf_ok(request, form):
            return app_state.render(request, "login.html", 403, view="",
                                    error="表单已过期：请重新输入")
        sent = str(form.get("token") or "")
        if app_state.token is None or not hmac.compare_digest(sent, app_state.token):
            return app_state.render(request, "login.html", 403, view="", error="令牌不对")
        response = RedirectResponse("/", status_code=303)
        response.set_cookie(AUTH_COOKIE, app_state._mac("auth", app_state.token),
                            httponly=True, samesite="strict")
        return response

    routes = [
        Route("/", queue_page),
        Route("/projects", projects_page),
        Route("/doc/{doc_id:str}.json", document_json),
        Route("/doc/{doc_id:str}", document_page),
        Route("/doc/{doc_id:str}/decide", decide, methods=["POST"]),
        Route("/img/{doc:str}/{name:str}", image),
        Route("/login", login, methods=["GET", "POST"]),
    ]
    middleware = []
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    middleware.append(Middleware(BaseHTTPMiddleware, dispatch=guard))

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        yield
        app_state.registry.close()

    app = Starlette(routes=routes, middleware=middleware, lifespan=lifespan,
                    max_body_size=MAX_BODY)
    app.state.review = app_state
    return app


def query(**params: str) -> str:
    """A queue URL's query string from the non-empty parameters."""
    return urlencode({k: v for k, v in params.items() if v})


ENV.globals["query"] = query


__all__ = ["TasksheetError", "create_app"]
