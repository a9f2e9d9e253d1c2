"""Drive a program in a real pseudo-terminal and read its screen like a user would.

pyte plays the terminal, so tests assert on the text on screen. Two ways to run the program:

:class:`Terminal`
    pexpect gives the pty; the test reads the output when it waits (``pump``). Simple, and
    pexpect can wait for the end (``child.expect(pexpect.EOF)``) and give the exit status.
:class:`PtyProcess`
    ``pty.fork``; a thread reads the output all the time (an app whose output is not read
    blocks) and writes go out unbuffered, one ``os.write`` each: for scanner timing tests.
    :class:`AppPty` runs ``tuicrm`` so; ``tests/scan_harness_app.py``'s ``PtySession`` runs
    the scan harness app so.

``log_in_home`` logs in on either and goes from Today to Home.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

REPO = Path(__file__).resolve().parent.parent
ESC = "\x1b"


class Terminal:
    def __init__(
        self, argv: list[str], *, cols: int = 80, rows: int = 24, env: dict[str, str] | None = None
    ) -> None:
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        full_env = dict(os.environ)
        full_env.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)})
        full_env.pop("TEXTUAL", None)
        full_env.update(env or {})
        self.child = pexpect.spawn(
            argv[0], argv[1:], dimensions=(rows, cols), env=full_env, timeout=30
        )
        self.output = bytearray()

    @classmethod
    def tuicrm(cls, *args: str, **kwargs) -> Terminal:
        return cls([sys.executable, "-m", "tuicrm.cli", *args], **kwargs)

    def pump(self, wait: float = 0.05) -> None:
        """Read whatever the program has written so far into the emulated screen."""
        deadline = time.monotonic() + wait
        while True:
            try:
                data = self.child.read_nonblocking(65536, timeout=max(0.0, deadline - time.monotonic()))
            except pexpect.TIMEOUT:
                return
            except pexpect.EOF:
                return
            self.output.extend(data)
            self.stream.feed(data)
            if time.monotonic() >= deadline:
                return

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, needle: str, timeout: float = 20.0) -> float:
        """Wait until ``needle`` is on screen; returns the seconds it took."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            self.pump(0.05)
            if needle in self.text():
                return time.monotonic() - start
            if not self.child.isalive():
                self.pump(0.1)
                break
        raise AssertionError(f"{needle!r} not on screen after {timeout}s:\n{self.text()}")

    def write(self, data: str | bytes) -> None:
        self.child.send(data)

    def type(self, text: str, delay: float = 0.01) -> None:
        """Type like a (fast) person: one key at a time."""
        for ch in text:
            self.child.send(ch)
            time.sleep(delay)

    def close(self) -> None:
        if self.child.isalive():
            self.child.terminate(force=True)


class PtyProcess:
    """``argv`` in a pseudo-terminal (``columns`` x ``lines``, xterm-256color), with the repo
    on ``PYTHONPATH``; a thread keeps a pyte screen of its output."""

    def __init__(self, argv: list[str], columns: int = 80, lines: int = 24,
                 env: dict[str, str] | None = None) -> None:
        import fcntl
        import pty
        import struct
        import termios

        extra = env or {}
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(lines))
        for name in ("TEXTUAL", "NO_COLOR", "COLORTERM"):
            env.pop(name, None)
        env.update(extra)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, become the program
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
                os.execve(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.bytes_out = 0
        self.changed = threading.Condition()
        self._screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self._screen)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                data = os.read(self.fd, 65536)
            except OSError:
                return
            if not data:
                return
            with self.changed:
                self.bytes_out += len(data)
                self._stream.feed(data)
                self.changed.notify_all()

    def _display(self) -> str:
        # Not pyte's ``display``: it fails on the empty cell after some wide (CJK) characters.
        screen = self._screen
        return "\n".join(
            "".join(screen.buffer[y][x].data for x in range(screen.columns))
            for y in range(screen.lines)
        )

    def text(self) -> str:
        with self.changed:
            return self._display()

    def cells(self, row: int) -> list[pyte.screens.Char]:
        """Row ``row`` of the screen as pyte characters (text, fg, bg, reverse, ...)."""
        with self.changed:
            line = self._screen.buffer[row]
            return [line[x] for x in range(self._screen.columns)]

    def row_of(self, needle: str) -> int:
        """The first screen row showing ``needle`` (-1: none)."""
        return next((y for y, line in enumerate(self.text().splitlines()) if needle in line),
                    -1)

    def wait_for_text(self, needle: str, timeout: float = 30.0) -> float:
        """Wait until ``needle`` is on screen; the monotonic time it was first seen."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while True:
                if needle in self._display():
                    return time.monotonic()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"{needle!r} not on screen after {timeout}s:\n"
                                         + self._display())
                self.changed.wait(min(left, 0.05))

    def wait_until(self, seen: Callable[[str], bool], timeout: float) -> float | None:
        """Wait until ``seen(screen text)`` holds, looking again only when output arrives
        (polling the screen costs the machine what a bench means to measure); the monotonic
        time it first held, or None after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not seen(self._display()):
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.changed.wait(left)
            return time.monotonic()

    def write(self, data: str | bytes) -> None:
        """Write everything in one go (os.write; looped only if the kernel takes less)."""
        view = memoryview(data.encode() if isinstance(data, str) else data)
        while view:
            view = view[os.write(self.fd, view):]

    def type(self, text: str, gaps: tuple[float, ...] = (0.001,)) -> float:
        """Write ``text`` one character at a time, each ``gaps`` (cycled) seconds after the
        last, like a local scanner. Returns the longest time really taken between two writes
        (a starved writer - an overloaded machine - types like a person)."""
        longest, last = 0.0, None
        for index, char in enumerate(text):
            os.write(self.fd, char.encode())
            now = time.monotonic()
            if last is not None:
                longest = max(longest, now - last)
            last = now
            if index < len(text) - 1:
                time.sleep(gaps[index % len(gaps)])
        return longest

    def alive(self) -> bool:
        try:
            pid, _status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return False
        return pid == 0

    def kill(self) -> None:
        """Kill the program at once and close the terminal."""
        with contextlib.suppress(OSError):
            os.kill(self.pid, 9)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)


class AppPty(PtyProcess):
    """``tuicrm`` (``python -m tuicrm.cli --db db``) in a pseudo-terminal; ``env`` adds to
    (or overrides) its environment, e.g. ``{"TERM": "linux", "NO_COLOR": "1"}``."""

    def __init__(self, db: str, columns: int = 80, lines: int = 24,
                 env: dict[str, str] | None = None) -> None:
        super().__init__([sys.executable, "-m", "tuicrm.cli", "--db", db], columns, lines, env)

    def wait_for(self, needle: str, timeout: float = 30.0) -> float:
        return self.wait_for_text(needle, timeout)

    def log_in(self, user: str, password: str) -> None:
        log_in_home(self, user, password)

    def close(self) -> None:
        self.kill()


def log_in_home(term: Terminal | AppPty, user: str, password: str) -> None:
    """Log in (user name and password in one write, as over SSH), then Esc from Today to Home."""
    term.wait_for("log in")
    term.write(f"{user}\t{password}\r")
    term.wait_for("Today, ")
    term.write(ESC)  # Esc: Home (wait for it: Esc and the next key at once are Alt+key)
    term.wait_for("tuicrm - Home")
