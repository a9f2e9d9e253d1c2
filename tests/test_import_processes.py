"""A big import in another process (``tuicrm import``, as a shop owner runs it) while this
process is a counter terminal: the counter's writes go through while the import writes, and
an import killed half-way is left interrupted, then finished by a resume (issue 10)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tuicrm.data.core import settings
from tuicrm.data.models import Customer, ImportRun
from tuicrm.data.parties import customers as C
from tuicrm.data.transfer import apply
from tuicrm.data.transfer.runs import get_run

from .helpers import WAIT_LIMIT

pytestmark = pytest.mark.pg


def wait_until(condition: Callable[[], object], timeout: float = WAIT_LIMIT * 2) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(0.05)


def big_csv(path: Path, n: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "phone"])
        for i in range(1, n + 1):
            w.writerow([f"K{i:06d}", f"导入客户{i}", f"021-{i:07d}"])
    return path


def start_import(db: str, file: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")}
    return subprocess.Popen([sys.executable, "-m", "tuicrm.cli", "--db", db, "import",
                             "customers", str(file)], env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def writing() -> ImportRun | None:
    """The run being written, once it has written a batch."""
    run = ImportRun.select().order_by(ImportRun.id.desc()).first()
    return run if run is not None and run.applied > 0 else None


def test_the_counter_keeps_writing_while_an_import_writes(db, admin, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings.set_value(admin, "import.batch_rows", "200")
    proc = start_import(db, big_csv(tmp_path / "big.csv", 20_000), tmp_path)
    try:
        wait_until(writing)
        during = 0
        for i in range(20):
            C.create_customer(admin, name=f"门市客户{i}", code=f"W{i}")  # never "locked"
            run = ImportRun.select().order_by(ImportRun.id.desc()).first()
            if run.status == "applying" and 0 < run.applied < run.total:
                during += 1
        out, err = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert "imported 20000 customers" in out
    assert during > 0  # the counter's writes went through between the import's batches
    assert Customer.select().count() == 20_020
    run = ImportRun.select().order_by(ImportRun.id.desc()).first()
    assert (run.status, run.inserted) == ("done", 20_000)


def test_an_import_killed_half_way_is_resumed(db, admin, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    settings.set_value(admin, "import.batch_rows", "100")
    proc = start_import(db, big_csv(tmp_path / "big.csv", 6_000), tmp_path)
    try:
        wait_until(writing)
        proc.kill()  # no clean-up at all: a crash, a power cut
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    run = get_run(admin, writing().id)
    assert run.status == "interrupted" and 0 < run.applied < 6_000
    assert Customer.select().count() == run.inserted == run.applied
    done = apply.resume(admin, run.id)
    assert (done.status, done.inserted) == ("done", 6_000)
    assert Customer.select().count() == 6_000
