"""Interface wording of the self-check (资格自测)."""

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
CHECK_NEXT_CONTACT = "咨询{contacts}。"
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
