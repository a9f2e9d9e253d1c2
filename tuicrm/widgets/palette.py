"""The command palette's commands (Ctrl+P), found by what people type: the name in the
user's language, the English name, or the pinyin of the Chinese name, whole or by initials
(``kh``, ``kehu``, ``客户`` and ``customers`` all find Customers).

The pinyin of the Chinese names is worked out when the catalogues are compiled
(``tools/translations.py`` writes ``pinyin.json`` beside the catalogue): the pinyin
dictionaries take ~55 MiB and most of a second to load, too much for every session.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, NamedTuple, Protocol, cast

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.widgets.option_list import Option

from ..i18n import CHINESE, LOCALE_DIR, N_, _, current_language

NO_MATCHES = N_("Nothing matches")


class PaletteEntry(NamedTuple):
    """One command: its English name and help (translated when shown) and what it does."""

    name: str
    help: str
    callback: Callable[[], Any]


@lru_cache(maxsize=1)
def pinyin_table() -> dict[str, list[str]]:
    """Chinese name -> [initials, whole pinyin], e.g. 客户 -> ["kh", "kehu"]."""
    path = LOCALE_DIR / CHINESE / "LC_MESSAGES" / "pinyin.json"
    try:
        table: dict[str, list[str]] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return table


def aliases(entry: PaletteEntry) -> list[str]:
    """Other spellings that find ``entry`` besides its shown name."""
    shown = _(entry.name)
    found = [entry.name] if shown != entry.name else []
    if current_language() == CHINESE:
        found += pinyin_table().get(shown, [])
    return found


class PaletteSource(Protocol):
    def palette_entries(self, screen: Any) -> Iterable[PaletteEntry]: ...


class TuicrmPalette(CommandPalette):
    """Textual's palette with its own words in the user's language."""

    def __init__(self) -> None:
        super().__init__(placeholder=_("Type the name of a screen or command..."),
                         id="--command-palette")

    def on_mount(self) -> None:
        # Textual adds a fixed English "No matches found" line (id "--no-matches") to its list;
        # the list is told to show ours instead whenever that line is added.
        commands = self.query_one(CommandList)
        add_option = commands.add_option

        def add_translated(option: Any = None) -> Any:
            if isinstance(option, Option) and option.id == self._NO_MATCHES:
                option = Option(Align.center(Text(_(NO_MATCHES), style="not bold")),
                                disabled=True, id=option.id)
            return add_option(option)

        commands.add_option = add_translated  # type: ignore[method-assign]


class Commands(Provider):
    """Every command the app offers on the current screen (``TuicrmApp.palette_entries``)."""

    def _entries(self) -> Iterable[PaletteEntry]:
        return cast(PaletteSource, self.app).palette_entries(self.screen)

    async def discover(self) -> Hits:
        for entry in self._entries():
            yield DiscoveryHit(_(entry.name), entry.callback, help=_(entry.help))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in self._entries():
            shown = _(entry.name)
            score = matcher.match(shown)
            display: Any = matcher.highlight(shown) if score > 0 else Text(shown)
            for alias in aliases(entry):
                alias_score = matcher.match(alias)
                if alias_score > score:
                    score = alias_score
                    display = Text(shown)
                    display.append(f"  {alias}", style="dim")
            if score > 0:
                yield Hit(score, display, entry.callback, text=shown, help=_(entry.help))

