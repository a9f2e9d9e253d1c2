"""Keys that old terminals send, taught to Textual's input parser.

A real vt100 sends F5-F10 as its keypad's application keys (``ESC O t`` ... ``ESC O y``),
which are also the keypad digits 4-9: they cannot be told apart, so they stay digits, and
every F5-F12 action has a Ctrl+letter twin (the screens' BINDINGS; F1 lists both). What can
be told apart is added here: PuTTY's "VT100+" function keys (``ESC O T`` ... ``ESC O Z`` for
F5-F11, unknown to Textual, which split them into Alt+O and a capital letter) and the vt100
keypad comma (``ESC O l``). (vt220 F6-F20 send the same ``ESC [ n ~`` as xterm: known.)
"""

from __future__ import annotations

from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.keys import Keys

EXTRA_SEQUENCES: dict[str, tuple[Keys, ...] | str] = {
    "\x1bOT": (Keys.F5,),
    "\x1bOU": (Keys.F6,),
    "\x1bOV": (Keys.F7,),
    "\x1bOW": (Keys.F8,),
    "\x1bOX": (Keys.F9,),
    "\x1bOY": (Keys.F10,),
    "\x1bOZ": (Keys.F11,),
    "\x1bOl": ",",  # vt100 keypad comma (application mode)
}


def teach_textual() -> None:
    """Add the sequences Textual does not know (never changing one it knows)."""
    table: dict[str, object] = ANSI_SEQUENCES_KEYS  # type: ignore[assignment]
    for sequence, keys in EXTRA_SEQUENCES.items():
        table.setdefault(sequence, keys)
