"""One glossary: the words Sankao uses for the assessment's things, in English and in the seed's Chinese.

The CLI's tables (``cli.labels``), the pages and their translations (``web/translations``), the
printable letters and the .xlsx downloads take these terms from here, so one thing has one name in
every place an office reads it. The Chinese terms are the seed's own (兰州新区"三考"): 形象清单,
三函一单, 绿色提醒函, 橙色警示函, 红色督办函, 结果反馈单, 预扣分, 前三分之一/后三分之一, 三级包抓,
优/差, 年考评. ``VARIANTS`` lists the other words that were used for the same things; the test suite
fails when one of them appears in anything shown under ``--lang zh``.
"""

from __future__ import annotations

import re

#: concept -> (English, Chinese)
TERMS: dict[str, tuple[str, str]] = {
    # the cadence (周调度、月考核、季监测、年考评)
    "dispatch": ("weekly dispatch", "周调度"),
    "monthly_assessment": ("monthly assessment", "月考核"),
    "quarterly_monitoring": ("quarterly monitoring", "季监测"),
    "annual_evaluation": ("annual evaluation", "年考评"),
    # the board
    "board": ("Board", "形象清单"),
    "third": ("third", "分段"),
    "top": ("top", "前三分之一"),
    "middle": ("middle", "中间"),
    "bottom": ("bottom", "后三分之一"),
    "coefficient": ("coefficient", "考核系数"),
    "deduction": ("pre-deducted points", "预扣分"),
    "commended": ("commended", "通报表扬"),
    "accountability": ("accountability", "问责"),
    "assessment": ("assessment talk", "约谈问责"),
    "organizational": ("organizational handling", "组织处理"),
    "disciplinary": ("disciplinary action", "纪律处分"),
    # supervision (docs/assessment.md §9)
    "supervision": ("supervision", "督查"),
    "self_check": ("self-check", "定期自查"),
    "spot_check": ("spot check", "随机抽查"),
    "special_assessment": ("special assessment", "专项考核"),
    "listed": ("listed supervision", "挂牌督战"),
    "supervisor": ("supervision department", "督查部门"),
    "misreported": ("misreported", "虚报"),
    "finding_confirmed": ("confirmed", "核实无误"),
    # the three letters and one sheet (三函一单)
    "notices": ("three letters and one sheet", "三函一单"),
    "green": ("green reminder letter", "绿色提醒函"),
    "orange": ("orange warning letter", "橙色警示函"),
    "red": ("red supervision letter", "红色督办函"),
    "feedback": ("result feedback sheet", "结果反馈单"),
    "early_warning": ("early warning", "实时预警"),
    "restored": ("restored", "整改到位"),
    "confirmed": ("deduction confirmed", "扣分确认"),
    # the units assessed, by category
    "park": ("park", "园区"),
    "department": ("department", "部门"),
    "platform": ("platform company", "平台公司"),
    # projects
    "planned": ("planned", "谋划"),
    "signed": ("signed", "签约"),
    "landed": ("landed", "落地"),
    "started": ("construction started", "开工"),
    "withdrawn": ("withdrawn", "退出"),
    # people and the annual evaluation
    "chain": ("three-level responsibility chain", "三级包抓"),
    "leader": ("leader", "包抓领导"),
    "director": ("director", "责任处长"),
    "officer": ("officer", "具体责任人"),
    "excellent": ("excellent", "优"),
    "competent": ("competent", "合格"),
    "poor": ("poor", "差"),
    "band": ("excellent/poor band", "优差比例调控幅度"),
    "excellent_share": ("excellent share", "优等次比例"),
    "poor_share": ("poor share", "差等次比例"),
    # the record's things, named the same in the CLI, the pages and the downloads
    "case": ("case", "案卷"),
    "letter": ("letter or sheet", "函单"),
    "final": ("final score", "得分"),
    "streak": ("months in the bottom third in a row", "连续后三分之一"),
    "month_close": ("month close", "月末关账"),
    "year_close": ("year close", "年末关账"),
    "lag": ("lag", "滞后率"),
    # delivery (docs/delivery.md)
    "head": ("head of the unit", "主要负责人"),
    "liaison": ("liaison officer", "联络员"),
    "result": ("month result", "月考核结果"),
    "delivered": ("delivered", "已送达"),
    "pending": ("pending", "待送达"),
    "failing": ("failing", "送达失败"),
    "dead": ("dead letter", "无法送达"),
    "skipped": ("not subscribed", "无人订阅"),
}

#: a word once used for a glossary term (regular expression) -> the term to use instead
VARIANTS: dict[str, str] = {
    r"分档": "分段",
    r"档次": "分段",
    r"较差": "差",
    r"不称职": "差",
    r"基本称职": "合格",
    r"称职": "合格",
    r"优秀": "优",
    r"(?<!包抓)领导": "包抓领导",
    r"撤回": "退出",
    r"橙色预警函": "橙色警示函",
    r"预警函": "三函一单's own names (绿色提醒函, 橙色警示函, 红色督办函)",
    r"年度考评": "年考评",
    r"月度考核": "月考核",
    r"案件": "案卷",
    r"函件": "函单",
    r"最终得分": "得分",
    r"连续后列": "连续后三分之一",
    r"(?<![优等次])优比例": "优等次比例",
    r"(?<![优等次])差比例": "差等次比例",
    r"已结账": "年末关账",
    r"滞后程度": "滞后率",
    r"(?<!结果)反馈单": "结果反馈单",
    r"单位考核系数": "考核系数",
    r"排名规则": "月度排名",
    r"封顶值": "封顶",
    r"滞后预警阈值": "滞后阈值",
    r"从头起": "自始生效",
}

_VARIANT = re.compile("|".join(f"(?:{pattern})" for pattern in VARIANTS))


def term(concept: str, lang: str) -> str:
    """The glossary's word for ``concept`` in ``lang`` (``en`` or ``zh``)."""
    english, chinese = TERMS[concept]
    return chinese if lang == "zh" else english


def variants_in(text: str) -> list[str]:
    """Every word of ``text`` that the glossary replaced by one of its terms (empty when none)."""
    return [match.group(0) for match in _VARIANT.finditer(text)]


def zh(concept: str) -> str:
    """The Chinese term of a concept of ``TERMS``."""
    return TERMS[concept][1]
