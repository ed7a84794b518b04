"""The Help menu and Sign out in the real window under a window manager (Xvfb + openbox): F1 opens
the keyboard shortcuts, Escape closes them and the window has the keys again; in the File menu O
(Sign out's mnemonic) signs out; another clinician signs in on the sign-in page by keys. The window
runs in a child process (tests/help_child.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.xserver import x_display

ROOT = Path(__file__).resolve().parent.parent


def test_f1_and_sign_out_by_keys_in_the_real_window(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'kc.db'}"
    with x_display(1366, 768) as env:
        env = {**env, "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_STATE_HOME": str(tmp_path / "state"),
               "XDG_DATA_HOME": str(tmp_path / "data")}
        done = subprocess.run([sys.executable, "-m", "tests.help_child", url], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["active"]
    assert result["f1_dialog"] == "ShortcutsDialog" and result["f1_visible"]
    assert result["f1_rows"]["Keyboard shortcuts"] == "F1" and result["f1_rows"]["Lock now"] == "Ctrl+L"
    assert not result["after_f1_modal"] and result["active_again"]  # Escape closed it; the window has the keys again
    assert result["file_menu"] and result["signed_out"]
    assert result["focus_after_sign_out"] == "sign_in_name"
    assert result["signed_in"] == "Dr Bea Second"
    assert result["audit"] == [["signed_out", "Dr Ada Example"], ["signed_in", "Dr Bea Second"]]
