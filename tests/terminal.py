"""Drive a program in a real pseudo-terminal and read its screen like a user would.

pexpect gives the pty; pyte plays the terminal, so tests assert on the text on screen.
"""

from __future__ import annotations

import os
import sys
import time

import pexpect
import pyte


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
