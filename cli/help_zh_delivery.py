"""``--help`` in Chinese of delivery's commands (docs/delivery.md): ``contacts``, ``deliver``, ``deliveries``
(merged into ``cli.help_zh``'s ``HELP`` and ``OPTIONS``)."""

from __future__ import annotations

HELP: dict[str, str] = {
    "contacts": "各单位的函单、月考核结果由谁接收 (个人信息: 保存在日志之外, 从不导出)。",
    "contacts set": "设置 UNIT 某一角色的联系人 (替换该角色原有的): UNIT 的每份函、结果反馈单、月考核结果、问责决定和定期自查逾期都送达他们。",
    "contacts list": "列出联系人 (含地址: 个人信息, 仅供考核办查看)。",
    "contacts delete": "删除 UNIT 的联系人 (已记录的回执只保留角色和渠道)。",
    "deliver": "把函、结果反馈单、月考核结果、问责决定和定期自查逾期送达各单位的联系人 (电子邮件: SANKAO_SMTP; 回调网址), 并记录每份回执。",
    "deliveries": "列出送达任务: 每份函单、结果和决定的状态 (待送达、送达失败及最近的错误、已按角色送达、无法送达) 和回执。",
}

OPTIONS: dict[str, dict[str, str]] = {
    "contacts set": {
        "--role": "角色: 主要负责人或联络员。",
        "--email": "电子邮件地址 (可重复给出多个)。",
        "--webhook": "回调网址, 如企业微信或钉钉群机器人 (可重复给出多个)。",
        "--secret": "签名回调消息体的密钥 (HMAC-SHA256); 默认为 SANKAO_WEBHOOK_SECRET。",
        "--to": "另一个渠道插件的渠道上的地址。",
        "--kinds": "该角色接收的类别, 以逗号分隔 (类别名见 docs/delivery.md; 默认: 全部)。",
        "--lang": "该角色收到的内容的语言。",
        "--json": "输出 JSON。",
    },
    "contacts list": {"--unit": "只列出该单位的。", "--json": "输出 JSON。"},
    "contacts delete": {"--role": "只删除该角色的 (默认: UNIT 的全部)。"},
    "deliver": {
        "--once": "送出现在到期的, 然后停止。",
        "--poll": "没有到期任务时查看发件箱的间隔秒数。",
        "--lease": "送达进程持有正在发送的任务的秒数 (进程被杀后, 其任务在此之后重新发送)。",
        "--backoff": "第一次重试前的秒数; 每失败一次加倍 (至多一小时)。",
        "--give-up": "首次尝试后经过这么多秒仍失败的任务转入无法送达。",
    },
    "deliveries": {
        "--failed": "只列出送达失败和无法送达的。",
        "--unit": "只列出该单位的。",
        "--limit": "至多列出这么多 (最近的)。",
        "--retry": "立即重新送达 JOB (无法送达或送达失败的)。",
        "--retry-dead": "立即重新送达所有无法送达的。",
        "--json": "输出 JSON。",
    },
}
