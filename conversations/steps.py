"""A flow as data: its steps, what each step accepts, and where each input leads.

The router looks a pressed button up in the table once: a button the current step does not
accept (an old message, forged data) gets one polite reply and changes nothing. The flow's
Mermaid diagram is generated from the same table (``mermaid``; ``python -m
conversations.diagrams`` writes every flow's), and a test holds the committed ``.mmd`` file equal
to it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from conversations.core import Context, Outcome, Reply, Turn

Handler = Callable[[Context, Turn, str], Outcome | None]
"""A step's reaction to a button's argument or a typed text; None: not acceptable here."""

LEAVE = "[*]"  # an edge target: the flow ends (the chat is back at the menu)


@dataclass(frozen=True)
class Edge:
    """One accepted input: the handler and the steps it may lead to (for the diagram)."""

    handler: Handler
    to: tuple[str, ...]
    label: str = ""


@dataclass(frozen=True)
class Step:
    """A screen of a flow: the buttons it accepts by action, and typed text (if any)."""

    name: str
    title: str = ""
    buttons: Mapping[str, Edge] = field(default_factory=dict)
    text: Edge | None = None
    verbatim: bool = False  # typed text goes to ``text`` as it is (no 取消/帮助/菜单 reading)
    # A text longer than the router's limit (MAX_TEXT) is taken here, up to this many
    # characters, as it is (a case draft); 0: the router's limit.
    max_text: int = 0


@dataclass(frozen=True)
class StepTable:
    """Every step of a flow; ``anywhere`` edges are accepted at every step and from outside."""

    steps: tuple[Step, ...]
    anywhere: Mapping[str, Edge] = field(default_factory=dict)
    entry: str = ""  # how the flow is opened, for the diagram

    def step(self, name: str) -> Step | None:
        return next((s for s in self.steps if s.name == name), None)

    def button(self, step: str, action: str) -> Edge | None:
        """The edge a button ``action`` takes at ``step`` (None: not accepted there)."""
        if action in self.anywhere:
            return self.anywhere[action]
        current = self.step(step)
        return current.buttons.get(action) if current is not None else None

    def mermaid(self, header: str) -> str:
        """The state diagram of the table, in Mermaid's stateDiagram-v2."""
        lines = [f"%% {header}", "%% Generated from the step table; tests hold it equal.", ""]
        lines.append("stateDiagram-v2")
        first = self.steps[0].name
        lines.append(f"    [*] --> {first}: {self.entry or 'open'}")
        for step in self.steps:
            if step.title:
                lines.append(f'    state "{step.name}: {step.title}" as {step.name}')
        for step in self.steps:
            for action, edge in step.buttons.items():
                lines += _edges(step.name, edge, f"button {action}")
            if step.text is not None:
                lines += _edges(step.name, step.text, "text")
        if self.anywhere:
            lines.append('    state "any: 任一步骤，或流程之外" as any')
        for action, edge in self.anywhere.items():
            lines += _edges("any", edge, f"button {action}")
        return "\n".join(lines) + "\n"


def _edges(source: str, edge: Edge, what: str) -> list[str]:
    label = f"{what} ({edge.label})" if edge.label else what
    return [f"    {source} --> {target}: {label}" for target in edge.to]


@dataclass(frozen=True)
class Flow:
    """A dialog reached from the menu, a command or a deep link, driven by its step table."""

    name: str
    code: str  # callback-data prefix, one letter
    command: str  # slash command without "/"
    description: str  # command description for the Telegram command list
    table: Callable[[Context], StepTable]
    start: Callable[[Context, Turn], Outcome]
    screen: Callable[[Context, Turn], Reply | None]
    """The pending step shown again (after a detour, a stale button, 继续); None: none."""
    resume_label: Callable[[Context, Turn], str]
    """The button that returns to the pending step, e.g. 继续自测（第3/8题）."""
    diagram: str  # the flow's Mermaid file, relative to conversations/flows/
    organizers_only: bool = False
    """Not in everyone's command list, and not offered back to someone who is no organizer."""
