"""Focus-area suggestion (领域推荐): a practice described in free text -> an area of 四(一).

``steps`` holds the step table and its handlers, ``render`` what the user sees, ``draft`` the
case-draft self-review, ``script`` the ``biaogan areas --jsonl`` records; ``areas.mmd`` is
generated from the table.
"""

from conversations import texts
from conversations.flows.areas.render import CODE, FLOW_NAME
from conversations.flows.areas.script import areas_record
from conversations.flows.areas.steps import (
    DRAFT_MAX_CHARS,
    UPLOAD_MB,
    document_reply,
    draft_outcome,
    on_document,
    screen,
    start,
    table,
)
from conversations.steps import Flow

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="area",
    description="领域推荐（十个重点领域）",
    table=table,
    start=start,
    screen=screen,
    diagram="areas/areas.mmd",
    resume_label=lambda ctx, turn: texts.AREA_RESUME_LABEL,
)

__all__ = [
    "DRAFT_MAX_CHARS",
    "FLOW",
    "UPLOAD_MB",
    "areas_record",
    "document_reply",
    "draft_outcome",
    "on_document",
]
