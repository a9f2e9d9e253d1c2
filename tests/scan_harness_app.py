"""A tiny app with a ScanScreen, run in a real pseudo-terminal by tests/test_scan_pty.py and
bench/scan_capture.py; plus :class:`PtySession`, the helper that runs it there.

The app writes one line per event to the file named by ``--out`` (flushed at once):

    READY
    SCAN <tab> code <tab> repr(raw) <tab> source <tab> handled-at <tab> read-at
    DIAG <tab> outcome <tab> keys <tab> first-at <tab> gaps-ms   (with --diag: what was no scan)
    QTY <tab> value                      (the quantity field was submitted with Enter)
    STATE <tab> focused-id <tab> qty-value <tab> code-value      (after F4)

Keys: F2 focuses the quantity field, F3 the code field, F4 writes STATE, F10 quits.
``--no-capture`` turns scan capture off (the ScanInput alone), to show what it prevents.
Times are ``time.monotonic()`` (one clock for every process on the machine).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # run as a script, or imported with tests/ on the path
    sys.path.insert(0, str(HERE))

from terminal import PtyProcess  # noqa: E402


def main(argv: list[str] | None = None) -> None:
    import argparse

    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Input, Static

    from tuicrm.widgets.scan import ScanDiagnostics, ScanInput, Scanned, ScanScreen

    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument(
        "--no-capture", action="store_true", help="scan capture off (to show the bug it fixes)"
    )
    parser.add_argument("--diag", action="store_true", help="log what was not a scan (DIAG)")
    args = parser.parse_args(argv)
    out = open(args.out, "a", buffering=1, encoding="utf-8")  # noqa: SIM115 - lives with the app

    def log(*fields: object) -> None:
        out.write("\t".join(str(field) for field in fields) + "\n")

    class HarnessScreen(ScanScreen):
        BINDINGS = [
            Binding("f2", "focus_field('qty')", "Qty"),
            Binding("f3", "focus_field('code')", "Code"),
            Binding("f4", "state", "State"),
            Binding("f10", "app.quit", "Quit"),
        ]

        def __init__(self) -> None:
            super().__init__()
            self.count = 0
            self.scan_enabled = not args.no_capture
            self.scan_diagnostics = args.diag

        def compose(self) -> ComposeResult:
            yield Static("scans: 0", id="count")
            yield ScanInput(id="code")
            qty = Input(placeholder="quantity", id="qty")
            qty.cursor_blink = False
            yield qty

        def on_mount(self) -> None:
            self.query_one("#code").focus()
            self.call_after_refresh(log, "READY")

        def on_scanned(self, event: Scanned) -> None:
            handled = time.monotonic()
            self.count += 1
            log(
                "SCAN",
                event.code,
                repr(event.raw),
                event.source,
                f"{handled:.6f}",
                f"{event.at:.6f}",
            )
            self.query_one("#count", Static).update(f"scans: {self.count}")

        def on_scan_diagnostics(self, event: ScanDiagnostics) -> None:
            if event.outcome != "scan":
                times = [key.at for key in event.keys]
                gaps = [f"{1000 * (b - a):.1f}" for a, b in zip(times, times[1:], strict=False)]
                log("DIAG", event.outcome, repr(event.text), f"{times[0]:.6f}", " ".join(gaps))

        def on_input_submitted(self, event: Input.Submitted) -> None:
            if event.input.id == "qty":
                log("QTY", event.value)

        def action_focus_field(self, field_id: str) -> None:
            self.query_one(f"#{field_id}").focus()

        def action_state(self) -> None:
            focused = self.focused.id if self.focused else None
            log(
                "STATE",
                focused,
                self.query_one("#qty", Input).value,
                self.query_one("#code", Input).value,
            )

    class HarnessApp(App):
        def on_mount(self) -> None:
            self.push_screen(HarnessScreen())

    try:
        HarnessApp().run()
    finally:
        out.close()


class PtySession(PtyProcess):
    """Run the harness app under a real pseudo-terminal (80x24, xterm-256color); a reader
    thread keeps a pyte screen of its output (see :class:`terminal.PtyProcess`)."""

    def __init__(
        self, out: Path, columns: int = 80, lines: int = 24, extra_args: tuple[str, ...] = ()
    ) -> None:
        self.out = Path(out)
        self.out.write_text("")
        argv = [sys.executable, str(HERE / "scan_harness_app.py"), "--out", str(self.out)]
        super().__init__(argv + list(extra_args), columns, lines)

    def display(self) -> str:
        return self.text()

    def lines(self, kind: str | None = None) -> list[list[str]]:
        rows = [line.split("\t") for line in self.out.read_text().splitlines() if line]
        return [row for row in rows if kind is None or row[0] == kind]

    def wait_for(self, predicate, timeout: float = 20.0, poll: float = 0.02) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            if not self.alive():
                return bool(predicate())
            time.sleep(poll)
        return bool(predicate())

    def wait_scans(self, count: int, timeout: float = 20.0) -> list[list[str]]:
        self.wait_for(lambda: len(self.lines("SCAN")) >= count, timeout)
        return self.lines("SCAN")

    def state(self, timeout: float = 10.0) -> list[str]:
        before = len(self.lines("STATE"))
        self.write("\x1bOS")  # F4
        self.wait_for(lambda: len(self.lines("STATE")) > before, timeout)
        return self.lines("STATE")[-1]

    def close(self, timeout: float = 5.0) -> None:
        if self.alive():
            with contextlib.suppress(OSError):
                self.write("\x1b[21~")  # F10: quit
            if not self.wait_for(lambda: not self.alive(), timeout):
                os.kill(self.pid, 9)
                self.wait_for(lambda: not self.alive(), timeout)
        with contextlib.suppress(OSError):
            os.close(self.fd)


if __name__ == "__main__":
    main()
