"""Messages of the queries: answers that do not exist (yet) (``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

from core.glossary import zh

CATALOG: dict[str, tuple[str, str]] = {
    # core.read: answers that do not exist (yet)
    "read.q_board": ("board {period}", zh("board") + " {period}"),
    "read.q_supervision": ("supervision {period}", "督查 {period}"),
    "read.q_score": ("score {unit} {period}", "得分 {unit} {period}"),
    "read.q_annual": ("annual {year}", zh("annual_evaluation") + " {year}"),
    "read.not_scored": ("{query}: not scored yet: the scores are {behind} fact(s) behind the record (the scoring worker "
                        "has not caught up, or this read-only copy was made before it did)",
                        "{query}: 尚未计分: 得分落后于记录 {behind} 条事实 (计分进程尚未跟上, 或这份只读副本是在它跟上之前做的)"),
    "read.no_board_yet": ("{query}: no board yet as known at {at}; a month's board exists from its first day on",
                          "{query}: 截至 {at} 还没有这个月的" + zh("board") + "; 一个月的清单从该月第一天起才有"),
    "read.no_unit_assessed": ("board {period}: no unit is assessed in {period} as known at {at} (no unit has targets for "
                              "{year}, or every assessed weight is 0)",
                              zh("board") + " {period}: 截至 {at}, {period} 没有单位参加考核 ({year} 年没有单位下达目标, "
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
                             zh("annual_evaluation") + " {year}: 年末关账时没有生效的插件评定该年 (年考评插件 "
                             "annual_evaluation 已停用); 什么也没有冻结"),
    "read.annual_no_plugin": ("annual {year}: no plugin in force for {through} evaluates the year "
                              "(sankao_annual_standing): this store's rules predate annual_evaluation or disable it. "
                              "Put it in force before close_year: a file holding [plugins.annual_evaluation], then: "
                              "sankao plugins apply FILE",
                              zh("annual_evaluation") + " {year}: {through} 生效的插件中没有评定该年的 "
                              "(sankao_annual_standing): 本库的规则早于年考评插件 (annual_evaluation) 或停用了它。请在年末关账 "
                              "(close_year) 前让它生效: 写一个含 [plugins.annual_evaluation] 的文件, 然后运行: "
                              "sankao plugins apply FILE"),
    "read.person_unknown": ("person {person}: not a registered person as known at {at}{unit}",
                            "人员 {person}: 截至 {at} 不是已登记的人员{unit}"),
    "read.person_is_unit": (" (that is a unit: `sankao explain UNIT PERIOD` takes a month)",
                            " (这是单位: `sankao explain UNIT PERIOD` 要给出月份)"),
    "read.registered_after": ("registered after close_year {year}: not in its standing",
                              "在 {year} 年末关账 (close_year) 后登记: 不在该年" + zh("annual_evaluation") + "中"),
    "read.notices_unit": ("notices: {unit} is not a registered unit", zh("notices") + ": {unit} 不是已登记的单位"),
    "read.unit_unknown": ("{unit} is not a registered unit", "{unit} 不是已登记的单位"),
    "read.no_case": ("notice {case}: no such case", "函单 {case}: 没有这个案卷"),
    "read.no_document": ("notice {case}/{number}: the case has {count} document(s)",
                         "函单 {case}/{number}: 该案卷只有 {count} 份函单"),
    "read.projects_unit": ("projects: {unit} is not a registered unit", "项目: {unit} 不是已登记的单位"),
    "read.events_unit": ("events: {unit} is not a registered unit", "事件: {unit} 不是已登记的单位"),
    "read.events_project": ("events: {project} is not a planned project{of}", "事件: {project} 不是{of}已谋划的项目"),
    "read.of_unit": (" of {unit}", " {unit} "),
}
