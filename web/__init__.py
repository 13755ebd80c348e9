"""The web API: a thin Flask layer over the platform (``core.bootstrap``), no business rule here.

``create_app(config)`` builds an app over one store; every answer is the JSON the CLI's
``--json`` prints, described by marshmallow schemas (``web.schemas``) in the OpenAPI
document at ``/api/openapi.json``. Requests carry ``Authorization: Bearer <token>``
(``sankao token create``); roles are ``core.access``'s. Errors have one shape
(``web.errors``). The same app serves the office's pages (``web.pages``) at ``/``, logged in
with the same tokens.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
from datetime import timedelta
from pathlib import Path

from flask import Flask
from flask_wtf.csrf import CSRFProtect

from core.bootstrap import Config, Platform

log = logging.getLogger("sankao.web")
MAX_BODY = 8 * 1024 * 1024  # bytes a request may carry (a year of commands is about 1 MB)


def create_app(config: Config | None = None, *, platform: Platform | None = None) -> Flask:
    """An app over the store of ``config`` (default: from the environment, as the CLI)."""
    from flask_smorest import Api

    from web import errors, pages, routes

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
    platform = platform or Platform(config or Config.from_env(), "write")
    _pages_settings(app, platform)
    app.extensions["sankao"] = platform
    app.extensions["sankao.lock"] = threading.RLock()  # one platform per process: its requests take turns
    api = Api(app)
    for blueprint in routes.BLUEPRINTS:
        api.register_blueprint(blueprint)
    csrf = CSRFProtect(app)
    for blueprint in routes.BLUEPRINTS:  # the API authenticates every request by its bearer token, not a cookie
        csrf.exempt(blueprint)
    app.register_blueprint(pages.pages)
    errors.register(app)
    app.after_request(routes.scoring_lag_header)
    _serve_docs_assets(app)
    return app


def _pages_settings(app: Flask, platform: Platform) -> None:
    """Sessions, CSRF and languages of the office's pages (``web.pages``)."""
    from flask import session
    from flask_babel import Babel
    secret = os.environ.get("SANKAO_SECRET_KEY") or platform.app.recorder.session_secret()
    if not secret:
        secret = secrets.token_hex(32)
        log.warning("this store is read-only and holds no session secret: sessions of the pages last as long as "
                    "this process (set SANKAO_SECRET_KEY to share one between processes)")
    app.config.update(
        SECRET_KEY=secret, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
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
