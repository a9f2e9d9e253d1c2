"""Interface text is marked for translation: no user-visible string literal in the screens and
widgets is left unmarked (tools/unmarked_strings.py)."""

from __future__ import annotations

import json

from tools.unmarked_strings import ROOT, counts, unmarked


def test_no_user_visible_string_is_unmarked():
    worse = {name: [f"{line}: {text[:70]}" for line, text in unmarked(ROOT / name)]
             for name in counts()}
    assert not worse, ("user-visible text not wrapped in _() (tuicrm.i18n): "
                       + json.dumps(worse, ensure_ascii=False, indent=1))


def test_the_checker_finds_unmarked_text(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from tuicrm.i18n import _\n"
        "LEGEND = '! overdue'\n"
        "class S:\n"
        "    TITLE_TEXT = 'Customers'\n"
        "    def f(self, n):\n"
        "        self.notify(f'{n} saved')\n"
        "        self.notify(_('{n} saved').format(n=n))\n"
        "        Static('')\n"
        "        Label(_('Name'))\n"
        "        ConfirmDialog('Delete?', yes='Delete')\n"
        "        FormField('name', 'Name', choices=[('yes: create', 'y')])\n"
        "        FormDialog(_('Ok'), [FormField('n', _('N'))])\n"
        "        raise ValidationError('too long')\n"
        "        self._status(_('{n} rows').format(n=n) + (f' of {n}' if n else ''))\n"
        "    def g(self, submit_label='Save', no=N_('No')):\n"
        "        pass\n",
        encoding="utf-8")
    found = [text for _line, text in unmarked(sample)]
    assert found == ["! overdue", "Customers", "f'{n} saved'", "Delete", "Delete?", "Name", "yes: create",
                     "too long", "f' of {n}'", "Save"]
