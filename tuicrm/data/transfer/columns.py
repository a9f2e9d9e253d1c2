"""An import's columns: the key, the kind of value, the headers that name it in a file.

Every column is named in a file by its key (the stable English header of ``tuicrm export``,
compared without regard to case, with ``_`` or a space between words) or by one of its other
names: English aliases and the usual Chinese headers (商品编码, 客户名称, ...). A header an
export writes that an import does not take (``id``, ``created_at``, ...) is skipped; any other
unknown header, or two headers for the same column, is a problem of the header row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ...i18n import _
from .files import SheetRow, is_blank
from .kinds import Kind, cell_text

# Shown as a mark, never sent to a terminal (an escape sequence in a file or a name).
UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
IGNORED = frozenset({"id", "created_at", "updated_at", "创建时间", "创建日期", "更新时间"})


@dataclass(frozen=True)
class Column:
    """One column an importer takes. ``names``: other headers for it, the usual Chinese one
    first (the message for a missing required column names it). ``required``: the file must
    have the column, and every row a value in it (else ``missing`` is the row's problem)."""

    key: str
    kind: Kind
    names: tuple[str, ...] = ()
    required: bool = False
    missing: str = "required"


def column(key: str, kind: Kind, *names: str, required: bool = False,
           missing: str = "required") -> Column:
    """``column("name", Text(200), "客户名称", "名称", required=True)``."""
    return Column(key, kind, names, required, missing)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file, as the user sees it: ``row 4, 分组: unknown group 'x'``."""

    row: int  # 1-based, as the spreadsheet shows it
    column: str  # the header as written in the file ("" for the whole row or file)
    message: str

    def __str__(self) -> str:
        """One line, any control character shown as U+FFFD (never sent to a terminal). Row 0:
        a problem of the whole import, not of a row."""
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return UNPRINTABLE.sub("\ufffd", f"{where}: {self.message}" if self.row else
                               self.message)


def header_name(text: Any) -> str:
    """A header compared as a name: ``" Credit Limit "`` -> ``credit_limit``."""
    return "_".join(str(text).split()).lower()


@dataclass
class Header:
    """How a file's header row maps its cells to an importer's columns."""

    row: int
    positions: list[tuple[int, Column]] = field(default_factory=list)  # cell index, column
    labels: dict[str, str] = field(default_factory=dict)  # column key -> header as written
    problems: list[Problem] = field(default_factory=list)
    missing_required: bool = False

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


def read_header(row: SheetRow, columns: Iterable[Column], ignored: Iterable[str]) -> Header:
    """Map the header row ``row`` to ``columns``; its problems are in the result."""
    columns = tuple(columns)
    by_name = {header_name(name): c for c in columns for name in (c.key, *c.names)}
    skipped = {header_name(name) for name in ignored}
    header = Header(row.number)
    for index, cell in enumerate(row.values):
        if is_blank(cell):
            continue
        text = cell_text(cell)
        name = header_name(text)
        col = by_name.get(name)
        if col is None:
            if name not in skipped:
                header.problems.append(Problem(row.number, text, _("unknown column")))
        elif col.key in header.labels:
            header.problems.append(Problem(row.number, text,
                                           _("same column as {value!r}").format(
                                             value=header.labels[col.key])))
        else:
            header.positions.append((index, col))
            header.labels[col.key] = text
    for col in columns:
        if col.required and col.key not in header.labels:
            names = " or ".join((col.key, *col.names[:1]))
            header.problems.append(Problem(row.number, "", _("no {key} column ({names})").format(
                                                             key=col.key,
                                                             names=names)))
            header.missing_required = True
    return header
