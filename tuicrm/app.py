"""The tuicrm App: login, the screen stack, global keys, command palette, idle lock."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable, Coroutine, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual import events
from textual._compositor import CompositorUpdate
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, TextArea

from .data.core import clock, settings
from .data.core import db as dbmod
from .data.core.actor import Actor
from .data.core.formats import use_currency
from .data.staff import users as user_ops
from .i18n import N_, _, choose_language, language_from_environment, ngettext, set_language
from .screens.help import HelpScreen
from .screens.login import LoginScreen, Mode
from .screens.registry import AREAS, Area
from .terminal.ascii_style import AsciiUpdate
from .terminal.keys import teach_textual
from .terminal.lean_output import ShownRows
from .widgets import crash_guard, terminal_guard
from .widgets.background import run_in_thread
from .widgets.key_hold import HoldsKeys
from .widgets.palette import Commands, PaletteEntry, TuicrmPalette

if TYPE_CHECKING:
    from textual.timer import Timer

    from .data.agenda.reminder_rows import ReminderRow
    from .terminal.link import LinkWatch

IDLE_CHECK_SECONDS = 15.0
REMINDER_CHECK_SECONDS = 20.0  # how often the app looks for reminders coming due
AUTO_BACKUP_FIRST_SECONDS = 30.0  # after start: the login screen paints first
AUTO_BACKUP_CHECK_SECONDS = 3600.0  # then hourly: is a backup due?
AUTO_BACKUP_IDLE_SECONDS = 60.0  # only after a minute without a key on this terminal
CHECKPOINT_IDLE_SECONDS = 60.0


def _ignore(_value: object) -> None:
    """For background work whose outcome nobody waits for (a checkpoint, a setting read)."""


class Blank(Screen[None]):
    """The bottom of the stack: nothing on it, so nothing leaks when everything is popped."""


async def _done() -> None:
    """An awaitable for an event handled already (``on_event`` returns one)."""


class TuicrmApp(App[None]):
    TITLE = "tuicrm"
    CSS_PATH = "app.tcss"
    GUARD_ERRORS = True  # crash_guard: one line and a log file, never a traceback
    ENABLE_COMMAND_PALETTE = True
    # "-narrow" on a handheld (40x16): screens lay out for it (order entry's line fields).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-normal")]
    COMMANDS = {Commands}
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help", priority=True),
        Binding("ctrl+l", "lock", "Lock", id="app.lock", priority=True, show=False),
        Binding("ctrl+r", "new_reminder", "New reminder", id="app.new_reminder", priority=True,
                show=False),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
        # Tab moves focus at once, before later keys are routed: a fast typist (or one SSH
        # read holding "name<Tab>password") would otherwise put everything in one field.
        Binding("tab", "focus_next", "Next field", id="app.tab", priority=True, show=False),
        Binding("shift+tab", "focus_previous", "Previous field", id="app.backtab",
                priority=True, show=False),
    ]

    def __init__(self, location: str, *, idle_lock_minutes: int | None = None,
                 language: str | None = None, auto_backup: bool = False,
                 ascii_style: bool | None = None) -> None:
        crash_guard.install()
        terminal_guard.install()
        # NO_COLOR runs as a 16-colour terminal does (ANSI theme, the :ansi rules), then the
        # contrast filter drops the colours and keeps highlights as reverse video.
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        teach_textual()
        if self.no_color:
            from .terminal.colour import use_contrast_filter

            use_contrast_filter(self)
        self.location = location
        self.chosen_language = language  # --lang: before every other choice
        self._ascii_choice = ascii_style  # --ascii: before TUICRM_ASCII and ui.ascii
        self.ascii_style = False  # decided on mount (terminal/ascii_style.py)
        self.site_language = ""
        self.auto_backup = auto_backup
        self.user: Actor | None = None
        self.locked = False
        # (backup file, who asked): a restore chosen on the Backup screen, run by the command
        # line once the app has closed its database (a file cannot be swapped under it).
        self.pending_restore: tuple[Path, Actor] | None = None
        self._idle_lock_override = idle_lock_minutes
        self._last_input = time.monotonic()
        self._checkpointed_since_input = False
        self._reminders_checked_at = clock.now()  # reminders due after this have not rung yet
        self._link_watch: LinkWatch | None = None
        self._shown_rows = ShownRows()
        self._memory_release: Timer | None = None
        # Shown in the login log: which SSH connection or terminal a session came from.
        # SSH_CONNECTION is "client-address client-port server-address server-port".
        ssh = (os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_CLIENT") or "").split()
        self.session_detail = f"ssh {ssh[0]}" if ssh else f"tty {os.environ.get('TERM', '?')}"

    def _handle_exception(self, error: Exception) -> None:
        """Textual's last resort (a timer, a worker, a screen that failed to mount): one
        line and the log instead of a traceback with local variables; the app goes on."""
        crash_guard.report(self, error, where="app")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("focus_next", "focus_previous"):
            # Scanning screens take Tab as a scanner terminator (PRIORITY_TAB = False).
            return getattr(self.screen, "PRIORITY_TAB", True)
        if action == "new_reminder":
            return self.user is not None and not self.locked and not isinstance(
                self.screen, ModalScreen | LoginScreen)
        return True

    # -- output -----------------------------------------------------------------------------
    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        """Textual's output, less the rows a full repaint would send unchanged (see
        ``terminal/lean_output.py``: a third of a screen's first paint over SSH). Only a
        frame Textual will write is leaned: it drops those painted during a batch update (a
        screen opening as the palette closes), and rows taken as sent then were never shown."""
        if (renderable is not None and not self.is_headless and not self._batch_count
                and self._driver is not None and self._running and not self._closed):
            renderable = self._shown_rows.lean(renderable, self.console, self.size)
            if self.ascii_style and isinstance(renderable, CompositorUpdate):
                renderable = AsciiUpdate(renderable)  # terminal/ascii_style.py
        super()._display(screen, renderable)

    def on_resize(self, _event: events.Resize) -> None:
        self._shown_rows.forget()

    # -- start-up ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen[None]:
        return Blank()

    def on_mount(self) -> None:
        if self.no_color or self.console.color_system in ("standard", "windows"):
            self.theme = "ansi-dark"  # 16 colours: use the terminal's own palette
        self.site_language = settings.value(settings.UI_LANGUAGE)
        from .terminal.ascii_style import wanted

        self.ascii_style = wanted(self._ascii_choice, settings.value(settings.UI_ASCII))
        use_currency(settings.value(settings.CURRENCY))
        self.speak(None)
        if not self.is_headless:
            from .terminal.link import LinkWatch

            self._link_watch = LinkWatch(self.link_dropped)
            self._link_watch.start()
            from .terminal.memory import freeze_start_up

            freeze_start_up()  # before the first screen: see terminal/memory.py
        mode: Mode = "login" if user_ops.has_users() else "setup"
        self.push_screen(LoginScreen(mode))
        self.set_interval(IDLE_CHECK_SECONDS, self._idle_tick)
        self.set_interval(REMINDER_CHECK_SECONDS, self._reminder_tick)
        if self.auto_backup:
            self.set_timer(AUTO_BACKUP_FIRST_SECONDS, self._backup_tick)
            self.set_interval(AUTO_BACKUP_CHECK_SECONDS, self._backup_tick)

    def _backup_tick(self) -> None:
        """Automatic backups without cron: when the terminal has been left alone for a while
        (never in the middle of a sale or a burst of scans), ask a low-priority child process
        to back up if one is due (another process already at it is skipped); only a failure
        is shown, and only to someone who may act on it."""
        from .data.backup.schedule import back_up_in_child_if_due
        from .data.core.permissions import allowed

        if time.monotonic() - self._last_input < AUTO_BACKUP_IDLE_SECONDS:
            self.set_timer(AUTO_BACKUP_IDLE_SECONDS, self._backup_tick)  # try again later
            return
        location = self.location

        def failed(e: Exception) -> None:
            if self.user is not None and allowed(self.user, "backup.manage"):
                self.notify(_("Automatic backup failed: {error}").format(error=e),
                            severity="error", markup=False)

        run_in_thread(self, lambda: back_up_in_child_if_due(location), lambda _made: None,
                      failed, name="auto-backup", exclusive=True)

    # -- session ----------------------------------------------------------------------------
    def speak(self, user: Actor | None) -> str:
        """Use the language for ``user`` (before login: None): --lang, else the user's own,
        else the site's, else the environment's. Screens made afterwards speak it."""
        return set_language(choose_language(
            self.chosen_language, user.language if user else None, self.site_language,
            language_from_environment()))

    def logged_in(self, user: Actor) -> None:
        """Called by the login screen. The same user after a lock resumes where they were;
        anyone else starts from a clean Home screen with Today on top (Esc: Home)."""
        from .screens.home import HomeScreen
        from .screens.today import TodayScreen

        resuming = self.locked and self.user is not None and self.user.id == user.id
        self.user = user
        self.speak(user)
        self.locked = False
        self._last_input = time.monotonic()
        if resuming:
            self.pop_screen()
            return
        self._reminders_checked_at = clock.now()  # Today shows what is already due
        self._clear_stack()
        from .terminal.memory import release_render_caches

        release_render_caches()  # the password hash's memory back to the system
        self.push_screen(HomeScreen())
        self.push_screen(TodayScreen())

    def language_changed(self, user: Actor) -> None:
        """The user chose another language: speak it, and open Home again in it (screens
        already made keep the words they were made with)."""
        from .screens.home import HomeScreen

        self.user = user
        self.speak(user)
        self._clear_stack()
        self.push_screen(HomeScreen())

    def screen_closed(self) -> None:
        """A screen went away: a moment later (when Textual has let go of it) free what it
        held and give the pages back (``terminal/memory.py``); one pass for several screens."""
        if self._memory_release is None:
            self._memory_release = self.set_timer(0.5, self._release_memory)

    def _release_memory(self) -> None:
        from .terminal.memory import release_render_caches

        self._memory_release = None
        # Not under tests (headless): there one process holds many apps, and a full
        # collection of all of it after every closed screen only slows the suite.
        release_render_caches(collect=not self.is_headless)

    def _clear_stack(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def link_dropped(self, reason: str, dead: bool) -> None:
        """The terminal went away (SSH dropped, window closed): note it in the login log and
        leave - at once if the terminal is dead (Textual's goodbye would write to it and can
        block); the link watch ends the process if this cannot finish in time."""
        from .terminal.link import end_process

        self.session_detail = f"{self.session_detail}; {reason}"
        self._log_session("hang-up", then=end_process if dead else self.exit)

    def action_lock(self) -> None:
        if self.user is None or self.locked:
            return
        self.locked = True
        self._log_session("lock")
        self.push_screen(LoginScreen("lock", locked_user=self.user.username))

    def _log_session(self, event: str, then: Callable[[], object] | None = None) -> None:
        """Record a lock / logout in the login log, in a worker (it may wait for the write
        lock); ``then()`` afterwards, whether it could be recorded or not."""
        actor, detail = self.user, self.session_detail
        if actor is None:
            if then is not None:
                then()
            return

        def after(_result: object) -> None:
            if then is not None:
                then()

        run_in_thread(self, lambda: user_ops.record_session_event(actor, event, detail),
                      after, after, name="session-log")

    def on_event(self, event: events.Event) -> Coroutine[Any, Any, None]:
        if isinstance(event, events.Key | events.MouseDown):
            self._last_input = time.monotonic()
            self._checkpointed_since_input = False
        if isinstance(event, events.Key) and not event.is_forwarded:
            # Keys typed ahead of a screen still opening wait for it (widgets/key_hold.py);
            # a screen that opens others from a key does so now, before the next key.
            screen = self.screen
            if isinstance(screen, HoldsKeys) and screen.hold(event):
                return _done()
            takes_key = getattr(screen, "takes_key", None)
            if takes_key is not None and takes_key(event):
                return _done()
            if event.is_printable and not isinstance(self.focused, Input | TextArea):
                return self._bound_key_now(event)
        return super().on_event(event)

    async def _bound_key_now(self, event: events.Key) -> None:
        """A letter on a list, a tree, a menu: its binding ("a" Add, "e" Edit) is carried out
        as the key is read, not after the focused widget has passed it up, so the keys typed
        after it reach the dialog it opens (held there until it is ready: key_hold.py)."""
        if not (await self._check_bindings(event.key, priority=True)
                or await self._check_bindings(event.key)):
            await super().on_event(event)

    def _idle_tick(self) -> None:
        """Lock an idle session; fold the SQLite WAL back when idle. Reading the setting and
        the checkpoint run in a worker: both may wait on the database."""
        idle = time.monotonic() - self._last_input
        if idle >= CHECKPOINT_IDLE_SECONDS and not self._checkpointed_since_input:
            self._checkpointed_since_input = True
            run_in_thread(self, dbmod.checkpoint, _ignore, _ignore, name="checkpoint")
        if self._idle_lock_override is not None:
            self._lock_if_idle(self._idle_lock_override)
        elif self.user is not None and not self.locked:
            run_in_thread(self, lambda: settings.value(settings.IDLE_LOCK_MINUTES),
                          self._lock_if_idle, _ignore, name="idle", exclusive=True)

    def _lock_if_idle(self, minutes: int) -> None:
        idle = time.monotonic() - self._last_input  # keys typed meanwhile count
        if self.user is not None and not self.locked and minutes > 0 and idle >= minutes * 60:
            self.action_lock()

    def _reminder_tick(self) -> None:
        """Ring for the operator's reminders that came due since the last look: a toast and
        the bell, never a new screen or a change of focus (a scan or a half-typed field goes
        on undisturbed). The look runs in a worker. While locked nothing rings; it rings
        after the unlock."""
        if self.user is None or self.locked:
            return
        from .data.agenda import reminders  # not at start-up: the login screen needs none

        actor, since, until = self.user, self._reminders_checked_at, clock.now()
        self._reminders_checked_at = until

        def look_again() -> None:
            if self.user == actor:  # the same session: the next look covers this window too
                self._reminders_checked_at = min(self._reminders_checked_at, since)

        def ring(due: list[ReminderRow]) -> None:
            if self.user != actor:
                return  # someone else logged in meanwhile: their Today shows their own
            if self.locked:
                look_again()  # locked while looking: it rings after the unlock
                return
            self._ring(due, until)

        run_in_thread(self, lambda: reminders.coming_due(actor, since, until), ring,
                      lambda _e: look_again(), name="reminder-tick")

    def _ring(self, due: list[ReminderRow], until: dt.datetime) -> None:
        from .data.agenda.schedule import fmt_when

        if not due:
            return
        for r in due[:3]:
            self.notify(
                _("{title} (due {when})").format(title=r.title, when=fmt_when(r.due_at, until)),
                title=_("Reminder"), severity="warning", timeout=30, markup=False,
            )
        if len(due) > 3:
            more = len(due) - 3
            self.notify(ngettext("and {n} more reminder: see Today (Ctrl+P Today)",
                                 "and {n} more reminders: see Today (Ctrl+P Today)",
                                 more).format(n=more),
                        title=_("Reminder"), severity="warning", timeout=30, markup=False)
        self.bell()
        from .screens.today import TodayScreen

        if isinstance(self.screen, TodayScreen):
            self.screen.refresh_data()

    def action_new_reminder(self) -> None:
        """Ctrl+R from any screen: the new-reminder form."""
        if self.user is None or self.locked:
            return
        from .screens.reminder_dialogs import open_new_reminder

        refresh = getattr(self.screen, "refresh_data", None)
        open_new_reminder(self, self.user, refresh if callable(refresh) else None)

    # -- navigation -------------------------------------------------------------------------
    def open_area(self, area: Area) -> None:
        if self.user is None or self.locked:
            return
        screen_cls = area.factory()
        # Opening an area from anywhere replaces whatever sits above Home.
        from .screens.home import HomeScreen

        while len(self.screen_stack) > 2 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        self.push_screen(screen_cls())

    def go_back(self) -> None:
        """Esc: back to the screen below, never below Home."""
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        self.push_screen(HelpScreen(self.screen))

    async def action_quit(self) -> None:
        from .widgets.dialogs import ConfirmDialog

        if isinstance(self.screen, ConfirmDialog):
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self._log_session("logout", then=self.exit)

        self.push_screen(ConfirmDialog(_("Quit tuicrm?"), yes=_("Quit"), no=_("Stay")), answer)

    # -- command palette --------------------------------------------------------------------
    def action_command_palette(self) -> None:
        if self.use_command_palette and not TuicrmPalette.is_open(cast("App[Any]", self)):
            self.push_screen(TuicrmPalette())

    def palette_entries(self, screen: Screen[Any]) -> list[PaletteEntry]:
        """What Ctrl+P offers (English names; the palette shows them translated)."""
        if self.user is None or self.locked:
            return [PaletteEntry(N_("Quit"), N_("Leave tuicrm"), self.action_quit)]
        from .screens.home import HomeScreen

        def go_home() -> None:
            self._clear_stack()
            self.push_screen(HomeScreen())

        entries = [PaletteEntry(N_("Home"), N_("The start screen with every area"), go_home)]
        granted = user_ops.permissions_of(self.user)

        def opener(area: Area) -> Callable[[], None]:
            return lambda: self.open_area(area)

        entries += [PaletteEntry(area.name, area.description, opener(area))
                    for area in AREAS if area.permission is None or area.permission in granted]
        entries += [
            PaletteEntry(N_("New reminder"), N_("Add a reminder or task (Ctrl+R)"),
                         self.action_new_reminder),
            PaletteEntry(N_("Help"), N_("Keys and what this screen does (F1)"),
                         self.action_help),
            PaletteEntry(N_("Lock"), N_("Lock the session (Ctrl+L)"), self.action_lock),
            PaletteEntry(N_("Switch user"), N_("Lock and log in as someone else"),
                         self.action_lock),
            PaletteEntry(N_("Quit"), N_("Leave tuicrm (Ctrl+Q)"), self.action_quit),
        ]
        return entries

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for entry in self.palette_entries(screen):
            yield SystemCommand(_(entry.name), _(entry.help), entry.callback)


def make_app(location: str, *, idle_lock_minutes: int | None = None,
             language: str | None = None, auto_backup: bool = False,
             ascii_style: bool | None = None) -> TuicrmApp:
    """The app on an already opened database (see ``data.schema.open_db``); used by the CLI
    (with ``auto_backup``: automatic backups when due) and the tests. ``language``: as
    ``--lang`` (else the user's, the site's, LANG); ``ascii_style``: as ``--ascii`` (else
    ``TUICRM_ASCII``, else the site's ``ui.ascii``)."""
    return TuicrmApp(location, idle_lock_minutes=idle_lock_minutes, language=language,
                     auto_backup=auto_backup, ascii_style=ascii_style)
