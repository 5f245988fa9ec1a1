"""Interface wording of the organizers' console (组织单位工作台, ``/org/``) and its mails; read
as ``texts.NAME``."""

ORG_TITLE = "“质量标杆”组织单位工作台"
ORG_NAV = (
    ("overview", "概览"),
    ("enterprises", "企业"),
    ("unanswered", "未回答的问题"),
    ("broadcasts", "群发通知"),
    ("calendar", "日程"),
    ("documents", "文件"),
    ("contacts", "联系方式"),
    ("audit", "操作记录"),
)
ORG_NAV_ADMIN = (("organizers", "组织单位"),)
ORG_SIGNED_IN_AS = "{name} · {scope}"
ORG_SIGN_OUT = "退出登录"

# ---- signing in ------------------------------------------------------------------------------
ORG_SIGNIN_HEADING = "登录工作台"
ORG_SIGNIN_LEAD = "输入组织单位账号的电子邮箱，我们会发一个登录链接（15分钟内有效，只能用一次）。"
ORG_SIGNIN_LABEL = "电子邮箱"
ORG_SIGNIN_BUTTON = "发送登录链接"
ORG_SIGNIN_SENT_HEADING = "请查收邮件"
ORG_SIGNIN_SENT = (
    "如果 {address} 是组织单位的账号，登录链接已经发出，15分钟内有效。"
    "没收到的话，请看看垃圾邮件箱，或几分钟后再试。"
)
ORG_SIGNIN_BAD_ADDRESS = "请输入有效的电子邮箱地址，例如 zhang@wuxi.gov.cn。"
ORG_SIGNIN_TOO_MANY = "登录请求太频繁了，请15分钟后再试。"
ORG_LINK_HEADING = "登录工作台"
ORG_LINK_LEAD = "点击下面的按钮完成登录。"
ORG_LINK_BUTTON = "登录"
ORG_LINK_FAILED = {
    "unknown": "这个登录链接无效：可能不完整，请从邮件中完整复制。",
    "used": "这个登录链接已经用过了。请重新获取登录链接。",
    "expired": "这个登录链接已过期（15分钟内有效）。请重新获取登录链接。",
    "no_role": "这个账号已不是组织单位，不能登录。如有疑问请联系管理员。",
}
ORG_SIGNIN_AGAIN = "重新获取登录链接"
ORG_SIGNED_OUT = "已退出登录。"
ORG_SESSION_GONE = "请先登录（登录已过期，或账号权限已变更）。"
ORG_FORM_EXPIRED = "页面已过期，请重新提交（为了安全，每个表单只在本次登录中有效）。"
ORG_FORBIDDEN = "您的范围（{scope}）不包括这项内容。"
ORG_NOT_FOUND = "没有找到这个页面。"
ORG_BAD_REQUEST = "请求内容有误：{detail}"

# ---- mails -----------------------------------------------------------------------------------
ORG_MAIL_SUBJECT_SIGNIN = "登录“质量标杆”组织单位工作台"
ORG_MAIL_SIGNIN = (
    "您好，{name}：\n\n请在15分钟内打开下面的链接登录“质量标杆”组织单位工作台（只能用一次）：\n"
    "{link}\n\n如果不是您本人要求登录，请忽略这封邮件，您的账号不受影响。"
)
ORG_MAIL_SUBJECT_INVITE = "邀请您使用“质量标杆”组织单位工作台（{scope}）"
ORG_MAIL_INVITE = (
    "您好，{name}：\n\n您已被设为{scope}的“质量标杆”活动组织单位。在工作台可以查看范围内企业的"
    "自测和订阅情况、向企业群发通知、查看企业提出而助手未能回答的问题。\n\n"
    "请在72小时内打开下面的链接登录（只能用一次；之后可随时在 {site}/org/ 用这个邮箱获取新的"
    "登录链接）：\n{link}"
)

# ---- 企业 (/org/enterprises) and its CSV ---------------------------------------------------
ORG_ENTERPRISES_HEADING = "企业"
ORG_ENTERPRISES_LEAD = (
    "{scope}填写了企业资料的企业：资料、最近一次自测、选定领域、订阅方式和最近使用时间。"
    "邮箱地址和 Telegram 账号不在这里显示，也不导出。"
)
ORG_FILTER_NAME = "企业名称包含"
ORG_FILTER_CITY = "城市"
ORG_FILTER_VERDICT = "最近自测结果"
ORG_FILTER_SUBSCRIBED = "订阅提醒"
ORG_FILTER_SORT = "排序"
ORG_FILTER_ALL = "全部"
ORG_FILTER_VERDICTS = (
    ("eligible", "符合"),
    ("unsure", "待确认"),
    ("not_eligible", "暂不符合"),
    ("none", "未自测"),
)
ORG_FILTER_SUBSCRIBED_CHOICES = (("yes", "已订阅"), ("no", "未订阅"))
ORG_SORTS = (("last_seen", "最近使用在前"), ("name", "按企业名称"), ("verdict", "按自测结果"))
ORG_FILTER_BUTTON = "筛选"
ORG_FILTER_CLEAR = "清除筛选"
ORG_ENTERPRISES_COUNT = "共 {total} 家企业，第 {page} / {pages} 页（每页 {size} 家）。"
ORG_ENTERPRISES_CSV = "下载这 {total} 家企业（CSV，可用 Excel 打开）"
ORG_ENTERPRISES_NONE = "{scope}还没有填写了企业资料的企业。"
ORG_ENTERPRISES_NONE_FILTERED = "没有符合这些筛选条件的企业。"
ORG_ENTERPRISES_COLUMNS = (
    "企业名称",
    "城市",
    "行业协会",
    "联系人",
    "联系方式",
    "最近自测",
    "不满足 / 不确定的条件",
    "选定领域",
    "订阅方式",
    "最近使用",
)
ORG_NOT_CHECKED = "未自测"
ORG_NOT_SUBSCRIBED = "未订阅"
ORG_FAILED = "不满足："
ORG_UNSURE = "不确定："
ORG_PAGE_PREVIOUS = "上一页"
ORG_PAGE_NEXT = "下一页"
ORG_BAD_FILTER = "筛选条件有误，请用页面上的选项重新筛选。"
ORG_CITY_FORBIDDEN = "您的范围（{scope}）不包括{city}市的企业，没有读取任何内容。"

# ---- 未回答的问题 (/org/unanswered) --------------------------------------------------------------
ORG_UNANSWERED_HEADING = "未回答的问题"
ORG_UNANSWERED_LEAD = (
    "{scope}的企业最近问到、而助手没能回答的问题（共 {n} 次），相近的问法已合并，按次数排序。"
    "可据此补充常见问题的答案。"
)
ORG_UNANSWERED_NONE = "{scope}还没有未能回答的问题。"
ORG_UNANSWERED_COLUMNS = ("问题", "次数", "相近问法")
ORG_UNANSWERED_MORE = "另有 {n} 组只问过较少次数的问题未列出。"

# ---- 概览: the additions ---------------------------------------------------------------------
ORG_BY_LABEL = "表格和图"
ORG_BY_CHOICES = (("city", "分城市"), ("month", "分月份"))
ORG_BAD_VIEW = "表格只能分城市或分月份"
ORG_CONDITIONS_HEADING = "最常不满足的基本条件"
ORG_CONDITIONS_NOTE = "按各企业最近一次自测计算；回答“不确定”的单独计数，不算作不满足。"
ORG_CONDITIONS_COLUMNS = ("条件", "不满足", "不确定")
ORG_CHANNELS_HEADING = "订阅提醒的方式"
ORG_CHANNELS_NOTE = "一家企业可以同时用几种方式订阅，所以各方式相加可能多于订阅企业数。"
ORG_CHANNELS_COLUMNS = ("方式", "企业数")
# ---- 群发通知 (bot/org/broadcasts.py) ---------------------------------------------------------
ORG_BC_HEADING = "群发通知"
ORG_BC_LEAD = "向范围内订阅了通知的企业发送通知：先写内容，再预览（可先发给自己看看），确认后发送。"
ORG_BC_NEW = "写新通知"
ORG_BC_EMPTY = "还没有群发记录。"
ORG_BC_COMPOSE_HEADING = "写通知"
ORG_BC_SEGMENT_LABEL = "发给"
ORG_BC_SEGMENT_FIXED = "发给：{segment}订阅了通知的企业"
ORG_BC_TEXT_LABEL = "通知内容"
ORG_BC_TEXT_HINT = (
    "只写纯文本。收件人看到的开头会加上“【“质量标杆”活动通知 · {sender}】”。"
    "可以用占位符 {{企业名称}}：发送时换成每家企业资料里的名称，没有填写名称的企业显示为“贵企业”。"
    "整条消息不能超过 {limit:,} 字（Telegram 单条消息的上限）。"
)
ORG_BC_TEST_LABEL = "测试模式：只记录，不发送"
ORG_BC_TEST_HINT = (
    "用于培训和演示：群发和每位收件人的记录都会保存并标为“测试”，但不会发给任何企业。"
)
ORG_BC_PREVIEW_BUTTON = "预览"
ORG_BC_NEUTRAL = {"enterprise_name": "贵企业"}  # a placeholder's word for a recipient without one
ORG_BC_EMPTY_TEXT = "请输入通知内容。"
ORG_BC_UNKNOWN_PLACEHOLDERS = (
    "不认识的占位符：{names}。可用的占位符只有 {{企业名称}}；如需原样显示大括号，请改用【】或（）。"
)
ORG_BC_TOO_LONG = (
    "通知加上抬头共 {length:,} 字{note}，超过了 Telegram 单条消息 {limit:,} 字的上限，"
    "请删减至少 {over:,} 字。"
)
ORG_BC_TOO_LONG_NOTE = "（占位符按最长的企业名称 {longest} 字计）"
ORG_BC_PREVIEW_HEADING = "检查后发送"
ORG_BC_TEST_BANNER = "测试模式：只记录，不发送。确认后不会发给任何企业。"
ORG_BC_TEST_TAG = "测试"
ORG_BC_REACH_LEAD = "将发给{segment} {enterprises:,} 家企业，共 {total:,} 份："
ORG_BC_REACH_NONE = "{segment}现在没有订阅通知的企业，不能发送。"
ORG_BC_SAMPLE = "下面按示例收件人“{name}”显示，占位符已换成这家企业的名称。"
ORG_BC_SAMPLE_NEUTRAL = "下面的示例收件人没有填写企业名称，占位符显示为“{word}”。"
ORG_BC_AS_TELEGRAM = "Telegram（机器人发出的消息）"
ORG_BC_AS_TELEGRAM_PARTS = "较长，会分 {parts} 条发出。"
ORG_BC_AS_WEB = "网页（在企业的聊天页面上：开着时随即显示，否则下次打开时标为新消息）"
ORG_BC_AS_MAIL = "电子邮件"
ORG_BC_MAIL_SUBJECT = "主题"
ORG_BC_MAIL_TEXT = "纯文本"
ORG_BC_MAIL_HTML = "HTML 版本（在隔离的框架中显示，不运行任何脚本）"
ORG_BC_MAIL_NOTE = "邮件末尾的“调整提醒时间或退订”链接每位收件人各不相同。"
ORG_BC_MAIL_LOG = "本机没有设置邮件服务器：电子邮件只写入服务器日志，不会真正发出。"
ORG_BC_CHANNEL_COUNT = "（{count:,} 份）"
ORG_BC_NO_RECIPIENTS = "（这次没有收件人）"
ORG_BC_SEND = "发送给 {enterprises:,} 家企业（共 {total:,} 份）"
ORG_BC_SEND_TEST = "记录测试群发（{enterprises:,} 家企业，共 {total:,} 份，不发送）"
ORG_BC_TEST_SELF = "发送测试给我自己"
ORG_BC_BACK = "返回修改"
ORG_BC_SELF_SENT = "测试消息已发到：{places}。"
ORG_BC_SELF_FAILED = "未能发到：{places}。"
ORG_BC_SELF_NOWHERE = "您的账号没有可用的电子邮箱或聊天账号，测试消息没有发出。"
ORG_BC_SELF_NO_SENDER = "发送服务没有运行，测试消息没有发出。"
ORG_BC_SELF_LOGGED = "（本机没有设置邮件服务器：测试邮件只写入了服务器日志。）"
ORG_BC_REACH_CHANGED = "刚才有企业订阅或退订，份数有变化，还没有发送。请看新的份数再确认。"
ORG_BC_NOTHING_TO_SEND = "{segment}现在没有订阅通知的企业，没有发送任何消息。"
ORG_BC_QUEUED = "已确认，正在发送给 {enterprises:,} 家企业（共 {total:,} 份）。"
ORG_BC_RECORDED = "已记录测试群发（{total:,} 份）：没有发给任何企业。"
ORG_BC_ALREADY = "这份通知已经提交过（群发 #{id}），没有再次发送。"
ORG_BC_STATUS_HEADING = "群发 #{id}"
ORG_BC_REFRESH = "刷新"
ORG_BC_CSV = "下载收件人状态（CSV）"
ORG_BC_PERSONAL_NOTE = "发送时，{企业名称} 换成了每家企业资料里的名称（没有填写的显示为“贵企业”）。"
ORG_BC_ROWS_CUT = "这里只列出前 {shown:,} 位收件人，完整名单请下载 CSV。"
ORG_BC_STATES = {
    "queued": "排队等待发送",
    "sending": "发送中",
    "stalled": "已中断（发送服务恢复后会继续）",
    "done": "已完成",
    "test": "测试：只记录，未发送",
}
ORG_BC_STATUS = {
    "pending": "待发送",
    "sending": "发送中",
    "sent": "已送达",
    "blocked": "无法送达",
    "failed": "发送失败",
    "test": "测试：未发送",
}
ORG_BC_REASONS = {"inactive": "地址此前已失效"}
ORG_BC_UNNAMED = "（未填企业名称）"
ORG_BC_WEB_VISITOR = "网页访客 …{tail}"
ORG_BC_TELEGRAM_USER = "Telegram 用户 …{tail}"
ORG_BC_CSV_HEADER = ("企业名称", "渠道", "地址（部分隐藏）", "状态", "原因", "时间")
ORG_BC_NOT_FOUND = "没有找到这次群发，或它不在您的范围（{scope}）内。"
# ---- 组织单位 (admins only: bot/org/people.py) -----------------------------------------------
ORG_PEOPLE_HEADING = "组织单位"
ORG_PEOPLE_ADMINS_ONLY = "组织单位页面只有管理员可以使用。如需邀请或调整组织单位，请联系管理员。"
ORG_PEOPLE_LEAD = (
    "组织单位和管理员用电子邮箱登录工作台。改范围、撤销都立即生效，"
    "包括对方已经打开的工作台页面；每项操作都记入操作记录。"
)
ORG_PEOPLE_INVITE_LINK = "邀请组织单位或管理员"
ORG_PEOPLE_EMPTY = "还没有组织单位。"
ORG_PEOPLE_COLUMNS = ("姓名", "电子邮箱", "范围", "Telegram", "授权", "最近登录", "更改范围或撤销")
ORG_PEOPLE_GRANTED_BY = "由 {who} 授权"
ORG_PEOPLE_ADMIN = "管理员（全省）"
ORG_PEOPLE_NEVER = "从未登录"
ORG_PEOPLE_SCOPE_LABEL = "改为"
ORG_PEOPLE_SCOPE_BUTTON = "更改范围"
ORG_PEOPLE_REVOKE_LINK = "撤销…"
ORG_PEOPLE_YOU = "（您本人）"
ORG_PEOPLE_CONFIG_ADMINS = (
    "另有 {count} 位管理员由服务器设置 BIAOGAN_ADMIN_IDS 指定（只用 Telegram），不在这里管理。"
)
ORG_PEOPLE_SCOPE_CHANGED = "{name} 的范围已改为{scope}，立即生效。"
ORG_PEOPLE_SCOPE_SAME = "{name} 的范围本来就是{scope}，没有改动。"
ORG_PEOPLE_REVOKED = "已撤销 {name} 的权限，对方的工作台登录已经失效。"

# the invitation form
ORG_PEOPLE_INVITE_HEADING = "邀请组织单位"
ORG_PEOPLE_INVITE_LEAD = (
    "对方会收到一封邀请邮件，里面的登录链接72小时内有效。如果这个邮箱已是组织单位，"
    "范围改为这次填写的，并重新发一封邀请邮件。"
)
ORG_PEOPLE_EMAIL_LABEL = "电子邮箱"
ORG_PEOPLE_NAME_LABEL = "姓名"
ORG_PEOPLE_NAME_HINT = "会显示在邀请邮件和操作记录里，例如 陈科长。"
ORG_PEOPLE_SCOPE_FIELD = "范围"
ORG_PEOPLE_SCOPE_CHOOSE = "请选择"
ORG_PEOPLE_SCOPE_PROVINCE = "全省（省经信委、省质量管理协会）"
ORG_PEOPLE_SCOPE_OTHER_ASSOC = "其他省级行业协会（填写协会名称）"
ORG_PEOPLE_ASSOC_LABEL = "协会名称"
ORG_PEOPLE_ASSOC_HINT = "范围选“其他省级行业协会”时填写全称，例如 江苏省机械行业协会。"
ORG_PEOPLE_ADMIN_LABEL = "设为管理员（全省，可以邀请和撤销组织单位）"
ORG_PEOPLE_INVITE_BUTTON = "发送邀请"
ORG_PEOPLE_BACK = "返回组织单位列表"
ORG_PEOPLE_INVITE_ANOTHER = "再邀请一位"
ORG_PEOPLE_SCOPE_OF = "{name} 的范围"
ORG_PEOPLE_FIX = "请改正下面标出的内容。"
ORG_PEOPLE_BAD_EMAIL = "请输入有效的电子邮箱地址，例如 chen@wuxi.gov.cn。"
ORG_PEOPLE_BAD_NAME = "请填写姓名（40个字以内）。"
ORG_PEOPLE_BAD_SCOPE = "请选择范围：全省、13个设区市之一，或省级行业协会。"
ORG_PEOPLE_BAD_ASSOC = "请填写协会名称（2到40个字，不含冒号）。"
ORG_PEOPLE_ALREADY_ADMIN = "这个邮箱已是管理员（全省），不必再设为组织单位。"
ORG_PEOPLE_INVITED_HEADING = "已邀请"
ORG_PEOPLE_INVITED = "邀请邮件已发给 {name} <{address}>（{role}）。"
ORG_PEOPLE_INVITED_NO_MAIL = (
    "已设为{role}：{name} <{address}>。没有设置邮件服务器，邀请邮件只写入了日志："
    "请把下面的登录链接交给本人（72小时内有效，只能用一次）。"
)
ORG_PEOPLE_ROLE_ORGANIZER = "组织单位（{scope}）"
ORG_PEOPLE_ROLE_ADMIN = "管理员"

# revoking
ORG_PEOPLE_REVOKE_HEADING = "撤销权限"
ORG_PEOPLE_REVOKE_WHAT = (
    "撤销 {name}（{address}）的{role}权限？撤销立即生效：对方已经打开的工作台会马上退出，"
    "之后也不能再登录，直到重新邀请。"
)
ORG_PEOPLE_REVOKE_BUTTON = "撤销 {name} 的权限"
ORG_PEOPLE_REVOKE_CANCEL = "不撤销，返回"
ORG_PEOPLE_REFUSED = {
    "not_organizer": "这个人现在不是组织单位（可能已经被撤销）。没有做任何改动。",
    "is_admin": "管理员的范围是全省，不能更改。没有做任何改动。",
    "self": "不能撤销您自己的权限。请让另一位管理员来做。没有做任何改动。",
    "last_admin": (
        "这是唯一一位用电子邮箱登录的管理员，撤销后就没有人能管理工作台了。"
        "请先邀请另一位管理员。没有做任何改动。"
    ),
}

# ---- 组织单位: one person on Telegram and in the console ----------------------------------------
ORG_PEOPLE_TELEGRAM_LABEL = "Telegram 用户ID（可不填）"
ORG_PEOPLE_TELEGRAM_HINT = (
    "此人如已在 Telegram 上使用助手（或已是组织单位），填写其 Telegram 用户ID："
    "两处就是同一个人、同一个角色。"
)
ORG_PEOPLE_BAD_TELEGRAM = "Telegram 用户ID 是一串数字，例如 123456789。"
ORG_PEOPLE_TELEGRAM_TAKEN = "这个邮箱已经属于另一个人，不能与这个 Telegram 账号合并。"

# ---- 文件 (/org/documents): the files published for enterprises ------------------------------
ORG_DOCS_HEADING = "文件"
ORG_DOCS_LEAD = (
    "{scope}发布给企业的文件（申报表、案例材料要求、会议通知等）。企业在助手的“文件下载”里"
    "看到所在市、所属协会和全省的文件，每个都注明发布单位和日期，不会当作通知原文。"
)
ORG_DOCS_NEW_HEADING = "发布新文件"
ORG_DOCS_TITLE_LABEL = "标题"
ORG_DOCS_TITLE_HINT = "企业看到的名称，例如“2027年质量标杆申报表”（2到60个字）。"
ORG_DOCS_KIND_LABEL = "类别"
ORG_DOCS_KIND_HINT = "申报表和案例材料要求的文件，还会出现在助手回答相关问题时的下载按钮里。"
ORG_DOCS_UNIT_LABEL = "发布单位"
ORG_DOCS_YEAR_LABEL = "年度"
ORG_DOCS_FILE_LABEL = "文件"
ORG_DOCS_FILE_HINT = (
    "PDF、Word（.docx）或 Excel（.xlsx），不超过 {limit}。按文件内容判断类型，不看扩展名。"
)
ORG_DOCS_BUTTON = "发布给企业"
ORG_DOCS_COLUMNS = ("标题", "文件", "大小", "范围", "发布", "")
ORG_DOCS_EMPTY = "还没有发布文件。"
ORG_DOCS_PUBLISHED_BY = "{unit}，{when}（{who}）"
ORG_DOCS_WITHDRAW = "撤回"
ORG_DOCS_WITHDRAW_OF = "撤回《{title}》"
ORG_DOCS_WITHDRAWN = "已撤回：{when}（{who}）"
ORG_DOCS_DONE = {
    "published": "文件已发布。企业现在可以在“文件下载”里下载。",
    "withdrawn": "文件已撤回，企业不能再下载。",
}
ORG_DOCS_BAD_TITLE = "请填写标题（2到60个字）。"
ORG_DOCS_BAD_CHOICE = "请从列表中选择。"
ORG_DOCS_NOT_YOURS = "这个文件不在您的范围（{scope}）内，不能撤回。"
ORG_DOCS_GONE = "没有这个文件，或它已经撤回了。"
ORG_DOCS_ERRORS = {
    "no_file": "请选择要发布的文件。",
    "empty": "这个文件是空的，请重新选择。",
    "too_large": "文件太大：不能超过 {limit}。请压缩图片或拆分后再上传。",
    "not_allowed": (
        "只能发布 PDF、Word（.docx）或 Excel（.xlsx）文件，这个文件的内容不是其中之一"
        "（按内容判断，不看扩展名）。旧版 .doc 或 .xls 请先另存为 .docx 或 .xlsx。"
    ),
    "not_office": "这个文件不是有效的 Word（.docx）或 Excel（.xlsx）文件。",
    "macros": "这个文件带有宏，不能发布。请另存为不含宏的 .docx 或 .xlsx 后再上传。",
    "bomb": "这个文件解压后异常大（可能是“压缩炸弹”），不能发布。",
    "damaged": "这个文件已损坏或不完整，无法打开。请重新导出后再上传。",
    "malformed": "上传没有完成，请重新选择文件再提交。",
    "duplicate": "同一个文件已经发布过：《{title}》。",
    "too_many": "本范围已发布 {n} 个文件，已达上限。请先撤回不再需要的文件。",
}
