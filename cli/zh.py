"""click's own errors (usage, missing or bad arguments and options) in Chinese, for ``--lang zh``.

click says them in English; under ``--lang zh`` the ``sankao`` group (``cli.app``) shows them here instead:
the usage line (a command line, as it is), then ``错误: ...``. A message of ours inside (a ``core.messages.Text``
given to ``click.BadParameter``) is said in Chinese; click's own messages are matched and translated; anything
else is shown as click wrote it.
"""

from __future__ import annotations

import re

import click

from core.messages import render

#: the arguments' metavars -> what they are
METAVARS = {
    "PERIOD": "月份", "YEAR": "年度", "UNIT": "单位", "PERSON": "人员", "UNIT|PERSON": "单位或人员",
    "PERIOD|YEAR": "月份或年度", "FILE": "文件", "NAME": "名称", "DEST": "目标文件", "FOLDER": "文件夹",
    "POSITION": "序号", "OLD_SIZE": "原规模", "OLD_ROOT": "原根哈希", "TIME": "时间", "COMMAND": "命令",
}

_CLICK: list[tuple[re.Pattern, str]] = [(re.compile(p), z) for p, z in [
    (r"^(?P<v>.+) is not in the range (?P<r>.+)\.$", "{v} 不在范围 {r} 内。"),
    (r"^(?P<v>.+) is not a valid integer(?: range)?\.$", "{v} 不是有效的整数。"),
    (r"^(?P<v>.+) is not a valid float(?: range)?\.$", "{v} 不是有效的数。"),
    (r"^(?P<v>.+) is not a valid boolean\.$", "{v} 不是有效的布尔值。"),
    (r"^(?P<v>.+) is not one of (?P<c>.+)\.$", "{v} 不是以下之一: {c}。"),
    (r"^(?P<v>.+) is not (?P<c>'[^']*')\.$", "{v} 不是 {c}。"),
    (r"^(?:File|Path|Directory) (?P<p>.+) does not exist\.$", "{p} 不存在。"),
    (r"^File (?P<p>.+) is a directory\.$", "{p} 是目录, 不是文件。"),
    (r"^Directory (?P<p>.+) is a file\.$", "{p} 是文件, 不是目录。"),
    (r"^(?:File|Path|Directory) (?P<p>.+) is not (?:readable|writable)\.$", "{p} 没有读写权限。"),
    (r"^Got unexpected extra arguments? \((?P<a>.*)\)$", "多余的参数 ({a})"),
    (r"^Option (?P<o>'[^']+') requires an argument\.$", "选项 {o} 需要一个值。"),
    (r"^Option (?P<o>'[^']+') requires (?P<n>\d+) arguments\.$", "选项 {o} 需要 {n} 个值。"),
    (r"^Option (?P<o>'[^']+') does not take a value\.$", "选项 {o} 不接受值。"),
    (r"^No such command (?P<c>'[^']+')\.(?: \(Did you mean (?:one of: )?(?P<m>.+)\?\))?$", "没有命令 {c}。{m}"),
    (r"^No such option:? (?P<o>\S+?)\.?(?: Did you mean (?P<m>.+)\?)?$", "没有选项 {o}。{m}"),
    (r"^Missing command\.$", "缺少命令。"),
]]


def _hint(text: str) -> str:
    """``'PERIOD'`` -> ``月份 ('PERIOD')``; options (``'--plugins'``) stay as they are."""
    if text in METAVARS:
        return f"{METAVARS[text]} ({text})"

    def one(found):
        name = found.group(1)
        label = METAVARS.get(name)
        return f"{label} ('{name}')" if label else found.group(0)
    return re.sub(r"'([^']+)'", one, text)


def click_message(text: str) -> str:
    """One of click's messages in Chinese (as it is when unknown)."""
    for pattern, chinese in _CLICK:
        found = pattern.match(text)
        if found:
            values = {k: v or "" for k, v in found.groupdict().items()}
            if values.get("m"):
                values["m"] = f" (是否要用: {values['m']}?)"
            return chinese.format(**values)
    return text


def error_message(exc: click.ClickException) -> str:
    """What went wrong, in Chinese."""
    if isinstance(exc, click.MissingParameter):
        hint = exc.param_hint or (exc.param.get_error_hint(exc.ctx) if exc.param is not None else "")
        kind = exc.param_type or (exc.param.param_type_name if exc.param is not None else "parameter")
        what = {"argument": "参数", "option": "选项"}.get(kind, "参数")
        return f"缺少{what} {_hint(str(hint))}。"
    if isinstance(exc, click.BadParameter):
        message = render(exc.message, "zh") if not isinstance(exc.message, str) or hasattr(exc.message, "key") \
            else click_message(exc.message)
        hint = exc.param_hint
        if hint is None and exc.param is not None:
            hint = exc.param.get_error_hint(exc.ctx)
        if isinstance(hint, (list, tuple)):
            hint = " / ".join(f"'{h}'" for h in hint)
        return f"{_hint(str(hint))} 的值无效: {message}" if hint else f"值无效: {message}"
    if isinstance(exc, click.NoSuchOption):
        more = f" (是否要用: {', '.join(sorted(exc.possibilities))}?)" if exc.possibilities else ""
        return f"没有选项 {exc.option_name}。{more}"
    if isinstance(exc, click.FileError):
        return f"无法打开文件 {exc.ui_filename}: {exc.message}"
    message = exc.message
    return render(message, "zh") if hasattr(message, "key") else click_message(str(message))


def show_click_error(exc: click.ClickException) -> None:
    """Print ``exc`` as click would, in Chinese: the usage line (for a usage error), a hint, the error."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if isinstance(exc, click.UsageError) and ctx is not None:
        usage = ctx.get_usage()
        lines.append(re.sub(r"^Usage:", "用法:", usage))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(f"帮助: {ctx.command_path} {ctx.help_option_names[0]}\n")
    lines.append(f"错误: {error_message(exc)}")
    click.echo("\n".join(lines), err=True)
