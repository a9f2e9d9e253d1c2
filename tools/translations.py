"""The translation catalogues: extract, update, compile and check (Babel).

    python tools/translations.py update    # sources -> messages.pot -> zh_CN/tuicrm.po (merged)
    python tools/translations.py compile   # tuicrm.po -> tuicrm.mo (committed with the .po)
    python tools/translations.py check     # exit 1 when a message has no translation or the
                                           # .mo is out of date (tests/test_translations.py)

Marked strings: ``_("...")``, ``N_("...")``, ``ngettext("one", "many", n)`` and the description
of a ``Binding(key, action, "description")``, a list ``Column(name, expr, "Title")`` and a
``FilterColumn(name, "Label", ...)``. Translate by editing the .po
(an empty msgstr is a missing translation), then compile.
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tuicrm"
LOCALE = PACKAGE / "locale"
TEMPLATE = LOCALE / "messages.pot"
LANGUAGES = ("zh_CN",)
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "Binding": (3,),
    "Column": (3,),  # a list column's title
    "FilterColumn": (2,),  # a filter column's label
}


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "tuicrm.po"


def extract() -> Catalog:
    catalog = Catalog(project="tuicrm", charset="utf-8")
    method_map = [("**.py", "python")]
    # Babel warns on stderr about Column("x", expr, "") (an empty title): those are skipped.
    with contextlib.redirect_stderr(io.StringIO()):
        found = list(extract_from_dir(PACKAGE, method_map, keywords=KEYWORDS,
                                      comment_tags=("TRANSLATORS:",), strip_comment_tags=True))
    for filename, lineno, message, comments, context in found:
        if isinstance(message, tuple) and not all(message):
            continue  # ngettext with a non-literal argument
        if not message:
            continue
        catalog.add(message, None, [(f"tuicrm/{filename}", lineno)], auto_comments=comments,
                    context=context)
    # A setting's description, shown (translated) by the Settings screen: read from the
    # registry, as the declarations pass it among other arguments.
    from tuicrm.data.core import settings

    for setting in settings.REGISTRY.values():
        catalog.add(setting.description, None, [("tuicrm/data/core/settings.py", 0)])
    return catalog


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def update() -> None:
    template = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    with TEMPLATE.open("wb") as f:
        write_po(f, template, width=100, omit_header=True)
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = read(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=language, project="tuicrm", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as f:
            write_po(f, catalog, width=100, omit_header=False, ignore_obsolete=True)
        print(f"{path.relative_to(ROOT)}: {len(catalog)} messages, "
              f"{len(missing(catalog))} without a translation")


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_all() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        catalog = read(path)
        path.with_suffix(".mo").write_bytes(mo_bytes(catalog))
        print(f"compiled {path.with_suffix('.mo').relative_to(ROOT)}")
        if language == "zh_CN":
            path.with_name("pinyin.json").write_text(pinyin_json(catalog), encoding="utf-8")


def pinyin_json(catalog: Catalog) -> str:
    """Short Chinese translations (screen and command names) -> [initials, whole pinyin], for
    the command palette (``tuicrm/widgets/palette.py``): ``客户`` -> ``["kh", "kehu"]``."""
    from pypinyin import Style, lazy_pinyin

    table: dict[str, list[str]] = {}
    for message in catalog:
        text = message.string
        if not isinstance(text, str) or not 1 <= len(text) <= 12:
            continue
        han = "".join(c for c in text if "\u4e00" <= c <= "\u9fff")
        if not han:
            continue
        initials = "".join(lazy_pinyin(han, style=Style.FIRST_LETTER))
        table[text] = [initials, "".join(lazy_pinyin(han))]
    return json.dumps(table, ensure_ascii=False, sort_keys=True) + "\n"


def missing(catalog: Catalog) -> list[str]:
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def problems() -> list[str]:
    """What ``check`` reports: marked strings missing from a catalogue or without a
    translation, and a compiled catalogue that is not the .po's."""
    found: list[str] = []
    template = extract()
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            return [f"{path.relative_to(ROOT)} does not exist: run tools/translations.py update"]
        catalog = read(path)
        for message in template:
            if message.id and message.id not in catalog:
                found.append(f"{language}: not in the catalogue (run update): {message.id!r}")
        found += [f"{language}: no translation: {m!r}" for m in missing(catalog)]
        mo = path.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(catalog):
            found.append(f"{mo.relative_to(ROOT)} is not compiled from the .po: run compile")
        pinyin = path.with_name("pinyin.json")
        if language == "zh_CN" and (
                not pinyin.exists() or pinyin.read_text(encoding="utf-8") != pinyin_json(catalog)):
            found.append(f"{pinyin.relative_to(ROOT)} is out of date: run compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
