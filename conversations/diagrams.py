"""Each flow's Mermaid diagram, generated from its step table.

``python -m conversations.diagrams`` regenerates every flow's ``.mmd`` file under
``conversations/flows/``; tests/test_steps.py holds the committed files equal to the tables.
Above the flows (it reads ``commands.FLOWS``), so nothing in the dialog imports it.
"""

from __future__ import annotations

from pathlib import Path

from conversations import commands
from conversations.core import Context
from conversations.steps import Flow
from knowledge import load_knowledge


def diagram_path(flow: Flow) -> Path:
    return Path(__file__).parent / "flows" / flow.diagram


def diagram_text(flow: Flow, ctx: Context) -> str:
    return flow.table(ctx).mermaid(f"{flow.description} — conversations/flows/{flow.diagram}")


def main() -> None:
    """Write every flow's diagram and print its path."""
    context = Context(kb=load_knowledge())
    for each in (*commands.FLOWS.values(), *commands.BUTTON_FLOWS):
        diagram_path(each).write_text(diagram_text(each, context), encoding="utf-8")
        print(diagram_path(each))


if __name__ == "__main__":
    main()
