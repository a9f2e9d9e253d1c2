"""``tuicrm imports``: the import runs (issue 10) - list them, finish an interrupted one, or
take one back. ``tuicrm import`` writes a big file in short batches as a numbered run; if it
is stopped half-way (Ctrl+C, a crash, a kill) the run is *interrupted* and tells you which
of these to run. Both also work on a run whose process is gone after a reboot."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ..data.core.actor import system_actor
from .common import add_db, open_database

STATUS_WORDS = {"applying": "writing", "undoing": "taking back"}


class ProgressLine:
    """``written 120,000 of 1,000,000 rows (9,500 rows/s)`` on stderr, every two seconds."""

    def __init__(self) -> None:
        self.phase = ""
        self.started = self.shown = 0.0
        self.first = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if phase != self.phase:
            self.phase, self.first, self.started, self.shown = phase, done, now, now
            return
        if now - self.shown < 2 and (not total or done < total):
            return
        self.shown = now
        rate = (done - self.first) / max(now - self.started, 1e-6)
        verb = {"checking": "checked", "writing": "written", "undoing": "taken back"}[phase]
        of = f" of {total:,}" if total else ""
        print(f"{verb} {done:,}{of} rows ({rate:,.0f} rows/s)", file=sys.stderr, flush=True)


@contextmanager
def stop_on_signal() -> Iterator[threading.Event]:
    """The first Ctrl+C (or a kill: SIGTERM) asks the import to stop after the batch it is
    writing (the run is left interrupted, to resume or undo); a second Ctrl+C stops at once
    (the batch being written is rolled back: the run is still exact)."""
    stop = threading.Event()

    def asked(signum: int, frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        print("stopping after this batch (Ctrl+C again: at once)", file=sys.stderr, flush=True)

    old = {sig: signal.signal(sig, asked) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


def cmd_imports(args: argparse.Namespace) -> int:
    from ..data.transfer import apply
    from ..data.transfer.runs import list_runs

    open_database(args.db)
    actor = system_actor()
    if args.action == "resume":
        with stop_on_signal() as stop:
            try:
                run = apply.resume(actor, args.run, ProgressLine(), stop)
            except (KeyboardInterrupt, apply.Cancelled):
                print(f"stopped; import run {args.run} is interrupted again: 'tuicrm imports "
                      f"resume {args.run}' finishes it", file=sys.stderr)
                return 130
        print(f"import run {run.id} finished: {run.inserted:,} added, {run.updated:,} updated "
              f"from {run.file}")
        return 0
    if args.action == "undo":
        with stop_on_signal() as stop:
            try:
                run = apply.undo(actor, args.run, ProgressLine(), stop)
            except (KeyboardInterrupt, apply.Cancelled):
                print(f"stopped; 'tuicrm imports undo {args.run}' finishes taking it back",
                      file=sys.stderr)
                return 130
        kept = (f"; {run.kept:,} kept because they are used since ({run.message})"
                if run.kept else "")
        print(f"import run {run.id} taken back: {run.removed:,} {run.kind} removed or "
              f"restored{kept}")
        return 0
    runs = list_runs(actor, args.limit)
    if not runs:
        print("no imports yet")
        return 0
    for r in runs:
        status = STATUS_WORDS.get(r.status, r.status)
        counts = f"{r.applied:,}/{r.total:,} written"
        if r.removed or r.kept:
            counts += f", {r.removed:,} taken back" + (f", {r.kept:,} kept" if r.kept else "")
        hint = ""
        if r.status == "interrupted":
            hint = (f"  -> tuicrm imports undo {r.id}" if r.stored == "undoing" else
                    f"  -> tuicrm imports resume {r.id} | undo {r.id}")
        print(f"{r.id:>5}  {r.started_at:%Y-%m-%d %H:%M}  {r.kind:<9} {status:<11} {counts}  "
              f"{r.file}  ({r.username}){hint}")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser(
        "imports", help="import runs: list them, finish an interrupted one (resume N) or "
        "take one back (undo N)")
    p.add_argument("action", nargs="?", choices=["list", "resume", "undo"], default="list")
    p.add_argument("run", nargs="?", type=int, metavar="N", help="the run's number")
    p.add_argument("--limit", type=int, default=20, help="runs listed (default 20)")
    add_db(p)
    p.set_defaults(func=_checked)


def _checked(args: argparse.Namespace) -> int:
    from .common import CliError

    if args.action != "list" and args.run is None:
        raise CliError(f"usage: tuicrm imports {args.action} N (the run's number; "
                       "'tuicrm imports' lists them)")
    return cmd_imports(args)
