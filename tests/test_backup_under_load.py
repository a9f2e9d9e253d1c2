"""Backups while four counters keep selling, each in its own process: every backup is verified
when made, and each restores into a database that passes ``tuicrm check`` and matches its
manifest. The full proof (20 backups) runs with ``-m slow``; the default run takes 3. A user
would notice a failure as a nightly backup that was missing the evening's sales or would not
restore."""

from __future__ import annotations

import multiprocessing as mp

import pytest

from tuicrm.data.backup import container
from tuicrm.data.backup.making import make_backup
from tuicrm.data.backup.restoring import restore_backup
from tuicrm.data.catalog import products
from tuicrm.data.stock import ledger as stock

SELLERS = 4


def _sell_until(location: str, user_id: int, start, stop, out) -> None:
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import User
    from tuicrm.data.sales import orders

    sold, errors = 0, []
    try:
        open_db(location)
        user = User.get_by_id(user_id)
        start.wait(timeout=60)
        while not stop.is_set():
            try:
                order = orders.new_order(user, "sale")
                orders.add_scan(user, order, "B1")
                orders.complete_sale(user, order)
                sold += 1
            except Exception as e:  # noqa: BLE001 - reported to the test
                errors.append(f"{type(e).__name__}: {e}")
                break
        dbmod.close()
    except Exception as e:  # noqa: BLE001
        errors.append(f"{type(e).__name__}: {e}")
    out.put((sold, errors))


def _backups_while_selling(db, sales, manager, tmp_path, count: int) -> None:
    bag = products.create_product(manager, code="B1", name="Bag 袋子", price1="1.50")
    stock.set_opening(manager, bag, 1_000_000)
    ctx = mp.get_context("spawn")
    start, stop, out = ctx.Barrier(SELLERS + 1), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_sell_until, args=(db, sales.id, start, stop, out))
             for _ in range(SELLERS)]
    for p in procs:
        p.start()
    made = []
    try:
        start.wait(timeout=120)
        for _ in range(count):
            made.append(make_backup(db, tmp_path / "bk", quick=False))
    finally:
        stop.set()
        results = [out.get(timeout=240) for _ in procs]
        for p in procs:
            p.join(timeout=60)
    assert [e for _, errs in results for e in errs] == []
    assert sum(sold for sold, _ in results) > 0
    sales_seen = [m.totals["sale_totals_cents"][1] for m in made]
    assert sales_seen == sorted(sales_seen) and sales_seen[-1] > sales_seen[0]  # sales went on
    for i, backup in enumerate(made):
        assert container.check_whole(backup.path)["verified"]["ok"]
        # restore_backup proves the restored copy: every check, and the manifest's figures.
        restore_backup(backup.path, str(tmp_path / f"restored-{i}.db"), safety=False)


def test_backups_while_four_processes_sell(db, sales, manager, tmp_path):
    _backups_while_selling(db, sales, manager, tmp_path, 3)


@pytest.mark.slow
def test_twenty_backups_while_four_processes_sell(db, sales, manager, tmp_path):
    _backups_while_selling(db, sales, manager, tmp_path, 20)
