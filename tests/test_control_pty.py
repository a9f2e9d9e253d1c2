"""Through a real terminal: a reminder and a customer whose stored names hold ESC, CSI,
OSC 52, NUL, BEL, an RTL override and a newline draw marks; not one of those bytes reaches
the terminal."""

from __future__ import annotations

from tests.terminal import Terminal
from tests.test_control_exits import ALL, plant

RAW_BYTES = (b"A\x1b[2J", b"\x1b[HB", b"\x1b]52;c;", b"\xc2\x9b", b"\x00", b"\x07F",
             "\u202e".encode())


def test_today_draws_marks_and_sends_no_raw_control(db, admin, password):
    """The Today screen, drawn in a pty, shows ␛ marks; the bytes sent hold none raw."""
    from tuicrm.data.agenda import reminders

    r = reminders.create_reminder(admin, title="x", due_at="2026-06-15 09:00")
    plant("reminder", r.id, "title", ALL)
    term = Terminal.tuicrm("--db", db)
    try:
        term.wait_for("log in")
        term.write(f"admin\t{password}\r")
        term.wait_for("␛[2J␛[HB")
        term.pump(0.2)
        out = bytes(term.output)
        assert not [b for b in RAW_BYTES if b in out]
    finally:
        term.close()
