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
