"""Scans through a real pseudo-terminal: what a keyboard-wedge scanner (or SSH) really does.

``tests/scan_harness_app.py`` runs a ScanScreen under a pty (80x24, xterm-256color) and logs
every ``Scanned`` to a file. We write scans the way a local scanner types them (one character
at a time, 1-2 ms apart) and the way SSH delivers them (many scans in one write), with the code
field and with the quantity field focused, and check every scan arrived exactly once, in order,
and that the quantity field holds only what a person typed.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_harness_app import PtySession  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

F2_QTY = "\x1bOQ"


def make_codes(count: int, rng: random.Random) -> list[str]:
    start = rng.randrange(10**12, 9 * 10**12)
    return [f"{start + i * 7919:013d}" for i in range(count)]


def type_scans(session: PtySession, codes: list[str], rng: random.Random) -> None:
    """A local scanner: each character its own write, 1-2 ms apart, Enter at the end."""
    for code in codes:
        for char in code + "\r":
            session.write(char)
            time.sleep(rng.choice((0.001, 0.002)))


@pytest.fixture
def session(tmp_path):
    session = PtySession(tmp_path / "scans.log")
    try:
        assert session.wait_for(lambda: session.lines("READY"), timeout=30), (
            "harness app did not start:\n" + session.display()
        )
        yield session
    finally:
        session.close()


def scanned(session: PtySession) -> list[str]:
    return [row[1] for row in session.lines("SCAN")]


def test_every_scan_arrives_once_in_order_and_never_in_quantity(session):
    rng = random.Random(20240611)
    expected: list[str] = []

    # 1. 500 scans typed by a fast local scanner, code field focused.
    first = make_codes(500, rng)
    type_scans(session, first, rng)
    expected += first
    session.wait_scans(len(expected), timeout=30)
    assert scanned(session) == expected

    # 2. 50 scans in one single write, as one SSH read delivers them.
    burst = make_codes(50, rng)
    session.write("".join(code + "\r" for code in burst))
    expected += burst
    session.wait_scans(len(expected), timeout=30)
    assert scanned(session) == expected

    # 3. The quantity field has focus; a person types 1 and 2, scans come in between and
    #    after, then the person presses Enter.
    session.write(F2_QTY)
    assert session.wait_for(lambda: session.state()[1] == "qty", timeout=10)
    session.write("1")
    time.sleep(0.2)
    during = make_codes(3, rng)
    type_scans(session, during[:1], rng)
    session.write("".join(code + "\r" for code in during[1:]))
    expected += during
    session.wait_scans(len(expected), timeout=30)
    session.write("2")
    time.sleep(0.2)
    after = make_codes(20, rng)
    session.write("".join(code + "\r" for code in after))  # one write again
    expected += after
    session.wait_scans(len(expected), timeout=30)
    time.sleep(0.2)
    session.write("\r")  # the person's Enter: submits the quantity
    assert session.wait_for(lambda: session.lines("QTY"), timeout=10)

    state = session.state()
    assert state[1:3] == ["qty", "12"], state  # only what the person typed
    assert [row[1] for row in session.lines("QTY")] == ["12"]
    rows = session.lines("SCAN")
    assert [row[1] for row in rows] == expected  # each once, in order, nothing merged
    assert {row[3] for row in rows} == {"scanner"}
    assert "scans: 573" in session.display() or session.wait_for(
        lambda: "scans: 573" in session.display(), timeout=5
    )
