"""tuicrm with a memory probe, for ``bench/session_memory.py --trace``: not part of the app.

Runs ``tuicrm.cli.main`` with tracemalloc on; on SIGUSR1 it writes to ``$TUICRM_TRACE_DIR``
the Python allocations grouped by file and line (``snapshot-N.txt``: the top 40; from the
third on, what changed since the second, taken after the first round, when every screen has
been imported once) and the number of live objects per type (``types-N.txt``).
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import tracemalloc
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_first: tracemalloc.Snapshot | None = None
_count = 0


def _dump(_signum: int, _frame: object) -> None:
    global _first, _count
    out = Path(os.environ.get("TUICRM_TRACE_DIR", "."))
    gc.collect()
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    _count += 1
    lines = [f"traced: {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MiB"]
    if _count <= 2:
        _first = snap
        stats = snap.statistics("lineno")[:40]
        lines += [str(s) for s in stats]
    else:
        lines += [str(s) for s in snap.compare_to(_first, "lineno")[:40]]
    (out / f"snapshot-{_count}.txt").write_text("\n".join(lines) + "\n")
    types = Counter(type(o).__qualname__ for o in gc.get_objects())
    (out / f"types-{_count}.txt").write_text(
        "\n".join(f"{n:8d} {name}" for name, n in types.most_common(60)) + "\n")


if __name__ == "__main__":
    tracemalloc.start(1)
    signal.signal(signal.SIGUSR1, _dump)
    from tuicrm.cli import main

    sys.argv = ["tuicrm", *sys.argv[1:]]
    sys.exit(main())
