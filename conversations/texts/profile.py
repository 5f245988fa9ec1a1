"""Interface wording of the profile's association choice and its contact for follow-up (联系人,
联系电话或邮箱); the profile's other wording is in ``texts.calendar``. Read as ``texts.NAME``."""

# ---- the association: chosen from the organizers' list, or typed and confirmed ---------------
PROFILE_OTHER_ASSOCIATION = "其他（输入名称）"
PROFILE_TYPE_ASSOCIATION = "请输入省级行业协会的全称，例如 江苏省机械行业协会："
PROFILE_CONFIRM_ASSOCIATION = "确认：{name}？"
PROFILE_BTN_YES = "是"
PROFILE_BTN_RETYPE = "重新输入"
PROFILE_BAD_ASSOCIATION = (
    "没有把“{text}”记为行业协会：{why}。\n"
    "请输入协会全称（例如 江苏省机械行业协会），或点“没有/跳过”：不通过行业协会的，"
    "由所在市经信委或质量协会推荐即可（见通知三、四(四)）。"
)
PROFILE_WHY_SENTENCE = "这像是一句话，不是协会的名称"
PROFILE_WHY_ENDING = "协会的名称以“协会”“商会”或“联合会”结尾"
PROFILE_WHY_ASSOC_SHORT = "请写协会的全称"
PROFILE_WHY_ASSOC_LONG = "协会名称最多 {high} 个字"
# Words of a text about the enterprise itself or a doubt: answered at the step, even when the
# notice could answer something in it (a question asked mid-way is answered by the router).
PROFILE_WORDS_ABOUT_US = ("我", "不知道", "不清楚", "不确定", "好像", "可能")

# ---- the contact for follow-up (optional) -----------------------------------------------------
PROFILE_ASK_PERSON = (
    "组织单位跟进申报时联系谁？请输入联系人姓名（可以带职务，如 王经理）。可以跳过。\n"
    "联系人和下一步的电话或邮箱，您所在市或所属协会的组织单位能看到并导出（见 /privacy）。"
)
PROFILE_ASK_CONTACT = (
    "联系电话或电子邮箱？例如 0512-12345678、13812345678 或 wang@company.cn。可以跳过。"
)
PROFILE_KEEP_NOW = "\n现在填的是：{value}（跳过则保留）。"
PROFILE_CLEAR = "删除已填的"
PROFILE_BAD_PERSON = "没有记下联系人：{why}。请重新输入，或点“跳过”。"
PROFILE_WHY_PERSON_CONTACT = "这像是电话或邮箱，请先写联系人姓名，电话或邮箱在下一步填写"
PROFILE_WHY_PERSON_SENTENCE = "这像是一个问题，不是姓名"
PROFILE_WHY_PERSON_LENGTH = "姓名请写 {low} 到 {high} 个字"
PROFILE_BAD_CONTACT = "没有记下“{text}”：{why}。请重新输入，或点“跳过”。"
PROFILE_WHY_PHONE = (
    "电话号码不对：手机号是 1 开头的 11 位数字，固定电话要带区号，例如 0512-12345678"
)
PROFILE_WHY_EMAIL = "电子邮箱{why}"
PROFILE_WHY_CONTACT = "请写电话号码或电子邮箱地址"
PROFILE_SUMMARY_CONTACT = "\n联系人：{person}；联系方式：{contact}（组织单位可见，见 /privacy）。"
PROFILE_NOT_GIVEN = "未填"
