"""No traceback on a user's screen: an unexpected error shows one line, the app goes on.

Textual stops a widget's message loop at the first exception from one of its handlers and
then exits with a traceback that includes local variables. tuicrm's app instead logs the
details (``tuicrm.error_log``), shows one line, and keeps every message loop running, so the
screen stays usable: the handler that failed is abandoned, nothing else.

The exception is still kept as the app's first error (``App._exception``), so a Pilot test
that causes one fails as before; a test that means to cause one clears it.
"""

from __future__ import annotations

import time
from asyncio import CancelledError
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.message_pump import MessagePump
from textual.worker import WorkerFailed

from ..data.core.faults import fault_of
from ..error_log import one_line

if TYPE_CHECKING:
    from textual.app import App

_ORIGINAL_DISPATCH = MessagePump._dispatch_message


async def _guarded_dispatch(self: MessagePump, message: Any) -> None:
    try:
        await _ORIGINAL_DISPATCH(self, message)
    except CancelledError:
        raise
    except Exception as error:
        app = getattr(self, "_guarded_app", None) or _app_of(self)
        if app is None or not getattr(app, "GUARD_ERRORS", False):
            raise
        report(app, error, where=type(self).__name__)


def _app_of(pump: MessagePump) -> App[Any] | None:
    try:
        return pump.app
    except Exception:  # noqa: BLE001 - no active app: let Textual handle it
        return None


def install() -> None:
    """Guard every message loop (once per process; only apps with ``GUARD_ERRORS`` opt in)."""
    if MessagePump._dispatch_message is not _guarded_dispatch:
        MessagePump._dispatch_message = _guarded_dispatch  # type: ignore[method-assign]


#: More errors than this within ``_BURST_SECONDS`` (a handler failing on every repaint): the
#: app ends, printing the one line, rather than flood the screen with notices.
_BURST_LIMIT = 20
_BURST_SECONDS = 5.0
_recent: list[float] = []


def report(app: App[Any], error: BaseException, where: str = "") -> None:
    """Log ``error`` and tell the user in one line; the app keeps running."""
    if isinstance(error, WorkerFailed) and error.error is not None:
        error = error.error
    fault = fault_of(error)
    if fault is not None:  # a full disk, a damaged or vanished file: not a defect
        _tell(app, str(fault))
        return
    if app._exception is None and isinstance(error, Exception):
        app._exception = error  # a Pilot test still sees it
    line = one_line(error, where)
    now = time.monotonic()
    _recent[:] = [t for t in _recent if now - t < _BURST_SECONDS] + [now]
    if len(_recent) > _BURST_LIMIT:
        app.panic(Text(line))
        return
    _tell(app, line)


def _tell(app: App[Any], line: str) -> None:
    try:
        app.bell()
        app.notify(Text(line).plain, severity="error", timeout=10, markup=False)
    except Exception:  # noqa: BLE001, S110 - the app is ending: the log has the details
        pass
