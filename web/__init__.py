"""The web layer: the API (``web.api``) and the office's pages (``web.pages``), a thin Flask layer over the
platform (``core.bootstrap``), no business rule here. May import all of ``core``; only ``cli`` imports it.

``create_app(config)`` builds an app over one store; every answer is the JSON the CLI's
``--json`` prints, described by marshmallow schemas (``web.schemas``) in the OpenAPI
document at ``/api/openapi.json``. Requests carry ``Authorization: Bearer <token>``
(``sankao token create``); roles are ``core.record.access``'s. Errors have one shape
(``web.errors``). The same app serves the office's pages (``web.pages``) at ``/``, logged in
with the same tokens.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from core.bootstrap import Config, Platform

log = logging.getLogger("sankao.web")
MAX_BODY = 8 * 1024 * 1024  # bytes a request may carry (a year of commands is about 1 MB)


def create_app(config: Config | None = None, *, platform: Platform | None = None,
               read_only: bool | None = None) -> Flask:
    """An app over the store of ``config`` (default: from the environment, as the CLI).

    A store this process may not write (a SQLite file without write permission: an auditor's copy) is served
    read-only, and so is any store with ``read_only`` (default: ``SANKAO_READ_ONLY=1``): pages and queries
    answer, commands are refused (403 saying the store is read-only)."""
    import threading

    from web import api, contacts_pages, errors, import_pages, pages, security, supervision_pages

    if read_only is None:
        read_only = os.environ.get("SANKAO_READ_ONLY") == "1"
    app = Flask("sankao", static_folder=None)  # the pages blueprint serves web/static
    app.config.update(
        API_TITLE="Sankao", API_VERSION="1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api",
        OPENAPI_JSON_PATH="openapi.json", MAX_CONTENT_LENGTH=MAX_BODY, JSON_SORT_KEYS=False,
        OPENAPI_SWAGGER_UI_PATH="docs", OPENAPI_SWAGGER_UI_URL=f"{ASSETS}/",
        API_SPEC_OPTIONS={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "a token from `sankao token create`"}}},
            "security": [{"bearer": []}]})
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    rate = security.RateLimit()  # a wrong SANKAO_RATE is refused before the store is opened
    platform = platform or _open(config or Config.from_env(), read_only)
    if read_only and not platform.read_only:
        platform.app.recorder.read_only = True  # nothing of this process writes: the recorder refuses it too
    _pages_settings(app)
    app.extensions["sankao"] = platform
    app.extensions["sankao.lock"] = threading.RLock()  # one platform per process: its requests take turns
    app.extensions["sankao.read_only"] = platform.read_only
    app.extensions["sankao.sessions"] = security.SessionEnds(platform, writable=not platform.read_only)
    app.extensions["sankao.rate"] = rate
    if platform.read_only:
        log.warning("%s is served read-only: pages and queries answer, commands are refused",
                    platform.location.describe())
    smorest = _api_class()(app)
    for blueprint in api.BLUEPRINTS:
        smorest.register_blueprint(blueprint)
    app.before_request(import_pages.upload_limit)  # before the CSRF check reads an upload's form
    csrf = CSRFProtect(app)
    for blueprint in api.BLUEPRINTS:  # the API authenticates every request by its bearer token, not a cookie
        csrf.exempt(blueprint)
    app.register_blueprint(pages.pages)
    app.register_blueprint(supervision_pages.supervision_pages)  # 督查: /supervision and its forms
    app.register_blueprint(import_pages.import_pages)  # Excel in: /import, the template, the projects' export
    app.register_blueprint(contacts_pages.contacts_pages)  # delivery: /contacts, the dead letters
    errors.register(app)
    app.after_request(api.scoring_lag_header)
    app.after_request(api.verified_headers)
    app.after_request(security.secure_headers)
    app.jinja_env.globals["csp_nonce"] = security.csp_nonce
    _serve_docs_assets(app)
    return app


def _open(config: Config, read_only: bool) -> Platform:
    """The platform over the store: for writing, unless asked read-only or the store cannot be written here."""
    from core.errors import StoreReadOnly
    if read_only:
        return Platform(config, "read")
    try:
        return Platform(config, "write")
    except StoreReadOnly:  # a copy without write permission: served read-only
        return Platform(config, "read")


def _api_class():
    """flask-smorest's Api, its error shape ours (``web.schemas.Problem``: the ``default`` and 422 answers it
    documents by itself), and its Swagger UI page ours (its script carries the request's CSP nonce)."""
    from flask import render_template, url_for
    from flask_smorest import Api

    from web import schemas

    class SankaoApi(Api):
        ERROR_SCHEMA = schemas.Problem

        def _openapi_swagger_ui(self):
            return render_template("api_docs.html", title=self._app.config["API_TITLE"], assets=f"{ASSETS}/",
                                   spec_url=url_for("api-docs.openapi_json"))

    return SankaoApi


def _pages_settings(app: Flask) -> None:
    """Sessions, CSRF and languages of the office's pages (``web.pages``). The secret that signs the session
    cookies is never the store's (``web.security.secret_key``)."""
    from flask import session
    from flask_babel import Babel

    from web.security import secret_key
    app.config.update(
        SECRET_KEY=secret_key(), SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("SANKAO_HTTPS") == "1", SESSION_COOKIE_NAME="sankao_session",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12), WTF_CSRF_TIME_LIMIT=None,
        BABEL_DEFAULT_LOCALE="zh", BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).parent / "translations"))
    Babel(app, locale_selector=lambda: session.get("lang") or "zh")


ASSETS = "/api/docs-assets"


def _serve_docs_assets(app: Flask) -> None:
    """The interactive docs page (/api/docs) loads Swagger UI from the package swagger-ui-bundle, served here:
    the machines that run Sankao may have no internet, so no CDN."""
    from flask import send_from_directory
    from swagger_ui_bundle import swagger_ui_path

    @app.get(f"{ASSETS}/<path:name>")
    def docs_asset(name):
        return send_from_directory(swagger_ui_path, name, max_age=86400)
