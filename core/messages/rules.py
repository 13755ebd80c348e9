"""Messages of the rules: plugins, their settings, the rules in force, the wiring (``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # core.rules.book and core.rules.plugins
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
        'plugin "{plugin}" returned nonsense from sankao_annual_standing: want a core.rules.model.Standing of '
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
}
