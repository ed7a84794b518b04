"""FHIR on the command line: export ID --fhir, bulk NDJSON, import of a Bundle, export-questionnaire."""

from __future__ import annotations

import json
import os
import pty
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fhirclient.models.bundle import Bundle

from models.case import parse_case
from models.fhir_import import case_from_bundle
from models.fhir_terms import DEFAULT_MRN_SYSTEM, QUESTIONNAIRE_URL
from models.store import Actor, Store
from tests.fhir_checks import bundle_problems, definition_problems, fp
from tests.helpers import CASES_DIR, make_case

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Actor("Dr Script", "tester", "exam-room-1")


def kneecheck(db: str, *args: str, env: dict[str, str] | None = None, **kw: Any) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONIOENCODING": "ascii", "KNEECHECK_CLINICIAN": "Dr Script", **(env or {})}
    environment.pop("KNEECHECK_DB", None)
    if not env or "KNEECHECK_MRN_SYSTEM" not in env:
        environment.pop("KNEECHECK_MRN_SYSTEM", None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, *args], capture_output=True, text=True,
                          encoding="utf-8", env=environment, cwd=ROOT, timeout=300, **kw)


def assert_one_line_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def _without_pdf(bundle: dict[str, Any]) -> dict[str, Any]:
    """The Bundle without the PDF's bytes, which carry the time the summary was made."""
    copy = json.loads(json.dumps(bundle))
    for document in _resources(copy, "DocumentReference"):
        for content in document["content"]:
            for key in ("data", "size", "hash"):
                content["attachment"].pop(key)
    return copy


def _import(db: str, *names: str) -> list[int]:
    result = kneecheck(db, "import", *(str(CASES_DIR / f"{n}.json") for n in names))
    assert result.returncode == 0, result.stderr
    return [int(line) for line in result.stdout.split()]


def _audit(db: str) -> list[dict[str, Any]]:
    with Store.open(db) as store:
        return store.audit_events()


def test_export_fhir_to_a_file_and_to_stdout_after_its_audit_row(db_url: str, tmp_path: Path) -> None:
    first, second = _import(db_url, "cauda_equina", "l3_radiculopathy")
    with Store.open(db_url) as store:
        record = store.load_encounter(second)
        final = store.finalize(record.id, record.version, SCRIPT)
    out = tmp_path / "bundle.json"
    result = kneecheck(db_url, "export", str(second), "--fhir", "-o", str(out))
    assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result.stderr
    assert os.stat(out).st_mode & 0o777 == 0o600
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert Bundle(bundle).as_json() == bundle and bundle_problems(bundle) == []
    [document] = _resources(bundle, "DocumentReference")
    assert document["content"][0]["attachment"]["data"].startswith("JVBER")  # base64 of "%PDF"
    [provenance] = _resources(bundle, "Provenance")
    assert fp(provenance, "entity.what.identifier.value") == [final.revision_hash]
    [finalizer] = [e["resource"] for e in bundle["entry"] if e["fullUrl"] == provenance["agent"][0]["who"]["reference"]]
    assert finalizer["name"] == [{"text": "Dr Script"}]  # who finalized it (the case's clinician is someone else)
    shown = kneecheck(db_url, "export", str(second), "--fhir")
    assert shown.returncode == 0, shown.stderr
    assert _without_pdf(json.loads(shown.stdout)) == _without_pdf(bundle)  # same ids, same content
    draft = json.loads(kneecheck(db_url, "export", str(first), "--fhir").stdout)
    assert not _resources(draft, "Provenance") and bundle_problems(draft) == []
    events = [(e["action"], e["encounter_id"], e["detail"]) for e in _audit(db_url)]
    assert events.count(("exported", second, "fhir bundle")) == 2 and ("exported", first, "fhir bundle") in events
    # The audit row comes first: a file that cannot be written still leaves "exported", then "export_failed".
    failed = kneecheck(db_url, "export", str(first), "--fhir", "-o", str(tmp_path / "missing" / "b.json"))
    assert_one_line_error(failed, "does not exist")
    tail = [(e["action"], e["encounter_id"]) for e in _audit(db_url)][-2:]
    assert tail == [("exported", first), ("export_failed", first)]


def test_export_fhir_refuses_bad_ids_and_options_in_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kc.db"
    [encounter_id] = _import(db, "hip_referred")
    existing = tmp_path / "exists.json"
    existing.write_text("{}", encoding="utf-8")
    before = len(_audit(db))
    for args, words in [
        (["999", "--fhir"], ["no encounter with id 999"]),
        ([str(encounter_id), "--fhir", "--json"], ["--json", "--fhir"]),
        ([str(encounter_id), "--fhir", "-o", str(tmp_path / "x.pdf")], ["--fhir writes JSON"]),
        ([str(encounter_id), "--fhir", "--hl7"], ["--hl7"]),
        (["--fhir"], ["encounter ID", "--since"]),
        ([str(encounter_id), "--fhir", "--since", "2026-01-01"], ["not both"]),
        (["--since", "2026-01-01"], ["add --fhir"]),
        (["--fhir", "--since", "2026-13-01"], ["--since", "not a date"]),
        (["--fhir", "--patient", "NO-SUCH-MRN"], ["--patient", "no patient"]),
        ([str(encounter_id), "--fhir", "--mrn-system", "not a uri"], ["--mrn-system", "URI"]),
        ([str(encounter_id), "--fhir", "-o", str(existing)], ["already exists"]),
        (["--fhir", "--since", "2026-01-01", "-o", str(existing)], ["already exists"]),
        ([], ["encounter ID"]),
    ]:
        assert_one_line_error(kneecheck(db, "export", *args), *words)
    assert len(_audit(db)) == before  # nothing refused was audited as an export
    assert existing.read_text(encoding="utf-8") == "{}"
    bad_env = kneecheck(db, "export", str(encounter_id), "--fhir", env={"KNEECHECK_MRN_SYSTEM": "has spaces in it"})
    assert_one_line_error(bad_env, "$KNEECHECK_MRN_SYSTEM")


BULK = [("B-1", "2026-01-05"), ("B-2", "2026-02-10"), ("B-1", "2026-03-15"), ("B-3", "2026-03-15"), ("B-2", "2026-04-01")]


def _fill(db: str, tmp_path: Path) -> list[int]:
    files = []
    for n, (mrn, date) in enumerate(BULK):
        path = tmp_path / f"bulk{n}.json"
        path.write_text(json.dumps(make_case({"slr": "positive", "sensory_changes": "yes", "fever": "no"},
                                             patient={"mrn": mrn, "family_name": f"Bulkperson{mrn[-1]}"},
                                             encounter={"date": date}, notes=f"note {n}")), encoding="utf-8")
        files.append(str(path))
    result = kneecheck(db, "import", *files)
    assert result.returncode == 0, result.stderr
    return [int(line) for line in result.stdout.split()]


def _exported(db: str, *args: str) -> list[dict[str, Any]]:
    result = kneecheck(db, "export", "--fhir", *args)
    assert result.returncode == 0 and result.stderr == "", (result.returncode, result.stderr)
    return _lines(result.stdout)


def _lines(text: str) -> list[dict[str, Any]]:
    assert text.endswith("\n")
    return [json.loads(line) for line in text.splitlines()]


def test_bulk_export_streams_one_bundle_per_line_with_one_audit_row(db_url: str, tmp_path: Path) -> None:
    ids = _fill(db_url, tmp_path)
    with Store.open(db_url) as store:
        record = store.load_encounter(ids[2])
        final = store.finalize(record.id, record.version, SCRIPT)
        b1, b2 = store.patient_by_mrn("B-1"), store.patient_by_mrn("B-2")
        assert b1 is not None and b2 is not None
    result = kneecheck(db_url, "export", "--fhir", "--since", "2026-03-01")
    assert result.returncode == 0 and result.stderr == "", result.stderr  # no progress bar without a terminal
    bundles = _lines(result.stdout)
    assert len(bundles) == 3
    for bundle in bundles:
        assert Bundle(bundle).as_json() == bundle and bundle_problems(bundle) == []
        assert not _resources(bundle, "DocumentReference")  # bulk lines carry no PDF
    assert [len(_resources(b, "Provenance")) for b in bundles] == [1, 0, 0]
    assert fp(bundles[0], "Bundle.entry.resource.ofType(Provenance).entity.what.identifier.value") == \
        [final.revision_hash]
    # The same encounter, alone or in bulk: the same Bundle but for the DocumentReference.
    single = json.loads(kneecheck(db_url, "export", str(ids[2]), "--fhir").stdout)
    single["entry"] = [e for e in single["entry"] if e["resource"]["resourceType"] != "DocumentReference"]
    for provenance in _resources(single, "Provenance"):
        provenance["target"] = provenance["target"][:3]
    assert single == bundles[0]

    patient = _exported(db_url, "--patient", "B-1")
    assert [fp(b, "Bundle.entry.resource.ofType(Patient).identifier.value") for b in patient] == [["B-1"], ["B-1"]]
    both = _exported(db_url, "--patient", "B-2", "--since", "2026-03-01")
    assert len(both) == 1
    out = tmp_path / "all.ndjson"
    assert kneecheck(db_url, "export", "--fhir", "--since", "2000-01-01", "-o", str(out)).returncode == 0
    assert len(_lines(out.read_text(encoding="utf-8"))) == 5 and os.stat(out).st_mode & 0o777 == 0o600

    events = [e for e in _audit(db_url) if e["action"] in ("exported", "export_completed") and not e["encounter_id"]]
    assert [e["action"] for e in events] == ["exported", "export_completed"] * 4  # one row each way per export
    assert [e["patient_id"] for e in events] == [None, None, b1.id, b1.id, b2.id, b2.id, None, None]
    assert events[0]["detail"] == "fhir ndjson (since 2026-03-01): started, 3 encounter(s)"
    assert events[1]["detail"] == "fhir ndjson (since 2026-03-01): 3 encounter(s)"
    assert events[2]["detail"] == "fhir ndjson (one patient): started, 2 encounter(s)"
    assert events[7]["detail"] == "fhir ndjson (since 2000-01-01): 5 encounter(s)"
    assert not any("B-1" in e["detail"] or "Bulkperson" in e["detail"] for e in events)  # never patient data


def test_bulk_export_shows_a_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kc.db"
    _fill(db, tmp_path)
    master, slave = pty.openpty()
    try:
        env = {**os.environ, "KNEECHECK_CLINICIAN": "Dr Script"}
        env.pop("KNEECHECK_DB", None)
        proc = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, "export", "--fhir", "--since",
                               "2026-01-01"], stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT, timeout=120)
        os.close(slave)
        shown = b""
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            shown += chunk
    finally:
        os.close(master)
    assert proc.returncode == 0
    assert b"FHIR export [" in shown and b"5/5" in shown
    assert len(proc.stdout.splitlines()) == 5


@pytest.mark.parametrize("names", [["cauda_equina", "hip_referred", "knee_and_hip_mixed", "teen_limp"]])
def test_export_import_export_gives_the_same_case(db_url: str, tmp_path: Path, names: list[str]) -> None:
    source = f"sqlite:///{tmp_path}/source.db"
    ids = _import(source, *names)
    with Store.open(source) as store:
        record = store.load_encounter(ids[0])
        store.finalize(record.id, record.version, SCRIPT)
    files = []
    for n, encounter_id in enumerate(ids):
        path = tmp_path / f"exported{n}.json"
        assert kneecheck(source, "export", str(encounter_id), "--fhir", "-o", str(path)).returncode == 0
        files.append(str(path))
    result = kneecheck(db_url, "import", *files)  # an empty database
    assert result.returncode == 0, result.stderr
    new_ids = [int(line) for line in result.stdout.split()]
    for old, new, path in zip(ids, new_ids, files, strict=True):
        original = kneecheck(source, "export", str(old), "--json").stdout
        assert kneecheck(db_url, "export", str(new), "--json").stdout == original
        again = json.loads(kneecheck(db_url, "export", str(new), "--fhir").stdout)
        first = json.loads(Path(path).read_text(encoding="utf-8"))
        assert case_from_bundle(again, mrn_system=DEFAULT_MRN_SYSTEM) == case_from_bundle(
            first, mrn_system=DEFAULT_MRN_SYSTEM) == parse_case(json.loads(original))
        for kind in ("Patient", "Practitioner"):
            assert _resources(again, kind)[:1] == _resources(first, kind)[:1]
        assert [i["answer"] for i in _resources(again, "QuestionnaireResponse")[0]["item"]] == \
            [i["answer"] for i in _resources(first, "QuestionnaireResponse")[0]["item"]]


def _bundle_file(tmp_path: Path, name: str, change: Any = None) -> Path:
    db = f"sqlite:///{tmp_path}/maker.db"
    with Store.open(db) as store:
        [encounter_id] = store.import_cases([parse_case(make_case({"slr": "positive", "fever": "no"},
                                                                  patient={"mrn": "F-9"}))], SCRIPT)
    bundle = json.loads(kneecheck(db, "export", str(encounter_id), "--fhir").stdout)
    if change is not None:
        change(bundle)
    path = tmp_path / name
    path.write_text(json.dumps(bundle), encoding="utf-8")
    return path


def _response(bundle: dict[str, Any]) -> dict[str, Any]:
    return _resources(bundle, "QuestionnaireResponse")[0]


@pytest.mark.parametrize("change, words", [
    (lambda b: b.update(resourceType="Patient"), ["not a KneeCheck Bundle"]),
    (lambda b: b.pop("identifier"), ["Bundle.identifier", "not a KneeCheck Bundle"]),
    (lambda b: _response(b)["item"][0].update(linkId="made_up_item"), ["linkId=made_up_item", "unknown checklist item"]),
    (lambda b: _response(b)["item"][0].pop("linkId"), ["QuestionnaireResponse.item[0]", "no linkId"]),
    (lambda b: _response(b)["item"][0]["answer"][0]["valueCoding"].update(code="sometimes"),
     ["linkId=fever", "not allowed"]),
])
def test_a_bad_bundle_exits_2_in_one_line_and_stores_nothing(tmp_path: Path, change: Any, words: list[str]) -> None:
    good = _bundle_file(tmp_path, "good.json")
    bad = _bundle_file(tmp_path, "bad.json", change)
    db_file = tmp_path / "target.db"
    result = kneecheck(f"sqlite:///{db_file}", "import", str(good), str(bad))
    assert_one_line_error(result, "bad.json", *words)
    assert not db_file.exists()  # every file is checked before the database is opened
    assert kneecheck(f"sqlite:///{db_file}", "import", str(CASES_DIR / "hip_referred.json")).returncode == 0
    assert_one_line_error(kneecheck(f"sqlite:///{db_file}", "import", str(good), str(bad)), "bad.json")
    with sqlite3.connect(db_file) as conn:
        assert conn.execute("SELECT COUNT(*) FROM encounter").fetchone() == (1,)
        assert conn.execute("SELECT COUNT(*) FROM patient").fetchone() == (1,)


def test_the_mrn_system_comes_from_the_option_or_the_environment(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/kc.db"
    [encounter_id] = _import(db, "osgood_schlatter")
    clinic = "https://clinic.example/fhir/mrn"
    by_env = json.loads(kneecheck(db, "export", str(encounter_id), "--fhir", env={"KNEECHECK_MRN_SYSTEM": clinic}).stdout)
    by_option = json.loads(kneecheck(db, "export", str(encounter_id), "--fhir", "--mrn-system", clinic).stdout)
    default = json.loads(kneecheck(db, "export", str(encounter_id), "--fhir").stdout)
    assert fp(by_env, "Bundle.entry.resource.ofType(Patient).identifier.system") == [clinic]
    assert _without_pdf(by_option) == _without_pdf(by_env)
    assert fp(default, "Bundle.entry.resource.ofType(Patient).identifier.system") == [DEFAULT_MRN_SYSTEM]
    path = tmp_path / "clinic.json"
    path.write_text(json.dumps(by_env), encoding="utf-8")
    other = f"sqlite:///{tmp_path}/other.db"
    assert_one_line_error(kneecheck(other, "import", str(path)), "Patient.identifier", "--mrn-system")
    assert kneecheck(other, "import", str(path), "--mrn-system", clinic).returncode == 0


def test_export_questionnaire_and_codesystem(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/never.db"
    result = kneecheck(db, "export-questionnaire", "--ruleset", "2026.1")
    assert result.returncode == 0, result.stderr
    q = json.loads(result.stdout)
    assert (q["resourceType"], q["url"], q["version"]) == ("Questionnaire", QUESTIONNAIRE_URL, "2026.1")
    assert definition_problems(q) == []
    current = json.loads(kneecheck(db, "export-questionnaire").stdout)
    assert current["version"] == "2027.1" and len(current["item"]) > len(q["item"])
    out = tmp_path / "cs.json"
    assert kneecheck(db, "export-questionnaire", "--codesystem", "-o", str(out)).returncode == 0
    cs = json.loads(out.read_text(encoding="utf-8"))
    assert cs["resourceType"] == "CodeSystem" and definition_problems(cs) == []
    assert_one_line_error(kneecheck(db, "export-questionnaire", "--codesystem", "-o", str(out)), "already exists")
    assert_one_line_error(kneecheck(db, "export-questionnaire", "--ruleset", "1999.9"), "unknown rule set")
    assert not (tmp_path / "never.db").exists()  # no database needed


@pytest.mark.parametrize("fmt", [["--fhir"], ["--json"], ["--hl7"]])
def test_a_single_export_into_a_closed_pipe_is_one_line_and_audited(tmp_path: Path, fmt: list[str]) -> None:
    """Standard output closed before the export is written (a pipe whose reader quit): one line on
    stderr, exit 2, and the disclosure that was audited first is followed by export_failed."""
    db = f"sqlite:///{tmp_path / 'kc.db'}"
    assert kneecheck(db, "import", str(CASES_DIR / "mixed_sources.json")).returncode == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will ever read what is written
    environment = {**os.environ, "KNEECHECK_CLINICIAN": "Dr Script"}
    environment.pop("KNEECHECK_DB", None)
    try:
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, "export", "1", *fmt],
                                stdout=write_end, stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT,
                                timeout=300)
    finally:
        os.close(write_end)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "standard output" in result.stderr
    with sqlite3.connect(tmp_path / "kc.db") as conn:
        actions = [r[0] for r in conn.execute("SELECT action FROM audit_event ORDER BY id")]
    assert actions[-2:] == ["exported", "export_failed"]


def test_a_summary_that_cannot_be_made_is_one_line(tmp_path: Path) -> None:
    """A PDF/A post-processing failure (forced here by a broken ICC profile path) on export --fhir and
    report: one line, exit 2, nothing written."""
    db = f"sqlite:///{tmp_path / 'kc.db'}"
    assert kneecheck(db, "import", str(CASES_DIR / "mixed_sources.json")).returncode == 0
    breaker = tmp_path / "sitecustomize.py"
    breaker.write_text("import reports.pdfa as p\n"
                       "def fail(*a, **k):\n    raise p.PdfaError('forced failure for the test')\n"
                       "p.to_pdfa = fail\nimport reports.archive as a\na.to_pdfa = fail\n", encoding="utf-8")
    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    out = tmp_path / "b.json"
    result = kneecheck(db, "export", "1", "--fhir", "-o", str(out), env=env)
    assert_one_line_error(result, "forced failure")
    assert not out.exists()
    pdf = tmp_path / "r.pdf"
    result = kneecheck(db, "report", str(CASES_DIR / "mixed_sources.json"), "-o", str(pdf), env=env)
    assert_one_line_error(result, "forced failure")
    assert not pdf.exists()
