"""What a stock count may be and who sees what in it: scopes, modes, the recount threshold,
the rule about expected quantities, and the building blocks every count operation uses to find
and lock its count.

**Who sees expected quantities.** ``count.manage`` (managers) always does. In a *guided*
count, counters (``count.count``) see them too; in a *blind* count they never do - not on
screen, not in the count sheet, not in a variance - so what they count is what is on the
shelf, not what the books say. ``can_see_expected`` is that one rule; every reader that
returns an expected, book or variance quantity asks it.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any

from ...i18n import _
from ..core import settings
from ..core.actor import Actor
from ..core.db import for_update, is_sqlite
from ..core.errors import Conflict, NotFound
from ..core.permissions import allowed
from ..core.vocab import CountMode, CountStatus, shown_word
from ..models.counts import StockCount

COUNT = "count.count"  # count into open counts
VIEW = (COUNT, "count.manage")  # either one lets an actor see counts
MANAGE = "count.manage"  # open, post, cancel; sees expected quantities in every count
DOC_TYPE = "count"  # the document type of a posted count's stock movements


class CountScope(StrEnum):
    """Which products a count opens with (stored as these strings)."""

    ALL = "all"
    LOCATION = "location"
    CATEGORY = "category"
    PRODUCTS = "products"


class EntryKind(StrEnum):
    """What a count entry (a line's history) did."""

    SCAN = "scan"  # added its quantity
    SET = "set"  # typed the counted total
    RESET = "reset"  # back to never counted (a recount)


SCOPES: dict[CountScope, str] = {
    CountScope.ALL: "All active products",
    CountScope.LOCATION: "Products stocked at the location",
    CountScope.CATEGORY: "A category with its sub-categories",
    CountScope.PRODUCTS: "A list of products",
}
MODES: dict[CountMode, str] = {
    CountMode.BLIND: "Blind (counters do not see expected quantities)",
    CountMode.GUIDED: "Guided (expected quantities shown)",
}


def can_see_expected(actor: Actor, mode: str) -> bool:
    """Whether ``actor`` may see expected quantities, books and variances of a count in
    ``mode`` (see the module docstring)."""
    if allowed(actor, MANAGE):
        return True
    return mode == CountMode.GUIDED and allowed(actor, COUNT)


def recount_threshold() -> Decimal:
    """Lines whose variance is larger than this (units) are flagged for recount."""
    limit: Decimal = settings.value(settings.RECOUNT_THRESHOLD)
    return abs(limit)


def count_where(count: int | str) -> Any:
    """The WHERE that finds a count by id or by number."""
    if isinstance(count, int) and not isinstance(count, bool):
        return StockCount.id == count
    return StockCount.number == str(count).strip()


def load_count(count: int | str, *, lock: bool = False) -> Any:
    """Building block: the ``StockCount`` with this id or number (``NotFound`` otherwise);
    ``lock`` locks its row until the transaction ends (PostgreSQL)."""
    query = StockCount.select().where(count_where(count))
    found = (for_update(query) if lock else query).first()
    if found is None:
        raise NotFound(_("stock count {count} does not exist").format(count=count))
    return found


def for_share(query: Any) -> Any:
    """``query`` taking a shared row lock (PostgreSQL): writers of the row wait, other
    sharers do not. SQLite's IMMEDIATE transaction already holds the only write lock."""
    return query if is_sqlite() else query.for_update("FOR SHARE")


def lock_open(count_id: int) -> tuple[int, int]:
    """Inside a write transaction: ``(location id, ledger position)`` of an open count;
    ``Conflict`` once it is posted or cancelled.

    The row is read FOR SHARE: many terminals count into one count at once without waiting
    for each other, while posting or cancelling (an UPDATE of this row) waits for the scans
    under way, and scans that come after it see the new status and are refused.
    """
    row = for_share(
        StockCount.select(StockCount.status, StockCount.number, StockCount.location,
                          StockCount.ledger_position)
        .where(StockCount.id == count_id)
    ).tuples().first()
    if row is None:
        raise NotFound(_("stock count #{count_id} does not exist").format(count_id=count_id))
    status, number, location_id, position = row
    if status != CountStatus.OPEN:
        raise Conflict(_("stock count {number} is {status}: it can no longer be changed").format(
                         number=number,
                         status=shown_word(status)))
    return int(location_id), int(position)
