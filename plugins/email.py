"""Channel ``email``: letters by SMTP (docs/delivery.md), with the standard library's ``smtplib``.

Settings (the environment): ``SANKAO_SMTP=smtp://HOST:PORT`` (or ``smtps://HOST:PORT``: TLS from the first
byte), ``SANKAO_SMTP_USER`` and ``SANKAO_SMTP_PASSWORD`` (or in the URL, ``smtp://USER:PASSWORD@HOST:PORT``),
``SANKAO_SMTP_STARTTLS`` (``auto``, the default: when the server offers it; ``require``; ``off``),
``SANKAO_SMTP_FROM`` (the sender, default ``sankao@localhost``), ``SANKAO_SMTP_TIMEOUT`` (seconds, default 30),
``SANKAO_SMTP_CAFILE`` (the certificates that sign the server's, for a server under an office's own certificate
authority; default the system's). The server's certificate is always verified.

Each message is the printable A4 letter as HTML with a plain-text part, the subject in the receiver's language
(``【红色督办函】西岔园区 · 2026-02-02``), the delivery key as its ``Message-ID`` (``<KEY@sankao>``) and in
``X-Sankao-Delivery``. The receipt is the server's answer to the message (``250 … queued as …``). A 4xx
answer or a connection that fails is tried again later; a 5xx answer is a refusal for good.
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import formatdate
from urllib.parse import unquote, urlsplit

from core.errors import ConfigError
from core.hookspecs import hookimpl
from core.messages import msg
from core.model import DeliveryFailed, Receipt
from plugins.webhook import _cut_socket, seconds


class Email:
    name = "email"

    def __init__(self, settings):
        url = (settings.get("SANKAO_SMTP") or "").strip()
        self.url = url
        self.sender = settings.get("SANKAO_SMTP_FROM") or "sankao@localhost"
        self.starttls = (settings.get("SANKAO_SMTP_STARTTLS") or "auto").lower()
        if self.starttls not in ("auto", "require", "off"):
            raise ConfigError(msg("outbox.choice_setting", setting="SANKAO_SMTP_STARTTLS", value=self.starttls,
                                  known="auto, require, off"))
        self.timeout = seconds(settings, "SANKAO_SMTP_TIMEOUT", 30.0)
        cafile = settings.get("SANKAO_SMTP_CAFILE") or None
        try:
            self.tls_context = ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError) as exc:
            raise ConfigError(msg("outbox.file_setting", setting="SANKAO_SMTP_CAFILE", value=cafile,
                                  error=getattr(exc, "strerror", None) or str(exc))) from None
        self.host = None
        if url:
            parts = urlsplit(url)
            try:
                port = parts.port
            except ValueError:
                port = -1
            if parts.scheme not in ("smtp", "smtps") or not parts.hostname or port == -1:
                shown = url.replace(f":{parts.password}@", ":***@") if parts.password else url
                raise ConfigError(msg("outbox.smtp_setting", setting="SANKAO_SMTP", value=shown))
            self.tls = parts.scheme == "smtps"
            self.host, self.port = parts.hostname, port or (465 if self.tls else 25)
            self.user = unquote(parts.username) if parts.username else settings.get("SANKAO_SMTP_USER")
            self.password = unquote(parts.password) if parts.password else settings.get("SANKAO_SMTP_PASSWORD")

    def message(self, message, address: str) -> EmailMessage:
        mail = EmailMessage()
        mail["Subject"] = message.subject
        mail["From"] = self.sender
        mail["To"] = address
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        mail["Message-ID"] = f"<{message.key}@sankao>"
        mail["X-Sankao-Delivery"] = message.key
        mail["X-Sankao-Kind"] = message.kind
        mail.set_content(message.text)
        mail.add_alternative(message.html, subtype="html")
        return mail

    def _send(self, smtp, address: str, data: bytes) -> Receipt:
        smtp.ehlo()
        secure = self.tls
        if not self.tls and self.starttls != "off" and (smtp.has_extn("starttls") or
                                                      self.starttls == "require"):
            smtp.starttls(context=self.tls_context)
            smtp.ehlo()
            secure = True
        if self.user and not secure and self.starttls != "off":
            raise DeliveryFailed(f"SMTP {self.host}:{self.port} offers no STARTTLS: the password is not sent "
                                 "in clear (SANKAO_SMTP_STARTTLS=off allows it)")
        if self.user:
            smtp.login(self.user, self.password or "")
        _expect(smtp.mail(self.sender), "MAIL FROM", (250,))
        _expect(smtp.rcpt(address), "RCPT TO", (250, 251))
        code, answer = smtp.data(data)
        _expect((code, answer), "DATA", (250,))
        return Receipt(f"{code} {answer.decode('utf-8', 'replace')}")

    @hookimpl
    def sankao_deliver_notice(self, channel, message, address, secret):
        if channel != self.name:
            return None
        if self.host is None:
            raise DeliveryFailed(str(msg("outbox.no_smtp")))
        data = self.message(message, address).as_bytes(policy=SMTP_POLICY)
        try:
            connect = smtplib.SMTP_SSL if self.tls else smtplib.SMTP
            kwargs = {"context": self.tls_context} if self.tls else {}
            with connect(self.host, self.port, timeout=self.timeout, **kwargs) as smtp:
                watchdog = threading.Timer(3 * self.timeout, lambda: _cut_socket(smtp.sock))  # a trickle is cut off
                watchdog.start()
                try:
                    return self._send(smtp, address, data)
                finally:
                    watchdog.cancel()
        except smtplib.SMTPResponseException as exc:
            text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
            raise DeliveryFailed(f"SMTP {exc.smtp_code} {text}", permanent=500 <= exc.smtp_code < 600) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DeliveryFailed(f"SMTP {self.host}:{self.port}: {type(exc).__name__}: {exc}") from None


def _expect(answer: tuple[int, bytes], step: str, good: tuple[int, ...]) -> None:
    code, text = answer
    if code not in good:
        raise smtplib.SMTPResponseException(code, f"{step}: ".encode() + text)
