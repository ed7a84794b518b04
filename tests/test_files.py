"""Files with patient data: owner-only, atomic, and never over an existing file unless asked."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from models.files import FileWriteError, write_private_file
from tests.helpers import CASES_DIR
from tests.test_cli_assess import assert_user_error, run_main


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_new_file_is_owner_only_even_with_an_open_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        write_private_file(tmp_path / "a.pdf", b"%PDF-1.4 x", overwrite=False)
    finally:
        os.umask(old)
    assert (tmp_path / "a.pdf").read_bytes() == b"%PDF-1.4 x"
    assert _mode(tmp_path / "a.pdf") == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]  # no temporary file left


def test_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"earlier summary")
    with pytest.raises(FileWriteError, match="already exists"):
        write_private_file(target, b"new", overwrite=False)
    assert target.read_bytes() == b"earlier summary"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf"]


def test_overwrite_replaces_and_tightens_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "a.pdf"
    target.write_bytes(b"old")
    target.chmod(0o644)
    write_private_file(target, b"new", overwrite=True)
    assert target.read_bytes() == b"new" and _mode(target) == 0o600


@pytest.mark.parametrize(("name", "words"), [(".", "is a folder"), ("missing/a.pdf", "does not exist")])
def test_bad_targets(tmp_path: Path, name: str, words: str) -> None:
    with pytest.raises(FileWriteError, match=words):
        write_private_file(tmp_path / name, b"x", overwrite=False)


def test_report_never_overwrites(tmp_path: Path) -> None:
    out = tmp_path / "summary.pdf"
    out.write_bytes(b"keep me")
    assert_user_error(run_main("report", str(CASES_DIR / "hip_referred.json"), "-o", str(out)), "already exists")
    assert out.read_bytes() == b"keep me"


def test_a_file_system_without_hard_links_still_never_overwrites(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """FAT or exFAT USB sticks and some network shares refuse hard links (EPERM): the file is then
    created exclusively and filled, owner-only; an existing file is still refused."""
    import errno
    import os

    from models import files

    def no_links(src: str, dst: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(files.os, "link", no_links)
    target = tmp_path / "on-a-usb-stick.pdf"
    files.write_private_file(target, b"%PDF-1.7 data", overwrite=False)
    assert target.read_bytes() == b"%PDF-1.7 data" and target.stat().st_mode & 0o777 == 0o600
    with pytest.raises(files.FileWriteError, match="already exists"):
        files.write_private_file(target, b"other", overwrite=False)
    assert target.read_bytes() == b"%PDF-1.7 data"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["on-a-usb-stick.pdf"]  # no temporary file left
    assert os.stat(target).st_nlink == 1
