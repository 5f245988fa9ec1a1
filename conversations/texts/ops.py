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
