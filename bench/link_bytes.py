"""Bytes over the link: what tuicrm writes to its terminal per key, as an SSH session sends it.

Runs the app in a pseudo-terminal (80x24 by default, xterm-256color), logs in, and counts the
bytes written for:

- the first paint of every screen on the Home menu (and Today after login),
- a cursor move (Down) in every list,
- each typed character of a search (Customers and Products),

each measured from the key to the moment the output has been quiet for ``--quiet`` seconds.
Raw bytes, and compressed as SSH's ``Compression yes`` does (one zlib stream for the whole
session, flushed after every burst: ``Z_SYNC_FLUSH``).

    python bench/link_bytes.py --db ./demo.db            # demo users, password demo1234
    python bench/link_bytes.py --db ./demo.db --size 40x16

Targets (issue 16): a cursor move <= 1.5 KB, a search character <= 1.5 KB, a first paint
<= 20 KB, at 80x24.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.terminal import PtyProcess  # noqa: E402

DOWN = "\x1b[B"
ESC = "\x1b"
LISTS = "qlcksmghjrnu"  # Home keys of the list screens (Orders ... Users)
SEARCHES = {"c": "cus", "g": "tea"}  # screen key -> what is typed into its search, key by key


class CountingPty(PtyProcess):
    """A pty that also keeps the bytes since the last :meth:`take`."""

    def __init__(self, *args, **kwargs) -> None:
        self._chunk = bytearray()
        self._last_output = time.monotonic()
        self._chunk_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self._chunk_lock:
                self._chunk.extend(data)
                self._last_output = time.monotonic()
            with self.changed:
                self.bytes_out += len(data)
                self._stream.feed(data)
                self.changed.notify_all()

    def take(self) -> bytes:
        with self._chunk_lock:
            data = bytes(self._chunk)
            self._chunk.clear()
            return data

    def quiet_for(self, seconds: float, limit: float = 10.0) -> None:
        """Wait until nothing has been written for ``seconds`` (counted from now at least)."""
        start = time.monotonic()
        while time.monotonic() - start < limit:
            with self._chunk_lock:
                idle = time.monotonic() - max(self._last_output, start)
            if idle >= seconds:
                return
            time.sleep(0.02)


class Link:
    """One zlib stream, flushed per burst, like an SSH connection with compression."""

    def __init__(self) -> None:
        self._zlib = zlib.compressobj(6)

    def compressed(self, data: bytes) -> int:
        return len(self._zlib.compress(data) + self._zlib.flush(zlib.Z_SYNC_FLUSH))


def measure(term: CountingPty, link: Link, keys: str, quiet: float) -> tuple[int, int]:
    term.take()
    term.write(keys)
    term.quiet_for(quiet)
    data = term.take()
    return len(data), link.compressed(data)


def kb(n: float) -> str:
    return f"{n / 1024:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--moves", type=int, default=6, help="cursor moves per list")
    parser.add_argument("--quiet", type=float, default=1.0,
                        help="seconds without output that end a measurement")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.split("x"))
    term = CountingPty([sys.executable, "-m", "tuicrm.cli", "--db", args.db], cols, rows)
    link = Link()
    try:
        term.wait_for_text("log in")
        term.quiet_for(args.quiet)
        link.compressed(term.take())
        raw, packed = measure(term, link, f"{args.user}\t{args.password}\r", args.quiet)
        print(f"{'what':<34}{'raw KB':>9}{'zlib KB':>9}")
        print(f"{'login -> Today (first paint)':<34}{kb(raw):>9}{kb(packed):>9}")
        measure(term, link, ESC, args.quiet)
        screen_text = term.text()
        paints, moves, chars = [], [], []
        for line in screen_text.splitlines():
            parts = line.split()
            if len(parts) >= 2 and len(parts[0]) == 1 and parts[0].isalpha():
                key, name = parts[0].lower(), " ".join(parts[1:3])
                if key in "z":  # the scanner test shows raw keys: not a screen of data
                    continue
                raw, packed = measure(term, link, key, args.quiet)
                paints.append(raw)
                print(f"{'first paint: ' + name:<34}{kb(raw):>9}{kb(packed):>9}")
                if key in LISTS:
                    per_move = [measure(term, link, DOWN, args.quiet) for _ in range(args.moves)]
                    raw_m = statistics.median(r for r, _ in per_move)
                    packed_m = statistics.median(p for _, p in per_move)
                    moves.append(max(r for r, _ in per_move))
                    print(f"{'  cursor move (median, max)':<34}{kb(raw_m):>9}{kb(packed_m):>9}"
                          f"   max {kb(max(r for r, _ in per_move))}")
                if key in SEARCHES:
                    measure(term, link, "/", args.quiet)
                    per_char = [measure(term, link, ch, args.quiet) for ch in SEARCHES[key]]
                    chars.extend(r for r, _ in per_char)
                    print(f"{'  search chars ' + SEARCHES[key]!r:<34}"
                          + "".join(f"{kb(r):>9}" for r, _ in per_char)
                          + "  zlib " + " ".join(kb(p) for _, p in per_char))
                    measure(term, link, ESC, args.quiet)
                measure(term, link, ESC, args.quiet)
                if "Home" not in term.text():
                    measure(term, link, ESC, args.quiet)
        print()
        print(f"worst first paint {kb(max(paints))} KB (target 20), worst cursor move "
              f"{kb(max(moves))} KB (target 1.5), worst search char {kb(max(chars))} KB "
              f"(target 1.5)")
    finally:
        term.kill()


if __name__ == "__main__":
    main()
