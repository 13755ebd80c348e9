"""One error shape for every failure: ``{"error": {"status", "code", "message"}}``; never a traceback."""

from __future__ import annotations

import logging

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from core.errors import (CommandRejected, ConcurrentWrite, ConfigError, NotFound, PluginError, SankaoError,
                         StoreBusy, StoreReadOnly, StoreUnavailable)

log = logging.getLogger("sankao.web")

STATUS = [  # the first class an error is an instance of decides
    (CommandRejected, 422, "rejected"), (NotFound, 404, "not_found"), (ConcurrentWrite, 409, "conflict"),
    (StoreBusy, 409, "busy"), (StoreReadOnly, 403, "read_only"), (ConfigError, 422, "invalid"),
    (PluginError, 500, "plugin_failed"), (StoreUnavailable, 503, "store_unavailable"), (SankaoError, 500, "failed"),
]


def body(status: int, code: str, message: str, **extra):
    if not request.path.startswith("/api"):  # a page (or a mistyped one): an error page
        from flask import render_template
        return render_template("error.html", status=status, message=message), status
    answer = jsonify({"error": {"status": status, "code": code, "message": message, **extra}})
    answer.status_code = status
    return answer


def register(app) -> None:
    @app.errorhandler(SankaoError)
    def sankao_error(exc):
        for cls, status, code in STATUS:
            if isinstance(exc, cls):
                return body(status, code, str(exc))
        return body(500, "failed", str(exc))

    @app.errorhandler(HTTPException)
    def http_error(exc):
        message = exc.description or exc.name
        data = dict(getattr(exc, "data", None) or {})  # flask-smorest's abort(..., message=, **extra)
        extra = {k: v for k, v in data.items() if k not in ("message", "messages", "errors", "status", "code")
                 and isinstance(v, (int, str, bool))}  # what our own abort() adds (recorded, skipped)
        if "messages" in data:  # webargs: {location: {field: [...]}}
            from core.commands import flatten_messages
            lines = []
            for location, fields in data["messages"].items():
                lines += flatten_messages(fields) if isinstance(fields, dict) else [str(fields)]
            message = "; ".join(lines) or message
        elif "message" in data:
            message = data["message"]
        code = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                409: "conflict", 413: "too_large", 415: "unsupported_media_type", 422: "invalid"}.get(exc.code, "error")
        return body(exc.code or 500, code, message, **extra)

    @app.errorhandler(Exception)
    def defect(exc):  # a defect of ours: logged here, never sent to the client
        log.exception("unexpected error")
        return body(500, "internal", f"unexpected {type(exc).__name__}: a defect in Sankao, logged on the server")
