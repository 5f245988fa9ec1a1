"""Interface wording of organizers (roles, invites, the audit log) and broadcasts (群发通知);
read as ``texts.NAME`` (``conversations.texts`` imports every name here)."""

# ---- organizers (组织单位: roles, invites, audit) ---------------------------------------------
CMD_BROADCAST = "向负责范围内的企业群发通知"
CMD_BROADCASTS = "最近的群发及送达情况"
CMD_GRANT = "授权组织单位：/grant 用户ID city 苏州"
CMD_INVITE = "生成一次性邀请链接：/invite city 苏州"
CMD_REVOKE = "撤销组织单位：/revoke 用户ID"
CMD_ORGANIZERS = "组织单位名单"
CMD_AUDIT = "最近的操作记录"
ORG_ONLY = "此命令仅限组织单位使用。"
ADMIN_ONLY = "此命令仅限管理员使用。"
ORG_SCOPE_HELP = (
    "范围写法：city 苏州（13个设区市之一）、assoc 江苏省机械行业协会（省级行业协会名称）、"
    "province（全省）。"
)
ORG_GRANT_USAGE = "用法：/grant 用户ID city 苏州｜assoc 协会名称｜province\n" + ORG_SCOPE_HELP
ORG_REVOKE_USAGE = "用法：/revoke 用户ID"
ORG_INVITE_USAGE = "用法：/invite city 苏州｜assoc 协会名称｜province\n" + ORG_SCOPE_HELP
ORG_GRANTED = "已授权用户 {user_id} 为组织单位，负责范围：{scope}。"
ORG_REVOKED = "已撤销用户 {user_id} 的组织单位权限（原负责范围：{scope}）。"
ORG_NOT_ORGANIZER = "用户 {user_id} 不是组织单位，没有可撤销的权限。"
ORG_INVITE_CREATED = (
    "一次性邀请链接（负责范围：{scope}，{hours}小时内有效，只能使用一次）：\n{link}\n"
    "请只发给要授权的人本人。"
)
ORG_INVITE_OK = (
    "欢迎！您已成为组织单位，负责范围：{scope}。"
    "可用命令：/broadcast 群发通知，/broadcasts 查看群发情况。"
)
ORG_INVITE_BAD = "这个邀请链接已失效（已被使用、已过期或不存在）。如需授权，请联系管理员重新生成。"
ORG_LIST_HEADER = "组织单位（{count}）："
ORG_LIST_LINE = "• {user_id}　{scope}　（{granted_at} 授权）"
ORG_LIST_EMPTY = "还没有组织单位。管理员可用 /grant 或 /invite 授权。"
AUDIT_HEADER = "最近的操作记录："
AUDIT_LINE = "{at}　{actor}　{action}　{scope}{detail}"
AUDIT_EMPTY = "还没有操作记录。"
AUDIT_ACTIONS = {
    "grant": "授权",
    "revoke": "撤销",
    "invite": "生成邀请",
    "invite_used": "使用邀请",
    "broadcast": "群发",
    "calendar": "修改日程",
    "export": "导出",
}

# ---- broadcast (群发通知) --------------------------------------------------------------------
CHANNEL_NAMES = {"telegram": "Telegram", "web": "网页", "email": "电子邮件", "console": "控制台"}
BROADCAST_CHOOSE = "请选择群发范围："
BROADCAST_PRIVATE_ONLY = "群发请在与我的私聊中进行（草稿和预览不应出现在群里）。"
BROADCAST_ALL = "全省"
BROADCAST_REACH = "将发给{segment} {enterprises:,} 家企业，共 {total:,} 份：{channels}。"
BROADCAST_REACH_NONE = "{segment}现在没有订阅通知的企业用户。"
BROADCAST_COMPOSE = (
    "{reach}\n请输入通知全文（发送“取消”放弃）。发送前会先给您预览，与收件人看到的完全一样："
)
BROADCAST_EMPTY_SEGMENT = "{segment}还没有订阅通知的企业用户，没有发送任何消息。"
BROADCAST_HEADER = "【“质量标杆”活动通知 · {sender}】\n"
BROADCAST_TOO_LONG = (
    "通知加上抬头共 {length} 字，超过了单条消息 {limit} 字的上限，请删减后重新输入："
)
BROADCAST_PREVIEW_RULE = "━━━━━━━━━━━━"
BROADCAST_PREVIEW_ABOVE = "以上是收件人收到的通知。"
BROADCAST_MAIL_VIEW = (
    "电子邮件（{count:,} 封）：\n主题：{subject}\n正文：以上通知全文，末尾附：\n{footer}"
)
BROADCAST_MAIL_SITE = "（本站网址）"
BROADCAST_MAIL_MANAGE = "（每位收件人自己的链接）"
BROADCAST_MAIL_LOG = "（本机没有设置邮件服务器：这些邮件只写入服务器日志，不会真正发出。）"
BROADCAST_CONFIRM = "确认发送{total:,}份给{segment}"
BROADCAST_EDIT = "重新编辑"
BROADCAST_CANCEL = "取消"
BROADCAST_CANCELLED = "已取消群发，没有发送任何消息。"
BROADCAST_REACH_CHANGED = "刚才有人订阅或退订了，份数有变化，还没有发送。请看新的份数再确认："
BROADCAST_QUEUED = (
    "已确认，开始向{segment} {enterprises:,} 家企业发送 {total:,} 份（{channels}）。"
    "稍后会显示进度。"
)
BROADCAST_STALE = "这个确认按钮已经失效，没有发送任何消息。如需群发，请发送 /broadcast 重新开始。"
BROADCAST_RESUME_LABEL = "继续编辑群发"
BROADCAST_PROGRESS = "群发 #{id}：已发送 {done:,} / {total:,}（{channels}）"
BROADCAST_REPORT = (
    "群发 #{id} 已完成：共 {total:,} 份，送达 {sent:,}，无法送达 {blocked:,}，"
    "失败 {failed:,}；用时 {duration}。"
)
BROADCAST_REPORT_CHANNEL = (
    "• {channel} {total:,} 份：送达 {sent:,}，{blocked_as} {blocked:,}，失败 {failed:,}"
)
BROADCAST_BLOCKED_AS = {  # a delivery's "blocked" (the address is gone), said per channel
    "telegram": "已屏蔽机器人",
    "web": "会话已失效",
    "email": "邮箱退信",
}
BROADCAST_BLOCKED = "无法送达"
BROADCAST_RESENDS = "（其中 {resends} 份因发送中断可能重复收到）"
BROADCASTS_HEADER = "最近的群发："
BROADCASTS_LINE = (
    "#{id} {created_at} {segment}：{state}，送达 {sent:,} / {total:,}，"
    "无法送达 {blocked:,}，失败 {failed:,}"
)
BROADCASTS_CHANNELS = "（送达：{channels}）"
BROADCASTS_EMPTY = "还没有群发记录。"
BROADCAST_STATES = {
    "queued": "排队等待发送",
    "sending": "发送中",
    "stalled": "已中断（机器人恢复运行后会继续发送）",
    "done": "已完成",
    "test": "测试（只记录，未发送）",  # recorded in the console's test mode
}
