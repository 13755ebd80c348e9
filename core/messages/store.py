"""Messages of the store: opening, creating, writing and reading it (``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    # core.store
    "store.memory": ("SQLite in memory", "SQLite (内存中)"),
    "store.postgres": ("PostgreSQL {host}:{port}/{dbname}{schema}", "PostgreSQL {host}:{port}/{dbname}{schema}"),
    "store.schema": (" schema {schema}", " 模式 {schema}"),
    "store.exists_read_only": ("{where} exists already (it can only be read here); nothing was changed",
                               "{where} 已存在 (此处只能读取); 什么也没有改变"),
    "store.not_writable": ("{where} cannot be written here (no write permission on the file or its directory); "
                           "nothing was recorded", "{where} 在此处不能写入 (对文件或其目录没有写权限); 什么也没有录入"),
    "store.no_store": ("no store at {path}: nothing was recorded there (check --db or SANKAO_DB; 'sankao init' or a "
                       "first 'sankao load' creates one)",
                       "{path} 处没有数据库: 那里什么也没有录入 (请检查 --db 或 SANKAO_DB; 'sankao init' 或第一次 "
                       "'sankao load' 会创建它)"),
    "store.unknown_type": ("the store is damaged at {where}: unknown event type {topic!r} ({kind}); restore the store "
                           "from a backup (sankao backup makes one)",
                           "数据库在 {where} 处损坏: 未知的事件类型 {topic!r} ({kind}); 请从备份恢复 (sankao backup 可做备份)"),
    "store.undecodable": ("the store is damaged at {where}: its {topic} cannot be decoded ({error}); restore the store "
                          "from a backup (sankao backup makes one)",
                          "数据库在 {where} 处损坏: 其 {topic} 无法解码 ({error}); 请从备份恢复 (sankao backup 可做备份)"),
    "store.lacks": ("the store is damaged at {where}: its {topic} lacks {missing}",
                    "数据库在 {where} 处损坏: 其 {topic} 缺少 {missing}"),
    "store.position": ("position {position}", "第 {position} 条"),
    "store.empty_url": ("{source}: empty; name a SQLite file or a postgresql:// URL",
                        "{source}: 为空; 请给出 SQLite 文件或 postgresql:// 地址"),
    "store.unknown_scheme": ("{source}: {url!r} is not a store Sankao knows (scheme {scheme!r}); use a SQLite file "
                             "path such as office.db or a postgresql://user@host:5432/dbname URL",
                             "{source}: {url!r} 不是 Sankao 认识的数据库 (协议 {scheme!r}); 请用 SQLite 文件路径 (如 "
                             "office.db) 或 postgresql://user@host:5432/dbname 地址"),
    "store.no_dbname": ("{source}: {url} names no database (postgresql://user@host:5432/DBNAME)",
                        "{source}: {url} 没有给出数据库名 (postgresql://user@host:5432/DBNAME)"),
    "store.url_options": ("{source}: {url}: unknown option(s) {options} (only ?schema=NAME)",
                          "{source}: {url}: 未知的选项 {options} (只能有 ?schema=NAME)"),
    "store.schema_name": ("{source}: schema {schema!r} must be a lower-case SQL name",
                          "{source}: 模式名 (schema) {schema!r} 须为小写的 SQL 名称"),
    "store.is_directory": ("{source}: {url} is a directory; name a file such as {example}",
                           "{source}: {url} 是目录; 请给出文件, 如 {example}"),
    "store.no_directory": ("{source}: cannot create {path}: the directory {parent} does not exist (create it first, "
                           "or check the path for a typo)",
                           "{source}: 无法创建 {path}: 目录 {parent} 不存在 (请先创建它, 或检查路径是否有误)"),
    "store.pg_extra": ("PostgreSQL needs the postgres extra: pip install 'sankao[postgres]'",
                       "使用 PostgreSQL 需要安装 postgres 扩展: pip install 'sankao[postgres]'"),
    "store.pg_timeout": ("{where}: no connection within {seconds} s", "{where}: {seconds} 秒内没有连上"),
    "store.pg_no_database": ("{where}: there is no database {dbname!r} on that server (create it: createdb {dbname})",
                             "{where}: 该服务器上没有数据库 {dbname!r} (请创建: createdb {dbname})"),
    "store.pg_no_role": ("{where}: the server has no role {user!r} (name another user in the URL)",
                         "{where}: 服务器上没有角色 {user!r} (请在地址中换一个用户)"),
    "store.pg_password": ("{where}: the server refused the password of {user!r}", "{where}: 服务器拒绝了 {user!r} 的密码"),
    "store.pg_refused": ("{where}: nothing answers at {host}:{port} (connection refused: is the server running?)",
                         "{where}: {host}:{port} 没有应答 (连接被拒绝: 服务器在运行吗?)"),
    "store.pg_no_answer": ("{where}: no answer from {host}:{port} within {seconds} s",
                           "{where}: {host}:{port} 在 {seconds} 秒内没有应答"),
    "store.pg_stopped": ("{where}: the server stopped answering ({error})", "{where}: 服务器不再应答 ({error})"),
    "store.pg_failed": ("{where}: the connection failed ({error})", "{where}: 连接失败 ({error})"),
    "store.pg_cannot": ("{where}: cannot connect ({error})", "{where}: 无法连接 ({error})"),
    "store.pg_missing_tables": ("{where}: the tables are missing ({error}); run: sankao init",
                                "{where}: 缺少数据表 ({error}); 请运行: sankao init"),
    "store.pg_busy": ("{where}: another process held the write lock for {seconds} s; nothing of this step was "
                      "recorded, run it again", "{where}: 另一进程占用写锁已 {seconds} 秒; 这一步什么也没有录入, 请重新运行"),
    "store.pg_old": ("{where} holds tables of Sankao 0.1 (records_events, assessment_events); this Sankao keeps one "
                     "log and cannot read them. They were not changed; use another schema (?schema=NAME).",
                     "{where} 存有 Sankao 0.1 的数据表 (records_events, assessment_events); 本版只用一份日志, 无法读取它们。"
                     "它们没有被改动; 请换一个模式 (?schema=NAME)。"),
    "store.pg_no_tables": ("{where}: no Sankao tables yet; run: sankao init", "{where}: 还没有 Sankao 的数据表; 请运行: sankao init"),
    "store.format": ("{where} has store format {found!r}; this Sankao reads {wanted!r}",
                     "{where} 的存储格式为 {found!r}; 本版读取 {wanted!r}"),
    "store.opened_read_only": ("{where} is open read-only here; nothing was recorded", "{where} 在此处以只读方式打开; 什么也没有录入"),
    "store.locked": ("{where} stayed locked by another process for {seconds} s; nothing of this step was recorded, "
                     "run it again", "{where} 被另一进程锁住已 {seconds} 秒; 这一步什么也没有录入, 请重新运行"),
    "store.full": ("the disk holding {where} is full ({error}): nothing of this step was recorded; what was "
                   "recorded before stays, and queries still answer. Free some space, then run the same command "
                   "again", "{where} 所在磁盘已满 ({error}): 这一步什么也没有录入; 之前录入的都在, 查询照常可用。"
                   "请腾出空间后重新运行同一命令"),
    "store.cannot_open": ("{where} cannot be opened for writing ({error}): its folder does not exist or this user "
                          "may not write there (SQLite also writes -wal and -shm files beside it); nothing was "
                          "recorded", "{where} 无法以写方式打开 ({error}): 所在文件夹不存在, 或当前用户无权在其中写入 "
                          "(SQLite 还要在旁边写 -wal 和 -shm 文件); 什么也没有录入"),
    "store.read_only_error": ("{where} cannot be written here ({error}); nothing was recorded",
                              "{where} 在此处不能写入 ({error}); 什么也没有录入"),
    "store.not_sankao_table": ("{where} is not a Sankao store ({error})", "{where} 不是 Sankao 数据库 ({error})"),
    "store.unreadable": ("{where} cannot be read: {error}", "{where} 无法读取: {error}"),
    "store.old_sqlite": ("{where} was written by Sankao 0.1 (the record in this file, the assessment in {name}-assessment); "
                         "this Sankao keeps both in one log and cannot read it. It was not changed.",
                         "{where} 由 Sankao 0.1 写入 (记录在此文件中, 考核在 {name}-assessment 中); 本版把两者存在一份日志里, "
                         "无法读取它。它没有被改动。"),
    "store.empty_database": ("{where} is an empty database, not a Sankao store yet ('sankao init' makes it one)",
                             "{where} 是空数据库, 还不是 Sankao 数据库 ('sankao init' 可以建成)"),
    "store.other_tables": ("{where} is not a Sankao store (it holds other tables: {tables}); nothing was changed",
                           "{where} 不是 Sankao 数据库 (其中是别的数据表: {tables}); 什么也没有改变"),
    "store.schema_missing": ("{where} has no schema mark (meta 'schema') and holds no log yet: its creation stopped "
                             "before it was marked. A command that only reads never writes a store: 'sankao init' "
                             "finishes it. Nothing was changed",
                             "{where} 没有结构版本标记 (meta 'schema'), 也还没有日志: 它的创建在写入标记之前中断了。"
                             "只读的命令从不写入数据库: 'sankao init' 可以完成它。什么也没有改变"),
    "store.schema_missing_log": ("{where} has no schema mark (meta 'schema') but holds a log (rows in {tables}): the "
                                 "row was deleted around Sankao, by accident or by someone who changed the store. No "
                                 "command writes to such a store: an upgrade would hash every row of it into the "
                                 "Merkle tree, rows written around Sankao included. Restore the store from a backup, "
                                 "or run 'sankao audit verify' to see what else was changed. Nothing was changed",
                                 "{where} 没有结构版本标记 (meta 'schema'), 却存有日志 ({tables} 中有数据行): 这一行已被"
                                 "绕过 Sankao 删除 (出于意外, 或者有人改动了数据库)。任何命令都不写入这样的数据库: "
                                 "升级会把其中每一行 (包括绕过 Sankao 写入的行) 都算进默克尔树。请从备份恢复数据库, "
                                 "或者运行 'sankao audit verify' 查看还有什么被改动。什么也没有改变"),
    "store.schema_other": ("{where} is marked schema {found!r}; this Sankao reads schema {wanted!r}. A command that only "
                           "reads never upgrades a store: run 'sankao audit verify', then 'sankao init' to upgrade it (or "
                           "use the Sankao that wrote it). Nothing was changed",
                           "{where} 标记的结构版本为 {found!r}; 本版读取 {wanted!r}。只读的命令从不升级数据库: 请先运行 "
                           "'sankao audit verify', 再用 'sankao init' 升级 (或使用写入它的 Sankao 版本)。什么也没有改变"),
}
