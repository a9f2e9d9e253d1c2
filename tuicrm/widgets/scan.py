"""Barcode scan capture: a scan is handled whatever widget has focus, and never lands in a field.

Screen authors use three names::

    from tuicrm.widgets.scan import ScanInput, ScanScreen, Scanned

    class OrderEntry(ScanScreen):
        def compose(self):
            yield ScanInput(id="code")        # a person may also type a code here + Enter
            yield Input(id="qty")             # scans never land here; typing works as usual
            yield DataTable()

        def on_scanned(self, event: Scanned) -> None:
            add_line(event.code)              # "3*4006381333931" comes as typed

One :class:`Scanned` message reaches the screen per scan, in the order scanned, whether it came
from a scanner burst (with any widget focused) or from a person typing a code into the
:class:`ScanInput` and pressing Enter.

How it works, and why here. Textual hands each key to the focused widget from ``App.on_event``
(``self.focused._forward_event(event)``); the screen never sees a key before the focused widget,
and priority bindings cannot catch printable keys while an ``Input`` is focused (the binding
chain drops keys the focused widget's ``check_consume_key`` claims). So a :class:`ScanScreen`
puts a small router in front of its App's ``on_event`` (once per App, whatever the App's class;
the App class is not changed). While a ScanScreen is the active screen, every key read from the
terminal goes, in arrival order and in the App's own task, through a
:class:`~tuicrm.widgets.scan_burst.BurstDetector`: printable keys are held back for ``key_gap``
(50 ms); a run that ends in a terminator fast enough is a scan and never reaches any widget;
everything else is released unchanged, in order, through the App's normal key path (priority
bindings, then the focused widget). Deciding in the App's task, key by key, is what makes
back-to-back scans - even hundreds in one read - come out one each, in order: nothing waits for
an ``Input.Submitted`` that bubbles back behind the next scan's characters (the trap in
FIELD-NOTES: 0 of 500 correct).

Held keys are released by a timer. Before it releases, it looks whether more keys are on their
way - bytes waiting on the terminal, or Textual's input thread still parsing a read (an
overloaded machine stamps such keys late) - and if so holds on (up to ``stall_limit``), so a
scan split by a stall is not half typed into a field.

Diagnostics: set ``scan_diagnostics = True`` on the screen to also receive a
:class:`ScanDiagnostics` message for every group of keys the router decided on (each key with
the time it was read), for a scanner test screen.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import events, on
from textual.message import Message
from textual.screen import Screen

from ..i18n import _
from .ordered_input import OrderedInput
from .scan_burst import Action, BurstDetector, Captured, Deliver, Drop, RawKey, Scan, ScanTiming
from .terminal_input import input_busy

try:  # the clock Textual stamps events with (monotonic on POSIX)
    from textual._time import get_time
except ImportError:  # pragma: no cover - a later Textual moved it
    from time import monotonic as get_time

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

__all__ = [
    "RawKey",
    "ScanDiagnostics",
    "ScanInput",
    "ScanScreen",
    "ScanScreenMixin",
    "ScanTiming",
    "Scanned",
]

#: A quantity typed into the scan field before scanning: "3*" then a scan gives "3*<code>".
_MULTIPLIER = re.compile(r"\s*\d+\s*\*\s*")


class Scanned(Message):
    """One scan (or one code typed into a :class:`ScanInput` + Enter). Posted to the screen."""

    def __init__(
        self,
        code: str,
        raw: str,
        at: float,
        *,
        source: str = "scanner",
        keys: tuple[RawKey, ...] = (),
        dialog: Screen[Any] | None = None,
    ) -> None:
        super().__init__()
        self.code = code
        """The code as received: printable characters only, ``N*code`` kept as typed."""
        self.raw = raw
        """Every character received, control characters and terminator included."""
        self.at = at
        """When the terminator was read from the terminal (monotonic seconds, Textual's clock)."""
        self.source = source
        """``"scanner"`` (a burst) or ``"typed"`` (a person typed into the ScanInput)."""
        self.keys = keys
        """The keys with their timing (scanner bursts only)."""
        self.dialog = dialog
        """The dialog that was open over the scanning screen when the scan came (else None):
        the scanning screen decides to hold the scan until it closes or to apply it now."""

    def __repr__(self) -> str:
        return f"Scanned(code={self.code!r}, raw={self.raw!r}, source={self.source!r})"


class ScanDiagnostics(Message):
    """What the scan router did with a group of keys (only when ``scan_diagnostics`` is on).

    ``outcome`` is ``"scan"`` (became a :class:`Scanned`), ``"typed"`` (delivered as typing)
    or ``"dropped"`` (stray control characters after a scan); ``keys`` carry the timing.
    """

    def __init__(self, outcome: str, keys: tuple[RawKey, ...]) -> None:
        super().__init__()
        self.outcome = outcome
        self.keys = keys

    @property
    def text(self) -> str:
        """The characters, control characters spelled out (``\\r``, ``\\x02``)."""
        return "".join(
            (key.character if key.character.isprintable() else repr(key.character)[1:-1])
            if key.character
            else f"<{key.key}>"
            for key in self.keys
        )


class _Burst(Message, bubble=False):
    """Router -> focused ScanInput: a scan arrived while you had focus (same queue as typing)."""

    def __init__(self, scan: Scan) -> None:
        super().__init__()
        self.scan = scan


class ScanInput(OrderedInput):
    """The visible code field. A person types a code and presses Enter: one :class:`Scanned`.

    Enter is handled in this widget's own key handler - the same queue as the characters - which
    takes and clears the value there (not through ``Input.Submitted``). On a
    :class:`ScanScreen` scanner bursts never reach the field at all; but a multiplier a person
    typed first (``3*``) is taken with the next scan: ``3*<code>``.
    """

    DEFAULT_CSS = """
    ScanInput {
        width: 1fr;
    }
    """

    #: Tab also submits when it follows the last character at scanner speed (no ScanScreen).
    TAB_SUBMIT_GAP: ClassVar[float] = ScanTiming().key_gap

    def __init__(
        self,
        value: str | None = None,
        placeholder: str = "",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
        compact: bool = False,
    ) -> None:
        super().__init__(
            value,
            placeholder or _("Scan or type a code"),
            name=name,
            id=id,
            classes=classes,
            disabled=disabled,
            compact=compact,
            select_on_focus=False,
        )
        self.cursor_blink = False  # a blinking cursor costs ~1.8 KB/s over SSH while idle
        self._last_char_at = float("-inf")

    async def _on_key(self, event: events.Key) -> None:
        if event.is_printable:
            self._last_char_at = event.time
        elif self.value and (
            event.key == "enter"
            or (event.key == "tab" and event.time - self._last_char_at <= self.TAB_SUBMIT_GAP)
        ):
            event.stop()
            event.prevent_default()
            code = self.value
            self.value = ""
            self._post(Scanned(code, code + (event.character or ""), event.time, source="typed"))
            return
        await super()._on_key(event)

    @on(_Burst)
    def _take_burst(self, message: _Burst) -> None:
        scan = message.scan
        code, raw = scan.code, scan.raw
        if _MULTIPLIER.fullmatch(self.value):
            code, raw = "".join(self.value.split()) + code, self.value + raw
            self.value = ""
        self._post(Scanned(code, raw, scan.at, keys=scan.keys))

    def _post(self, message: Scanned) -> None:
        try:
            target: Widget | Screen[Any] = self.screen
        except Exception:  # not on a screen (yet): let it bubble from here
            target = self
        target.post_message(message)


KeyDeliver = Callable[[events.Key], Awaitable[None]]


class _ScanCapture:
    """Per-screen state: the detector, its release timer, and carrying out its actions."""

    def __init__(self, screen: ScanScreenMixin, dialog: Screen[Any] | None = None) -> None:
        self.mixin = screen
        self.screen = cast("Screen[Any]", screen)  # a mixin of Screens only
        self.dialog = dialog  # a dialog over ``screen`` whose keys this capture routes
        timing = screen.SCAN_TIMING
        if dialog is not None:
            # In a dialog Tab moves between fields (type-ahead: "name<Tab>code" in one read
            # must fill two fields), so only Enter ends a scan there.
            timing = replace(timing, terminators=timing.terminators - {"tab"})
        self.detector: BurstDetector[events.Key] = BurstDetector(timing)
        self._timer: asyncio.TimerHandle | None = None
        self._timer_due = 0.0

    async def route(self, event: events.Key, deliver: KeyDeliver) -> None:
        """Take one key from the terminal (called in the App's task, in arrival order)."""
        actions = self.detector.feed(event, event.key, event.character, event.time)
        await self._carry_out(actions, deliver)
        self._arm_timer()

    async def release_if_due(self, now: float, input_busy: bool, deliver: KeyDeliver) -> None:
        await self._carry_out(self.detector.expire(now, input_busy), deliver)
        self._arm_timer()

    async def release_all(self, deliver: KeyDeliver) -> None:
        await self._carry_out(self.detector.flush(), deliver)

    def release_to_focused(self) -> None:
        """Give held keys to this screen's focused widget directly (the screen goes away)."""
        focused = (self.dialog or self.screen).focused
        for action in self.detector.flush():
            for key in action.items:
                if focused is not None and focused.is_attached:
                    focused._forward_event(key)

    async def _carry_out(self, actions: list[Action[events.Key]], deliver: KeyDeliver) -> None:
        diagnostics = self.mixin.scan_diagnostics
        for action in actions:
            if isinstance(action, Captured):
                self._deliver_scan(action.scan)
                outcome = "scan"
            elif isinstance(action, Deliver):
                for key in action.items:
                    await deliver(key)
                outcome = "typed"
            else:
                assert isinstance(action, Drop)
                outcome = "dropped"
            if diagnostics:
                keys = action.scan.keys if isinstance(action, Captured) else action.keys
                self.screen.post_message(ScanDiagnostics(outcome, keys))

    def _deliver_scan(self, scan: Scan) -> None:
        if self.dialog is not None:  # never typed into the dialog: the scanning screen decides
            owner = self.screen
            owner.post_message(Scanned(scan.code, scan.raw, scan.at, keys=scan.keys,
                                       dialog=self.dialog))
            return
        screen = self.screen
        focused = screen.focused
        if isinstance(focused, ScanInput):
            # Through the field's own queue, behind any keys already delivered to it.
            focused.post_message(_Burst(scan))
        else:
            screen.post_message(Scanned(scan.code, scan.raw, scan.at, keys=scan.keys))

    # The release timer. It fires on the event loop, looks whether Textual's input thread is
    # still reading or parsing (keys on their way, stamped late), then asks for the check
    # through the same two-step path the driver's keys take (a thread-safe callback, then a
    # task that posts), so the check is queued behind every key posted before it fired.

    def _arm_timer(self) -> None:
        deadline = self.detector.deadline
        if deadline is None or self._timer is not None:
            return
        now = get_time()
        if self.detector.stalled:
            deadline = min(deadline, now + _STALL_POLL)
        loop = asyncio.get_running_loop()
        self._timer_due = max(now, deadline) + 0.001
        self._timer = loop.call_later(self._timer_due - now, self._on_timer)

    def _on_timer(self) -> None:
        self._timer = None
        deadline = self.detector.deadline
        if deadline is None:
            return
        try:
            app = self.screen.app
        except Exception:  # the screen or app is gone
            return
        now = get_time()
        # Only an on-time look says anything about the deadline: a timer that fired late (our
        # loop was starved) may see the input busy with keys typed long after it.
        busy = now - self._timer_due <= _ON_TIME and input_busy()
        coroutine = self._post_check(app, now, busy)
        asyncio.run_coroutine_threadsafe(coroutine, asyncio.get_running_loop())

    async def _post_check(self, app: App[Any], fired_at: float, input_busy: bool) -> None:
        router = _router_of(app)
        if router is not None:
            app.call_later(router.release_due, self, fired_at, input_busy)

    def cancel_timer(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None


#: While the input is busy and keys are held, look again this often (seconds).
_STALL_POLL = 0.005
#: A release timer that fires later than this after it was due cannot judge the input.
_ON_TIME = 0.020


class _KeyRouter:
    """Sits in front of an App's ``on_event``; sends terminal keys through the active
    ScanScreen's capture. Installed once per App by the first ScanScreen mounted."""

    def __init__(self, app: App[Any]) -> None:
        self._app = app
        self._next: Callable[[events.Event], Awaitable[None]] = app.on_event
        self._last: _ScanCapture | None = None
        app.on_event = self.on_event  # type: ignore[method-assign]

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            capture = self._capture_for_active_screen()
            if self._last is not None and self._last is not capture:
                await self._last.release_all(self._next)  # scan capture just went off
                self._last = None
            if capture is not None:
                self._last = capture
                await capture.route(event, self._next)
                return
        await self._next(event)

    async def release_due(self, capture: _ScanCapture, now: float, input_busy: bool) -> None:
        await capture.release_if_due(now, input_busy, self._next)

    def _capture_for_active_screen(self) -> _ScanCapture | None:
        try:
            screen = self._app.screen
            stack = self._app.screen_stack
        except Exception:
            return None
        if isinstance(screen, ScanScreenMixin):
            return screen._scan_capture if screen.scan_enabled else None
        # A dialog, picker or preview over a scanning screen: the scan detector stays in
        # front of it, so a scan is never typed into the dialog (nor answers it); the
        # scanning screen gets it, marked with the dialog, and holds or applies it.
        owner = _scanning_screen_below(stack)
        if owner is None or not owner.scan_enabled or not owner.SCANS_DURING_DIALOGS:
            return None
        captures: dict[int, _ScanCapture] = owner.__dict__.setdefault(
            "_tuicrm_dialog_captures", {})
        capture = captures.get(id(screen))
        if capture is None or capture.dialog is not screen:
            captures.clear()  # one dialog at a time is on top
            capture = captures[id(screen)] = _ScanCapture(owner, dialog=screen)
        return capture


def _scanning_screen_below(stack: list[Screen[Any]]) -> ScanScreenMixin | None:
    """The screen under the dialogs on top of the stack, if it is a scanning screen."""
    from textual.screen import ModalScreen

    for screen in reversed(stack):
        if isinstance(screen, ScanScreenMixin):
            return screen
        if not isinstance(screen, ModalScreen):
            return None
    return None


def _router_of(app: App[Any]) -> _KeyRouter | None:
    router: _KeyRouter | None = app.__dict__.get("_tuicrm_scan_router")
    return router


def install_scan_router(app: App[Any]) -> None:
    """Put the scan router in front of ``app``'s key handling (idempotent).

    A :class:`ScanScreen` does this itself when mounted; call it only to install early.
    """
    if _router_of(app) is None:
        app.__dict__["_tuicrm_scan_router"] = _KeyRouter(app)


class ScanScreenMixin:
    """Makes a Screen (or ModalScreen) capture scans whatever widget has focus.

    Class settings: ``SCAN_TIMING`` (a :class:`ScanTiming`). Instance switches:
    ``scan_enabled`` (default True) and ``scan_diagnostics`` (default False).
    Handle :class:`Scanned` (``def on_scanned(self, event)``) and, with diagnostics on,
    :class:`ScanDiagnostics` (``def on_scan_diagnostics(self, event)``).
    """

    SCAN_TIMING: ClassVar[ScanTiming] = ScanTiming()
    #: Scans while a dialog that is not itself a scanning screen is open over this one come
    #: here as ``Scanned`` with ``dialog`` set (False: such a dialog gets the keys as typing).
    SCANS_DURING_DIALOGS: ClassVar[bool] = True
    scan_enabled: bool = True
    scan_diagnostics: bool = False

    @property
    def _scan_capture(self) -> _ScanCapture:
        capture = self.__dict__.get("_tuicrm_scan_capture")
        if capture is None:
            capture = self.__dict__["_tuicrm_scan_capture"] = _ScanCapture(self)
        return capture

    def _on_mount(self, event: events.Mount) -> None:
        install_scan_router(self.app)  # type: ignore[attr-defined]

    # Textual calls the handler of every class in the MRO (these and Screen's own); the
    # signatures match Screen's so either may be found first.
    def _on_screen_suspend(self) -> None:
        self._scan_capture.release_to_focused()

    def _on_unmount(self) -> None:
        self._scan_capture.release_to_focused()
        self._scan_capture.cancel_timer()


class ScanScreen(ScanScreenMixin, Screen[Any]):
    """A Screen on which scans are captured whatever widget has focus (see module docs)."""
