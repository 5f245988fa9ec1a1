"""Interface wording of the organizers' contact cards (联系方式): what enterprises read, and the
refusals of a card's fields (console, CLI, store); read as ``texts.NAME``."""

# ---- what an enterprise reads -----------------------------------------------------------------
# A card is the organizer's own text: labelled as that unit's, never as the notice's.
CONTACT_CARD_HEAD = "{unit}（组织单位提供，{day}更新）"
CONTACT_CARD_LINES = (
    ("person", "联系人：{value}"),
    ("phone", "电话：{value}"),
    ("address", "地址：{value}"),
    ("hours", "办公时间：{value}"),
)
# In a sentence ("可以咨询{contacts}"): the card first, then 2016's contacts, said as 2016's.
CONTACT_CARD_INLINE = "{unit}（组织单位提供）{person}，电话：{phone}"
CONTACT_CARDS_JOIN = "；"
CONTACT_THEN_2016 = "{cards}；或{contacts}"
CONTACT_OWN_FIRST = "请先联系您的组织单位："
CONTACT_HUMAN_LEAD_CARDS = "我是自动助手，没有人工客服。需要找人咨询，请先联系您的组织单位："
CONTACT_NO_CARD = "{where}的组织单位还没有在这里提供联系方式。"
CONTACT_ASK_CITY = (
    "各市的联系方式由本市组织单位提供。请点选贵企业所在的城市，查看本市组织单位的联系方式"
    "（会记入企业信息，可随时用 /profile 修改）："
)
CONTACT_CITY_SAVED = "已记下所在城市：{city}市。"
CONTACT_CITY_BUTTON = "选择所在城市，查看本市联系方式"

# ---- a card's fields, and why one is refused -------------------------------------------------
CONTACT_FIELD_NAMES = {
    "unit": "单位",
    "person": "联系人",
    "phone": "电话",
    "address": "地址",
    "hours": "办公时间",
}
CONTACT_ERR_EMPTY = "请填写{field}。"
CONTACT_ERR_SHORT = "{field}至少{limit}个字。"
CONTACT_ERR_LONG = "{field}最多{limit}个字（现在是{length}个字）。"
CONTACT_ERR_CONTROL = "{field}只能写一行文字，不能包含换行或控制字符。"
CONTACT_ERR_PHONE = (
    "电话只能写数字、空格和 - + ( ) 、 , / 转，至少7位数字，例如 0510-81234567 或 "
    "0510-81234567、13812345678。"
)
CONTACT_ERR_SCOPE = "范围“{scope}”无法识别：请写 province、city:无锡 或 assoc:江苏省机械行业协会。"
CONTACT_NOT_YOURS = "您是{mine}的组织单位，只能编辑{mine}的联系方式，不能编辑{scope}的。"
CONTACT_NOT_ORGANIZER = "只有组织单位可以编辑联系方式。"

# ---- the organizers' console: 联系方式 (/org/contacts) ------------------------------------------
ORG_CONTACTS_HEADING = "联系方式"
ORG_CONTACTS_LEAD = (
    "企业问联系人、要找人工，或问到通知没有写明的问题时，助手先给出本单位登记的联系方式"
    "（注明“组织单位提供”和更新日期），再给出2016年通知所列的联系人。您可以编辑{scope}的联系方式。"
)
ORG_CONTACTS_COLUMNS = ("范围", "单位", "联系人", "电话", "地址", "办公时间", "更新", "")
ORG_CONTACTS_EMPTY = "还没有登记联系方式。"
ORG_CONTACTS_FORM_HEADING = "{scope}的联系方式"
ORG_CONTACTS_CHOOSE_LABEL = "编辑哪个范围的联系方式"
ORG_CONTACTS_CHOOSE_BUTTON = "打开"
ORG_CONTACTS_HINTS = {
    "unit": "企业看到的单位名称，例如：无锡市经信委",
    "person": "例如：陈科长",
    "phone": "例如：0510-81234567；多个号码用“、”分开",
    "address": "可选，例如：无锡市××路×号×楼",
    "hours": "可选，例如：工作日 9:00—17:00",
}
ORG_CONTACTS_SAVE = "保存联系方式"
ORG_CONTACTS_REMOVE = "删除"
ORG_CONTACTS_REMOVE_OF = "删除{scope}的联系方式"
ORG_CONTACTS_EDIT = "编辑"
ORG_CONTACTS_UPDATED = "{when}（{who}）"
ORG_CONTACTS_DONE = {
    "set": "已保存。企业从现在起会先看到这份联系方式。",
    "changed": "已更新。企业从现在起看到的是新的联系方式。",
    "same": "内容没有变化，未作修改。",
    "removed": "已删除。企业会只看到2016年通知所列的联系人。",
}
ORG_CONTACTS_NONE_TO_REMOVE = "这个范围没有登记联系方式，无需删除。"
