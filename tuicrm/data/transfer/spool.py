"""Checked records waiting for the write, kept on disk so memory does not grow with the file.

An import checks every row before it writes any (all or nothing), and the check runs outside
the write transaction so other terminals keep selling while a big file is parsed. The records
of the good rows wait here in between: pickled in batches into an unnamed temporary file
(unlinked at once, so no other process can open or change it, and gone when closed). The
write transaction reads them back batch by batch, as often as it is run (PostgreSQL may run
it again after a serialisation failure).
"""

from __future__ import annotations

import pickle
import tempfile
from collections.abc import Iterator
from typing import Generic, TypeVar

R = TypeVar("R")

BATCH = 1000


class Spool(Generic[R]):
    """Records in the order added, read back in batches of ``BATCH``."""

    def __init__(self) -> None:
        # Open for the spool's life, closed by ``close`` (the import closes the spool).
        self._file = tempfile.TemporaryFile(prefix="tuicrm-import-")  # noqa: SIM115
        self._batch: list[R] = []
        self.count = 0

    def add(self, record: R) -> None:
        self._batch.append(record)
        self.count += 1
        if len(self._batch) >= BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._file.seek(0, 2)
            pickle.dump(self._batch, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._batch = []

    def batches(self) -> Iterator[list[R]]:
        """Every record added so far, a batch at a time (can be read again)."""
        self._flush()
        self._file.seek(0)
        while True:
            try:
                # Our own unnamed file, written above: nothing else can have put data in it.
                batch: list[R] = pickle.load(self._file)  # noqa: S301
            except EOFError:
                return
            yield batch

    def close(self) -> None:
        self._file.close()
        self._batch = []
