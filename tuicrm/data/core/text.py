"""User text: clean at the door, harmless at every exit.

A name holding ``ESC [2J`` cleared other users' screens; ``tuicrm today`` printed an OSC 52
clipboard write; a saved receipt held raw ESC and NUL bytes; an RTL override reversed what
followed it. Rich markup escaping does not help: the control characters are not markup.

- ``clean`` (at the door; every operation's string arguments pass through it): C0 and C1
  control characters, DEL and the invisible direction overrides are removed; a tab becomes a
  space; line breaks become one space, except in multi-line fields (notes, addresses), which
  keep ``\\n``.
- ``visible`` (at every exit: screens, receipts, reports, CSV/xlsx, the command line): what a
  row stored before the door was built, or a file brought in, is shown with a visible mark
  instead: a control picture (``␛`` for ESC, ``␀`` for NUL, ``␇`` for BEL), ``␤`` for a line
  break in a one-line place, and ``�`` for a C1 character or a direction override.
"""

from __future__ import annotations

import re
from typing import Any

#: Fields whose text may have several lines (their newlines are kept).
MULTILINE_FIELDS = frozenset({
    "note", "notes", "body", "address", "description", "comment", "comments", "remarks",
    "details", "barcode_text", "text_lines",
    # A setting's new value: a template keeps its lines; one-line settings' parsers refuse
    # a line break themselves.
    "setting_text",
})
#: Parameters never touched: a password is compared byte for byte.
UNTOUCHED = frozenset({"password", "new_password", "old_password", "current_password"})

# U+200E/F marks, U+202A-202E embeddings and overrides, U+2066-2069 isolates, U+2028/2029.
_BIDI = "\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_UNSAFE_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\u2028\u2029]")
_DROP_ON_INPUT = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")


def has_control(text: str) -> bool:
    return _UNSAFE_ONE_LINE.search(text) is not None


def clean(text: str, *, multiline: bool = False) -> str:
    """``text`` as it is stored: no control characters; one line unless ``multiline``."""
    if not _UNSAFE_ONE_LINE.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    text = text.replace("\u2029", "\n").replace("\t", " ")
    text = _DROP_ON_INPUT.sub("", text)
    if not multiline:
        text = " ".join(part.strip() for part in text.split("\n") if part.strip()) \
            if "\n" in text else text
    return text


def _mark(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ ... ␟: the Unicode control pictures
    if code == 0x7F:
        return "\u2421"  # ␡
    if c in "\u2028\u2029":
        return "\u2424"  # ␤
    return "\ufffd"  # C1 and direction overrides: �


def visible(text: object, *, multiline: bool = False) -> str:
    """``text`` safe to send to a terminal, a printer or a spreadsheet: every control
    character replaced by a visible mark (``\\n`` kept only when ``multiline``)."""
    if text is None:
        return ""
    text = text if isinstance(text, str) else str(text)
    pattern = _UNSAFE if multiline else _UNSAFE_ONE_LINE
    if multiline:
        text = text.replace("\r\n", "\n")
    if not pattern.search(text):
        return text
    if not multiline:
        text = text.replace("\r\n", "\n").replace("\n", "\u2424")
    return pattern.sub(_mark, text)


def clean_value(value: Any, name: str = "") -> Any:
    """``value`` with every string in it cleaned (``name`` decides one line or several):
    strings, and the strings inside dicts (by key), lists and tuples."""
    if isinstance(value, str):
        if name in UNTOUCHED:
            return value
        return clean(value, multiline=name in MULTILINE_FIELDS)
    if isinstance(value, dict):
        return {k: clean_value(v, k if isinstance(k, str) else name) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_value(v, name) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(clean_value(v, name) for v in value)
    return value
