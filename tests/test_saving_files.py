"""Saving a receipt, report or list never follows a symbolic link, replaces a file only after
asking, and goes to the documents folder (or setting files.folder), naming the whole path."""

from __future__ import annotations

import os

import pytest

from tuicrm.data.core.errors import ValidationError
from tuicrm.reports import saving


def test_a_bare_name_goes_to_the_documents_folder(documents):
    path = saving.write_text(saving.resolve("receipt.txt"), "hello")
    assert path == documents / "receipt.txt" and path.read_text() == "hello"
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_the_folder_setting_wins(db, admin, tmp_path):
    from tuicrm.data.core import settings

    settings.set_value(admin, "files.folder", str(tmp_path / "shop"))
    (tmp_path / "shop").mkdir()
    assert saving.resolve("x.csv") == tmp_path / "shop" / "x.csv"


def test_a_symbolic_link_is_never_written_through(tmp_path):
    """The receipt attack: a link at the name pointing at a file to destroy."""
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    link = tmp_path / "receipt.txt"
    link.symlink_to(victim)
    for overwrite in (False, True):
        with pytest.raises(saving.SaveError, match="symbolic link"):
            saving.write_text(link, "pwned", overwrite=overwrite)
    assert victim.read_text() == "precious" and link.is_symlink()


def test_an_existing_file_is_replaced_only_after_asking(tmp_path):
    target = tmp_path / "list.txt"
    target.write_text("old")
    ask = saving.AskBeforeReplacing("file")

    def write(path, overwrite):
        return saving.write_text(path, "new", overwrite=overwrite)

    with pytest.raises(ValidationError, match="exists: Enter again to replace it"):
        ask.save(str(target), write)
    assert target.read_text() == "old"
    assert ask.save(str(target), write) == target  # asked, and the user said yes
    assert target.read_text() == "new"


def test_export_refuses_an_existing_file_and_a_link(tmp_path):
    from tuicrm.reports.spreadsheet import ExportColumn, export_rows

    cols = [ExportColumn("name")]
    out = tmp_path / "a.csv"
    export_rows(out, cols, [("x",)])
    with pytest.raises(saving.FileExists):
        export_rows(out, cols, [("y",)])
    assert export_rows(out, cols, [("y",)], overwrite=True) == 1
    link = tmp_path / "b.xlsx"
    link.symlink_to(tmp_path / "elsewhere.xlsx")
    with pytest.raises(saving.SaveError, match="symbolic link"):
        export_rows(link, cols, [("z",)], overwrite=True)
    assert not (tmp_path / "elsewhere.xlsx").exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".part")]


def test_cli_export_asks_for_overwrite(db, admin, tmp_path, capsys):
    from tuicrm.cli import main

    out = tmp_path / "c.csv"
    assert main(["export", "customers", str(out), "--db", db]) == 0
    assert str(out) in capsys.readouterr().out
    assert main(["export", "customers", str(out), "--db", db]) == 1
    assert "exists" in capsys.readouterr().err
    assert main(["export", "customers", str(out), "--db", db, "--overwrite"]) == 0


def test_a_missing_documents_folder_is_made(monkeypatch, tmp_path):
    """A new account on a server has no ~/Documents: the first export makes it."""
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Documents"))
    path = saving.write_text(saving.resolve("report.txt"), "hello")
    assert path == tmp_path / "Documents" / "report.txt" and path.read_text() == "hello"
