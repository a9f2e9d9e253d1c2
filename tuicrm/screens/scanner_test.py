"""Scanner test: what a barcode scanner really sends, to set it up right.

Every group of keys the scan router decided on is shown as one line: what it became (SCAN,
typed, dropped), the characters with control characters made visible (``<CR>``, ``<TAB>``,
``<NUL>``, ``<GS>`` ...), the time from first to last key and the longest gap between two keys.
Typical findings: a wrong keyboard layout (``Ö`` where ``;`` was meant, letters swapped), a
prefix or suffix the scanner adds (``<STX>...<ETX>``), Tab instead of Enter, a scanner so slow
(gaps over 50 ms) that it looks like typing. Nothing is saved; Esc goes back, Ctrl+D clears.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import RichLog, Static

from ..i18n import N_, _
from ..widgets.focus import focus_now
from ..widgets.scan import RawKey, ScanDiagnostics, ScanInput, Scanned, ScanScreenMixin
from .base import AppScreen

_NAMES = {
    "\r": "<CR>", "\n": "<LF>", "\t": "<TAB>", "\x00": "<NUL>", "\x1b": "<ESC>",
    "\x02": "<STX>", "\x03": "<ETX>", "\x04": "<EOT>", "\x1d": "<GS>", "\x1e": "<RS>",
    "\x1f": "<US>", "\x7f": "<DEL>", "\x08": "<BS>",
}
_KEY_NAMES = {"enter": "<CR>", "tab": "<TAB>", "ctrl+j": "<LF>", "ctrl+at": "<NUL>"}


def visible(keys: tuple[RawKey, ...] | list[RawKey]) -> str:
    """The keys as text, control characters and special keys spelled out."""
    out = []
    for key in keys:
        ch = key.character
        if key.key in _KEY_NAMES:
            out.append(_KEY_NAMES[key.key])
        elif ch is None or ch == "":
            out.append(f"<{key.key}>")
        elif ch in _NAMES:
            out.append(_NAMES[ch])
        elif not ch.isprintable():
            out.append(f"<{ord(ch):02X}>")
        else:
            out.append(ch)
    return "".join(out)


def timing(keys: tuple[RawKey, ...] | list[RawKey]) -> str:
    if len(keys) < 2:
        return f"{len(keys)} key"
    total = (keys[-1].at - keys[0].at) * 1000
    longest = max(b.at - a.at for a, b in zip(keys, keys[1:], strict=False)) * 1000
    return _("{n} keys in {total:.0f} ms, longest gap {longest:.0f} ms").format(
        n=len(keys), total=total, longest=longest)


class ScannerTestScreen(ScanScreenMixin, AppScreen):
    TITLE_TEXT = N_("Scanner test")
    HELP = N_(
        "Scan a few barcodes. Each line shows what the scanner sent, control characters "
        "spelled out (<CR> Enter, <TAB> Tab, <NUL>, <STX>/<ETX> prefixes and suffixes, <GS> in "
        "GS1 codes) and the timing. A SCAN line is recognised as a scan; 'typed' means the keys "
        "came too slowly (set the scanner faster) or without Enter/Tab at the end. Compare the "
        "code with the label to find a wrong keyboard layout. Ctrl+D clears."
    )
    DEFAULT_CSS = """
    ScannerTestScreen #hint { height: 2; padding: 0 1; color: $text-muted; }
    ScannerTestScreen #code { border: none; height: 1; padding: 0; }
    ScannerTestScreen RichLog { height: 1fr; }
    ScannerTestScreen #summary { height: 1; padding: 0 1; text-style: bold; }
    """
    BINDINGS = [
        Binding("ctrl+d", "clear", "Clear", id="scantest.clear", priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.scan_diagnostics = True
        self.scans = 0
        self.entries: list[str] = []

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static(Text(_("Scan a barcode (or type and press Enter). Each group of keys "
                            "shows below with its timing; control characters as <CR>, <TAB>, "
                            "<NUL>.")), id="hint")
        yield ScanInput(id="code", placeholder=_("scan here - or anywhere on this screen"))
        yield RichLog(id="log", wrap=True, markup=False, max_lines=500)
        yield Static(_("scans: {n}").format(n=0), id="summary", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        focus_now(self.query_one("#code"))

    def _add(self, line: str) -> None:
        self.entries.append(line)
        self.query_one(RichLog).write(Text(line))

    def on_scan_diagnostics(self, event: ScanDiagnostics) -> None:
        if event.outcome == "scan":
            return  # shown with its code by on_scanned
        label = "typed" if event.outcome == "typed" else "dropped"
        self._add(f"{label:7} {visible(event.keys)}  ({timing(event.keys)})")

    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.scans += 1
        if event.keys:
            detail = f"{visible(event.keys)}  ({timing(event.keys)})"
        else:
            detail = visible([RawKey("", ch, 0.0) for ch in event.raw]) + "  (typed + Enter)"
        self._add(f"SCAN    {event.code!s}  <- {detail}")
        self.query_one("#summary", Static).update(
            Text(_("scans: {n}   last: {code} ({length} characters)").format(
                n=self.scans, code=event.code, length=len(event.code)))
        )

    def action_clear(self) -> None:
        self.entries.clear()
        self.scans = 0
        self.query_one(RichLog).clear()
        self.query_one("#summary", Static).update(_("scans: 0"))
