"""What forwarding a question to an organizer asks the store to record, and the answers
organizers published for their scope as a flow reads them (issue 19, 4); re-exported by
``conversations.core``."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class ForwardQuestion(BaseModel):
    """转给本市组织单位: the chat's unanswered question ``key`` goes to ``scope``. The store
    checks the question is this chat's and the scope one of its profile's, and records the
    asker's person and channel from its own tables."""

    kind: Literal["forward"] = "forward"
    key: str
    scope: str


class LocalAnswer(BaseModel):
    """An answer an organizer published for its scope (``province``: everywhere): who wrote it
    as which unit, on which day, and the questions it answered (to match a paraphrase)."""

    model_config = ConfigDict(frozen=True)

    id: int
    scope: str
    unit: str  # 无锡市经信委
    day: str  # YYYY-MM-DD, Asia/Shanghai
    text: str
    questions: list[str] = Field(default_factory=list)


def no_local_answers(scopes: list[str]) -> list[LocalAnswer]:
    return []
