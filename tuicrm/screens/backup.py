"""Backup (A6), for administrators: the backups with time, size and verification, the last
drill; B backs up now, D drills the latest backup, R restores the one under the cursor.

A backup or drill runs in a worker (the screen stays usable; it says what it is doing). A
restore asks first, then closes the app: the database file cannot be swapped under open
connections, so ``tuicrm`` restores it once the app has closed (proving the backup, keeping a
safety backup) and prints the outcome. Everyone else must log out first.
"""

from __future__ import annotations

import time
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.backup import actions
from ..data.backup.actions import BackupOverview
from ..data.backup.folder import BackupEntry
from ..data.backup.making import BackupMade
from ..data.backup.restoring import DrillResult
from ..data.core.errors import TuicrmError
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.dialogs import ConfirmDialog
from ..widgets.focus import focus_now
from .base import AppScreen


def entry_line(entry: BackupEntry) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{entry.created_at:%Y-%m-%d %H:%M:%S}  ")
    line.append(f"{entry.size / 2**20:9,.1f} MiB  ")
    if entry.problem:
        line.append("! " + _("damaged"), style="bold red")
    elif entry.verified:
        line.append("✓ " + _("verified"))
    else:
        line.append("? " + _("not verified"), style="yellow")
    if entry.label:
        line.append(f"  ({entry.label})", style="dim")
    return line


class BackupScreen(AppScreen):
    TITLE_TEXT = N_("Backup")
    HELP = N_(
        "The backups of this database, newest first: when, how big, and whether the copy "
        "was verified (integrity, every check, row counts and totals) before it was kept. "
        "B backs up now. D restores the latest backup into a scratch place and proves it "
        "(the drill). R restores the backup under the cursor: tuicrm closes, restores it "
        "after proving it, and keeps a safety backup of the database it replaces. Automatic "
        "backups follow the settings under Backup."
    )
    BINDINGS = [
        Binding("b", "back_up", "Back up now", id="backup.now"),
        Binding("d", "drill", "Drill", id="backup.drill"),
        Binding("r", "restore", "Restore", id="backup.restore"),
        Binding("f5,ctrl+r", "reload", "Refresh", id="backup.refresh", show=False),
    ]
    DEFAULT_CSS = """
    BackupScreen #state { height: auto; padding: 0 1; }
    BackupScreen #backups { height: 1fr; border: none; }
    BackupScreen #busy { height: 1; padding: 0 1; color: $warning; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.overview: BackupOverview | None = None
        self.busy = ""
        self._busy_since = 0.0
        self.ready = False

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="state", markup=False)
        yield OptionList(id="backups")
        yield Static("", id="busy", markup=False)
        yield from self.compose_footer()

    @property
    def backups(self) -> OptionList:
        return self.query_one("#backups", OptionList)

    def on_mount(self) -> None:
        focus_now(self.backups)
        self.set_interval(1.0, self._tick)
        self.action_reload()

    def action_reload(self) -> None:
        actor = self.user
        run_in_thread(self, lambda: actions.backup_overview(actor), self._show,
                      lambda e: self.notify_error(str(e)), name="backup-read", exclusive=True)

    def _show(self, overview: BackupOverview) -> None:
        self.overview = overview
        state = overview.status
        text = Text(_("Folder: {folder}").format(folder=overview.folder))
        good = f"{state.last_good:%Y-%m-%d %H:%M}" if state.last_good else _("never")
        text.append("\n" + _("Last good backup: {when}").format(when=good),
                    style="bold red" if state.backup_stale else "")
        drill = f"{state.last_drill:%Y-%m-%d %H:%M}" if state.last_drill else _("never")
        if state.last_drill and not state.drill_ok:
            drill += " " + _("(failed)")
        text.append("   " + _("Last drill: {when}").format(when=drill),
                    style="bold red" if state.drill_stale else "")
        self.query_one("#state", Static).update(text)
        self.backups.clear_options()
        self.backups.add_options([Option(entry_line(e), id=e.name) for e in overview.entries]
                                 or [Option(Text(_("No backups yet: B backs up now")),
                                            disabled=True)])
        if overview.entries:
            self.backups.highlighted = 0
        self.ready = True

    def current(self) -> BackupEntry | None:
        index = self.backups.highlighted
        if index is None or self.overview is None:
            return None
        name = self.backups.get_option_at_index(index).id
        return next((e for e in self.overview.entries if e.name == name), None)

    # -- long work in a worker -------------------------------------------------------------

    def _tick(self) -> None:
        text = ""
        if self.busy:
            text = f"{self.busy} {time.monotonic() - self._busy_since:.0f} s"
        self.query_one("#busy", Static).update(Text(text))

    def _start(self, what: str) -> bool:
        if self.busy:
            self.notify_error(_("Wait: {what}").format(what=self.busy))
            return False
        self.busy, self._busy_since = what, time.monotonic()
        self._tick()
        return True

    def _finish(self) -> None:
        self.busy = ""
        self._tick()
        self.action_reload()

    def _failed(self, error: TuicrmError) -> None:
        self._finish()
        self.notify_error(str(error))

    def action_back_up(self) -> None:
        if not self._start(_("Backing up: copy, verify, keep...")):
            return
        actor = self.user

        def done(made: BackupMade) -> None:
            self._finish()
            self.notify(made.describe(), markup=False)

        run_in_thread(self, lambda: actions.back_up_now(actor), done, self._failed,
                      name="backup-now", keep=True)

    def action_drill(self) -> None:
        if not self._start(_("Drill: restoring the latest backup into a scratch place...")):
            return
        actor = self.user

        def done(result: DrillResult) -> None:
            self._finish()
            if result.ok:
                self.notify(_("Drill passed with {name}: {detail}").format(
                    name=result.backup.name, detail=result.detail), markup=False)
            else:
                self.notify_error(_("Drill failed with {name}: {detail}").format(
                    name=result.backup.name, detail=result.detail))

        run_in_thread(self, lambda: actions.drill_now(actor), done, self._failed,
                      name="backup-drill", keep=True)

    def action_restore(self) -> None:
        entry = self.current()
        if entry is None or self.busy:
            self.app.bell()
            return
        actor = self.user
        run_in_thread(self, lambda: actions.restorable(actor, entry.name),
                      lambda path: self._confirm_restore(entry, path),
                      lambda e: self.notify_error(str(e)), name="backup-check")

    def _confirm_restore(self, entry: BackupEntry, path: Path) -> None:
        def answer(yes: bool | None) -> None:
            if yes:
                self.tuicrm.pending_restore = (path, self.user)
                self.app.exit()

        self.app.push_screen(ConfirmDialog(
            _("Restore the backup of {when}? Everything entered since then is replaced (a "
              "safety backup is kept). tuicrm closes to restore it; everyone else must log "
              "out first.").format(when=f"{entry.created_at:%Y-%m-%d %H:%M}"),
            yes=_("Restore")), answer)
