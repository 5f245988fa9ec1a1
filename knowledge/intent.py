"""What a typed text is, before anything answers it: navigation, help, a bare 是, a question…

Pure and small: word lists for the kinds, and the marks of a question (？, 吗, 什么…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from knowledge.text import fold

Kind = Literal[
    "navigation", "help", "human", "apply", "yes", "no", "greeting", "thanks", "abuse",
    "nonsense", "question",
]  # fmt: skip

_NAVIGATION = {
    "menu": "菜单|主菜单|目录|主页|首页|回到开始|回到首页|返回菜单|返回主菜单|打开菜单|menu|home",
    "back": "返回|上一步|后退|back",
    "cancel": "取消|退出|不要了|算了|cancel|quit|exit",
    "restart": "重新开始|重来|从头开始|restart",
}
_HELP = re.compile(
    r"^(帮助|求助|help|使用说明|说明书|怎么用|如何使用|怎么使用|你能做什么|你会什么|你能干什么|"
    r"你可以做什么|你是谁|你是干什么的|有什么可以帮我的|有什么功能|能帮我什么|能做啥|"
    r"what can you do|how does this work|who are you)$"
)
_HUMAN = re.compile(r"(转?人工(客服|服务)?|真人|找个人|客服电话|联系客服|human|agent)")
_APPLY = re.compile(
    r"(怎么|如何|怎样|咋)(申请|申报|报名|参加|参与)|申报(流程|程序|步骤)|申请(流程|程序|步骤)|"
    r"(我们|我司|公司|企业)?(想|要|打算|准备)(申请|申报|报名|参加)|how (do we|to) apply"
)
_YES = "是|是的|对|对的|好|好的|嗯|嗯嗯|可以|行|没错|确定|yes|y|ok|okay|sure"
_NO = "不是|否|不|不对|没有|无|不行|不要|no|n|nope"
_QUESTION_MARKS = re.compile(
    r"[?？]|什么|怎么|如何|哪些|哪里|哪个|多少|谁|能否|是否|可不可以|能不能|要不要|算不算|为什么|"
    r"为啥|咋|几|吗$|呢$|么$|^(how|what|which|why|when|where|who|can|do|does|is|are)\b"
)


@dataclass(frozen=True)
class Intent:
    kind: Kind
    sub: str = ""  # navigation: menu / back / cancel / restart
    asks: bool = False  # marked as a question (？, 吗, 什么…)


def _bare(text: str) -> str:
    return re.sub(r"[\s。.!！~～,，、…]+", "", text).rstrip("啊呀吧啦哈嘛了")


def read(text: str) -> Intent:
    """The kind of ``text`` (greeting, thanks, abuse and nonsense are left to the FAQ)."""
    norm = fold(text).strip()
    bare = _bare(norm) or norm
    asks = bool(_QUESTION_MARKS.search(norm))
    for sub, words in _NAVIGATION.items():
        if bare in words.split("|"):
            return Intent("navigation", sub)
    if _HELP.match(bare.rstrip("?？")):
        return Intent("help", asks=asks)
    if len(bare) <= 12 and _HUMAN.search(bare):
        return Intent("human", asks=asks)
    if _APPLY.search(norm) and len(norm) <= 30:
        return Intent("apply", asks=asks)
    if bare in _YES.split("|"):
        return Intent("yes")
    if bare in _NO.split("|"):
        return Intent("no")
    return Intent("question", asks=asks)
