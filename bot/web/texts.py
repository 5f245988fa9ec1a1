"""Wording of the web page itself (title, input box, errors), keyed by name, in one place.

The conversation's wording comes from the flows (``conversations/texts.py``); this holds only
what exists on the web page and nowhere else. ``UI`` is what the page's script receives.
"""

from conversations import texts as flow_texts

TITLE = flow_texts.BOT_NAME
SUBTITLE = "依据{document}通知"  # the document number comes from knowledge/data
INPUT_PLACEHOLDER = "输入您的问题"
SEND = "发送"
MENU = "主菜单"
FORGET = "清除记录"
NO_SCRIPT = "本页面需要启用 JavaScript 才能对话。"
LOG_LABEL = "对话记录"

# ---- shown by the page's script --------------------------------------------------------------
FORGET_CONFIRM = "清除本浏览器中的全部对话记录和自测结果？清除后无法恢复。"
FORGOTTEN = "已清除本会话的全部记录。"
DOWNLOAD = "下载文件：{name}"
YOU = "我"
BOT = "助手"
NETWORK_ERROR = "网络连接出了问题，请检查网络后重试。"
LOADING = "正在连接…"
NEW_BADGE = "新消息"  # on a notice the visitor has not seen yet (text, not colour alone)
NEW_SINCE = "您上次离开后收到 {count} 条新消息"  # above the first of them, on the next visit
LARGE_TEXT = "大字"  # the switch in the header (pressed: the page's type one size larger)
# After a failed send the typed text is put back in the box; said after the error.
TEXT_KEPT = "您输入的文字还在输入框里，可以直接再点“发送”。"
# A send found the conversation gone (expired, or cleared in another window): started afresh.
SESSION_RESTARTED = "之前的对话已过期，已为您重新开始。"
# The browser's Back pressed during a self-check: the page stays, says what Back will do now.
LEAVE_CHECK = (
    "自测还没有做完，您的回答已保存。要改上一题，请点“上一步”；再按一次浏览器的“返回”将离开本页。"
)

# ---- errors of the HTTP API (status code: short and true) ------------------------------------
ERR_BAD_JSON = "请求格式有误：需要 JSON 对象。"
ERR_BAD_FIELDS = "请求内容有误：{detail}"
ERR_TOO_LARGE = "请求太大了（超过 {limit} 字节）。"
ERR_NO_SESSION = "这次对话已过期或已被清除，请刷新页面重新开始。"
# The page's token no longer matches its cookie (the chat restarted in another window).
ERR_CSRF = "这个页面已过期（对话可能在另一个窗口重新开始了），请刷新页面后再发送。"
ERR_NOT_FROM_PAGE = "请从聊天页面访问。"
ERR_AFTER = "after 须为非负整数"
ERR_BUTTON = "这个按钮已失效，请使用最新消息中的按钮。"
ERR_SLOW_DOWN = "发送太快了，请稍等几秒再试。"
ERR_NOT_FOUND = "没有这个页面。"
ERR_METHOD = "不支持这种请求方式。"
ERR_SERVER = "抱歉，处理您的消息时出了点问题，请稍后再试。"

STARTED = "网页对话已启动：{url}  （Ctrl-C 停止）"

UI = {
    "forget_confirm": FORGET_CONFIRM,
    "forgotten": FORGOTTEN,
    "download": DOWNLOAD,
    "you": YOU,
    "bot": BOT,
    "network_error": NETWORK_ERROR,
    "loading": LOADING,
    "new_badge": NEW_BADGE,
    "new_since": NEW_SINCE,
    "large_text": LARGE_TEXT,
    "text_kept": TEXT_KEPT,
    "session_restarted": SESSION_RESTARTED,
    "leave_check": LEAVE_CHECK,
}
