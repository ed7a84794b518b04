"""Workstation settings (models/settings.py): the file QSettings kept, read and written the way
QSettings does, validated with the field named, migrated by version, written only when a value
changes, and the same for the window and the command line."""

from __future__ import annotations

import datetime as dt
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from models import APP_NAME
from models.case import EncounterInfo, Patient
from models.files import FileWriteError
from models.settings import (
    DEFAULTS,
    SETTINGS_VERSION,
    Settings,
    SettingsError,
    decode_value,
    encode_value,
    format_ini,
    last_clinician,
    load_settings,
    open_draft_marker,
    parse_ini,
    read_settings,
    save_settings,
    set_last_clinician,
    set_open_draft_marker,
    settings_path,
)
from models.store import Actor, Store

ROOT = Path(__file__).resolve().parent.parent
ACTOR = Actor("Dr Ada Example", "tester", "exam-room-1")

# Text QSettings escapes, quotes or marks in some way: separators, quotes, escapes, leading and
# trailing spaces, a leading "@", control characters (one followed by a hex digit), non-ASCII.
AWKWARD = [
    "Klinik Müller, Straße 5; Haus \"B\" = Eingang",
    "Line 1\nLine 2\ttab\\back",
    "@at start", "@@two", "  spaces  ", " lead", "trail ", "a;b#c", "#not a comment", "[x]", "100%",
    "😀 日本語", "a\x01b\rc\x1fF", "", "a,b", "=", '"', "\\", "x\\", "semi;",
]


def qsettings_on(path: Path):  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QSettings

    return QSettings(str(path), QSettings.Format.IniFormat)


def test_the_file_is_where_qsettings_kept_it(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    code = ("from PySide6.QtCore import QSettings; from models import APP_NAME; "
            "print(QSettings('KneeCheck', APP_NAME).fileName())")
    env = {**os.environ, "XDG_CONFIG_HOME": str(config), "QT_QPA_PLATFORM": "offscreen"}
    qt = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert qt.returncode == 0, qt.stderr
    assert Path(qt.stdout.strip()) == config / "KneeCheck" / f"{APP_NAME}.conf"
    os.environ["XDG_CONFIG_HOME"] = str(config)  # the autouse fixture restores it
    assert settings_path() == config / "KneeCheck" / f"{APP_NAME}.conf"
    os.environ["XDG_CONFIG_HOME"] = "relative/path"  # not absolute: ignored, as by Qt and the XDG spec
    assert settings_path() == Path.home() / ".config" / "KneeCheck" / f"{APP_NAME}.conf"


@pytest.mark.parametrize("text", AWKWARD)
def test_what_qsettings_wrote_reads_back_the_same(tmp_path: Path, text: str) -> None:
    path = tmp_path / "qt.conf"
    qs = qsettings_on(path)
    qs.setValue("workstation/value", text)
    qs.setValue("workstation/after", "next line")  # the value above must not swallow this one
    qs.sync()
    ini = parse_ini(path.read_text(encoding="utf-8"))
    assert decode_value(ini["workstation"]["value"]) == text
    assert decode_value(ini["workstation"]["after"]) == "next line"


@pytest.mark.parametrize("text", AWKWARD)
def test_what_is_written_here_qsettings_reads_back_the_same(tmp_path: Path, text: str) -> None:
    path = tmp_path / "ours.conf"
    path.write_text(format_ini({"General": {"settings_version": "1"},
                                "workstation": {"value": encode_value(text), "after": encode_value("next")}}),
                    encoding="utf-8")
    qs = qsettings_on(path)
    assert qs.value("workstation/value") == text
    assert qs.value("workstation/after") == "next"
    assert qs.value("settings_version") == "1"


def test_a_save_writes_the_bytes_qsettings_writes(tmp_path: Path) -> None:
    settings = Settings(clinic_name="Riverside Knee Clinic, Unit 4", clinic_address="1 Test Road\nTestville",
                        default_clinician="Dr Ada Example", paper="Letter", idle_lock_minutes=15,
                        mrn_system="urn:oid:1.2.3", facility="RIVERSIDE", mllp_destination="ehr.example:2575")
    theirs = tmp_path / "qt.conf"
    qs = qsettings_on(theirs)
    qs.setValue("settings_version", SETTINGS_VERSION)  # what ui/settings.py did before, key by key
    for name, value in vars(settings).items():
        qs.setValue(f"workstation/{name}", value)
    qs.setValue("session/open_draft_id", 42)
    qs.setValue("session/last_clinician", "Dr Ada Example")
    qs.sync()
    ours = tmp_path / "ours.conf"
    save_settings(settings, ours)
    set_open_draft_marker(42, ours)
    set_last_clinician("Dr Ada Example", ours)
    assert ours.read_text(encoding="utf-8") == theirs.read_text(encoding="utf-8")


def test_an_existing_file_keeps_its_values_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    qs = qsettings_on(path)  # a workstation set up by the release before
    qs.setValue("settings_version", 1)
    qs.setValue("workstation/clinic_name", "Klinik Müller, Haus B")
    qs.setValue("workstation/paper", "Letter")
    qs.setValue("workstation/idle_lock_minutes", 25)
    qs.setValue("session/open_draft_id", 7)
    qs.setValue("session/last_clinician", "Dr Bea")
    qs.setValue("window/geometry", "@ByteArray(\x01\x02)")
    qs.setValue("newer/feature", "kept")
    qs.sync()
    del qs
    loaded = load_settings(path)
    assert (loaded.clinic_name, loaded.paper, loaded.idle_lock_minutes) == ("Klinik Müller, Haus B", "Letter", 25)
    assert open_draft_marker(path) == 7 and last_clinician(path) == "Dr Bea"

    save_settings(Settings(**{**vars(loaded), "clinic_address": "2 New Road"}), path)
    again = qsettings_on(path)
    assert again.value("workstation/clinic_name") == "Klinik Müller, Haus B"
    assert again.value("workstation/clinic_address") == "2 New Road"
    assert again.value("session/open_draft_id") == "7" and again.value("session/last_clinician") == "Dr Bea"
    assert again.value("newer/feature") == "kept" and again.value("window/geometry") == "@ByteArray(\x01\x02)"


def test_writes_are_atomic_and_owner_only(tmp_path: Path) -> None:
    path = settings_path()
    save_settings(Settings(clinic_name="Test Clinic"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left
    assert load_settings().clinic_name == "Test Clinic"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("paper", "A5", "A4, Letter"),
    ("idle_lock_minutes", 0, "1 to 60"),
    ("idle_lock_minutes", 61, "1 to 60"),
    ("mrn_system", "not a uri", "absolute URI"),
    ("facility", "Bad|Name", "HL7 facility"),
    ("facility", "x" * 21, "HL7 facility"),
    ("mllp_destination", "ehr.clinic", "HOST:PORT"),
    ("mllp_destination", "ehr.clinic:99999", "HOST:PORT"),
    ("clinic_name", "a\x00b", "NUL"),
])
def test_a_bad_setting_is_refused_with_its_field(tmp_path: Path, field: str, value: object, words: str) -> None:
    path = tmp_path / "KneeCheck.conf"
    bad = Settings(**{field: value})  # type: ignore[arg-type]
    [problem] = bad.problems()
    assert isinstance(problem, SettingsError) and problem.field == field and words in problem.message
    with pytest.raises(SettingsError) as raised:
        save_settings(bad, path)
    assert raised.value.field == field
    assert not path.exists()  # nothing written


def test_a_bad_stored_value_is_its_default_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    path.write_text("[General]\nsettings_version=1\n\n[workstation]\nclinic_name=Kept\nidle_lock_minutes=many\n"
                    "paper=A3\nmrn_system=has spaces\n", encoding="utf-8")
    settings, problems = read_settings(path)
    assert settings == Settings(clinic_name="Kept")
    assert [p.field for p in problems] == ["paper", "idle_lock_minutes", "mrn_system"]


def test_an_unversioned_file_is_migrated_and_reading_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    path.write_text("[workstation]\nclinic_name=Old Clinic\n", encoding="utf-8")  # version 0: no settings_version
    before = path.stat().st_mtime_ns
    assert load_settings(path).clinic_name == "Old Clinic" and path.stat().st_mtime_ns == before
    save_settings(load_settings(path), path)
    assert parse_ini(path.read_text(encoding="utf-8"))["General"]["settings_version"] == str(SETTINGS_VERSION)
    assert load_settings(path).clinic_name == "Old Clinic"


def test_a_missing_file_is_the_defaults(tmp_path: Path) -> None:
    assert read_settings(tmp_path / "none.conf") == (DEFAULTS, [])
    assert open_draft_marker(tmp_path / "none.conf") is None and last_clinician(tmp_path / "none.conf") == ""


def test_the_session_values_are_written_only_when_they_change(tmp_path: Path) -> None:
    path = tmp_path / "KneeCheck.conf"
    assert set_open_draft_marker(5, path) is True and open_draft_marker(path) == 5
    written = path.stat().st_mtime_ns, path.read_bytes()
    assert set_open_draft_marker(5, path) is False
    assert (path.stat().st_mtime_ns, path.read_bytes()) == written
    assert set_open_draft_marker(None, path) is True and open_draft_marker(path) is None
    assert set_open_draft_marker(None, path) is False
    assert set_last_clinician("Dr Ada", path) is True and set_last_clinician("Dr Ada", path) is False
    assert last_clinician(path) == "Dr Ada"


def test_a_folder_that_cannot_be_written_does_not_stop_work(tmp_path: Path) -> None:
    (tmp_path / "KneeCheck").write_text("a file where the settings folder should be")
    path = tmp_path / "KneeCheck" / "KneeCheck.conf"
    assert set_open_draft_marker(3, path) is False  # logged, not raised: recovery is a convenience
    assert set_last_clinician("Dr Ada", path) is False
    with pytest.raises(FileWriteError) as raised:  # the settings themselves: the caller is told
        save_settings(Settings(clinic_name="x"), path)
    assert "settings cannot be written" in str(raised.value)


# --- the window and the command line read the same settings ---------------------------------------


def _stored_encounter(store: Store) -> int:
    patient = store.create_patient(Patient("S-1", "Settingsova", "Eva", dt.date(1970, 5, 6), "female"), ACTOR)
    info = EncounterInfo(dt.date(2026, 11, 20), "Dr Ada Example", "left")
    return store.create_draft(patient.id, info, {"slr": "positive", "sensory_changes": "yes"}, "", ACTOR).id


def _pdf_facts(path: Path) -> tuple[str, str]:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("Page size"))
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return size, text


@pytest.mark.engines("sqlite")
def test_export_and_report_print_what_the_window_saved(qtbot, window, store: Store, db_url: str,  # type: ignore[no-untyped-def]
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    encounter_id = _stored_encounter(store)

    def accept(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.clinic_name.setText("Riverside Knee Clinic")
        dialog.clinic_address.setPlainText("12 Harbour Lane, Portsmouth")
        dialog.paper.setCurrentText("Letter")
        return True

    monkeypatch.setattr(window, "ask_settings", accept)
    window.edit_settings()  # the window's own path: the dialog, then save
    assert load_settings().paper == "Letter"

    out = tmp_path / "export.pdf"
    exported = subprocess.run([sys.executable, "main.py", "--db", db_url, "export", str(encounter_id), "-o", str(out),
                               "--clinician", "Dr Ada Example"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert exported.returncode == 0, exported.stderr
    size, text = _pdf_facts(out)
    assert size.startswith("612 x 792")  # US Letter, in points
    assert "Riverside Knee Clinic" in text and "12 Harbour Lane, Portsmouth" in text

    report = tmp_path / "report.pdf"
    made = subprocess.run([sys.executable, "main.py", "report", str(ROOT / "tests" / "cases" / "hip_referred.json"),
                           "-o", str(report)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    size, text = _pdf_facts(report)
    assert size.startswith("612 x 792") and "Riverside Knee Clinic" in text

    a4 = tmp_path / "a4.pdf"  # an explicit --paper still wins
    made = subprocess.run([sys.executable, "main.py", "report", str(ROOT / "tests" / "cases" / "hip_referred.json"),
                           "-o", str(a4), "--paper", "A4"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    assert _pdf_facts(a4)[0].startswith("595.276 x 841.89")


def test_without_settings_the_command_line_prints_no_letterhead_on_a4(tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    made = subprocess.run([sys.executable, "main.py", "report", str(ROOT / "tests" / "cases" / "hip_referred.json"),
                           "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and made.stderr == "", made.stderr
    size, text = _pdf_facts(out)
    assert size.startswith("595.276 x 841.89") and "Riverside" not in text


def test_a_bad_stored_setting_is_one_warning_on_the_command_line(tmp_path: Path) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("[workstation]\npaper=A3\nclinic_name=Warned Clinic\n", encoding="utf-8")
    out = tmp_path / "report.pdf"
    made = subprocess.run([sys.executable, "main.py", "report", str(ROOT / "tests" / "cases" / "hip_referred.json"),
                           "-o", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    lines = made.stderr.strip().splitlines()
    assert len(lines) == 1 and "warning" in lines[0] and "paper" in lines[0] and "A4" in lines[0]
    size, text = _pdf_facts(out)
    assert size.startswith("595.276 x 841.89") and "Warned Clinic" in text


def test_the_mrn_system_and_facility_default_to_the_workstation_s(tmp_path: Path, store: Store, db_url: str) -> None:
    import json

    encounter_id = _stored_encounter(store)
    save_settings(Settings(mrn_system="urn:oid:1.2.3.4", facility="RIVERSIDE"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "main.py", "--db", db_url, "export", str(encounter_id), *args,
                               "--clinician", "Dr Ada Example"], cwd=ROOT, capture_output=True, text=True, timeout=120)

    fhir = run("--fhir")
    assert fhir.returncode == 0, fhir.stderr
    bundle = json.loads(fhir.stdout)
    systems = {i["system"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
               for i in e["resource"]["identifier"]}
    assert systems == {"urn:oid:1.2.3.4"}
    flagged = json.loads(run("--fhir", "--mrn-system", "urn:oid:9.9").stdout)  # the option still wins
    assert {i["system"] for e in flagged["entry"] if e["resource"]["resourceType"] == "Patient"
            for i in e["resource"]["identifier"]} == {"urn:oid:9.9"}
    hl7 = run("--hl7")
    assert hl7.returncode == 0, hl7.stderr
    msh = hl7.stdout.split("\r")[0].split("|")
    assert msh[3] == "RIVERSIDE", msh[:5]


@pytest.mark.engines("sqlite")
def test_typing_in_the_editor_does_not_write_the_settings(qtbot, window, store: Store,  # type: ignore[no-untyped-def]
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import models.settings
    from tests.ui_helpers import answer_item

    first, second = _stored_encounter(store), _stored_encounter_of(store, "S-2")
    writes: list[Path] = []
    real_write = models.settings.write_private_file

    def counted(path, data, *, overwrite):  # type: ignore[no-untyped-def]
        writes.append(Path(path))
        real_write(path, data, overwrite=overwrite)

    monkeypatch.setattr(models.settings, "write_private_file", counted)
    window.open_encounter(first)
    assert window.ops.wait_idle()
    assert open_draft_marker() == first and len(writes) == 1  # opening a draft: the marker, once
    before = settings_path().stat().st_mtime_ns, settings_path().read_bytes()

    answer_item(qtbot, window, "joint_line_tenderness", "medial", by_keyboard=False)
    answer_item(qtbot, window, "swelling", "effusion", by_keyboard=True)
    window.notes.setFocus()
    qtbot.keyClicks(window.notes, "pain on stairs since the fall")
    qtbot.waitUntil(lambda: store.load_encounter(first).findings.get("swelling") == "effusion", timeout=8000)
    assert window.save(quiet=True) and window.ops.wait_idle()
    assert store.load_encounter(first).notes.endswith("pain on stairs since the fall")
    assert writes == [settings_path()]  # no write for any keystroke, autosave or save
    assert (settings_path().stat().st_mtime_ns, settings_path().read_bytes()) == before

    window.open_encounter(second)  # another draft: the marker changes, one write
    assert window.ops.wait_idle()
    assert open_draft_marker() == second and len(writes) == 2


def _stored_encounter_of(store: Store, mrn: str) -> int:
    patient = store.create_patient(Patient(mrn, "Zweitova", "Ida", dt.date(1980, 1, 2), "female"), ACTOR)
    info = EncounterInfo(dt.date(2026, 11, 21), "Dr Ada Example", "right")
    return store.create_draft(patient.id, info, {}, "", ACTOR).id
