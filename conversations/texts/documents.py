"""Interface wording of the documents organizers publish (文件下载), as enterprises see them;
read as ``texts.NAME``. The console's wording is in ``org.py``."""

MENU_FILES = "文件下载"
CMD_FILES = "文件下载：组织单位发布的申报表、案例要求、会议通知等"

# Kinds of document (the console's select, the list's labels).
DOC_KINDS = (
    ("form", "申报表"),
    ("requirements", "案例材料要求"),
    ("notice", "会议或活动通知"),
    ("other", "其他"),
)
# Which answers mention which kind (the 申报表 is the notice's 附件2, the case requirements its
# 附件1): an FAQ answer with these words gets a download button for a published file.
DOC_MENTIONS = {
    "form": ("申报表", "附件2", "附件二"),
    "requirements": ("附件1", "附件一", "案例总结材料的要求"),
}
# The units an organizer may publish as (the notice's 组织单位, 三).
DOC_CITY_UNITS = ("{city}市经信委", "{city}市质量协会")
DOC_PROVINCE_UNITS = ("江苏省经信委", "江苏省质量管理协会")

DOC_PUBLISHED_BY = "{unit}发布，{day}"
DOC_FOR_YEAR = "（{year}年度）"
DOC_NOT_THE_NOTICE = "这些文件由组织单位发布，内容不是通知（{doc}）的原文。"
DOC_LIST_HEAD = "适用于{where}的文件（点下面的按钮下载）："
DOC_LINE = "{n}. 《{title}》— {label}；{kind}，{ext}，{size}"
DOC_WHERE_PROVINCE = "全省企业"
DOC_WHERE = "{where}企业"
DOC_NONE = (
    "目前没有适用于{where}的文件。组织单位发布申报表、案例材料要求或会议通知后，会在这里列出。"
    "需要材料请咨询所在地组织单位（发送 /profile 可查看是哪个单位）。"
)
DOC_ASK_CITY = (
    "还不知道贵企业在哪个市，所以只列出了全省的文件。点选所在城市，可以看到该市组织单位发布的"
    "文件（会记入企业信息，可随时用 /profile 修改）："
)
DOC_CITY_SAVED = "已记下：{city}市。"
DOC_BUTTON = "下载：{title}"
DOC_ANSWER_BUTTON = "下载{title}"
DOC_ANSWER_NOTE = (
    "{unit}已于{day}发布《{title}》，可点下面的按钮下载（发布单位的文件，不是通知原文）。"
)
DOC_SENT = (
    "《{title}》，{label}。\n文件内容由发布单位负责，不是通知（{doc}）的原文；"
    "如与通知不一致，请向发布单位核实。"
)
DOC_GONE = "这个文件已撤回，或不适用于贵企业。下面是目前适用的文件："
DOC_MORE = "（另有 {n} 个较早的文件未列出，请咨询发布单位。）"
