"""``tuicrm check``: no import is left half-applied without anyone being told."""

from __future__ import annotations

from collections.abc import Iterator

from ...i18n import _
from ..check import check
from .runs import unfinished_runs


@check("import_runs", "no import is left half-written")
def import_runs(limit: int) -> Iterator[str]:
    for run in unfinished_runs()[:limit]:
        names = {"id": run.id, "kind": run.kind, "file": run.file,
                 "started": f"{run.started_at:%Y-%m-%d %H:%M}", "user": run.username}
        if run.stored == "undoing":
            yield _("import run {id} ({kind} from {file}, {started}, {user}) stopped while "
                    "being taken back ({removed} removed); 'tuicrm imports undo {id}' "
                    "finishes taking it back").format(removed=f"{run.removed:,}", **names)
        else:
            yield _("import run {id} ({kind} from {file}, {started}, {user}) stopped half-way: "
                    "{applied} of {total} rows written; 'tuicrm imports resume {id}' finishes "
                    "it, 'tuicrm imports undo {id}' takes it back").format(
                applied=f"{run.applied:,}", total=f"{run.total:,}", **names)
