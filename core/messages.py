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

from core.errors import CommandRejected
from core.glossary import TERMS

__all__ = ["CATALOG", "NAMES", "Name", "Setting", "Text", "field_label", "join", "msg", "render", "text_of",
           "from_marshmallow"]


def _zh(concept: str) -> str:
    return TERMS[concept][1]


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
    "withdraw_project": "项目退出", "correct": "更正", "dispatch": _zh("dispatch"), "close_month": "月末关账",
    "register_person": "登记人员", "assign_project": "包抓分工", "close_year": "年末关账",
    "token create": "签发令牌", "token revoke": "吊销令牌", "token": "令牌", "plugins_apply": "规则生效",
    # plugins and their settings
    "annual_amount": "年度总量目标", "quarterly_progress": "季度进度目标", "monthly_increment": "月度增量目标",
    "planned_projects": "谋划项目数", "landed_projects": "招引落地数", "unit_coefficient": _zh("coefficient"),
    "ranking_policy": "月度排名", "early_warning": _zh("early_warning"), "annual_evaluation": _zh("annual_evaluation"),
    "weight": "权重", "cap": "封顶", "c_min": "系数下限", "c_max": "系数上限", "accountability": _zh("accountability"),
    "grace_days": "宽限天数", "rectify_days": "整改天数", "thresholds": "滞后阈值", "points": "扣分",
    "excellent_share": "优等次比例", "poor_share": "差等次比例", "band": "调控幅度", "bonus": "落地加分",
    "malus": "退出减分", "enabled": "启用",
    # words of the record
    "green": "绿色", "orange": "橙色", "red": "红色", "feedback": _zh("feedback"), "leader": _zh("leader"), "director": _zh("director"),
    "officer": _zh("officer"), "assessment": _zh("assessment"), "organizational": _zh("organizational"),
    "disciplinary": _zh("disciplinary"), "admin": "管理员", "auditor": "审计员", "viewer": "查看者",
    # event types
    "UnitRegistered": "单位登记", "TargetsSet": "目标下达", "ProjectPlanned": "项目谋划", "ProjectSigned": "项目签约",
    "ProjectLanded": "项目落地", "ConstructionStarted": "项目开工", "ProjectWithdrawn": "项目" + _zh("withdrawn"),
    "FactCorrected": "事实更正", "DispatchHeld": _zh("dispatch"), "MonthCloseRequested": "月末关账",
    "YearCloseRequested": "年末关账", "PersonRegistered": "人员登记", "ProjectAssigned": "包抓分工",
    "TokenIssued": "令牌签发", "TokenRevoked": "令牌吊销", "RulesApplied": "规则生效", "BatchRecorded": "批次录入",
    "ScoreChanged": "得分变化", "NoticeIssued": "函单下发", "BoardFrozen": "清单冻结", "HeadRecorded": "树头录入",
    "StandingFrozen": _zh("annual_evaluation") + "冻结",
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
        return f"{TERMS['year_close' if len(when) == 4 else 'month_close'][1]} {when}"


class Setting(str):
    """A plugin setting's value as a plugins.toml writes it (``core.plugins.show_setting``), its keys and words
    with their Chinese labels in Chinese."""

    def __new__(cls, value):
        from core.plugins import show_setting
        self = super().__new__(cls, show_setting(value))
        self.value = value
        return self

    def __reduce__(self):
        return Setting, (self.value,)

    def render(self, lang: str) -> str:
        from core.plugins import show_setting
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
CATALOG: dict[str, tuple[str, str]] = {
    "_join": ("", ""),
    "rejected": ("{head}: {reason}", "{head}: {reason}"),

    # core.clock
    "clock.not_instant": ("{field}: {text!r} is not an ISO 8601 time with an offset",
                          "{field}: {text!r} 不是带时区偏移的 ISO 8601 时间"),
    "clock.not_known_at": ("{field}: {text!r} is neither a date (2023-07-10, meaning its end) nor an ISO 8601 "
                           "time with an offset (2023-07-10T12:00:00+08:00)",
                           "{field}: {text!r} 既不是日期 (如 2023-07-10, 指当天结束时) 也不是带时区偏移的 ISO 8601 时刻 "
                           "(如 2023-07-10T12:00:00+08:00)"),
    "clock.no_offset": ("{field}: {text!r} has no UTC offset (write it like 2023-03-01T09:00:00+08:00)",
                        "{field}: {text!r} 没有 UTC 偏移 (请写成 2023-03-01T09:00:00+08:00 的样子)"),
    "clock.out_of_range": ("{field}: {text!r} is out of range", "{field}: {text!r} 超出范围"),
    "clock.instant_before_1900": ("{field}: {text!r} is before 1900 (years run from 1900 to 9999)",
                                  "{field}: {text!r} 早于 1900 年 (年份须在 1900 至 9999 之间)"),
    "clock.not_day": ("{text!r} is not a date written YYYY-MM-DD", "{text!r} 不是 YYYY-MM-DD 格式的日期"),
    "clock.day_before_1900": ("{text!r} is before 1900 (years run from 1900 to 9999)",
                              "{text!r} 早于 1900 年 (年份须在 1900 至 9999 之间)"),
    "clock.not_period": ("period: {text!r} is not a month written YYYY-MM (years 1900 to 9999)",
                         "月份 (period): {text!r} 不是 YYYY-MM 格式的月份 (年份 1900 至 9999)"),

    # core.commands: the fields of a line
    "field_problem": ("{field}: {problem}", "{field}: {problem}"),
    "cmd.unknown_field": ("unknown field", "未知字段"),
    "cmd.unknown_key": ("unknown key", "未知的键"),
    "cmd.required": ("is required", "必须填写"),
    "cmd.id_pattern": ("must match ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$",
                       "须符合 ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$ (以字母或数字开头, 至多 64 个字母、数字或 _ . -)"),
    "cmd.rule_amount": ("a decimal string > 0 with at most 2 decimals", "大于 0、至多两位小数的十进制数字字符串"),
    "cmd.rule_target": ("a decimal string >= 0 with at most 6 decimals", "不小于 0、至多六位小数的十进制数字字符串"),
    "cmd.not_money": ("{value!r} is not {rule}", "{value!r} 不是{rule}"),
    "cmd.money_too_long": ("{value!r} is not {rule}: at most 18 digits before the point",
                           "{value!r} 不是{rule}: 整数部分至多 18 位"),
    "cmd.not_weight": ("{value!r} is not a number from 0 to {max}", "{value!r} 不是 0 到 {max} 之间的数"),
    "cmd.not_period": ("{text!r} is not a month written YYYY-MM", "{text!r} 不是 YYYY-MM 格式的月份"),
    "cmd.year_whole": ("must be a whole number such as 2023, not a string", "须为整数 (如 2023), 不能是字符串"),
    "cmd.quarterly_decrease": ("the 4 cumulative amounts must not decrease", "4 个季度累计目标不得递减"),
    "cmd.quarterly_annual": ("the 4th amount {fourth} must equal annual {annual}",
                             "第 4 个季度累计目标 {fourth} 须等于年度目标 (annual) {annual}"),
    "cmd.duplicate_key": ("not a JSON object Sankao reads: the key {key!r} appears twice",
                          "不是 Sankao 能读的 JSON 对象: 键 {key!r} 出现了两次"),
    "cmd.bad_json": ("not valid JSON: {problem} at column {column} ({where})",
                     "不是有效的 JSON: 第 {column} 列{problem} ({where})"),
    "cmd.json_here": ("here: {here!r}", "此处为 {here!r}"),
    "cmd.json_end": ("at the end of the line", "在行尾"),
    "cmd.too_deep": ("not a JSON object Sankao reads (nested too deeply)", "不是 Sankao 能读的 JSON 对象 (嵌套过深)"),
    "cmd.not_object": ("not a JSON object", "不是 JSON 对象"),
    "cmd.cmd_required": ("cmd: is required (one of {known})", "指令 (cmd): 必须填写 (可用: {known})"),
    "cmd.cmd_unknown": ("cmd: {cmd!r} is not one of {known}", "指令 (cmd): {cmd!r} 不是以下之一: {known}"),
    "json.Expecting value": ("Expecting value", "应为一个值"),
    "json.Expecting property name enclosed in double quotes": (
        "Expecting property name enclosed in double quotes", "应为双引号括起的键名"),
    "json.Expecting ',' delimiter": ("Expecting ',' delimiter", "应为逗号 ','"),
    "json.Expecting ':' delimiter": ("Expecting ':' delimiter", "应为冒号 ':'"),
    "json.Unterminated string starting at": ("Unterminated string starting at", "的字符串没有结束"),
    "json.Extra data": ("Extra data", "有多余的内容"),
    "json.Invalid control character at": ("Invalid control character at", "有无效的控制字符"),
    "json.Invalid \\escape": ("Invalid \\escape", "有无效的转义"),
    "json.Invalid \\uXXXX escape": ("Invalid \\uXXXX escape", "有无效的 \\u 转义"),
    "json.Illegal trailing comma before end of object": (
        "Illegal trailing comma before end of object", "对象末尾有多余的逗号"),
    "json.Illegal trailing comma before end of array": (
        "Illegal trailing comma before end of array", "数组末尾有多余的逗号"),

    # marshmallow's own messages
    "mm.string": ("Not a valid string.", "不是字符串。"),
    "mm.integer": ("Not a valid integer.", "不是整数。"),
    "mm.number": ("Not a valid number.", "不是数。"),
    "mm.boolean": ("Not a valid boolean.", "不是 true 或 false。"),
    "mm.list": ("Not a valid list.", "不是列表。"),
    "mm.mapping": ("Not a valid mapping type.", "不是表 (键值对)。"),
    "mm.input_type": ("Invalid input type.", "输入类型无效。"),
    "mm.null": ("Field may not be null.", "不能为 null。"),
    "mm.special": ("Special numeric values (nan or infinity) are not permitted.", "不允许 nan 或 infinity。"),
    "mm.length_between": ("Length must be between {min} and {max}.", "长度须在 {min} 到 {max} 之间。"),
    "mm.length_equal": ("Length must be {equal}.", "长度须为 {equal}。"),
    "mm.length_min": ("Shorter than minimum length {min}.", "短于最小长度 {min}。"),
    "mm.length_max": ("Longer than maximum length {max}.", "长于最大长度 {max}。"),
    "mm.range": ("Must be greater than or equal to {min} and less than or equal to {max}.",
                 "须不小于 {min} 且不大于 {max}。"),
    "mm.range_open_min": ("Must be greater than {min} and less than or equal to {max}.",
                          "须大于 {min} 且不大于 {max}。"),
    "mm.min": ("Must be greater than or equal to {min}.", "须不小于 {min}。"),
    "mm.min_open": ("Must be greater than {min}.", "须大于 {min}。"),
    "mm.max": ("Must be less than or equal to {max}.", "须不大于 {max}。"),
    "mm.one_of": ("Must be one of: {choices}.", "须为以下之一: {choices}。"),
    "mm.one_of_lower": ("must be one of: {choices}", "须为以下之一: {choices}"),
    "mm.pattern": ("String does not match expected pattern.", "字符串不符合规定的格式。"),

    # core.decide: rules of the record
    "decide.after_today": ("{field} {value} is after the local date {today} of the recorded time",
                           "{field} {value} 晚于录入时间的当地日期 {today} (日期在将来)"),
    "decide.unit_registered": ("unit {unit} is already registered", "单位 {unit} 已登记"),
    "decide.unit_unknown": ("unit: {unit} is not a registered unit", "单位 (unit): {unit} 不是已登记的单位"),
    "decide.weights_unknown": ("weights: {unknown} is not an indicator plugin (known: {known})",
                               "权重 (weights): {unknown} 不是指标插件 (已有: {known})"),
    "decide.project_planned": ("project {project} is already planned", "项目 {project} 已谋划"),
    "decide.person_registered": ("person {person} is already registered", "人员 {person} 已登记"),
    "decide.project_unknown": ("project {project} is not planned (unknown project)", "项目 {project} 未谋划 (未知项目)"),
    "decide.person_unknown": ("person: {person} is not a registered person", "人员 (person): {person} 不是已登记的人员"),
    "decide.withdrawn": ("project {project} is withdrawn", "项目 {project} 已" + _zh("withdrawn")),
    "decide.dispatch_earlier": ("date {date} is earlier than the last dispatch's {last}",
                                "日期 (date) {date} 早于上一次" + _zh("dispatch") + "的日期 {last}"),
    "decide.year_closed": ("year {year} is already closed", "{year} 年已年末关账"),
    "decide.year_open": ("year: {year:04d}-12 is not closed yet (close_month {year:04d}-12 first)",
                         "年度 (year): {year:04d}-12 尚未关账 (请先关账: close_month {year:04d}-12)"),
    "decide.period_closed": ("period {period} is already closed", "月份 {period} 已关账"),
    "decide.previous_open": ("period: the previous month {previous} is not closed yet",
                             "月份 (period): 上个月 {previous} 尚未关账"),
    "decide.not_over": ("period {period} is not over: the local date of the recorded time is {today}, "
                        "the month ends {end}",
                        "月份 {period} 尚未结束: 录入时间的当地日期为 {today}, 该月至 {end} 结束"),
    "decide.order": ("{late_name} {late} is before {early_name} {early}", "{late_name} {late} 早于 {early_name} {early}"),
    "decide.signed_already": ("project {project} is already signed (on {day})", "项目 {project} 已签约 (于 {day})"),
    "decide.not_signed": ("project {project} is not signed", "项目 {project} 尚未签约"),
    "decide.landed_already": ("project {project} is already landed (on {day})", "项目 {project} 已落地 (于 {day})"),
    "decide.withdrawn_already": ("project {project} is already withdrawn (on {day})",
                                 "项目 {project} 已" + _zh("withdrawn") + " (于 {day})"),
    "decide.never_set": ("field: {field} of project {project} was never set",
                         "更正字段 (field): 项目 {project} 的 {field} 从未录入"),
    "decide.correction_order": ("value: the corrected project would break an ordering rule: {problem}",
                                "更正值 (value): 更正后的项目会违反日期先后规则: {problem}"),

    # core.ledger
    "ledger.id_reused": ("id: {id} is already recorded for another command ({earlier}); the same id is how a "
                         "command sent again is recognised: give this one a new id",
                         "编号 (id): {id} 已用于另一条指令 ({earlier}); 同一编号用于识别重复发送的同一指令, 请为本指令另取编号"),
    "ledger.id_earlier": ("{cmd} recorded at {at} by {actor}, log position {position}",
                          "{cmd}, 由 {actor} 于 {at} 录入, 日志序号 {position}"),
    "ledger.id_in_batch": ("line {line} of this batch", "本批第 {line} 行"),
    "ledger.unit_not_own": ("the token of unit {own} may record only for {own}: {what} is {unit}'s",
                            "单位 {own} 的令牌只能录入本单位的指令: {what} 属于 {unit}"),
    "ledger.unit_office_command": ("the token of unit {own} may not record {cmd}: it is the office's command",
                                   "单位 {own} 的令牌不能录入 {cmd}: 这是考核办的指令"),
    "ledger.later_than_now": ("at {at} is later than now", "录入时间 (at) {at} 晚于当前时间"),
    "ledger.earlier_than_latest": ("at {at} is earlier than the latest recorded time {latest} in the store",
                                   "录入时间 (at) {at} 早于本库最近一次录入的时间 {latest}"),
    "ledger.gave_up": ("gave up after {n} version conflicts in a row; nothing of this batch was recorded, "
                       "run the command again", "连续 {n} 次版本冲突后放弃; 本批一行也没有录入, 请重新运行该命令"),
    "ledger.gave_up_alone": ("gave up recording {what} after {n} version conflicts in a row; nothing was recorded",
                             "连续 {n} 次版本冲突后放弃录入{what}; 什么也没有录入"),
    "ledger.what_rules": ("the rules", "规则"),
    "ledger.what_token": ("the token", "令牌"),
    "ledger.what_revocation": ("the revocation", "令牌的吊销"),
    "ledger.token_taken": ("name: a token named {name} was already issued", "名称 (name): 名为 {name} 的令牌已签发过"),
    "ledger.token_taken_revoked": (
        "name: a token named {name} was already issued (and revoked: names are never reused, so that the actor "
        "they record stays unambiguous)",
        "名称 (name): 名为 {name} 的令牌已签发过 (并已吊销: 名称从不重复使用, 以免其记录的录入人产生歧义)"),
    "ledger.no_token": ("name: no token named {name} was issued", "名称 (name): 没有签发过名为 {name} 的令牌"),
    "ledger.token_revoked": ("name: the token {name} is already revoked", "名称 (name): 令牌 {name} 已吊销"),
    "access.role": ("role: {role!r} is not one of admin, auditor, viewer or unit:UNIT",
                    "角色 (role): {role!r} 不是管理员 (admin)、审计员 (auditor)、查看者 (viewer) 或单位 (unit:UNIT) 之一"),
    "access.role_unit": ("role: {unit} is not a registered unit", "角色 (role): {unit} 不是已登记的单位"),
    "access.name": ("name: {name!r} must match ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$",
                    "名称 (name): {name!r} 须符合 ^[A-Za-z0-9][A-Za-z0-9_.-]{{0,63}}$"),

    # core.rules and core.plugins
    "rules.none": ("no rules are recorded yet; run: sankao plugins apply", "尚未录入任何规则; 请运行: sankao plugins apply"),
    "rules.not_effective": ("{error} nor 'start'", "{error}, 也不是 'start'"),
    "rules.trial_failed": ("the rules were not put in force, a trial run over the facts failed: {error}",
                           "规则未生效: 按已录入的事实试算失败: {error}"),
    "rules.every_month": ("every month ever assessed", "考核过的每个月"),
    "rules.from_year": ("months from {year}-01 on", "{year}-01 起的各月"),
    "rules.from_month": ("months from {period} on", "{period} 起的各月"),
    "plugins.import": ('Error importing plugin "{name}" ({value}): {error}', '导入插件 "{name}" ({value}) 出错: {error}'),
    "plugins.no_file": ("{path}: no such file (a rules file in the form of plugins.toml)",
                        "{path}: 没有这个文件 (应为 plugins.toml 格式的规则文件)"),
    "plugins.bad_toml": ("{path} is not valid TOML: {error}", "{path} 不是有效的 TOML: {error}"),
    "plugins.unknown": ("{where}: unknown plugin (installed: {installed})", "{where}: 未知插件 (已安装: {installed})"),
    "plugins.not_table": ("{where}: must be a table", "{where}: 须为表"),
    "plugins.enabled": ("{where} enabled: must be true or false", "{where} 启用 (enabled): 须为 true 或 false"),
    "plugins.top_level": ("{source}: unknown top-level key(s) {keys} (only [plugins.NAME] tables)",
                          "{source}: 未知的顶层键 {keys} (只能有 [plugins.NAME] 表)"),
    "plugins.no_tables": ("{source}: no [plugins.NAME] tables found", "{source}: 没有 [plugins.NAME] 表"),
    "plugins.setting": ("{where} {problem}", "{where} {problem}"),
    "plugins.weights_zero": ("{source}: the enabled indicators' weights add up to {total}; at least one weight must "
                             "be > 0", "{source}: 启用的指标权重之和为 {total}; 至少一个权重须大于 0"),
    "plugins.builtin": ("the built-in defaults", "内置默认规则"),
    "plugins.change_disabled": ("{name}: enabled -> disabled", "{name}: 启用 -> 停用"),
    "plugins.change_enabled": ("{name}: disabled -> enabled, settings {settings}", "{name}: 停用 -> 启用, 设置 {settings}"),
    "plugins.change_setting": ("{name}.{key}: {old} -> {new}", "{name} 的{key}: {old} -> {new}"),
    "plugins.change_version": ("{name}: version {old} -> {new}", "{name}: 版本 {old} -> {new}"),
    "plugins.raised": ('plugin "{plugin}" raised in {hook}: {kind}: {error}',
                       '插件 "{plugin}" 在 {hook} 中出错: {kind}: {error}'),
    "plugins.not_installed": ('plugin "{name}" is in force but not installed; install it again: scoring cannot go '
                              "past a fact assessed under rules that name it until then",
                              '插件 "{name}" 正在生效但未安装; 请重新安装: 在此之前, 计分无法越过按含有它的规则考核的事实'),
    "plugins.setup": ('plugin "{name}" could not be set up: {error}', '插件 "{name}" 无法启用: {error}'),
    "plugins.unknown_hook": ('plugin "{name}" implements an unknown hook: {error}', '插件 "{name}" 实现了未知的钩子: {error}'),
    "plugins.nonsense_indicator": (
        'plugin "{plugin}" returned nonsense from sankao_indicator: {spec} (want an IndicatorSpec with Decimal '
        "weight and cap, kind amount or count, inputs None or a frozenset of names)",
        '插件 "{plugin}" 的 sankao_indicator 返回了无法使用的值: {spec} (应为 IndicatorSpec)'),
    "plugins.both_supply": ('plugins "{a}" and "{b}" both supply indicator {name}',
                            '插件 "{a}" 和 "{b}" 都提供指标 {name}'),
    "plugins.nonsense": ('plugin "{plugin}" returned nonsense from {hook}: {value} (want a finite Decimal >= 0)',
                         '插件 "{plugin}" 的 {hook} 返回了无法使用的值: {value} (应为不小于 0 的有限 Decimal)'),
    "plugins.nonsense_measure": (
        'plugin "{plugin}" returned nonsense from sankao_measure for {unit} {period}: {measure} (want a Measure of '
        "its own indicator with finite Decimal value and target >= 0)",
        '插件 "{plugin}" 的 sankao_measure 对 {unit} {period} 返回了无法使用的值: {measure} (应为本指标的 Measure)'),
    "plugins.nonsense_dispatch": ('plugin "{plugin}" returned nonsense from sankao_dispatch: {value}',
                                  '插件 "{plugin}" 的 sankao_dispatch 返回了无法使用的值: {value}'),
    "plugins.nonsense_standing": (
        'plugin "{plugin}" returned nonsense from sankao_annual_standing: want a core.model.Standing of '
        "UnitStanding and PersonStanding with Decimal scores, amounts and shares; got {got}",
        '插件 "{plugin}" 的 sankao_annual_standing 返回了无法使用的值 ({got})'),
    "plugins.no_rank": ("board {period}: no enabled plugin ranks the board (sankao_rank); enable ranking_policy",
                        "形象清单 {period}: 没有启用的插件为清单排名 (sankao_rank); 请启用月度排名 (ranking_policy)"),
    "plugin.levels_missing": ("needs a value for {missing}", "缺少 {missing} 的值"),
    "plugin.levels_rising": ("must not decrease from green to orange to red", "须按绿色、橙色、红色依次不减"),
    "plugin.c_min_max": ("c_min {c_min} is greater than c_max {c_max}",
                         "系数下限 (c_min) {c_min} 大于系数上限 (c_max) {c_max}"),
    "plugin.shares": ("excellent_share + poor_share + band must not exceed 100 (they add up to {total})",
                      "优等次比例 (excellent_share) + 差等次比例 (poor_share) + 调控幅度 (band) 不得超过 100 (合计 {total})"),
    "plugin.streak_length": ('must be a streak length like "2"', '须为连续后三分之一的次数, 如 "2"'),

    # core.bootstrap
    "config.tz_unknown": ("{source}: {tz!r} is not a known time zone (an IANA name such as Asia/Shanghai)",
                          "{source}: {tz!r} 不是已知的时区 (应为 IANA 名称, 如 Asia/Shanghai)"),
    "config.tz_stored": ("{source}: this store's assessment time zone is {stored} (recorded when it was created); "
                         "{tz} would move which local date every recorded time falls on. Leave {source} unset or "
                         "give {stored}.",
                         "{source}: 本库的考核时区为 {stored} (建库时录入); 改用 {tz} 会改变每个录入时间所在的当地日期。"
                         "请不设 {source}, 或设为 {stored}。"),
    "config.partition": ("--partition: this store is scored in {recorded} partition(s), not {count}; run workers "
                         "1/{recorded} to {recorded}/{recorded}",
                         "--partition: 本库按 {recorded} 个分区计分, 不是 {count} 个; 请运行 1/{recorded} 至 "
                         "{recorded}/{recorded} 的计分进程"),
    "config.drift": ("note: {path} differs from the rules recorded at {at} by {actor} (effective {effective}); "
                     "scores use the recorded rules. Run 'sankao plugins apply' to put the file in force.",
                     "提示: {path} 与 {actor} 于 {at} 录入的规则 (生效日期 {effective}) 不同; 计分按已录入的规则。"
                     "要让该文件生效, 请运行 'sankao plugins apply'。"),
    "config.from_start": ("from the start", "自始生效"),

    # core.store
    "store.memory": ("SQLite in memory", "SQLite (内存中)"),
    "store.postgres": ("PostgreSQL {host}:{port}/{dbname}{schema}", "PostgreSQL {host}:{port}/{dbname}{schema}"),
    "store.schema": (" schema {schema}", " 模式 {schema}"),
    "store.exists_read_only": ("{where} exists already (it can only be read here); nothing was changed",
                               "{where} 已存在 (此处只能读取); 什么也没有改变"),
    "store.not_writable": ("{where} cannot be written here (no write permission on the file or its directory); "
                           "nothing was recorded", "{where} 在此处不能写入 (对文件或其目录没有写权限); 什么也没有录入"),
    "store.no_store": ("no store at {path}: nothing was recorded there (check --db or SANKAO_DB; 'sankao init' or a "
                       "first 'sankao load' creates one)",
                       "{path} 处没有数据库: 那里什么也没有录入 (请检查 --db 或 SANKAO_DB; 'sankao init' 或第一次 "
                       "'sankao load' 会创建它)"),
    "store.unknown_type": ("the store is damaged at {where}: unknown event type {topic!r} ({kind}); restore the store "
                           "from a backup (sankao backup makes one)",
                           "数据库在 {where} 处损坏: 未知的事件类型 {topic!r} ({kind}); 请从备份恢复 (sankao backup 可做备份)"),
    "store.undecodable": ("the store is damaged at {where}: its {topic} cannot be decoded ({error}); restore the store "
                          "from a backup (sankao backup makes one)",
                          "数据库在 {where} 处损坏: 其 {topic} 无法解码 ({error}); 请从备份恢复 (sankao backup 可做备份)"),
    "store.lacks": ("the store is damaged at {where}: its {topic} lacks {missing}",
                    "数据库在 {where} 处损坏: 其 {topic} 缺少 {missing}"),
    "store.position": ("position {position}", "第 {position} 条"),
    "store.empty_url": ("{source}: empty; name a SQLite file or a postgresql:// URL",
                        "{source}: 为空; 请给出 SQLite 文件或 postgresql:// 地址"),
    "store.unknown_scheme": ("{source}: {url!r} is not a store Sankao knows (scheme {scheme!r}); use a SQLite file "
                             "path such as office.db or a postgresql://user@host:5432/dbname URL",
                             "{source}: {url!r} 不是 Sankao 认识的数据库 (协议 {scheme!r}); 请用 SQLite 文件路径 (如 "
                             "office.db) 或 postgresql://user@host:5432/dbname 地址"),
    "store.no_dbname": ("{source}: {url} names no database (postgresql://user@host:5432/DBNAME)",
                        "{source}: {url} 没有给出数据库名 (postgresql://user@host:5432/DBNAME)"),
    "store.url_options": ("{source}: {url}: unknown option(s) {options} (only ?schema=NAME)",
                          "{source}: {url}: 未知的选项 {options} (只能有 ?schema=NAME)"),
    "store.schema_name": ("{source}: schema {schema!r} must be a lower-case SQL name",
                          "{source}: 模式名 (schema) {schema!r} 须为小写的 SQL 名称"),
    "store.is_directory": ("{source}: {url} is a directory; name a file such as {example}",
                           "{source}: {url} 是目录; 请给出文件, 如 {example}"),
    "store.no_directory": ("{source}: cannot create {path}: the directory {parent} does not exist (create it first, "
                           "or check the path for a typo)",
                           "{source}: 无法创建 {path}: 目录 {parent} 不存在 (请先创建它, 或检查路径是否有误)"),
    "store.pg_extra": ("PostgreSQL needs the postgres extra: pip install 'sankao[postgres]'",
                       "使用 PostgreSQL 需要安装 postgres 扩展: pip install 'sankao[postgres]'"),
    "store.pg_timeout": ("{where}: no connection within {seconds} s", "{where}: {seconds} 秒内没有连上"),
    "store.pg_no_database": ("{where}: there is no database {dbname!r} on that server (create it: createdb {dbname})",
                             "{where}: 该服务器上没有数据库 {dbname!r} (请创建: createdb {dbname})"),
    "store.pg_no_role": ("{where}: the server has no role {user!r} (name another user in the URL)",
                         "{where}: 服务器上没有角色 {user!r} (请在地址中换一个用户)"),
    "store.pg_password": ("{where}: the server refused the password of {user!r}", "{where}: 服务器拒绝了 {user!r} 的密码"),
    "store.pg_refused": ("{where}: nothing answers at {host}:{port} (connection refused: is the server running?)",
                         "{where}: {host}:{port} 没有应答 (连接被拒绝: 服务器在运行吗?)"),
    "store.pg_no_answer": ("{where}: no answer from {host}:{port} within {seconds} s",
                           "{where}: {host}:{port} 在 {seconds} 秒内没有应答"),
    "store.pg_stopped": ("{where}: the server stopped answering ({error})", "{where}: 服务器不再应答 ({error})"),
    "store.pg_failed": ("{where}: the connection failed ({error})", "{where}: 连接失败 ({error})"),
    "store.pg_cannot": ("{where}: cannot connect ({error})", "{where}: 无法连接 ({error})"),
    "store.pg_missing_tables": ("{where}: the tables are missing ({error}); run: sankao init",
                                "{where}: 缺少数据表 ({error}); 请运行: sankao init"),
    "store.pg_busy": ("{where}: another process held the write lock for {seconds} s; nothing of this step was "
                      "recorded, run it again", "{where}: 另一进程占用写锁已 {seconds} 秒; 这一步什么也没有录入, 请重新运行"),
    "store.pg_old": ("{where} holds tables of Sankao 0.1 (records_events, assessment_events); this Sankao keeps one "
                     "log and cannot read them. They were not changed; use another schema (?schema=NAME).",
                     "{where} 存有 Sankao 0.1 的数据表 (records_events, assessment_events); 本版只用一份日志, 无法读取它们。"
                     "它们没有被改动; 请换一个模式 (?schema=NAME)。"),
    "store.pg_no_tables": ("{where}: no Sankao tables yet; run: sankao init", "{where}: 还没有 Sankao 的数据表; 请运行: sankao init"),
    "store.format": ("{where} has store format {found!r}; this Sankao reads {wanted!r}",
                     "{where} 的存储格式为 {found!r}; 本版读取 {wanted!r}"),
    "store.opened_read_only": ("{where} is open read-only here; nothing was recorded", "{where} 在此处以只读方式打开; 什么也没有录入"),
    "store.locked": ("{where} stayed locked by another process for {seconds} s; nothing of this step was recorded, "
                     "run it again", "{where} 被另一进程锁住已 {seconds} 秒; 这一步什么也没有录入, 请重新运行"),
    "store.full": ("the disk holding {where} is full ({error}): nothing of this step was recorded; what was "
                   "recorded before stays, and queries still answer. Free some space, then run the same command "
                   "again", "{where} 所在磁盘已满 ({error}): 这一步什么也没有录入; 之前录入的都在, 查询照常可用。"
                   "请腾出空间后重新运行同一命令"),
    "store.cannot_open": ("{where} cannot be opened for writing ({error}): its folder does not exist or this user "
                          "may not write there (SQLite also writes -wal and -shm files beside it); nothing was "
                          "recorded", "{where} 无法以写方式打开 ({error}): 所在文件夹不存在, 或当前用户无权在其中写入 "
                          "(SQLite 还要在旁边写 -wal 和 -shm 文件); 什么也没有录入"),
    "store.read_only_error": ("{where} cannot be written here ({error}); nothing was recorded",
                              "{where} 在此处不能写入 ({error}); 什么也没有录入"),
    "store.not_sankao_table": ("{where} is not a Sankao store ({error})", "{where} 不是 Sankao 数据库 ({error})"),
    "store.unreadable": ("{where} cannot be read: {error}", "{where} 无法读取: {error}"),
    "store.old_sqlite": ("{where} was written by Sankao 0.1 (the record in this file, the assessment in {name}-assessment); "
                         "this Sankao keeps both in one log and cannot read it. It was not changed.",
                         "{where} 由 Sankao 0.1 写入 (记录在此文件中, 考核在 {name}-assessment 中); 本版把两者存在一份日志里, "
                         "无法读取它。它没有被改动。"),
    "store.empty_database": ("{where} is an empty database, not a Sankao store yet ('sankao init' makes it one)",
                             "{where} 是空数据库, 还不是 Sankao 数据库 ('sankao init' 可以建成)"),
    "store.other_tables": ("{where} is not a Sankao store (it holds other tables: {tables}); nothing was changed",
                           "{where} 不是 Sankao 数据库 (其中是别的数据表: {tables}); 什么也没有改变"),
    "store.schema_missing": ("{where} has no schema mark (meta 'schema') and holds no log yet: its creation stopped "
                             "before it was marked. A command that only reads never writes a store: 'sankao init' "
                             "finishes it. Nothing was changed",
                             "{where} 没有结构版本标记 (meta 'schema'), 也还没有日志: 它的创建在写入标记之前中断了。"
                             "只读的命令从不写入数据库: 'sankao init' 可以完成它。什么也没有改变"),
    "store.schema_missing_log": ("{where} has no schema mark (meta 'schema') but holds a log (rows in {tables}): the "
                                 "row was deleted around Sankao, by accident or by someone who changed the store. No "
                                 "command writes to such a store: an upgrade would hash every row of it into the "
                                 "Merkle tree, rows written around Sankao included. Restore the store from a backup, "
                                 "or run 'sankao audit verify' to see what else was changed. Nothing was changed",
                                 "{where} 没有结构版本标记 (meta 'schema'), 却存有日志 ({tables} 中有数据行): 这一行已被"
                                 "绕过 Sankao 删除 (出于意外, 或者有人改动了数据库)。任何命令都不写入这样的数据库: "
                                 "升级会把其中每一行 (包括绕过 Sankao 写入的行) 都算进默克尔树。请从备份恢复数据库, "
                                 "或者运行 'sankao audit verify' 查看还有什么被改动。什么也没有改变"),
    "store.schema_other": ("{where} is marked schema {found!r}; this Sankao reads schema {wanted!r}. A command that only "
                           "reads never upgrades a store: run 'sankao audit verify', then 'sankao init' to upgrade it (or "
                           "use the Sankao that wrote it). Nothing was changed",
                           "{where} 标记的结构版本为 {found!r}; 本版读取 {wanted!r}。只读的命令从不升级数据库: 请先运行 "
                           "'sankao audit verify', 再用 'sankao init' 升级 (或使用写入它的 Sankao 版本)。什么也没有改变"),

    # core.read: answers that do not exist (yet)
    "read.q_board": ("board {period}", _zh("board") + " {period}"),
    "read.q_score": ("score {unit} {period}", "得分 {unit} {period}"),
    "read.q_annual": ("annual {year}", _zh("annual_evaluation") + " {year}"),
    "read.not_scored": ("{query}: not scored yet: the scores are {behind} fact(s) behind the record (the scoring worker "
                        "has not caught up, or this read-only copy was made before it did)",
                        "{query}: 尚未计分: 得分落后于记录 {behind} 条事实 (计分进程尚未跟上, 或这份只读副本是在它跟上之前做的)"),
    "read.no_board_yet": ("{query}: no board yet as known at {at}; a month's board exists from its first day on",
                          "{query}: 截至 {at} 还没有这个月的" + _zh("board") + "; 一个月的清单从该月第一天起才有"),
    "read.no_unit_assessed": ("board {period}: no unit is assessed in {period} as known at {at} (no unit has targets for "
                              "{year}, or every assessed weight is 0)",
                              _zh("board") + " {period}: 截至 {at}, {period} 没有单位参加考核 ({year} 年没有单位下达目标, "
                              "或考核权重全为 0)"),
    "read.not_on_frozen": ("{unit} is not on the frozen board of {period}", "{unit} 不在 {period} 已冻结的清单上"),
    "read.no_figures": ("{unit} has no figures for {period} as known at {at}", "截至 {at}, {unit} 没有 {period} 的得分"),
    "read.unit_unknown_at": ("{query}: {unit} is not a registered unit as known at {at}",
                             "{query}: 截至 {at}, {unit} 不是已登记的单位"),
    "read.no_targets": ("{query}: {unit} has no targets for {year} as known at {at}, so it is not assessed",
                        "{query}: 截至 {at}, {unit} 没有 {year} 年的目标, 因此不参加考核"),
    "read.weights_zero": ("{query}: {unit} is not on the board of {period} as known at {at} (every weight it is "
                          "assessed with is 0)", "{query}: 截至 {at}, {unit} 不在 {period} 的清单上 (其考核权重全为 0)"),
    "read.annual_disabled": ("annual {year}: the year was closed while no plugin in force evaluated it "
                             "(annual_evaluation was disabled); nothing was frozen",
                             _zh("annual_evaluation") + " {year}: 年末关账时没有生效的插件评定该年 (年考评插件 "
                             "annual_evaluation 已停用); 什么也没有冻结"),
    "read.annual_no_plugin": ("annual {year}: no plugin in force for {through} evaluates the year "
                              "(sankao_annual_standing): this store's rules predate annual_evaluation or disable it. "
                              "Put it in force before close_year: a file holding [plugins.annual_evaluation], then: "
                              "sankao plugins apply FILE",
                              _zh("annual_evaluation") + " {year}: {through} 生效的插件中没有评定该年的 "
                              "(sankao_annual_standing): 本库的规则早于年考评插件 (annual_evaluation) 或停用了它。请在年末关账 "
                              "(close_year) 前让它生效: 写一个含 [plugins.annual_evaluation] 的文件, 然后运行: "
                              "sankao plugins apply FILE"),
    "read.person_unknown": ("person {person}: not a registered person as known at {at}{unit}",
                            "人员 {person}: 截至 {at} 不是已登记的人员{unit}"),
    "read.person_is_unit": (" (that is a unit: `sankao explain UNIT PERIOD` takes a month)",
                            " (这是单位: `sankao explain UNIT PERIOD` 要给出月份)"),
    "read.registered_after": ("registered after close_year {year}: not in its standing",
                              "在 {year} 年末关账 (close_year) 后登记: 不在该年" + _zh("annual_evaluation") + "中"),
    "read.notices_unit": ("notices: {unit} is not a registered unit", _zh("notices") + ": {unit} 不是已登记的单位"),
    "read.unit_unknown": ("{unit} is not a registered unit", "{unit} 不是已登记的单位"),
    "read.no_case": ("notice {case}: no such case", "函单 {case}: 没有这个案卷"),
    "read.no_document": ("notice {case}/{number}: the case has {count} document(s)",
                         "函单 {case}/{number}: 该案卷只有 {count} 份函单"),
    "read.projects_unit": ("projects: {unit} is not a registered unit", "项目: {unit} 不是已登记的单位"),
    "read.events_unit": ("events: {unit} is not a registered unit", "事件: {unit} 不是已登记的单位"),
    "read.events_project": ("events: {project} is not a planned project{of}", "事件: {project} 不是{of}已谋划的项目"),
    "read.of_unit": (" of {unit}", " {unit} "),

    # the command line (core.cli)
    "cli.error": ("error: {error}", "错误: {error}"),
    "cli.aborted": ("Aborted!", "已取消!"),
    "cli.defect": ("error: unexpected {kind}: {first} (a defect in Sankao; SANKAO_DEBUG=1 prints the traceback)",
                   "错误: 意外的 {kind}: {first} (这是 Sankao 的缺陷; 设 SANKAO_DEBUG=1 可打印调用栈)"),
    "cli.default_source": ("default {option}", "默认的 {option}"),
    "cli.created": ("created a new store: {where}", "新建了数据库: {where}"),
    "cli.why_read_only": ("this store is open read-only", "本库以只读方式打开"),
    "cli.why_worker": ("scoring is left to `sankao worker`", "计分交给 `sankao worker`"),
    "cli.behind_note": ("note: {why}; the scores are {behind} fact(s) behind the record (answers show what was scored)",
                        "提示: {why}; 得分落后于记录 {behind} 条事实 (所答为已计分的结果)"),
    "cli.scoring_stopped": ("warning: scoring stopped, the scores are {left} fact(s) behind the record: {failure}. "
                            "Answers show what was scored before that. {finish}",
                            "警告: 计分中断, 得分落后于记录 {left} 条事实: {failure}。所答为此前已计分的结果。{finish}"),
    "cli.finish_store": ("Nothing recorded was lost: when the store answers again, run the same command again (or "
                         "`sankao worker --once`) to finish the scoring.",
                         "已录入的一条也没有丢: 数据库恢复应答后, 重新运行同一命令 (或 `sankao worker --once`) 即可完成计分。"),
    "cli.finish_plugins": ("Nothing recorded was lost: once the cause is mended (`sankao plugins list` shows the rules "
                           "in force), `sankao worker --once` finishes the scoring.",
                           "已录入的一条也没有丢: 排除原因后 (`sankao plugins list` 列出生效的规则), 运行 "
                           "`sankao worker --once` 即可完成计分。"),
    "cli.ready_existed": ("ready: {where} (it existed already; nothing was changed)", "就绪: {where} (早已存在; 什么也没有改变)"),
    "cli.ready": ("ready: {where}", "就绪: {where}"),
    "cli.stdin": ("standard input", "标准输入"),
    "cli.unreadable_file": ("{file}: cannot be read ({error})", "{file}: 无法读取 ({error})"),
    "cli.utf8.invalid start byte": ("invalid start byte", "无效的起始字节"),
    "cli.utf8.invalid continuation byte": ("invalid continuation byte", "无效的后续字节"),
    "cli.utf8.unexpected end of data": ("unexpected end of data", "数据意外结束"),
    "cli.not_utf8": ("not UTF-8 text ({reason} at byte {byte} of the line); save {where} as UTF-8",
                     "不是 UTF-8 文本 (该行第 {byte} 个字节: {reason}); 请把 {where} 另存为 UTF-8"),
    "cli.not_a_file": ("{file!r} is not a file", "{file!r} 不是文件"),
    "cmd.number_too_long": ("a number of {digits} digits: no field takes a number that long",
                            "一个 {digits} 位的数字: 没有字段接受这么长的数字"),
    "cmd.surrogate": ("the line holds a lone surrogate (\\ud800-\\udfff), which is not a character: write the "
                      "text as UTF-8", "本行含有孤立的代理码 (\\ud800-\\udfff), 它不是字符: 请以 UTF-8 书写文本"),
    "cli.no_such_file": ("{file!r}: no such file", "{file!r}: 没有这个文件"),
    "cli.check_no_store": ("note: no store at {path} yet: checking against an empty store (nothing is created)",
                           "提示: {path} 处还没有数据库: 按空库检查 (什么也不会创建)"),
    "cli.line": ("line {number}: {message}", "第 {number} 行: {message}"),
    "cli.check_summary": ("check: {recorded} would be recorded, {skipped} skipped, {rejected} rejected; nothing recorded",
                          "检查: 可录入 {recorded} 行, 跳过 {skipped} 行, 拒绝 {rejected} 行; 什么也没有录入"),
    "cli.recorded": ("recorded {recorded}, skipped {skipped}", "已录入 {recorded} 行, 跳过 {skipped} 行"),
    "cli.with_kept": ("{error}\n{kept}", "{error}\n{kept}"),
    "cli.kept_upto": (" (every line up to line {line})", " (直到第 {line} 行的每一行)"),
    "cli.kept": ("Kept: {recorded} line(s) recorded and {skipped} skipped{upto}; nothing after that.",
                 "已保留: 录入 {recorded} 行, 跳过 {skipped} 行{upto}; 其后的一行也没有录入。"),
    "cli.kept_no_ids": ("{kept} {missing} of the remaining lines have no id and cannot be recognised when run again: "
                        "record the rest with: tail -n +{line} {file} | sankao load -",
                        "{kept} 余下的行中有 {missing} 行没有指令编号 (id), 重新运行时无法识别: 请这样录入其余的行: "
                        "tail -n +{line} {file} | sankao load -"),
    "cli.kept_again": ("{kept} Run the same command again to finish: lines already recorded are skipped.",
                       "{kept} 重新运行同一命令即可完成: 已录入的行会被跳过。"),
    "cli.backup_postgres": ("backup copies SQLite stores; back up PostgreSQL with pg_dump",
                            "备份只复制 SQLite 数据库; PostgreSQL 请用 pg_dump 备份"),
    "cli.backup_exists": ("{target} exists already; backup writes only new files", "{target} 已存在; 备份只写新文件"),
    "cli.no_such_folder": ("{folder} does not exist", "{folder} 不存在"),
    "cli.copied": ("copied {where} to {target} ({size} events)", "已把 {where} 复制到 {target} ({size} 条事件)"),
    "cli.partition": ("{value!r} is not K/N with 1 <= K <= N (this worker's part, of how many)",
                      "{value!r} 不是 K/N (1 <= K <= N: 本计分进程是 N 份中的第 K 份)"),
    "cli.scored": ("{name}: scored {done} fact(s) in {seconds} s; {behind} behind",
                   "计分进程{part}: {seconds} 秒内计分 {done} 条事实; 还落后 {behind} 条"),
    "cli.rebuilt": ("rebuilt the read models from {done} event(s) in {seconds} s",
                    "已在 {seconds} 秒内按 {done} 条事件重建查询表"),
    "cli.demo_foreign": ("{where} already holds {foreign} command(s) and no demo; the demo loads only into an empty "
                         "store and changed nothing (name another with --db)",
                         "{where} 已有 {foreign} 条指令, 且不是演示数据; 演示只载入空库, 什么也没有改变 (请用 --db 另指一个)"),
    "cli.demo_also": ("(the store also holds {foreign} command(s) recorded besides the demo)",
                      "(本库除演示数据外还有 {foreign} 条指令)"),
    "cli.demo_pages": ("The office's pages: {address}  (log in with a token below; the API: {address}api/docs)",
                       "考核办页面: {address}  (用下面的令牌登录; 接口文档: {address}api/docs)"),
    "cli.demo_serve_it": ("Serve it: {me} --db {db} demo (or serve)", "启动服务: {me} --db {db} demo (或 serve)"),
    "cli.demo_serving": ("serving the demo on {address} (Ctrl-C stops)", "演示服务运行于 {address} (Ctrl-C 停止)"),
    "cli.port_taken": ("cannot serve on {host}:{port}: {error} (another server there? choose another with --port, or "
                       "--no-serve); nothing recorded",
                       "无法在 {host}:{port} 提供服务: {error} (那里已有别的服务? 请用 --port 另选端口, 或用 --no-serve); "
                       "什么也没有录入"),
    "cli.listen": ("cannot listen on {host}:{port}: {error} (another server there? choose another with --port)",
                   "无法在 {host}:{port} 监听: {error} (那里已有别的服务? 请用 --port 另选端口)"),
    "cli.serving": ("serving {where} on http://{host}:{port}/ (the API at /api, its docs at /api/docs; Ctrl-C stops)",
                    "{where} 的服务运行于 http://{host}:{port}/ (接口在 /api, 文档在 /api/docs; Ctrl-C 停止)"),
    "cli.demo_there": ("The demo up to {today} is in {where} already; nothing recorded",
                       "截至 {today} 的演示数据已在 {where} 中; 什么也没有录入"),
    "cli.demo_later": ("{where} holds entries recorded after the demo's; the demo's {missing} newer command(s) are left "
                       "out (delete the store for a fresh demo)",
                       "{where} 有晚于演示数据录入的内容; 演示中较新的 {missing} 条指令不再载入 (删除该库可重新演示)"),
    "cli.demo_rejected": ("the demo was rejected: {line}", "演示数据被拒绝: {line}"),
    "cli.demo_rest": ("the rest of the demo", "其余的演示数据"),
    "cli.demo_years": ("the demo of {last} and {year}", "{last} 年和 {year} 年的演示数据"),
    "cli.demo_recorded": ("Recorded {done} up to {today}: {recorded} commands, into {where}",
                          "已录入截至 {today} 的{done}: {recorded} 条指令, 录入 {where}"),
    "cli.no_event_type": ("{unknown}: no such event type (the types: {types})",
                          "{quoted}: 没有这种事件类型 (可用: {types})"),
    "cli.no_sample": ("{name!r} is not a sample (known: {known})", "{name!r} 不是样例 (可用: {known})"),
    "cli.wrote_sample": ("wrote {lines} commands to {output}", "已把 {lines} 条指令写入 {output}"),
    "cli.period_or_year": ("{error} (or a year YYYY, to explain a person's annual score)",
                           "{error} (或年份 YYYY, 用于说明人员的" + _zh("annual_evaluation") + "得分)"),
    "cli.person_restated": ("a person's annual score has no restated form", "人员的" + _zh("annual_evaluation") + "得分没有重算形式"),
    "cli.not_root": ("{value!r} is not a root hash: 64 hexadecimal digits, as `sankao audit head` prints it",
                     "{value!r} 不是根哈希: 应为 64 位十六进制数字, 即 `sankao audit head` 所打印的"),
    "cli.tree_log_differ": ("warning: the log holds {log} events but the tree {tree}: events were written or removed "
                            "around Sankao; run 'sankao audit verify'",
                            "警告: 日志有 {log} 条事件, 默克尔树却有 {tree} 条: 有人绕过 Sankao 写入或删除了事件; 请运行 "
                            "'sankao audit verify'"),
    "cli.not_consistent": ("NOT OK: the log's first {size} events give root {root}, not the published {published}: "
                           "the record was changed since that root was published, or it was published for another "
                           "size or store",
                           "不一致: 日志前 {size} 条事件得出的根哈希为 {root}, 不是公布的 {published}: 公布后记录被改动过, "
                           "或公布的是另一规模或另一数据库的根哈希"),
    "cli.verify_ok": ("ok: {size} events, root {root}; {heads} recorded head(s) agree",
                      "完好: {size} 条事件, 根哈希 {root}; 录入的 {heads} 个树头全部相符"),
    "cli.verify_bad": ("NOT OK: position {position}: {kind}: {what}", "不完好: 第 {position} 条: {kind}: {what}"),
    "cli.verify_also": ("  also position {position}: {kind}: {what}", "  另有第 {position} 条: {kind}: {what}"),
    "cli.exported": ("exported {size} events, root {root}, to {folder}\ncheck it anywhere with: python3 {verify} {folder}",
                     "已导出 {size} 条事件 (根哈希 {root}) 到 {folder}\n在任何机器上核验: python3 {verify} {folder}"),
    "cli.replayed": ("{agreed} of {total} recorded consequences agree ({counts})",
                     "录入的 {total} 条结果中 {agreed} 条相符 ({counts})"),
    "cli.differs": ("  differs: {what}", "  不符: {what}"),
    "cli.nothing_replayed": ("the bundle holds no recorded consequences (scores, letters, boards, heads) to compare: "
                             "nothing was checked. Export the whole log, or an --until that its scoring had reached.",
                             "审计包中没有可比较的录入结果 (得分、函单、清单、树头): 什么也没有核对。请导出整个日志, "
                             "或用计分已到达的 --until。"),
    "cli.name_plugins_file": ("name the plugins.toml to apply (FILE, --plugins or SANKAO_PLUGINS)",
                              "请指明要生效的 plugins.toml (文件参数、--plugins 或 SANKAO_PLUGINS)"),
    "cli.nothing_to_change": ("nothing to change: the rules of {path} are in force for {since} already; nothing recorded",
                              "无需改变: {path} 的规则已对{since}生效; 什么也没有录入"),
    "cli.every_month": ("every month", "每个月"),
    "cli.every_month_from": ("every month from {months}", "{all}"),
    "cli.changes": ("Changes ({path}), in force for {months} (a month is scored with the rules in force on its first "
                    "day):", "变更 ({path}), 对{months}生效 (每个月按其第一天生效的规则计分):"),
    "cli.reaching_back": ("  the plugins and settings in force now, reaching back to earlier months",
                          "  现行的插件和设置, 追溯到更早的月份"),
    "cli.boards_move": ("Boards that move:", "变动的" + _zh("board") + ":"),
    "cli.no_board_moves": ("No board that exists yet moves.", "现有的" + _zh("board") + "都不变。"),
    "cli.closed_months": ("Closed months: their frozen boards stay as they are; only `--restated` would show:",
                          "已关账的月份: 冻结的清单保持不变; 只有 `--restated` 会显示:"),
    "cli.moves": ("  {period}: {count} unit(s): {shown}{more}", "  {period}: {count} 个单位: {shown}{more}"),
    "cli.and_more": (", and {more} more", ", 另有 {more} 个"),
    "cli.off_board": ("off the board", "不在清单上"),
    "cli.dry_run": ("dry run: nothing recorded", "试运行: 什么也没有录入"),
    "cli.confirm_yes": ("nothing recorded: confirm with --yes (or look first with --dry-run)",
                        "什么也没有录入: 请用 --yes 确认 (或先用 --dry-run 查看)"),
    "cli.confirm": ("Record these rules?", "录入这些规则?"),
    "cli.rules_in_force": ("rules in force from {effective}, recorded by {actor}", "规则自 {effective} 起生效, 由 {actor} 录入"),
    "cli.the_start": ("the start", "自始生效"),
    "cli.token_issued": ("issued token {name} ({role}); keep it now, it is not shown again:",
                         "已签发令牌 {name} ({role}); 请现在保存, 它不会再显示:"),
    "cli.token_revoked": ("revoked token {name}", "已吊销令牌 {name}"),
    # core.audit
    "audit.no_head": ("--head: the tree holds {current} events; a head of {size} does not exist",
                      "--head: 默克尔树有 {current} 条事件; 规模为 {size} 的树头不存在"),
    "audit.not_in_tree": ("audit prove: position {position} is not in a tree of {size} events",
                          "包含证明: 第 {position} 条不在规模为 {size} 的树中"),
    "audit.not_size": ("audit consistency: the tree holds {size} events, not {old_size}",
                       "一致性证明: 默克尔树有 {size} 条事件, 不足 {old_size} 条"),
    "audit.from_empty": ("audit consistency: a consistency proof from size 0 (the empty tree) proves nothing, whatever "
                         "the old root, and is refused (RFC 9162); give an old size of 1 or more",
                         "一致性证明: 从规模 0 (空树) 出发的一致性证明什么也证明不了, 无论旧根哈希为何, 故拒绝 (RFC 9162); "
                         "请给出 1 或更大的旧规模"),
    "audit.log_end": ("the store's log should end at position {size}; it ends at {last} and its Merkle tree at {held}: "
                      "events were written or removed around Sankao, straight in the database. Nothing was recorded; "
                      "'sankao audit verify' names them",
                      "本库的日志应止于第 {size} 条; 实际止于第 {last} 条, 默克尔树止于第 {held} 条: 有人绕过 Sankao 直接在数据库中"
                      "写入或删除了事件。什么也没有录入; 'sankao audit verify' 会指出它们"),
    "audit.gone": ("the tree holds an event here that is no longer stored", "树中此处有一条事件, 数据库里已不再存有"),
    "audit.head_beyond": ("the head recorded at position {position} ({label}) covers {size} events; only {stored} are "
                          "stored", "第 {position} 条录入的树头 ({label}) 涵盖 {size} 条事件; 数据库只存有 {stored} 条"),
    "audit.head_root": ("the head recorded at position {position} ({label}) says root {root}; the stored events give "
                        "another", "第 {position} 条录入的树头 ({label}) 的根哈希为 {root}; 存有的事件得出的不同"),
    "audit.tree_root": ("the stored tree's root differs from the stored events'", "存有的树的根哈希与存有的事件得出的不同"),
    "audit.deleted": ("no event is stored at this position, the tree holds one: it was deleted",
                      "此处没有存有事件, 树中却有一条: 它被删除了"),
    "audit.nothing_here": ("no event is stored here", "此处没有存有事件"),
    "audit.inserted": ("an event stands here that the tree never held", "此处有一条树中从未有过的事件"),
    "audit.tree_changed": ("the stored tree lacks this event's leaf: the tree was changed", "存有的树缺少这条事件的叶子: 树被改动了"),
    "audit.swapped": ("the events at positions {p} and {q} swapped places", "第 {p} 条和第 {q} 条事件互换了位置"),
    "audit.changed": ("the stored event differs from the one the tree recorded (its data, type, stream or version was "
                      "changed)", "存有的事件与树所记录的不同 (其内容、类型、流或版本被改动了)"),
    "audit.backdated": ("this fact is recorded at {at}, earlier than the fact at position {position} (recorded at "
                        "{latest}): the record's times never go backwards (a backdated event written around Sankao)",
                        "这条事实的录入时间为 {at}, 早于第 {position} 条事实 ({latest}): 记录的时间从不倒退 (有人绕过 "
                        "Sankao 写入了倒填时间的事件)"),
    "audit.unreadable": ("the stored event cannot be read: {error}", "存有的事件无法读取: {error}"),
    "audit.node": ("the stored tree node over positions {first} to {last} (level {level}) is not the one the events "
                   "give: the node was changed, or an event among these positions was changed together with its leaf "
                   "hash", "存有的树节点 (第 {first} 至 {last} 条, 层 {level}) 与事件得出的不同: 节点被改动了, 或者这些位置"
                   "中有一条事件连同其叶子哈希一起被改动了"),
    "audit.node_missing": ("the tree lacks its stored node over positions {first} to {last} (level {level}): it was "
                           "deleted", "树缺少第 {first} 至 {last} 条的节点 (层 {level}): 它被删除了"),
    "audit.node_extra": ("the tree stores a node (level {level}, index {idx}, positions {first} to {last}) that the "
                         "log does not have", "树中存有一个日志里没有的节点 (层 {level}, 序号 {idx}, 第 {first} 至 {last} 条)"),
    "audit.rm_differs": ("the read model {table}, row {key}: {column} is {found}, the log gives {wanted} (written by "
                         "the event at position {position})", "读模型 {table} 的行 {key}: {column} 为 {found}, 按日志应为 "
                         "{wanted} (由第 {position} 条事件写入)"),
    "audit.rm_missing": ("the read model {table} lacks the row {key} that the event at position {position} wrote",
                         "读模型 {table} 缺少第 {position} 条事件写入的行 {key}"),
    "audit.rm_extra": ("the read model {table} holds a row {key} that no event up to position {upto} wrote",
                       "读模型 {table} 中有一行 {key}, 截至第 {upto} 条没有任何事件写入它"),
    "audit.rm_more": ("and {count} more row(s) of the read model {table} differ from the log",
                      "读模型 {table} 另有 {count} 行与日志不符"),
    "audit.rm_ahead": ("the read models say they stand at position {position}, beyond the log's last event ({last})",
                       "读模型自称已到第 {position} 条, 超出了日志的最后一条 (第 {last} 条)"),
    "audit.export_exists": ("{folder} exists and is not an empty folder; an export writes only into a new folder",
                            "{folder} 已存在且不是空文件夹; 导出只写入新的文件夹"),
    "audit.not_utf8": ("the event at position {position} is not UTF-8 JSON: the store was changed around Sankao; run "
                       "sankao audit verify", "第 {position} 条事件不是 UTF-8 的 JSON: 有人绕过 Sankao 改动了数据库; 请运行 "
                       "sankao audit verify"),
    "audit.root_mismatch": ("the stored events do not give the root of the stored tree: the log was changed around "
                            "Sankao; run sankao audit verify (nothing was exported)",
                            "存有的事件得不出存有的树的根哈希: 有人绕过 Sankao 改动了日志; 请运行 sankao audit verify "
                            "(什么也没有导出)"),
    "audit.not_bundle": ("{folder}: not an audit bundle ({error})", "{folder}: 不是审计包 ({error})"),
    "audit.rules_missing": ("explain: the rules {rules} the figures were recorded with are not in the log",
                            "得分说明: 录入这些得分时所用的规则 {rules} 不在日志中"),
    "audit.no_history": ("history {unit} {period}: no figures of {unit} for {period} were ever recorded",
                         "得分变化 {unit} {period}: 从未录入过 {unit} 在 {period} 的得分"),
    "audit.what_score": ("{unit} {period} as of {command}", "{unit} {period} (截至 {command})"),
    "audit.what_notice": ("{unit} {case} {level} of {date}", "{unit} {case} {date} 的{level}"),
    "audit.what_board": ("the frozen board of {period}", "{period} 已冻结的" + _zh("board")),
    "audit.what_standing": ("the annual standing of {year}", "{year} 年的" + _zh("annual_evaluation")),
    "audit.what_head": ("the head {label} (size {size})", "树头 {label} (规模 {size})"),
    "audit.what_unknown": ("a consequence this Sankao does not know how to compare ({kind})",
                           "本版不知道如何比较的结果 ({kind})"),
    "audit.disagreement": ("{kind} {what} (position {position})", "{kind} {what} (第 {position} 条)"),
    "read.row_elsewhere": ("the read model's figures for {period} point at position {position}, which holds no "
                           "figures of {period}: the read model was altered (run `sankao audit verify`, then "
                           "`sankao rebuild`)",
                           "读模型中 {period} 的得分指向第 {position} 条, 而该条不是 {period} 的得分: 读模型被改动了 (请运行 "
                           "`sankao audit verify`, 再运行 `sankao rebuild`)"),
    # verified reads (core.audit.verified)
    "verified.sizes": ("the log holds {log} events but its Merkle tree {tree}: events were written around Sankao "
                       "(run `sankao audit verify`)",
                       "日志有 {log} 条事件, 默克尔树却有 {tree} 条: 有人绕过 Sankao 写入了事件 (请运行 `sankao audit verify`)"),
    "verified.tree_lacks": ("{error}: the Merkle tree was altered in the store", "{error}: 数据库中的默克尔树被改动了"),
    "verified.fewer": ("the log has {size} events, fewer than the {old_size} of the head trusted: events were removed",
                       "日志只有 {size} 条事件, 少于所信任树头的 {old_size} 条: 有事件被删除了"),
    "verified.not_extended": ("today's log does not extend the head trusted (size {old_size}, root {root}): the record "
                              "before position {next} was rewritten",
                              "今天的日志不是所信任树头 (规模 {old_size}, 根哈希 {root}) 的延续: 第 {next} 条之前的记录被改写了"),
    "verified.other_root": ("the log's root at size {size} is not the root trusted ({root}): the record was rewritten",
                            "日志在规模 {size} 时的根哈希不是所信任的根哈希 ({root}): 记录被改写了"),
    "verified.beyond": ("position {position} is beyond the verified head ({size})",
                        "第 {position} 条超出了已核验的树头 ({size})"),
    "verified.deleted": ("no event at position {position}, which the answer is made of: it was deleted",
                         "答案所依据的第 {position} 条事件不存在: 它被删除了"),
    "verified.altered": ("the event at position {position} is not the one the verified log holds there: it was "
                         "altered in the store",
                         "第 {position} 条事件不是已核验的日志在该位置存有的事件: 它在数据库中被改动了"),
    "verified.no_root": ("the events read do not lead to the verified root: the Merkle tree was altered in the store",
                         "读到的事件得不出已核验的根哈希: 数据库中的默克尔树被改动了"),
    "verified.points_elsewhere": ("the read model's figures of {unit} for {period} point at position {position}, which "
                                  "the verified log holds as another event: a read-model row was altered",
                                  "读模型中 {unit} {period} 的得分指向第 {position} 条, 而已核验的日志在该位置存有另一条事件: "
                                  "读模型的行被改动了"),
    "verified.left_out": ("the verified log holds figures of {unit} for {period} at position {position} that the read "
                          "model leaves out: a read-model row was altered or removed",
                          "已核验的日志在第 {position} 条存有 {unit} {period} 的得分, 读模型却没有: 读模型的行被改动或删除了"),
    "verified.no_frozen": ("the answer says {period} is frozen but no frozen board is in the log",
                           "答案称 {period} 已冻结, 日志中却没有冻结的清单"),
    "verified.restated": ("a restated answer is recomputed from every fact, not read from recorded events: verify the "
                          "facts with `sankao audit verify`",
                          "重算的答案由全部事实重新计算, 不读取录入的结果: 请用 `sankao audit verify` 核验这些事实"),
    "verified.added": ("{unit} is on the board of {period} but the verified log has no figures of it there: a "
                       "read-model row was added",
                       "{unit} 在 {period} 的清单上, 已核验的日志中却没有它的得分: 读模型中被加了一行"),
    "verified.removed": ("{unit} is missing from the board of {period} though the verified log has its figures: a "
                         "read-model row was removed",
                         "{unit} 不在 {period} 的清单上, 已核验的日志中却有它的得分: 读模型中被删了一行"),
    "verified.figure": ("{unit}'s {name} on the board of {period} is {shown} but the verified log says {held}: the "
                        "answer came from an altered row",
                        "{period} 清单上 {unit} 的 {name} 为 {shown}, 已核验的日志却是 {held}: 答案来自被改动的行"),
    "verified.no_figures": ("the verified log has no figures of {unit} for {period}",
                            "已核验的日志中没有 {unit} {period} 的得分"),
    "verified.notice_added": ("notice {index} of the answer ({unit}, {case}) is not in the verified log: a read-model "
                              "row was added",
                              "答案中的第 {index} 份函单 ({unit}, {case}) 不在已核验的日志中: 读模型中被加了一行"),
    "verified.notice_altered": ("notice {index} of the answer is not the one the verified log holds at position "
                                "{position} ({unit}, {case}): a read-model row was altered or removed",
                                "答案中的第 {index} 份函单不是已核验的日志在第 {position} 条存有的函单 ({unit}, {case}): "
                                "读模型的行被改动或删除了"),
    "verified.done": ("verified: {events} event(s) proved in the log of size {size}, root {root} (trusted from {how})",
                      "已核验: {events} 条事件在规模为 {size} 的日志中得到证明, 根哈希 {root} (信任来源: {how})"),
    "verified.first_use": ("first use: no head trusted before", "首次使用: 此前未信任任何树头"),
    "verified.given": ("the head given ({size})", "给定的树头 ({size})"),
    "verified.kept": ("the head kept from the last verified read ({size})", "上次核验读取时保存的树头 ({size})"),
}
