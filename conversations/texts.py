"""Interface wording (menu labels, prompts, errors), keyed by name, in one place.

Programme facts do not live here: they come from ``knowledge/`` data with their clause ids.
Each flow has its own section below; edit a section in place, do not rewrite the file.
"""

# ---- general -------------------------------------------------------------------------------
BOT_NAME = "江苏省“质量标杆”助手"
GREETING = (
    "您好！我是{bot}，依据苏经信科技〔2016〕222号通知回答问题。\n"
    "可以自测基本条件、推荐重点领域、查询常见问题和日程。请选择，或直接输入您的问题。"
).format(bot=BOT_NAME)
MENU_PROMPT = "请选择要办理的事项，或直接输入您的问题："
THANKS_REPLY = "不客气！还有其他问题可以随时问我。"
NOT_UNDERSTOOD = "抱歉，我没有看懂这条消息。请从菜单中选择，或用一句话描述您的问题："
EMPTY_MESSAGE = "消息是空的。请从菜单中选择，或输入您的问题："
TOO_LONG = "消息太长了（超过 {limit} 字），请精简成一两句话再发。"
CANCELLED = "已取消当前操作。"
COMING_SOON = "「{label}」功能即将上线，敬请期待。现在可以先使用其他功能："
CALLBACK_STALE = "这个按钮已失效或无法识别，请从菜单重新选择。"
NON_TEXT = "我目前只能读懂文字消息和按钮。请用文字输入您的问题，或从菜单中选择："
BACK_TO_MENU = "返回主菜单"
ERROR_GENERIC = "抱歉，处理您的消息时出了点问题，请稍后再试，或发送 /menu 重新开始。"
HELP = (
    "我可以帮您：\n"
    "• 资格自测：逐条核对通知四(二)的六项基本条件\n"
    "• 领域推荐：根据您的做法推荐四(一)的重点领域\n"
    "• 常见问题：费用、名额、材料、评审、时间等\n"
    "• 日程与提醒：活动日程\n"
    "• 联系方式：通知中的联系人\n"
    "直接输入问题即可，例如“要交费吗”“材料什么时候交”。\n"
    "命令：{commands}"
)

CONSOLE_WELCOME = "（控制台对话：输入数字选择按钮，输入 /命令 或问题；输入 exit 或按 Ctrl-D 退出）"
CONSOLE_BYE = "再见！"

# ---- main menu -----------------------------------------------------------------------------
MENU_CHECK = "资格自测"
MENU_AREA = "领域推荐"
MENU_FAQ = "常见问题"
MENU_CALENDAR = "日程与提醒"
MENU_CONTACT = "联系方式"

# ---- commands (Telegram command list; descriptions in Chinese) ------------------------------
CMD_START = "开始并显示主菜单"
CMD_MENU = "主菜单"
CMD_HELP = "使用说明"
CMD_CANCEL = "取消当前操作"

# ---- faq -----------------------------------------------------------------------------------
FAQ_PROMPT = "请直接输入您的问题，或点选下面的常见问题："
FAQ_CITE = "（见通知{clause}）"
FAQ_NOT_IN_NOTICE = (
    "通知（苏经信科技〔2016〕222号）中没有关于这个问题的规定，我不便猜测。"
    "建议咨询通知所列联系人：{names}，电话：{phones}。"
)
FAQ_OTHER_YEAR = (
    "通知只给出了2016年的日程；{year}年的具体时间由省经信委和各组织单位另行公布，"
    "请以当年通知为准，或咨询联系人：{names}，电话：{phones}。"
)

# ---- calendar ------------------------------------------------------------------------------
CALENDAR_HEADER = "“质量标杆”活动日程（{year}年通知）："
CALENDAR_NOT_THIS_YEAR = (
    "以上是2016年通知中的日程。活动每年开展（见通知六(二)），{year}年的具体日期以组织单位公布为准。"
)
REMINDERS_SOON = "截止提醒订阅功能即将上线。"

# ---- contact -------------------------------------------------------------------------------
CONTACT = "联系人：{names}\n电话：{phones}\n（见通知联系人）\n推荐材料报送：{office}（见通知五）"

# ---- eligibility (资格自测) ------------------------------------------------------------------

# ---- areas (领域推荐) ------------------------------------------------------------------------
