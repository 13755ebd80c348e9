"""One error shape for every failure: ``{"error": {"status", "code", "message"}}``; never a traceback."""

from __future__ import annotations

import logging

from flask import jsonify, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from core.errors import (CommandRejected, ConcurrentWrite, ConfigError, NotFound, PluginError, SankaoError,
                         StoreBusy, StoreReadOnly, StoreUnavailable)

log = logging.getLogger("sankao.web")

STATUS = [  # the first class an error is an instance of decides
    (CommandRejected, 422, "rejected"), (NotFound, 404, "not_found"), (ConcurrentWrite, 409, "conflict"),
    (StoreBusy, 409, "busy"), (StoreReadOnly, 403, "read_only"), (ConfigError, 422, "invalid"),
    (PluginError, 500, "plugin_failed"), (StoreUnavailable, 503, "store_unavailable"), (SankaoError, 500, "failed"),
]


def body(status: int, code: str, message: str, *, page_message: str | None = None, headers=None, **extra):
    """The API's error JSON; for a page (or a mistyped one) an error page saying ``page_message`` (the message
    in the page's language), else ``message``. ``headers`` go with it (Allow, Retry-After, WWW-Authenticate); a
    401 of the API always says how to authenticate (``WWW-Authenticate: Bearer``)."""
    if not request.path.startswith("/api"):
        from flask import make_response, render_template
        answer = make_response(render_template("error.html", status=status, message=page_message or message), status)
    else:
        answer = jsonify({"error": {"status": status, "code": code, "message": message, **extra}})
        answer.status_code = status
        if status == 401:
            answer.headers["WWW-Authenticate"] = 'Bearer realm="sankao"'
    for name, value in (headers or {}).items():
        if name.lower() in ("allow", "retry-after", "www-authenticate"):
            answer.headers[name] = value
    return answer


def register(app) -> None:
    @app.errorhandler(SankaoError)
    def sankao_error(exc):
        from web.words import core_words
        for cls, status, code in STATUS:
            if isinstance(exc, cls):
                return body(status, code, str(exc), page_message=_page(core_words, exc))
        return body(500, "failed", str(exc), page_message=_page(core_words, exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        message = exc.description or exc.name
        data = dict(getattr(exc, "data", None) or {})  # flask-smorest's abort(..., message=, **extra)
        extra = {k: v for k, v in data.items() if k not in ("message", "messages", "errors", "status", "code",
                                                            "headers") and isinstance(v, (int, str, bool))}
        # what our own abort() adds (recorded, skipped); the headers it or werkzeug gives (Allow on a 405)
        headers = {**dict(exc.get_headers()), **(data.get("headers") or {})}
        if "messages" in data:  # webargs: {location: {field: [...]}}
            from core.messages import flatten_messages
            lines = []
            for location, fields in data["messages"].items():
                lines += flatten_messages(fields) if isinstance(fields, dict) else [str(fields)]
            message = "; ".join(lines) or message
        elif "message" in data:
            message = data["message"]
        code = data.get("code") if isinstance(data.get("code"), str) else {
            400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
            409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid",
            429: "too_many_requests"}.get(exc.code, "error")
        page = None
        if message == type(exc).description or message == exc.name or isinstance(exc, CSRFError):
            page = _page(_http_words, exc.code, isinstance(exc, CSRFError))  # werkzeug's own words: ours instead
        return body(exc.code or 500, code, message, page_message=page, headers=headers, **extra)

    @app.errorhandler(Exception)
    def defect(exc):  # a defect of ours: logged here, never sent to the client
        log.exception("unexpected error")
        return body(500, "internal", f"unexpected {type(exc).__name__}: a defect in Sankao, logged on the server",
                    page_message=_page(_http_words, 500, False))


def _page(words, *args) -> str | None:
    """A page's message (None for the API, which answers in English)."""
    return None if request.path.startswith("/api") else words(*args)


def _http_words(status: int, csrf: bool) -> str:
    """What a page says for an HTTP error that carries no message of ours, in the page's language."""
    from flask_babel import gettext as _
    if csrf:
        return _("The form was not sent from this site or is too old: open the page again and send it again.")
    return {400: _("The request cannot be read."), 403: _("Your token may not do this."),
            404: _("There is no such page."), 405: _("This page cannot be asked that way."),
            413: _("What was sent is too large."), 429: _("Too many requests: wait a moment and try again."),
            500: _("Sankao failed: a defect, logged on the server.")}.get(
        status, _("The request cannot be answered."))
