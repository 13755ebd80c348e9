"""Messages of the delivery of letters (``core.outbox``, docs/delivery.md) (``core.messages.CATALOG``: key ->
(English, Chinese))."""

from __future__ import annotations

CATALOG: dict[str, tuple[str, str]] = {
    "outbox.bad_email": ("{field}: {value!r} is not an e-mail address (name@example.org)",
                         "{field}: {value!r} 不是电子邮件地址 (如 name@example.org)"),
    "outbox.bad_url": ("{field}: {value!r} is not a web address (http:// or https:// and a host)",
                       "{field}: {value!r} 不是网址 (须以 http:// 或 https:// 开头并带主机名)"),
    "outbox.bad_kinds": ("{field}: {value} is not a kind of message; the kinds are {known}",
                         "{field}: {value} 不是消息类别; 可选 {known}"),
    "outbox.bad_role": ("{field}: {value!r} is not a role; the roles are {known}",
                        "{field}: {value!r} 不是角色; 可选 {known}"),
    "outbox.bad_lang": ("{field}: {value!r} is not a language; the languages are {known}",
                        "{field}: {value!r} 不是语言; 可选 {known}"),
    "outbox.bad_channel": ("{field}: {value!r} is not a channel name (lower-case letters, digits, _ and -)",
                           "{field}: {value!r} 不是渠道名 (小写字母、数字、_ 与 -)"),
    "outbox.bad_to": ("{field}: {value!r} is not CHANNEL=ADDRESS", "{field}: {value!r} 不是 渠道=地址 的形式"),
    "outbox.no_targets": ("give at least one of --email, --webhook or --to (to stop deliveries to a role, use "
                          "`sankao contacts delete`)",
                          "须至少给出 --email、--webhook 或 --to 之一 (停止向某角色送达请用 `sankao contacts delete`)"),
    "outbox.unknown_unit": ("unit {unit!r} is not registered", "单位 {unit!r} 未登记"),
    "outbox.no_contact": ("no contact of {unit} receives {kind} (set one with `sankao contacts set {unit} --email …`)",
                          "{unit} 没有接收 {kind} 的联系人 (用 `sankao contacts set {unit} --email …` 设置)"),
    "outbox.not_subscribed": ("no contact of {unit} receives {kind}: not sent", "{unit} 没有联系人接收 {kind}: 不发送"),
    "outbox.no_channel": ("no channel plugin named {channel!r} is installed (installed: {known})",
                          "未安装名为 {channel!r} 的渠道插件 (已安装: {known})"),
    "outbox.channel_failed": ("the {channel} channel failed: {error}", "{channel} 渠道出错: {error}"),
    "outbox.no_receipt": ("the {channel} channel answered no receipt", "{channel} 渠道未返回回执"),
    "outbox.channel_broken": ("the channel plugin {name!r} cannot be loaded: {error}",
                              "渠道插件 {name!r} 无法加载: {error}"),
    "outbox.channel_name": ("the channel plugin {plugin} has no name of its own (name {name!r}: missing or taken)",
                            "渠道插件 {plugin} 没有唯一的名称 (name {name!r}: 缺少或重复)"),
    "outbox.smtp_setting": ("{setting}: {value!r} is not smtp://HOST:PORT or smtps://HOST:PORT",
                            "{setting}: {value!r} 不是 smtp://主机:端口 或 smtps://主机:端口"),
    "outbox.seconds_setting": ("{setting}: {value!r} is not a number of seconds (more than 0, less than a day)",
                               "{setting}: {value!r} 不是秒数 (须大于 0 且小于一天)"),
    "outbox.choice_setting": ("{setting}: {value!r} is not one of {known}", "{setting}: {value!r} 不是 {known} 之一"),
    "outbox.file_setting": ("{setting}: {value!r} cannot be read: {error}", "{setting}: 无法读取 {value!r}: {error}"),
    "outbox.non_ascii_email": ("{field}: {value!r} has characters other than ASCII: such an address needs SMTPUTF8, "
                               "which Sankao does not send; give its ASCII form", "{field}: {value!r} 含有非 ASCII 字符: "
                               "这样的地址需要 SMTPUTF8, 三考不发送; 请给出其 ASCII 形式"),
    "outbox.not_yet": ("this store is from before delivery: it has no contacts nor delivery jobs yet (it is brought "
                       "up to date the next time it is opened for writing, e.g. by `sankao contacts set`)",
                       "此存储早于送达功能: 尚无联系人和送达任务 (下次以写方式打开时升级, 如 `sankao contacts set`)"),
    "outbox.no_smtp": ("SANKAO_SMTP is not set: e-mail cannot be sent (SANKAO_SMTP=smtp://HOST:PORT)",
                       "未设置 SANKAO_SMTP: 无法发送电子邮件 (SANKAO_SMTP=smtp://主机:端口)"),
    "outbox.no_job": ("no delivery job {key!r}", "没有送达任务 {key!r}"),
    "outbox.read_only": ("the store cannot be written here: deliveries are recorded, so `sankao deliver` needs a "
                         "store it can write", "此处无法写入存储: 送达须记录回执, `sankao deliver` 需要可写的存储"),
}
