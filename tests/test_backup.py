"""Backup and restore (A6): a backup is verified on the copy before it is published; a restore
takes only a whole, verified backup of a known schema, proves the restored copy against its
manifest, keeps a safety backup and removes stale -wal / -shm. A user would notice a failure as
a backup that does not restore, or a restore that replaced good data with bad."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest

from tuicrm.data.backup import container, folder, schedule
from tuicrm.data.backup.container import BackupRefused
from tuicrm.data.backup.making import BackupFailed, make_backup
from tuicrm.data.backup.manifest import figures
from tuicrm.data.backup.restoring import drill, last_drill, restore_backup
from tuicrm.data.catalog import products
from tuicrm.data.core import clock, settings
from tuicrm.data.core import db as dbmod
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock


@pytest.fixture
def shop(db, manager):
    """A few products on hand and one completed sale."""
    tea = products.create_product(manager, code="T1", name="乌龙茶", price1="12.50")
    stock.set_opening(manager, tea, 40)
    order = orders.new_order(manager, "sale")
    orders.add_line(manager, order, tea, 3)
    orders.complete_sale(manager, order)
    return db


def _sell_one(manager) -> None:
    order = orders.new_order(manager, "sale")
    orders.add_scan(manager, order, "T1")
    orders.complete_sale(manager, order)


def test_backup_then_restore_gives_the_same_figures(shop, manager, tmp_path):
    made = make_backup(shop, tmp_path / "bk")
    assert made.path.name.endswith(".tcbak") and made.path.parent == tmp_path / "bk"
    manifest = container.check_whole(made.path)
    assert manifest["verified"]["ok"] and manifest["engine"] == "sqlite"
    assert manifest["totals"]["stock_on_hand_milli"] == [37_000]
    assert manifest["counts"] == figures()["counts"]
    assert not [p for p in (tmp_path / "bk").iterdir() if p.name.startswith(".copy")]

    target = tmp_path / "restored.db"
    done = restore_backup(made.path, str(target))
    assert done.safety == ""  # nothing was there to keep
    sqlite3.connect(target).execute("SELECT COUNT(*) FROM 'order'").fetchone()
    assert _figures_of(target) == {"counts": manifest["counts"], "totals": manifest["totals"]}


def _figures_of(path: Path) -> dict:
    from tuicrm.data.backup.inspect import inspect_copy

    result = inspect_copy(str(path))
    assert result["problems"] == []
    return {"counts": result["counts"], "totals": result["totals"]}


def test_restore_keeps_a_safety_backup_and_removes_stale_wal(shop, manager, tmp_path):
    made = make_backup(shop, tmp_path / "bk")
    target = tmp_path / "live.db"
    restore_backup(made.path, str(target))
    before = _figures_of(target)
    # Someone else's newer database in its place, with a stale log beside it.
    Path(f"{target}-wal").write_bytes(b"stale log from another life")
    Path(f"{target}-shm").write_bytes(b"stale")
    done = restore_backup(made.path, str(target), safety_dir=tmp_path / "safety")
    assert Path(done.safety).parent == tmp_path / "safety"
    assert "before-restore" in Path(done.safety).name
    assert not Path(f"{target}-wal").exists() and not Path(f"{target}-shm").exists()
    assert _figures_of(target) == before


def _damaged_copies(made: Path, tmp_path: Path) -> dict[str, Path]:
    data = made.read_bytes()
    out = {}
    footer = container.FOOTER
    for where, offset in (("database header", 3), ("payload", len(data) // 2),
                          ("manifest", len(data) - footer - 20),
                          ("footer's lengths", len(data) - footer + 2),
                          ("footer's mark", len(data) - 40), ("checksum", len(data) - 1)):
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        out[f"flipped byte in the {where}"] = tmp_path / f"flip-{where.replace(' ', '-')}.tcbak"
        out[f"flipped byte in the {where}"].write_bytes(bytes(flipped))
    for n in (5, 30, len(data) // 2, len(data) - 1):
        out[f"truncated to {n}"] = tmp_path / f"trunc-{n}.tcbak"
        out[f"truncated to {n}"].write_bytes(data[:n])
    manifest = container.read_manifest(made)
    with container.payload_copy(made, tmp_path) as (_, payload):
        newer = {**manifest, "schema_version": 9999,
                 "migrations": [*manifest["migrations"], "9999_from_the_future"]}
        out["newer schema"] = tmp_path / "newer.tcbak"
        container.write(out["newer schema"], newer, payload)
        unverified = {**manifest, "verified": {"ok": False}}
        out["unverified"] = tmp_path / "unverified.tcbak"
        container.write(out["unverified"], unverified, payload)
        lying = {**manifest, "totals": {**manifest["totals"], "stock_on_hand_milli": [1]}}
        out["manifest that does not match"] = tmp_path / "lying.tcbak"
        container.write(out["manifest that does not match"], lying, payload)
        out["a plain database file"] = payload.with_name("plain.db")
        out["a plain database file"].write_bytes(payload.read_bytes())
    return out


def test_damaged_unverified_and_newer_backups_are_refused_in_one_line(shop, tmp_path):
    made = make_backup(shop, tmp_path / "bk")
    target = tmp_path / "live.db"
    restore_backup(made.path, str(target))
    good = target.read_bytes()
    reasons = {
        "flipped": "damaged", "truncated": "damaged", "newer schema": "made by a newer tuicrm",
        "unverified": "never verified", "manifest": "does not match its manifest",
        "plain": "not a tuicrm backup",
    }
    for what, path in _damaged_copies(made.path, tmp_path).items():
        with pytest.raises(BackupRefused) as e:
            restore_backup(path, str(target))
        message = str(e.value)
        assert "\n" not in message and message.endswith("not restored"), (what, message)
        want = next(v for k, v in reasons.items() if what.startswith(k) or k in what)
        assert want in message, (what, message)
        assert target.read_bytes() == good, what  # the live database was not touched
    assert not [p for p in tmp_path.iterdir() if p.name.startswith((".restore", ".payload"))]


def test_a_copy_that_fails_its_checks_is_not_published(shop, tmp_path):
    # The ledger no longer equals on-hand: a restore of this would be wrong, so no backup.
    dbmod.database.execute_sql('UPDATE "stock_level" SET "on_hand" = "on_hand" + 1000')
    with pytest.raises(BackupFailed, match="stock"):
        make_backup(shop, tmp_path / "bk")
    assert not list((tmp_path / "bk").glob("*.tcbak"))
    assert not [p for p in (tmp_path / "bk").iterdir() if p.name.startswith((".copy", ".tmp"))]


def _entry(at: dt.datetime) -> folder.BackupEntry:
    return folder.BackupEntry(Path(folder.backup_name(at)), at, "", 1, True, 30, "", {})


def test_retention_keeps_the_newest_of_each_day_week_and_month():
    start = dt.datetime(2026, 6, 15, 10)
    entries = [_entry(start - dt.timedelta(hours=12 * i)) for i in range(400)]  # 200 days
    kept = schedule.keep(entries, daily=7, weekly=4, monthly=12)
    days = sorted({e.created_at.date() for e in entries if e.path in kept}, reverse=True)
    assert days[:7] == [start.date() - dt.timedelta(days=i) for i in range(7)]
    assert len(kept) <= 7 + 4 + 12
    months = {(e.created_at.year, e.created_at.month) for e in entries if e.path in kept}
    assert len(months) == 8  # every month the 200 days touch (fewer than 12)


def test_automatic_backup_when_due_with_a_second_folder(shop, admin, manager, tmp_path,
                                                        monkeypatch):
    settings.set_value(admin, "backup.dir", str(tmp_path / "bk"))
    settings.set_value(admin, "backup.second_dir", str(tmp_path / "usb"))
    settings.set_value(admin, "backup.every_hours", "24")
    first = schedule.run_if_due(shop)
    assert first is not None and (tmp_path / "usb" / first.path.name).exists()
    assert schedule.run_if_due(shop) is None  # fresh: nothing due
    with folder.backup_lock(tmp_path / "bk"):  # another process is backing up
        monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 6, 16, 11))
        assert schedule.run_if_due(shop) is None
    _sell_one(manager)
    second = schedule.run_if_due(shop)
    assert second is not None and second.path.name.startswith("tuicrm-20260616-110000")
    assert [e.path for e in folder.list_backups(tmp_path / "usb")] == [
        tmp_path / "usb" / second.path.name, tmp_path / "usb" / first.path.name]
    settings.set_value(admin, "backup.every_hours", "0")
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 7, 1, 11))
    assert schedule.run_if_due(shop) is None  # only by hand


def test_drill_and_the_status_today_reads(shop, admin, tmp_path, monkeypatch):
    settings.set_value(admin, "backup.dir", str(tmp_path / "bk"))
    state = schedule.status(shop)
    assert state.backup_stale and state.drill_stale and state.last_good is None
    make_backup(shop)
    result = drill(shop)
    assert result.ok, result.detail
    assert last_drill(tmp_path / "bk")["ok"] is True
    state = schedule.status(shop)
    assert not state.backup_stale and not state.drill_stale
    later = clock.now() + dt.timedelta(days=3)
    assert schedule.status(shop, later).backup_stale
    assert not schedule.status(shop, later).drill_stale
    assert json.loads((tmp_path / "bk" / "last-drill.json").read_text())["backup"]


def test_backup_and_restore_commands(tmp_path):
    from tests.test_cli import tuicrm

    db = str(tmp_path / "shop.db")
    assert tuicrm("demo", "--db", db, "--customers", "50", "--products", "40", "--orders", "60",
                  "--today", "2026-06-15").returncode == 0
    r = tuicrm("backup", "--db", db)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith(f"backup {tmp_path / 'backups'}") and "verified" in r.stdout
    [made] = (tmp_path / "backups").glob("*.tcbak")
    r = tuicrm("restore", str(made), "--db", str(tmp_path / "copy.db"))
    assert r.returncode == 0, r.stderr
    assert tuicrm("check", "--db", str(tmp_path / "copy.db")).returncode == 0
    cut = tmp_path / "cut.tcbak"
    cut.write_bytes(made.read_bytes()[:-10])
    r = tuicrm("restore", str(cut), "--db", str(tmp_path / "copy.db"))
    assert r.returncode == 1 and r.stderr.count("\n") == 1
    assert r.stderr.startswith("tuicrm: cut.tcbak: damaged")
    r = tuicrm("backup", "--drill", "--db", db)
    assert r.returncode == 0 and "drill:" in r.stdout, r.stderr
    assert "verified" in tuicrm("backup", "--list", "--db", db).stdout


@pytest.mark.pg
def test_backup_and_restore_on_either_engine(shop, manager, tmp_path):
    """pg_dump on PostgreSQL (checked in a scratch database), the one-step copy on SQLite;
    either way the restore proves the copy and the figures come back."""
    made = make_backup(shop, tmp_path / "bk")
    manifest = container.check_whole(made.path)
    expected = {"engine": "postgresql" if dbmod.is_postgres(shop) else "sqlite"}
    assert {k: manifest[k] for k in expected} == expected
    before = figures()
    _sell_one(manager)
    assert figures() != before
    dbmod.close()
    restore_backup(made.path, shop, safety_dir=tmp_path / "safety")
    from tuicrm.data.core.schema import open_db

    open_db(shop)
    assert figures() == before
    assert list((tmp_path / "safety").glob("*before-restore*"))


def test_the_app_backs_up_in_a_child_process_when_due(shop, admin, tmp_path):
    settings.set_value(admin, "backup.dir", str(tmp_path / "bk"))
    assert schedule.back_up_in_child_if_due(shop) is True
    [made] = folder.list_backups(tmp_path / "bk")
    assert made.verified
    assert schedule.back_up_in_child_if_due(shop) is False  # fresh: not due
