"""The steps a ``PageWindow`` queues: keys (moves, jumps to an end, Space, Enter) and lists
to show, applied in the order they came once the rows they need are at hand."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .page_reads import Pager, Request


@dataclass(frozen=True)
class Move:
    delta: int
    scroll: bool = False  # the screen moves along (PgUp/PgDn)


@dataclass(frozen=True)
class Edge:
    last: bool  # End (else Home)


@dataclass(frozen=True)
class Mark:
    """Space: mark or unmark the cursor row."""


@dataclass(frozen=True)
class Select:
    """Enter: the cursor row is chosen."""


@dataclass
class Load:
    """A list to show (a new query, the same one read again, or a record to go to)."""

    pager: Pager
    refresh: bool = False
    target_id: Any = None  # the record to put the cursor on (None: the cursor's record)
    missing_ok: bool = False  # go to: if the list lacks the record, change nothing
    recount: bool = True
    request: Request | None = None  # fixed once asked for


Step = Move | Edge | Mark | Select | Load


__all__ = ["Edge", "Load", "Mark", "Move", "Select", "Step"]
