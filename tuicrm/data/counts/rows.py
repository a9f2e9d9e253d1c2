"""The plain rows the count operations return: frozen values a screen, a report or a worker
thread can hold without a database handle (no lazy foreign keys, joins done)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from ...i18n import _
from ..core.money import fmt_qty
from ..core.vocab import CountMode, CountStatus, shown_word
from .rules import CountScope, EntryKind


@dataclass(frozen=True, slots=True)
class CountRow:
    """A count session's header as one actor reads it (``sees_expected``, ``manages``)."""

    id: int
    number: str
    status: CountStatus
    mode: CountMode
    scope: CountScope
    scope_label: str
    location_id: int
    location_code: str
    location_name: str
    zero_uncounted: bool
    note: str
    ledger_position: int  # the newest stock movement when it was opened
    opened_at: dt.datetime
    opened_by: str  # user name ('' once the user is deleted)
    closed_at: dt.datetime | None
    closed_by: str
    lines: int
    counted_lines: int  # lines counted at least once (by anyone)
    sees_expected: bool  # the reader may see expected quantities and variances
    manages: bool  # the reader may open, post and cancel counts

    @property
    def is_open(self) -> bool:
        return self.status == CountStatus.OPEN

    def describe(self) -> str:
        """``SC-2026-000001 open · 3/12 counted · blind · all products at MAIN``: the
        numbers and the mode before the scope, which may be long and is what a narrow
        line shortens (with an ellipsis)."""
        state = shown_word(self.status)
        if not self.is_open:
            state = state.upper()
        return _("{number} {state} · {counted}/{lines} counted · {mode} · {scope} at "
                 "{location}").format(number=self.number, state=state,
                                      counted=self.counted_lines, lines=self.lines,
                                      mode=shown_word(self.mode), scope=self.scope_label,
                                      location=self.location_code)


@dataclass(frozen=True, slots=True)
class CountLine:
    """One product of a count. ``expected`` is None for a reader who may not see it."""

    id: int
    product_id: int
    code: str
    name: str
    unit: str
    in_scope: bool
    counted: Decimal
    entries: int  # 0: never counted
    expected: Decimal | None  # on hand when the count opened

    @property
    def counted_at_all(self) -> bool:
        return self.entries > 0


@dataclass(frozen=True, slots=True)
class CountResult:
    """What one scan, typed quantity or recount did to a line."""

    line_id: int
    product_id: int
    product_code: str
    product_name: str
    added: Decimal  # the change of the counted quantity
    counted: Decimal  # the line's counted total after it (all terminals together)
    out_of_scope: bool  # the product was not in the count's scope
    new_line: bool  # this scan added the (out-of-scope) product to the count

    @property
    def status(self) -> str:
        """``T-1: +1 -> 3`` for the status line."""
        sign = "+" if self.added >= 0 else ""
        return f"{self.product_code}: {sign}{fmt_qty(self.added)} -> {fmt_qty(self.counted)}"

    @property
    def warning(self) -> str:
        if not self.out_of_scope:
            return ""
        return (f"{self.product_code} {self.product_name} is not in this count's scope"
                + (": added to the count" if self.new_line else ""))


@dataclass(frozen=True, slots=True)
class CountEntryRow:
    """One scan, typed quantity or recount of a line: who, when, what."""

    id: int
    kind: EntryKind
    quantity: Decimal  # added (scan), the new total (set), 0 (reset)
    code: str  # as scanned or typed
    user: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class VarianceLine:
    """A line with everything its variance is made of (readers who may see expected)."""

    line_id: int
    product_id: int
    code: str
    name: str
    unit: str
    cost: Decimal
    in_scope: bool
    expected: Decimal  # at opening
    moved: Decimal  # net movements since opening, up to when the line was counted
    counted: Decimal
    entries: int
    adjustment: Decimal | None  # posted counts: what was moved

    @property
    def counted_at_all(self) -> bool:
        return self.entries > 0

    @property
    def book(self) -> Decimal:
        """What the ledger said when the line was counted (now, if never counted): expected +
        the movements since opening up to then."""
        return self.expected + self.moved

    @property
    def variance(self) -> Decimal | None:
        """counted - book (a posted line: what posting moved); None for a never-counted line
        that stays as it is."""
        if self.adjustment is not None and (self.counted_at_all or self.adjustment != 0):
            return self.adjustment
        if not self.counted_at_all:
            return None
        return self.counted - self.book

    def shown_counted(self) -> Decimal | None:
        """The counted quantity as reports show it: None (empty) for a line nobody counted,
        also once the count is posted."""
        return self.counted if self.counted_at_all else None

    def shown_variance(self, zero_uncounted: bool) -> Decimal | None:
        """The variance as reports show it: empty for a never-counted line that stays as it
        is, ``-book`` for one that becomes zero, what was moved once posted."""
        if self.adjustment is not None:
            return self.variance
        if not self.counted_at_all and not zero_uncounted:
            return None
        return self.variance_if(zero_uncounted)

    def variance_if(self, zero_uncounted: bool) -> Decimal:
        if self.adjustment is not None:
            return self.adjustment
        if not self.counted_at_all:
            return -self.book if zero_uncounted else Decimal("0.000")
        return self.counted - self.book

    def value(self, zero_uncounted: bool) -> Decimal:
        return (self.variance_if(zero_uncounted) * self.cost).quantize(Decimal("0.01"))

    def flagged(self, limit: Decimal) -> bool:
        """To recount: a counted line whose variance is larger than ``limit`` - the one
        definition the screen, the post dialog and the reports share (a posted count keeps
        showing which lines were over it)."""
        v = self.variance
        return self.counted_at_all and v is not None and abs(v) > limit


@dataclass(frozen=True, slots=True)
class Summary:
    lines: int
    counted: int
    uncounted: int
    out_of_scope: int
    flagged: int
    value: Decimal  # net variance at cost
    limit: Decimal = Decimal("0")  # the recount threshold the flags are against

    def progress(self) -> str:
        """``4/5 counted, 2 to recount (variance over 5)``: the same words on the count
        screen, in the post dialog and under the variance report."""
        return (f"{self.counted}/{self.lines} counted, {self.flagged} to recount "
                f"(variance over {fmt_qty(self.limit)})")


@dataclass(frozen=True, slots=True)
class PostResult:
    number: str
    movements: int
    lines: int
    value: Decimal
