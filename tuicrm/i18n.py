"""The interface's language: every user-visible string goes through ``_`` (or ``ngettext`` for
a count), so the interface speaks the user's language.

One process serves one user (each SSH session is its own process), so the language is one
per process, chosen with ``set_language``: the user's own preference once they have logged
in; before that (the login screen, the command line) ``--lang``, else the site's setting,
else the environment (``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``).

Strings defined where no language is known yet (class attributes, key bindings, tables) are
written plainly, or marked with ``N_``, and translated where they are shown: key bindings'
descriptions by the footer and F1, screen titles by the title bar. ``tools/translations.py``
extracts every marked string (``_``, ``N_``, ``ngettext``, key binding descriptions, areas,
palette commands) into ``tuicrm/locale/messages.pot`` and compiles the catalogues.
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "tuicrm"
LOCALE_DIR = Path(__file__).with_name("locale")
ENGLISH = "en"
CHINESE = "zh_CN"
#: The languages tuicrm speaks, each named in itself (that is how a user finds their own).
LANGUAGES: dict[str, str] = {ENGLISH: "English", CHINESE: "简体中文"}

_catalogue: gettext.NullTranslations = gettext.NullTranslations()
_language = ENGLISH


def _(message: str) -> str:
    # gettext("") is the catalogue's header, not "".
    return _catalogue.gettext(message) if message else message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark only: the string is translated later, where it is shown."""
    return message


def normalise(code: str | None) -> str | None:
    """A language tuicrm speaks for a locale name (``zh_CN.UTF-8``, ``zh-Hans``, ``en_US``), or
    None for one it does not (or an empty one). Any Chinese becomes Simplified Chinese."""
    if not code:
        return None
    base = code.split(".")[0].split("@")[0].replace("-", "_").strip()
    lower = base.lower()
    if lower.startswith("zh"):
        return CHINESE
    if lower in ("c", "posix") or lower.startswith("en"):
        return ENGLISH
    return None


def language_from_environment(environ: Mapping[str, str] | None = None) -> str | None:
    """The first language of the environment tuicrm speaks (gettext's order of variables)."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        # LANGUAGE may list several, e.g. "zh_CN:en".
        for part in value.split(":"):
            found = normalise(part)
            if found:
                return found
        if value and name != "LANGUAGE":
            return None  # the first set locale variable decides, as for gettext
    return None


def choose_language(*choices: str | None) -> str:
    """The first of ``choices`` tuicrm speaks (e.g. --lang, the user's, the site's, the
    environment's), English when none is."""
    for choice in choices:
        found = normalise(choice)
        if found:
            return found
    return ENGLISH


def set_language(code: str | None) -> str:
    """Speak ``code`` from now on (a missing catalogue falls back to English); returns the
    language now in use."""
    global _catalogue, _language
    language = choose_language(code)
    if language == ENGLISH:
        _catalogue = gettext.NullTranslations()
    else:
        _catalogue = gettext.translation(DOMAIN, LOCALE_DIR, [language], fallback=True)
    _language = language
    return language


def current_language() -> str:
    return _language


def is_chinese() -> bool:
    return _language == CHINESE
