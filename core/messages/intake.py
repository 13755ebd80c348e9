"""Messages of Excel in (``core.intake``, docs/intake.md): a cell's rules, a row against the record, the file
(``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    "xl.at": ("{ref}: {problem}", "{ref}：{problem}"),
    "xl.cell": ("{field}: {problem}", "{field}{problem}"),
    "xl.required": ("is required", "须填写"),
    "xl.positive": ("must be greater than 0", "须大于 0"),
    "xl.cents": ("must be whole fen (at most 6 digits after the point in 10k yuan)",
                 "须精确到分 (以万元计至多 6 位小数)"),
    "xl.not_amount": ("{value!r} is not an amount in 10k yuan (a decimal number, at most 6 digits after the point)",
                      "{value!r} 不是以万元计的金额 (十进制数, 小数点后至多 6 位)"),
    "xl.float_digits": ("the number {value} has more than 6 digits after the point: in 10k yuan that is less than "
                        "a fen; type it as text, or round it", "数值 {value} 小数点后超过 6 位: 以万元计已不足一分; "
                        "请以文本输入, 或取整到分"),
    "xl.negative": ("{value} is negative: amounts are at least 0", "{value} 为负数: 金额须不小于 0"),
    "xl.not_date": ("{value!r} is not a date (2023-06-15, 2023/6/15, 2023年6月15日 or an Excel date)",
                    "{value!r} 不是日期 (可写作 2023-06-15、2023/6/15、2023年6月15日, 或 Excel 日期)"),
    "xl.date_time": ("{value} has a time of day: a business date is a day", "{value} 带有时刻: 业务日期只写日期"),
    "xl.date_number": ("{value} is a number, not a date: format the cell as a date, or write 2023-06-15",
                       "{value} 是数值而不是日期: 请把单元格设为日期格式, 或写作 2023-06-15"),
    "xl.not_whole": ("{value!r} is not a whole number", "{value!r} 不是整数"),
    "xl.out_of_range": ("{value} is not from {lowest} to {highest}", "{value} 不在 {lowest} 至 {highest} 之间"),
    "xl.not_id": ("{value!r} is not an id (letters, digits, _ . -, starting with a letter or digit, at most 64)",
                  "{value!r} 不是编号 (以字母或数字开头, 至多 64 个字母、数字或 _ . -)"),
    "xl.too_long": ("is longer than {longest} characters", "超过 {longest} 个字符"),
    "xl.twice": ("the same row as {other}", "与 {other} 重复"),
    "xl.not_own": ("only unit {unit}'s project rows may be imported here (this is {sheet})",
                   "此处只能导入单位 {unit} 自己的项目行 (此为 {sheet})"),
    "xl.unit_differs": ("{field} differs from the registered {held!r}: an import does not rename a unit",
                        "{field} 与已登记的 {held!r} 不同: 导入不能更改单位"),
    "xl.project_differs": ("{field} differs from the recorded {held!r}: an import does not move or rename a "
                           "project", "{field} 与已录入的 {held!r} 不同: 导入不能更改项目的单位或名称"),
    "xl.emptied": ("{field} is empty but {held} is recorded: a recorded stage is not taken back by emptying a cell",
                   "{field} 为空, 但已录入 {held}: 已录入的环节不能靠清空单元格取消"),
    "xl.withdrawal_moved": ("the withdrawal is recorded on {held}: its date is not corrected by an import",
                            "已于 {held} 录入退出: 退出日期不能通过导入更正"),
    "xl.sign_pair": ("a signing needs both its date and its amount", "签约须同时填写签约日期与签约金额"),
    "xl.correct_reason": ("imported from {file}, sheet {sheet}, row {row}", "导入自 {file} 的 {sheet} 表第 {row} 行"),
    "xl.header_missing": ("the header {header!r} ({en}) is missing", "缺少表头 {header!r} ({en})"),
    "xl.csv_encoding": ("the .csv is neither UTF-8 nor GB18030: save it as CSV UTF-8, or import the .xlsx",
                        ".csv 既不是 UTF-8 也不是 GB18030 编码: 请另存为 CSV UTF-8, 或直接导入 .xlsx"),
    "xl.csv_headers": ("the .csv's first row is not the header of a sheet ({sheets})",
                       ".csv 的第一行不是任何一张表的表头 ({sheets})"),
    "xl.not_workbook": ("not a workbook Sankao reads (.xlsx): {error}", "不是可读取的工作簿 (.xlsx): {error}"),
    "xl.no_sheet": ("no sheet named {sheets}", "没有名为 {sheets} 的工作表"),
    "xl.too_many_rows": ("more than {limit} rows: split the workbook (an import is recorded in one transaction)",
                         "超过 {limit} 行: 请拆分工作簿 (一次导入在一个事务中录入)"),
    "xl.written": ("wrote {file}", "已写入 {file}"),
    "xl.refused": ("{problems} problem(s): nothing of the file was recorded", "共 {problems} 个问题: 整份文件都未录入"),
    "xl.would": ("check: would record {unit} unit(s), {targets} target(s), {plan} new project(s), {stage} new "
                 "stage(s), {correct} correction(s); nothing recorded",
                 "检查: 将录入单位 {unit} 个、目标 {targets} 条、新项目 {plan} 个、新环节 {stage} 个、更正 {correct} 条; 未录入任何内容"),
    "xl.recorded": ("recorded {recorded} command(s) ({skipped} skipped): {unit} unit(s), {targets} target(s), {plan} "
                    "new project(s), {stage} new stage(s), {correct} correction(s)",
                    "已录入 {recorded} 条指令 (跳过 {skipped} 条): 单位 {unit} 个、目标 {targets} 条、新项目 {plan} 个、"
                    "新环节 {stage} 个、更正 {correct} 条"),
}
