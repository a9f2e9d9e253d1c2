"""Rows of a customer import that look like customers already in the database: the same code,
tax number, phone or mobile, or name (the twin check of the customer form, C4).

Found a batch of rows at a time while the file streams (one query per ``BATCH`` rows), so
memory does not grow with the file; only the rows that match are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models.parties import Customer
from .bulk import tuples

BATCH = 500


@dataclass(frozen=True)
class Twin:
    """A row of the file and the existing customers it looks like."""

    row: int
    column: str  # the file's column that matched first
    customers: tuple[tuple[int, str, str], ...]  # (id, code, name)
    why: str  # "same phone 13800138000"


@dataclass
class TwinFinder:
    by_code: bool = True  # False: a code match is reported elsewhere (refused as taken)
    found: list[Twin] = field(default_factory=list)
    _pending: list[tuple[int, dict[str, str]]] = field(default_factory=list)

    def add(self, row: int, keys: dict[str, str]) -> None:
        """``keys``: code, name, phone, mobile, tax_number as the row gives them."""
        keys = {k: v.strip() for k, v in keys.items() if v and v.strip()}
        if not self.by_code:
            keys.pop("code", None)
        if keys:
            self._pending.append((row, keys))
            if len(self._pending) >= BATCH:
                self.flush()

    def flush(self) -> None:
        pending, self._pending = self._pending, []
        if not pending:
            return
        wanted: dict[str, set[str]] = {}
        for _, keys in pending:
            for k, v in keys.items():
                wanted.setdefault("phone" if k == "mobile" else k, set()).add(v)
        cond = None
        for col, values in wanted.items():
            part = getattr(Customer, col).in_(sorted(values))
            if col == "phone":
                part = part | Customer.mobile.in_(sorted(values))
            cond = part if cond is None else cond | part
        q = Customer.select(Customer.id, Customer.code, Customer.name, Customer.phone,
                            Customer.mobile, Customer.tax_number).where(cond)
        index: dict[tuple[str, str], list[tuple[int, str, str]]] = {}
        for cid, code, name, phone, mobile, tax in tuples(q):
            who = (cid, code, name)
            for col, value in (("code", code), ("name", name), ("phone", phone),
                               ("phone", mobile), ("tax_number", tax)):
                if value:
                    index.setdefault((col, value), []).append(who)
        for row, keys in pending:
            matches: dict[int, tuple[int, str, str]] = {}
            first: tuple[str, str] | None = None
            # strongest first: a code or tax number says more than a shared name
            for k in ("code", "tax_number", "phone", "mobile", "name"):
                v = keys.get(k, "")
                hits = index.get(("phone" if k == "mobile" else k, v), []) if v else []
                for who in hits:
                    matches.setdefault(who[0], who)
                if hits and first is None:
                    first = (k, v)
            if matches and first is not None:
                self.found.append(Twin(row, first[0], tuple(matches.values()),
                                       f"same {first[0].replace('_', ' ')} {first[1]}"))
