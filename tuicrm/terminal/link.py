"""Ending the app when its terminal goes away: a dropped SSH connection, a closed terminal
window, a hang-up.

Textual's Linux driver reads a hung-up terminal forever: ``read`` returns nothing at once,
``select`` says there is more, and the input thread spins at 100% of a core (upstream:
Textualize/textual pull request 6690, "Fix input thread busy-looping at 100% CPU when stdin
reaches EOF", still open); its writer thread dies on the first EIO and the app then blocks
when the output queue is full. Measured on main: an orphan used 2 min 13 s of CPU in 2 min 39 s.

So the app watches for the end of the link itself, two ways:

- SIGHUP (the kernel sends it to the session of a terminal that hangs up; sshd's pty close);
- a thread that ``poll``s the terminal for POLLHUP/POLLERR/POLLNVAL without reading it (it
  asks for no events, so it never takes a key the input thread should have), which also
  catches a link whose hang-up signal went to another process.

Either way the app records the hang-up in the login log and ends (work already committed is
committed; a transaction in flight is rolled back by the database). When the terminal is
gone it ends the process without Textual's goodbye: that writes to the dead terminal and
blocked for good in a test (the driver's output queue never drained). A timer ends the
process outright if nothing else has within ``GRACE_SECONDS``: a process left behind is worse
than a skipped goodbye.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import select
import signal
import sys
import threading
from collections.abc import Callable

GRACE_SECONDS = 1.5  # the issue allows 2 s from hang-up to no process
EXIT_HANGUP = 129  # 128 + SIGHUP, as a shell reports a process ended by a hang-up
_DEAD = select.POLLHUP | select.POLLERR | select.POLLNVAL


def terminal_problem() -> str | None:
    """Why the app cannot run here (one line), or None. The app needs a terminal on both
    sides: ``ssh -T`` into a ForceCommand, a pipe or /dev/null would start an app nobody can
    use and that spins on its closed input."""
    from ..i18n import _

    for name, stream in ((_("input"), sys.stdin), (_("output"), sys.stdout)):
        if stream is None or not stream.isatty():
            return _("the app needs a terminal and its {name} is not one "
                     "(use 'ssh -t', or a command: 'tuicrm --help')").format(name=name)
    return None


def terminal_dead(fd: int) -> bool:
    """Has the terminal on ``fd`` hung up (nothing can be written to it any more)?"""
    poller = select.poll()
    poller.register(fd, 0)
    try:
        return any(mask & _DEAD for _fd, mask in poller.poll(0))
    except OSError:
        return True


class LinkWatch:
    """Calls ``on_drop(reason, dead)`` on the app's event loop once, when the terminal hangs
    up (``dead``: nothing can be written to it any more), then ends the process if it is still
    alive ``grace`` seconds later."""

    def __init__(self, on_drop: Callable[[str, bool], object], fd: int | None = None,
                 grace: float = GRACE_SECONDS) -> None:
        self._on_drop = on_drop
        self._fd = fd
        self._grace = grace
        self._loop: asyncio.AbstractEventLoop | None = None
        self._dropped = threading.Event()
        self._stopped = threading.Event()

    def start(self) -> None:
        """From the event loop's thread (the main thread), once the app is mounted."""
        self._loop = asyncio.get_running_loop()
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            self._loop.add_signal_handler(signal.SIGHUP, self.dropped, "hang-up signal")
        # After a hang-up the app is no longer in the terminal's foreground: resetting the
        # terminal on the way out would stop the process (SIGTTOU) for good - a process left
        # behind, stopped, that not even the timer below can end. Ignored, the call fails.
        with contextlib.suppress(ValueError, OSError):
            signal.signal(signal.SIGTTOU, signal.SIG_IGN)
            signal.signal(signal.SIGTTIN, signal.SIG_IGN)
        fd = self._fd
        if fd is None and sys.__stdin__ is not None:
            with contextlib.suppress(ValueError, OSError):
                fd = sys.__stdin__.fileno()
        if fd is not None and os.isatty(fd):
            self._fd = fd
            threading.Thread(target=self._poll, args=(fd,), name="tuicrm-link-watch",
                             daemon=True).start()

    def stop(self) -> None:
        """The app is leaving on its own: stop watching (the poll thread ends within 1 s)."""
        self._stopped.set()

    def _poll(self, fd: int) -> None:
        poller = select.poll()
        poller.register(fd, 0)  # no events asked: only hang-up and errors are reported
        while not self._stopped.is_set() and not self._dropped.is_set():
            try:
                events = poller.poll(1000)
            except OSError:
                events = [(fd, select.POLLERR)]
            if any(mask & _DEAD for _fd, mask in events):
                self.dropped("terminal closed")
                return

    def dropped(self, reason: str) -> None:
        """The link is gone (from any thread or a signal handler): exit, and make sure."""
        if self._dropped.is_set() or self._stopped.is_set():
            return
        self._dropped.set()
        timer = threading.Timer(self._grace, end_process)
        timer.daemon = True
        timer.start()
        loop = self._loop
        if loop is not None and not loop.is_closed():
            dead = self._fd is None or terminal_dead(self._fd)
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._on_drop, reason, dead)


def end_process() -> None:
    """The exit did not finish in time (it is writing to a terminal that is gone). Nothing
    committed is lost: SQLite and PostgreSQL roll back only what was not committed."""
    os._exit(EXIT_HANGUP)
