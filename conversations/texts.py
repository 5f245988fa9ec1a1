"""Interface wording (menu labels, prompts, errors), keyed by name, in one place.

Programme facts do not live here: they come from ``knowledge/`` data with their clause ids.
Each flow has its own section below; edit a section in place, do not rewrite the file.
"""

# ---- general -------------------------------------------------------------------------------
BOT_NAME = "江苏省“质量标杆”助手"
GREETING = (
    "您好！我是{bot}，依据{doc}通知回答问题。\n"
    "可以自测基本条件、推荐重点领域、查询常见问题和日程。请选择，或直接输入您的问题。"
)
MENU_PROMPT = "请选择要办理的事项，或直接输入您的问题："
THANKS_REPLY = "不客气！还有其他问题可以随时问我。"
NOT_UNDERSTOOD = "抱歉，我没有看懂这条消息。请从菜单中选择，或用一句话描述您的问题："
EMPTY_MESSAGE = "消息是空的。请从菜单中选择，或输入您的问题："
TOO_LONG = "消息太长了（超过 {limit} 字），请精简成一两句话再发。"
CANCELLED = "已取消当前操作。"
CALLBACK_STALE = "这个按钮已失效或无法识别，请从菜单重新选择。"
CALLBACK_STALE_HERE = "这个按钮属于之前的消息，已经失效了。您现在在这里："
TURN_NOT_SAVED = "抱歉，刚才这一步没能保存，什么也没有改变。请再试一次。"
BARE_YES_NO = "收到。目前没有等待您回答的问题；想了解什么可以直接问我，或从菜单中选择："
DISCARD_ASK = "确定放弃当前未完成的操作吗？放弃后已填写的回答不会保留。"
DISCARD_YES = "放弃"
DISCARD_NO = "继续"
HUMAN_LEAD = "我是自动助手，没有人工客服。需要找人咨询，可以联系通知所列的联系人："
APPLY_ROUTE = (
    "按通知，申请参加省“质量标杆”活动的步骤是：\n"
    "1. 对照六项基本条件自查（见通知四(二)），可以用“资格自测”；\n"
    "2. 确定实践所属的重点领域（见通知四(一)），可以用“领域推荐”；\n"
    "3. 总结提炼典型经验案例，按《“质量标杆”案例总结材料的要求》（附件1）撰写，"
    "以“企业+方法实践经验”命名（见通知四(三)）；\n"
    "4. 填写《“质量标杆”申报表》（附件2），附《“质量标杆”典型经验》材料，"
    "自愿申请（见通知四(四)）；\n"
    "5. 由所在地区或行业的组织单位（各市经信委、质量协会和有关省级行业协会）推荐"
    "（见通知三、四(四)）；\n"
    "6. {notice_year}年的安排是各组织单位于6月30日前报送省经信委科技与质量处（见通知五）；"
    "通知没有给出其他年份的日期。\n"
    "咨询：{names}，电话：{phones}（{notice_year}年通知所列联系人）。"
)
NON_TEXT = "我目前只能读懂文字消息和按钮。请用文字输入您的问题，或从菜单中选择："
BACK_TO_MENU = "返回主菜单"
ERROR_GENERIC = "抱歉，处理您的消息时出了点问题，请稍后再试，或发送 /menu 重新开始。"
HELP = (
    "我可以帮您：\n"
    "• 资格自测：逐条核对通知四(二)的六项基本条件\n"
    "• 领域推荐：根据您的做法推荐四(一)的重点领域\n"
    "• 常见问题：费用、名额、材料、评审、时间等\n"
    "• 日程与提醒：活动日程、截止倒计时和提醒（/deadlines、/remind）\n"
    "• 联系方式：通知中的联系人\n"
    "直接输入问题即可，例如“要交费吗”“材料什么时候交”。\n"
    "命令：{commands}"
)

CONSOLE_WELCOME = "（控制台对话：输入数字选择按钮，输入 /命令 或问题；输入 exit 或按 Ctrl-D 退出）"
CONSOLE_BYE = "再见！"
CONSOLE_FILE = "（附件：{name}，在 Telegram 或网页中可以下载）"

# ---- main menu -----------------------------------------------------------------------------
MENU_CHECK = "资格自测"
MENU_AREA = "领域推荐"
MENU_FAQ = "常见问题"
MENU_CALENDAR = "日程与提醒"
MENU_CONTACT = "联系方式"
MENU_PROFILE = "企业信息"
MENU_PRIVACY = "我的数据"

# ---- commands (Telegram command list; descriptions in Chinese) ------------------------------
CMD_START = "开始并显示主菜单"
CMD_MENU = "主菜单"
CMD_HELP = "使用说明"
CMD_CANCEL = "取消当前操作"

# ---- faq -----------------------------------------------------------------------------------
FAQ_PROMPT = "请直接输入您的问题，或点选下面的常见问题："
FAQ_CITE = "（见通知{clause}）"
FAQ_NOT_IN_NOTICE = (
    "通知（{doc}）中没有关于这个问题的规定，我不便猜测。"
    "建议咨询通知所列联系人：{names}，电话：{phones}。"
)
FAQ_OTHER_YEAR = (
    "通知只给出了{notice_year}年的安排，没有给出{year}年的日期。"
    "如需了解{year}年的安排，请咨询联系人：{names}，电话：{phones}。"
)
FAQ_OTHER_YEAR_FACT = "供参考，{notice_year}年通知的安排是：{fact}"
FAQ_DATED_CAVEAT = (
    "（提示：以下是{notice_year}年通知的安排，不是{year}年的；通知没有给出其他年份的日期。）"
)
FAQ_CALENDAR_BUTTON = "查看{notice_year}年通知日程"
FAQ_ABUSE = "抱歉没能帮上忙。我只能依据{doc}通知回答问题，可以换个说法再问一次，或从菜单中选择："

# ---- calendar ------------------------------------------------------------------------------
# Calendar, reminders and profile wording: texts_calendar.py (this file stays under 400 lines).
from conversations.texts_calendar import *  # noqa: E402, F403

# ---- contact -------------------------------------------------------------------------------
CONTACT = (
    "{notice_year}年通知（{doc}）所列联系人：{names}\n电话：{phones}\n"
    "推荐材料报送：{office}（见通知五）"
)

# ---- eligibility (资格自测) ------------------------------------------------------------------


def _words(joined: str) -> tuple[str, ...]:
    """Words a user may type, written as one "a|b|c" string to keep the lists short."""
    return tuple(joined.split("|"))


CHECK_INTRO = (
    "资格自测：逐条核对通知四(二)规定的基本条件，共{total}题。"
    "每题可点“说明”看解释和例子，拿不准就点“不确定”。"
    "自测结果仅供参考，是否入选由省经信委遴选确定（见通知四(四)）。"
)
CHECK_QUESTION = (
    "第{n}/{total}题 · 基本条件{number}（见通知{clause}）\n原文：“{text}”\n\n{question}"
)
CHECK_PRIORITY_NOTE = "这是优先条件：选“否”不影响自测结果，选“是”会作为优势列出。"
CHECK_YEARS_HINT = "可以点下面的按钮，也可以直接输入，例如“3年”“两年半”“36个月”。"
CHECK_PREVIOUS = "（之前的回答：{answer}）"
CHECK_BTN_YES = "是"
CHECK_BTN_NO = "否"
CHECK_BTN_UNSURE = "不确定"
CHECK_BTN_EXPLAIN = "说明"
CHECK_BTN_BACK = "上一步"
CHECK_YEARS_LT1 = "不到1年"
CHECK_YEARS_1TO2 = "1–2年"
CHECK_YEARS_2TO3 = "2–3年（不满3年）"
CHECK_YEARS_GE3 = "3年以上（含3年）"
CHECK_YEARS_AS = "{text}（按{years}年计）"
CHECK_YEARS_UNIT = "{years}年"
CHECK_ANSWER_YES = "是"
CHECK_ANSWER_NO = "否"
CHECK_ANSWER_UNSURE = "不确定"
CHECK_ANSWER_MISSING = "（未回答）"
CHECK_YES_NO_RETRY = (
    "没看懂这条回复。请点下面的按钮，或回复“是”“否”“不确定”；回复“说明”看解释，“上一步”返回上一题。"
)
CHECK_YEARS_RETRY = (
    "没看懂“{text}”。请输入这项方法在贵企业应用的年数（不是开始的年份），"
    "例如“3年”“两年半”“36个月”，或点下面的按钮。"
)
CHECK_YEARS_GAVE_UP = "还是没能识别年数，这一项先记为“不确定”，在核对页可以修改。"
CHECK_FIRST_ALREADY = "这已经是第一题了。"
CHECK_EXPLAIN_HEADER = "说明 · 基本条件{number}（见通知{clause}）"
CHECK_EXPLAIN_COUNTS = "通常算符合："
CHECK_EXPLAIN_NOT_COUNTS = "通常不算："
CHECK_EXPLAIN_VERIFY = "如何核实（供参考）：{verify}"
CHECK_SUMMARY_HEADER = "请核对您的回答。点“改”可以修改任意一项，其他回答保持不变："
CHECK_SUMMARY_LINE = "{n}. {label}：{answer}"
CHECK_SUMMARY_RETRY = "请点“确认，查看结果”，或点“改”修改某一项。"
CHECK_BTN_EDIT = "改{n}·{label}"
CHECK_BTN_CONFIRM = "确认，查看结果"
CHECK_CONFIRM_WORDS = _words("确认|确定|提交|查看结果|看结果|结果|完成|好|好的|ok")
CHECK_RESUME = "您有一份未完成的资格自测（进行到{where}）。继续，还是重新开始？"
CHECK_RESUME_SUMMARY = "核对页"
CHECK_RESUME_STEP = "第{n}题"
CHECK_BTN_RESUME = "继续"
CHECK_RESUME_LABEL = "继续自测（第{n}/{total}题）"
CHECK_RESUME_LABEL_SUMMARY = "继续自测（核对页）"
CHECK_BTN_RESTART = "重新开始"
CHECK_VERDICT_ELIGIBLE = (
    "自测结果：符合基本条件\n"
    "根据您的回答，贵企业符合通知四(二)规定的各项基本条件（第3条是优先条件，不是必备条件）。"
)
CHECK_VERDICT_NOT_ELIGIBLE = "自测结果：暂不符合基本条件"
CHECK_VERDICT_UNSURE = "自测结果：需核实\n目前没有发现不符合的条件，但有的条件您还不确定。"
CHECK_VERDICT_FAILING = "以下条件暂未满足："
CHECK_VERDICT_UNSURE_LIST = "以下条件需要核实（您的回答是“不确定”）："
CHECK_VERDICT_ITEM = (
    "• 基本条件{number}（见通知{clause}）：“{text}”\n  您的回答：{answer}\n  {advice}"
)
CHECK_ADVICE_REMEDY = "建议（{label}）：{remedy}"
CHECK_EXPLAIN_NOTE = "说明（{label}）：{note}"
CHECK_SUMMARY_HEADLINES = {
    "eligible": "自测结果：符合基本条件\n按您的回答，通知四(二)的各项基本条件都满足。",
    "not_eligible": "自测结果：暂不符合基本条件",
    "unsure": "自测结果：需核实\n没有发现不符合的条件，但有的条件您还不确定。",
}
CHECK_SUMMARY_ITEM = "• 条件{number}：{short}（见通知{clause}）"
CHECK_SUMMARY_PRIORITY = "优势：获得过省以上质量奖等称号，这类企业优先（见通知{clause}）。"
CHECK_SUMMARY_FOOTER = (
    "自测仅供参考，遴选由省经信委负责（见通知四(四)）。点“查看依据”看条文原文、您的回答和建议。"
)
CHECK_BTN_BASIS = "查看依据"
CHECK_BTN_APPLY = "下一步：怎么申请"
CHECK_ADVICE_VERIFY = "如何核实（供参考）：{verify}"
CHECK_PRIORITY_YES = (
    "优势：贵企业获得过省以上质量奖或质量管理先进企业等称号，这类企业优先（见通知{clause}）。"
)
CHECK_PRIORITY_NO = (
    "第3条是优先条件（见通知{clause}）：没有省以上质量奖等称号，不影响是否符合基本条件。"
)
CHECK_PRIORITY_UNSURE = (
    "第3条是优先条件（见通知{clause}），您的回答是“不确定”：{verify}如确有省级及以上的奖项或称号，"
    "属于优先情形；没有也不影响是否符合基本条件。"
)
CHECK_NEXT_ELIGIBLE = "下一步："
CHECK_NEXT_UNSURE = "核实以上事项、确认都符合后，下一步："
CHECK_NEXT_NOT_ELIGIBLE = "条件满足后，申请的步骤是："
CHECK_NEXT_FORM = "{n}. 填写{name}（{attachment}，见通知{clause}）；"
CHECK_NEXT_CASE = "{n}. 撰写{name}（要求见{attachment}），{naming}（见通知{clause}）；"
CHECK_NEXT_SUBMIT = (
    "{n}. 向所在地区或行业的{units}申请推荐，由组织单位报送"
    "（{year}年的安排：{who}{when}{what}，见通知{clause}；通知没有给出其他年份的日期）；"
)
CHECK_NEXT_SUBMIT_SET = (
    "{n}. 向所在地区或行业的{units}申请推荐，由组织单位报送"
    "（{year}年：{day}前报送，{label}；通知原文的安排见通知{clause}）；"
)
CHECK_NEXT_SELECTION = "{n}. {selection}（见通知{clause}）。本自测只是参考，不代表遴选结果。"
CHECK_NEXT_CONTACT = "咨询：{names}，电话：{phones}（见通知联系人）。"
CHECK_BTN_TO_AREA = "下一步：领域推荐"
CHECK_BTN_TO_CALENDAR = "日程与提醒"
CHECK_BTN_RETAKE = "重新自测"
CHECK_WORDS_YES = _words(
    "是|是的|对|对的|嗯|嗯嗯|符合|满足|愿意|可以|好|行|当然|肯定|没错|yes|y|yep|yeah|ok|true"
)
CHECK_WORDS_NO = _words("否|不是|不|不对|不符合|不满足|不愿意|不可以|不行|并不是|no|n|nope|false")
CHECK_WORDS_HAVE = _words("有|有的|有过|获得过|得过|拿过|已获得|取得了|已取得")
CHECK_WORDS_HAVE_NOT = _words(
    "没有|无|没|没有过|未|未获得|没得过|没拿过|暂无|尚无|从来没有|没取得|没有取得"
)
CHECK_WORDS_UNSURE = _words(
    "不确定|不清楚|不知道|不太清楚|不太确定|说不准|说不好|不好说|不一定|待确认|待核实|"
    "需核实|需要核实|不晓得|不知|可能|也许|或许|unsure|idk|maybe|not sure|dont know|"
    "don't know"
)
CHECK_WORDS_EXPLAIN = _words(
    "说明|解释|什么意思|啥意思|是什么意思|怎么理解|看说明|举例|例子|help|explain"
)
CHECK_WORDS_BACK = _words("上一步|上一题|返回|后退|back")
CHECK_WORDS_QUIT = _words("退出|取消|不测了|结束|quit|exit")
CHECK_QUESTION_MARKERS = _words(
    "?|？|什么|怎么|如何|哪些|哪里|哪个|多少|能否|是否|可不可以|能不能|要不要|算不算|"
    "为什么|how|what|which|why|when"
)
CHECK_QUESTION_ENDINGS = ("吗", "呢", "么")


# ---- areas (领域推荐) ------------------------------------------------------------------------
AREA_PROMPT = (
    "领域推荐：请用一两句话或一段话描述贵企业准备申报的质量管理最佳实践——做了什么、"
    "用了什么方法、取得了什么效果。我会对照通知四(一)的十个重点领域给出建议。\n"
    "例如：“全面推行六西格玛管理，培养黑带、绿带，三年完成改进项目一百多个。”"
)
AREA_SUGGEST_HEADER = "根据您的描述，最贴近的重点领域是："
AREA_ALTS_HEADER = "其他可能的领域："
AREA_OPTION = (
    "{mark}（{number}）{title}（见通知{clause}）· 把握度：{level}\n"
    "   依据：{words}\n"
    "   常见做法（供参考，非通知原文）：{description}"
)
# Confidence shown as a level, not a percentage: the score ranks areas, it is no probability.
AREA_LEVELS = ((0.8, "高"), (0.5, "较高"), (0.25, "中"), (0.0, "低"))
AREA_NO_WORDS = "未找到明显的关键词"
AREA_WORDS_SEP = "、"
AREA_SUGGEST_FOOTER = (
    "请选择一个领域；也可以查看全部十个领域，或重新描述。把握度按描述中的方法和用语估算，仅供参考。"
)
AREA_LOW_CONFIDENCE = (
    "从这段描述中我还不能确定属于哪个重点领域{hint}。请从通知四(一)的十个领域中直接选择，"
    "或点“重新描述”，多写几句做了什么、用了什么方法（冒号后是常见做法举例，供参考，非通知原文）："
)
AREA_LOW_HINT = "（相对接近的是（{number}）{title}，但把握不大）"
AREA_ALL_HEADER = (
    "通知四(一)列出的十个重点领域（领域名称是通知原文；冒号后是常见做法举例，供参考，非通知原文）："
)
AREA_ALL_LINE = "（{number}）{title}：{description}"
AREA_BTN_PICK = "选（{number}）{title}"
AREA_BTN_PICK_SHORT = "（{number}）{title}"
AREA_BTN_ALL = "查看全部十个领域"
AREA_BTN_AGAIN = "重新描述"
AREA_BTN_DRAFT = "自查案例草稿"
AREA_BTN_DRAFT_AGAIN = "再自查一份草稿"
AREA_BTN_SKIP = "跳过"
AREA_ASK_NAME = (
    "已选择（{number}）{title}。为生成案例标题，请输入贵企业的名称"
    "（例如“××机械股份有限公司”）；不想填写可以点“跳过”。"
)
AREA_NAME_INVALID = "企业名称应为2～40个字（不含问号），请重新输入，或点“跳过”。"
AREA_CHOSEN = "已选择重点领域：（{number}）{title}（见通知{clause}）。"
AREA_TITLE = (
    "建议的案例标题：“{title}”\n"
    "通知要求典型经验案例以“企业+方法实践经验”命名（见通知四(三)）。{note}"
)
AREA_TITLE_NOTE = "方法部分可按贵企业的实际做法调整。"
AREA_TITLE_NOTE_NO_NAME = "请把“{placeholder}”换成贵企业名称，方法部分可按实际做法调整。"
AREA_NAME_PLACEHOLDER = "××公司"
AREA_CHECKLIST_HEADER = "申报需要准备的材料："
AREA_CHECKLIST_ITEM = "{n}. {name}（{attachment}，见通知{clause}）"
AREA_CHECKLIST_REQUIREMENTS = "企业自己撰写，要求见{attachment}《“质量标杆”案例总结材料的要求》"
AREA_CHECKLIST_REQ = "   • {text}"
AREA_CHECKLIST_FOOTER = "可以把案例总结草稿发给我做一次自查。"
AREA_DRAFT_PROMPT = (
    "请把案例总结草稿粘贴发给我（建议第一行是标题，4000字以内）。我会提示：是否体现了理论观点、"
    "方法特点、实践要点、效果亮点（见通知四(三)），标题是否符合命名要求，"
    "以及写明的应用年限是否达到3年（见通知四(二)5）。"
)
AREA_REVIEW_HEADER = (
    "草稿自查提示（仅供参考，不是评审结论；推荐材料由省质量管理协会组织专家评审，见通知四(四)）："
)
AREA_REVIEW_ELEMENTS = "一、四个要素（见通知四(三)）："
AREA_REVIEW_FOUND = "✓ {element}：找到相关表述（如“{cues}”）"
AREA_REVIEW_THIN = "△ {element}：只找到少量表述（“{cues}”），建议展开写"
AREA_REVIEW_MISSING = "✗ {element}：似乎没有写到，建议补充（{advice}）"
AREA_REVIEW_TITLE = "二、标题（以“企业+方法实践经验”命名，见通知四(三)）："
AREA_REVIEW_NO_TITLE = "未识别到标题。建议第一行单独写标题，例如“{example}”。"
AREA_REVIEW_TITLE_SEEN = "识别到的标题：“{title}”"
AREA_REVIEW_TITLE_SUFFIX_OK = "✓ 以“实践经验”结尾"
AREA_REVIEW_TITLE_SUFFIX_BAD = "✗ 没有以“实践经验”结尾，建议改为“……实践经验”"
AREA_REVIEW_TITLE_NAME_OK = "✓ 以企业名称开头"
AREA_REVIEW_TITLE_NAME_BAD = "✗ 似乎没有以企业名称开头{hint}"
AREA_REVIEW_TITLE_NAME_HINT = "（建议以“{name}”开头）"
AREA_REVIEW_YEARS = "三、应用年限（标杆方法在本企业应用3年以上，见通知四(二)5）："
AREA_REVIEW_YEARS_OK = "✓ 草稿中写到的应用时间约{years}年（“{evidence}”），达到3年"
AREA_REVIEW_YEARS_SHORT = (
    "✗ 草稿中写到的应用时间约{years}年（“{evidence}”），不足3年；如实际已满3年，请写清楚"
)
AREA_REVIEW_YEARS_NONE = "？ 没有找到应用年限，建议写明从哪一年开始应用、已应用几年"
AREA_REVIEW_FOOTER = "以上只根据字面做提示，是否体现到位请以通知要求和附件1为准。"
AREA_ELEMENT_ADVICE = {
    "理论观点": "说明做法背后的理念、依据或指导思想",
    "方法特点": "说明方法的特色、创新之处和与一般做法的区别",
    "实践要点": "写清实施步骤、关键措施和推进机制",
    "效果亮点": "用数据写出应用前后的变化和取得的成效",
}
AREA_RESUME_LABEL = "继续领域推荐"
AREA_EXAMPLE_TITLE = "××公司××方法实践经验"

# Organizers, broadcasts and the audit log: texts_organizers.py (this file stays under 400 lines).
from conversations.texts_organizers import *  # noqa: E402, F403

# ---- telegram (wording only the Telegram adapter uses) ----------------------------------------
TG_SLOW_DOWN = "请慢一点，您的消息太多太快了。稍等几秒再发，我会继续为您解答。"
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
PRIVACY = (
    "本助手保存的关于您的内容：\n"
    "• 账号：Telegram 用户 ID、用户名和昵称，第一次和最近一次使用的时间；\n"
    "• 企业资料（如您填写）：企业名称、所在城市、所属行业协会；\n"
    "• 资格自测：每次完成自测时的回答和结果（含不符合的条件）；\n"
    "• 领域推荐：您描述的做法、推荐的领域和您选定的领域；\n"
    "• 订阅与提醒（如您订阅了日程提醒）；\n"
    "• 对话进度：您停在哪一步，下次可以接着来；\n"
    "• 没能回答的问题：问题原文。\n"
    "\n"
    "为什么保存：\n"
    "• 让对话可以接着进行，让提醒按时送达；\n"
    "• 供组织单位（您所在城市的组织单位、您所属的行业协会、省经信委）了解工作进展："
    "他们能看到统计数字，并能导出其范围内填写了企业资料的企业名单"
    "（企业名称、城市、协会、最近一次自测结果和日期、不符合的条件、选定的领域、"
    "是否订阅、最近使用时间）；\n"
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
STATS_BROADCASTS = "群发通知：{n} 次"
STATS_DELIVERIES = "  送达情况：{parts}"
STATS_DELIVERY_STATUS = {
    "sent": "已送达",
    "pending": "待发送",
    "sending": "发送中",
    "blocked": "对方已屏蔽",
    "failed": "失败",
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
    "最近自测结果",
    "自测日期",
    "不满足的条件",
    "选定领域",
    "订阅提醒",
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
