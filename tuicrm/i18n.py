"""The translation function: every user-visible string goes through ``_`` (or ``ngettext``
for a count), so the interface can speak the user's language.

One process serves one user (each SSH session is its own process), so the language is chosen
once per process with ``set_language``. Until the catalogues exist every string is shown as
written (English). ``N_`` marks a string for translation where it is defined (a constant, a
table) and ``_`` translates it where it is shown.
"""

from __future__ import annotations

import gettext

_catalogue: gettext.NullTranslations = gettext.NullTranslations()


def _(message: str) -> str:
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _catalogue.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark only: the string is translated later, where it is shown."""
    return message


def set_catalogue(catalogue: gettext.NullTranslations) -> None:
    global _catalogue
    _catalogue = catalogue
