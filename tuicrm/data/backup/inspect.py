"""Verify a copy of a database in a process of its own: the file's integrity, every
``tuicrm check`` invariant, and its figures (row counts, business totals) for the manifest.

A separate process, because this process's models are bound to the live database (and, in the
app, other threads are using it); the copy is opened the ordinary way in a fresh interpreter.

    python -m tuicrm.data.backup.inspect        # location in $TUICRM_INSPECT; JSON on stdout
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from typing import Any

from ..core.errors import TuicrmError

ENV = "TUICRM_INSPECT"
TIMEOUT = 3600


class InspectionFailed(TuicrmError):
    """The copy could not be inspected at all (not a database, a crash)."""


def inspect_copy(location: str, *, quick: bool = False) -> dict[str, Any]:
    """Inspect the database at ``location`` in a child process; returns ``{"schema_version",
    "migrations", "problems", "counts", "totals"}``. ``InspectionFailed`` with one line if the
    copy cannot be opened or the inspection dies."""
    env = {**os.environ, ENV: location, "TUICRM_INSPECT_QUICK": "1" if quick else ""}
    done = subprocess.run([sys.executable, "-m", __name__], env=env, capture_output=True,
                          text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise InspectionFailed(lines[-1] if lines else f"inspection exit code {done.returncode}")
    try:
        result: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        raise InspectionFailed("the inspection gave no result") from None
    return result


def _main() -> int:
    from .. import check
    from ..core import db as dbmod
    from ..core import schema
    from .manifest import figures

    location = os.environ.get(ENV, "")
    if not location:
        print("no location to inspect", file=sys.stderr)
        return 2
    try:
        schema.open_db(location, upgrade=False)
    except TuicrmError as e:
        print(str(e), file=sys.stderr)
        return 1
    timings: dict[str, float] = {}
    last: dict[str, float] = {}  # the step under way -> when it started

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        for name, since in last.items():
            timings[name] = round(now - since, 3)
        last.clear()
        last[step] = now

    try:
        problems = check.run_checks(quick=bool(os.environ.get("TUICRM_INSPECT_QUICK")),
                                    progress=progress)
        t = time.perf_counter()
        counted = figures()
        timings["row counts and totals"] = round(time.perf_counter() - t, 3)
        result = {
            "schema_version": schema.schema_version(),
            "migrations": schema.applied_migrations(),
            "problems": [str(p) for p in problems],
            "timings": timings,  # seconds per check (the bench prints them)
            **counted,
        }
    finally:
        dbmod.close()
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
