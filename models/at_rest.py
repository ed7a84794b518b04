"""Is the SQLite database on an encrypted disk? KneeCheck relies on the operating system for that.

KneeCheck does not encrypt the database itself (see the README's "Security"): full-disk encryption
(LUKS on Linux, BitLocker on Windows, FileVault on macOS) also covers the -wal file, backups,
exported PDFs and the swap space, and needs no key handling in the app. This module lets
``verify`` say when it finds no such protection.

On Linux the answer comes from the kernel: the file's mount (``/proc/self/mountinfo``) names its
block device, and ``/sys/dev/block`` shows whether that device is, or sits entirely on, a dm-crypt
mapping (LUKS or plain dm-crypt, also under LVM). Elsewhere, and for file systems without a block
device (tmpfs, network shares), the answer is "unknown". Encryption a block device cannot show
(a self-encrypting drive, fscrypt, ZFS native encryption) is reported as "none found".
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

ENCRYPTED, NONE_FOUND, UNKNOWN = "encrypted", "none found", "unknown"


@dataclass(frozen=True)
class AtRest:
    state: str  # ENCRYPTED, NONE_FOUND or UNKNOWN
    detail: str  # how it was decided, for the message (no patient data: a device name or mount point)


def _unescape(field: str) -> str:
    # mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1:i + 4].isdigit():
            out.append(chr(int(field[i + 1:i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)


def mount_of(path: Path, mountinfo: str) -> tuple[str, str, str, str] | None:
    """(mount point, major:minor, file system type, source) of the mount holding ``path``."""
    best: tuple[str, str, str, str] | None = None
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 2:
            continue
        point = _unescape(fields[4])
        inside = path == Path(point) or Path(point) in path.parents
        if inside and (best is None or len(point) >= len(best[0])):  # the last, deepest mount wins
            best = (point, fields[2], tail[0], _unescape(tail[1]))
    return best


def _encrypted(device: str, sysfs: Path, depth: int = 0) -> bool:
    """True when block device ``major:minor`` is dm-crypt or lies entirely on dm-crypt devices."""
    node = sysfs / "dev" / "block" / device
    if depth > 16 or not node.exists():
        return False
    uuid = node / "dm" / "uuid"
    if uuid.exists() and uuid.read_text().startswith("CRYPT-"):
        return True
    slaves = sorted((node / "slaves").iterdir()) if (node / "slaves").is_dir() else []
    if not slaves:  # a partition's encryption shows on the partition itself, never on its disk
        return False
    return all(_encrypted((sysfs / "class" / "block" / s.name / "dev").read_text().strip(), sysfs, depth + 1)
               for s in slaves)


def database_at_rest(path: str | Path, *, proc: Path = Path("/proc"), sysfs: Path = Path("/sys"),
                     platform: str = sys.platform) -> AtRest:
    """Whether the disk under ``path`` is encrypted, as far as the operating system shows it."""
    if platform != "linux":
        return AtRest(UNKNOWN, f"cannot tell on {platform}; check BitLocker or FileVault")
    try:
        found = mount_of(Path(os.path.realpath(path)), (proc / "self" / "mountinfo").read_text())
        if found is None:
            return AtRest(UNKNOWN, "no mount found")
        point, device, fstype, source = found
        if device.startswith("0:"):  # no block device: tmpfs, overlay, network, btrfs subvolume
            if source.startswith("/dev/") and Path(source).exists():
                rdev = Path(source).stat().st_rdev
                device = f"{os.major(rdev)}:{os.minor(rdev)}"
            else:
                return AtRest(UNKNOWN, f"{fstype} at {point} has no block device to inspect")
        if _encrypted(device, sysfs):
            return AtRest(ENCRYPTED, f"dm-crypt under {point}")
        return AtRest(NONE_FOUND, f"{source} ({fstype} at {point}) is not on dm-crypt")
    except (OSError, ValueError) as exc:
        return AtRest(UNKNOWN, f"could not inspect the disk ({type(exc).__name__})")
