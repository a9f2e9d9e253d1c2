"""New interface text is marked for translation: per file, the unmarked user-visible strings
(tools/unmarked_strings.py) may only go down from tools/unmarked_baseline.json."""

from __future__ import annotations

import json

from tools.unmarked_strings import BASELINE, ROOT, counts, unmarked


def test_no_file_has_more_unmarked_strings_than_its_baseline():
    baseline: dict[str, int] = json.loads(BASELINE.read_text(encoding="utf-8"))
    worse = {}
    for name, n in counts().items():
        if n > baseline.get(name, 0):
            worse[name] = [f"{line}: {text[:70]}" for line, text in unmarked(ROOT / name)]
    assert not worse, ("user-visible text not wrapped in _() (tuicrm.i18n): "
                       + json.dumps(worse, ensure_ascii=False, indent=1))


def test_the_checker_finds_unmarked_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from tuicrm.i18n import _\n"
        "class S:\n"
        "    TITLE_TEXT = 'Customers'\n"
        "    def f(self, n):\n"
        "        self.notify(f'{n} saved')\n"
        "        self.notify(_('{n} saved').format(n=n))\n"
        "        Static('')\n"
        "        Label(_('Name'))\n"
        "        ConfirmDialog('Delete?', yes='Delete')\n",
        encoding="utf-8")
    found = [text for _line, text in unmarked(sample)]
    assert found == ["Customers", "f'{n} saved'", "Delete", "Delete?"]
