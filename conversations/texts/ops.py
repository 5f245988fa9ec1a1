"""Wording for the people who run the service: error alerts to admins, the health check's
reasons, ``biaogan doctor``, ``backup`` and ``restore``."""

# ---- an error alert to the admins (no traceback, no user's text, no address) ------------------
OPS_ALERT = (
    "⚠️ 标杆助手出错：{where}\n{what}（{kind}）\n时间：{at}\n"
    "用户只看到了简短的出错提示；详情（含回溯）见服务器日志。"
)
OPS_ALERT_NO_EXCEPTION = "无异常对象"
OPS_ALERT_HELD = "\n此前同类错误另有 {count} 次未单独通知。"

# ---- GET /healthz: why it answers 503 -------------------------------------------------------
HEALTH_DB_READONLY = "数据库无法写入：{error}"
HEALTH_NO_DISPATCHER = "发送调度器没有运行（提醒、群发和邮件都不会发出）"
HEALTH_DISPATCHER_STOPPED = "发送调度器的工作任务已停止：{channels}"
HEALTH_SWEEP_STALE = "已有 {seconds} 秒没有检查到期的提醒（上限 {limit} 秒）"
HEALTH_SWEEP_NEVER = "启动 {seconds} 秒后仍未检查过到期的提醒"
HEALTH_TELEGRAM_DOWN = "无法连接 Telegram：{error}"

# ---- a bad setting stops the start: one line --------------------------------------------------
OPS_BAD_SETTINGS = "配置有误，未启动：{problems}（见 .env.example 与 docs/deploy.md）"
OPS_DATA_IN_USE = (
    "数据目录 {path} 正由另一个 biaogan 进程（PID {pid}）使用：同一份数据只能运行一个服务。"
    "如需停止它：systemctl stop biaogan"
)
OPS_DB_UNUSABLE = "无法打开数据库 {path}：{error}（检查数据目录的权限与磁盘空间）"

# ---- biaogan backup / restore ------------------------------------------------------------------
BACKUP_DONE = (
    "已备份到 {path}：{tables} 张表，{rows} 行，完整性检查 {integrity}，用时 {seconds:.1f} 秒。"
)
BACKUP_PRUNED = "按 --keep {keep} 删除了较早的 {count} 份备份。"
BACKUP_REFUSED = {
    "no_database": "没有可备份的数据库：{path} 不存在。",
    "not_intact": "备份未通过完整性检查（{integrity}），未保存。",
    "missing": "找不到文件 {path}。",
    "not_sqlite": "{path} 不是 SQLite 数据库文件，未恢复。",
    "not_biaogan": "{path} 不是标杆助手的数据库（没有它的迁移记录），未恢复。",
    "newer_schema": (
        "这个备份来自更新的版本（含本版本不认识的迁移：{unknown}），未恢复："
        "请先升级程序，再恢复它。"
    ),
}
RESTORE_PLAN = (
    "将用 {path} 替换 {database}（{tables} 张表，{rows} 行；其迁移 {applied}/{known}），"
    "现有数据库会先另存一份。"
)
RESTORE_ASK = "确认恢复请输入 yes："
RESTORE_NEEDS_YES = "未确认，未恢复（非交互方式请加 --yes）。"
RESTORE_DONE = "已恢复：{database}。原数据库另存为 {kept}。"
RESTORE_DONE_NEW = "已恢复：{database}（此前没有数据库）。"
RESTORE_PENDING = "启动时将补做 {count} 个迁移。"
RESTORE_RUNNING = "服务正在使用这份数据（PID {pid}），未恢复：先 systemctl stop biaogan，再恢复。"

# ---- biaogan doctor --------------------------------------------------------------------------
DOCTOR_SETTINGS = "设置（密钥已隐去）："
DOCTOR_UNSET = "（未设置）"
DOCTOR_PARTS = {
    "telegram": "Telegram：",
    "email": "电子邮件：",
    "web": "网页对话：",
    "console": "组织单位工作台：",
    "data": "数据：",
}
DOCTOR_NOTHING_MISSING = "设置齐全"
DOCTOR_TG_NO_TOKEN = (
    "未设置 BIAOGAN_TELEGRAM_TOKEN：不启用 Telegram（biaogan web 只提供网页与工作台）"
)
DOCTOR_TG_WEBHOOK_PORT = (
    "Webhook 地址的端口 {port} 不可用：Telegram 只向 443、80、88、8443 端口推送"
)
DOCTOR_TG_RANDOM_SECRET = "未设置 BIAOGAN_TELEGRAM_WEBHOOK_SECRET：每次启动随机生成一个（可用）"
DOCTOR_TG_OK = "已连接 Bot API：@{username}"
DOCTOR_TG_HOOK_ERROR = "Telegram 报告 webhook 最近一次推送失败：{error}"
DOCTOR_TG_BAD_TOKEN = "Telegram 拒绝了这个令牌（BIAOGAN_TELEGRAM_TOKEN 无效或已被撤销）"
DOCTOR_TG_UNREACHABLE = "无法连接 {url}{via}：{error}"
DOCTOR_MAIL_TO_LOG = "未设置 BIAOGAN_SMTP_HOST：邮件只写入日志，不会发出"
DOCTOR_MAIL_SENDER = "BIAOGAN_SMTP_SENDER 仍是默认的 …@localhost：请设为服务商验证过的发信地址"
DOCTOR_SMTP_OK = "SMTP 服务器 {where}可连接{login}（未发送任何邮件）"
DOCTOR_SMTP_LOGIN = "，登录成功"
DOCTOR_SMTP_FAILED = "SMTP 服务器 {where}连接失败：{error}"
DOCTOR_NO_PUBLIC_URL = "未设置 BIAOGAN_PUBLIC_URL：邮件里的链接将指向 {url}，外部无法打开"
DOCTOR_NOT_HTTPS = "BIAOGAN_PUBLIC_URL 不是 https:// 地址：Cookie 不带 Secure，登录链接以明文传输"
DOCTOR_METRICS_LOOPBACK = "未设置 BIAOGAN_METRICS_TOKEN：/metrics 只回答本机直接访问"
DOCTOR_NO_ADMIN = "还没有管理员：用 biaogan web --admin 邮箱 指定第一位，或设置 BIAOGAN_ADMIN_IDS"
DOCTOR_DATA_NOT_WRITABLE = "数据目录 {path} 不可写"
DOCTOR_DATA_NEW = "{path} 尚不存在：首次启动时创建"
DOCTOR_DATA_BAD = "数据库无法使用（{reason}）：见 biaogan restore"
DOCTOR_DATA_OK = "数据库 {path} 完好，共 {rows} 行"
DOCTOR_DATA_PENDING = "有 {count} 个迁移待做：下次启动时自动完成"
DOCTOR_FAILED = "有 {count} 项检查未通过。"
DOCTOR_ALL_OK = "检查全部通过。"
