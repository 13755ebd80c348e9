"""What the CLI's tables say, in English and Chinese (``--lang zh`` or ``SANKAO_LANG=zh``)."""

from __future__ import annotations

LANGS = ("en", "zh")

LABELS: dict[str, tuple[str, str]] = {
    # board and score
    "board": ("Board", "形象清单"),
    "frozen": ("frozen at the month close", "月考核已冻结"),
    "live": ("live, changes as facts are recorded", "实时, 随录入变化"),
    "restated": ("restated, the month close set aside", "重算(不按月末冻结)"),
    "known_at": ("as known at", "截至"),
    "spread": ("spread", "分差"),
    "head_line": ("frozen under the record's Merkle head: size {size}, root {root}",
                  "冻结时记录的默克尔树头: 规模 {size}, 根哈希 {root}"),
    "rank": ("rank", "名次"),
    "unit": ("unit", "单位"),
    "name": ("name", "名称"),
    "category": ("category", "类别"),
    "third": ("third", "分段"),
    "base": ("base", "基础分"),
    "coefficient": ("coef.", "系数"),
    "deduction": ("deducted", "预扣分"),
    "final": ("final", "得分"),
    "signed": ("signed", "签约额"),
    "streak": ("streak", "连续后列"),
    "accountability": ("accountability", "问责"),
    "commended": ("commended", "通报表扬"),
    "score_line": ("final {final} = base {base} × coefficient {coefficient} − deducted {deduction}",
                   "得分 {final} = 基础分 {base} × 系数 {coefficient} − 预扣分 {deduction}"),
    "indicator": ("indicator", "指标"),
    "value": ("value", "完成值"),
    "target": ("target", "目标"),
    "ratio": ("ratio", "完成率"),
    "weight": ("weight", "权重"),
    "score": ("score", "得分"),
    "top": ("top", "前三分之一"),
    "middle": ("middle", "中间"),
    "bottom": ("bottom", "后三分之一"),
    "assessment": ("assessment talk", "约谈问责"),
    "organizational": ("organizational", "组织处理"),
    "disciplinary": ("disciplinary", "纪律处分"),
    "yes": ("yes", "是"),
    # indicators
    "annual_amount": ("annual signed investment", "年度总量目标"),
    "quarterly_progress": ("quarterly progress", "季度进度目标"),
    "monthly_increment": ("monthly increment", "月度增量目标"),
    "planned_projects": ("projects planned", "谋划项目数"),
    "landed_projects": ("projects landed", "招引落地数"),
    # notices
    "notices": ("Letters and sheets", "三函一单"),
    "date": ("date", "日期"),
    "case": ("case", "案件"),
    "level": ("letter", "函单"),
    "lag": ("lag", "滞后率"),
    "points": ("points", "扣分"),
    "outcome": ("outcome", "结果"),
    "green": ("green reminder letter", "绿色提醒函"),
    "orange": ("orange warning letter", "橙色警示函"),
    "red": ("red supervision letter", "红色督办函"),
    "feedback": ("result feedback sheet", "结果反馈单"),
    "restored": ("restored", "整改到位"),
    "confirmed": ("deduction confirmed", "扣分确认"),
    # units and projects
    "units": ("Units", "考核单位"),
    "projects": ("Projects", "项目"),
    "project": ("project", "项目"),
    "stage": ("stage", "阶段"),
    "planned_on": ("planned", "谋划日期"),
    "signed_on": ("signed", "签约日期"),
    "landed_on": ("landed", "落地日期"),
    "started_on": ("started", "开工日期"),
    "withdrawn_on": ("withdrawn", "撤回日期"),
    "amount": ("amount", "签约额"),
    "planned": ("planned", "谋划"),
    "landed": ("landed", "落地"),
    "started": ("construction started", "开工"),
    "withdrawn": ("withdrawn", "撤回"),
    "targets": ("annual target", "年度目标"),
    "n_projects": ("projects", "项目数"),
    "year": ("year", "年度"),
    "annual": ("annual", "年度目标"),
    # events
    "events": ("Events", "事件"),
    "position": ("position", "序号"),
    "recorded_at": ("recorded at", "录入时间"),
    "type": ("type", "类型"),
    "actor": ("actor", "录入人"),
    "command": ("command", "指令"),
    "data": ("data", "内容"),
    # plugins
    "plugins": ("Plugins", "插件"),
    "plugin": ("plugin", "插件"),
    "version": ("version", "版本"),
    "state": ("state", "状态"),
    "enabled": ("enabled", "启用"),
    "disabled": ("disabled", "停用"),
    "since": ("since", "生效自"),
    "settings": ("settings", "设置"),
    "hooks": ("hooks", "钩子"),
    # amounts
    "yi": ("¥100M", "亿元"),
    "wan": ("¥10k", "万元"),
    "yuan": ("yuan", "元"),
    "none": ("(none)", "(无)"),
    "last_of": ("the last {shown} of {total}", "共 {total} 份, 最近 {shown} 份"),
}


def label(key: str, lang: str) -> str:
    """The label of ``key`` in ``lang``; an unknown key is shown as it is."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]
