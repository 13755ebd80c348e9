"""Sankao's messages in English and Chinese: one catalog (``CATALOG``), one ``render``.

Every error Sankao raises on purpose carries a ``Text``: a ``str`` whose value is the English message
(so ``str(exc)``, the API's JSON and the logs read exactly as before) that also keeps its catalog key and
its parameters, so that the same message can be said in Chinese::

    from core.messages import render

    try:
        platform.ledger.record(line, actor)
    except SankaoError as exc:              # CommandRejected, ConfigError, NotFound, StoreNotReady, ...
        english = str(exc)                  # today's text, unchanged
        chinese = render(exc, "zh")         # the same message in Chinese, terms from core.glossary

``render(value, lang)`` takes an exception, a ``Text`` or a plain string and answers in ``lang`` (``en`` or
``zh``): a ``CommandRejected`` as ``<command> <subject>: <reason>``, any other exception by the ``Text`` it was
raised with. What has no Chinese (a plain string, a message of a third-party library) comes back as it is.

A raise site writes ``raise ConfigError(msg("store.no_store", path=path))``: ``msg`` looks the key up in
``CATALOG`` (key -> (English template, Chinese template), ``str.format`` syntax) and fills both templates with
the same parameters. A parameter may itself be a ``Text`` or an exception (said in the same language), a list
(joined with ", "), or a ``Name``: a field of the batch format (``signed_on``), a command (``sign_project``), a
plugin setting or a word of the record's vocabulary, which stays as it is in English and is shown in Chinese
as its Chinese label beside it: ``签约日期 (signed_on)``.

``field_label(name, lang)`` gives that label alone (the pages' /record form puts each message beside its field).
"""

from __future__ import annotations

import re
from decimal import Decimal

from core.errors import CommandRejected
from core.glossary import zh

__all__ = ["CATALOG", "NAMES", "Name", "Setting", "Text", "field_label", "join", "msg", "render", "text_of",
           "from_marshmallow", "flatten_messages", "show_setting"]


#: names of the batch format (fields, commands), plugin settings and values -> Chinese label
NAMES: dict[str, str] = {
    # fields of the batch format (docs/assessment.md §2)
    "cmd": "指令", "id": "指令编号", "at": "录入时间", "unit": "单位", "name": "名称", "category": "类别",
    "year": "年度", "annual": "年度目标", "quarterly": "季度累计目标", "monthly": "月度目标",
    "planned": "谋划项目目标", "landed": "落地项目目标", "weights": "权重", "project": "项目",
    "planned_on": "谋划日期", "signed_on": "签约日期", "amount": "签约额", "landed_on": "落地日期",
    "started_on": "开工日期", "withdrawn_on": "退出日期", "reason": "原因", "field": "更正字段",
    "value": "更正值", "date": "日期", "period": "月份", "person": "人员", "level": "层级",
    "signed_amount": "签约额", "role": "角色", "known_at": "截至时间", "--known-at": "截至时间",
    "--until": "截至时间", "--effective": "生效日期",
    # commands
    "register_unit": "登记单位", "set_targets": "下达目标", "plan_project": "谋划项目",
    "sign_project": "项目签约", "land_project": "项目落地", "start_construction": "项目开工",
    "withdraw_project": "项目退出", "correct": "更正", "dispatch": zh("dispatch"), "close_month": "月末关账",
    "register_person": "登记人员", "assign_project": "包抓分工", "close_year": "年末关账",
    "require_self_checks": "要求自查", "self_check": "单位自查", "draw_spot_check": "随机抽查",
    "record_finding": "抽查结论", "special_assessment": "专项考核", "list_unit": "挂牌督战", "delist_unit": "摘牌",
    "from": "起始月份", "note": "说明", "draw": "抽查", "size": "样本量", "seed": "种子", "result": "结论",
    "misreported": "虚报", "supervisor": "督查部门",
    "token create": "签发令牌", "token revoke": "吊销令牌", "token": "令牌", "plugins_apply": "规则生效",
    # plugins and their settings
    "annual_amount": "年度总量目标", "quarterly_progress": "季度进度目标", "monthly_increment": "月度增量目标",
    "planned_projects": "谋划项目数", "landed_projects": "招引落地数", "unit_coefficient": zh("coefficient"),
    "ranking_policy": "月度排名", "early_warning": zh("early_warning"), "annual_evaluation": zh("annual_evaluation"),
    "weight": "权重", "cap": "封顶", "c_min": "系数下限", "c_max": "系数上限", "accountability": zh("accountability"),
    "grace_days": "宽限天数", "rectify_days": "整改天数", "thresholds": "滞后阈值", "points": "扣分",
    "excellent_share": "优等次比例", "poor_share": "差等次比例", "band": "调控幅度", "bonus": "落地加分",
    "malus": "退出减分", "enabled": "启用",
    "supervision": "督查", "self_check_day": "自查截止日", "self_check_points": "自查扣分", "misreport_points": "虚报扣分",
    # words of the record
    "green": "绿色", "orange": "橙色", "red": "红色", "feedback": zh("feedback"), "leader": zh("leader"), "director": zh("director"),
    "officer": zh("officer"), "assessment": zh("assessment"), "organizational": zh("organizational"),
    "disciplinary": zh("disciplinary"), "admin": "管理员", "auditor": "审计员", "viewer": "查看者",
    # event types
    "UnitRegistered": "单位登记", "TargetsSet": "目标下达", "ProjectPlanned": "项目谋划", "ProjectSigned": "项目签约",
    "ProjectLanded": "项目落地", "ConstructionStarted": "项目开工", "ProjectWithdrawn": "项目" + zh("withdrawn"),
    "FactCorrected": "事实更正", "DispatchHeld": zh("dispatch"), "MonthCloseRequested": "月末关账",
    "YearCloseRequested": "年末关账", "PersonRegistered": "人员登记", "ProjectAssigned": "包抓分工",
    "SelfChecksRequired": "要求自查", "SelfCheckFiled": "单位自查", "SpotCheckDrawn": "随机抽查",
    "FindingRecorded": "抽查结论", "SpecialAssessed": "专项考核", "UnitListed": "挂牌督战", "UnitDelisted": "摘牌",
    "TokenIssued": "令牌签发", "TokenRevoked": "令牌吊销", "RulesApplied": "规则生效", "BatchRecorded": "批次录入",
    "ScoreChanged": "得分变化", "NoticeIssued": "函单下发", "BoardFrozen": "清单冻结", "HeadRecorded": "树头录入",
    "StandingFrozen": zh("annual_evaluation") + "冻结",
}


class Name(str):
    """A name of the batch format or the rules (``signed_on``, ``sign_project``, ``c_min``): itself in English,
    ``签约日期 (signed_on)`` in Chinese. A dotted name (``quarterly.2``) takes the label of its first part."""

    def render(self, lang: str) -> str:
        return field_label(str(self), lang)


class HeadLabel(Name):
    """A recorded head's label (``close 2023-06``, ``close 2023``, as stored in ``HeadRecorded``): itself in English,
    ``月末关账 2023-06`` / ``年末关账 2023`` in Chinese (translated where it is shown, never where it is stored)."""

    def render(self, lang: str) -> str:
        kind, _, when = str(self).partition(" ")
        if lang != "zh" or kind != "close" or not when:
            return str(self)
        return f"{zh('year_close' if len(when) == 4 else 'month_close')} {when}"


class Setting(str):
    """A plugin setting's value as a plugins.toml writes it (``show_setting``), its keys and words
    with their Chinese labels in Chinese."""

    def __new__(cls, value):
        self = super().__new__(cls, show_setting(value))
        self.value = value
        return self

    def __reduce__(self):
        return Setting, (self.value,)

    def render(self, lang: str) -> str:
        return show_setting(self.value, lang)


def field_label(name: str, lang: str, quote: bool = True) -> str:
    """``name`` as a message shows it: itself in English; its Chinese label with it in parentheses in Chinese
    (a name without a label, such as a field the user made up, quoted: ``'colour'``; as it is without ``quote``)."""
    name = str(name)
    if lang != "zh" or not name:
        return name
    label = NAMES.get(name) or NAMES.get(name.split(".")[0])
    if label and " " in name:  # a command of the CLI (token create): its label says it
        return label
    return f"{label} ({name})" if label else repr(name) if quote else name


class Text(str):
    """A message: its ``str`` is the English text; ``render(lang)`` says it in ``lang``."""

    key: str
    params: dict

    def __new__(cls, key: str, /, **params):
        english = _fill(key, CATALOG[key][0], params, "en")
        self = super().__new__(cls, english)
        self.key, self.params = key, params
        return self

    def __reduce__(self):
        return _rebuild, (self.key, self.params)

    def render(self, lang: str) -> str:
        if lang != "zh":
            return str.__str__(self)
        return _fill(self.key, CATALOG[self.key][1], self.params, lang)


def _rebuild(key, params):
    return Text(key, **params)


def msg(key: str, /, **params) -> Text:
    """The message ``key`` of ``CATALOG`` with ``params`` (see the module's doc)."""
    return Text(key, **params)


def join(parts, sep: str = "; ") -> Text:
    """Messages joined by ``sep``, each said in the language asked."""
    return Text("_join", parts=list(parts), sep=sep)


def _show(value, lang: str):
    if isinstance(value, (Text, Name, Setting, _Head)):
        return value.render(lang)
    if isinstance(value, BaseException):
        return render(value, lang)
    if isinstance(value, (list, tuple)) and any(isinstance(v, (Text, Name, BaseException)) for v in value):
        return ", ".join(str(_show(v, lang)) for v in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value


def _fill(key: str, template: str, params: dict, lang: str) -> str:
    if key == "_join":
        return params["sep"].join(str(_show(p, lang)) for p in params["parts"])
    return template.format(**{k: _show(v, lang) for k, v in params.items()})


def text_of(exc: BaseException):
    """The message an exception was raised with: its ``Text`` when it has one, else its ``str``."""
    if len(exc.args) == 1 and isinstance(exc.args[0], Text):
        return exc.args[0]
    if isinstance(exc, CommandRejected) and isinstance(exc.reason, Text):
        return msg("rejected", head=_head(exc), reason=exc.reason)
    return str(exc)


class _Head(str):
    """``sign_project P0001``: the command (a ``Name``) and its subject."""

    def __new__(cls, cmd: str, subject):
        self = super().__new__(cls, " ".join(p for p in (cmd, subject) if p))
        self.cmd, self.subject = cmd, subject
        return self

    def render(self, lang: str) -> str:
        return " ".join(p for p in (field_label(self.cmd, lang) if self.cmd else "", self.subject) if p)


def _head(exc):
    return _Head(exc.cmd or "", exc.subject)


def render(value, lang: str = "en") -> str:
    """``value`` (an exception, a ``Text`` or a string) in ``lang`` (``en`` or ``zh``).

    English is ``str(value)``, always. A ``CommandRejected`` reads ``<command> <subject>: <reason>``
    (the command as ``项目签约 (sign_project)`` in Chinese); another exception is said by its ``Text``.
    Anything without a Chinese text comes back in English.
    """
    if lang != "zh":
        return str(value)
    if isinstance(value, BaseException):
        if isinstance(value, CommandRejected):
            reason, head = value.reason, _head(value)
            said = render(reason, lang) if isinstance(reason, Text) else str(reason)
            return f"{head.render(lang)}: {said}" if head else said
        if len(value.args) == 1 and isinstance(value.args[0], (Text, Name)):
            return value.args[0].render(lang)
        return str(value)
    if isinstance(value, (Text, Name, _Head)):
        return value.render(lang)
    return str(value)


# -- marshmallow's own messages ---------------------------------------------------------------------------
_MARSHMALLOW: list[tuple[re.Pattern, str]] = [(re.compile(p), k) for p, k in [
    (r"^Not a valid string\.$", "mm.string"),
    (r"^Not a valid integer\.$", "mm.integer"),
    (r"^Not a valid number\.$", "mm.number"),
    (r"^Not a valid decimal\.$", "mm.number"),
    (r"^Not a valid boolean\.$", "mm.boolean"),
    (r"^Not a valid list\.$", "mm.list"),
    (r"^Not a valid mapping type\.$", "mm.mapping"),
    (r"^Invalid input type\.$", "mm.input_type"),
    (r"^Field may not be null\.$", "mm.null"),
    (r"^Special numeric values \(nan or infinity\) are not permitted\.$", "mm.special"),
    (r"^Length must be between (?P<min>\S+) and (?P<max>\S+)\.$", "mm.length_between"),
    (r"^Length must be (?P<equal>\S+)\.$", "mm.length_equal"),
    (r"^Shorter than minimum length (?P<min>\S+)\.$", "mm.length_min"),
    (r"^Longer than maximum length (?P<max>\S+)\.$", "mm.length_max"),
    (r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$", "mm.range"),
    (r"^Must be greater than (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$", "mm.range_open_min"),
    (r"^Must be greater than or equal to (?P<min>\S+)\.$", "mm.min"),
    (r"^Must be greater than (?P<min>\S+)\.$", "mm.min_open"),
    (r"^Must be less than or equal to (?P<max>\S+)\.$", "mm.max"),
    (r"^Must be one of: (?P<choices>.*)\.$", "mm.one_of"),
    (r"^must be one of: (?P<choices>.*)$", "mm.one_of_lower"),
    (r"^String does not match expected pattern\.$", "mm.pattern"),
    (r"^must be a whole number such as 2023, not a string$", "cmd.year_whole"),
    (r'^must be a streak length like "2"$', "plugin.streak_length"),
]]


def from_marshmallow(text):
    """One of marshmallow's messages as a ``Text`` (the English unchanged), or ``text`` itself when unknown."""
    if isinstance(text, Text) or not isinstance(text, str):
        return text
    for pattern, key in _MARSHMALLOW:
        found = pattern.match(text)
        if found:
            params = found.groupdict()
            if "choices" in params:
                params["choices"] = [Name(c) for c in params["choices"].split(", ")]
            return Text(key, **params)
    return text


# -- the catalog --------------------------------------------------------------------------------------------
#: key -> (English, Chinese), ``str.format`` templates over the same parameters


def flatten_messages(messages, prefix="", unknown: str = "cmd.unknown_field") -> list[str]:
    """marshmallow's nested error messages as ``field.sub: message`` lines (``core.messages.Text``: the
    field's Chinese label beside it in Chinese); ``unknown`` is the message key of an unknown field."""
    out = []
    for key, value in messages.items():
        if key == "_schema" or (prefix and key == "value"):  # marshmallow's Dict nests value errors
            name = prefix.rstrip(".")
        else:
            name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.extend(flatten_messages(value, f"{name}.", unknown))
        else:
            for text in value:
                text = msg(unknown) if text == "Unknown field." else text
                text = msg("cmd.required") if text == "Missing data for required field." else text
                text = from_marshmallow(text)
                out.append(msg("field_problem", field=Name(name), problem=text) if name else text)
    return out


def show_setting(value, lang: str = "en") -> str:
    """A setting as a plugins.toml would write it (in Chinese: keys and words with their Chinese labels)."""
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{field_label(k, lang, quote=False)} = {show_setting(v, lang)}" for k, v in value.items()) + " }"
    if isinstance(value, (Decimal, int, float)) and not isinstance(value, bool):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, str):
        try:
            return format(Decimal(value).normalize(), "f")
        except ArithmeticError:
            return f'"{value}"' if lang != "zh" or value not in NAMES else field_label(value, lang)
    if lang == "zh" and isinstance(value, bool):
        return "是" if value else "否"
    return ("none" if lang != "zh" else "无") if value is None else str(value).lower()


from core.messages import audit, cli, intake, outbox, read, record, rules, store, supervision  # noqa: E402  (the parts: plain dicts)

CATALOG: dict[str, tuple[str, str]] = {
    "_join": ("", ""),
    "rejected": ("{head}: {reason}", "{head}: {reason}"),
    **record.CATALOG, **rules.CATALOG, **store.CATALOG, **read.CATALOG, **cli.CATALOG, **audit.CATALOG,
    **supervision.CATALOG, **intake.CATALOG, **outbox.CATALOG,
}
