"""Records that travel, from the real window: Export as PDF/A, FHIR Bundle or HL7 message, Send to
the record system over MLLP, and the Settings that name the MRN system, facility and destination.

Every export and send is a disclosure: its audit row is written before anything leaves, and a
send's answer (accepted or failed) is audited too. The MLLP receiver is a thread on 127.0.0.1.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json
import socket
import threading
from pathlib import Path
from typing import Any

import hl7
import pikepdf
import pytest
from fhirclient.models.bundle import Bundle
from PySide6.QtWidgets import QMessageBox

from models.case import EncounterInfo, Patient
from models.store import Store
from reports.hl7 import extract_pdf
from ui.dialogs import SettingsDialog
from ui.main_window import MainWindow
from ui.settings import Settings

# The window tests run on SQLite only; the store's own tests cover PostgreSQL.
pytestmark = pytest.mark.engines("sqlite")

PATIENT = Patient("REC-1", "Okonkwo", "Ada", dt.date(1960, 3, 2), "female")
FINDINGS = {"slr": "positive", "sensory_changes": "yes", "swelling": "none", "joint_line_tenderness": "none"}


def audit_actions(store: Store) -> list[tuple[str, str]]:
    return [(e["action"], e["detail"] or "") for e in store.audit_events()]


def open_draft(window: MainWindow, store: Store) -> int:
    patient = store.create_patient(PATIENT, window.actor())
    draft = store.create_draft(patient.id, EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left"),
                               FINDINGS, "", window.actor())
    assert window.open_encounter(draft.id)
    assert window.ops.wait_idle()
    return draft.id


def export_to(window: MainWindow, monkeypatch: pytest.MonkeyPatch, path: Path, chosen: str) -> None:
    monkeypatch.setattr("ui.main_window.QFileDialog.getSaveFileName", lambda *a, **k: (str(path), chosen))
    window.export_summary()
    assert window.ops.wait_idle()


def test_export_offers_pdfa_fhir_and_hl7(window: MainWindow, store: Store, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    window.settings = dataclasses.replace(window.settings, mrn_system="urn:oid:1.2.3.4", facility="RIVERSIDE")
    encounter_id = open_draft(window, store)
    before = len(audit_actions(store))

    pdf_path = tmp_path / "summary.pdf"
    export_to(window, monkeypatch, pdf_path, "PDF/A summary (*.pdf)")
    with pikepdf.open(pdf_path) as doc:
        assert doc.open_metadata().pdfa_status == "3B"
        assert set(doc.attachments) == {"case.json", "bundle.json"}
        inner = json.loads(doc.attachments["bundle.json"].get_file().read_bytes())
    assert inner["entry"][0]["resource"]["identifier"][0]["system"] == "urn:oid:1.2.3.4"

    fhir_path = tmp_path / "bundle.json"
    export_to(window, monkeypatch, fhir_path, "FHIR R4 Bundle (*.json)")
    bundle = json.loads(fhir_path.read_text(encoding="utf-8"))
    Bundle(bundle)  # valid for fhirclient's R4 models
    documents = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "DocumentReference"]
    attachment = documents[0]["content"][0]["attachment"]
    pdf = base64.b64decode(attachment["data"])
    assert pdf.startswith(b"%PDF-") and attachment["size"] == len(pdf)
    assert attachment["hash"] == base64.b64encode(hashlib.sha1(pdf).digest()).decode()  # R4: SHA-1
    patient = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient")
    assert patient["identifier"][0] == {"system": "urn:oid:1.2.3.4", "value": "REC-1",
                                        **{k: v for k, v in patient["identifier"][0].items() if k not in
                                           ("system", "value")}}

    hl7_path = tmp_path / "message.hl7"
    export_to(window, monkeypatch, hl7_path, "HL7 v2 message (*.hl7)")
    message = hl7.parse(hl7_path.read_bytes().decode("utf-8"))  # segments end in CR, as on the wire
    assert str(message.segment("MSH")[9]) == "MDM^T02^MDM_T02" and str(message.segment("MSH")[4]) == "RIVERSIDE"
    assert extract_pdf(message).startswith(b"%PDF-")

    # Chosen by the file name when the dialog gives no filter; each written owner-only.
    by_suffix = tmp_path / "by-suffix.json"
    export_to(window, monkeypatch, by_suffix, "")
    assert json.loads(by_suffix.read_text(encoding="utf-8"))["resourceType"] == "Bundle"
    for path in (pdf_path, fhir_path, hl7_path, by_suffix):
        assert path.stat().st_mode & 0o777 == 0o600

    new = audit_actions(store)[before:]
    exported = [d for a, d in new if a == "exported"]
    assert exported[0] == "pdf" and exported[1] == "fhir bundle" and exported[2].startswith("hl7 MDM^T02")
    assert len(exported) == 4 and all(a != "export_failed" for a, _ in new)
    assert encounter_id


class Receiver:
    """One MLLP connection on 127.0.0.1 answered with an ACK of ``code`` for the message's control id."""

    def __init__(self, code: str) -> None:
        self.code = code
        self.answer = threading.Event()
        """Set to let the ACK go: until then the message is travelling and the window must answer."""
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(30)
        self.port = self.server.getsockname()[1]
        self.message: str | None = None
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(20)
            data = b""
            while b"\x1c\r" not in data:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.message = data.split(b"\x1c\r")[0].lstrip(b"\x0b").decode("utf-8")
            control_id = str(hl7.parse(self.message).segment("MSH")[10])
            self.answer.wait(20)
            ack = (f"MSH|^~\\&|RIS|HOSP|KNEECHECK|KNEECHECK|20261123||ACK^T02^ACK|R1|P|2.5\r"
                   f"MSA|{self.code}|{control_id}|{'Filed' if self.code == 'AA' else 'Unknown patient'}\r")
            conn.sendall(b"\x0b" + ack.encode() + b"\x1c\r")

    def close(self) -> None:
        self.server.close()
        self.thread.join(5)


@pytest.mark.parametrize("code", ["AA", "AE"])
def test_send_to_the_record_system_off_the_gui_thread(qtbot, window: MainWindow, store: Store,  # type: ignore[no-untyped-def]
                                                      monkeypatch: pytest.MonkeyPatch, code: str) -> None:
    receiver = Receiver(code)
    told: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append((message.title, values)))
    try:
        open_draft(window, store)
        assert not window.send_action.isEnabled()  # no destination yet
        # Setting one in Settings enables Send at once.
        destination = f"127.0.0.1:{receiver.port}"
        monkeypatch.setattr(window, "ask_settings", lambda dialog: True)
        monkeypatch.setattr("ui.dialogs.SettingsDialog.settings",
                            lambda self: dataclasses.replace(window.settings, mllp_destination=destination))
        window.edit_settings()
        assert window.send_action.isEnabled()
        before = len(audit_actions(store))
        window.send_summary()
        assert not window.send_action.isEnabled()  # from the moment it is asked for
        # The window answers while the message travels (the receiver holds its ACK): the send runs
        # in the thread pool, and no refresh of the actions (an autosave, an edit) offers a second
        # send meanwhile.
        qtbot.waitUntil(lambda: receiver.message is not None, timeout=20000)
        assert "send" in window.ops.in_flight() and window.is_busy()
        assert not window.send_action.isEnabled()
        window._update_actions()
        assert not window.send_action.isEnabled()
        receiver.answer.set()
        expected = "send_accepted" if code == "AA" else "send_failed"
        qtbot.waitUntil(lambda: any(a == expected for a, _ in audit_actions(store)[before:]), timeout=20000)
        new = audit_actions(store)[before:]
        assert [a for a, _ in new] == ["sent", expected]
        assert f"127.0.0.1:{receiver.port}" in new[0][1] and "control id" in new[0][1]
        assert "Okonkwo" not in " ".join(d for _, d in new)  # no patient data in the audit detail
        assert receiver.message is not None and extract_pdf(hl7.parse(receiver.message)).startswith(b"%PDF-")
        if code == "AA":
            assert told == [] and new[1][1].endswith(": AA")
        else:
            assert told and told[0][0] == "Not accepted" and "refused (AE)" in told[0][1]["reason"]
        qtbot.waitUntil(lambda: window.send_action.isEnabled(), timeout=5000)
    finally:
        receiver.close()


def test_send_needs_a_destination(window: MainWindow, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    told: list[str] = []
    monkeypatch.setattr(window, "tell", lambda message, **values: told.append(message.title))
    open_draft(window, store)
    window._update_actions()
    assert not window.send_action.isEnabled()
    window.send_summary()
    assert window.ops.wait_idle()
    assert told == ["No record system set"]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("mrn_system", "not a uri", "absolute URI"),
    ("facility", "Bad|Name", "facility"),
    ("mllp_destination", "ehr.clinic", "HOST:PORT"),
    ("mllp_destination", "ehr.clinic:99999", "HOST:PORT"),
])
def test_settings_refuse_a_bad_record_setting(qtbot, field: str, value: str, words: str,  # type: ignore[no-untyped-def]
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "critical", staticmethod(lambda *a, **k: None))
    dialog = SettingsDialog(Settings(**{field: value}))
    qtbot.addWidget(dialog)
    dialog._accept_if_valid()
    assert dialog.result() == 0 and dialog.error.isVisibleTo(dialog) and words in dialog.error.text()
    good = SettingsDialog(Settings(mrn_system="urn:oid:1.2.3", facility="RIVERSIDE", mllp_destination="ehr.clinic.example:2575"))
    qtbot.addWidget(good)
    assert good.problem() is None
    assert good.settings().mllp_destination == "ehr.clinic.example:2575" and good.settings().facility == "RIVERSIDE"


@pytest.mark.parametrize(("path", "chosen", "kind"), [
    ("x.hl7", "PDF/A summary (*.pdf)", "hl7"),          # the file name wins over a mismatched type
    ("x.json", "PDF/A summary (*.pdf)", "fhir"),
    ("x.pdf", "HL7 v2 message (*.hl7)", "pdf"),
    ("x", "HL7 v2 message (*.hl7)", "hl7"),             # no known ending: the chosen type
    ("x", "", "pdf"),
])
def test_the_file_name_decides_the_export_format(path: str, chosen: str, kind: str) -> None:
    from ui.summary_view import export_kind

    assert export_kind(path, chosen) == kind


def test_print_to_file_writes_the_pdfa_summary(window: MainWindow, store: Store, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """The print dialog's "Print to File (PDF)" gets the archival summary, not Qt's page images."""
    from PySide6.QtPrintSupport import QPrinter

    open_draft(window, store)
    target = tmp_path / "printed.pdf"

    def choose_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return True

    monkeypatch.setattr(window, "ask_printer", choose_file)
    window.print_summary()
    assert window.ops.wait_idle()
    with pikepdf.open(target) as doc:
        assert doc.open_metadata().pdfa_status == "3B"
        assert set(doc.attachments) == {"case.json", "bundle.json"}
    assert target.stat().st_mode & 0o777 == 0o600
    assert ("printed", "printed to a PDF file") in audit_actions(store)
