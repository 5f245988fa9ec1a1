"""Interface wording of answers to typed questions (beside the notice's own words, which come
from ``knowledge/``); read as ``texts.NAME``."""

# The notice's contacts are 2016's: always said as such.
CONTACTS_2016 = "{notice_year}年通知所列联系人{names}，电话：{phones}"
FAQ_CITE = "（见通知{clause}）"
# A kind of question the notice does not answer (a scope rule: rewards, scoring, copies…).
FAQ_NOT_IN_NOTICE = (
    "通知（{doc}）中没有关于这个问题的规定，我不便猜测。如需了解，可以咨询{contacts}。"
)
# No clause found: said of the search, not of the notice (the question may be put another way).
FAQ_NOT_FOUND = (
    "我没有在通知（{doc}）中找到回答这个问题的规定，也可能是没有读懂您的意思，可以换个说法再问。"
    "如需了解，可以咨询{contacts}。"
)
FAQ_OUTSIDE = (
    "这个问题看起来不在{doc}通知的范围内，我在通知里没有找到相关内容。我只依据这份通知回答"
    "省级“质量标杆”活动的问题（基本条件、重点领域、材料、评审、日程等），请从菜单中选择，或换个问题："
)
FAQ_OTHER_PROGRAMME = (
    "通知（{doc}）只涉及省级“质量标杆”活动，没有关于其他项目、奖项或认定的规定；"
    "这类问题请向该项目的主管部门了解。"
)
FAQ_RELATED = (
    "我不确定通知中哪一条回答了您的问题。最接近的是：{fact}\n"
    "如果这不是您想问的，可以换个说法再问，或咨询{contacts}。"
)
FAQ_SCOPE_RELATED = "通知中与此相关的规定是：{fact}"
FAQ_NOTICE_SAYS = "通知写明的是："  # an answer's own lead-in, not repeated after the one above
# The unit that answers does not give the kind asked: said of that clause (true), not of the
# whole notice (which the matcher cannot know).
FAQ_GAP = "您问的{asked}，通知的这一条没有写明。相关的规定是：{fact}"
FAQ_GAP_ALSO = "说到由谁负责，通知另有一处：{fact}"
FAQ_GAP_CONTACTS = "如需了解，可以咨询{contacts}。"
GAP_WORDS = {
    "when": "具体的时间",
    "how_many": "具体的数量",
    "where": "具体的地点、网址或方式",
    "money": "具体的金额",
    "duration": "具体的时长",
    "person": "具体的人员",
    "who": "由谁负责",
    "how": "具体的方式",
    "consequence": "出现这种情况怎么处理",
}
GAP_JOIN = "和"
FAQ_OTHER_YEAR = (
    "通知只给出了{notice_year}年的安排，没有给出{year}年的日期。"
    "如需了解{year}年的安排，可以咨询所在地的组织单位，或{contacts}。"
)
FAQ_OTHER_YEAR_FACT = "供参考，{notice_year}年通知的安排是：{fact}"
FAQ_DATED_CAVEAT = (
    "（提示：以下是{notice_year}年通知的安排，不是{year}年的；通知没有给出其他年份的日期。）"
)
FAQ_CALENDAR_BUTTON = "查看{notice_year}年通知日程"
FAQ_ABUSE = "抱歉没能帮上忙。我只能依据{doc}通知回答问题，可以换个说法再问一次，或从菜单中选择："

# ---- several questions in one message ------------------------------------------------------
MULTI_HEADER = "您的消息里有{count}个问题，分别回答："
MULTI_PART = "{number}. “{question}”\n{answer}"
MULTI_NOT_IN_NOTICE = "通知没有关于这一点的规定。"
MULTI_OTHER_PROGRAMME = "这一点属于其他项目，通知没有关于它的规定。"
MULTI_SAME = "见第{number}问的回答。"
MULTI_FEATURES = {
    "remind": "可以：点下面的“订阅提醒”（或发送 /remind），日期设定后我会在每个节点前提醒您。",
    "check": "可以用下面的“资格自测”逐条核对基本条件。",
    "area": "可以用下面的“领域推荐”，根据您的做法推荐重点领域。",
    "deadlines": "点下面的“日程与提醒”查看日程。",
}
MULTI_OUTSIDE = "这一点不在通知的范围内。"
MULTI_CONTACTS = "通知没有回答的部分，可以咨询{contacts}。"

# ---- which focus area a practice belongs to -------------------------------------------------
AREA_ANSWER = (
    "通知四(一)列了十个重点领域，没有逐项说明哪些做法属于哪个领域。按常见做法（{ours}），"
    "您描述的做法最接近：{best}{others}。\n可以用菜单里的“领域推荐”细看理由（见通知四(一)）。"
)
AREA_ITEM = "({number}){title}"
AREA_OTHERS = "；也可以考虑{items}"
