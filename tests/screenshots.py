"""The window's screenshots in docs/screenshots/, at each exam-room screen size: a fresh Xvfb screen
of that size with openbox, a first start (so the window opens maximised), a patient and a draft
visit half way through (tests/screens_child.py: key items, a few more, a red flag answered "yes"
so its alert shows, the live assessment beside it). Deterministic: a new database and new
workstation settings each time, a fixed encounter date, the database named the same.

Usage: python -m tests.screenshots [FOLDER]     (make screenshots; FOLDER defaults to docs/screenshots)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LANGUAGE_SHOTS = ("de",)
SIZES = ((1024, 768), (1280, 720), (1366, 768), (1920, 1080))
ROOT = Path(__file__).resolve().parent.parent
DATABASE = "sqlite:///kneecheck-screens.db"  # relative: the child runs in a new folder


def file_name(width: int, height: int) -> str:
    return f"window-{width}x{height}.png"


def take(width: int, height: int, target: Path, language: str = "") -> dict[str, object]:
    """One screenshot of the whole ``width`` x ``height`` screen into ``target`` (in ``language``)."""
    from tests.xserver import x_display

    with tempfile.TemporaryDirectory() as folder, x_display(width, height) as env:
        env = dict(env, XDG_CONFIG_HOME=os.path.join(folder, "settings"), KNEECHECK_SCREENS_LANGUAGE=language,
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        run = subprocess.run([sys.executable, "-m", "tests.screens_child", DATABASE, "shot", str(target)],
                             env=env, cwd=folder, capture_output=True, text=True, timeout=120)
        if run.returncode != 0:
            raise RuntimeError(f"screenshot at {width}x{height} failed:\n{run.stderr[-2000:]}")
        return json.loads(run.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    missing = [tool for tool in ("Xvfb", "openbox") if shutil.which(tool) is None]
    if missing:
        print(f"screenshots need {' and '.join(missing)} (Debian: apt-get install xvfb openbox)", file=sys.stderr)
        return 2
    folder = Path(argv[0] if argv else ROOT / "docs" / "screenshots").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        target = folder / file_name(width, height)
        took = take(width, height, target)
        print(f"{target}: {took['size'][0]}x{took['size'][1]}")  # type: ignore[index]
    follow_up_shots(folder)
    for language in LANGUAGE_SHOTS:  # the window and a summary in German at 1366x768
        target = folder / f"window-1366x768-{language}.png"
        take(1366, 768, target, language)
        print(target)
        follow_up_shots(folder, language)
    return 0


def follow_up_shots(folder: Path, language: str = "") -> None:
    """The panel with the leg map and "Since the visit of", and that visit's summary (page 1)."""
    from tests.xserver import x_display

    with tempfile.TemporaryDirectory() as work, x_display(1366, 768) as env:
        env = dict(env, XDG_CONFIG_HOME=os.path.join(work, "settings"), KNEECHECK_SCREENS_LANGUAGE=language,
                   PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])))
        run = subprocess.run([sys.executable, "-m", "tests.follow_up_shots", DATABASE, str(folder)],
                             env=env, cwd=work, capture_output=True, text=True, timeout=180)
        if run.returncode != 0:
            raise RuntimeError(f"follow-up screenshots failed:\n{run.stderr[-2000:]}")
    suffix = f"-{language}" if language else ""
    print(f"{folder}: window-map-follow-up-1366x768{suffix}.png, panel-map-follow-up{suffix}.png, "
          f"summary-follow-up{suffix}.png")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
