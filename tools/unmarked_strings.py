"""User-visible strings in the interface that are not marked for translation.

    python tools/unmarked_strings.py            # every unmarked string, file:line: text
    python tools/unmarked_strings.py --counts   # how many per file

A string is user-visible when it is a literal (or an f-string) given to something that shows
text: a widget (``Static``, ``Label``, ``Button``, ``Text``, ...), a notification or message
(``notify``, ``notify_error``, ``show_message``, ``refuse``, ``bell_message``, ...), a dialog
(``ConfirmDialog``), a form field's label, a list column's title; or the value of a screen's
``TITLE_TEXT``, ``HELP``, ``EMPTY_TEXT`` or ``SEARCH_HINT``. Marked means wrapped in ``_()``,
``N_()`` or ``ngettext()`` (key binding descriptions are extracted without a mark).

Also shown: a form field's label (``FormField(name, "Label")``), a dialog's title, the labels
of ``choices=[("label", value), ...]``, text given to ``update``, and a ``ValidationError``'s
message; also the parts of a concatenation or a conditional given to them, and a parameter
named like one of those keywords whose default is text. ``tests/test_translations_marked.py`` fails on any unmarked string: the interface is
translated whole, so new code is marked from the start.
"""

from __future__ import annotations

import ast
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("tuicrm/screens", "tuicrm/widgets", "tuicrm/app.py")

#: Callables whose positional string arguments are shown to the user.
SHOWING = {
    "Static", "Label", "Button", "Text", "Checkbox", "RadioButton", "Rule",
    "notify", "notify_error", "show_message", "refuse", "set_status", "_status", "status",
    "ConfirmDialog", "MessageDialog", "TextDialog", "PrintPreviewDialog", "WorkDialog",
    "FormDialog", "SavingFormDialog", "ChoiceDialog", "TextEditDialog", "InfoDialog",
    "ValidationError", "update", "write_line", "bell_message",
}
#: Callables of which only the argument at this position is shown (the others are names).
SHOWN_POSITION = {"FormField": 1}
#: Callables whose keyword arguments of these names are shown.
SHOWN_KEYWORDS = {"title", "label", "placeholder", "message", "yes", "no", "submit_label",
                  "empty_text", "help", "description"}
#: Class attributes shown as text.
SHOWN_ATTRIBUTES = {"TITLE_TEXT", "HELP", "EMPTY_TEXT", "SEARCH_HINT", "LEGEND"}
MARKS = {"_", "N_", "ngettext"}


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_text(node: ast.expr) -> bool:
    """A literal with letters in it (not "", not " ", not a key name like "-warn")."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value) and not node.value.startswith(("-", "#"))
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.Constant) and any(c.isalpha() for c in str(v.value))
                   for v in node.values)
    return False


def _texts(node: ast.expr) -> list[ast.expr]:
    """The literals in ``node`` that end up shown: the node itself, or the parts of a
    concatenation (``a + f" of {n}"``) or of a conditional (``x if c else "none"``)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _texts(node.left) + _texts(node.right)
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    return [node] if _is_text(node) else []


def _text_of(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return str(node.value)
    return ast.unparse(node)


def unmarked(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _name(node.func)
            if name in MARKS:
                continue
            if name in SHOWING:
                found += [(t.lineno, _text_of(t)) for a in node.args for t in _texts(a)]
            if name in SHOWN_POSITION and len(node.args) > SHOWN_POSITION[name]:
                shown = node.args[SHOWN_POSITION[name]]
                if _is_text(shown):
                    found.append((shown.lineno, _text_of(shown)))
            for k in node.keywords:
                if k.arg == "choices" and isinstance(k.value, (ast.List, ast.Tuple)):
                    # (label, value) pairs: the label is shown
                    found += [(e.elts[0].lineno, _text_of(e.elts[0])) for e in k.value.elts
                              if isinstance(e, ast.Tuple) and e.elts and _is_text(e.elts[0])]
            found += [(t.lineno, _text_of(t)) for k in node.keywords
                      if k.arg in SHOWN_KEYWORDS for t in _texts(k.value)]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            # a parameter's default is shown when nothing is passed (submit_label="Save")
            args = node.args
            named = args.posonlyargs + args.args  # the last ones have the defaults
            pairs = list(zip(named[len(named) - len(args.defaults):], args.defaults,
                             strict=True))
            pairs += [(a, d) for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True)
                      if d]
            found += [(d.lineno, _text_of(d)) for a, d in pairs
                      if a.arg in SHOWN_KEYWORDS and _is_text(d)]
        elif (isinstance(node, ast.Assign) and _is_text(node.value)
              and any(isinstance(t, ast.Name) and t.id in SHOWN_ATTRIBUTES
                      for t in node.targets)):
            found.append((node.value.lineno, _text_of(node.value)))
    return sorted(set(found))


def files() -> list[Path]:
    out: list[Path] = []
    for entry in SCANNED:
        path = ROOT / entry
        out += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return out


def counts() -> dict[str, int]:
    found: Counter[str] = Counter()
    for path in files():
        n = len(unmarked(path))
        if n:
            found[str(path.relative_to(ROOT))] = n
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    if "--counts" in argv:
        print(json.dumps(counts(), indent=1))
        return 0
    found = 0
    for path in files():
        for line, text in unmarked(path):
            print(f"{path.relative_to(ROOT)}:{line}: {text[:90]}")
            found += 1
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
