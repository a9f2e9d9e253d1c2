"""The data layer and the reports never load Textual (DESIGN.md: the UI never talks SQL, and
the command line runs the same operations headless)."""

from __future__ import annotations

import json
import subprocess
import sys

_SCRIPT = """
import importlib, json, pkgutil, sys
import tuicrm.data, tuicrm.data.staff.users, tuicrm.data.core.schema, tuicrm.reports
named = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
# Every module of both packages, including ones added later.
modules, broken = [], {}
for package in (tuicrm.data, tuicrm.reports):
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        try:
            importlib.import_module(info.name)
        except Exception as e:
            broken[info.name] = f"{type(e).__name__}: {e}"
        else:
            modules.append(info.name)
walked = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
print(json.dumps({"named": named, "walked": walked, "modules": modules, "broken": broken}))
"""


def _run() -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_data_and_reports_do_not_import_textual():
    result = _run()
    assert result["named"] == []
    assert result["broken"] == {}, "modules of tuicrm.data / tuicrm.reports fail to import"
    assert result["walked"] == [], "a module of tuicrm.data or tuicrm.reports imports textual"
    # The walk really covered the data layer (so the second check is not vacuous).
    assert {"tuicrm.data.staff.users", "tuicrm.data.core.schema", "tuicrm.data.core.money",
            "tuicrm.data.models.users"} <= set(result["modules"])
