"""Interface wording of the focus-area suggestion (领域推荐)."""

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
    "请把案例总结草稿粘贴发给我（建议第一行是标题；通知没有规定篇幅，本助手最多读 {limit} 字，"
    "超过的不截取，会请您删减）。我会提示：是否体现了理论观点、"
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
