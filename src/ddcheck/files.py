"""The one way ddcheck opens input files and writes output files.

Why not ``Path.read_bytes()`` and ``os.replace(tmp, path)``: an input named on the command line or
found in a checklist folder may be a FIFO (``open`` blocks for ever), a device such as ``/dev/zero``
(its reported size is 0, so a size check before reading lets it grow memory without bound), a
symbolic-link loop, or a folder. Inputs are therefore opened without blocking, checked to be regular
files on the open descriptor (no race with a rename), and read with a real byte limit.

An output that is a symbolic link is written *through* the link: the temporary file is created
beside the real target (so the final rename never crosses file systems: no EXDEV) and the link
stays a link. Callers lock :func:`real_path` too, so two names for one file share one lock.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from .errors import BrokenInput, InputError, Problem, display_path

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a pipe (FIFO)"), (stat.S_ISCHR, "a device"),
          (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


def _os_error(shown: str, exc: OSError, doing: str = "cannot read") -> InputError:
    """One clear line for what the operating system refused."""
    if exc.errno == errno.ENOENT:
        return InputError(f"{shown}: no such file (check the path)")
    if exc.errno == errno.ELOOP:
        return InputError(f"{shown}: {doing}: symbolic link loop (fix or remove the link)")
    if exc.errno == errno.EISDIR:
        return InputError(f"{shown}: is a folder; give a file")
    return InputError(f"{shown}: {doing}: {exc.strerror or exc}")


def read_regular(path: Path | str, shown: str, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit`` of them.

    Anything else (FIFO, device, socket, folder, link loop, missing) is an ``InputError`` (exit 2,
    one line). A file longer than ``limit`` is a ``BrokenInput`` located where the limit falls.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{shown}: is {_kind(mode)}, not a regular file; give a file")
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise _os_error(shown, exc) from None
    finally:
        os.close(fd)
    data = b"".join(chunks)
    if len(data) > limit:
        line = data.count(b"\n", 0, limit) + 1
        col = limit - (data.rfind(b"\n", 0, limit) + 1) + 1
        raise BrokenInput([Problem(shown, line, col,
                                   f"the file is over the {limit:,} byte limit; reading stopped here",
                                   "split it into several files")])
    return data


def real_path(path: Path) -> Path:
    """Where ``path`` really is (links followed); a link loop is a one-line ``InputError``."""
    try:
        real = Path(os.path.realpath(path, strict=False))
    except (OSError, RuntimeError, ValueError) as exc:  # pragma: no cover - realpath(strict=False) rarely raises
        raise InputError(f"{display_path(path)}: cannot resolve the path: {exc}") from None
    if os.path.islink(real):  # realpath stops at a loop and returns a link
        raise InputError(f"{display_path(path)}: symbolic link loop (fix or remove the link)")
    return real


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` (or the file its link points to) with ``data``, atomically and durably.

    Temporary file beside the real target, fsync, rename, fsync of the folder: a reader or a crash
    sees the old file or the new one, never half of one. A link stays a link.
    """
    shown = display_path(path)
    target = real_path(path)
    if target.is_dir():
        raise InputError(f"{shown}: is a folder; give a file name")
    if target.exists() and not target.is_file():
        raise InputError(f"{shown}: is {_kind(target.stat().st_mode)}, not a regular file; give a file name")
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise InputError(f"{shown}: cannot write in {display_path(folder)}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); keep the old file's mode, or the usual umask one.
        os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        os.replace(tmp, target)
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError as exc:
        _remove(tmp)
        raise _os_error(shown, exc, "cannot write") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
