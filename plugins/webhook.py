"""Channel ``webhook``: letters as a signed JSON POST (docs/delivery.md), with the standard library's
``http.client``; a WeCom (企业微信) or DingTalk (钉钉) group robot shows the ``markdown`` part.

The body (UTF-8 JSON): ``key`` (the delivery key), ``kind``, ``unit``, ``unit_name``, ``role``, ``subject``,
``text``, ``data`` (the letter's values) and ``msgtype``/``markdown`` for a group robot. Headers:
``X-Sankao-Delivery`` (the key, the same on every attempt: drop a repeat), ``X-Sankao-Timestamp`` (Unix
seconds), and, when the contact has a secret (``--secret``, else ``SANKAO_WEBHOOK_SECRET``),
``X-Sankao-Signature: sha256=HEX``, the HMAC-SHA256 of ``TIMESTAMP.BODY`` under the secret (as Stripe signs):
a receiver recomputes it, compares in constant time and refuses a timestamp more than five minutes old.

A 2xx answer is a receipt; 408, 429, 5xx and a connection that fails are tried again later; any other answer
(a 4xx, a redirect) is a refusal for good. ``SANKAO_WEBHOOK_TIMEOUT``: seconds for each step (connect, each
read), default 10; a request that takes three times that in all is cut off and tried again later.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import socket
import threading
import time
from urllib.parse import urlsplit

from core.errors import ConfigError
from core.hookspecs import hookimpl
from core.messages import msg
from core.model import DeliveryFailed, Receipt

TEMPORARY = {408, 425, 429}


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=HEX``: the HMAC-SHA256 of ``TIMESTAMP.BODY`` (what a receiver recomputes)."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def body_of(message) -> bytes:
    """The JSON body: Sankao's fields, and ``markdown`` with ``content`` (WeCom's) and ``title``/``text``
    (DingTalk's) for a group robot."""
    rest = message.text.split("\n\n", 1)[1] if message.text.startswith(message.subject + "\n\n") else message.text
    markdown = f"**{message.subject}**\n\n{rest}"
    return json.dumps({"key": message.key, "kind": message.kind, "unit": message.unit,
                       "unit_name": message.unit_name, "role": message.role, "subject": message.subject,
                       "text": message.text, "data": message.data, "msgtype": "markdown",
                       "markdown": {"title": message.subject, "content": markdown, "text": markdown}},
                      ensure_ascii=False, sort_keys=True).encode("utf-8")


def _cut(conn) -> None:
    """End a request that has taken too long in all (each read has its own timeout; a trickle would not end)."""
    _cut_socket(conn.sock)


def _cut_socket(sock) -> None:
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def seconds(settings, name: str, default: float) -> float:
    """A positive, finite number of seconds from the setting ``name``, else ``ConfigError`` naming it."""
    text = settings.get(name)
    try:
        value = float(text) if text else default
    except ValueError:
        value = -1.0
    if not (0 < value < 86400):
        raise ConfigError(msg("outbox.seconds_setting", setting=name, value=text))
    return value


class Webhook:
    name = "webhook"

    def __init__(self, settings):
        self.secret = settings.get("SANKAO_WEBHOOK_SECRET") or None
        self.timeout = seconds(settings, "SANKAO_WEBHOOK_TIMEOUT", 10.0)

    @hookimpl
    def sankao_deliver_notice(self, channel, message, address, secret):
        if channel != self.name:
            return None
        body = body_of(message)
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "sankao",
                   "X-Sankao-Delivery": message.key, "X-Sankao-Timestamp": stamp}
        key = secret or self.secret
        if key:
            headers["X-Sankao-Signature"] = signature(key, stamp, body)
        parts = urlsplit(address)
        connect = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        default_port = 443 if parts.scheme == "https" else 80
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        try:
            conn = connect(parts.hostname, parts.port, timeout=self.timeout)
            watchdog = threading.Timer(3 * self.timeout, _cut, (conn,))  # a receiver that trickles is cut off
            watchdog.start()
            try:
                conn.request("POST", target, body=body, headers=headers)
                answer = conn.getresponse()
                said = answer.read(2000).decode("utf-8", "replace").strip()
            finally:
                watchdog.cancel()
                conn.close()
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryFailed(f"POST {parts.scheme}://{parts.hostname}:{parts.port or default_port}: "
                                 f"{type(exc).__name__}: {exc}") from None
        status = f"HTTP {answer.status}" + (f" {said[:200]}" if said else "")
        if 200 <= answer.status < 300:
            return Receipt(status)
        raise DeliveryFailed(status, permanent=not (answer.status >= 500 or answer.status in TEMPORARY))
