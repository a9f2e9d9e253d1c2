"""Telling a barcode scanner's burst from human typing, by key timing alone (no Textual here).

A keyboard-wedge scanner "types" a code and a terminator (Enter, sometimes Tab) far faster than a
person: a few milliseconds per character locally, and over SSH a whole scan - or several - often
arrives in one read, so its keys carry ~the same timestamp. A person needs 60 ms or more between
keys. :class:`BurstDetector` is fed every key in the order the terminal sent them, each with the
time it was read, and says what to do with it:

* it *holds* printable (and control) characters while they might be the start of a scan;
* a terminator that follows a run of at least ``min_length`` held printable characters, each
  within ``key_gap`` of the previous one, makes the run a :class:`Scan` (:class:`Captured`);
* anything else - the gap grows past ``key_gap``, a non-character key (arrow, Esc, F-key,
  Backspace), a terminator after too short a run - releases the held keys unchanged and in
  order (:class:`Deliver`): that was a person typing, and it reaches the focused widget as if
  nothing had happened, only ``key_gap`` later. The caller releases a run whose time is up by
  calling :meth:`BurstDetector.expire` at :attr:`BurstDetector.deadline`.

So the first character of a burst - which arrives before anyone can know it is a burst - never
lands in the focused field: nothing is delivered before the detector has decided.

Hiccups: a scan may pause midway - an SSH packet late, or a process not scheduled for a moment
(the sender's, or ours while it parses a big read, which stamps the rest of the keys late). A
run whose last key came at machine speed after the key before it (within ``fast_gap``, which no
person types; the key before may be the end of the previous scan in the same read) is held up
to ``jitter``; a run whose time is up while the caller reports terminal input still waiting to
be read or parsed (``expire(..., input_busy=True)``) is held up to ``stall_limit``. A run with a pause longer than ``key_gap`` in it becomes
a scan only if it holds ``min_length`` printable characters at machine speed in a row;
otherwise it is released as typing, in order, at its terminator.

Control characters inside a burst (NUL, STX/ETX prefixes and suffixes, GS in GS1 codes, LF of a
CR LF terminator) are kept in :attr:`Scan.raw` and left out of :attr:`Scan.code`; a control
character or terminator that arrives within ``key_gap`` after a scan, on its own, is dropped
(the LF of CR LF, the Enter of Tab+Enter). Nothing else is ever dropped, reordered or merged.

Limits (timing is all there is):

* a person who types ``min_length`` characters and Enter with under ``key_gap`` between every
  key is taken for a scanner;
* a key a person types within ``key_gap`` before a scan starts becomes the scan's first
  character;
* a scan whose first character alone arrives more than ``key_gap`` before the rest, after a
  quiet spell (not straight after another scan, input not busy), is split: that character is
  released as typing;
* a scanner configured with no terminator is not recognised: its characters are released as
  typing (late by up to ``jitter``).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

PRINTABLE = "printable"
CONTROL = "control"
TERMINATOR = "terminator"
OTHER = "other"

#: Keys that carry a control character but are never part of a scan.
_NEVER_IN_A_SCAN = frozenset({"escape", "backspace", "delete"})
#: A printable character with one of these modifiers is a shortcut, not text.
_SHORTCUT_PREFIXES = ("alt+", "ctrl+", "meta+", "super+", "hyper+")


@dataclass(frozen=True, slots=True)
class ScanTiming:
    """The figures that tell a scanner from a person. Times in seconds."""

    key_gap: float = 0.050
    """Longest pause between two keys of one burst (and how long a typed key is held back)."""
    fast_gap: float = 0.015
    """Keys closer than this are machine-made (no person types two keys this fast in a row)."""
    jitter: float = 0.250
    """Longest pause (SSH hiccup, scheduling stall) a machine-made run may make."""
    stall_limit: float = 1.0
    """Longest a run is held while the caller reports the input busy (keys on their way)."""
    min_length: int = 4
    """Fewest printable characters a scan has."""
    max_length: int = 4096
    """A run this long without a terminator is released as typing."""
    terminators: frozenset[str] = frozenset({"enter", "tab", "ctrl+j"})
    """Key names that end a scan (Textual names: CR is ``enter``, LF is ``ctrl+j``)."""

    def __post_init__(self) -> None:
        if not 0 < self.fast_gap <= self.key_gap <= self.jitter <= self.stall_limit:
            raise ValueError("need 0 < fast_gap <= key_gap <= jitter <= stall_limit")
        if not 1 <= self.min_length <= self.max_length:
            raise ValueError("need 1 <= min_length <= max_length")
        if not self.terminators:
            raise ValueError("a scan needs at least one terminator key")


@dataclass(frozen=True, slots=True)
class RawKey:
    """One key as the terminal sent it, with the (monotonic) time it was read."""

    key: str
    character: str | None
    at: float


@dataclass(frozen=True, slots=True)
class Scan:
    """A recognised scan."""

    code: str
    """The printable characters, exactly as received (control characters left out)."""
    raw: str
    """Every character received, control characters and terminator included."""
    at: float
    """When the terminator was read (monotonic seconds)."""
    keys: tuple[RawKey, ...]
    """The keys with their timing, for a scanner test screen."""

    @property
    def started(self) -> float:
        return self.keys[0].at if self.keys else self.at


@dataclass(frozen=True, slots=True)
class Deliver(Generic[T]):
    """Hand these keys, in this order, to the application as usual (a person typed them)."""

    items: tuple[T, ...]
    keys: tuple[RawKey, ...]


@dataclass(frozen=True, slots=True)
class Drop(Generic[T]):
    """Swallow these keys: stray control characters just after a scan."""

    items: tuple[T, ...]
    keys: tuple[RawKey, ...]


@dataclass(frozen=True, slots=True)
class Captured(Generic[T]):
    """These keys were a scan: handle ``scan``, do not deliver the keys."""

    scan: Scan
    items: tuple[T, ...]


Action = Deliver[T] | Drop[T] | Captured[T]


def classify(key: str, character: str | None, terminators: frozenset[str]) -> str:
    """What kind of key this is, for burst detection."""
    if key in terminators:
        return TERMINATOR
    if character is None and key.startswith("ctrl+") and (len(key) == 6 or key == "ctrl+at"):
        return CONTROL  # Ctrl+letter under the kitty keyboard protocol, which sends no text
    if character is None or len(character) != 1 or key in _NEVER_IN_A_SCAN:
        return OTHER
    if character.isprintable():
        return OTHER if key.startswith(_SHORTCUT_PREFIXES) else PRINTABLE
    if unicodedata.category(character) == "Cc":
        return CONTROL
    return OTHER


class BurstDetector(Generic[T]):
    """Feed it every key in arrival order; carry out the actions it returns, in order.

    ``item`` is whatever the caller needs back to deliver a key (e.g. the key event itself).
    Not thread-safe: feed, expire and flush from one thread.
    """

    def __init__(self, timing: ScanTiming | None = None) -> None:
        self.timing = timing or ScanTiming()
        self._tail_until = float("-inf")
        self._last_char_at = float("-inf")
        self._items: list[T] = []
        self._keys: list[RawKey] = []
        self._printable: list[bool] = []
        self._printable_count = 0
        self._long_gap = False
        self._fast_run = 0
        self._best_fast_run = 0
        self._machine_tail = False
        self._stalled = False

    @property
    def pending(self) -> int:
        """How many keys are held back."""
        return len(self._keys)

    @property
    def stalled(self) -> bool:
        """The held keys' time is up but the input was busy: waiting to see what follows."""
        return self._stalled

    @property
    def deadline(self) -> float | None:
        """When the held keys must be released if nothing else arrives (None: nothing held)."""
        if not self._keys:
            return None
        return self._keys[-1].at + self._allowed_gap()

    def _base_gap(self) -> float:
        # A key that came at machine speed after the one before it (held or not: e.g. the end
        # of the previous scan in the same read) may be followed by a hiccup; otherwise allow
        # a person's pause.
        return self.timing.jitter if self._machine_tail else self.timing.key_gap

    def _allowed_gap(self) -> float:
        return self.timing.stall_limit if self._stalled else self._base_gap()

    def feed(self, item: T, key: str, character: str | None, at: float) -> list[Action[T]]:
        """Take one key (``at``: when it was read); return what to do, in order."""
        timing = self.timing
        actions: list[Action[T]] = []
        if self._keys and at - self._keys[-1].at > self._allowed_gap():
            actions.append(self._release())
        raw = RawKey(key, character, at)
        kind = classify(key, character, timing.terminators)
        # Character keys only: an F-key or arrow is never part of a scan.
        machine_speed = kind != OTHER and at - self._last_char_at <= timing.fast_gap
        if kind != OTHER:
            self._last_char_at = at

        if kind == TERMINATOR:
            if self._is_scan(at):
                actions.append(self._capture(item, raw))
            elif not self._keys and at <= self._tail_until:
                actions.append(Drop((item,), (raw,)))
            else:
                if self._keys:
                    actions.append(self._release())
                actions.append(Deliver((item,), (raw,)))
        elif kind == CONTROL and not self._keys and at <= self._tail_until:
            actions.append(Drop((item,), (raw,)))
        elif kind in (PRINTABLE, CONTROL):
            self._hold(item, raw, kind == PRINTABLE, machine_speed)
            if len(self._keys) >= timing.max_length:
                actions.append(self._release())
        else:
            if self._keys:
                actions.append(self._release())
            actions.append(Deliver((item,), (raw,)))
        return actions

    def expire(self, now: float, input_busy: bool = False) -> list[Action[T]]:
        """Release the held keys if their time is up at ``now``.

        ``input_busy``: at ``now`` terminal input was waiting to be read, or being parsed (keys
        on their way, to be stamped late). Then a run is held on - up to ``stall_limit`` after
        its last key - and the next key continues it (:attr:`stalled`); the caller asks again
        soon.
        """
        if not self._keys:
            return []
        last = self._keys[-1].at
        if now <= last + self._base_gap():
            return []
        if input_busy and now <= last + self.timing.stall_limit:
            self._stalled = True
            return []
        return [self._release()]

    def flush(self) -> list[Action[T]]:
        """Release whatever is held, now (the screen goes away)."""
        return [self._release()] if self._keys else []

    def _is_scan(self, terminator_at: float) -> bool:
        timing = self.timing
        if not self._keys or self._printable_count < timing.min_length:
            return False
        if self._long_gap or terminator_at - self._keys[-1].at > timing.key_gap:
            # A pause longer than a person's: only a machine-made run can bridge it.
            return self._best_fast_run >= timing.min_length
        return True

    def _hold(self, item: T, raw: RawKey, printable: bool, machine_speed: bool) -> None:
        timing = self.timing
        if self._keys:
            gap = raw.at - self._keys[-1].at
            self._long_gap = self._long_gap or gap > timing.key_gap
            self._fast_run = self._fast_run + printable if gap <= timing.fast_gap else printable
        else:
            self._fast_run = int(printable)
        self._best_fast_run = max(self._best_fast_run, self._fast_run)
        self._machine_tail = machine_speed
        self._stalled = False
        self._items.append(item)
        self._keys.append(raw)
        self._printable.append(printable)
        self._printable_count += printable

    def _reset(self) -> None:
        self._items = []
        self._keys = []
        self._printable = []
        self._printable_count = 0
        self._long_gap = False
        self._fast_run = 0
        self._best_fast_run = 0
        self._machine_tail = False
        self._stalled = False

    def _release(self) -> Deliver[T]:
        action = Deliver(tuple(self._items), tuple(self._keys))
        self._reset()
        return action

    def _capture(self, item: T, terminator: RawKey) -> Captured[T]:
        keys = (*self._keys, terminator)
        code = "".join(
            key.character or ""
            for key, printable in zip(self._keys, self._printable, strict=True)
            if printable
        )
        raw = "".join(key.character or "" for key in keys)
        scan = Scan(code=code, raw=raw, at=terminator.at, keys=keys)
        action = Captured(scan, (*self._items, item))
        self._reset()
        self._tail_until = terminator.at + self.timing.key_gap
        return action
