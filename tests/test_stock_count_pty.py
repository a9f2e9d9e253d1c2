"""Two real terminals count into the same stock count at the same time (as two SSH logins).

Each session runs ``python -m tuicrm.cli --db ...`` in its own pseudo-terminal, logs in and
opens the Stock count screen on the same open count; both then scan at once - each scan one
write (``code + Enter``, as a scanner over SSH delivers it), some several scans in one write.
Every scan must count exactly once, in each terminal in the order scanned (each ends with a
soap, whose count proves the scans before it are in), the manager's terminal posts the count
(F7, Ctrl+S), the stock becomes exactly what both counted, and ``tuicrm check`` exits 0.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

from tests.terminal import Terminal, log_in_home

pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

TEA = "4006381333931"
RICE = "5901234123457"
F7 = "\x1b[18~"
CTRL_S = "\x13"


def _log_in(term: Terminal, user: str, password: str) -> None:
    log_in_home(term, user, password)
    term.write("w")  # Stock count
    term.wait_for("Scan or type a code")


def _scanner(term: Terminal, scans: list[str], errors: list[str]) -> None:
    try:
        i = 0
        while i < len(scans):
            if i % 10 == 9:  # now and then several scans in one read, as SSH delivers them
                term.write("".join(code + "\r" for code in scans[i:i + 3]))
                i += 3
            else:
                term.write(scans[i] + "\r")
                i += 1
            time.sleep(0.03)
    except Exception as e:  # noqa: BLE001 - reported by the test
        errors.append(f"{type(e).__name__}: {e}")


def test_two_terminals_count_into_one_count_and_the_post_is_exact(db, admin, manager,
                                                                  warehouse, password):
    from tuicrm.data.catalog import products
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.counts import sessions as counts
    from tuicrm.data.stock import ledger as stock

    tea = products.create_product(admin, code="T-1", name="Green tea", barcodes=[TEA])
    rice = products.create_product(admin, code="R-1", name="Rice", barcodes=[RICE])
    soap = products.create_product(admin, code="S-1", name="Soap")
    stock.set_opening(admin, tea, 50)
    stock.set_opening(admin, rice, 80)
    stock.set_opening(admin, soap, 7)
    count = counts.open_count(manager)
    dbmod.close()  # the apps open the database themselves

    # Each terminal ends with one soap: its writes are applied in order, so once both soaps
    # are counted every scan before them is too (and none was counted twice).
    plan_a = [TEA] * 30 + [RICE] * 20 + ["S-1"]
    plan_b = [TEA] * 25 + [f"3*{RICE}"] * 10 + [TEA] * 5 + ["S-1"]
    want = {"T-1": Decimal(30 + 25 + 5), "R-1": Decimal(20 + 30), "S-1": Decimal(2)}

    a = Terminal.tuicrm("--db", db)
    b = Terminal.tuicrm("--db", db)
    try:
        _log_in(a, "manny", password)
        _log_in(b, "wally", password)
        a.wait_for(f"{count.number} open")
        b.wait_for(f"{count.number} open")
        errors: list[str] = []
        threads = [threading.Thread(target=_scanner, args=(t, plan, errors))
                   for t, plan in ((a, plan_a), (b, plan_b))]
        for t in threads:
            t.start()
        while any(t.is_alive() for t in threads):
            a.pump(0.02)  # keep reading: a full pty would stall the apps
            b.pump(0.02)
        assert errors == []

        open_db(db)
        deadline = time.monotonic() + 30
        lines: dict[str, Decimal] = {}
        while time.monotonic() < deadline:
            a.pump(0.05)
            b.pump(0.05)
            lines = {x.code: x.counted for x in counts.count_lines(system_actor(), count.id)}
            if lines.get("S-1") == want["S-1"]:
                break
        assert lines == want, a.text() + "\n" + b.text()
        b.wait_for("3/3 counted")

        # the manager posts from the first terminal
        a.write(F7)
        a.wait_for("Post " + count.number)
        a.write(CTRL_S)
        a.wait_for("POSTED")
        assert counts.get_count(system_actor(), count.id).status == "posted"
        assert stock.on_hand(tea) == want["T-1"]
        assert stock.on_hand(rice) == want["R-1"]
        assert stock.on_hand(soap) == want["S-1"]
    finally:
        a.close()
        b.close()

    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "--db", db, "check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no problems found" in done.stdout
