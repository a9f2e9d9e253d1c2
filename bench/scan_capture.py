"""Scan capture through a real pseudo-terminal: latency and sustained rate.

Runs ``tests/scan_harness_app.py`` (a ScanScreen that logs every scan with the time its handler
ran) under a pty and measures:

* scan-to-handler latency at 5 scans/s, from the write of the terminator to ``on_scanned``:
  scans typed one character per write 1 ms apart (a local scanner), and scans in one write
  each (SSH);
* the sustained rate of 500 scans written in one single write (all must arrive, in order);
* terminal output per scan (what an SSH link carries back).

Usage: python bench/scan_capture.py [--runs 3] [--scans 100] [--diag]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from scan_harness_app import PtySession  # noqa: E402


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def codes(count: int, rng: random.Random) -> list[str]:
    start = rng.randrange(10**12, 9 * 10**12)
    return [f"{start + i * 7919:013d}" for i in range(count)]


def check(session: PtySession, before: int, scans: list[str]) -> None:
    """Stop with the details unless exactly ``scans`` arrived after the first ``before``."""
    time.sleep(0.3)  # anything extra would have arrived by now
    got = [row[1] for row in session.lines("SCAN")[before:]]
    if got != scans:
        pairs = zip(got, scans, strict=False)
        first = next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(got), len(scans)))
        window = slice(max(0, first - 1), first + 3)
        for row in session.lines("DIAG"):
            print("\t".join(row))
        raise SystemExit(
            f"LOSS: {len(got)} arrived for {len(scans)} sent; first difference at {first}: "
            f"got {got[window]}, sent {scans[window]}; field state {session.state()}"
        )


def latency(session: PtySession, scans: list[str], typed: bool) -> tuple[list[float], int]:
    """Write one scan every 0.2 s; return handler-minus-terminator-write times, bytes/scan."""
    before = len(session.lines("SCAN"))
    bytes_before = session.bytes_out
    written: list[float] = []
    next_at = time.monotonic()
    for code in scans:
        next_at += 0.2
        if typed:
            session.type(code, (0.001,))
            time.sleep(0.001)
        written.append(time.monotonic())
        session.write(code + "\r" if not typed else "\r")
        time.sleep(max(0.0, next_at - time.monotonic()))
    rows = session.wait_scans(before + len(scans), timeout=30)[before:]
    check(session, before, scans)
    out_per_scan = (session.bytes_out - bytes_before) // len(scans)
    return [float(row[4]) - at for row, at in zip(rows, written, strict=True)], out_per_scan


def single_write(session: PtySession, scans: list[str]) -> tuple[float, float]:
    """All scans in one write; return scans/s and seconds until the last was handled."""
    before = len(session.lines("SCAN"))
    data = "".join(code + "\r" for code in scans)
    start = time.monotonic()
    session.write(data)
    rows = session.wait_scans(before + len(scans), timeout=60)[before:]
    check(session, before, scans)
    elapsed = float(rows[-1][4]) - start
    return len(scans) / elapsed, elapsed


def one_run(scans: int, rng: random.Random, diag: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        session = PtySession(Path(tmp) / "scans.log", extra_args=("--diag",) if diag else ())
        try:
            if not session.wait_for(lambda: session.lines("READY"), timeout=30):
                raise SystemExit("the harness app did not start")
            time.sleep(0.3)
            typed, typed_bytes = latency(session, codes(scans, rng), typed=True)
            whole, whole_bytes = latency(session, codes(scans, rng), typed=False)
            rate, elapsed = single_write(session, codes(500, rng))
        finally:
            session.close()
    return {
        "typed p50 ms": 1000 * statistics.median(typed),
        "typed p99 ms": 1000 * percentile(typed, 0.99),
        "one-write p50 ms": 1000 * statistics.median(whole),
        "one-write p99 ms": 1000 * percentile(whole, 0.99),
        "500 in one write: scans/s": rate,
        "500 in one write: s": elapsed,
        "terminal output B/scan": (typed_bytes + whole_bytes) / 2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scans", type=int, default=100, help="scans per latency series")
    parser.add_argument("--diag", action="store_true", help="on a loss, show what was no scan")
    args = parser.parse_args()
    rng = random.Random(7)
    results = []
    for run in range(1, args.runs + 1):
        figures = one_run(args.scans, rng, args.diag)
        results.append(figures)
        print(f"run {run}: " + ", ".join(f"{k} {v:.1f}" for k, v in figures.items()), flush=True)
    print(
        f"\nmedian of {args.runs} runs ({args.scans} scans per latency series at 5/s, "
        "zero loss in every run):"
    )
    for key in results[0]:
        print(f"  {key:28} {statistics.median(r[key] for r in results):8.1f}")


if __name__ == "__main__":
    main()
