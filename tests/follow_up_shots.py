"""Run by tests/screenshots.py under Xvfb and openbox: the panel with the leg map and "Since the visit
of" for a patient seen three times (tests/test_follow_up.three_visits), and the summary of that visit.

Usage: python -m tests.follow_up_shots SQLITE_URL FOLDER   ($KNEECHECK_SCREENS_LANGUAGE: in that language,
the files named with -LANG)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    url, folder = argv[0], Path(argv[1])
    import pytest
    from PySide6.QtTest import QTest

    from models.follow_up import checklist_order, follow_up, visit_of
    from models.records import summary_status
    from models.store import Store
    from reports.summary import render_summary
    from tests.test_follow_up import three_visits
    from tests.ui_helpers import SIGNED_IN
    from ui.app import application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    _app = application()  # kept: the application lives as long as main()
    language = os.environ.get("KNEECHECK_SCREENS_LANGUAGE", "")
    suffix = f"-{language}" if language else ""
    if language:
        from ui.i18n import install

        install(language)
    store = Store.open(url)
    third, history = three_visits(store, pytest.MonkeyPatch())
    window = MainWindow(store, Settings(clinic_name="Test Clinic", clinic_address="1 Test Road"), signed_in=SIGNED_IN)
    window.resize(1366, 768)
    window.show()
    QTest.qWaitForWindowActive(window, 5000)
    window.open_patient(third.patient)
    window.ops.wait_idle()
    window.open_encounter(third.id)
    for _ in range(300):
        QTest.qWait(20)
        if window.area.panel.follow_up_box is not None and window.area.panel.follow_up_box.isVisible():
            break
    panel = window.area.panel
    panel.ensureWidgetVisible(panel.follow_up_box)
    panel.ensureWidgetVisible(panel.leg_map)
    QTest.qWait(300)
    window.grab().save(str(folder / f"window-map-follow-up-1366x768{suffix}.png"))
    body = panel.widget()
    body.grab().save(str(folder / f"panel-map-follow-up{suffix}.png"))
    since = follow_up(visit_of(third), [visit_of(h) for h in history], checklist_order(third.ruleset))
    pdf = folder / f"summary-follow-up{suffix}.pdf"
    pdf.write_bytes(render_summary(third.to_case().to_dict(), third.assessment, status=summary_status(third),
                                   invariant=True, follow_up=since.to_dict() if since else None,
                                   language=language or None))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(folder / f"summary-follow-up{suffix}")], check=True)
    pdf.unlink()
    print("ok")
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
