"""The one report engine (SPEC R1-R7): a report is a name, typed parameters and a function
returning rows; the same result is shown on the Reports screen, printed as text fitted to a
width, written to .txt / .csv / .xlsx and run by ``tuicrm report NAME ...``.

Adding a report is one small module in ``tuicrm/reports/catalog/`` (found by ``load_catalog``;
nothing else to edit)::

    from ...data.core.money import from_cents
    from ...i18n import N_, _
    from ..engine import FROM, TO, Column, RunContext, Table, report

    @report("expenses", N_("Expenses by category"), permission="money.view",
            params=(FROM, TO), description=N_("Money paid out, per expense category"))
    def expenses(ctx: RunContext) -> Table:
        start, end = ctx.params["from"], ctx.params["to"]
        rows = [...]                      # tuples in column order, from one SQL GROUP BY
        return Table(
            columns=(Column("category", _("Category")),
                     Column("amount", _("Amount"), "money", total="sum")),
            rows=rows, subtitle=ctx.period_text(), rank_by="amount")

What the engine does, so reports do not:

- **Parameters**: each ``Param`` is typed (date, int, choice, text) with a default; values come
  typed from the screen or as text from the command line (``--from 2026-01-01``), and a bad
  value is a ``ValidationError`` naming the parameter. ``tuicrm report`` offers ``--NAME`` for
  every parameter name any report declares, so a new parameter needs no CLI change.
- **Permission**: ``permission`` (one action, a tuple = any one, None = any active user) is
  checked before the function runs. A column with ``needs=`` (e.g. ``product.see_cost``) is
  left out of the result for an actor without that permission, everywhere at once.
- **Totals** are computed from the rows (``total="sum"``, or ``Ratio(num, den)`` for a
  percentage of two summed columns), so a total always equals the sum of its rows.
- **Top N**: with a ``top`` parameter and ``Table.rank_by`` set, the rows are ranked by that
  column and the rest folded into one "others" row (sums added, ratios recomputed).
- **Progress and cancel**: a long report calls ``ctx.progress(done, total)`` now and then;
  it raises ``Cancelled`` when the screen's Esc (or a closed screen) asked it to stop.

Values in rows: text ``str``, ``int``, quantities and money ``Decimal``, percentages
``Decimal`` in percent (``12.5`` = 12.5 %) or None, dates ``datetime.date``. Renderers are in
``reports.render`` (``render_text``, ``write_report``). No Textual here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..data.core import clock
from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError, ValidationError
from ..data.core.formats import fmt_date
from ..data.core.permissions import allowed, as_actor, require_active, require_any
from ..i18n import N_, _
from .made_rows import MadeRows
from .totals import PERCENT_PLACES, compute_totals, fold_top, percent

__all__ = [
    "AS_OF", "FROM", "PERCENT_PLACES", "REPORTS", "TO", "TOP", "Cancelled", "Column", "Param", "Ratio", "Report",
    "Result", "RunContext", "Table", "by_param", "compute_totals", "fold_top", "get_report",
    "load_catalog", "parse_params", "percent", "report", "reports_for", "run_report",
]

ColumnKind = Literal["text", "int", "qty", "money", "percent", "date"]
ParamKind = Literal["date", "int", "choice", "text"]
NUMERIC_KINDS = ("int", "qty", "money", "percent")


class Cancelled(TuicrmError):
    """The report was stopped before it finished (nothing to show or write)."""


@dataclass(frozen=True)
class Ratio:
    """A percentage column's total: 100 * sum(numerator) / sum(denominator)."""

    numerator: str
    denominator: str


@dataclass(frozen=True)
class Column:
    """One column of a report.

    ``key`` is the stable lower-case English header of csv/xlsx files (for scripts);
    ``title`` is what users read on screen and in text. ``total``: "sum", a ``Ratio``, or
    None (blank in the totals row). ``needs``: a permission; without it the column is left
    out (cost and margin without ``product.see_cost``).
    """

    key: str
    title: str
    kind: ColumnKind = "text"
    total: Literal["sum"] | Ratio | None = None
    needs: str | None = None

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Param:
    """A report parameter: ``--name`` on the command line, a field on the Reports screen."""

    name: str
    kind: ParamKind
    label: str
    default: Any = None  # a value, or a callable(today) -> value
    choices: tuple[str, ...] = ()
    help: str = ""
    choice_labels: tuple[str, ...] = ()  # N_() marked, one per choice (shown on screen)
    required: bool = False  # no default: the Reports screen asks for it before running

    def label_of(self, value: Any) -> str:
        """How a value reads on screen: a choice's translated label, a date in ISO form."""
        if value in self.choices and len(self.choice_labels) == len(self.choices):
            return _(self.choice_labels[self.choices.index(value)])
        return value.isoformat() if isinstance(value, dt.date) else str(value)

    def default_value(self) -> Any:
        return self.default(clock.today()) if callable(self.default) else self.default

    def parse(self, value: Any) -> Any:
        """``value`` (typed, or text from the command line / a field) as this parameter's
        type; None or "" gives the default. ``ValidationError`` names the parameter."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return self.default_value()
        try:
            return self._parse(value)
        except (ValueError, TypeError) as e:
            raise ValidationError({self.name: str(e)}) from None

    def _parse(self, value: Any) -> Any:
        if self.kind == "date":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            try:
                return dt.date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError(_("not a date (YYYY-MM-DD): {value!r}").format(
                    value=value)) from None
        if self.kind == "int":
            if isinstance(value, bool):
                raise ValueError(_("not a whole number: {value!r}").format(value=value))
            try:
                number = int(str(value).strip()) if isinstance(value, str) else int(value)
            except ValueError:
                raise ValueError(_("not a whole number: {value!r}").format(
                    value=value)) from None
            if number < 0:
                raise ValueError(_("must not be negative: {value}").format(value=number))
            return number
        text = str(value).strip()
        if self.kind == "choice" and text not in self.choices:
            raise ValueError(_("one of {choices}, not {value!r}").format(
                choices=", ".join(self.choices), value=text))
        return text


def first_of_month(today: dt.date) -> dt.date:
    return today.replace(day=1)


def same_day(today: dt.date) -> dt.date:
    return today


# The parameters most reports share (use these, so the command line stays one vocabulary).
FROM = Param("from", "date", N_("From"), first_of_month, help=N_("first day (default: the "
             "first of this month)"))
TO = Param("to", "date", N_("To"), same_day, help=N_("last day (default: today)"))
AS_OF = Param("as-of", "date", N_("As of"), same_day, help=N_("the day it is as of "
              "(default: today)"))
TOP = Param("top", "int", N_("Top"), 0, help=N_("keep the N largest rows and add one "
            "'others' row (0: all)"))


def by_param(choices: Sequence[str], default: str, labels: Sequence[str] = ()) -> Param:
    """The grouping parameter (``--by KEY``); ``labels``: how each choice reads on screen."""
    return Param("by", "choice", N_("By"), default, tuple(choices),
                 help=N_("group by: ") + ", ".join(choices), choice_labels=tuple(labels))


@dataclass(frozen=True)
class Table:
    """What a report function returns: columns and rows (tuples in column order).

    ``subtitle``: one line under the title (the period, the day it is as of). ``notes``: lines
    under the table (what is counted, what is left out). ``rank_by``: the column ``top`` ranks
    on (None: the report cannot be cut to a top N). ``chart``: the column a chart draws (bars
    per row; ``over_time`` when the rows are periods, oldest first). ``level``: for a tree
    (categories and their sub-categories), the int column holding a row's depth; a row deeper
    than 0 is part of the row above it, so only depth-0 rows count in the totals.
    """

    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]]  # a list, or ``MadeRows`` made as they are read
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    rank_by: str | None = None
    chart: str | None = None
    over_time: bool = False
    level: str | None = None
    # The totals row when the report adds it up itself (exactly, in integers, as it makes the
    # rows): tens of thousands of Decimal additions saved. None: the engine adds the rows.
    totals: tuple[Any, ...] | None = None
    ranked: bool = False  # the rows are largest ``rank_by`` first already


@dataclass(frozen=True)
class Result:
    """A report as run for one actor: only the columns they may see, with totals."""

    name: str
    title: str
    params: Mapping[str, Any]
    columns: tuple[Column, ...]
    rows: Sequence[tuple[Any, ...]]
    totals: tuple[Any, ...] | None
    subtitle: str = ""
    notes: tuple[str, ...] = ()
    chart: str | None = None
    over_time: bool = False
    level: str | None = None

    def index(self, key: str) -> int:
        return [c.key for c in self.columns].index(key)

    def counted_rows(self) -> Sequence[tuple[Any, ...]]:
        """The rows the totals add up: all of them, or the top of a tree (``level`` 0)."""
        if self.level is None:
            return self.rows
        i = self.index(self.level)
        return [r for r in self.rows if not r[i]]


ReportFunction = Callable[["RunContext"], Table]


@dataclass(frozen=True)
class Report:
    name: str  # stable, lower-case: ``tuicrm report NAME``
    title: str  # N_() marked; translated when shown
    function: ReportFunction = field(repr=False)
    params: tuple[Param, ...] = ()
    permission: str | tuple[str, ...] | None = None
    description: str = ""
    topic: str = ""  # the catalog module it came from (sales, stock, staff, ...)
    also_needs: tuple[str, ...] = ()  # every one of these too (e.g. money.view + expense)

    def param(self, name: str) -> Param | None:
        return next((p for p in self.params if p.name == name), None)

    def may_run(self, actor: Actor) -> bool:
        perms = (self.permission,) if isinstance(self.permission, str) else (
            self.permission or ())
        return ((not perms or any(allowed(actor, p) for p in perms))
                and all(allowed(actor, p) for p in self.also_needs))


REPORTS: dict[str, Report] = {}


def report(name: str, title: str, *, params: Sequence[Param] = (),
           permission: str | tuple[str, ...] | None = None,
           description: str = "", also_needs: Sequence[str] = (),
           ) -> Callable[[ReportFunction], ReportFunction]:
    """Register ``function(ctx) -> Table`` as the report ``name`` (see the module docstring).
    ``also_needs``: permissions needed as well as (any one of) ``permission``."""
    if name != name.lower() or " " in name:
        raise ValueError(f"report names are lower-case words joined by '-': {name!r}")
    names = [p.name for p in params]
    if len(set(names)) != len(names):
        raise ValueError(f"report {name}: a parameter is declared twice")

    def register(function: ReportFunction) -> ReportFunction:
        if name in REPORTS and REPORTS[name].function is not function:
            raise ValueError(f"two reports are named {name!r}")
        topic = function.__module__.rsplit(".", 1)[-1]
        REPORTS[name] = Report(name, title, function, tuple(params), permission, description,
                               topic, tuple(also_needs))
        return function

    return register


def load_catalog() -> dict[str, Report]:
    """Import every module of ``tuicrm.reports.catalog`` (each registers its reports)."""
    from . import catalog

    for info in pkgutil.iter_modules(catalog.__path__):
        importlib.import_module(f"{catalog.__name__}.{info.name}")
    return REPORTS


def get_report(name: str) -> Report:
    load_catalog()
    try:
        return REPORTS[name]
    except KeyError:
        raise ValidationError(_("no report named {name!r}; 'tuicrm report --list' names them")
                              .format(name=name)) from None


def reports_for(actor: Actor) -> list[Report]:
    """The reports ``actor`` may run, by title."""
    out = []
    for r in load_catalog().values():
        if r.may_run(actor):
            out.append(r)
    return sorted(out, key=lambda r: (r.topic, r.name))


class RunContext:
    """What a report function gets: the actor, the parsed parameters, progress and cancel."""

    def __init__(self, actor: Actor, params: Mapping[str, Any],
                 progress: Callable[[int, int], None] | None = None,
                 cancel: threading.Event | None = None) -> None:
        self.actor = actor
        self.params = params
        self._progress = progress
        self._cancel = cancel

    def allowed(self, action: str) -> bool:
        return allowed(self.actor, action)

    def check_cancel(self) -> None:
        if self._cancel is not None and self._cancel.is_set():
            raise Cancelled(_("report cancelled"))

    def progress(self, done: int, total: int) -> None:
        """Report progress (steps done of total) and stop here if cancelled."""
        self.check_cancel()
        if self._progress is not None:
            self._progress(done, total)

    def period_text(self) -> str:
        start, end = self.params.get("from"), self.params.get("to")
        if start is not None and end is not None:
            return _("{start} to {end}").format(start=fmt_date(start), end=fmt_date(end))
        as_of = self.params.get("as-of")
        return _("as of {day}").format(day=fmt_date(as_of)) if as_of is not None else ""


def parse_params(rep: Report, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Every parameter of ``rep`` typed (defaults for those not given); an unknown name, a bad
    value or a required one missing is a ``ValidationError``; ``from`` after ``to`` too."""
    unknown = [k for k, v in raw.items() if rep.param(k) is None and v not in (None, "")]
    if unknown:
        raise ValidationError(_("report {name} takes no {params}").format(
            name=rep.name, params=", ".join("--" + k for k in unknown)))
    values = {p.name: p.parse(raw.get(p.name)) for p in rep.params}
    missing = {p.name: _("required: {what}").format(what=_(p.help or p.label))
               for p in rep.params if p.required and values[p.name] in (None, "")}
    if missing:
        raise ValidationError(missing)
    start, end = values.get("from"), values.get("to")
    if start is not None and end is not None and start > end:
        raise ValidationError({"from": _("the period starts after it ends ({start} > {end})")
                               .format(start=start, end=end)})
    return values


def run_report(actor: Actor, name: str, params: Mapping[str, Any] | None = None, *,
               progress: Callable[[int, int], None] | None = None,
               cancel: threading.Event | None = None) -> Result:
    """Run the report ``name`` for ``actor`` (permission checked) with ``params`` (typed
    values or text; missing ones take their defaults)."""
    rep = get_report(name)
    who = as_actor(actor)
    perms = (rep.permission,) if isinstance(rep.permission, str) else rep.permission or ()
    if perms:
        require_any(who, perms)
    else:
        require_active(who)
    for action in rep.also_needs:
        require_any(who, (action,))
    values = parse_params(rep, params or {})
    ctx = RunContext(who, values, progress, cancel)
    table = rep.function(ctx)
    ctx.check_cancel()
    rows = table.rows
    top = values.get("top") or 0
    if top and table.rank_by is not None:
        rows = fold_top(table.columns, rows, table.rank_by, top, ranked=table.ranked,
                        totals=table.totals if table.level is None else None)
    counted = rows
    if table.level is not None:
        depth = [c.key for c in table.columns].index(table.level)
        counted = [r for r in rows if not r[depth]]
    totals = table.totals if table.totals is not None else compute_totals(table.columns,
                                                                           counted)
    keep = [i for i, c in enumerate(table.columns) if c.needs is None or ctx.allowed(c.needs)]
    if len(keep) < len(table.columns):
        columns = tuple(table.columns[i] for i in keep)
        rows = rows.picked(keep) if isinstance(rows, MadeRows) else [
            tuple(r[i] for i in keep) for r in rows]
        totals = tuple(totals[i] for i in keep)
    else:
        columns = table.columns
    return Result(rep.name, _(rep.title), values, columns, rows, totals, table.subtitle,
                  table.notes, table.chart if any(c.key == table.chart for c in columns)
                  else None, table.over_time, table.level)
