"""One session per assessment file; a crashed session never leaves the file locked."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from ddcheck.errors import ConflictError
from ddcheck.answers.locking import AssessmentLock, lock_path

HOLD = """
import sys, time
from pathlib import Path
from ddcheck.answers.locking import AssessmentLock
AssessmentLock(Path(sys.argv[1])).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_a_second_session_is_refused_with_who_holds_the_file(tmp_path):
    target = tmp_path / "acme.yaml"
    with AssessmentLock(target):
        with pytest.raises(ConflictError) as info:
            AssessmentLock(target).acquire()
    message = str(info.value)
    assert "acme.yaml is open in another ddcheck session" in message
    assert f"(pid {os.getpid()}, " in message
    assert "finish or quit that session first" in message
    assert info.value.exit_code == 3


def test_the_lock_ends_with_the_session_and_leaves_no_file(tmp_path):
    target = tmp_path / "acme.yaml"
    with AssessmentLock(target):
        assert lock_path(target).exists()
    assert not lock_path(target).exists()
    with AssessmentLock(target):  # free again
        pass


def test_a_session_killed_with_sigkill_does_not_leave_a_stale_lock(tmp_path):
    target = tmp_path / "acme.yaml"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(target)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(ConflictError, match=f"pid {holder.pid}"):
            AssessmentLock(target).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=10)
    finally:
        if holder.poll() is None:
            holder.kill()
    assert lock_path(target).exists()  # the leftover file is harmless: the kernel released the lock
    with AssessmentLock(target):
        pass

