"""Messages of supervision (docs/assessment.md §9): its commands' rules, the draw, the query
(``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # core.record.supervision: the forms
    "sv.rule_points": ("a decimal string > 0 and <= 100 with at most 2 decimals",
                       "大于 0、不超过 100、至多两位小数的十进制数字字符串"),
    "sv.not_points": ("{value!r} is not {rule}", "{value!r} 不是{rule}"),
    "sv.confirmed_correction": ("a confirmed finding corrects nothing: leave out field and value",
                                "核实无误 (confirmed) 的结论不更正任何字段: 请去掉更正字段 (field) 与更正值 (value)"),
    "sv.misreported_needs": ("a misreported finding needs {missing}: the correction it makes, as in correct",
                             "虚报 (misreported) 的结论须写明 {missing}: 即其所作的更正, 与更正 (correct) 指令相同"),
    # core.record.supervision: the rules of the record
    "sv.from_past": ("from: {first} is before the month {month} of the recorded time (a requirement cannot "
                     "reach back)", "起始月份 (from): {first} 早于录入时间所在月份 {month} (要求不能追溯)"),
    "sv.not_after_period": ("date: {date} is not after the end of {period} ({end}): {what} is made once the month "
                            "is over", "日期 (date): {date} 不晚于 {period} 的月末 ({end}): {what}须在该月结束后进行"),
    "sv.what_self_check": ("a self-check", "自查"),
    "sv.what_draw": ("a spot check", "抽查"),
    "sv.self_check_exists": ("unit {unit} has filed its self-check of {period} already (dated {date})",
                             "单位 {unit} 已提交 {period} 的自查 (日期 {date})"),
    "sv.draw_exists": ("draw {draw} exists already (of {period}, drawn {date})",
                       "抽查 {draw} 已存在 ({period}, {date} 抽取)"),
    "sv.draw_unknown": ("draw: {draw} is not a recorded spot check", "抽查 (draw): {draw} 不是已录入的抽查"),
    "sv.not_sampled": ("project: {project} is not in the sample of draw {draw} ({sample})",
                       "项目 (project): {project} 不在抽查 {draw} 的样本中 ({sample})"),
    "sv.finding_exists": ("draw {draw} has a finding for project {project} already ({result}, {date})",
                          "抽查 {draw} 已有项目 {project} 的结论 ({result}, {date})"),
    "sv.before_draw": ("date: {date} is before the draw's date {drawn}", "日期 (date): {date} 早于抽查日期 {drawn}"),
    "sv.month_closed": ("date: {date} lies in {period}, which is closed", "日期 (date): {date} 所在月份 {period} 已关账"),
    "sv.listed_already": ("unit {unit} is listed already (since {date})", "单位 {unit} 已挂牌督战 (自 {date} 起)"),
    "sv.not_listed": ("unit {unit} is not listed", "单位 {unit} 未挂牌督战"),
    "sv.listing_earlier": ("date: {date} is before {last}, the date of the unit's latest listing or delisting",
                           "日期 (date): {date} 早于该单位最近一次挂牌或摘牌的日期 {last}"),
    "sv.misreport_rejected": ("the correction of this misreported finding would be rejected: {reason}",
                              "该虚报结论所作的更正会被拒绝: {reason}"),
    # core.audit.draws
    "sv.audit_candidates": ("the draw recorded {recorded} candidates; the record gives {recomputed}",
                            "抽查记录的候选项目数为 {recorded}; 按记录重算为 {recomputed}"),
    "sv.audit_sample": ("the draw recorded the sample {recorded}; the record gives {recomputed}",
                        "抽查记录的样本为 {recorded}; 按记录重算为 {recomputed}"),
    "sv.audit_seed_head": ("the seed names the head {size}:{root}, which is not the log's tree at that size",
                           "种子所指的树头 {size}:{root} 与日志在该规模下的默克尔树根不符"),
    "sv.verify_with": ("anyone can check it: sankao audit draw {draw}", "任何人都可核验: sankao audit draw {draw}"),
    "sv.close_head_pending": ("{period} is closed but the head of its close is not recorded yet (the scoring worker "
                              "records it): run `sankao worker --once`, or give --seed",
                              "{period} 已关账, 但关账时的树头尚未录入 (由计分进程录入): 请运行 sankao worker --once, "
                              "或用 --seed 指定种子"),
    "sv.no_head": ("no head of the log's tree yet: give --seed", "日志尚无默克尔树头: 请用 --seed 指定种子"),
}
