"""What a delivery job says (docs/delivery.md): its subject, plain text, printable A4 HTML and data.

``Renderer(platform)`` is the ``render(job, lang)`` the deliverer (``core.outbox.deliverer``) is handed: it
renders with the pages' own templates (``_letter_article.html`` is the letter of the /notices pages) in the
receiver's language, the stylesheet inline, so that the e-mail is the letter an office prints.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from babel.support import Translations
from flask import g
from flask_babel import force_locale, gettext as _
from markupsafe import Markup

from core import report
from core.clock import month_after
from core.errors import NotFound
from core.messages import msg
from core.read import office
from web.words import level_name

CSS = Path(__file__).parent / "static" / "sankao.css"
TRANSLATIONS = Path(__file__).parent / "translations"
TEMPLATES = {"sheet": "letter", "accountability": "result"}  # a kind's template, where it shares another's


class _Words:
    """The templates' ``_`` for one language, straight from its catalog: ``html`` as Jinja's new-style gettext
    does under autoescape (the message is markup, its values are escaped unless they are markup), ``text``
    plain."""

    def __init__(self, translations):
        self.gettext = translations.gettext

    def html(self, message: str, **values):
        said = Markup(self.gettext(message))
        return said % values if values else said

    def text(self, message: str, **values):
        said = self.gettext(message)
        return said % values if values else said


class Renderer:
    def __init__(self, platform, app=None):
        if app is None:
            from web import create_app
            app = create_app(platform=platform)
        self.platform, self.app = platform, app
        self.css = CSS.read_text(encoding="utf-8")
        self._words: dict = {}
        self._labels: dict = {}

    def __call__(self, job, lang: str) -> dict:
        """The message of ``job`` in ``lang``. The templates' words come from the catalog loaded once per
        language, and the glossary's labels are worked out once per process: a deliverer renders thousands."""
        said = self._said(lang)
        with self.app.test_request_context("/"), force_locale(lang):
            g.labels = self._labels  # web.words.label's cache, kept across letters
            context = self.context(job)
            subject = self.subject(job.kind, context)
            env = self.app.jinja_env
            text = env.get_template("mail/message.txt").render(subject=subject, lang=lang, _=said.text, **context)
            html = env.get_template(f"mail/{TEMPLATES.get(job.kind, job.kind)}.html").render(subject=subject, lang=lang, css=self.css,
                                                                      _=said.html, **context)
        return {"subject": subject, "text": text, "html": html, "data": context["data"],
                "unit_name": context["name"]}

    def _said(self, lang: str):
        found = self._words.get(lang)
        if found is None:
            found = self._words[lang] = _Words(Translations.load(str(TRANSLATIONS), [lang]))
        return found

    def subject(self, kind: str, c: dict) -> str:
        if kind in ("letter", "sheet"):
            doc = c["d"]["document"]
            what, when = level_name(doc["level"]), doc["date"]
        elif kind == "self_check":
            what, when = c["heading"], c["r"]["period"]
        else:
            what, when = c["heading"], f"{c['r']['period']} · " + _("rank %(rank)s of %(of)s", rank=c["r"]["rank"],
                                                                      of=c["r"]["of"])
        return " ".join(_("[%(what)s] %(name)s · %(when)s", what=what, name=c["name"], when=when).split())  # one line

    def context(self, job) -> dict:
        platform, unit = self.platform, job.unit
        name = platform.queries.names().get(unit, unit)
        base = {"kind": job.kind, "unit": unit, "name": name}
        if job.kind in ("letter", "sheet"):
            event = self._event(job.position)
            found = next((c for c in office.cases(platform.queries.notices(unit), office.rectify_days(platform))
                          if c["case"] == event.case), None)
            if found is None:
                raise NotFound(msg("read.no_case", case=event.case))
            documents = found["letters"] + ([found["sheet"]] if found["sheet"] else [])
            number = next(i for i, d in enumerate(documents, 1)
                          if d["level"] == event.level and d["date"] == event.date.isoformat())
            doc = documents[number - 1]
            data = {"kind": job.kind, "unit": unit, "case": event.case, "number": number, "level": event.level,
                    "date": doc["date"], "lag": doc["lag"], "points": doc["points"], "outcome": doc["outcome"],
                    "deadline": found["deadline"], "cause": job.position}
            return {**base, "d": {"case": found, "document": doc, "number": number, "name": name},
                    "rectify_days": office.rectify_days(platform), "data": data}
        if job.kind == "self_check":
            period = job.ref
            due = platform.queries.self_check_due(period)
            r = {"period": period, "due": due.isoformat(), "board": month_after(period)}
            return {**base, "r": r, "heading": _("Self-check missed"), "data": {"kind": job.kind, "unit": unit, **r}}
        event = self._event(job.position)
        entry = next(e for e in event.entries if e["unit"] == unit)
        figures = entry["figures"]
        r = {"period": event.period, "rank": entry["rank"], "of": len(event.entries), "third": entry["third"],
             "final": report.money(Decimal(str(figures["final"]))), "base": report.money(Decimal(str(figures["base"]))),
             "coefficient": report.ratio(Decimal(str(figures["coefficient"]))),
             "deduction": report.money(Decimal(str(figures["deduction"]))), "streak": entry.get("streak") or 0,
             "accountability": entry.get("accountability"), "commended": bool(entry.get("commended"))}
        heading = _("Accountability decision") if job.kind == "accountability" else _("Month result")
        return {**base, "r": r, "heading": heading, "data": {"kind": job.kind, "unit": unit, "cause": job.position, **r}}

    def _event(self, position: int):
        app = self.platform.app
        return app.mapper.to_domain_event(app.recorder.select_positions([position])[0])


__all__ = ["Renderer"]
