"""Document numbers: SO-2026-000123, per kind and year, prefixes from settings, no doubles."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from tuicrm.data.core import db as dbmod
from tuicrm.data.core import numbering, settings
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import ValidationError

pytestmark = pytest.mark.pg

D2026 = dt.date(2026, 3, 1)


def test_sequence_per_kind_and_year(db):
    assert numbering.next_number("sale", D2026) == "SO-2026-000001"
    assert numbering.next_number("sale", D2026) == "SO-2026-000002"
    assert numbering.next_number("quote", D2026) == "QT-2026-000001"
    assert numbering.next_number("sale", dt.date(2027, 1, 1)) == "SO-2027-000001"
    assert numbering.next_number("sale", dt.date(2026, 12, 31)) == "SO-2026-000003"
    assert numbering.peek("sale", 2026) == 4
    assert numbering.peek("purchase", 2026) == 1


def test_default_prefixes(db):
    got = {kind: numbering.next_number(kind, D2026) for kind in settings.DEFAULT_PREFIXES}
    assert got == {
        "quote": "QT-2026-000001", "sale": "SO-2026-000001", "sale_return": "SR-2026-000001",
        "purchase": "PO-2026-000001", "purchase_return": "PR-2026-000001",
        "count": "SC-2026-000001", "adjust": "ADJ-2026-000001", "ticket": "TK-2026-000001",
        "receipt": "RC-2026-000001", "payment": "PY-2026-000001", "refund": "RF-2026-000001",
        "supplier_refund": "SRF-2026-000001", "expense": "EX-2026-000001",
        "income": "OI-2026-000001", "write_off": "WO-2026-000001",
    }


def test_prefix_comes_from_the_setting(db):
    assert numbering.next_number("sale", D2026) == "SO-2026-000001"
    settings.set_value(system_actor(), "prefix.sale", " XS ")
    assert numbering.prefix("sale") == "XS"
    assert numbering.next_number("sale", D2026) == "XS-2026-000002"  # same sequence
    with pytest.raises(ValidationError, match="a prefix is required"):
        settings.set_value(system_actor(), "prefix.sale", "  ")
    assert numbering.next_number("sale", D2026) == "XS-2026-000003"


def test_unknown_kind_is_refused(db):
    with pytest.raises(ValidationError, match="unknown document kind"):
        numbering.next_number("invoice", D2026)
    with pytest.raises(ValidationError):
        numbering.reserve("invoice", 2026, 5)
    with pytest.raises(ValidationError, match="there is no setting 'prefix.invoice'"):
        settings.set_value(system_actor(), "prefix.invoice", "INV")  # no new kinds by setting


def test_reserve_a_block(db):
    assert numbering.reserve("purchase", 2026, 100) == 1
    assert numbering.next_number("purchase", D2026) == "PO-2026-000101"
    assert numbering.reserve("purchase", 2026, 5) == 102
    assert numbering.peek("purchase", 2026) == 107
    with pytest.raises(ValueError):
        numbering.reserve("purchase", 2026, 0)
    assert numbering.format_number("PO", 2026, 1_234_567) == "PO-2026-1234567"


def test_rolled_back_number_is_not_used_up(db):
    class Boom(Exception):
        pass

    with pytest.raises(Boom), dbmod.write():
        assert numbering.next_number("sale", D2026) == "SO-2026-000001"
        raise Boom
    assert numbering.next_number("sale", D2026) == "SO-2026-000001"


def test_concurrent_writers_never_share_a_number(db):
    """Four threads (four connections: the database is thread-safe, one connection per
    thread) take numbers inside their own write transactions at the same time."""
    numbering.next_number("sale", D2026)  # the row exists: the UPDATE path races too
    got: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker() -> None:
        try:
            start.wait()
            for _ in range(15):
                with dbmod.write():
                    number = numbering.next_number("sale", D2026)
                with lock:
                    got.append(number)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)
        finally:
            dbmod.database.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(got) == [f"SO-2026-{n:06d}" for n in range(2, 62)]
