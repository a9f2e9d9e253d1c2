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
import threading
import tracemalloc
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

_first: tracemalloc.Snapshot | None = None
_count = 0


def _allocators(out: Path, count: int) -> None:
    """glibc's arenas (mallinfo2) and pymalloc's (sys._debugmallocstats) into malloc-N.txt."""
    import ctypes

    class MallInfo2(ctypes.Structure):
        _fields_ = [(n, ctypes.c_size_t) for n in (
            "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks",
            "uordblks", "fordblks", "keepcost")]

    libc = ctypes.CDLL("libc.so.6")
    libc.mallinfo2.restype = MallInfo2
    info = libc.mallinfo2()
    path = out / f"malloc-{count}.txt"
    with path.open("w") as f:
        f.write("glibc: " + ", ".join(f"{n} {getattr(info, n) / 2**20:.1f} MiB" for n in (
            "arena", "hblkhd", "uordblks", "fordblks", "keepcost")) + "\n")
        f.flush()
        saved = os.dup(2)
        os.dup2(f.fileno(), 2)  # pymalloc's statistics go to C stderr: the terminal
        try:
            sys._debugmallocstats()
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def _dump(_signum: int, _frame: object) -> None:
    global _first, _count
    out = Path(os.environ.get("TUICRM_TRACE_DIR", "."))
    gc.collect()
    if not tracemalloc.is_tracing():
        _count += 1
        _allocators(out, _count)
        return
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    _count += 1
    lines = [f"traced: {tracemalloc.get_traced_memory()[0] / 2**20:.1f} MiB",
             f"sqlite: {_sqlite_memory()}", f"threads: {threading.active_count()}"]
    if _count <= 2:
        _first = snap
        stats = snap.statistics("lineno")[:40]
        lines += [str(s) for s in stats]
    else:
        lines += [str(s) for s in snap.compare_to(_first, "lineno")[:40]]
    by_package: Counter[str] = Counter()
    for stat in snap.statistics("filename"):
        name = stat.traceback[0].filename
        for root in ("site-packages/", "tuicrm/", "python3.11/"):
            if root in name:
                rest = name.split(root, 1)[1]
                name = root + "/".join(rest.split("/")[:2 if root == "tuicrm/" else 1])
                break
        by_package[name] += stat.size
    lines += [f"{size / 2**20:7.2f} MiB  {name}" for name, size in by_package.most_common(25)]
    (out / f"snapshot-{_count}.txt").write_text("\n".join(lines) + "\n")
    (out / f"modules-{_count}.txt").write_text("\n".join(sorted(sys.modules)) + "\n")
    types = Counter(type(o).__qualname__ for o in gc.get_objects())
    (out / f"types-{_count}.txt").write_text(
        "\n".join(f"{n:8d} {name}" for name, n in types.most_common(60)) + "\n")


def _sqlite_memory() -> str:
    """What SQLite has allocated now and at most (MiB), from the library _sqlite3 uses."""
    import ctypes

    lib = ctypes.CDLL("libsqlite3.so.0")
    lib.sqlite3_memory_used.restype = ctypes.c_int64
    lib.sqlite3_memory_highwater.restype = ctypes.c_int64
    return (f"{lib.sqlite3_memory_used() / 2**20:.1f} MiB now, "
            f"{lib.sqlite3_memory_highwater(0) / 2**20:.1f} MiB at most")


if __name__ == "__main__":
    if not os.environ.get("TUICRM_TRACE_ALLOCATORS_ONLY"):
        tracemalloc.start(1)
    signal.signal(signal.SIGUSR1, _dump)
    from tuicrm.cli import main

    sys.argv = ["tuicrm", *sys.argv[1:]]
    sys.exit(main())
