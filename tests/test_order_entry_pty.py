"""Order entry through a real pseudo-terminal: the real ``tuicrm`` app, real scanner timing.

We start ``python -m tuicrm.cli --db ...`` in a pty (80x24), log in, open order entry (E), and
write scans the way a local scanner types them (one character at a time, 1-2 ms apart) and the
way SSH delivers them (50 scans in one write), with a repeat scan, an ``N*code``, an unknown
code in the middle of a burst and scans while the quantity field has focus. After F7 (keep as
draft) the database must hold exactly the right quantity on every line.

A second test holds the SQLite write lock from another process for 3 s while keys are typed
and codes scanned: every typed key must appear within 100 ms, and every scan be applied, in
order, once the lock is released.

:class:`AppPty` (``tests/terminal.py``; also used by ``bench/scan.py``, through this module)
runs the app and keeps a pyte screen of its output, read all the time by a thread (an app whose
output is not read blocks). Every step waits for what the screen shows, not for a time.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
import time
from collections import Counter
from decimal import Decimal

import pytest

from tests.terminal import ESC, AppPty

F3, F7 = "\x1bOR", "\x1b[18~"
#: A pause inside a scan longer than this looks like typing (see tests/test_scan_pty.py).
TOO_SLOW = 0.040
#: A typed key must be on screen this soon (seconds), whatever the database is doing.
ECHO_LIMIT = 0.100


def make_products(admin, count: int, prefix: str = "20") -> list[str]:
    """``count`` products (codes ``T00000``...), each with one EAN-13; returns the barcodes."""
    from tuicrm.data.catalog import barcodes, products

    codes = []
    for i in range(count):
        code = barcodes.make_ean13(prefix + "00000", i + 1)
        products.create_product(admin, code=f"T{i:05d}", name=f"Test item {i}", price1="1.00",
                                barcodes=[code])
        codes.append(code)
    return codes


def product_code(barcodes: list[str], barcode: str) -> str:
    return f"T{barcodes.index(barcode):05d}"


def saved_lines(db: str) -> list[tuple[str, Decimal]]:
    """(product code, quantity) of the one sale in ``db``, in line order."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import Order
    from tuicrm.data.sales import orders

    open_db(db)
    try:
        drafts = list(Order.select().where(Order.kind == "sale"))
        assert len(drafts) == 1, [(o.number, o.status) for o in drafts]
        return [(ln.product_code, ln.quantity)
                for ln in orders.order_lines(system_actor(), drafts[0].id)]
    finally:
        dbmod.close()


pytestmark = [
    pytest.mark.pty,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def test_every_scan_becomes_the_right_quantity(db, admin, password):
    from tuicrm.data.core import db as dbmod

    codes = make_products(admin, 120)
    unknown = codes[-1][:-1] + str((int(codes[-1][-1]) + 5) % 10)  # a wrong check digit
    dbmod.close()
    rng = random.Random(4)
    expected: Counter[str] = Counter()
    slow: list[float] = []
    app = AppPty(db)

    def wait_applied(last: str) -> None:
        """Until the scan of ``last`` (the last one written) is on the order: the status line
        says it took the product's quantity to its expected total."""
        app.wait_for(f"{product_code(codes, last)} +1 -> {expected[last]} ", timeout=60)

    try:
        app.log_in("admin", password)
        app.write("e")
        app.wait_for("Sales order (new)")
        # 1. 500 scans typed by a fast local scanner (1-2 ms per character); many repeats
        for _ in range(500):
            code = rng.choice(codes[:100])
            pause = app.type(code + "\r", gaps=(0.001, 0.002))
            if pause > TOO_SLOW:
                slow.append(pause)
            expected[code] += 1
        wait_applied(code)
        # 2. a person types 3* and scans: N*code
        app.type("3*", gaps=(0.2,))
        app.wait_for("Code  3*")
        app.type(codes[100] + "\r", gaps=(0.001,))
        expected[codes[100]] += 3
        app.wait_for(f"{product_code(codes, codes[100])} +3 -> ")
        # 3. 50 scans in one write, an unknown code in the middle
        burst = [rng.choice(codes[:110]) for _ in range(50)]
        data = "".join(c + "\r" for c in burst[:25]) + unknown + "\r"
        data += "".join(c + "\r" for c in burst[25:])
        app.write(data)
        expected.update(burst)
        wait_applied(burst[-1])
        # 4. the quantity field has focus (F3): scans still go to the order, not the field
        app.write(F3)
        app.wait_for("Quantity of T")
        for _ in range(5):
            app.type(codes[111] + "\r", gaps=(0.001, 0.002))
            expected[codes[111]] += 1
        app.write("".join(codes[112] + "\r" for _ in range(4)))  # one write, a repeat
        expected[codes[112]] += 4
        wait_applied(codes[112])
        app.write(ESC)  # back to the code field; the quantity field is left unchanged
        app.wait_for("line left as it was")
        app.write(F7)  # keep as draft: after every scan already read
        app.wait_for("kept as a draft", timeout=60)
    finally:
        app.close()

    got = dict(saved_lines(db))
    want = {product_code(codes, code): Decimal(n) for code, n in expected.items()}
    missing = {c: (want.get(c), got.get(c)) for c in set(want) | set(got)
               if want.get(c) != got.get(c)}
    if missing and slow:
        pytest.skip(f"machine overloaded: the writer paused up to {max(slow) * 1000:.0f} ms "
                    f"inside {len(slow)} scan(s), typing like a person ({len(missing)} differ)")
    assert not missing, missing
    assert sum(got.values()) == 500 + 3 + 50 + 5 + 4


# Another terminal's long write: BEGIN IMMEDIATE, say so, hold the lock, let go, say so.
LOCK_HOLDER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None)
con.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
print("released", flush=True)
"""
LOCK_SECONDS = 3.0


def test_keys_echo_and_scans_wait_in_order_while_another_terminal_writes(db, admin,
                                                                          password):
    """The issue's test: the UI thread never waits on the database."""
    from tuicrm.data.core import db as dbmod

    codes = make_products(admin, 4)
    dbmod.close()
    app = AppPty(db)
    holder = None
    echoes: list[float] = []
    try:
        app.log_in("admin", password)
        app.write("e")
        app.wait_for("Sales order (new)")
        holder = subprocess.Popen([sys.executable, "-c", LOCK_HOLDER, db, str(LOCK_SECONDS)],
                                  stdout=subprocess.PIPE, text=True)
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        # two scans in one read (SSH), then a person types a product code and Enter ...
        app.write(codes[0] + "\r" + codes[1] + "\r")
        typed = ""
        for char in "T00002":
            time.sleep(0.15)  # a person's pace (no one types within ms of a scanner)
            sent = time.monotonic()
            app.write(char)
            typed += char
            echoes.append(app.wait_for(f"Code  {typed}", timeout=5) - sent)
        app.write("\r")
        # ... then a scanner types two more, one of them a repeat of the first
        app.type(codes[3] + "\r", gaps=(0.001,))
        app.type(codes[0] + "\r", gaps=(0.001,))
        app.wait_for("waiting for another terminal", timeout=5)
        assert "T00000" not in app.text()  # nothing could be written while it is locked
        assert holder.stdout.readline().strip() == "released"
        app.wait_for("T00000 +1 -> 2", timeout=15)  # the last scan, applied last
        assert "waiting for another terminal" not in app.text()
        app.write(F7)
        app.wait_for("kept as a draft", timeout=15)
    finally:
        app.close()
        if holder is not None:
            holder.kill()
            holder.wait()

    late = [f"{e * 1000:.0f} ms" for e in echoes if e > ECHO_LIMIT]
    assert not late, ("typed keys echoed late while the database was locked: "
                      f"{[round(e * 1000) for e in echoes]} ms")
    assert saved_lines(db) == [("T00000", Decimal(2)), ("T00001", Decimal(1)),
                               ("T00002", Decimal(1)), ("T00003", Decimal(1))]
    assert _added_in_order(db) == ["T00000", "T00001", "T00002", "T00003", "T00000"]


def _added_in_order(db: str) -> list[str]:
    """The products of the sale's add_line audit rows, in the order they were written."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import AuditLog

    open_db(db)
    try:
        rows = (AuditLog.select(AuditLog.changes)
                .where((AuditLog.entity == "order") & (AuditLog.action == "add_line"))
                .order_by(AuditLog.id))
        return [json.loads(row.changes)["product"] for row in rows]
    finally:
        dbmod.close()
