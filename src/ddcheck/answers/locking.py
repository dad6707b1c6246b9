"""One writer per assessment file: a second session is refused, never silently overwrites.

Why ``fcntl.flock`` on a sidecar ``FILE.lock`` rather than an ``O_CREAT|O_EXCL`` marker file: the
kernel releases a flock when its process ends for any reason — Ctrl-C, a crash, ``kill -9``, a
closed laptop lid that ends the SSH session — so there is no stale-lock story to tell an analyst
and no "delete this file if you are sure" advice that could let two sessions write at once. The
lock file only carries who holds it (pid, user, host, since when) for the refusal message; a
leftover one after a crash is harmless and is reused.

The lock is on a sidecar, not on the assessment itself, because saving replaces the assessment
by ``rename`` (atomic save), which would move a lock held on the old inode out of the way.
flock is advisory and, on some network filesystems, local to one machine: keep assessments that
several people share in version control rather than on one NFS folder.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
import socket
from pathlib import Path
from types import TracebackType

from ..errors import ConflictError, InputError, display_path
from ..files import real_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: no flock; AssessmentLock.acquire then runs unlocked
    fcntl = None  # type: ignore[assignment]


def lock_path(path: Path) -> Path:
    """``answers.yaml`` -> ``answers.yaml.lock`` beside it."""
    return path.with_name(path.name + ".lock")


class AssessmentLock:
    """Exclusive lock on an assessment file for the life of a session (a context manager)."""

    def __init__(self, path: Path):
        self.path = path
        self.lock_file = lock_path(real_path(path))  # a link and its target share one lock
        self._fd: int | None = None

    def acquire(self) -> AssessmentLock:
        if fcntl is None:  # pragma: no cover - platform without flock: run unlocked rather than not at all
            return self
        while True:
            try:
                fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise InputError(f"{display_path(self.path)}: cannot create the lock file "
                                 f"{display_path(self.lock_file)}: {exc.strerror}") from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise ConflictError(
                    f"{display_path(self.path)} is open in another ddcheck session{holder}; "
                    "finish or quit that session first (its lock ends with it, even if it crashed)"
                ) from None
            # Another session may have removed the lock file between our open and our flock; then we
            # hold a lock on an orphaned inode and must start again on the file now at that path.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_file))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        self._fd = fd
        _write_holder(fd)
        return self

    def release(self) -> None:
        if self._fd is None:
            return
        try:
            os.unlink(self.lock_file)  # while still holding it, so no one locks the old inode after us
        except OSError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> AssessmentLock:
        return self.acquire()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _write_holder(fd: int) -> None:
    try:
        user = getpass.getuser()
    except Exception:  # pragma: no cover - no user name in some containers
        user = "?"
    info = {"pid": os.getpid(), "user": user, "host": socket.gethostname(),
            "since": dt.datetime.now().astimezone().replace(microsecond=0).isoformat()}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info) + "\n").encode("utf-8"), 0)


def _read_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8") or "{}")
        return f" (pid {info['pid']}, {info['user']} on {info['host']}, since {info['since']})"
    except (ValueError, KeyError, TypeError, OSError):
        return ""
