"""Scans through a real pseudo-terminal: what a keyboard-wedge scanner (or SSH) really does.

``tests/scan_harness_app.py`` runs a ScanScreen under a pty (80x24, xterm-256color) and logs
every ``Scanned`` to a file. We write scans the way a local scanner types them (one character
at a time, 1-2 ms apart) and the way SSH delivers them (many scans in one write), with the code
field and with the quantity field focused, and check every scan arrived exactly once, in order,
and that the quantity field holds only what a person typed.

The writer measures its own pace: on a badly overloaded machine a "1 ms" sleep can take 100 ms,
and a scan written that slowly *is* typing, which no program can tell from a person. Then the
test is skipped, saying so, rather than judged.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scan_harness_app import PtySession  # noqa: E402

from tuicrm.widgets.scan_burst import ScanTiming  # noqa: E402

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

F2_QTY = "\x1bOQ"
#: A scan written with a pause longer than this between two characters looks like typing.
TOO_SLOW = ScanTiming().key_gap * 0.8


def make_codes(count: int, rng: random.Random) -> list[str]:
    start = rng.randrange(10**12, 9 * 10**12)
    return [f"{start + i * 7919:013d}" for i in range(count)]


class Writer:
    """Writes scans like a local scanner and remembers how slow it really was."""

    def __init__(self, session: PtySession) -> None:
        self.session = session
        self.slow: list[float] = []  # pauses inside a scan longer than TOO_SLOW

    def type_scans(self, codes: list[str]) -> None:
        """One character per write, 1-2 ms apart, Enter at the end."""
        for code in codes:
            pause = self.session.type(code + "\r", gaps=(0.001, 0.002))
            if pause > TOO_SLOW:
                self.slow.append(pause)

    def check(self, ok: bool, detail: object) -> None:
        """Fail - unless the writer itself typed like a person, then skip, saying so."""
        if not ok and self.slow:
            pytest.skip(
                f"machine overloaded: the test paused up to {max(self.slow) * 1000:.0f} ms "
                f"inside {len(self.slow)} scan(s), typing like a person ({detail})"
            )
        assert ok, detail


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


def test_every_scan_arrives_once_in_order_and_never_in_quantity(session):
    rng = random.Random(20240611)
    writer = Writer(session)
    expected: list[str] = []

    def scans_so_far() -> list[str]:
        return [row[1] for row in session.lines("SCAN")]

    # 1. 500 scans typed by a fast local scanner, code field focused.
    first = make_codes(500, rng)
    writer.type_scans(first)
    expected += first
    session.wait_scans(len(expected), timeout=30)
    writer.check(scans_so_far() == expected, "typed scans differ")

    # 2. 50 scans in one single write, as one SSH read delivers them.
    burst = make_codes(50, rng)
    session.write("".join(code + "\r" for code in burst))
    expected += burst
    session.wait_scans(len(expected), timeout=30)
    writer.check(scans_so_far() == expected, "scans in one write differ")

    # 3. The quantity field has focus; a person types 1 and 2, scans come in between and
    #    after, then the person presses Enter.
    #    (A person's key never follows a machine's within milliseconds: pause before each.)
    session.write(F2_QTY)
    assert session.wait_for(lambda: session.state()[1] == "qty", timeout=10)
    time.sleep(0.2)  # a person's pace: no one types within ms of a scanner
    session.write("1")
    assert session.wait_for(lambda: session.state()[2] == "1", timeout=10)
    during = make_codes(3, rng)
    writer.type_scans(during[:1])
    session.write("".join(code + "\r" for code in during[1:]))
    expected += during
    session.wait_scans(len(expected), timeout=30)
    time.sleep(0.2)
    session.write("2")
    assert session.wait_for(lambda: session.state()[2] == "12", timeout=10)
    after = make_codes(20, rng)
    session.write("".join(code + "\r" for code in after))  # one write again
    expected += after
    session.wait_scans(len(expected), timeout=30)
    time.sleep(0.2)
    session.write("\r")  # the person's Enter: submits the quantity
    writer.check(session.wait_for(lambda: session.lines("QTY"), timeout=10), "no QTY")

    state = session.state()
    writer.check(state[1:3] == ["qty", "12"], state)  # only what the person typed
    writer.check([row[1] for row in session.lines("QTY")] == ["12"], session.lines("QTY"))
    rows = session.lines("SCAN")
    writer.check([row[1] for row in rows] == expected, "scans differ")  # once each, in order
    sources = {row[3] for row in rows}
    writer.check(sources == {"scanner"}, f"sources {sources}")  # none came in as typing
    assert "scans: 573" in session.display() or session.wait_for(
        lambda: "scans: 573" in session.display(), timeout=5
    )
