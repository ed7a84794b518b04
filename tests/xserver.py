"""A real X server (Xvfb) with a window manager (openbox) for the tests that must meet the window as
a clinician does: focus, activation and Tab handled by a window system, not the offscreen plugin."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

TOOLS = ("Xvfb", "openbox")


def require_tools() -> None:
    """Skip with the reason when Xvfb or openbox is missing; under CI=true that is a failure."""
    missing = [t for t in TOOLS if shutil.which(t) is None]
    if missing:
        reason = f"{', '.join(missing)} not installed (make test installs xvfb and openbox on Debian)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@contextlib.contextmanager
def x_display(width: int = 1920, height: int = 1080) -> Iterator[dict[str, str]]:
    """Start Xvfb on a free display and openbox on it; yield the environment for a child process."""
    require_tools()
    read, write = os.pipe()
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24",
                             "-nolisten", "tcp", "-noreset"], pass_fds=(write,),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    try:
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        env = dict(os.environ, DISPLAY=f":{number}", QT_QPA_PLATFORM="xcb")
        env.pop("WAYLAND_DISPLAY", None)
        wm = subprocess.Popen(["openbox", "--sm-disable"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            time.sleep(0.5)  # openbox takes the screen before the window maps
            yield env
        finally:
            wm.terminate()
            wm.wait(10)
    finally:
        xvfb.terminate()
        xvfb.wait(10)
