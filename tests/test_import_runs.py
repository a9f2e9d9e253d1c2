"""Imports applied as runs of short batches (issue 10): all or nothing still, resumed or
undone after an interruption, one audit row per run."""

from __future__ import annotations

import csv
import json
import threading
from pathlib import Path

import pytest

from tuicrm.data.core import settings
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import TuicrmError
from tuicrm.data.models import AuditLog, Barcode, Contact, Customer, ImportRun, Product
from tuicrm.data.parties import customers as C
from tuicrm.data.transfer import apply
from tuicrm.data.transfer.customer_import import import_customers
from tuicrm.data.transfer.product_import import import_products
from tuicrm.data.transfer.run import ImportInterrupted
from tuicrm.data.transfer.runs import get_run, list_runs, unfinished_runs
from tuicrm.data.transfer.stash import stash_dir

pytestmark = pytest.mark.pg


@pytest.fixture(autouse=True)
def private_data_dir(monkeypatch, tmp_path):
    """On PostgreSQL the stashes live in the user's data folder: a temporary one here."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def small_batches(admin):
    settings.set_value(admin, "import.batch_rows", "3")


def customers_csv(path: Path, n: int, start: int = 1) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "phone"])
        for i in range(start, start + n):
            w.writerow([f"K{i:05d}", f"客户{i}", f"021-{i:07d}"])
    return path


def stop_after(batches: int, exc: type[BaseException] = KeyboardInterrupt):
    """A progress callback that raises ``exc`` once ``batches`` batches are written."""
    seen = []

    def progress(phase, done, total):
        if phase == "writing":
            seen.append(done)
            if len(seen) > batches:
                raise exc()
    return progress


def audit_rows(after: int) -> list[tuple[str, str, dict]]:
    return [(a.entity, a.action, json.loads(a.changes)) for a in
            AuditLog.select().where(AuditLog.id > after).order_by(AuditLog.id)]


def last_audit() -> int:
    return AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc()).scalar() or 0


def test_a_run_writes_every_batch_and_records_one_audit_row(admin, small_batches, tmp_path):
    f = customers_csv(tmp_path / "c.csv", 10)
    before = last_audit()
    batches = []
    r = import_customers(admin, f, progress=lambda p, d, t: batches.append(d)
                         if p == "writing" else None)
    assert r.ok and r.imported == 10 and r.run is not None
    assert batches[0] == 0 and batches[-1] == 10 and len(batches) >= 5  # 3 rows a batch
    run = get_run(admin, r.run)
    assert (run.status, run.total, run.applied, run.inserted, run.stash) == (
        "done", 10, 10, 10, "")
    assert Customer.select().where(Customer.import_run == r.run).count() == 10
    assert audit_rows(before)[-1:] == [("customer", "import",
                                        {"file": "c.csv", "run": r.run, "count": 10})]
    assert not list(stash_dir().glob("*.stash"))  # removed once the run is done


def test_ctrl_c_leaves_an_interrupted_run_that_resumes_where_it_stopped(admin, small_batches,
                                                                        tmp_path):
    f = customers_csv(tmp_path / "c.csv", 10)
    before = last_audit()
    with pytest.raises(ImportInterrupted, match=r"tuicrm imports resume \d+") as e:
        import_customers(admin, f, progress=stop_after(2))
    run = get_run(admin, e.value.run_id)
    assert run.status == "interrupted" and run.applied == 6 and run.inserted == 6
    assert Customer.select().count() == 6
    assert [r.id for r in unfinished_runs()] == [run.id]
    assert audit_rows(before) == []  # nothing audited until the run ends

    f.unlink()  # the checked rows are in the run's stash: the file is not needed
    done = apply.resume(admin, run.id)
    assert (done.status, done.applied, done.inserted) == ("done", 10, 10)
    assert sorted(c.code for c in Customer.select()) == [f"K{i:05d}" for i in range(1, 11)]
    assert [a[1] for a in audit_rows(before)] == ["import"]
    assert unfinished_runs() == []
    with pytest.raises(Exception, match="nothing to resume"):
        apply.resume(admin, run.id)


def test_an_interrupted_run_is_undone_by_a_command(admin, small_batches, tmp_path):
    C.create_customer(admin, name="已有客户", code="OLD1")
    f = customers_csv(tmp_path / "c.csv", 10)
    before = last_audit()
    with pytest.raises(ImportInterrupted) as e:
        import_customers(admin, f, progress=stop_after(1))
    undone = apply.undo(system_actor(), e.value.run_id)
    assert (undone.status, undone.removed, undone.kept) == ("undone", 3, 0)
    assert [c.code for c in Customer.select()] == ["OLD1"]
    assert audit_rows(before) == [("customer", "import.undo",
                                   {"file": "c.csv", "run": undone.id, "removed": 3,
                                    "kept": 0})]
    with pytest.raises(TuicrmError, match="is undone: nothing to resume"):
        apply.resume(admin, undone.id)


def test_cancel_takes_back_what_was_written(admin, small_batches, tmp_path):
    f = customers_csv(tmp_path / "c.csv", 10)
    cancel = threading.Event()

    def progress(phase, done, total):
        if phase == "writing" and done >= 6:
            cancel.set()

    r = import_customers(admin, f, progress=progress, cancel=cancel)
    assert r.cancelled and r.imported == 0 and r.undone == 6
    assert Customer.select().count() == 0
    assert get_run(admin, r.run).status == "undone"


def test_cancel_while_checking_writes_nothing_and_starts_no_run(admin, tmp_path):
    f = customers_csv(tmp_path / "c.csv", 2500)
    cancel = threading.Event()
    r = import_customers(admin, f, progress=lambda *a: cancel.set(), cancel=cancel)
    assert r.cancelled and r.run is None
    assert Customer.select().count() == 0 and ImportRun.select().count() == 0


def test_undo_keeps_a_customer_used_since_and_names_it(admin, small_batches, tmp_path):
    f = customers_csv(tmp_path / "c.csv", 5)
    r = import_customers(admin, f)
    used = Customer.get(Customer.code == "K00002")
    Contact.create(customer=used, name="王经理")
    undone = apply.undo(admin, r.run)
    assert (undone.removed, undone.kept) == (4, 1)
    assert "K00002" in undone.message
    assert [c.code for c in Customer.select()] == ["K00002"]
    assert Customer.get(Customer.code == "K00002").import_run is None


def test_undo_of_an_update_import_puts_the_old_fields_back(admin, small_batches, tmp_path):
    C.create_customer(admin, name="老王五金", code="K00001", phone="021-1111111",
                      credit_limit="500")
    f = tmp_path / "u.csv"
    f.write_text("code,name,credit_limit\nK00001,王氏五金,900\nK00009,新客户,1\n",
                 encoding="utf-8")
    r = import_customers(admin, f, duplicates="update")
    assert r.ok and r.imported == 2
    assert Customer.get(Customer.code == "K00001").name == "王氏五金"
    undone = apply.undo(admin, r.run)
    assert undone.removed == 2  # one restored, one removed
    old = Customer.get(Customer.code == "K00001")
    assert (old.name, str(old.credit_limit), old.phone) == ("老王五金", "500.00", "021-1111111")
    assert "laowangwujin" in old.pinyin
    assert [c.code for c in Customer.select()] == ["K00001"]


def test_codes_handed_out_skip_the_codes_the_file_brings(admin, small_batches, tmp_path):
    """Rows without a code get the next C numbers, never one a later row of the file uses."""
    f = tmp_path / "c.csv"
    rows = ["code,name"] + [f",无码{i}" for i in range(4)] + ["C000002,有码"]
    f.write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = import_customers(admin, f)
    assert r.ok, r.problems
    assert sorted(c.code for c in Customer.select()) == [
        "C000001", "C000002", "C000003", "C000004", "C000005"]
    assert Customer.get(Customer.code == "C000002").name == "有码"


def test_products_run_in_batches_and_undo_takes_their_barcodes(admin, small_batches, tmp_path):
    f = tmp_path / "p.csv"
    lines = ["code,name,barcodes"] + [f"P{i},商品{i},{_ean13(i)}" for i in range(1, 8)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    r = import_products(admin, f)
    assert r.ok and r.imported == 7
    assert Barcode.select().count() == 7
    assert Product.get(Product.code == "P1").pinyin.startswith("shangpin")
    undone = apply.undo(admin, r.run)
    assert undone.removed == 7
    assert Product.select().count() == 0 and Barcode.select().count() == 0


def test_a_barcode_taken_during_the_run_takes_it_all_back(admin, small_batches, tmp_path):
    from tuicrm.data.catalog import products as P

    f = tmp_path / "p.csv"
    lines = ["code,name,barcodes"] + [f"P{i},商品{i},{_ean13(i)}" for i in range(1, 8)]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def progress(phase, done, total):
        if phase == "writing" and done == 3:
            P.create_product(admin, code="X1", name="x", barcodes=[_ean13(6)])

    r = import_products(admin, f, progress=progress)
    assert [str(p) for p in r.problems] == [
        f"row 7, barcodes: barcode {_ean13(6)} already belongs to product X1 x"]
    assert r.imported == 0 and r.undone == 3
    assert [p.code for p in Product.select()] == ["X1"]


def test_runs_are_listed_newest_first(admin, small_batches, tmp_path):
    import_customers(admin, customers_csv(tmp_path / "a.csv", 2))
    with pytest.raises(ImportInterrupted):
        import_customers(admin, customers_csv(tmp_path / "b.csv", 5, start=10),
                         progress=stop_after(0))
    runs = list_runs(admin)
    assert [(r.file, r.status) for r in runs] == [("b.csv", "interrupted"), ("a.csv", "done")]


def _ean13(n: int) -> str:
    body = f"69{n:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def test_an_interrupted_import_is_an_alert_on_today_until_it_is_ended(admin, small_batches,
                                                                        tmp_path):
    from tuicrm.data.agenda.today import build_today

    with pytest.raises(ImportInterrupted) as e:
        import_customers(admin, customers_csv(tmp_path / "c.csv", 5), progress=stop_after(1))
    titles = [i.title for i in build_today(admin)]
    assert f"Import {e.value.run_id} of customers from c.csv stopped half-way (3 of 5 rows)" \
        in titles
    apply.undo(admin, e.value.run_id)
    assert not [t for t in (i.title for i in build_today(admin)) if t.startswith("Import")]


def test_batches_are_sized_to_hold_the_lock_briefly():
    """A batch fits the target time at the last batch's pace, grows at most twofold, never
    passes the setting."""
    assert apply.next_size(200, 200, 0.01, 5000) == 400  # fast: doubles
    assert apply.next_size(4000, 4000, 2.0, 5000) == int(4000 / 2.0 * apply.TARGET)  # slow
    assert apply.next_size(4000, 4000, 0.01, 5000) == 5000  # the setting is the ceiling
    assert apply.next_size(3, 3, 0.0, 3) == 3
