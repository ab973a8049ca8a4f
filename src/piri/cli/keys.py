"""Single key presses from the terminal, with a timeout, for the session player.

When standard input is a terminal it is put in cbreak mode (keys arrive at
once, without Enter, and are not echoed) and restored on the way out, however
the session ends. Anywhere else (a pipe, /dev/null, a test) no key is ever
read: the reader only waits, so a session runs straight through.
"""

from __future__ import annotations

import os
import select
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class KeyReader(Protocol):
    def read(self, timeout: float) -> str | None:
        """Wait up to ``timeout`` seconds for a key; return it, or None if none came."""
        ...


class NoKeys:
    """Never reads a key; waiting is plain sleeping."""

    def read(self, timeout: float) -> str | None:
        if timeout > 0:
            time.sleep(timeout)
        return None


class TerminalKeys:
    """Reads keys from a terminal file descriptor that is already in cbreak mode."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def read(self, timeout: float) -> str | None:
        ready, _, _ = select.select([self.fd], [], [], max(timeout, 0.0))
        if not ready:
            return None
        data = os.read(self.fd, 1)
        if not data:  # the terminal went away: behave as if nothing was pressed
            time.sleep(max(timeout, 0.0))
            return None
        return data.decode("utf-8", errors="replace").lower()


@contextmanager
def key_reader() -> Iterator[KeyReader]:
    """A key reader for this process's standard input."""
    try:
        import termios
        import tty
    except ImportError:  # not a POSIX system: no raw keys
        yield NoKeys()
        return
    if not sys.stdin.isatty():
        yield NoKeys()
        return
    fd = sys.stdin.fileno()
    saved = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd)
        yield TerminalKeys(fd)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)
