"""Interface wording of the organizers' console (组织单位工作台, ``/org/``) and its mails; read
as ``texts.NAME``."""

ORG_TITLE = "“质量标杆”组织单位工作台"
ORG_NAV = (
    ("overview", "概览"),
    ("enterprises", "企业"),
    ("broadcasts", "群发通知"),
    ("unanswered", "未回答的问题"),
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
