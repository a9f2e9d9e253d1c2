"""``tuicrm check``: no import is left half-applied without anyone being told."""

from __future__ import annotations

from collections.abc import Iterator

from ..check import check
from .runs import unfinished_runs


@check("import_runs", "no import is left half-written")
def import_runs(limit: int) -> Iterator[str]:
    for run in unfinished_runs()[:limit]:
        head = (f"import run {run.id} ({run.kind} from {run.file}, "
                f"{run.started_at:%Y-%m-%d %H:%M}, {run.username})")
        if run.stored == "undoing":
            yield (f"{head} stopped while being taken back ({run.removed:,} removed); "
                   f"'tuicrm imports undo {run.id}' finishes taking it back")
        else:
            yield (f"{head} stopped half-way: {run.applied:,} of {run.total:,} rows written; "
                   f"'tuicrm imports resume {run.id}' finishes it, 'tuicrm imports undo "
                   f"{run.id}' takes it back")
