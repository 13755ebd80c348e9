"""Messages of the auditor's tools and verified reads (``core.messages.CATALOG``: key -> (English, Chinese))."""

from __future__ import annotations

from core.glossary import zh

CATALOG: dict[str, tuple[str, str]] = {
    # core.audit
    "audit.no_head": ("--head: the tree holds {current} events; a head of {size} does not exist",
                      "--head: 默克尔树有 {current} 条事件; 规模为 {size} 的树头不存在"),
    "audit.not_in_tree": ("audit prove: position {position} is not in a tree of {size} events",
                          "包含证明: 第 {position} 条不在规模为 {size} 的树中"),
    "audit.not_size": ("audit consistency: the tree holds {size} events, not {old_size}",
                       "一致性证明: 默克尔树有 {size} 条事件, 不足 {old_size} 条"),
    "audit.from_empty": ("audit consistency: a consistency proof from size 0 (the empty tree) proves nothing, whatever "
                         "the old root, and is refused (RFC 9162); give an old size of 1 or more",
                         "一致性证明: 从规模 0 (空树) 出发的一致性证明什么也证明不了, 无论旧根哈希为何, 故拒绝 (RFC 9162); "
                         "请给出 1 或更大的旧规模"),
    "audit.log_end": ("the store's log should end at position {size}; it ends at {last} and its Merkle tree at {held}: "
                      "events were written or removed around Sankao, straight in the database. Nothing was recorded; "
                      "'sankao audit verify' names them",
                      "本库的日志应止于第 {size} 条; 实际止于第 {last} 条, 默克尔树止于第 {held} 条: 有人绕过 Sankao 直接在数据库中"
                      "写入或删除了事件。什么也没有录入; 'sankao audit verify' 会指出它们"),
    "audit.gone": ("the tree holds an event here that is no longer stored", "树中此处有一条事件, 数据库里已不再存有"),
    "audit.head_beyond": ("the head recorded at position {position} ({label}) covers {size} events; only {stored} are "
                          "stored", "第 {position} 条录入的树头 ({label}) 涵盖 {size} 条事件; 数据库只存有 {stored} 条"),
    "audit.head_root": ("the head recorded at position {position} ({label}) says root {root}; the stored events give "
                        "another", "第 {position} 条录入的树头 ({label}) 的根哈希为 {root}; 存有的事件得出的不同"),
    "audit.tree_root": ("the stored tree's root differs from the stored events'", "存有的树的根哈希与存有的事件得出的不同"),
    "audit.deleted": ("no event is stored at this position, the tree holds one: it was deleted",
                      "此处没有存有事件, 树中却有一条: 它被删除了"),
    "audit.nothing_here": ("no event is stored here", "此处没有存有事件"),
    "audit.inserted": ("an event stands here that the tree never held", "此处有一条树中从未有过的事件"),
    "audit.tree_changed": ("the stored tree lacks this event's leaf: the tree was changed", "存有的树缺少这条事件的叶子: 树被改动了"),
    "audit.swapped": ("the events at positions {p} and {q} swapped places", "第 {p} 条和第 {q} 条事件互换了位置"),
    "audit.changed": ("the stored event differs from the one the tree recorded (its data, type, stream or version was "
                      "changed)", "存有的事件与树所记录的不同 (其内容、类型、流或版本被改动了)"),
    "audit.backdated": ("this fact is recorded at {at}, earlier than the fact at position {position} (recorded at "
                        "{latest}): the record's times never go backwards (a backdated event written around Sankao)",
                        "这条事实的录入时间为 {at}, 早于第 {position} 条事实 ({latest}): 记录的时间从不倒退 (有人绕过 "
                        "Sankao 写入了倒填时间的事件)"),
    "audit.unreadable": ("the stored event cannot be read: {error}", "存有的事件无法读取: {error}"),
    "audit.node": ("the stored tree node over positions {first} to {last} (level {level}) is not the one the events "
                   "give: the node was changed, or an event among these positions was changed together with its leaf "
                   "hash", "存有的树节点 (第 {first} 至 {last} 条, 层 {level}) 与事件得出的不同: 节点被改动了, 或者这些位置"
                   "中有一条事件连同其叶子哈希一起被改动了"),
    "audit.node_missing": ("the tree lacks its stored node over positions {first} to {last} (level {level}): it was "
                           "deleted", "树缺少第 {first} 至 {last} 条的节点 (层 {level}): 它被删除了"),
    "audit.node_extra": ("the tree stores a node (level {level}, index {idx}, positions {first} to {last}) that the "
                         "log does not have", "树中存有一个日志里没有的节点 (层 {level}, 序号 {idx}, 第 {first} 至 {last} 条)"),
    "audit.rm_differs": ("the read model {table}, row {key}: {column} is {found}, the log gives {wanted} (written by "
                         "the event at position {position})", "读模型 {table} 的行 {key}: {column} 为 {found}, 按日志应为 "
                         "{wanted} (由第 {position} 条事件写入)"),
    "audit.rm_missing": ("the read model {table} lacks the row {key} that the event at position {position} wrote",
                         "读模型 {table} 缺少第 {position} 条事件写入的行 {key}"),
    "audit.rm_extra": ("the read model {table} holds a row {key} that no event up to position {upto} wrote",
                       "读模型 {table} 中有一行 {key}, 截至第 {upto} 条没有任何事件写入它"),
    "audit.rm_more": ("and {count} more row(s) of the read model {table} differ from the log",
                      "读模型 {table} 另有 {count} 行与日志不符"),
    "audit.rm_ahead": ("the read models say they stand at position {position}, beyond the log's last event ({last})",
                       "读模型自称已到第 {position} 条, 超出了日志的最后一条 (第 {last} 条)"),
    "audit.export_exists": ("{folder} exists and is not an empty folder; an export writes only into a new folder",
                            "{folder} 已存在且不是空文件夹; 导出只写入新的文件夹"),
    "audit.not_utf8": ("the event at position {position} is not UTF-8 JSON: the store was changed around Sankao; run "
                       "sankao audit verify", "第 {position} 条事件不是 UTF-8 的 JSON: 有人绕过 Sankao 改动了数据库; 请运行 "
                       "sankao audit verify"),
    "audit.root_mismatch": ("the stored events do not give the root of the stored tree: the log was changed around "
                            "Sankao; run sankao audit verify (nothing was exported)",
                            "存有的事件得不出存有的树的根哈希: 有人绕过 Sankao 改动了日志; 请运行 sankao audit verify "
                            "(什么也没有导出)"),
    "audit.not_bundle": ("{folder}: not an audit bundle ({error})", "{folder}: 不是审计包 ({error})"),
    "audit.rules_missing": ("explain: the rules {rules} the figures were recorded with are not in the log",
                            "得分说明: 录入这些得分时所用的规则 {rules} 不在日志中"),
    "audit.no_history": ("history {unit} {period}: no figures of {unit} for {period} were ever recorded",
                         "得分变化 {unit} {period}: 从未录入过 {unit} 在 {period} 的得分"),
    "audit.what_score": ("{unit} {period} as of {command}", "{unit} {period} (截至 {command})"),
    "audit.what_notice": ("{unit} {case} {level} of {date}", "{unit} {case} {date} 的{level}"),
    "audit.what_board": ("the frozen board of {period}", "{period} 已冻结的" + zh("board")),
    "audit.what_standing": ("the annual standing of {year}", "{year} 年的" + zh("annual_evaluation")),
    "audit.what_head": ("the head {label} (size {size})", "树头 {label} (规模 {size})"),
    "audit.outbox_unproved": ("the outbox says {job} reached receiver {receiver}, but the log holds no receipt of it "
                              "(a LetterDelivered): the table was changed around Sankao",
                              "发件箱称 {job} 已送达接收人 {receiver}, 但日志中没有其回执 (LetterDelivered): 该表在三考之外被改动"),
    "audit.outbox_no_receiver": ("the outbox says {job} was delivered, but no receiver accepted it",
                                 "发件箱称 {job} 已送达, 但没有接收人接收它"),
    "audit.what_delivery": ("the delivery of {job} by {channel} to the {role}",
                            "{job} 经 {channel} 送达 {role} 的回执"),
    "audit.what_unknown": ("a consequence this Sankao does not know how to compare ({kind})",
                           "本版不知道如何比较的结果 ({kind})"),
    "audit.disagreement": ("{kind} {what} (position {position})", "{kind} {what} (第 {position} 条)"),
    "read.row_elsewhere": ("the read model's figures for {period} point at position {position}, which holds no "
                           "figures of {period}: the read model was altered (run `sankao audit verify`, then "
                           "`sankao rebuild`)",
                           "读模型中 {period} 的得分指向第 {position} 条, 而该条不是 {period} 的得分: 读模型被改动了 (请运行 "
                           "`sankao audit verify`, 再运行 `sankao rebuild`)"),
    # verified reads (core.audit.verified)
    "verified.sizes": ("the log holds {log} events but its Merkle tree {tree}: events were written around Sankao "
                       "(run `sankao audit verify`)",
                       "日志有 {log} 条事件, 默克尔树却有 {tree} 条: 有人绕过 Sankao 写入了事件 (请运行 `sankao audit verify`)"),
    "verified.tree_lacks": ("{error}: the Merkle tree was altered in the store", "{error}: 数据库中的默克尔树被改动了"),
    "verified.fewer": ("the log has {size} events, fewer than the {old_size} of the head trusted: events were removed",
                       "日志只有 {size} 条事件, 少于所信任树头的 {old_size} 条: 有事件被删除了"),
    "verified.not_extended": ("today's log does not extend the head trusted (size {old_size}, root {root}): the record "
                              "before position {next} was rewritten",
                              "今天的日志不是所信任树头 (规模 {old_size}, 根哈希 {root}) 的延续: 第 {next} 条之前的记录被改写了"),
    "verified.other_root": ("the log's root at size {size} is not the root trusted ({root}): the record was rewritten",
                            "日志在规模 {size} 时的根哈希不是所信任的根哈希 ({root}): 记录被改写了"),
    "verified.beyond": ("position {position} is beyond the verified head ({size})",
                        "第 {position} 条超出了已核验的树头 ({size})"),
    "verified.deleted": ("no event at position {position}, which the answer is made of: it was deleted",
                         "答案所依据的第 {position} 条事件不存在: 它被删除了"),
    "verified.altered": ("the event at position {position} is not the one the verified log holds there: it was "
                         "altered in the store",
                         "第 {position} 条事件不是已核验的日志在该位置存有的事件: 它在数据库中被改动了"),
    "verified.no_root": ("the events read do not lead to the verified root: the Merkle tree was altered in the store",
                         "读到的事件得不出已核验的根哈希: 数据库中的默克尔树被改动了"),
    "verified.points_elsewhere": ("the read model's figures of {unit} for {period} point at position {position}, which "
                                  "the verified log holds as another event: a read-model row was altered",
                                  "读模型中 {unit} {period} 的得分指向第 {position} 条, 而已核验的日志在该位置存有另一条事件: "
                                  "读模型的行被改动了"),
    "verified.left_out": ("the verified log holds figures of {unit} for {period} at position {position} that the read "
                          "model leaves out: a read-model row was altered or removed",
                          "已核验的日志在第 {position} 条存有 {unit} {period} 的得分, 读模型却没有: 读模型的行被改动或删除了"),
    "verified.no_frozen": ("the answer says {period} is frozen but no frozen board is in the log",
                           "答案称 {period} 已冻结, 日志中却没有冻结的清单"),
    "verified.restated": ("a restated answer is recomputed from every fact, not read from recorded events: verify the "
                          "facts with `sankao audit verify`",
                          "重算的答案由全部事实重新计算, 不读取录入的结果: 请用 `sankao audit verify` 核验这些事实"),
    "verified.added": ("{unit} is on the board of {period} but the verified log has no figures of it there: a "
                       "read-model row was added",
                       "{unit} 在 {period} 的清单上, 已核验的日志中却没有它的得分: 读模型中被加了一行"),
    "verified.removed": ("{unit} is missing from the board of {period} though the verified log has its figures: a "
                         "read-model row was removed",
                         "{unit} 不在 {period} 的清单上, 已核验的日志中却有它的得分: 读模型中被删了一行"),
    "verified.figure": ("{unit}'s {name} on the board of {period} is {shown} but the verified log says {held}: the "
                        "answer came from an altered row",
                        "{period} 清单上 {unit} 的 {name} 为 {shown}, 已核验的日志却是 {held}: 答案来自被改动的行"),
    "verified.no_figures": ("the verified log has no figures of {unit} for {period}",
                            "已核验的日志中没有 {unit} {period} 的得分"),
    "verified.notice_added": ("notice {index} of the answer ({unit}, {case}) is not in the verified log: a read-model "
                              "row was added",
                              "答案中的第 {index} 份函单 ({unit}, {case}) 不在已核验的日志中: 读模型中被加了一行"),
    "verified.notice_altered": ("notice {index} of the answer is not the one the verified log holds at position "
                                "{position} ({unit}, {case}): a read-model row was altered or removed",
                                "答案中的第 {index} 份函单不是已核验的日志在第 {position} 条存有的函单 ({unit}, {case}): "
                                "读模型的行被改动或删除了"),
    "verified.done": ("verified: {events} event(s) proved in the log of size {size}, root {root} (trusted from {how})",
                      "已核验: {events} 条事件在规模为 {size} 的日志中得到证明, 根哈希 {root} (信任来源: {how})"),
    "verified.first_use": ("first use: no head trusted before", "首次使用: 此前未信任任何树头"),
    "verified.given": ("the head given ({size})", "给定的树头 ({size})"),
    "verified.kept": ("the head kept from the last verified read ({size})", "上次核验读取时保存的树头 ({size})"),
    "verified.stream_gap": ("the stream of {stream} misses version {version}: an event was deleted",
                            "{stream} 的事件流缺少第 {version} 版: 有事件被删除了"),
    "verified.project_added": ("{project} is in the answer but the verified log never planned it: a read-model row "
                               "was added", "{project} 在答案中, 已核验的日志却从未谋划过它: 读模型中被加了一行"),
    "verified.project_altered": ("project {index} of the answer is not {project} as the verified log holds it: its "
                                 "{field} differs from what position {position} wrote: a read-model row was altered "
                                 "or removed", "答案中的第 {index} 个项目不是已核验的日志所存的 {project}: 其 {field} 与第 "
                                 "{position} 条写入的不同: 读模型的行被改动或删除了"),
    "verified.annual_altered": ("the annual standing of {year} is not the one the verified log froze at position "
                                "{position}", "{year} 年的年度考评结果不是已核验的日志在第 {position} 条冻结的结果"),
    "verified.heads_file": ("the trusted heads file {path} cannot be used: {problem} (it is the reader's own record "
                            "of the heads it verified: restore it, or move it away to trust a store's head afresh)",
                            "信任树头文件 {path} 无法使用: {problem} (这是读者自己记录的已核验树头: 请恢复它, "
                            "或将其移走以重新信任数据库的树头)"),
    "verified.heads_shape": ("it does not hold heads (a JSON object: store -> size and root, 64 hex digits)",
                             "其中不是树头 (应为 JSON 对象: 数据库 -> 规模和根哈希, 64 位十六进制)"),
    "verified.bad_trust": ("{value!r} is not a head written SIZE:ROOT (a size and 64 hex digits)",
                           "{value!r} 不是 规模:根哈希 形式的树头 (一个规模和 64 位十六进制)"),
    "verified.empty_root": ("a head of size 0 is the empty log, whose root is {root}", "规模为 0 的树头是空日志, 其根哈希为 {root}"),
    "verified.open_said_closed": ("the answer says {year} is closed but the verified log holds no close of it by then: "
                                  "a read-model row was added", "答案称 {year} 年已关账, 已核验的日志中此时却没有其年末关账: "
                                  "读模型中被加了一行"),
    "verified.closed_said_open": ("the answer says {year} is not closed but the verified log closed it at position "
                                  "{position}: a read-model row was altered or removed",
                                  "答案称 {year} 年未关账, 已核验的日志却在第 {position} 条关账: 读模型的行被改动或删除了"),
    "verified.person_year": ("the answer is for {said} but the latest year with a month closed in the verified log is "
                             "{held}: a read-model row was altered or removed",
                             "答案针对 {said} 年, 已核验的日志中最近有月末关账的年度却是 {held} 年: 读模型的行被改动或删除了"),
    "verified.supervision_field": ("the supervision answer says {field} {said}; the verified log gives {held}",
                                   "督查答复的 {field} 为 {said}; 经核验的日志为 {held}"),
    "verified.supervision_line": ("the supervision answer's line of {what} differs from the verified log (answer / "
                                  "log): {differs}", "督查答复中 {what} 一行与经核验的日志不符 (答复 / 日志): {differs}"),
    "verified.supervision_order": ("the supervision answer lists its {part} in another order than the verified log",
                                   "督查答复中 {part} 的次序与经核验的日志不同"),
}
