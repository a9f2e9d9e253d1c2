"""The Backup screen and the Today alert: an administrator sees the backups with their
verification, backs up now, drills, and restores one (the app closes, the restore runs after
and is audited); Today warns administrators when backups or drills are stale. A user would
notice a failure as a shop that believes it has backups it does not have."""

from __future__ import annotations

import json

from tests.helpers import log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.agenda import today
from tuicrm.data.backup.restoring import restore_into
from tuicrm.data.catalog import products
from tuicrm.data.core import db as dbmod
from tuicrm.data.core import schema, settings
from tuicrm.data.models import AuditLog, Product
from tuicrm.screens.backup import BackupScreen
from tuicrm.widgets.dialogs import ConfirmDialog


def test_today_warns_administrators_only(db, admin, manager, tmp_path):
    settings.set_value(admin, "backup.dir", str(tmp_path / "bk"))
    titles = [i.title for i in today.build_today(admin)]
    assert "No recent backup (last good: never)" in titles
    assert "Restore drill is overdue (last: never)" in titles
    assert not [i for i in today.build_today(manager) if "backup" in i.title.lower()]


async def test_back_up_drill_and_restore_from_the_screen(db, admin, manager, password,
                                                         tmp_path):
    settings.set_value(admin, "backup.dir", str(tmp_path / "bk"))
    products.create_product(manager, code="KEEP", name="Kept 保留")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("2")
        await wait_for(pilot, lambda: isinstance(app.screen, BackupScreen) and app.screen.ready)
        await sees(pilot, "Last good backup: never", "No backups yet")
        await pilot.press("b")
        await sees(pilot, "✓ verified")
        assert "Last good backup: 2026-06-15 10:00" in screen_text(app)
        await pilot.press("d")
        await sees(pilot, "Last drill: 2026-06-15 10:00")
        assert "(failed)" not in screen_text(app)

        products.create_product(manager, code="LATER", name="Entered after the backup")
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await sees(pilot, "Restore the backup of 2026-06-15 10:00?")
        await pilot.press("y")
        await wait_for(pilot, lambda: app.pending_restore is not None)
    audit = AuditLog.select().where(AuditLog.entity == "backup").get()
    assert audit.username == "admin" and json.loads(audit.changes)["file"].endswith(".tcbak")

    # What ``tuicrm`` does once the app has closed.
    backup, actor = app.pending_restore
    dbmod.close()
    done = restore_into(backup, db, actor)
    assert "before-restore" in done.safety
    schema.open_db(db)
    assert {p.code for p in Product.select()} == {"KEEP"}
    row = AuditLog.select().where(AuditLog.action == "restore").get()
    assert row.username == "admin"
