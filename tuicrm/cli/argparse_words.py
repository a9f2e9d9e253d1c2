"""The words argparse itself prints (usage, help, errors), so ``tuicrm --help`` and its error
lines speak the chosen language too. argparse looks its words up through its module's ``_``
and ``ngettext``; ``speak_in_argparse`` points those at tuicrm's catalogue. The strings below
only mark argparse's own messages for the catalogue (they must match argparse's exactly)."""

from __future__ import annotations

import argparse

from ..i18n import N_, _, ngettext

ARGPARSE_MESSAGES = (
    N_("usage: "),
    N_("options"),
    N_("positional arguments"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
)


def speak_in_argparse() -> None:
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
