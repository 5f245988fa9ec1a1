"""Interface wording of reminders by e-mail (the ``mail`` flow, the mails themselves and the
confirm/unsubscribe pages); read as ``texts.NAME``."""

# ---- the flow (/email) ------------------------------------------------------------------------
CMD_EMAIL = "用电子邮件接收提醒和通知"
BTN_MAIL = "用邮件接收提醒"
BTN_MAIL_STOP = "停止发到 {address}"
BTN_MAIL_OTHER = "换一个邮箱"
MAIL_RESUME = "继续：填写接收提醒的邮箱"
MAIL_ASK = (
    "请输入接收提醒的电子邮箱地址（例如 zhang@company.cn）。\n"
    "我会先发一封确认邮件：点击其中的链接确认后，才会把{year}年的截止日期提醒和组织单位的通知"
    "发到这个邮箱。"
)
MAIL_ASK_LOG = (
    "\n（本机没有设置邮件服务器：邮件不会真正发出，只写入服务器日志，可用 biaogan outbox 查看。）"
)
MAIL_CURRENT = "已在用的邮箱：{lines}"
MAIL_CURRENT_LINE = "\n• {address}（{state}）"
MAIL_STATE_ON = "接收{years}年的提醒"
MAIL_STATE_UNCONFIRMED = "尚未确认"
MAIL_STATE_OFF = "已停止"
MAIL_BAD_ADDRESS = (
    "“{text}”不是有效的电子邮箱地址（{why}）。请重新输入，例如 zhang@company.cn；不需要邮件提醒，"
    "点“返回菜单”即可。"
)
MAIL_WHY_FORMAT = "格式不对"
MAIL_WHY_TOO_LONG = "太长了"
MAIL_QUEUED = (
    "好的。确认邮件已发往 {address}，请在24小时内点击邮件中的链接。"
    "确认之前，不会给这个地址发送任何提醒或通知。没收到的话，请看看垃圾邮件箱。"
)
MAIL_QUEUED_LOG = "（本机没有设置邮件服务器：这封确认邮件只写入了服务器日志。）"
MAIL_ALREADY = "{address} 已经在接收{year}年的提醒了，无需再次订阅。"
MAIL_PENDING = (
    "确认邮件刚刚已发往 {address}，请先查收（也看看垃圾邮件箱）。"
    "10分钟后仍未收到，可以再输入一次地址。"
)
MAIL_NOT_SET_UP = (
    "本站还没有设置邮件发送，暂时不能用电子邮件接收提醒。"
    "您可以在这里订阅提醒：提醒会出现在本页（网页）或本对话中。"
)
MAIL_STOPPED = "已停止向 {address} 发送提醒和通知。需要时可以重新订阅。"
MAIL_NOTHING_TO_STOP = "{address} 现在没有在接收提醒，无需停止。"

# ---- the mails ---------------------------------------------------------------------------------
MAIL_SUBJECT_CONFIRM = "请确认：用此邮箱接收“质量标杆”提醒"
MAIL_CONFIRM_BODY = (
    "您好！\n\n有人（希望是您）在江苏省“质量标杆”申报助手中请求把{year}年的截止日期提醒和组织单位"
    "的通知发到这个邮箱。\n\n确认请打开下面的链接（24小时内有效，只能用一次）：\n{link}\n\n"
    "如果不是您本人的操作，请忽略这封邮件：不确认就不会再收到任何邮件。"
)
MAIL_SUBJECT_REMINDER = "提醒：{label} {day}（{left}）"
MAIL_SUBJECT_NOTICE = "{year}年“质量标杆”日程已设定"
MAIL_SUBJECT_MOVED = "日期调整：{label}改为 {day}"
MAIL_SUBJECT_BROADCAST = "{sender}的通知"
MAIL_SUBJECT_DEFAULT = "江苏省“质量标杆”申报助手"
MAIL_FOOTER = (
    "——\n这封邮件来自江苏省“质量标杆”申报助手，因为您用这个邮箱订阅了提醒。\n"
    "在网页上继续：{site}\n"
    "调整提醒时间或退订（无需登录）：{manage}"
)
MAIL_ICS_NOTE = "附件是{year}年的日程文件（.ics），可导入手机或电脑日历。"

# ---- the pages (/mail/…) ---------------------------------------------------------------------
PAGE_TITLE = "邮件提醒 · 江苏省“质量标杆”申报助手"
PAGE_CONFIRM_HEADING = "确认接收提醒的邮箱"
PAGE_CONFIRM_LEAD = "确认后，{year}年的截止日期提醒和组织单位的通知会发到 {address}。"
PAGE_CONFIRM_BUTTON = "确认，用这个邮箱接收"
PAGE_CONFIRMED_HEADING = "邮箱已确认"
PAGE_CONFIRMED_LEAD = "{address} 会在{year}年每个节点前 {offsets} 天上午9点（北京时间）收到提醒。"
PAGE_USED = "这个确认链接已经用过了，{address} 已确认，无需再次确认。"
PAGE_EXPIRED = "这个确认链接已过期（24小时内有效）。请回到助手中重新输入邮箱地址，我会再发一封。"
PAGE_UNKNOWN = "这个链接无效：可能不完整（请从邮件中完整复制），或者已经被删除。"
PAGE_OFFSETS_HEADING = "什么时候提醒您"
PAGE_OFFSETS_LEGEND = "{year}年：每个节点前几天提醒"
PAGE_OFFSETS_BUTTON = "保存提醒时间"
PAGE_OFFSETS_SAVED = "已保存：{year}年每个节点前 {offsets} 天上午9点提醒。"
PAGE_OFFSETS_BAD = "请选择一个提醒时间。"
PAGE_MANAGE_HEADING = "邮件提醒设置"
PAGE_MANAGE_LEAD = "邮箱：{address}"
PAGE_MANAGE_NONE = "这个邮箱现在没有在接收提醒。需要时，请在助手中重新订阅。"
PAGE_UNSUBSCRIBE_HEADING = "退订"
PAGE_UNSUBSCRIBE_LEAD = "退订后，不再向 {address} 发送任何提醒和通知。"
PAGE_UNSUBSCRIBE_BUTTON = "退订，不再接收邮件"
PAGE_UNSUBSCRIBED = "已退订：不会再向 {address} 发送提醒和通知。需要时可以在助手中重新订阅。"
PAGE_BACK_TO_CHAT = "回到申报助手"
