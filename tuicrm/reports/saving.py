"""Saving a file a user asked for (a receipt, a report, an exported list): where it goes, and
never harming another file.

- **Where.** A name without a folder goes into the folder of setting ``files.folder``; when
  that is empty, the user's documents folder (``~/Documents``, or what XDG names it; made
  if missing). ``~`` is the user's home. Every message names the whole path written.
- **Never through a symbolic link.** A link at the name is refused, whatever it points to
  (a receipt "saved" over a link once overwrote the link's target). The data is written to a
  new temporary file beside the target (``O_EXCL``: created, never opened) and then put in
  place, so no step opens an existing file for writing.
- **Never over a file without asking.** An existing file is replaced only when the caller
  says the user agreed (``overwrite=True``); otherwise ``FileExists`` is raised (the screens
  ask "Enter again to replace it"; the command line wants ``--overwrite``). Without
  ``overwrite`` the file is put in place with ``link()``, which fails if a file appeared at
  the name meanwhile.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..data.core.errors import TuicrmError
from ..i18n import _

FOLDER_SETTING = "files.folder"


class SaveError(TuicrmError):
    """The file cannot be written there (message fit to show beside the field)."""


class FileExists(SaveError):
    """A file of that name exists; the user has not said to replace it."""

    def __init__(self, path: Path) -> None:
        super().__init__(_("{path} exists: Enter again to replace it, or change the name")
                         .format(path=path))
        self.path = path


def output_folder() -> Path:
    """The folder files are saved in (setting ``files.folder``, else the documents folder)."""
    folder = ""
    with contextlib.suppress(Exception):  # no database open (a bare command): the default
        from ..data.core import settings

        folder = settings.get(FOLDER_SETTING).strip()
    if folder:
        return Path(folder).expanduser()
    from platformdirs import user_documents_dir

    documents = Path(user_documents_dir())
    # A new account on a server has no Documents folder: the first file saved makes it
    # (a folder set by the administrator is never made: a mistyped one is an error).
    with contextlib.suppress(OSError):
        documents.mkdir(mode=0o700, exist_ok=True)
    return documents


def resolve(name: str | os.PathLike[str]) -> Path:
    """The whole path a typed name stands for (a bare name: in ``output_folder()``)."""
    text = str(name).strip()
    if not text:
        raise SaveError(_("a file name is required"))
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = output_folder() / path
    return Path(os.path.abspath(path))


def check_target(path: Path, *, overwrite: bool = False) -> None:
    """Refuse a link, a folder or a device at ``path``, a missing folder, or (unless
    ``overwrite``) an existing file."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise SaveError(_("{path} is a symbolic link: tuicrm does not write through "
                              "links; choose another name").format(path=path))
        if not stat.S_ISREG(st.st_mode):
            raise SaveError(_("{path} is not a plain file").format(path=path))
        if not overwrite:
            raise FileExists(path)
    if not path.parent.is_dir():
        raise SaveError(_("no such folder: {folder}").format(folder=path.parent))


def place(tmp: str, path: Path, *, overwrite: bool) -> None:
    """Put the finished temporary file ``tmp`` at ``path`` (see the module docstring)."""
    check_target(path, overwrite=overwrite)
    if overwrite:
        os.replace(tmp, path)  # replaces a name; never opens or follows what was there
        return
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise FileExists(path) from None
    except OSError:  # a filesystem without hard links: the check above must do
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def write_with(path: Path, writer: Callable[[str], object], *, overwrite: bool = False
               ) -> Path:
    """``writer(tmp_path)`` writes the content to a new temporary file beside ``path``,
    which is then put in place; nothing is left behind on failure. Returns ``path``. The
    file is readable by its owner only (0600, as ``mkstemp`` makes it): receipts and lists
    hold customers' data."""
    check_target(path, overwrite=overwrite)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as e:
        raise SaveError(_("cannot write in {folder}: {reason}").format(
            folder=path.parent, reason=e.strerror or e)) from None
    os.close(fd)
    try:
        writer(tmp)
        place(tmp, path, overwrite=overwrite)
    except BaseException as e:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(e, OSError):
            raise SaveError(_("cannot write {path}: {reason}").format(
                path=path, reason=e.strerror or e)) from None
        raise
    return path


def write_bytes(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    def put(tmp: str) -> None:
        with open(tmp, "wb") as f:
            f.write(data)

    return write_with(path, put, overwrite=overwrite)


def write_text(path: Path, text: str, *, overwrite: bool = False) -> Path:
    return write_bytes(path, text.encode("utf-8"), overwrite=overwrite)



class AskBeforeReplacing:
    """For a save form: the first save to an existing file is refused with "Enter again to
    replace it" beside ``field``; saving the same path again replaces it."""

    def __init__(self, field: str = "file") -> None:
        self.field = field
        self.asked: Path | None = None

    def save(self, name: str, write: Callable[[Path, bool], object]) -> Path:
        """``write(path, overwrite)`` to the whole path ``name`` stands for; returns it."""
        from ..data.core.errors import ValidationError

        try:
            path = resolve(name)
            overwrite = self.asked == path
            write(path, overwrite)
        except FileExists as e:
            self.asked = e.path
            raise ValidationError({self.field: str(e)}) from None
        except SaveError as e:
            raise ValidationError({self.field: str(e)}) from None
        return path
