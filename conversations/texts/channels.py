"""Interface wording of the channels (Telegram), privacy and the organizers' reports."""

# ---- telegram (wording only the Telegram adapter uses) ----------------------------------------
TG_SLOW_DOWN = "请慢一点，您的消息太多太快了。稍等几秒再发，我会继续为您解答。"
TG_FILE_NOT_FETCHED = (
    "这个文件没能从 Telegram 取回，请稍后再发一次；也可以把草稿的文字直接粘贴发送。"
)
TG_EDITED = "我看到您修改了消息，但修改过的消息不会重新处理。请把问题作为一条新消息发送。"
TG_NO_TOKEN = (
    "未设置 Telegram 机器人令牌：请在 Telegram 中向 @BotFather 发送 /newbot 获取令牌，"
    "再设置环境变量 BIAOGAN_TELEGRAM_TOKEN（或写入 .env）；"
    "也可以先用 `biaogan chat` 在终端里试用。\n"
    "No Telegram bot token: get one by sending /newbot to @BotFather and set "
    "BIAOGAN_TELEGRAM_TOKEN (or put it in .env), or try the assistant in the terminal with "
    "`biaogan chat`."
)
TG_BAD_TOKEN = (
    "Telegram 拒绝了这个机器人令牌，请向 @BotFather 核对后重新设置 BIAOGAN_TELEGRAM_TOKEN。\n"
    "Telegram rejected the bot token: check it with @BotFather and set "
    "BIAOGAN_TELEGRAM_TOKEN again."
)

# ---- privacy (/privacy, /forget) --------------------------------------------------------------
CMD_PRIVACY = "我的数据：保存了什么、为什么、保存多久"
CMD_FORGET = "删除我的全部数据"
PRIVACY_TELEGRAM_ACCOUNT = "• 账号：Telegram 用户 ID、用户名和昵称，第一次和最近一次使用的时间；\n"
PRIVACY_CONSOLE_ACCOUNT = "• 账号：这个终端对话的编号，第一次和最近一次使用的时间；\n"
PRIVACY = (
    "本助手保存的关于您的内容：\n"
    f"{PRIVACY_TELEGRAM_ACCOUNT}"
    "• 企业资料（如您填写）：企业名称、所在城市、所属行业协会，以及您愿意留下的联系人和"
    "联系电话或邮箱（可以不填，随时用 /profile 修改或删除）；\n"
    "• 资格自测：每次完成自测时的回答和结果（含不符合和不确定的条件）；\n"
    "• 领域推荐：您描述的做法、推荐的领域和您选定的领域；\n"
    "• 订阅与提醒（如您订阅了日程提醒）；\n"
    "• 电子邮箱（如您选择用邮件接收提醒）：地址和是否已确认。只用来发送您订阅的提醒和组织单位的"
    "通知，不给任何人，也不在组织单位导出的名单中（除非您把同一个地址填作企业资料的联系方式）；"
    "每封邮件都带退订链接，无需登录；\n"
    "• 对话进度：您停在哪一步，下次可以接着来；\n"
    "• 没能回答的问题：问题原文；您点了“转给本市组织单位”的，"
    "还保存是从哪里问的（Telegram、网页或邮箱），"
    "以便把组织单位的答复发给您；\n"
    "• 组织单位发布的文件（如您是组织单位）：文件及上传人（只在组织单位工作台中显示）；"
    "删除数据时，文件留给企业下载，只去掉上传人。\n"
    "\n"
    "为什么保存：\n"
    "• 让对话可以接着进行，让提醒按时送达；\n"
    "• 供组织单位（您所在城市的经信委和质量协会、您所属的省级行业协会）和省经信委了解工作进展："
    "他们能看到统计数字，并能查看和导出其范围内填写了企业资料的企业名单"
    "（企业名称、城市、协会、联系人和联系方式（如填写）、最近一次自测结果和日期、不符合和不确定的"
    "条件、选定的领域、是否订阅及订阅方式（Telegram、网页或电子邮件，不含订阅用的邮箱地址和账号）、"
    "最近使用时间）；\n"
    "• 联系人和联系电话或邮箱（如填写）只为让您所在城市或所属行业协会的组织单位"
    "跟进申报时能联系到您：该组织单位和省经信委能在名单中看到并导出，"
    "其他城市和协会看不到；\n"
    "• 没能回答的问题只以问题原文汇总给组织单位（不附您的名字），以便补充答案。\n"
    "\n"
    "保存多久：一直保存到您删除为止，目前不会自动过期删除。\n"
    "\n"
    "删除：发送 /forget，确认后立即一次性删除以上全部内容。统计不会留下您的任何记录，"
    "删除后统计数字会相应减少；组织单位此前已导出的表格不在本助手中，无法收回。"
)
FORGET_BUTTON = "删除我的全部数据"
FORGET_ASK = (
    "确定删除本助手保存的关于您的全部内容吗？包括企业资料、自测结果、领域推荐、订阅与提醒、"
    "对话进度和您问过的未能回答的问题。删除后无法恢复。"
    "（组织单位账号的授权也会一并删除；操作审计记录保留，但不再记录是谁。）"
)
FORGET_YES = "确定删除"
FORGET_NO = "不删除"
FORGET_DONE = "已删除本助手保存的关于您的全部内容。以后再使用时会从头开始。"
FORGET_KEPT = "好的，什么也没有删除。"
FORGET_RESUME = "继续：删除我的数据"

# ---- statistics for organizers (/stats, /export, /unanswered) -----------------------------------
CMD_STATS = "统计（组织单位）：/stats 2027 或 /stats 2026-01-01..2026-06-30"
CMD_EXPORT = "导出企业名单 CSV（组织单位）"
CMD_UNANSWERED = "未能回答的问题汇总（组织单位）"
REPORT_REFUSED = "这个命令只供组织单位使用，需要开通请联系本助手的管理员。"
REPORT_PRIVATE_ONLY = "统计、名单和问题汇总只在与助手的私聊中提供，请私聊助手后再发送这个命令。"
REPORT_BAD_PERIOD = (
    "没有看懂时间范围“{text}”。可以写年份，例如 /stats 2027，"
    "或起止日期，例如 /stats 2026-01-01..2026-06-30；不写则为今年。"
)
SCOPE_PROVINCE = "全省"
SCOPE_CITY = "{name}市"
SCOPE_ASSOC = "{name}"
NO_CITY = "未填城市"
STATS_HEADER = "统计 · {scope} · {period}"
STATS_ENTERPRISES = "使用过助手的企业：{n}（其中填写了企业资料：{profiles}）"
STATS_CHECKS = "完成资格自测：{checked} 家企业，共 {checks} 次"
STATS_ELIGIBLE = "最近一次自测符合基本条件：{eligible} 家（{share}）"
STATS_FAILING_HEADER = "最常不满足的基本条件（按企业数）："
STATS_FAILING_LINE = "  {number}. {short}（通知{clause}）：{n}"
STATS_AREAS_HEADER = "选定的重点领域（按企业数）："
STATS_AREAS_LINE = "  ({number}) {title}：{n}"
STATS_NONE = "  无"
STATS_SUBSCRIPTIONS = "订阅提醒的企业：{n}"
STATS_SUBSCRIPTION_CHANNELS = "  按方式：{parts}"
CHANNEL_LABELS = {"telegram": "Telegram", "web": "网页", "email": "电子邮件", "console": "控制台"}
STATS_UNSURE_HEADER = "回答“不确定”的基本条件（按企业数，未计入上面的不满足）："
STATS_UNSURE_LINE = "  {condition}：{n}"
STATS_BROADCASTS = "群发通知：{n} 次"
STATS_DELIVERIES = "  送达情况：{parts}"
STATS_DELIVERY_STATUS = {
    "sent": "已送达",
    "pending": "待发送",
    "sending": "发送中",
    "blocked": "对方已屏蔽",
    "failed": "失败",
    "test": "测试（未发送）",
}
STATS_BY_CITY_HEADER = "分城市（企业 / 完成自测 / 符合）："
STATS_BY_MONTH_HEADER = "分月份（完成自测 / 符合）："
STATS_ROW_CITY = "  {label}：{enterprises} / {checked} / {eligible}"
STATS_ROW_MONTH = "  {label}：{checked} / {eligible}"
STATS_CHART_CAPTION = "图：{scope} {period} 完成自测与符合基本条件的企业数"
CHART_TITLE_CITY = "{scope} {period}：各市完成自测与符合基本条件的企业"
CHART_TITLE_MONTH = "{scope} {period}：各月完成自测与符合基本条件的企业"
CHART_CHECKED = "完成自测"
CHART_ELIGIBLE = "符合基本条件"
CHART_ENTERPRISES = "企业数"
CHART_MONTH = "{month}月"
EXPORT_HEADER = (
    "企业名称",
    "城市",
    "行业协会",
    "联系人",
    "联系方式",
    "最近自测结果",
    "自测日期",
    "不满足的条件",
    "不确定的条件",
    "选定领域",
    "订阅提醒",
    "订阅方式",
    "最近使用",
)
EXPORT_VERDICTS = {"eligible": "符合", "not_eligible": "暂不符合", "unsure": "待确认", "": ""}
EXPORT_YES = "是"
EXPORT_NO = "否"
EXPORT_DONE = "{scope}填写了企业资料的企业共 {n} 家，名单见附件（CSV，可用 Excel 打开）。"
EXPORT_EMPTY = "{scope}还没有填写了企业资料的企业，没有可导出的内容。"
UNANSWERED_HEADER = "{scope}最近未能回答的问题（相近的问法已合并，按次数排序）："
UNANSWERED_LINE = "{rank}. {text}（{n} 次）"
UNANSWERED_ALSO = "   相近问法：{others}"
UNANSWERED_NONE = "{scope}还没有未能回答的问题。"
