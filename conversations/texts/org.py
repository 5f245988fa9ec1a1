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
