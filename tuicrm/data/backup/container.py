"""The backup file: one file that carries its own proof of being whole.

Layout: ``MAGIC``, the manifest's length (8 bytes, big-endian), the manifest (JSON), the
payload (a SQLite database, or a ``pg_dump`` archive for PostgreSQL), then the SHA-256 of every
byte before it. A flipped byte anywhere, a truncated copy or a file that is not a backup is
refused with one line before anything is restored.

A backup is written under a temporary name in the backup folder, flushed to disk and only then
renamed to its final name (an atomic rename), so a backup folder never holds a half-written
file under a backup's name.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from ..core.errors import TuicrmError

MAGIC = b"TUICRM-BACKUP\n"
FORMAT = 1
SUFFIX = ".tcbak"
CHUNK = 1 << 20
DIGEST = 32
MAX_MANIFEST = 16 << 20


class BackupRefused(TuicrmError):
    """A backup that must not be restored (damaged, unverified, too new, not a backup)."""


def write(target: Path, manifest: dict[str, Any], payload: Path) -> int:
    """Write the backup file ``target`` (via a temporary name and an atomic rename); returns
    its size. ``manifest`` gets ``format`` and ``payload_size``."""
    manifest = {**manifest, "format": FORMAT, "payload_size": payload.stat().st_size}
    head = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    digest = hashlib.sha256()
    try:
        with open(tmp, "wb") as out:
            for part in (MAGIC, struct.pack(">Q", len(head)), head):
                out.write(part)
                digest.update(part)
            with open(payload, "rb") as src:
                while chunk := src.read(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
            out.write(digest.digest())
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_dir(target.parent)
    return target.stat().st_size


def _sync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX: fsync the directory)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _refuse(path: Path, why: str) -> BackupRefused:
    return BackupRefused(f"{path.name}: {why}; not restored")


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` (header only: the checksum is not proved; see
    ``check_whole``). ``BackupRefused`` if it is not a backup or its header is damaged."""
    try:
        with open(path, "rb") as f:
            return _head(path, f)[0]
    except OSError as e:
        raise _refuse(path, f"cannot be read ({e.strerror or e})") from None


def _head(path: Path, f: BinaryIO) -> tuple[dict[str, Any], int]:
    """(manifest, offset of the payload)."""
    magic = f.read(len(MAGIC))
    if magic != MAGIC:
        if len(magic) < len(MAGIC) and MAGIC.startswith(magic):
            raise _refuse(path, "damaged (truncated)")
        if len(magic) == len(MAGIC) and sum(a != b for a, b in zip(magic, MAGIC, strict=True)) <= 2:
            raise _refuse(path, "damaged (its header is not readable)")
        raise _refuse(path, "not a tuicrm backup (a backup file starts with TUICRM-BACKUP)")
    size_bytes = f.read(8)
    if len(size_bytes) < 8:
        raise _refuse(path, "damaged (truncated)")
    (size,) = struct.unpack(">Q", size_bytes)
    if size > MAX_MANIFEST:
        raise _refuse(path, "damaged (its header is not readable)")
    raw = f.read(size)
    if len(raw) < size:
        raise _refuse(path, "damaged (truncated)")
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(path, "damaged (its header is not readable)") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("payload_size"), int):
        raise _refuse(path, "damaged (its header is not readable)")
    return manifest, len(MAGIC) + 8 + size


def check_whole(path: Path) -> dict[str, Any]:
    """Prove the backup at ``path`` is whole (size and SHA-256); returns its manifest."""
    with open(path, "rb") as f:
        manifest, offset = _head(path, f)
    expected = offset + manifest["payload_size"] + DIGEST
    actual = path.stat().st_size
    if actual < expected:
        raise _refuse(path, f"damaged (truncated: {actual:,} of {expected:,} bytes)")
    if actual > expected:
        raise _refuse(path, f"damaged ({actual - expected:,} bytes too many)")
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        left = expected - DIGEST
        while left:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                raise _refuse(path, "damaged (truncated)")
            digest.update(chunk)
            left -= len(chunk)
        if f.read(DIGEST) != digest.digest():
            raise _refuse(path, "damaged (checksum mismatch: a byte changed since it was made)")
    return manifest


@contextmanager
def payload_copy(path: Path, folder: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Prove the backup whole and give its payload as a file in ``folder`` (removed after)."""
    manifest = check_whole(path)
    with open(path, "rb") as f:
        _head(path, f)
        target = folder / f".payload-{os.getpid()}-{path.stem}"
        try:
            with open(target, "wb") as out:
                left = manifest["payload_size"]
                while left:
                    chunk = f.read(min(CHUNK, left))
                    out.write(chunk)
                    left -= len(chunk)
            yield manifest, target
        finally:
            target.unlink(missing_ok=True)
