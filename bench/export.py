"""Export speed: N customers (default 100k) to .xlsx through ``export_data`` vs a bare openpyxl
write-only loop over the same rows (same tuples, already fetched), and to .csv.

    python bench/export.py [N]

Prints the median of 3 runs of each and the ratio (target: at most 1.3x).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    tmp = Path(tempfile.mkdtemp())
    from tuicrm.data.core.schema import open_db

    open_db(str(tmp / "export.db"))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from customers_search import build

    build(n)
    from openpyxl import Workbook

    from tuicrm.data.core.actor import system_actor
    from tuicrm.reports.interchange import customer_rows, export_data

    def bare() -> None:
        cols, rows, _ = customer_rows(system_actor())
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("export")
        ws.append([c.name for c in cols])
        for r in rows:
            ws.append(r)
        wb.save(tmp / "bare.xlsx")

    def ours() -> None:
        export_data("customers", tmp / "ours.xlsx", system_actor())

    def ours_csv() -> None:
        export_data("customers", tmp / "ours.csv", system_actor())

    results = {}
    for name, fn in (("bare openpyxl loop", bare), ("export_data .xlsx", ours),
                     ("export_data .csv", ours_csv)):
        times = []
        for _ in range(3):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        results[name] = statistics.median(times)
        print(f"{name:20} {results[name]:6.2f} s  (runs: {', '.join(f'{x:.2f}' for x in times)})")
    ratio = results["export_data .xlsx"] / results["bare openpyxl loop"]
    print(f"{n:,} customers: xlsx ratio {ratio:.2f}x (target <= 1.3x)")


if __name__ == "__main__":
    main()
