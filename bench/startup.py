"""Start-up: process start to the login screen drawn, and peak memory, against a minimal
Textual app measured in the same run.

    python bench/startup.py [--runs 7]

Both programs run in a real pseudo-terminal (80x24); "drawn" means the screen holds the
text the program shows first. Peak memory is the child's maximum RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pexpect
import pyte

MINIMAL_APP = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("minimal app ready")

    Minimal().run()
    """
)


def time_to_text(argv: list[str], needle: str, env: dict[str, str]) -> tuple[float, float]:
    """Seconds until ``needle`` is on screen, and the child's peak RSS in MiB."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], dimensions=(24, 80), env=env)
    elapsed = None
    while time.perf_counter() - start < 30:
        with contextlib.suppress(pexpect.TIMEOUT):
            stream.feed(child.read_nonblocking(65536, timeout=0.01))
        if needle in "\n".join(screen.display):
            elapsed = time.perf_counter() - start
            break
    if elapsed is None:
        child.terminate(force=True)
        raise SystemExit(f"{needle!r} never appeared:\n" + "\n".join(screen.display))
    # Peak RSS of the child: read /proc while it still runs (includes everything loaded).
    with open(f"/proc/{child.pid}/status") as fh:
        peak_kib = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
    child.terminate(force=True)
    return elapsed, peak_kib / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    env = dict(os.environ, TERM="xterm-256color")
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        subprocess.run(
            [sys.executable, "-m", "tuicrm.cli", "init", "--admin", "admin", "--db", db],
            input="benchmark-pw\n", text=True, check=True, capture_output=True,
        )
        minimal = Path(tmp) / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        results: dict[str, list[tuple[float, float]]] = {"minimal": [], "tuicrm": []}
        for _ in range(args.runs):
            results["minimal"].append(
                time_to_text([sys.executable, str(minimal)], "minimal app ready", env)
            )
            results["tuicrm"].append(
                time_to_text([sys.executable, "-m", "tuicrm.cli", "--db", db], "log in", env)
            )
    print(f"runs: {args.runs} (median)")
    med = {}
    for name, rows in results.items():
        t = statistics.median(r[0] for r in rows)
        m = statistics.median(r[1] for r in rows)
        med[name] = (t, m)
        print(f"{name:8} start to first screen {t * 1000:7.0f} ms   peak RSS {m:6.1f} MiB")
    ratio = med["tuicrm"][0] / med["minimal"][0]
    print(f"tuicrm / minimal time: {ratio:.2f}x (target <= 1.5x); "
          f"tuicrm peak {med['tuicrm'][1]:.1f} MiB (target < 60 MiB)")


if __name__ == "__main__":
    main()
