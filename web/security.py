"""What the web boundary does for safety, whatever the page or operation (issue #18).

- ``same_site_path``: where a ``next=`` may send a browser (a path on this site, nothing else);
- ``secure_headers``: Content-Security-Policy (no inline script without the request's nonce, nothing from
  other hosts, no framing), X-Frame-Options, X-Content-Type-Options, Referrer-Policy and Cache-Control on
  every answer;
- ``secret_key``: the secret that signs the pages' session cookies, never in the store (``SANKAO_SECRET_KEY``,
  else a file of this machine's user, made on first use);
- ``SessionEnds``: per token, the instant from which its sessions are good (a log-out ends every session of
  the token, a copied cookie too);
- ``RateLimit``: a token bucket per token (``SANKAO_RATE``), answering 429 with Retry-After.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import secrets
import threading
import time
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import ConfigError, SankaoError

log = logging.getLogger("sankao.web")


# -- where a browser may be sent back to ----------------------------------------------------------------

def same_site_path(target) -> str | None:
    """``target`` when it is a path of this site (``/units/U01?month=2023-06``), else None.

    Browsers read a Location leniently: they drop tabs and line breaks (``/\\t/evil.example`` is
    ``//evil.example``, another host), take a backslash for a slash (``/\\evil.example``), and a header cannot
    hold a line break at all. So a path with any control, format or separator character or a backslash, one that starts with two
    slashes, or one that names a scheme or a host is not followed."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp", "Zs") for c in target):
        return None  # control, format and separator characters (tab, CR, U+2028, U+00A0...), lone surrogates
    try:
        parts = urlsplit(target)
    except ValueError:
        return None
    if parts.scheme or parts.netloc:
        return None
    return target


# -- headers on every answer -----------------------------------------------------------------------------

STATIC_ENDPOINTS = ("pages.static", "docs_asset")  # files of the package: cached, not secret


def csp_nonce() -> str:
    """The request's nonce for an inline script (``<script nonce="{{ csp_nonce() }}">``)."""
    from flask import g
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def content_security_policy(nonce: str | None, api: bool) -> str:
    """Pages: scripts and styles from this site only (an inline script only with the request's nonce), images
    from this site or data: (the icon), forms sent here only, never framed. API answers are JSON: nothing."""
    if api:
        return "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    script = f"'self' 'nonce-{nonce}'" if nonce else "'self'"
    return (f"default-src 'self'; script-src {script}; style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def secure_headers(answer):
    """Set the safety headers on ``answer`` (an ``after_request`` hook).

    Cache-Control: ``no-store`` on every answer (pages, downloads, API answers, errors, redirects), except the
    package's static files (cached a day: the same for everyone) and answers that carry an ETag
    (boards, annual standings, event pages): those say ``private, no-cache``, because ``no-store`` would forbid
    the client to keep the copy its ``If-None-Match`` asks about, so a 304 could never be used; ``private``
    keeps them out of shared caches and ``no-cache`` makes the client ask again every time (with the token)."""
    from flask import g, request
    headers = answer.headers
    api = request.path.startswith("/api/") and request.endpoint != "api-docs.openapi_swagger_ui"
    headers["Content-Security-Policy"] = content_security_policy(g.get("csp_nonce"), api)
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "same-origin"
    if os.environ.get("SANKAO_HTTPS") == "1":
        headers["Strict-Transport-Security"] = "max-age=31536000"
    if request.endpoint in STATIC_ENDPOINTS and answer.status_code in (200, 304):
        return answer
    if api and ("ETag" in headers or answer.status_code == 304):
        headers["Cache-Control"] = "private, no-cache"
    else:
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return answer


# -- the session secret ------------------------------------------------------------------------------------

def secret_path() -> Path:
    """``$XDG_CONFIG_HOME/sankao/secret`` (``~/.config/sankao/secret``): this machine's user's, never the store's."""
    base = os.environ.get("XDG_CONFIG_HOME") or ""
    return (Path(base) if base and Path(base).is_absolute() else Path.home() / ".config") / "sankao" / "secret"


def secret_key() -> str:
    """The secret that signs the pages' session cookies: ``SANKAO_SECRET_KEY`` when set, else the file of
    ``secret_path()`` (mode 0600, made on first use, so every web process of this machine's user shares it).

    Never the store's: whoever holds a copy of the store (a backup, an audit bundle, an auditor's copy) must not
    be able to sign a session for the live server. Several machines serving one store need the same
    ``SANKAO_SECRET_KEY``. When the file can be neither read nor made, the secret is this process's alone
    (sessions last as long as it), said in the log."""
    given = os.environ.get("SANKAO_SECRET_KEY")
    if given:
        if len(given) < 16:
            raise ConfigError("SANKAO_SECRET_KEY is too short: give at least 16 characters (32 random bytes "
                              "in hex, as `python -c 'import secrets; print(secrets.token_hex(32))'` prints, "
                              "is right)")
        return given
    path = secret_path()
    try:
        return _read_or_make(path)
    except OSError as exc:
        log.warning("the session secret %s can be neither read nor made (%s): sessions of the pages last as long "
                    "as this process (set SANKAO_SECRET_KEY to share one between processes)", path,
                    exc.strerror or exc)
        return secrets.token_hex(32)


def _read_or_make(path: Path) -> str:
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        scratch = path.with_name(f".secret.{os.getpid()}.{secrets.token_hex(4)}")
        descriptor = os.open(scratch, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
            try:
                os.link(scratch, path)  # atomic: of several processes making it at once, one wins, all read it
            except FileExistsError:
                pass
        finally:
            scratch.unlink(missing_ok=True)
    mode = path.stat().st_mode
    if mode & 0o077:
        log.warning("the session secret %s can be read by other users of this machine (mode %o): chmod 600 it",
                    path, mode & 0o777)
    secret = path.read_text(encoding="ascii").strip()
    if len(secret) < 32:
        raise SankaoError(f"the session secret {path} holds too short a secret: delete it and a new one is made")
    return secret


# -- sessions of a token, ended together --------------------------------------------------------------------

class SessionEnds:
    """Per token, the instant (microseconds since the epoch) before which its sessions are no longer good: a
    log-out ends every session of that token (another browser's, a cookie copied out of one), not only the
    cookie of the browser that logged out. (A revoked token ends its sessions already: the log no longer
    knows its digest.)

    Kept in the store's table ``web_session_ends``, beside the log, not in it (never exported, never in the
    Merkle tree), so every web process over the store knows it; keyed by a hash of the token's digest, never
    the digest. A store that cannot be written here (an auditor's read-only copy) keeps it in this process."""

    TABLE = "web_session_ends"

    def __init__(self, platform, writable: bool):
        self.recorder = platform.app.recorder
        self.memory: dict[str, int] = {}
        self.lock = threading.Lock()
        self.shared = False
        if writable:
            try:
                with self.recorder.transaction() as cur:
                    cur.execute(f"CREATE TABLE IF NOT EXISTS {self.TABLE} (token TEXT PRIMARY KEY, "
                                "valid_since BIGINT NOT NULL)")
                self.shared = True
            except SankaoError as exc:  # a store that refuses it: this process keeps the instants
                log.warning("sessions' ends kept in this process only: %s", exc)

    @staticmethod
    def key(digest: str) -> str:
        return hashlib.sha256(b"sankao-session:" + digest.encode("ascii", "replace")).hexdigest()

    def valid_since(self, digest: str) -> int:
        key = self.key(digest)
        since = self.memory.get(key, 0)
        if self.shared:
            rows = self.recorder.fetch(f"SELECT valid_since FROM {self.TABLE} WHERE token = ?", (key,))
            if rows:
                since = max(since, int(rows[0][0]))
        return since

    def end_all(self, digest: str) -> int:
        """End every session of the token ``digest`` begun until now; returns the instant."""
        key, moment = self.key(digest), now_us()
        with self.lock:
            self.memory[key] = max(self.memory.get(key, 0), moment)
        if self.shared:
            with self.recorder.transaction() as cur:
                cur.execute(self.recorder.q(f"INSERT INTO {self.TABLE} (token, valid_since) VALUES (?, ?) ON CONFLICT "
                                            "(token) DO UPDATE SET valid_since = excluded.valid_since"), (key, moment))
        return moment


def now_us() -> int:
    return time.time_ns() // 1000


# -- requests per token --------------------------------------------------------------------------------------

DEFAULT_RATE = "100,1000"


class RateLimit:
    """A token bucket per token (by its digest), in this process: ``rate`` requests a second on average, up to
    ``burst`` at once. ``SANKAO_RATE`` is ``RATE,BURST`` (``100,1000`` by default: far above what an office or
    a test asks) or ``off``."""

    def __init__(self, setting: str | None = None):
        setting = (setting if setting is not None else os.environ.get("SANKAO_RATE") or DEFAULT_RATE).strip()
        self.rate = self.burst = None
        self.buckets: dict[str, tuple[float, float]] = {}
        self.lock = threading.Lock()
        if setting.lower() in ("off", "0", "none"):
            return
        try:
            rate, _, burst = setting.partition(",")
            self.rate = float(rate)
            self.burst = float(burst) if burst.strip() else max(1.0, self.rate)
            if not (math.isfinite(self.rate) and math.isfinite(self.burst)) or self.rate <= 0 or self.burst < 1:
                raise ValueError
        except ValueError:
            raise ConfigError(f"SANKAO_RATE: {setting!r} is not RATE,BURST (requests a second per token and how many "
                              f"at once, as {DEFAULT_RATE}) nor 'off'") from None

    def wait(self, key: str) -> float:
        """0 when a request of ``key`` may go now (and it is counted), else how many seconds until one may."""
        if self.rate is None:
            return 0.0
        moment = time.monotonic()
        with self.lock:
            tokens, last = self.buckets.get(key, (self.burst, moment))
            tokens = min(self.burst, tokens + (moment - last) * self.rate)
            if tokens >= 1:
                self.buckets[key] = (tokens - 1, moment)
                return 0.0
            self.buckets[key] = (tokens, moment)
            return (1 - tokens) / self.rate
