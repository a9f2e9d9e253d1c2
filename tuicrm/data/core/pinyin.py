"""The text the quick search (L1) indexes: a name's pinyin, and names cut into pieces.

``spell(name)``: the pinyin a Chinese user types for ``name``, full syllables then initials,
``"zhangsanwujindian zswjd"`` for 张三五金店 ('' when the name has no Chinese character).
Stored in the ``pinyin`` column of customers, contacts, suppliers and products (the models
fill it whenever a name is written, see ``models.base.Spelt``), so both databases search it.
pypinyin reads phrases (银行 -> yinhang, 重庆 -> chongqing); it costs ~0.2 s and ~50 MiB the
first time a process spells a name, so it is imported only then.

``indexed(text)``: what SQLite's FTS5 trigram index holds of a value: the text as it is (3+
character terms: their trigrams, as selective as before) and ``pieces(text)``, the text with a
filler after every character (and one before), so every 2-character piece is a trigram
(``华␟兴``) and ``五金`` inside a name is one index lookup. A 3+ character term is never
looked up in pieces: a phrase of 2-character pieces of digits or common characters reads
doclists holding almost every row (measured: "C0500000" 1 s at 1M customers). Parts meet at
two fillers, which no query contains: a term never spans two values (a name and a phone).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

FILL = "\x1f"  # a control character: input never holds one (and queries drop it)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_chinese(text: str) -> bool:
    return bool(_CJK.search(text or ""))


@lru_cache(maxsize=4096)
def spell(name: str) -> str:
    """``"<full pinyin> <initials>"`` of ``name`` in lower case without spaces; '' when
    ``name`` holds no Chinese character. Latin letters and digits are kept as they are."""
    if not has_chinese(name):
        return ""
    from pypinyin import lazy_pinyin  # heavy: only where names are written

    full: list[str] = []
    initials: list[str] = []
    for part in lazy_pinyin(name, errors="default"):
        if _CJK.search(part) is None and not part.isalpha():
            kept = "".join(part.lower().split())
            full.append(kept)
            initials.append(kept)
            continue
        if has_chinese(part):  # a character pypinyin does not know: kept as is
            full.append(part)
            initials.append(part)
            continue
        word = part.lower()
        full.append(word)
        initials.append(word[:1] if part.isascii() and part.islower() else word)
    return "".join(full) + " " + "".join(initials)


def pieces(text: Any) -> str:
    """``text`` with ``FILL`` before and after every character ('' for None or '')."""
    s = "" if text is None else str(text)
    return FILL + FILL.join(s) + FILL if s else ""


def indexed(text: Any) -> str:
    """What the search index holds of one value: as it is, then in pieces ('' for None)."""
    s = "" if text is None else str(text)
    return FILL + s + FILL + pieces(s) if s else ""


def spelt_pieces(spelt: Any) -> str:
    """What the index holds of a ``spell`` result: the full pinyin as it is (found from 3
    characters on, as ``zha``), the initials as they are and in pieces (``zs`` is found)."""
    s = "" if spelt is None else str(spelt)
    if not s:
        return ""
    full, _, initials = s.rpartition(" ")
    return FILL + full + FILL + indexed(initials)


def piece_phrase(text: str) -> str:
    """The trigram phrase that finds ``text`` (exactly 2 characters) among ``pieces``."""
    return FILL.join(text)


__all__ = ["FILL", "fill", "has_chinese", "indexed", "piece_phrase", "pieces", "spell", "spelt_pieces"]


def fill(db: Any, table: str, *, only_blank: bool = True, batch: int = 5000) -> int:
    """Write the ``pinyin`` of every row of ``table`` whose name has Chinese in it (by
    default only where it is blank: after a raw bulk load, or a migration); the number set.
    Rows are read by id in batches, so memory stays flat at a million rows."""
    sql_blank = " AND pinyin = ''" if only_blank else ""
    last, count = 0, 0
    while True:
        rows = db.execute_sql(
            f'SELECT id, name FROM "{table}" WHERE id > {db.param}{sql_blank} '
            f"ORDER BY id LIMIT {int(batch)}", (last,)).fetchall()
        if not rows:
            return count
        last = rows[-1][0]
        changes = [(spell(name), i) for i, name in rows if has_chinese(name)]
        if changes:
            db.cursor().executemany(
                f'UPDATE "{table}" SET pinyin = {db.param} WHERE id = {db.param}', changes)
            count += len(changes)
