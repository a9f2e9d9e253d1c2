"""The keys rows of an import claim (codes, barcodes), kept on disk, not in memory.

Each claimed key remembers where it first appeared (``Claim``: row, column, as written). A
dict of them costs ~183 MiB at 1M codes, most of an import's memory; here they live in a
private temporary SQLite database (``sqlite3.connect("")``: a file nobody else can open,
deleted when closed) with a small page cache, so memory stays flat whatever the file's size.
``Claims`` and its spaces behave as the dicts they replace (``setdefault``, ``get``,
``items``; ``get``, ``[]``, ``in``, iteration in the order claimed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, MutableMapping
from typing import Any

from .importer import Claim


class Claims:
    """Spaces of claimed keys (``"code"``, ``"barcode"``), each a ``SpaceClaims``."""

    def __init__(self) -> None:
        self._con = sqlite3.connect("", check_same_thread=False)
        self._con.executescript(
            "PRAGMA cache_size = -4000; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
            "CREATE TABLE claim (space TEXT, key TEXT, row INTEGER, col TEXT, shown TEXT,"
            " UNIQUE (space, key));")
        self._spaces: dict[str, SpaceClaims] = {}

    def setdefault(self, space: str, _default: Any = None) -> SpaceClaims:
        found = self._spaces.get(space)
        if found is None:
            found = self._spaces[space] = SpaceClaims(self._con, space)
        return found

    def get(self, space: str, default: Any = None) -> Any:
        return self._spaces.get(space, default)

    def items(self) -> Iterator[tuple[str, SpaceClaims]]:
        return iter(list(self._spaces.items()))

    def close(self) -> None:
        self._con.close()


class SpaceClaims(MutableMapping[str, Claim]):
    def __init__(self, con: sqlite3.Connection, space: str) -> None:
        self._con = con
        self._space = space

    def get(self, key: str, default: Any = None) -> Any:
        row = self._con.execute("SELECT row, col, shown FROM claim WHERE space = ? AND key = ?",
                                (self._space, key)).fetchone()
        return default if row is None else Claim(*row)

    def __getitem__(self, key: str) -> Claim:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found  # type: ignore[no-any-return]

    def __setitem__(self, key: str, claim: Claim) -> None:
        self._con.execute("INSERT OR REPLACE INTO claim VALUES (?, ?, ?, ?, ?)",
                          (self._space, key, claim.row, claim.column, claim.shown))

    def __delitem__(self, key: str) -> None:
        self._con.execute("DELETE FROM claim WHERE space = ? AND key = ?", (self._space, key))

    def __contains__(self, key: object) -> bool:
        return self.get(key) is not None  # type: ignore[arg-type]

    def __iter__(self) -> Iterator[str]:
        cursor = self._con.execute("SELECT key FROM claim WHERE space = ? ORDER BY rowid",
                                   (self._space,))
        for (key,) in cursor:
            yield key

    def __len__(self) -> int:
        return int(self._con.execute("SELECT count(*) FROM claim WHERE space = ?",
                                     (self._space,)).fetchone()[0])
