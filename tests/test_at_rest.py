"""Encryption at rest is the operating system's job; ``verify`` says when it finds none.

The detection reads the kernel's view (``/proc/self/mountinfo``, ``/sys/dev/block``); here it runs
on small fake trees for the layouts clinics use: a plain disk, LUKS on a partition, LVM on LUKS,
LVM on a plain disk, tmpfs. The app refuses nothing either way: the warning is advice on stderr.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import main
from models import at_rest
from models.at_rest import ENCRYPTED, NONE_FOUND, UNKNOWN, AtRest, database_at_rest
from models.case import EncounterInfo, Patient
from models.store import Actor, Store

MOUNTINFO = """\
27 1 254:0 / / rw,relatime - ext4 /dev/vda1 rw
40 27 253:0 / /home rw,relatime - ext4 /dev/mapper/luks-home rw
41 27 253:2 / /srv rw,relatime - xfs /dev/mapper/vg-srv rw
42 27 253:4 / /data rw,relatime - ext4 /dev/mapper/vg-plain rw
43 27 0:30 / /run/user/1000 rw - tmpfs tmpfs rw
44 40 253:0 / /home/with\\040space rw - ext4 /dev/mapper/luks-home rw
"""


def _device(sysfs: Path, name: str, dev: str, *, crypt: bool = False, slaves: tuple[str, ...] = ()) -> None:
    node = sysfs / "dev" / "block" / dev
    node.mkdir(parents=True)
    (sysfs / "class" / "block" / name).mkdir(parents=True)
    (sysfs / "class" / "block" / name / "dev").write_text(dev + "\n")
    if crypt or slaves:
        (node / "dm").mkdir()
        (node / "dm" / "uuid").write_text(("CRYPT-LUKS2-abc-luks" if crypt else "LVM-xyz") + "\n")
    (node / "slaves").mkdir()
    for slave in slaves:
        (node / "slaves" / slave).touch()


@pytest.fixture(name="machine")
def machine_fixture(tmp_path: Path) -> tuple[Path, Path]:
    proc, sysfs = tmp_path / "proc", tmp_path / "sys"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "mountinfo").write_text(MOUNTINFO)
    _device(sysfs, "vda1", "254:0")                                    # plain partition
    _device(sysfs, "vda2", "254:2")
    _device(sysfs, "dm-0", "253:0", crypt=True, slaves=("vda2",))      # LUKS on a partition
    _device(sysfs, "dm-1", "253:1", crypt=True, slaves=("vda2",))      # LUKS holding an LVM volume group
    _device(sysfs, "dm-2", "253:2", slaves=("dm-1",))                  # LVM on LUKS
    _device(sysfs, "dm-4", "253:4", slaves=("vda1",))                  # LVM on a plain partition
    return proc, sysfs


@pytest.mark.parametrize(("path", "state"), [
    ("/var/lib/kneecheck/kneecheck.db", NONE_FOUND),
    ("/home/ada/.local/share/KneeCheck/kneecheck.db", ENCRYPTED),
    ("/home/with space/kneecheck.db", ENCRYPTED),
    ("/srv/kneecheck/kneecheck.db", ENCRYPTED),
    ("/data/kneecheck.db", NONE_FOUND),
    ("/run/user/1000/kneecheck.db", UNKNOWN),
])
def test_disk_encryption_is_read_from_the_kernel(machine: tuple[Path, Path], path: str, state: str) -> None:
    proc, sysfs = machine
    assert database_at_rest(path, proc=proc, sysfs=sysfs).state == state


def test_other_systems_are_unknown_not_guessed(machine: tuple[Path, Path]) -> None:
    proc, sysfs = machine
    result = database_at_rest("/home/ada/kneecheck.db", proc=proc, sysfs=sysfs, platform="win32")
    assert result.state == UNKNOWN and "BitLocker" in result.detail


def _database_with_a_final_encounter(url: str) -> None:
    actor = Actor("Dr Ada Example", "tester", "exam-room-1")
    with Store.open(url) as store:
        patient = store.create_patient(Patient("E-1", "Atrest", "Ada", dt.date(1960, 1, 1), "female"), actor)
        draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"),
                                   {}, "", actor)
        store.finalize(draft.id, draft.version, actor)


@pytest.mark.parametrize("state", [ENCRYPTED, NONE_FOUND, UNKNOWN])
def test_verify_warns_on_an_unencrypted_disk_and_refuses_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                 capsys: pytest.CaptureFixture[str],
                                                                 state: str) -> None:
    url = f"sqlite:///{tmp_path}/kc.db"
    _database_with_a_final_encounter(url)
    seen: list[str] = []

    def fake(path: str | Path) -> AtRest:
        seen.append(str(path))
        return AtRest(state, "/dev/vda1 (ext4 at /) is not on dm-crypt")

    monkeypatch.setattr(at_rest, "database_at_rest", fake)
    assert main.main(["--db", url, "verify"]) == 0  # the records verify whatever the disk
    out, err = capsys.readouterr()
    assert out.startswith("all 1 revisions verified")
    assert seen == [str(tmp_path / "kc.db")]  # the database file itself was looked at
    if state == NONE_FOUND:
        assert err.count("\n") == 1 and err.startswith("kneecheck: warning: no disk encryption found")
        assert "LUKS, BitLocker, FileVault" in err
    else:
        assert err == ""
    # And the store opens and writes on any disk: encryption at rest is advice, not a gate.
    with Store.open(url) as store:
        assert store.find_patients("Atrest")
