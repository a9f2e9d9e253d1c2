"""Stock counts (stocktaking, SPEC P4), as one place to import them from
(``from tuicrm.data.counts import sessions as counts``).

A count session counts one location: opened with the quantity on hand of every product in its
scope, counted into by scanning from any number of terminals at once, compared with the books
(adjusted for what was sold while counting), then posted - the stock becomes what was counted,
as ordinary ``count`` movements - or cancelled.

Where each part lives: ``rules`` (scopes, modes, who sees expected quantities, the recount
threshold, finding and locking a count), ``opening`` (open a count), ``counting`` (scan, type a
quantity, recount), ``variance`` (the variance and its totals), ``closing`` (post, cancel, the
``tuicrm check`` of posted counts), ``reading`` (headers, lines, history), ``lists`` (the lines
as lists for the screen), ``rows`` (the plain rows all of them return).

Permissions: ``count.manage`` opens, posts and cancels; ``count.count`` counts. In a *blind*
count only ``count.manage`` sees expected quantities and variances; in a *guided* count
counters see them too.
"""

from __future__ import annotations

from .closing import cancel_count, post_count
from .counting import count_scan, recount, set_counted
from .lists import COUNT_BOOK, COUNT_LINES, line_pages
from .opening import open_count
from .reading import (
    count_lines,
    count_locations,
    get_count,
    line_history,
    open_counts,
    recent_counts,
    successor,
)
from .rows import (
    CountEntryRow,
    CountLine,
    CountResult,
    CountRow,
    PostResult,
    Summary,
    VarianceLine,
)
from .rules import MODES, SCOPES, CountScope, can_see_expected, recount_threshold
from .variance import summary, variance, variance_summary

__all__ = [
    "COUNT_BOOK", "COUNT_LINES", "MODES", "SCOPES", "CountEntryRow", "CountLine",
    "CountResult", "CountRow", "CountScope", "PostResult", "Summary", "VarianceLine",
    "can_see_expected", "cancel_count", "count_lines", "count_locations", "count_scan",
    "get_count", "line_history", "line_pages", "open_count", "open_counts", "post_count",
    "recent_counts", "recount", "recount_threshold", "set_counted", "successor", "summary", "variance",
    "variance_summary",
]
