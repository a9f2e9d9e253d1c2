"""User text is clean at the door and harmless at every exit: ESC, CSI (0x9b), OSC 52, NUL,
BEL, an RTL override and a newline never reach a terminal, a file or a printer raw."""

from __future__ import annotations

import pytest

from tuicrm.data.core.text import clean, has_control, visible

pytestmark = pytest.mark.pg

HOSTILE = {
    "esc": "A\x1b[2J\x1b[HB",
    "csi": "C\x9b31mD",
    "osc52": "E\x1b]52;c;aWQgPiBwd25lZA==\x07F",
    "nul": "G\x00H",
    "bel": "I\x07J",
    "rtl": "K\u202eLM",
    "newline": "N\nO",
}
RAW = ("\x1b", "\x9b", "\x00", "\x07", "\u202e")


def is_safe(text: str, *, multiline: bool = False) -> bool:
    return not any(c in text for c in RAW) and (multiline or "\n" not in text)


@pytest.mark.parametrize("name", HOSTILE)
def test_clean_drops_controls_and_keeps_the_text(name):
    """At the door: the characters go, the letters around them stay, one line."""
    out = clean(HOSTILE[name])
    assert is_safe(out) and not has_control(out)
    assert out[0] == HOSTILE[name][0] and out[-1] == HOSTILE[name][-1]


def test_multiline_fields_keep_their_line_breaks():
    """Notes keep their lines; CR LF becomes LF; a tab a space."""
    assert clean("a\r\nb\tc\x1b", multiline=True) == "a\nb c"
    assert clean("a\r\nb") == "a b"


@pytest.mark.parametrize("name", HOSTILE)
def test_visible_marks_every_control(name):
    """At the exit: each control character shows as a mark, nothing raw."""
    out = visible(HOSTILE[name])
    assert is_safe(out)
    assert any(m in out for m in "␛�␀␇␤")


def test_operations_clean_every_string_argument(db, admin):
    """A customer, product and reminder created with hostile text are stored clean."""
    from tuicrm.data.agenda.reminders import create_reminder
    from tuicrm.data.catalog.products import create_product
    from tuicrm.data.parties.customers import create_customer, get_customer

    c = create_customer(admin, name=HOSTILE["esc"] + HOSTILE["newline"],
                        notes="line 1\nline 2\x1b]52;c;x\x07")
    row = get_customer(admin, c.id)
    assert row.name == "A[2J[HBN O"
    assert row.notes == "line 1\nline 2]52;c;x"
    p = create_product(admin, code="P\x9bX", name=HOSTILE["rtl"])
    assert p.name == "KLM" and p.code == "PX"
    r = create_reminder(admin, title=HOSTILE["bel"], due_at="2026-06-16 09:00")
    assert r.title == "IJ"


def test_migration_cleans_rows_stored_before(db, admin):
    """Rows written raw before this version are cleaned by the upgrade; notes keep lines."""
    import importlib

    from tuicrm.data.core.db import database
    from tuicrm.data.parties.customers import create_customer, get_customer

    a = create_customer(admin, name="clean", code="X1")
    b = create_customer(admin, name="clean too", code="X2")
    database.execute_sql('UPDATE "customer" SET "name" = %s, "notes" = %s WHERE "id" = %s'
                         .replace("%s", database.param),
                         ("A\x1b[2JB\u202e", "one\ntwo\x07", a.id))
    database.execute_sql('UPDATE "customer" SET "code" = %s WHERE "id" = %s'
                         .replace("%s", database.param), ("X1\x1b", b.id))
    migration = importlib.import_module(
        "tuicrm.data.core.migrations.0050_clean_control_characters")
    with database.atomic():
        migration.up(None, database)
    assert get_customer(admin, a.id).name == "A[2JB"
    assert get_customer(admin, a.id).notes == "one\ntwo"
    assert get_customer(admin, b.id).code == "X1␛"  # "X1" is taken: marked, not merged
