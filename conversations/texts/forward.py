"""Interface wording of questions forwarded to an organizer and the answers organizers give
back (issue 19, 4): in chat, in the delivered message, and in the console's 未回答的问题;
read as ``texts.NAME``."""

# ---- in chat ---------------------------------------------------------------------------------
FWD_FLOW_DESCRIPTION = "转给组织单位：通知没有回答的问题，转给本市（或本协会）的组织单位答复"
FWD_BUTTON_CITY = "转给本市组织单位"
FWD_BUTTON_TO = "转给{where}"
FWD_ASK_CITY = (
    "请选择贵企业所在的城市，问题会转给该市的组织单位"
    "（城市会记入企业信息，可随时用 /profile 修改）："
)
FWD_DONE = (
    "已把您的问题转给{where}的组织单位：“{question}”\n"
    "组织单位答复后，答复会发到您提问的地方（订阅了邮件提醒的，也会发到邮箱），"
    "并注明是哪个单位的答复和日期。"
)
FWD_DONE_CARD = "\n急需的话，也可以直接联系：{card}"
FWD_ALREADY = "这个问题已经转给{where}的组织单位了，答复后会发给您。"
FWD_GONE = "找不到这个问题了（可能已清除记录，或按钮已过期）。请重新输入您的问题。"
FWD_PLACE_PROVINCE = "省级"

# ---- the answer, wherever it is shown (never as the notice's) --------------------------------
FWD_LABEL = "{unit}答复（{day}，组织单位答复，非通知原文）："
FWD_DELIVERED = "您之前问：“{question}”\n\n{label}\n{text}"
FWD_LOCAL_NOTE = (
    "通知（{doc}）本身没有规定这一点；以上是{unit}给本地区企业的答复，如有疑问请向该单位核实。"
)
FWD_MAIL_SUBJECT = "{unit}答复了您的问题"

# ---- the mail to organizers that questions wait ------------------------------------------------
FWD_NOTE_SUBJECT = "有 {n} 个企业转来的问题等待答复"
FWD_NOTE = (
    "有 {n} 个企业通过“质量标杆”助手把问题转给了{scope}的组织单位，等待答复。\n"
    "请登录组织单位工作台，在“未回答的问题”中查看并答复（答复会发回提问的企业）：\n{link}\n"
    "一小时内再转来的问题不另行通知。"
)

# ---- the console: 未回答的问题 (/org/unanswered) ---------------------------------------------
ORG_FWD_HEADING = "转来的问题（待答复）"
ORG_FWD_LEAD = (
    "企业点“转给本市组织单位”转来的问题，相近的问法已合并成一组。给一组写一条答复，问过的每家企业"
    "都会在提问的地方收到（Telegram、网页；订阅了邮件的还有邮件），注明是哪个单位的答复和日期，"
    "不会当作通知原文。"
)
ORG_FWD_WAITING = "有 {n} 个企业转来的问题等待您答复。"
ORG_FWD_WAITING_LINK = "去答复"
ORG_FWD_NONE = "目前没有转给{scope}、等待答复的问题。"
ORG_FWD_ASKED = "{n} 家企业问过 · 转给{scope} · 最近一次 {when}"
ORG_FWD_TEXT_LABEL = "答复（纯文本）"
ORG_FWD_UNIT_LABEL = "答复单位"
ORG_FWD_PUBLISH = (
    "发布为本地区答复：{scope}的企业以后问到相近的问题，直接给出这条答复"
    "（注明单位和日期，可随时撤回）"
)
ORG_FWD_BUTTON = "发送答复"
ORG_FWD_ERRORS = {
    "empty": "请写答复的内容。",
    "long": "答复不能超过 {n} 字。",
    "unit": "请从列表中选择答复单位。",
}
ORG_FWD_GONE = "这组问题已经答复过，或已不在转给您的问题里：没有发送任何内容。"
ORG_FWD_NOT_YOURS = "这些问题不是转给您的范围（{scope}）的，没有读取或发送任何内容。"
ORG_FWD_DONE = {
    "answered": "答复已记下，正在发给提问的企业。",
    "published": "答复已记下并发布为本地区答复，正在发给提问的企业。",
    "withdrawn": "已撤回：企业以后不会再看到这条答复。",
}
ORG_PUB_HEADING = "已发布的本地区答复"
ORG_PUB_COLUMNS = ("问题", "答复", "适用范围", "答复单位、撰写人、时间", "")
ORG_PUB_BY = "{unit} · {who} · {when}"
ORG_PUB_WITHDRAW = "撤回"
ORG_PUB_WITHDRAW_OF = "撤回对“{question}”的答复"
ORG_PUB_WITHDRAWN = "已于 {when} 撤回（{who}）"
ORG_PUB_NONE = "还没有发布的本地区答复。"
ORG_PUB_GONE = "这条答复不存在，或已撤回。"
ORG_PUB_NOT_YOURS = "这条答复不是您的范围（{scope}）发布的，不能撤回；没有改动任何内容。"
ORG_ALL_HEADING = "所有未能回答的问题"
