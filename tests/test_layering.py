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


# -- the UI never talks SQL --------------------------------------------------------------------

UI_DIRS = ("tuicrm/screens", "tuicrm/widgets", "tuicrm/terminal")
UI_FILES = ("tuicrm/app.py",)
FORBIDDEN = ("peewee", "playhouse", "tuicrm.data.models")
# Modules still being moved onto plain rows (issue 9); this list only ever shrinks.
NOT_YET: set[str] = set()  # empty: every screen and widget is on plain rows


def _imports(path, rel) -> set[str]:
    """Every module a source file imports (absolute names; relative ones resolved from its
    path ``rel`` under the project root)."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ".".join(rel.with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join(parts + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def test_screens_and_widgets_import_neither_peewee_nor_the_models():
    """Screens get plain rows from tuicrm.data; a screen that builds SQL or walks a lazy
    foreign key would wait on the database on the UI thread and leak the schema."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [p for d in UI_DIRS for p in (root / d).glob("*.py")]
    files += [root / f for f in UI_FILES]
    offenders = {}
    for path in files:
        rel = path.relative_to(root).as_posix()
        bad = sorted(m for m in _imports(path, path.relative_to(root))
                     if any(m == f or m.startswith(f + ".") for f in FORBIDDEN))
        if bad and rel not in NOT_YET:
            offenders[rel] = bad
    assert offenders == {}
    assert len(files) > 20  # the walk found the UI
