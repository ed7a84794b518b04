"""Binaries copied without what they carry for debugging and for the machine they were built on
(Linux; used by kneecheck.spec for the bundle and by build_deb.py for the files PyInstaller adds
itself, such as the extension modules its bootstrap needs).

- ``strip --strip-unneeded`` when a binary has a symbol table or debug information (pyenv's or
  Debian's libpython and extension modules, SQLAlchemy's Cython modules, ...; 30 MB): the dynamic
  symbols stay, so nothing that links against it changes;
- its RUNPATH taken out when that names a folder of the build machine (an interpreter built with
  pyenv has ``/root/.pyenv/versions/3.11.x/lib`` there; ``$ORIGIN`` entries stay): the bundle finds
  its libraries itself.

Libraries that auditwheel patched (the wheels' ``*.libs/`` folders) are left as they are:
rewriting them again can break them, and they come stripped of debug information anyway.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

_RUNPATH = re.compile(r"\((?:RUNPATH|RPATH)\)\s+Library (?:runpath|rpath): \[(.*)\]")


def left_alone(dest: str) -> bool:
    return ".libs/" in dest.replace("\\", "/")


def findings(path: Path) -> tuple[bool, str | None]:
    """(has a symbol table or debug information, the RUNPATH to write instead when it names a
    folder outside the bundle: "" to remove it, else its ``$ORIGIN`` entries; None when fine)."""
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True).stdout
    dynamic = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
    unstripped = ".symtab" in sections or ".debug_info" in sections
    match = _RUNPATH.search(dynamic)
    if match is None:
        return unstripped, None
    entries = [entry for entry in match.group(1).split(":") if entry]
    if all(entry.startswith("$ORIGIN") for entry in entries):
        return unstripped, None
    return unstripped, ":".join(entry for entry in entries if entry.startswith("$ORIGIN"))


def tidy(source: Path, out: Path) -> bool:
    """Write ``source`` tidied to ``out`` (which may be ``source``); False when nothing was due
    (then ``out`` is not written)."""
    unstripped, runpath = findings(source)
    if not unstripped and runpath is None:
        return False
    out.parent.mkdir(parents=True, exist_ok=True)
    if unstripped:
        subprocess.run(["strip", "--strip-unneeded", "-o", str(out), str(source)], check=True)
    elif out != source:
        shutil.copy2(source, out)
    if runpath is not None:
        if shutil.which("patchelf") is None:
            print(f"elf_tidy: warning: {source} keeps a RUNPATH of the build machine; install patchelf",
                  file=sys.stderr)
        else:
            subprocess.run(["patchelf", "--set-rpath", runpath, str(out)] if runpath else
                           ["patchelf", "--remove-rpath", str(out)], check=True)
    return True
