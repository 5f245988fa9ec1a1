"""Several questions in one message, taken apart: "申报条件有哪些，材料交到哪里？另外几号截止".

A message is cut at sentence ends (。？！；, new lines), at connectives that start another
question (另外, 还有, 此外…), at a comma between two pieces that each ask something, and inside
a run typed without punctuation where one question ends (…有哪些, …吗) or another starts
(什么时候…, 交到哪…). A piece that asks nothing ("我们是南通的企业") is context: it is kept
with the question after it. Pure; no I/O. The matcher scores each part; the answer says each
part's answer with its clause, and which part the notice does not answer.
"""

from __future__ import annotations

import re

from knowledge.text import fold

MAX_PARTS = 5
MIN_PART = 3  # characters of a question part
_HARD_RE = re.compile(
    r"[。？?！!；;\n]+|(?:另外|此外|还有就是|还有|以及|顺便问一下|顺便问|再问一下|还想问一下|还想问)"
)
_COMMA_RE = re.compile(r"[，,、]")
_ASKS_RE = re.compile(
    r"[吗么呢](?=$|[啊呀吧哈]?$)|什么(?![也都])|啥(?![也都])|怎么(?!也|都|样都)(?<!不怎么)|咋|如何|"
    r"哪(?!怕)|(?<![好十])几(?![乎十年来])|多少|是否|能否|能不能|可不可以|有没有|要不要|是不是|"
    r"算不算|行不行|谁|多久|多长|how|what|when|where|who|which"
)
# Inside an unpunctuated run: where one question ends, and where another starts.
_ENDS_RE = re.compile(
    r"(有哪些|是哪些|是什么|是啥|有啥|是多少|多少个|几个|几家|在哪里|在哪儿|在哪|哪里|哪天|几号|"
    r"是谁|怎么办|行不行|算不算|可以吗|能不能报|吗|呢)(?=.{4,})"
)
_STARTS_RE = re.compile(
    r"(?<=.{4})(?=什么时候|啥时候|何时|几号截止|哪天截止|需要什么|要交什么|交到哪|送到哪|报到哪|找谁|谁负责)"
)


def asks(piece: str) -> bool:
    """Does the piece ask something (a question word or particle)?"""
    return _ASKS_RE.search(piece) is not None


def _cut_run(run: str) -> list[str]:
    """An unpunctuated run cut where one question ends or another starts."""
    cuts = {m.end() for m in _ENDS_RE.finditer(run)} | {m.start() for m in _STARTS_RE.finditer(run)}
    pieces, start = [], 0
    for cut in sorted(cuts):
        left = run[start:cut]
        if len(left) >= MIN_PART and asks(left) and asks(run[cut:]):
            pieces.append(left)
            start = cut
    pieces.append(run[start:])
    return pieces


def parts(text: str) -> list[str]:
    """The questions of a message, each with the context before it; [text] for one question."""
    folded = fold(text)
    chunks: list[str] = []
    for sentence in _HARD_RE.split(folded):
        clauses = [c.strip() for c in _COMMA_RE.split(sentence) if c.strip()]
        merged: list[str] = []
        for clause in clauses:  # a comma joins unless both sides ask something
            if merged and not (asks(merged[-1]) and asks(clause)):
                merged[-1] += "，" + clause
            else:
                merged.append(clause)
        for piece in merged:
            chunks += _cut_run(piece) if "，" not in piece else [piece]
    found: list[str] = []
    context = ""
    for chunk in chunks:
        if not asks(chunk):
            context = f"{context}，{chunk}" if context else chunk
            continue
        piece = f"{context}，{chunk}" if context else chunk
        context = ""
        if len(chunk) >= MIN_PART:
            found.append(piece)
        elif found:
            found[-1] += "，" + chunk
    if context and found:
        found[-1] += "，" + context
    if len(found) < 2 or len(found) > MAX_PARTS:
        return [text]
    return found
