"""The assessment file on disk."""

from __future__ import annotations


def test_new_assessment_file_follows_umask(tmp_path):
    """A new file is as shareable as any other file the analyst creates, not private to them."""
    import os

    from ddcheck.answers.assessment import write_atomic

    old = os.umask(0o022)
    try:
        write_atomic(tmp_path / "new.yaml", b"x: 1\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.yaml").stat().st_mode & 0o777 == 0o644
