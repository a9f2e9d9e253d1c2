"""Whether keys are on their way to the app: terminal input not read yet, or read and not yet
posted. The scan router asks before it releases held keys as typing, so a scan that a stalled
process (ours or the sender's) delivers late is not half typed into a field.
"""

from __future__ import annotations

import struct
import sys
import threading
from typing import Any

_INPUT_THREAD_NAME = "textual-input"  # Textual's Linux driver: reads and parses the terminal


def input_busy() -> bool:
    """Are keys on their way: terminal input not read yet, or read and not yet posted?

    Textual's input thread, idle, waits in ``selectors``' ``select``; anywhere else it is
    reading or parsing input whose keys it has not posted yet (and stamps late if the process
    was not scheduled). Bytes waiting on the terminal (FIONREAD) are keys not even read yet.
    Answers False when it cannot tell (another driver, another platform).
    """
    thread = next((t for t in threading.enumerate() if t.name == _INPUT_THREAD_NAME), None)
    if thread is None or thread.ident is None:
        return False
    frames: dict[int, Any] = getattr(sys, "_current_frames", dict)()
    frame = frames.get(thread.ident)
    if frame is not None:
        code = frame.f_code
        if not (code.co_name == "select" and code.co_filename.endswith("selectors.py")):
            return True
    return _unread_terminal_bytes() > 0


def _unread_terminal_bytes() -> int:
    try:
        import fcntl
        import termios

        stdin = sys.__stdin__
        if stdin is None:
            return 0
        buffer = fcntl.ioctl(stdin.fileno(), termios.FIONREAD, b"\0\0\0\0")
    except (ImportError, OSError, ValueError, AttributeError):
        return 0
    return int(struct.unpack("i", buffer)[0])
