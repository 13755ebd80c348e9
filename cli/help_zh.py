"""``--help`` in Chinese (``--lang zh`` before or after the command's name, or ``SANKAO_LANG=zh``).

The English help stays in the commands' decorators; this is its Chinese, keyed by the command's path (``""`` for
``sankao`` itself, ``"board"``, ``"audit verify"``) and the option's longest name (``--known-at``), in the words of
``core.glossary``. ``cli.app``'s command classes call ``help_text`` and ``usage_text`` when the language is
zh; ``tests/test_language_help.py`` fails when a command or an option has no Chinese here.

The layout is click's (usage, description, options, commands, epilog), wrapped by display width: a Chinese
character takes two columns, and a line may break between two of them.
"""

from __future__ import annotations

import inspect
import re
import unicodedata

import click
from click.formatting import HelpFormatter, iter_rows, measure_table

from cli import help_zh_delivery as delivery, help_zh_intake as intake

_KNOWN_AT = "只按 TIME 及之前录入的指令作答, 如同之后的都不存在 (带时区偏移的 ISO 8601 时间, 或本地日期 YYYY-MM-DD, 指其当日结束)。"
_JSON = "输出 JSON。"
_JSON_CONTRACT = "输出契约规定的 JSON (docs/assessment.md §7)。"
_JSON_AUDIT = "输出 JSON (字段见 docs/audit.md)。"
_ACTOR = "录入人 (写在每条事件上)。"

#: command path -> its description (the first sentence, up to 。, is its line in the list of commands)
HELP: dict[str, str] = {
    **delivery.HELP, **intake.HELP,
    "": "三考 (Sankao): 考核各单位的招商引资工作。\n\n"
        "录入各单位和考核办的所为 (load), 保持得分最新 (worker), 并按任意一天所知查看形象清单、得分、三函一单和记录本身。",
    "init": "创建数据库。PostgreSQL 上需执行一次; SQLite 文件由第一次 load 创建。",
    "load": "按顺序录入 FILE 中的指令行 (- 为标准输入; docs/assessment.md §2)。\n\n"
            "每行要么整行录入, 要么不录入; 遇到第一条被拒绝的行即停止, 之前的行保留。"
            "编号 (id) 已录入的行会跳过, 因此失败后再次运行同一文件即可完成录入。",
    "backup": "把正在使用的 SQLite 数据库完整、一致地复制到新文件 DEST。",
    "worker": "运行计分进程: 跟随记录, 录入得分、三函一单和冻结的形象清单。\n\n"
              "有多个计分进程时 (--partition 1/2, 2/2, …) 各自为自己那一部分单位计分; "
              "所有进程都越过某月的月末关账后, 该月才冻结。",
    "rebuild": "从日志重建读模型 (查询所依据的表)。",
    "demo": "载入演示数据并提供考核办页面。把演示数据 (去年全年和今年截至今天: 二十个单位及其项目、三函一单、人员和督查) 载入空数据库 "
            "(默认 ./sankao-demo.db), 然后提供考核办页面, 并为每个角色打印一个登录令牌。\n\n"
            "演示从不动用存有其它指令的数据库; 再次运行时, 提供第一次载入的内容 (删除数据库即可重新开始)。",
    "board": "显示 PERIOD (YYYY-MM) 的形象清单 (月度排名)。",
    "score": "逐项指标显示 UNIT 在 PERIOD 的得分。",
    "notices": "按录入顺序列出三函一单。",
    "units": "列出已登记的考核单位及其最新目标。",
    "projects": "列出项目及其日期、签约额和阶段 (谋划、签约、落地、开工、退出)。",
    "events": "按录入顺序打印记录本身: 序号、时间、录入人、类型和内容。",
    "annual": "显示 YEAR 的年考评 (单位排名、优差比例、人员等次)。各单位按全年排名, 并给出各自的优等次比例和差等次比例; "
              "再列出各单位人员的等次和层级分段; 年末关账 (close_year) 前为暂定结果。",
    "person": "显示 PERSON 在三级包抓中负责的项目及其年考评得分。列出项目及其阶段, 以及该人员在 YEAR 年考评中的得分如何构成 "
              "(默认 YEAR: 最近一个有月份关账的年度, 否则为当年)。",
    "explain": "拆解 UNIT 在 PERIOD 的得分: 指标、其背后的项目和指令、三函一单、考核系数、规则。并核对其合计等于 "
               "`sankao score` 所示。给出人员和年度 YEAR 时: 该人员的年考评得分 (同 `sankao person`)。",
    "history": "列出 UNIT 在 PERIOD 的各项数字的每次变化。按录入时间, 包括何时、何事、由哪条指令和哪位录入人, 以及冻结。",
    "whatif": "在另一套插件设置下显示 PERIOD 的形象清单。与已录入的并列; 不写入任何内容。",
    "supervision": "显示 PERIOD 的督查: 定期自查、随机抽查、专项考核、挂牌督战。列出各单位该月的自查 (是否按时) 和督查扣分 "
                   "(上月自查、虚报、专项考核), 是否挂牌督战, 以及该月的随机抽查及其样本和结论 (docs/assessment.md §9)。",
    "draw": "抽取 PERIOD 的随机抽查: 从该月签约或落地的项目中随机抽取 --size 所给数目的项目。种子无人能选: 默认为该月月末关账时录入的默克尔树头 "
            "(规模:根哈希), 该月尚未关账时为当前树头; 录入为一条 draw_spot_check 指令。"
            "任何人都可用 `sankao audit draw` 重算核验。",
    "audit": "证明记录未被改动: 树头、证明、核验、数据包。包括默克尔树头、证明、全面核验, 以及供外部核查的数据包。",
    "audit head": "显示日志默克尔树的规模和根哈希, 供公布。同时列出关账时录入的树头。",
    "audit prove": "打印 POSITION 处事件的包含证明 (JSON)。导出数据包中的 verify.py 可核验它。",
    "audit consistency": "证明 OLD_SIZE 条事件的日志是今天日志的前缀 (一致性证明)。给出 OLD_ROOT (当时公布的根哈希) 时, "
                         "核对是否相符 (不符则退出码为 1)。",
    "audit verify": "全面核验存有的事件、树、树头和读模型。从存有的事件重新计算整棵树, 与存有的树 (叶和节点) 及每个录入的树头比较; "
                    "核对事实的录入时间从不倒退, 读模型与日志得出的一致; 不符时退出码为 1, 并指出第一个不符的序号。"
                    "不写入任何内容。",
    "audit export": "把自成一体的数据包 (事件、树头、清单、verify.py) 写入 FOLDER。",
    "audit draw": "按记录重算随机抽查 DRAW 的候选项目和样本。与抽查录入的比较; 并对照默克尔树核验抽查事件本身, "
                  "种子为树头 (规模:根哈希) 时核对它是否为该规模下的树根。有任何不符时退出码为 1, 并逐项指出。",
    "audit replay": "重放数据包, 比较每个录入的结果。把数据包载入新的数据库, 按当时生效的插件重新计分, 并比较每个录入的得分、函单、冻结的形象清单、"
                    "年考评和树头 (有任何不同, 或没有可比较的内容时, 退出码为 1)。",
    "plugins": "插件和生效的规则。",
    "plugins list": "列出每个已安装的插件: 版本、钩子、是否启用、设置、生效自何时。",
    "plugins apply": "使 FILE 中的插件和设置生效 (默认: --plugins/SANKAO_PLUGINS 所指的文件)。\n\n"
                     "FILE 可以只写部分插件: 其它插件保持原有状态和设置, 表中未写的键保持原值。"
                     "先显示有何变化 (启用或停用的插件、设置的原值 -> 新值、自哪个月起、哪些形象清单会变), "
                     "录入前先询问; 规则相同则不录入。",
    "sample": "打印一个样本年度的指令 (JSON 行), 或列出样本。\n\n"
              "\b\n"
              "sankao sample                                   # 样本及其内容\n"
              "sankao sample year2023 | sankao --db office.db load -\n"
              "sankao sample year2023-people -o people.jsonl",
    "serve": "提供考核办页面和网络接口 (waitress)。页面在 / (用令牌登录), 网络接口在 /api/... "
             "(接口说明: /api/openapi.json), 由 waitress 提供服务。"
             "接口请求须带 'Authorization: Bearer <令牌>' (令牌由 `sankao token create` 签发)。"
             "在 PostgreSQL 上运行多个进程时, 用 gunicorn 'web:create_app()' 加一个 `sankao worker` (见 README.md)。"
             "会话密钥为 SANKAO_SECRET_KEY, 否则为本机用户的一个文件 (~/.config/sankao/secret), 从不存在数据库中。",
    "token": "网络接口的访问令牌: 签发 (只显示一次)、列出、吊销。角色: 管理员 (admin)、审计员 (auditor)、"
             "查看者 (viewer)、督查部门 (supervisor)、单位 (unit:UNIT)。",
    "token create": "签发名为 NAME 的令牌 (用它所做的一切, 录入人都是这个名称)。令牌只打印一次, 单独占最后一行; "
                    "记录中只存其 SHA-256 摘要。",
    "token list": "列出已签发的令牌: 名称、角色、签发人和签发时间、吊销时间 (从不显示令牌本身)。",
    "token revoke": "吊销令牌 NAME: 此后一律拒绝 (吊销会录入, 连同吊销人)。",
}

#: an option's Chinese wherever it has the same meaning
SHARED: dict[str, str] = {
    "--help": "显示此帮助并退出。",
    "--known-at": _KNOWN_AT,
    "--exact": "金额以元为单位, 精确到分 (同全局的 --exact)。",
    "--lang": "表格的语言 (同全局的 --lang)。",
    "--actor": _ACTOR,
    "--verify": "核验读取: 答案所依据的每条事件都对照默克尔树和本读者信任的树头核验 (保存在 "
                "~/.config/sankao/trusted-heads.json 或 SANKAO_TRUSTED_HEADS); 失败时指出被改动之处的序号。",
    "--trust": "对照这个树头 (如公报所公布的) 核验, 而不是上次核验读取所保存的那个。",
    "--json": _JSON,
}

#: command path -> option -> its Chinese, where it differs from ``SHARED``
OPTIONS: dict[str, dict[str, str]] = {
    **delivery.OPTIONS, **intake.OPTIONS,
    "": {
        "--db": "数据库: 一个 SQLite 文件, 或 postgresql://user@host:5432/dbname 形式的地址。",
        "--tz": "考核时区 (业务日期都是该时区的本地日期)。",
        "--plugins": "一个 plugins.toml: 新数据库开始时的规则 (默认: 内置的默认规则)。",
        "--lang": "表格的语言 (zh: 中文)。",
        "--exact": "金额以元为单位, 精确到分, 而不是亿元/万元。",
        "--scoring": "inline: 指令和查询自行把得分更新到最新; worker: 只由 `sankao worker` 更新 "
                     "(查询会说明它落后多少)。",
    },
    "load": {
        "--check": "报告每一条会被拒绝的行; 不录入任何内容。",
        "--score": "录入后把得分更新到最新 (默认: 是; SANKAO_SCORING=worker 时交给 `sankao worker`)。",
    },
    "worker": {
        "--interval": "查看记录 (以及时钟: 新的一月开始) 的间隔秒数。",
        "--once": "更新一次后停止。",
        "--partition": "为 N 部分单位中的第 K 部分计分 (运行 N 个计分进程, 1/N 到 N/N, 速度为 N 倍)。",
    },
    "demo": {
        "--port": "在此端口提供页面。",
        "--host": "提供服务的地址。",
        "--no-serve": "只载入演示数据并打印登录令牌。",
        "--actor": "演示指令的录入人。",
    },
    "board": {"--restated": "不按月末冻结, 按现在所知的一切重算已关账的月份。", "--json": _JSON_CONTRACT},
    "score": {"--restated": "不按月末冻结, 重算已关账的月份。", "--json": _JSON_CONTRACT},
    "notices": {"--unit": "只列该单位的函单。", "--json": _JSON_CONTRACT},
    "projects": {"--unit": "只列该单位的项目。", "--stage": "只列处于该阶段的项目。"},
    "events": {
        "--after": "从该序号之后开始。",
        "--limit": "至多这么多条事件。",
        "--unit": "只列该单位及其项目的事件。",
        "--project": "只列该项目的事件。",
        "--type": "只列这些类型的事件 (项目签约 (ProjectSigned)、函单下发 (NoticeIssued) 等; 不分大小写)。",
        "--consequences": "同时列出计分引擎录入的得分、函单和冻结的形象清单。",
    },
    "annual": {"--json": _JSON_CONTRACT},
    "explain": {"--restated": "解释已关账月份重算后的数字。", "--json": _JSON_AUDIT},
    "history": {"--json": _JSON_AUDIT},
    "whatif": {"--plugins": "另一个 plugins.toml (叠加在已录入的规则之上, 同 plugins apply)。", "--json": _JSON_AUDIT},
    "audit prove": {"--head": "在这个规模的树中 (之前公布的树头); 默认: 现在的树。"},
    "audit export": {"--until": "只导出截至 TIME 及之前录入的最后一条事实的日志。"},
    "supervision": {"--json": "输出契约规定的 JSON (docs/assessment.md §9)。"},
    "draw": {
        "--size": "抽取多少个项目 (1..1000)。",
        "--seed": "种子; 默认: 该月月末关账时冻结的日志默克尔树头 (规模:根哈希), 或当前树头: 无人选择, 任何人都可核验。",
        "--id": "抽查编号 (默认按月份编号, 如 SC-2023-06, 已有时为 SC-2023-06-2, …)。",
        "--date": "抽查日期 (默认: 考核时区的今天)。",
    },
    "plugins apply": {
        "--effective": "规则适用的第一个业务日期: 一个日期, 或 'start' 表示所有考核过的月份 (默认: 考核时区的今天)。",
        "--yes": "不询问, 直接录入 (供脚本使用)。",
        "--dry-run": "试运行: 只显示会有何变化; 不录入任何内容。",
    },
    "sample": {"--output": "把指令写入这个文件, 而不是标准输出。"},
    "serve": {
        "--host": "监听的地址。",
        "--port": "端口。",
        "--threads": "同时服务的连接数 (本进程内对数据库的请求轮流进行)。",
        "--read-only": "只读提供数据库: 页面和查询照常作答, 指令一律拒绝 (403)。本进程无法写入的数据库 (审计员的副本) "
                       "不加此项也只读提供。",
    },
    "token create": {"--role": "令牌可以做什么 (见 core/record/access.py 和 README.md 的网络部分)。"},
}

#: the epilog of a command, in Chinese
EPILOGS: dict[str, str] = {
    "": "\b\n环境变量 (各为其旁边选项的默认值):\n"
        "  SANKAO_DB       --db       一个 SQLite 文件或 postgresql:// 地址 (默认 ./sankao.db)\n"
        "  SANKAO_TZ       --tz       考核时区 (默认 Asia/Shanghai)\n"
        "  SANKAO_PLUGINS  --plugins  新数据库第一套规则所用的 plugins.toml\n"
        "  SANKAO_LANG     --lang     en 或 zh: 表格的语言\n"
        "  SANKAO_SCORING  --scoring  inline (默认) 或 worker: 由谁保持得分最新\n",
}

#: what a ``show_default`` string says
DEFAULTS = {"the OS user": "操作系统用户"}


def path_of(ctx: click.Context) -> str:
    """``"audit verify"`` for ``sankao audit verify``; ``""`` for ``sankao`` itself."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def option_key(param: click.Parameter) -> str:
    """An option's name in the catalog: its longest (``--output`` for ``-o, --output``)."""
    return max(param.opts, key=len)


def command_help(path: str) -> str | None:
    return HELP.get(path)


def option_help(path: str, param: click.Parameter) -> str | None:
    key = option_key(param)
    return OPTIONS.get(path, {}).get(key) or SHARED.get(key)


def short_help(path: str, limit: int) -> str:
    """A command's line in the list of commands: its first sentence (cut at ``limit`` columns)."""
    text = (HELP.get(path) or "").split("\n")[0]
    first = text.split("。", 1)[0]
    if width(first) > limit:
        while width(first) > limit - 1:
            first = first[:-1]
        first = first.rstrip(" ,、;(") + "…"
    return first


# -- wrapping by display width ---------------------------------------------------------------------------------
_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")
_NO_LINE_START = set("，。、；：！？）」』》,.;:!?)]…")
_NO_LINE_END = set("（「『《([")


def width(text: str) -> int:
    """Columns ``text`` takes on a terminal."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Words, single Chinese characters and spaces; an opening bracket stays with what follows it."""
    tokens: list[str] = []
    for token in _TOKEN.findall(" ".join(text.split())):
        if tokens and tokens[-1][-1] in _NO_LINE_END and not token.isspace():
            tokens[-1] += token
        else:
            tokens.append(token)
    return tokens


def wrap(text: str, limit: int, initial: str = "", subsequent: str = "") -> str:
    """``text`` wrapped to ``limit`` columns: between words, and between two Chinese characters."""
    lines, current, used, fresh = [], initial, width(initial), True
    for token in _tokens(text):
        if token.isspace():
            if not fresh:
                current, used = current + " ", used + 1
            continue
        size = width(token)
        if not fresh and used + size > limit and token[0] not in _NO_LINE_START:
            lines.append(current.rstrip())
            current, used = subsequent, width(subsequent)
        current, used, fresh = current + token, used + size, False
    if not fresh:
        lines.append(current.rstrip())
    return "\n".join(lines)


def wrap_paragraphs(text: str, limit: int, indent: str) -> str:
    """Paragraphs (split at blank lines) wrapped; one that begins with ``\\b`` keeps its lines, as click's."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip("\n")):
        lines = paragraph.split("\n")
        if lines[0].strip() == "\b":
            out.append("\n".join(indent + line for line in lines[1:]))
        else:
            out.append(wrap(paragraph, limit, indent, indent))
    return "\n\n".join(out)


class ZhHelpFormatter(HelpFormatter):
    """click's formatter, wrapping by display width."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = "用法: " if prefix is None else prefix
        head = f"{prefix:>{self.current_indent}}{prog} "
        if width(head) <= (self.width - self.current_indent) // 2:
            self.write(wrap(args, self.width, head, " " * width(head)))
        else:
            self.write(head.rstrip() + "\n")
            indent = " " * (max(self.current_indent, width(prefix)) + 4)
            self.write(wrap(args, self.width, indent, indent))
        self.write("\n")

    def write_text(self, text: str) -> None:
        self.write(wrap_paragraphs(text, self.width, " " * self.current_indent))
        self.write("\n")

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        widths = measure_table(rows)
        first_col = min(widths[0], col_max) + col_spacing
        for first, second in iter_rows(rows, len(widths)):
            self.write(f"{'':>{self.current_indent}}{first}")
            if not second:
                self.write("\n")
                continue
            if width(first) <= first_col - col_spacing:
                self.write(" " * (first_col - width(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            text_width = max(self.width - first_col - 2, 10)
            lines = wrap_paragraphs(second, text_width, "").splitlines()
            self.write(f"{lines[0] if lines else ''}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n" if line else "\n")


# -- the help of a command -------------------------------------------------------------------------------------
def _usage_args(command: click.Command, ctx: click.Context) -> str:
    pieces = ["[选项]"] if command.options_metavar else []
    for param in command.get_params(ctx):
        pieces.extend(param.get_usage_pieces(ctx))
    if isinstance(command, click.Group):
        pieces.append("命令 [参数]..." if command.subcommand_metavar == "COMMAND [ARGS]..." else
                      command.subcommand_metavar)
    return " ".join(pieces)


def _formatter(ctx: click.Context) -> ZhHelpFormatter:
    return ZhHelpFormatter(width=ctx.terminal_width, max_width=ctx.max_content_width)


def usage_text(command: click.Command, ctx: click.Context) -> str:
    formatter = _formatter(ctx)
    formatter.write_usage(ctx.command_path, _usage_args(command, ctx))
    return formatter.getvalue().rstrip("\n")


def _extra(param: click.Option, ctx: click.Context) -> str:
    """``[环境变量: SANKAO_DB; 默认: sankao.db]``, as click adds it to an option's help."""
    extra = param.get_help_extra(ctx) if hasattr(param, "get_help_extra") else {}
    items = []
    if "envvars" in extra:
        items.append("环境变量: " + ", ".join(extra["envvars"]))
    if "default" in extra:
        default = str(extra["default"])
        if isinstance(param.show_default, str):
            default = f"({DEFAULTS.get(param.show_default, param.show_default)})"
        items.append(f"默认: {default}")
    if "range" in extra:
        items.append(str(extra["range"]))
    if "required" in extra:
        items.append("必填")
    return f"  [{'; '.join(items)}]" if items else ""


def help_text(command: click.Command, ctx: click.Context) -> str:
    """``command``'s ``--help`` in Chinese (an English text where the catalog has none: the test suite says so)."""
    path = path_of(ctx)
    formatter = _formatter(ctx)
    formatter.write_usage(ctx.command_path, _usage_args(command, ctx))
    text = command_help(path) or inspect.cleandoc(command.help or "")
    if text:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)
    rows = []
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.hidden:
            spec = param.get_help_record(ctx)[0]
            rows.append((spec, (option_help(path, param) or param.help or "") + _extra(param, ctx)))
    if rows:
        with formatter.section("选项"):
            formatter.write_dl(rows)
    if isinstance(command, click.Group):
        names = [n for n in command.list_commands(ctx)
                 if command.get_command(ctx, n) is not None and not command.get_command(ctx, n).hidden]
        if names:
            limit = formatter.width - 6 - max(len(n) for n in names)
            with formatter.section("命令"):
                formatter.write_dl([(n, short_help(f"{path} {n}".strip(), limit)
                                     or command.get_command(ctx, n).get_short_help_str(limit)) for n in names])
    epilog = EPILOGS.get(path) or (inspect.cleandoc(command.epilog) if command.epilog else "")
    if epilog:
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(epilog)
    return formatter.getvalue().rstrip("\n")
