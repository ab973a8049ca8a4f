"""``piri handout FILE.pdf``: the printable program, written atomically (a temporary file in
the same folder, then renamed over FILE), so a failed or interrupted write never leaves half a
PDF behind. ``--html`` writes the same pages as one HTML file instead."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from piri.cli.output import EXIT_BAD_INPUT, stderr, stdout


class HandoutWriteError(OSError):
    """The file cannot be written where the person asked; the message names the path."""


def run_handout(path: Path, as_html: bool = False) -> int:
    from piri.services.handout import NoPlanYetError, handout_for

    try:
        target = writable_target(path)
        handout = handout_for()
    except HandoutWriteError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    except NoPlanYetError as error:
        stderr().print(f"[bold red]No plan yet.[/] {error}")
        return EXIT_BAD_INPUT
    from piri.handout.render import render_html, render_pdf_pages

    if as_html:
        data, what = render_html(handout).encode("utf-8"), "your program as HTML"
    else:
        data, pages = render_pdf_pages(handout)
        what = f"your program ({pages} page{'s' if pages != 1 else ''})"
    try:
        write_atomically(target, data)
    except HandoutWriteError as error:
        stderr().print(f"[bold red]Error:[/] {error}")
        return EXIT_BAD_INPUT
    stdout().print(f"Wrote {what}, to {target}")
    if handout.hold is not None:
        stdout().print(
            "It holds no exercises: your latest symptom check asks you to get care first."
        )
    return 0


def writable_target(path: Path) -> Path:
    """``path`` if a file can be written there; else HandoutWriteError naming the path."""
    path = path.expanduser()
    if path.is_dir():
        raise HandoutWriteError(f"{path} is a directory: give a file name, e.g. {path}/piri.pdf")
    parent = path.parent
    if not parent.is_dir():
        raise HandoutWriteError(f"cannot write {path}: the folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise HandoutWriteError(f"cannot write {path}: the folder {parent} is not writable")
    if path.exists() and not os.access(path, os.W_OK):
        raise HandoutWriteError(f"cannot write {path}: the file is not writable")
    return path


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise HandoutWriteError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).chmod(0o666 & ~_umask())  # as an ordinary new file would be
        Path(temporary).replace(path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise HandoutWriteError(f"cannot write {path}: {error.strerror}") from None


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
