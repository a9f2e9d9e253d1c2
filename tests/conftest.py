"""Shared fixtures: a fresh database per test, and users of every role.

Databases
    ``db`` opens a fresh, fully migrated tuicrm database for one test, binds the models to it,
    yields its location (a file path or a ``postgresql://`` URL, e.g. for a subprocess) and
    closes it afterwards. By default it is a SQLite file in ``tmp_path`` (never ``:memory:``,
    which Textual's thread workers cannot share). Pilot and other UI tests just use ``db``.

PostgreSQL: the ``pg`` marker
    Data-layer tests whose behaviour must hold on both engines carry the ``pg`` marker
    (``pytestmark = pytest.mark.pg`` in the module, or ``@pytest.mark.pg`` on one test).
    When the environment variable ``TUICRM_TEST_PG`` holds a ``postgresql://`` URL, ``db``
    gives those tests that PostgreSQL database instead, with its ``public`` schema dropped
    and created again before each test (isolated, and ~0.1 s). Tests without the marker
    always run on SQLite, so UI tests and SQLite-specific tests (WAL, backup files, ...) are
    unaffected. CI (``.ci/run``) runs the whole suite on SQLite, then
    ``TUICRM_TEST_PG=postgresql://... pytest -m pg`` against a throwaway server. A marker
    rather than a ``tests/data`` directory: a module can mix engine-neutral tests with
    SQLite-only ones, and new data tests opt in with one line.

Users (as ``Actor`` values, what operations take)
    ``system`` is the command line's actor; ``admin`` is the first administrator; ``make_user(role)`` adds a user of any role (made
    by that admin); ``manager``, ``sales`` and ``warehouse`` are one user of each. Every test
    user's password is the ``password`` fixture's value.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Iterator
from itertools import count

import pytest

PG_ENV = "TUICRM_TEST_PG"
PASSWORD = "correct-horse-42"
# Every test starts at this moment (the clock then runs on in real time): nothing may depend
# on the day the suite runs. A Monday morning in June, far from month and year ends.
FIXED_NOW = dt.datetime(2026, 6, 15, 10, 0)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"pg: data-layer test that also runs on PostgreSQL when {PG_ENV} is set "
        "(CI: pytest -m pg)",
    )


@pytest.fixture(autouse=True)
def error_log(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """Unexpected errors are logged in a file of the test's own (``TUICRM_LOG``), never in
    the user's log folder; the path is the fixture's value."""
    path = tmp_path_factory.mktemp("log") / "tuicrm.log"
    monkeypatch.setenv("TUICRM_LOG", str(path))
    return path


@pytest.fixture(autouse=True)
def documents(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory):
    """The user's documents folder (where saved files go by default) is one of the test's
    own; the path is the fixture's value."""
    path = tmp_path_factory.mktemp("documents")
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[dt.datetime]:
    """Pin tuicrm's clock (``tuicrm.data.core.clock``) to ``FIXED_NOW`` for the test, and for any
    tuicrm process the test starts (``TUICRM_NOW``)."""
    from tuicrm.data.core import clock

    monkeypatch.setenv("TUICRM_NOW", FIXED_NOW.isoformat())
    with clock.pinned(FIXED_NOW):
        yield FIXED_NOW


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests read English unless they choose otherwise, whatever the machine's locale: the
    environment says English (also to the tuicrm processes a test starts), and the language
    of this process is English again after each test."""
    from tuicrm.i18n import ENGLISH, set_language

    monkeypatch.setenv("LANGUAGE", "en")
    set_language(ENGLISH)
    yield
    set_language(ENGLISH)


def pg_url() -> str | None:
    """The PostgreSQL URL the ``pg`` tests run against, or None for SQLite. Under
    pytest-xdist each worker gets a database of its own (``<name>_gw0``, made on first use),
    since every test empties the database it runs on."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        return None
    if not url.startswith(("postgresql://", "postgres://")):
        raise pytest.UsageError(f"{PG_ENV} must be a postgresql:// URL, not {url!r}")
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return _worker_database(url, worker) if worker else url


_made: dict[str, str] = {}


def _worker_database(url: str, worker: str) -> str:
    from urllib.parse import urlparse, urlunparse

    if url in _made:
        return _made[url]
    import psycopg

    parts = urlparse(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
    _made[url] = urlunparse(parts._replace(path="/" + name))
    return _made[url]


def pytest_report_header(config: pytest.Config) -> str:
    url = pg_url()
    if url is None:
        return "tuicrm: database SQLite (set TUICRM_TEST_PG to run pg tests on PostgreSQL)"
    from tuicrm.data.core.db import describe

    return f"tuicrm: pg-marked tests on {describe(url)}, the rest on SQLite"


def _reset_pg(url: str) -> None:
    """Empty the test database: drop every table, sequence and index with its schema."""
    import psycopg

    with psycopg.connect(url, autocommit=True, connect_timeout=10) as conn:
        conn.execute("SET lock_timeout = '10s'")
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def uses_pg(request: pytest.FixtureRequest) -> bool:
    return pg_url() is not None and request.node.get_closest_marker("pg") is not None


@pytest.fixture
def db_location(request: pytest.FixtureRequest, tmp_path) -> str:
    """Where this test's database lives, empty and not opened: a path in ``tmp_path``, or the
    PostgreSQL URL (schema emptied) for a ``pg`` test when ``TUICRM_TEST_PG`` is set."""
    if uses_pg(request):
        location = pg_url()
        assert location is not None
        _reset_pg(location)
        return location
    return str(tmp_path / "tuicrm.db")


@pytest.fixture
def db(db_location: str) -> Iterator[str]:
    """A fresh, migrated database; yields its location (path or URL)."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db

    location = db_location
    open_db(location)
    try:
        yield location
    finally:
        dbmod.close()


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def admin(db):
    """The first administrator of the test database (user name ``admin``)."""
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.staff import users

    return actor_of(users.create_first_admin("admin", PASSWORD, "Ada Admin"))


@pytest.fixture
def make_user(admin) -> Callable[..., object]:
    """``make_user(role, username=None, **fields)`` -> a new active user (as an ``Actor``),
    made by ``admin``."""
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.staff import users

    numbers = count(1)

    def make(role: str, username: str | None = None, **fields):
        name = username or f"{role}{next(numbers)}"
        return actor_of(users.create_user(admin, name, PASSWORD, role, **fields))

    return make


@pytest.fixture
def system():
    """The command line's actor (``system:<OS user>``): may do everything, audited."""
    from tuicrm.data.core.actor import system_actor

    return system_actor()


@pytest.fixture
def manager(make_user):
    return make_user("manager", "manny")


@pytest.fixture
def sales(make_user):
    return make_user("sales", "sally")


@pytest.fixture
def warehouse(make_user):
    return make_user("warehouse", "wally")


@pytest.fixture
def fake_lp(tmp_path, monkeypatch):
    """An ``lp`` on PATH that writes its stdin and arguments where the test can read them
    (exit code 3 for the queue named ``broken``)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    out = tmp_path / "printed"
    script = bin_dir / "lp"
    script.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        "if sys.argv[1:] == ['-d', 'broken']:\n"
        "    sys.stderr.write('printer on fire'); sys.exit(3)\n"
        f"open({str(out)!r} + '.args', 'w').write(' '.join(sys.argv[1:]))\n"
        f"open({str(out)!r}, 'wb').write(sys.stdin.buffer.read())\n")
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    return out
