"""Time a verified backup of a big database: the online copy, the verification of the copy
(integrity, every ``tuicrm check``, row counts and totals) and the self-checking file, then
the proof of the file (size and SHA-256) that every restore starts with.

    python bench/backup.py DB                  # e.g. a demo built with
                                               #   tuicrm --db big.db demo --customers 200000 \\
                                               #     --products 50000 --orders 600000
    python bench/backup.py DB --runs 3         # median of three
    python bench/backup.py DB --full           # the full integrity_check, whatever the size

Backups go to a temporary folder beside DB (removed after). The load average is printed: the
other work on the machine slows every figure.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuicrm.data.backup import container, engines  # noqa: E402
from tuicrm.data.backup.inspect import inspect_copy  # noqa: E402
from tuicrm.data.backup.making import FULL_CHECK_LIMIT, make_backup  # noqa: E402
from tuicrm.data.core import db as dbmod  # noqa: E402
from tuicrm.data.core import schema  # noqa: E402


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def one_run(location: str, folder: Path, quick: bool | None) -> dict[str, float]:
    # The phases on their own first (what each costs), then the real thing end to end.
    copy = folder / "phase-copy.db"
    t = time.perf_counter()
    engines.copy_sqlite(location, copy)
    copied = time.perf_counter() - t
    size = copy.stat().st_size
    use_quick = size > FULL_CHECK_LIMIT if quick is None else quick
    t = time.perf_counter()
    result = inspect_copy(str(copy), quick=use_quick)
    inspected = time.perf_counter() - t
    engines.remove_sqlite(copy)
    assert not result["problems"], result["problems"][:3]
    slowest = sorted(result.get("timings", {}).items(), key=lambda kv: -kv[1])[:4]
    print("  slowest parts of the verification: "
          + ", ".join(f"{name} {secs:.1f} s" for name, secs in slowest))

    t = time.perf_counter()
    made = make_backup(location, folder, quick=quick)
    total = time.perf_counter() - t
    t = time.perf_counter()
    container.check_whole(made.path)
    proved = time.perf_counter() - t
    made.path.unlink()
    print(f"  copy {copied:.1f} s, verify ({'quick_check' if use_quick else 'integrity_check'}"
          f" + checks + figures) {inspected:.1f} s; backup end to end {total:.1f} s "
          f"({made.size / 2**20:,.0f} MiB, {sum(made.counts.values()):,} rows); "
          f"proving the file {proved:.1f} s; load {_load()}")
    return {"copy": copied, "verify": inspected, "total": total, "prove": proved}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--full", action="store_const", const=False, dest="quick")
    args = parser.parse_args()
    schema.open_db(args.db)  # the backup folder setting is read from it
    size = Path(args.db).stat().st_size
    print(f"backup of {args.db}: {size / 2**20:,.0f} MiB, {os.cpu_count()} CPUs, "
          f"load {_load()}")
    results = []
    with tempfile.TemporaryDirectory(dir=Path(args.db).resolve().parent) as tmp:
        for run in range(1, args.runs + 1):
            print(f"run {run}:")
            results.append(one_run(args.db, Path(tmp), args.quick))
    dbmod.close()
    med = {k: statistics.median(r[k] for r in results) for k in results[0]}
    print(f"median of {len(results)}: backup end to end {med['total']:.1f} s (copy "
          f"{med['copy']:.1f} s, verify {med['verify']:.1f} s), proving the file "
          f"{med['prove']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
