"""Excel in (docs/intake.md): the office's workbook (sheets 单位, 目标, 项目, or one of them as a .csv) read
exactly and turned into the commands of the record, every problem named by its cell.

``columns`` (the interface: sheet and header names, Chinese and English), ``cells`` (a cell's value read
exactly: amounts in 万元 to yuan, dates), ``reader`` (a workbook or a CSV to rows), ``plan`` (rows against the
record: the commands that record what changed), ``template`` and ``export`` (workbooks to fill in). It stands
beside ``core.audit``: it reads the record through a platform it is given and may import ``core.read`` and
everything below it."""
