"""Eligibility self-check (资格自测): one question per part of the basic conditions of 四(二).

``steps`` holds the step table and its handlers, ``render`` what the user sees, ``script`` the
``biaogan check --jsonl`` records; the diagram ``eligibility.mmd`` is generated from the table.
"""

from conversations.flows.eligibility.render import CODE, FLOW_NAME, verdict_text
from conversations.flows.eligibility.script import check_record
from conversations.flows.eligibility.steps import resume_label, screen, start, table
from conversations.steps import Flow

FLOW = Flow(
    name=FLOW_NAME,
    code=CODE,
    command="check",
    description="资格自测（六项基本条件）",
    table=table,
    start=start,
    screen=screen,
    diagram="eligibility/eligibility.mmd",
    resume_label=resume_label,
)

__all__ = ["FLOW", "check_record", "verdict_text"]
