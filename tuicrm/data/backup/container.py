"""The backup file: one file that carries its own proof of being whole.

Layout: the payload (a SQLite database, or a ``pg_dump`` archive for PostgreSQL), the manifest
(JSON), then a fixed footer: the manifest's length and the payload's (8 bytes each,
big-endian), ``MAGIC``, and the SHA-256 of every byte before the digest. The payload comes
first so that the verified copy becomes the backup file in place: the manifest and footer are
appended to it and the file renamed, instead of writing a gigabyte a second time.

A flipped byte anywhere, a truncated copy or a file that is not a backup is refused with one
line before anything is restored. A backup is finished under a temporary name, flushed to disk
and only then renamed to its final name (an atomic rename), so a backup folder never holds a
half-written file under a backup's name.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.errors import TuicrmError

MAGIC = b"TUICRM-BACKUP\n"
FORMAT = 2
SUFFIX = ".tcbak"
CHUNK = 1 << 20
DIGEST = 32
FOOTER = 8 + 8 + len(MAGIC) + DIGEST
MAX_MANIFEST = 16 << 20


class BackupRefused(TuicrmError):
    """A backup that must not be restored (damaged, unverified, too new, not a backup)."""


def _hash_file(path: Path, length: int, digest: Any) -> None:
    with open(path, "rb") as f:
        left = length
        while left:
            chunk = f.read(min(CHUNK, left))
            if not chunk:
                raise BackupRefused(f"{path.name}: damaged (truncated); not restored")
            digest.update(chunk)
            left -= len(chunk)


def publish(copy: Path, target: Path, manifest: dict[str, Any]) -> int:
    """Make the verified ``copy`` the backup file ``target``: append the manifest and the
    footer, flush, rename (atomic). ``copy`` is consumed. Returns the size."""
    payload_size = copy.stat().st_size
    manifest = {**manifest, "format": FORMAT, "payload_size": payload_size}
    head = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode("utf-8")
    tail = head + struct.pack(">QQ", len(head), payload_size) + MAGIC
    digest = hashlib.sha256()
    _hash_file(copy, payload_size, digest)
    digest.update(tail)
    with open(copy, "ab") as out:
        out.write(tail + digest.digest())
        out.flush()
        os.fsync(out.fileno())
    os.replace(copy, target)
    _sync_dir(target.parent)
    return target.stat().st_size


def write(target: Path, manifest: dict[str, Any], payload: Path) -> int:
    """Write a backup file ``target`` holding a copy of ``payload`` (left in place)."""
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        shutil.copyfile(payload, tmp)
        return publish(tmp, target, manifest)
    finally:
        tmp.unlink(missing_ok=True)


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


def _not_a_backup(path: Path) -> BackupRefused:
    if path.name.endswith(SUFFIX):  # named as a backup, but no footer: cut short
        return _refuse(path, "damaged (truncated, or its end is not readable)")
    return _refuse(path, "not a tuicrm backup (no backup footer; a backup ends in .tcbak)")


def read_manifest(path: Path) -> dict[str, Any]:
    """The manifest of the backup at ``path`` (its footer and manifest only: the checksum is
    not proved; see ``check_whole``). ``BackupRefused`` if it is not a backup or damaged."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as f:
            if size < FOOTER:
                raise _not_a_backup(path)
            f.seek(size - FOOTER)
            footer = f.read(FOOTER)
            head_len, payload_size = struct.unpack(">QQ", footer[:16])
            if footer[16:16 + len(MAGIC)] != MAGIC:
                raise _not_a_backup(path)
            if head_len > MAX_MANIFEST or payload_size + head_len + FOOTER != size:
                raise _refuse(path, "damaged (its footer does not match its size)")
            f.seek(payload_size)
            raw = f.read(head_len)
    except OSError as e:
        raise _refuse(path, f"cannot be read ({e.strerror or e})") from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _refuse(path, "damaged (its manifest is not readable)") from None
    if not isinstance(manifest, dict) or manifest.get("payload_size") != payload_size:
        raise _refuse(path, "damaged (its manifest does not match the file)")
    return manifest


def check_whole(path: Path) -> dict[str, Any]:
    """Prove the backup at ``path`` is whole (size and SHA-256); returns its manifest."""
    manifest = read_manifest(path)
    size = path.stat().st_size
    digest = hashlib.sha256()
    _hash_file(path, size - DIGEST, digest)
    with open(path, "rb") as f:
        f.seek(size - DIGEST)
        if f.read(DIGEST) != digest.digest():
            raise _refuse(path, "damaged (checksum mismatch: a byte changed since it was made)")
    return manifest


@contextmanager
def payload_copy(path: Path, folder: Path) -> Iterator[tuple[dict[str, Any], Path]]:
    """Prove the backup whole and give its payload as a file in ``folder`` (removed after)."""
    manifest = check_whole(path)
    target = folder / f".payload-{os.getpid()}-{path.stem}"
    try:
        with open(path, "rb") as f, open(target, "wb") as out:
            left = manifest["payload_size"]
            while left:
                chunk = f.read(min(CHUNK, left))
                out.write(chunk)
                left -= len(chunk)
        yield manifest, target
    finally:
        target.unlink(missing_ok=True)
