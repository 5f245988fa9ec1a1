"""Interface wording of the calendar (日程与提醒), reminders and the profile (企业信息);
read as ``texts.NAME`` (``conversations.texts`` imports every name here)."""

# ---- calendar ------------------------------------------------------------------------------
SET_BY_ORGANIZERS = "省经信委设定，非通知原文"  # the province's dates
SET_BY_SCOPE = "{who}设定，非通知原文"  # a city's or an association's own dates
# Who sets a scope's dates, as the enterprise reads it (conversations.calendar.setter).
SETTER_PROVINCE = "省经信委"
SETTER_CITY = "{city}市经信委"
# A city's or an association's own milestones (the province's are the notice's five).
LOCAL_MILESTONE_LABELS = {
    "submission": ("本市企业报送截止", "本会企业报送截止"),  # (a city's, an association's)
    "prereview": ("预审", "预审"),
    "training": ("培训会", "培训会"),
}
DEADLINES_CITY_BUTTON = "选择所在城市，查看本市日程"
DEADLINES_ASK_CITY = (
    "各市组织单位可以设定本市自己的日期（如本市企业报送截止）。请点选贵企业所在的城市"
    "（会记入企业信息，可随时用 /profile 修改）："
)
DEADLINES_SCOPE_HEADER = "{who}设定的{year}年日程（非通知原文）："
DEADLINES_LOCAL_LINE = "• {label}：{day}（{left}）{note}"
DEADLINES_HEADER = "{year}年“质量标杆”日程（{label}）："
DEADLINES_HEADER_NOTICE = "{year}年“质量标杆”日程（通知原文）："
DEADLINES_LINE = "• {label}：{day}（{left}）\n  {step}{note}"
# What a milestone asks: the notice's own for its year; for another year, said as the notice's
# year's step (the notice gives no other year's tasks or dates).
STEP_NOTICE_YEAR = "要做的：{who}{what}（见通知{clause}）"
STEP_OTHER_YEAR = "{notice_year}年通知中的这一步：{when}，{who}{what}（见通知{clause}）"
DEADLINES_NOT_SET_LINE = (
    "• {label}：{year}年尚未设定（{notice_year}年通知为{when}，见通知{clause}）"
)
DEADLINES_NOTE = "\n  说明：{note}"
DEADLINES_LEFT = "还有{days}天"
DEADLINES_TODAY = "就是今天"
DEADLINES_PAST = "已过"
DEADLINES_NO_CALENDAR = (
    "{year}年的日程尚未设定。通知只给出了{notice_year}年的日程，以下是{notice_year}年的，"
    "不是{year}年的："
)
DEADLINES_NO_CALENDAR_TAIL = (
    "通知没有给出其他年份的日期；如需了解{year}年的安排，可以咨询所在地的组织单位，或{contacts}。"
)
BTN_SUBSCRIBE = "订阅提醒"
BTN_UNSUBSCRIBE = "取消提醒"
BTN_ICS = "下载日历(.ics)"
BTN_OFFSETS = "调整提醒时间"
BTN_OFFSET_PRESET = "提前{offsets}天"
CMD_DEADLINES = "日程与倒计时"
CMD_REMIND = "订阅截止日期提醒"
CMD_STOP_REMINDERS = "取消提醒"
CMD_ICS = "下载日历文件(.ics)"
CMD_CALENDAR_SET = "（组织单位）设定年度日程：年份 节点 日期"
CMD_PROFILE = "企业信息（名称、城市、行业协会、联系人）"
SUBSCRIBE_DONE = (
    "已订阅{year}年的截止日期提醒：每个尚未到来的节点前 {offsets} 天上午9点（北京时间）提醒您。"
)
SUBSCRIBE_WAITING = (
    "已订阅。{year}年的日程尚未设定；设定后我会把日期发给您，之后按节点提醒"
    "（每个节点前 {offsets} 天上午9点）。"
)
SUBSCRIBE_WEB_TAIL = (
    "\n提醒会出现在本页的对话里：本页开着时随即显示；"
    "未打开时，下次用同一浏览器打开本页即可看到，并标为“新消息”。"
)
SUBSCRIBE_OFFSETS_ASK = "请选择提前几天提醒（也可以发送“/remind 14 3”这样的命令自定）："
SUBSCRIBE_BAD_OFFSETS = (
    "提醒天数“{text}”无法识别：请写 0 到 90 之间的整数，最多 5 个，例如 /remind 30 7 1。"
)
UNSUBSCRIBE_DONE = "已取消{year}年的提醒，不会再给您发送。需要时可以随时重新订阅。"
ICS_CAPTION = "{year}年“质量标杆”日程（{label}），可导入手机日历。"
ICS_NONE = "{year}年的日程尚未设定，暂时没有可以导入的日历。"
ICS_SUMMARY = "质量标杆：{label}"
ICS_DESCRIPTION = "{year}年日期由省经信委设定，非通知原文。{step}。{note}"
ICS_ALARM = "{label}：{day}"
ICS_LOCAL_DESCRIPTION = "{year}年日期：{label}。{note}"
CALSET_USAGE = (
    "用法：/calendar_set 年份 节点 日期 [说明]，例如 /calendar_set 2027 submission 2027-06-30。\n"
    "节点：{milestones}"
)
CALSET_ADMIN_ONLY = "只有组织单位和管理员可以设定日程。"
CALSET_NOT_YOUR_SCOPE = (
    "您是{own}的组织单位，只能设定{own}自己的日程，不能设定{scope}的。全省的日程由省经信委设定。"
)
CALSET_BAD_SCOPE = (
    "范围“{text}”无法识别：请写 province（全省）、city:无锡（江苏省13个设区市之一）"
    "或 assoc:协会全称。"
)
CALSET_BAD_LOCAL_MILESTONE = "{scope}的日程没有“{text}”这个节点。可以设定的节点：{milestones}。"
CALSET_SCOPE_DONE = (
    "已设定：{scope} {year}年 {label} = {day}（{label_set}）。{scope}订阅的企业会收到通知。"
)
CALSET_SCOPE_USAGE = (
    "\n组织单位设定本地区（本协会）的日程：/calendar_set 2027 submission 2027-05-31 说明；"
    "省级可在前面加范围：/calendar_set city:无锡 2027 submission 2027-05-31。"
    "本地节点：{local}"
)

CALSET_DONE = "已设定：{year}年 {label} = {day}（{label_set}）。订阅的用户会收到通知。"
CALSET_REMOVED = "已删除：{year}年 {label}。该节点未发送的提醒已取消。"
CALSET_NOTHING = "{year}年的 {label} 没有设定过，无需删除。"
CALSET_BAD_YEAR = "年份“{text}”无法识别，请写成 2027 这样的四位年份。"
CALSET_EARLY_YEAR = "年份 {year} 早于通知的 {first} 年，不能设定。"
CALSET_BAD_MILESTONE = "没有“{text}”这个节点。可以设定的节点：{milestones}。"
CALSET_BAD_DATE = "日期“{text}”无法识别，请写成 {year}-06-30 这样的格式（年-月-日）。"
CALSET_OUTSIDE_YEAR = "日期 {day} 不在 {year} 年内，请给出 {year} 年的日期。"
CALSET_NOTE_TOO_LONG = "说明太长了（最多 {limit} 字）。"

# ---- reminders (the messages the sweep sends) --------------------------------------------------
REMINDER_DUE = (
    "⏰ 提醒：{year}年“质量标杆”{label}的日期是 {day}（{left}）。\n"
    "{step}。\n"
    "请准备{form}（{form_attachment}，见通知{form_clause}）和{case}（要求见{case_attachment}，"
    "见通知{case_clause}），通过{unit}申请推荐。\n"
    "（日期：{label_set}）{note}"
)
REMINDER_PUBLISHED = (
    "{year}年“质量标杆”日程已设定（{label_set}）：\n{lines}\n我会在每个节点前提醒您。"
)
REMINDER_MOVED = (
    "日期已调整：{year}年“质量标杆”{label}改为 {day}（{left}；{label_set}）。"
    "未发送的提醒已按新日期安排。"
)
REMINDER_BTN_CHECK = "资格自测"
REMINDER_LOCAL_DUE = (
    "⏰ 提醒：{who}设定的{year}年“质量标杆”{label}是 {day}（{left}）。{note}\n（日期：{label_set}）"
)
REMINDER_LOCAL_SET = (
    "{who}设定了{year}年“质量标杆”{label}：{day}（{left}；{label_set}）。{note}\n"
    "我会按您订阅的提醒时间提前提醒您。"
)
MAIL_SUBJECT_LOCAL_SET = "{who}设定了{label}：{day}"

# ---- profile (企业信息) ----------------------------------------------------------------------
PROFILE_ASK_NAME = "为了告诉您通过哪个组织单位申请推荐，请告诉我企业名称（也可以跳过）："
PROFILE_ASK_CITY = "企业位于江苏省哪个设区市？"
PROFILE_ASK_ASSOCIATION = (
    "如果通过省级行业协会申请推荐，请选择协会，或输入协会全称；通过所在市申请的，点“没有/跳过”："
)
PROFILE_BAD_CITY = "请从下面的按钮中选择江苏省的13个设区市之一："
PROFILE_BAD_NAME = "企业名称请写 2 到 60 个字："
PROFILE_SKIP = "跳过"
PROFILE_WORDS_SKIP = ("跳过", "不填", "暂不", "算了", "不用", "skip")
PROFILE_NO_ASSOCIATION = "没有/跳过"
PROFILE_EDIT = "修改企业信息"
PROFILE_BTN_FROM_CHECK = "填写企业信息（确定组织单位）"
PROFILE_RESUME = "继续填写企业信息"
PROFILE_SUMMARY = "企业信息：{name}，{city}{association}。"
PROFILE_UNIT_CITY = (
    "您的企业可以通过{city}市经信委或{city}市质量协会申请推荐（组织单位，见通知三、四(四)）。"
)
PROFILE_UNIT_ASSOCIATION = (
    "您的企业可以通过{association}（省级行业协会）申请推荐，也可以通过{city}市经信委或"
    "{city}市质量协会（组织单位，见通知三、四(四)）。"
)
PROFILE_UNIT_UNKNOWN = (
    "由所在地区或行业的组织单位（各市经信委、质量协会和有关省级行业协会）推荐（见通知三）。"
)
PROFILE_NO_ADDRESSES = "通知没有列出各组织单位的地址和电话；可以咨询{contacts}。"
PROFILE_SKIPPED = "好的，已跳过。需要时可以发送 /profile 填写企业信息。"

# ---- the organizers' console: 日程 (/org/calendar) ---------------------------------------------
ORG_CAL_HEADING = "日程"
ORG_CAL_LEAD = (
    "{scope}的日程。企业在“日程与提醒”、日历文件(.ics)和提醒里看到这些日期，并标明由谁设定："
    "本市（本协会）的排在全省的前面，其他市的企业看不到。"
)
ORG_CAL_LEAD_PROVINCE = (
    "全省的日程（通知的五个节点）和各市、各协会自己的日程。企业先看到本市（本协会）的日期，"
    "再看到全省的，每个日期都标明由谁设定。"
)
ORG_CAL_COLUMNS = ("年份", "范围", "节点", "日期", "说明", "设定", "")
ORG_CAL_SET_BY = "{who}，{when}"
ORG_CAL_READ_ONLY = "由省经信委设定"
ORG_CAL_REMOVE = "删除"
ORG_CAL_REMOVE_OF = "删除{year}年{scope}的{label}"
ORG_CAL_EMPTY = "还没有设定任何日程。"
ORG_CAL_NEW_HEADING = "设定或调整日期"
ORG_CAL_YEAR_LABEL = "年份"
ORG_CAL_SCOPE_LABEL = "范围"
ORG_CAL_MILESTONE_LABEL = "节点"
ORG_CAL_MILESTONE_HINT = "同一节点再设一次即调整日期；订阅的企业会收到通知，提醒按新日期安排。"
ORG_CAL_GROUP_PROVINCE = "全省（通知的节点）"
ORG_CAL_GROUP_LOCAL = "市、协会自己的"
ORG_CAL_DAY_LABEL = "日期"
ORG_CAL_DAY_HINT = "年-月-日，例如 2027-05-31"
ORG_CAL_NOTE_LABEL = "说明（可选）"
ORG_CAL_NOTE_HINT = "例如培训会的地点、材料报送到哪里，最多200字。"
ORG_CAL_BUTTON = "保存日期"
ORG_CAL_DONE = {
    "set": "已设定，订阅的企业会收到通知。",
    "moved": "已调整，订阅的企业会收到通知，未发送的提醒按新日期安排。",
    "same": "日期没有变化。",
    "removed": "已删除，该节点未发送的提醒已取消。",
}
ORG_CAL_BAD_CHOICE = "请从列表中选择。"
ORG_CAL_WRONG_GROUP = (
    "“{label}”不是{scope}可以设定的节点：全省设定通知的节点，市和协会设定自己的节点。"
)
ORG_CAL_GONE = "这个日期已经不存在了。"
