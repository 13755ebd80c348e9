"""``--help`` in Chinese of Excel in's commands (docs/intake.md): ``template``, ``import``, ``export projects``
(merged into ``cli.help_zh``'s ``HELP`` and ``OPTIONS``)."""

from __future__ import annotations

HELP: dict[str, str] = {
    "template": "写出待填写的工作簿 FILE.xlsx: 说明、单位、目标、项目四张表, 表头冻结, 带数据验证 (单位下拉、日期、金额不小于 0、整数); "
                "已登记的单位预先填在单位表中供下拉选择。表头默认为中文, --lang en 时为英文 (docs/intake.md)。",
    "import": "录入工作簿 FILE (.xlsx, 或单张表的 .csv) 所载内容: 新单位、目标、项目及其各环节; 曾导入过的行只录入改动 "
              "(新填的环节, 或日期、金额的更正, 更正原因写明文件与行号)。有任何问题时整份文件都不录入, 每个问题注明其单元格。",
    "export": "按办公室自己的格式写出记录中的内容。",
    "export projects": "按模板格式写出项目的现状 (FILE.xlsx): 修改后再导入, 只录入所作的改动。",
}

OPTIONS: dict[str, dict[str, str]] = {
    "template": {"--lang": "工作簿的表头和提示的语言: zh (默认) 或 en。"},
    "import": {"--check": "列出所有问题, 每个注明其单元格; 不录入任何内容。",
               "--unit": "只导入单位 U 的项目行 (其它行都算问题)。"},
    "export projects": {"--unit": "只写出单位 U 的项目。", "--lang": "工作簿的表头和提示的语言: zh (默认) 或 en。"},
}
