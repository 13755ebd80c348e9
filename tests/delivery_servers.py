"""Real receivers for the delivery tests (and benches): an SMTP server (aiosmtpd) and an HTTP webhook receiver,
each on a free local port, recording what they accepted; what they answer can be changed while they run."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import threading
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from conftest import free_port

__all__ = ["Hooks", "Smtp", "free_port"]


class Smtp:
    """``answer(rcpts)`` says the SMTP reply to a message (default ``250 … queued as Qn``)."""

    def __init__(self, port: int | None = None, tls=None, login: tuple[str, str] | None = None):
        """``tls``: an ``ssl.SSLContext`` offered by STARTTLS, then required; ``login``: the (user, password) the
        server requires (after STARTTLS)."""
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult, LoginPassword
        self.port = port or free_port()
        self.received: list[dict] = []
        self.answer = None
        self.logins: list[str] = []
        self.lock = threading.Lock()
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                return outer._data(envelope)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and login is not None and \
                (auth_data.login.decode(), auth_data.password.decode()) == login
            if ok:
                outer.logins.append(auth_data.login.decode())
            return AuthResult(success=ok)
        extra = {}
        if tls is not None:
            extra.update(tls_context=tls, require_starttls=True)
        if login is not None:
            extra.update(authenticator=authenticator, auth_required=True, auth_require_tls=tls is not None)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **extra)

    def _data(self, envelope) -> str:
        with self.lock:
            if self.answer is not None:
                said = self.answer(envelope.rcpt_tos)
                if said is not None:
                    return said
            mail = email.message_from_bytes(envelope.content, policy=email.policy.default)
            self.received.append({"to": list(envelope.rcpt_tos), "key": mail["X-Sankao-Delivery"],
                                  "message_id": mail["Message-ID"], "subject": str(make_header(decode_header(
                                      mail["Subject"]))), "kind": mail["X-Sankao-Kind"], "mail": mail})
            return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class Hooks:
    """A webhook receiver: verifies ``X-Sankao-Signature`` with ``secret`` (401 when wrong), records each body;
    ``status`` is what it answers (200)."""

    def __init__(self, secret: str | None = None, port: int | None = None):
        self.port = port or free_port()
        self.secret, self.status = secret, 200
        self.received: list[dict] = []
        self.refused: list[str] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                stamp, given = self.headers["X-Sankao-Timestamp"], self.headers.get("X-Sankao-Signature", "")
                if outer.secret is not None:
                    wanted = "sha256=" + hmac.new(outer.secret.encode(), stamp.encode() + b"." + body,
                                                  hashlib.sha256).hexdigest()
                    if not hmac.compare_digest(wanted, given):
                        outer.refused.append(self.headers["X-Sankao-Delivery"])
                        self.send_response(401)
                        self.end_headers()
                        return
                status = outer.status
                if 200 <= status < 300:
                    outer.received.append({"key": self.headers["X-Sankao-Delivery"], "path": self.path,
                                           "body": json.loads(body)})
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errcode": 0}')
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
