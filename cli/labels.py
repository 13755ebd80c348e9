"""What the CLI's tables and lines say, in English and Chinese (``--lang zh`` or ``SANKAO_LANG=zh``).

The assessment's own terms (形象清单, 分段, 三函一单, 包抓领导, 退出, 优/合格/差, 年考评, ...) come from
``core.glossary``, so the CLI says what the pages and the downloads say; the messages (errors, notes) are
``core.messages``'s.
"""

from __future__ import annotations

from core.glossary import TERMS

LANGS = ("en", "zh")


def _zh(concept: str) -> str:
    return TERMS[concept][1]


def _term(concept: str, english: str | None = None) -> tuple[str, str]:
    """A glossary term: its Chinese always, the CLI's own English where the table's is shorter."""
    return (english or TERMS[concept][0], _zh(concept))


LABELS: dict[str, tuple[str, str]] = {
    # board and score
    "board": _term("board"),
    "frozen": ("frozen at the month close", _zh("monthly_assessment") + "已冻结"),
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
    "third": _term("third"),
    "base": ("base", "基础分"),
    "coefficient": _term("coefficient", "coef."),
    "deduction": _term("deduction", "deducted"),
    "final": ("final", "得分"),
    "signed": ("signed", "签约额"),
    "streak": ("streak", "连续后三分之一"),
    "accountability": _term("accountability"),
    "commended": _term("commended"),
    "score_line": ("final {final} = base {base} × coefficient {coefficient} − deducted {deduction}",
                   "得分 {final} = 基础分 {base} × " + _zh("coefficient") + " {coefficient} − "
                   + _zh("deduction") + " {deduction}"),
    "indicator": ("indicator", "指标"),
    "value": ("value", "完成值"),
    "target": ("target", "目标"),
    "ratio": ("ratio", "完成率"),
    "weight": ("weight", "权重"),
    "score": ("score", "得分"),
    "top": _term("top"),
    "middle": _term("middle"),
    "bottom": _term("bottom"),
    "assessment": _term("assessment"),
    "organizational": _term("organizational", "organizational"),
    "disciplinary": _term("disciplinary", "disciplinary"),
    "yes": ("yes", "是"),
    "no": ("NO", "否"),
    # indicators and the other plugins
    "annual_amount": ("annual signed investment", "年度总量目标"),
    "quarterly_progress": ("quarterly progress", "季度进度目标"),
    "monthly_increment": ("monthly increment", "月度增量目标"),
    "planned_projects": ("projects planned", "谋划项目数"),
    "landed_projects": ("projects landed", "招引落地数"),
    "unit_coefficient": ("unit_coefficient", _zh("coefficient")),
    "ranking_policy": ("ranking_policy", "月度排名"),
    "early_warning": ("early_warning", _zh("early_warning")),
    "annual_evaluation": ("annual_evaluation", _zh("annual_evaluation")),
    # notices
    "notices": _term("notices", "Letters and sheets"),
    "date": ("date", "日期"),
    "case": ("case", "案卷"),
    "level": ("letter", "函单"),
    "lag": ("lag", "滞后率"),
    "points": ("points", "扣分"),
    "outcome": ("outcome", "结果"),
    "green": _term("green"),
    "orange": _term("orange"),
    "red": _term("red"),
    "feedback": _term("feedback"),
    "restored": _term("restored"),
    "confirmed": _term("confirmed"),
    # units and projects
    "units": ("Units", "考核单位"),
    "department": _term("department"),
    "platform": _term("platform", "platform"),
    "park": _term("park"),
    "projects": ("Projects", "项目"),
    "project": ("project", "项目"),
    "stage": ("stage", "阶段"),
    "planned_on": ("planned", _zh("planned") + "日期"),
    "signed_on": ("signed", _zh("signed") + "日期"),
    "landed_on": ("landed", _zh("landed") + "日期"),
    "started_on": ("started", _zh("started") + "日期"),
    "withdrawn_on": ("withdrawn", _zh("withdrawn") + "日期"),
    "amount": ("amount", "签约额"),
    "planned": _term("planned"),
    "landed": _term("landed"),
    "started": _term("started"),
    "withdrawn": _term("withdrawn"),
    "stage_planned": ("planned", _zh("planned")),
    "stage_signed": ("signed", "已" + _zh("signed")),
    "stage_landed": ("landed", "已" + _zh("landed")),
    "stage_started": ("construction started", "已" + _zh("started")),
    "stage_withdrawn": ("withdrawn", "已" + _zh("withdrawn")),
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
    "scoring_actor": ("(scoring)", "(计分)"),
    # plugins
    "plugins": ("Plugins", "插件"),
    "plugin": ("plugin", "插件"),
    "version": ("version", "版本"),
    "state": ("state", "状态"),
    "enabled": ("enabled", "启用"),
    "disabled": ("disabled", "停用"),
    "since": ("since", "生效自"),
    "the_start": ("the start", "自始生效"),
    "settings": ("settings", "设置"),
    "hooks": ("hooks", "钩子"),
    "no_rules_yet": ("(no rules recorded yet: the first command records the rules above)",
                     "(尚未录入规则: 第一条指令会录入上面的规则)"),
    # the annual evaluation (docs/assessment.md §8)
    "annual_title": _term("annual_evaluation", "Annual standing"),
    "annual_closed": ("frozen at close_year", "已年末关账冻结"),
    "annual_provisional": ("provisional, over the months closed so far", "暂定, 按已关账月份"),
    "through": ("through", "截至月份"),
    "no_month_closed": ("no month closed yet", "尚无关账月份"),
    "annual_score": ("score", "得分"),
    "months": ("months", "月数"),
    "excellent_share": ("excellent ≤", _zh("excellent_share") + " ≤"),
    "poor_share": ("poor ≥", _zh("poor_share") + " ≥"),
    "person": ("person", "人员"),
    "chain_level": ("level", "层级"),
    "grade": ("grade", "等次"),
    "level_rank": ("level rank", "层级排名"),
    "level_third": ("level third", "层级" + _zh("third")),
    "leader": _term("leader"),
    "director": _term("director"),
    "officer": _term("officer"),
    "excellent": _term("excellent"),
    "competent": _term("competent"),
    "poor": _term("poor"),
    "projects_held": ("Projects held", "包抓项目"),
    "person_formula": ("score {score} = unit {unit}'s annual score {s} (mean of {months} frozen boards) + {bonus} × "
                       "{landed} landed − {malus} × {withdrawn} withdrawn (not below 0)",
                       "得分 {score} = 所在单位 {unit} " + _zh("annual_evaluation") + "得分 {s} ({months} 个月均值) + "
                       "{bonus} × " + _zh("landed") + " {landed} − {malus} × " + _zh("withdrawn")
                       + " {withdrawn} (不低于 0)"),
    "person_grade": ("grade {grade}; {level} rank {rank}, {third}", "等次 {grade}; {level} 排名 {rank}, {third}"),
    "person_not_in_standing": ("not in the standing (the person's unit is on no frozen board of the year yet)",
                               "未进入" + _zh("annual_evaluation") + " (所在单位本年尚无冻结的月度清单)"),
    "annual_head_line": ("frozen under the record's Merkle head: size {size}, root {root}",
                         "冻结时记录的默克尔树头: 规模 {size}, 根哈希 {root}"),
    # explain
    "explain_final": ("final {final} = max(0, base {base} × coefficient {coefficient} − deducted {deduction}); "
                      "rank {rank} ({third})",
                      "得分 {final} = 基础分 {base} × " + _zh("coefficient") + " {coefficient} − "
                      + _zh("deduction") + " {deduction} (不低于 0); 名次 {rank} ({third})"),
    "explain_indicator": ("{name}{unit_note}: value {value} / target {target} = ratio {ratio}; × weight {weight} "
                          "→ score {score}",
                          "{name}{unit_note}: 完成值 {value} / 目标 {target} = 完成率 {ratio}; × 权重 {weight} → 得分 {score}"),
    "explain_base": ("base {base} = Σ scores ({scores} = {total}) × 100 ÷ Σ weights assessed ({weights} = "
                     "{weight_total})",
                     "基础分 {base} = 各项得分之和 ({scores} = {total}) × 100 ÷ 参加考核指标的权重之和 ({weights} = "
                     "{weight_total})"),
    "explain_dropped": ("without a target, not assessed (the weight drops out): {dropped}",
                        "无目标、不参加考核 (其权重不计): {dropped}"),
    "explain_no_projects": ("  (the plugin does not say which projects make up its value)", "  (该插件未说明其完成值由哪些项目构成)"),
    "explain_commands": ("the commands behind those projects' facts (recorded at {zone}, actor, what, command, set):",
                         "这些项目的事实背后的指令 (录入时间 {zone}, 录入人, 类型, 指令, 内容):"),
    "explain_rules": ("rules {rules} (effective {effective}, recorded {recorded} by {actor}): {plugins}",
                      "规则 {rules} (生效日期 {effective}, 由 {actor} 于 {recorded} 录入): {plugins}"),
    "explain_from_start": ("from the start", "自始生效"),
    "explain_checks": ("checks: {checks}", "核对: {checks}"),
    "adds_up_to_score": ("adds up to score", "各项合计等于得分"),
    "recomputed_equals_recorded": ("recomputed equals recorded", "重算等于已录入"),
    "projects_add_up": ("projects add up", "项目合计相符"),
    "formula_unit_coefficient": ("", _zh("coefficient") + " c: 年度目标为 0 时 c = 1, 否则 c = 系数下限 + (系数上限 − "
                                     "系数下限) × A 与年度目标之比 (至多为 1), A 为截至月末的累计签约额"),
    "formula_early_warning": ("", _zh("deduction") + " D = 该单位当年截至月末已立案的各案卷之和: 未结案卷按其当前函单等级扣分, "
                                  "已结案卷整改到位的为 0, 扣分确认的照扣"),
    "formula_supervision": ("", "督查扣分 = 上月" + _zh("self_check") + "应交而未按时提交的自查扣分 + 虚报扣分 × 本月日期的"
                                "虚报抽查结论数 + 本月日期的" + _zh("special_assessment") + "扣分"),
    # history
    "history_cause": ("cause", "原因"),
    "history_change": ("change", "变化"),
    "history_change_amounts": ("change ({unit})", "变化 (金额: {unit})"),
    "month_began": ("the month began", "月初开始计分"),
    "frozen_at_close": ("frozen at the close", "月末关账冻结"),
    "history_frozen": ("rank {rank}, {third}, streak {streak}", "名次 {rank}, {third}, 连续后三分之一 {streak}"),
    "assessed": ("assessed", "参加考核"),
    "false": ("False", "否"),
    "true": ("True", "是"),
    # whatif
    "whatif_line": ("{period} ({state}) under {file}: {changed} unit(s) change; spread {before} -> {after}",
                    "{period} ({state}) 按 {file}: {changed} 个单位变化; 分差 {before} -> {after}"),
    "whatif_frozen": ("frozen", "已冻结"),
    "whatif_live": ("live", "实时"),
    "rank_then": ("rank then", "名次 (改后)"),
    "final_then": ("final then", "得分 (改后)"),
    "whatif_change": ("change", "变化"),
    # tokens
    "token_name": ("name", "名称"),
    "role": ("role", "角色"),
    "issued_by": ("issued by", "签发人"),
    "issued_at": ("issued at", "签发时间"),
    "revoked_at": ("revoked at", "吊销时间"),
    # audit
    "size": ("size", "规模"),
    "root": ("root", "根哈希"),
    # progress
    "scoring": ("scoring", "计分"),
    "recording": ("recording", "录入"),
    "verifying": ("verifying", "核验"),
    "rebuilding": ("rebuilding", "重建"),
    # amounts
    "yi": ("¥100M", "亿元"),
    "wan": ("¥10k", "万元"),
    "yuan": ("yuan", "元"),
    "none": ("(none)", "(无)"),
    "last_of": ("the last {shown} of {total}", "共 {total} 份, 最近 {shown} 份"),
    # supervision (docs/assessment.md §9)
    "supervision": _term("supervision"),
    "self_check": _term("self_check"),
    "self_checks_owed": ("self-checks of this month owed", "本月须自查"),
    "on_time": ("on time", "按时"),
    "late": ("late", "逾期"),
    "points_self_check": ("self-check points", "自查扣分"),
    "points_misreport": ("misreport points", "虚报扣分"),
    "points_special": ("special points", _zh("special_assessment") + "扣分"),
    "listed": _term("listed"),
    "spot_check": _term("spot_check"),
    "draw": ("draw", "抽查编号"),
    "sample": ("sample", "样本"),
    "candidates": ("candidates", "候选项目数"),
    "seed": ("seed", "种子"),
    "result": ("result", "结论"),
    "misreported": _term("misreported"),
    "confirmed_finding": _term("finding_confirmed"),
    "pending": ("pending", "待核查"),
    "drawn": ("drawn {draw}: {sample} of {candidates} candidates, seed {seed}",
              "已抽取 {draw}: 从 {candidates} 个候选项目中抽取 {sample} 个, 种子 {seed}"),
    "draw_matches": ("draw {draw}: the sample recomputed from the record matches ({sample} of {candidates})",
                     "抽查 {draw}: 按记录重算的样本一致 ({candidates} 个候选中抽取 {sample} 个)"),
    "draw_differs": ("draw {draw}: DIFFERS from the record: {problems}", "抽查 {draw}: 与记录不符: {problems}"),
    # delivery (docs/delivery.md)
    "contact_role": ("role", "角色"),
    "channel": ("channel", "渠道"),
    "address": ("address", "地址"),
    "kinds": ("receives", "接收"),
    "language": ("language", "语言"),
    "contact_id": ("id", "编号"),
    "job": ("job", "送达任务"),
    "kind": ("kind", "类别"),
    "attempts": ("attempts", "尝试次数"),
    "when": ("when", "时间"),
    "detail": ("detail", "详情"),
    "head": _term("head"),
    "liaison": _term("liaison"),
    "explain_deliveries": ("Delivered (to whom by role; times {zone}):", "送达 (按角色; 时间 {zone}):"),
    "log_position": ("log position", "日志位置"),
    "kind_letter": ("letter", "函"),
    "kind_sheet": _term("feedback"),
    "kind_result": _term("result"),
    "kind_accountability": ("accountability decision", "问责决定"),
    "kind_self_check": ("missed self-check", "定期自查逾期"),
    "delivery_pending": _term("pending"),
    "delivery_failing": _term("failing"),
    "delivery_delivered": _term("delivered"),
    "delivery_dead": _term("dead"),
    "delivery_skipped": _term("skipped"),
}


def label(key: str, lang: str) -> str:
    """The label of ``key`` in ``lang``; an unknown key is shown as it is."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "zh" else pair[0]
