"""Build KneeCheck's Debian package from the PyInstaller bundle, and check it (``make package``).

    python packaging/build_deb.py [--bundle dist/pyinstaller/kneecheck] [--out dist] [--version V]
                                  [--stage DIR] [--compression xz|gzip|none] [--no-check]

The package (``dist/kneecheck_<version>_<arch>.deb``, built with ``dpkg-deb --root-owner-group``,
no fakeroot needed) installs:

- the bundle under ``/opt/kneecheck`` and the command ``/usr/bin/kneecheck`` (a symlink to it);
- ``/usr/share/applications/<APP_ID>.desktop``, the icon (``packaging/icons/kneecheck.svg``) in
  ``/usr/share/icons/hicolor/scalable`` and as PNGs rendered here with ``rsvg-convert`` in the
  usual hicolor sizes, and ``/usr/share/metainfo/<APP_ID>.metainfo.xml`` (AppStream);
- the manual page, ``/usr/share/doc/kneecheck/{copyright,changelog.gz}`` and lintian's overrides.

The version is ``models.APP_VERSION`` unless ``--version`` gives another (the frozen-build test
builds "the next version" so). Depends: the packages in packaging/debian/depends.txt, and the
package of every library a binary of the bundle needs (DT_NEEDED) that the bundle does not hold,
found with ``ldconfig -p`` and ``dpkg -S`` where it builds: a library no package provides stops the
build. Then, unless ``--no-check``: ``desktop-file-validate``, ``appstreamcli validate --no-net``
and ``lintian`` (errors fail the build; warnings are printed).
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import hashlib
import os
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path

import elf_tidy  # packaging/elf_tidy.py, beside this file

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
DEBIAN = HERE / "debian"
APP_ID = "invalid.kneecheck.KneeCheck"  # reverse DNS of the project's placeholder domain kneecheck.invalid
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
INSTALL_DIR = "opt/kneecheck"


def app_version() -> str:
    sys.path.insert(0, str(ROOT))
    from models import APP_VERSION

    return APP_VERSION


def run(argv: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, check=True, text=True, capture_output=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def fill(template: Path, values: dict[str, str]) -> str:
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", value)
    if "@" in text.replace("@kneecheck.invalid", ""):
        raise SystemExit(f"{template}: a placeholder was left unfilled")
    return text


def write(path: Path, data: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    path.chmod(mode)


def gzip_bytes(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)  # -n: no name, no time: reproducible


def is_elf(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(4) == b"\x7fELF"


def copy_bundle(bundle: Path, target: Path) -> None:
    """The bundle as it is, less dangling symlinks (PyInstaller leaves one for each library the
    spec took out), its binaries tidied (packaging/elf_tidy.py: the spec did so for most; this
    catches those PyInstaller adds itself), with plain modes: folders and programs 0755, everything else 0644 (shared
    libraries need no execute bit to be loaded)."""
    shutil.copytree(bundle, target, symlinks=True)
    for path in sorted(target.rglob("*")):
        if path.is_symlink():
            if not path.exists():
                path.unlink()
        elif path.is_dir():
            path.chmod(0o755)
        else:
            if is_elf(path) and not elf_tidy.left_alone(str(path.relative_to(target))):
                elf_tidy.tidy(path, path)
            executable = path.stat().st_mode & stat.S_IXUSR and is_elf(path) and ".so" not in path.name
            path.chmod(0o755 if executable or path == target / "kneecheck" else 0o644)


def needed_packages(tree: Path) -> tuple[set[str], list[str]]:
    """(Debian packages providing the libraries the bundle's binaries need and do not hold, the
    sonames no installed package provides)."""
    held = {p.name for p in tree.rglob("*") if p.is_file() or p.is_symlink()}
    needed: set[str] = set()
    for path in tree.rglob("*"):
        if path.is_file() and not path.is_symlink() and is_elf(path):
            dynamic = subprocess.run(["readelf", "-d", "-W", str(path)], capture_output=True, text=True).stdout
            for line in dynamic.splitlines():
                if "(NEEDED)" in line:
                    needed.add(line.split("[", 1)[1].rstrip("]"))
    missing = sorted(needed - held)
    cache: dict[str, str] = {}
    for line in run(["ldconfig", "-p"]).stdout.splitlines()[1:]:
        name, _, found_at = line.strip().partition(" => ")
        if "x86-64" in name or "64bit" in name or os.uname().machine not in ("x86_64", "aarch64"):
            cache.setdefault(name.split(" ", 1)[0], found_at)
    packages, unknown = set(), []
    for soname in missing:
        lib = cache.get(soname)
        owner = subprocess.run(["dpkg", "-S", os.path.realpath(lib)] if lib else ["false"],
                               capture_output=True, text=True)
        if owner.returncode != 0 and lib:  # /lib and /usr/lib are one folder on Debian 12 (merged /usr)
            owner = subprocess.run(["dpkg", "-S", lib], capture_output=True, text=True)
        if owner.returncode != 0:
            unknown.append(soname)
            continue
        packages.add(owner.stdout.split(":", 1)[0].split(",")[0].strip())
    return packages, unknown


def listed_packages() -> list[str]:
    lines = (DEBIAN / "depends.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def build_tree(bundle: Path, stage: Path, version: str) -> Path:
    if stage.exists():
        shutil.rmtree(stage)
    copy_bundle(bundle, stage / INSTALL_DIR)
    usr = stage / "usr"
    (usr / "bin").mkdir(parents=True)
    os.symlink(f"/{INSTALL_DIR}/kneecheck", usr / "bin" / "kneecheck")
    now = time.time()
    values = {"APP_ID": APP_ID, "VERSION": version, "APP_VERSION": app_version(),
              "DATE": time.strftime("%Y-%m-%d", time.gmtime(now)),
              "CHANGELOG_DATE": email.utils.formatdate(now, usegmt=False)}
    write(usr / "share" / "applications" / f"{APP_ID}.desktop", fill(DEBIAN / "kneecheck.desktop.in", values))
    write(usr / "share" / "metainfo" / f"{APP_ID}.metainfo.xml", fill(DEBIAN / "metainfo.xml.in", values))
    icons = usr / "share" / "icons" / "hicolor"
    svg = HERE / "icons" / "kneecheck.svg"
    write(icons / "scalable" / "apps" / f"{APP_ID}.svg", svg.read_bytes())
    for size in PNG_SIZES:
        png = icons / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        png.parent.mkdir(parents=True, exist_ok=True)
        run(["rsvg-convert", "-w", str(size), "-h", str(size), "-o", str(png), str(svg)])
        png.chmod(0o644)
    write(usr / "share" / "man" / "man1" / "kneecheck.1.gz", gzip_bytes((DEBIAN / "kneecheck.1").read_bytes()))
    doc = usr / "share" / "doc" / "kneecheck"
    write(doc / "copyright", (DEBIAN / "copyright").read_bytes())
    write(doc / "changelog.gz", gzip_bytes(fill(DEBIAN / "changelog", values).encode()))
    write(usr / "share" / "lintian" / "overrides" / "kneecheck", (DEBIAN / "lintian-overrides").read_bytes())
    for path in [stage, *stage.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)

    found, unknown = needed_packages(stage / INSTALL_DIR)
    if unknown:
        raise SystemExit(f"build_deb: no installed Debian package provides {', '.join(unknown)}, which the bundle "
                         "needs: install it (or take the library into the bundle) and build again")
    depends = sorted(set(listed_packages()) | found)
    size_kib = sum(p.lstat().st_size for p in stage.rglob("*") if not p.is_dir()) // 1024 + 1
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    values.update({"ARCH": arch, "INSTALLED_SIZE": str(size_kib), "DEPENDS": ", ".join(depends)})
    control = stage / "DEBIAN"
    write(control / "control", fill(DEBIAN / "control.in", values))
    sums = []
    for path in sorted(p for p in stage.rglob("*") if p.is_file() and not p.is_symlink() and control not in p.parents):
        sums.append(f"{hashlib.md5(path.read_bytes()).hexdigest()}  {path.relative_to(stage)}\n")
    write(control / "md5sums", "".join(sums))
    control.chmod(0o755)
    return stage


def check(deb: Path, stage: Path) -> None:
    """The three validators; raises SystemExit when one fails (lintian: on errors only)."""
    desktop = stage / "usr" / "share" / "applications" / f"{APP_ID}.desktop"
    metainfo = stage / "usr" / "share" / "metainfo" / f"{APP_ID}.metainfo.xml"
    failed = []
    for name, argv in (("desktop-file-validate", ["desktop-file-validate", str(desktop)]),
                       ("appstreamcli validate", ["appstreamcli", "validate", "--no-net", "--pedantic", str(metainfo)])):
        result = subprocess.run(argv, capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        print(f"{name}: {'passed' if result.returncode == 0 else 'FAILED'}" + (f"\n{output}" if output else ""))
        if result.returncode != 0:
            failed.append(name)
    result = subprocess.run(["lintian", "--display-info", "--tag-display-limit", "0", str(deb)],
                            capture_output=True, text=True)
    tags = [line for line in (result.stdout + result.stderr).splitlines() if line[:2] in ("E:", "W:", "I:", "P:")]
    errors = [line for line in tags if line.startswith("E:")]
    warnings = [line for line in tags if line.startswith("W:")]
    infos: dict[str, int] = {}
    for line in tags:
        if line[:2] in ("I:", "P:"):
            infos[line.split()[2]] = infos.get(line.split()[2], 0) + 1
    print(f"lintian: {len(errors)} errors, {len(warnings)} warnings, {sum(infos.values())} informational tags ("
          + ", ".join(f"{tag} {n}" for tag, n in sorted(infos.items())) + ")"
          + "".join(f"\n  {line}" for line in errors + warnings))
    if errors or result.returncode not in (0, 1) or (result.returncode == 1 and not tags):
        failed.append("lintian")
    if failed:
        raise SystemExit(f"build_deb: {', '.join(failed)} failed on {deb}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bundle", type=Path, default=ROOT / "dist" / "pyinstaller" / "kneecheck")
    parser.add_argument("--out", type=Path, default=ROOT / "dist")
    parser.add_argument("--version", help="the package's version (default: models.APP_VERSION)")
    parser.add_argument("--stage", type=Path, default=None, help="where the tree is laid out (default: build/deb)")
    parser.add_argument("--compression", choices=("xz", "gzip", "none"), default="xz")
    parser.add_argument("--no-check", action="store_true", help="skip the validators")
    args = parser.parse_args(argv)
    if not (args.bundle / "kneecheck").is_file():
        raise SystemExit(f"build_deb: no bundle at {args.bundle}: run PyInstaller first (make package)")
    version = args.version or app_version()
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    stage = build_tree(args.bundle, (args.stage or ROOT / "build" / "deb") / f"kneecheck_{version}_{arch}", version)
    args.out.mkdir(parents=True, exist_ok=True)
    deb = args.out / f"kneecheck_{version}_{arch}.deb"
    run(["dpkg-deb", "--root-owner-group", f"-Z{args.compression}", "--build", str(stage), str(deb)])
    bundle_bytes = sum(p.lstat().st_size for p in (stage / INSTALL_DIR).rglob("*") if not p.is_dir())
    print(f"{deb}: {deb.stat().st_size / 1e6:.1f} MB; installs {bundle_bytes / 1e6:.1f} MB under /{INSTALL_DIR}")
    if not args.no_check:
        check(deb, stage)
    return 0


if __name__ == "__main__":
    sys.exit(main())
