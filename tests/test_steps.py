"""Each flow's step table: its diagram is generated from it, and every edge leads somewhere real."""

from __future__ import annotations

import pytest

from conversations import commands
from conversations.diagrams import diagram_path, diagram_text
from conversations.steps import LEAVE


@pytest.mark.parametrize("name", sorted(commands.FLOWS))
def test_the_committed_diagram_is_the_one_the_table_generates(ctx, name):
    flow = commands.FLOWS[name]
    committed = diagram_path(flow).read_text(encoding="utf-8")
    assert committed == diagram_text(flow, ctx), "regenerate: python -m conversations.diagrams"


@pytest.mark.parametrize("name", sorted(commands.FLOWS))
def test_every_edge_leads_to_a_step_of_the_same_table(ctx, name):
    table = commands.FLOWS[name].table(ctx)
    names = {step.name for step in table.steps} | {LEAVE}
    edges = [e for s in table.steps for e in (*s.buttons.values(), s.text) if e is not None]
    edges += list(table.anywhere.values())
    for edge in edges:
        assert set(edge.to) <= names, (edge.label, edge.to)


def test_a_button_no_step_accepts_is_stale(ctx):
    """The pick bug, fixed by construction: a:pick at the describe step records nothing."""
    from conversations.core import CallbackEvent, ChatState
    from tests.driver import handle

    out = handle(ctx, ChatState(flow="area", step="describe"), CallbackEvent(data="a:pick:3"))
    assert out.effects == [] and out.state.step == "describe"
