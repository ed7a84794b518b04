"""HL7 v2: the MDM^T02 message (reports/hl7.py), ``export ID --hl7`` and ``send ID --mllp HOST:PORT``.

The message is read back with both libraries (hl7apy, python-hl7); its OBX gives the summary PDF
back byte for byte. ``send`` runs as a real process against a local MLLP listener on 127.0.0.1 (a
thread, port 0, every wait bounded) that accepts, refuses, hangs up, stays silent or is absent.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hl7
import pytest
from hl7apy.consts import VALIDATION_LEVEL
from hl7apy.parser import parse_message

from models.assessment import assess
from models.case import parse_case
from models.store import Store
from reports.archive import encounter_summary
from reports.hl7 import DocumentMeta, Hl7Error, extract_pdf, mdm_t02, new_control_id, parse_ack, unescape
from tests.helpers import CASES_DIR, make_case

ROOT = Path(__file__).resolve().parent.parent
WHEN = dt.datetime(2026, 11, 23, 14, 30, 5, tzinfo=dt.UTC)
HOSTILE = [
    "O'Brien^Smith",           # component separator
    "Ann & Bob|Co",            # subcomponent and field separators
    "Tilde~Repeat",            # repetition separator
    "Back\\slash",             # the escape character itself
    "Typed \\F\\ and \\E\\",   # text that looks like an escape sequence
    "Жуковский-Ёлкин",         # not ASCII
]


# --- building the message in process -----------------------------------------------------------


def _case(**patient: Any) -> dict[str, Any]:
    return parse_case(make_case({"slr": "positive", "femoral_stretch": "positive"}, patient=patient)).to_dict()


def _message(case: dict[str, Any], *, final: bool = True, pdf: bytes | None = None, **meta: Any) -> tuple[str, bytes]:
    assessment = assess(parse_case(case)).to_dict()
    pdf = pdf if pdf is not None else encounter_summary(case, assessment, invariant=True)
    fields: dict[str, Any] = {"finalized_by": "Dr Final", "finalized_at": WHEN} if final else {}
    fields.update(meta)
    message = mdm_t02(case, assessment, DocumentMeta(encounter_id=42, version=3, final=final, **fields), pdf,
                      sending_facility="RIVERSIDE", assigning_authority="RIVERSIDE-MRN", control_id="KC0000000000001ABC",
                      receiving_application="RIS", receiving_facility="HOSP", when=WHEN)
    return message, pdf


def _short_payload(message: str) -> str:
    """The message with OBX-5's base64 cut to 4 characters: hl7apy types a varies field's
    components as ST, which STRICT holds to 199 characters, so only this form parses STRICT."""
    return re.sub(r"(\^Base64\^)[A-Za-z0-9+/=]+", r"\1JVBE", message)


def test_the_message_parses_back_with_both_libraries_and_gives_the_pdf_back() -> None:
    case = _case(mrn="A-1001", family_name="Doe", given_name="Jane", birth_date="1961-04-02", sex="female")
    message, pdf = _message(case)
    segments = message.split("\r")
    assert segments[-1] == "" and [s[:3] for s in segments[:-1]] == ["MSH", "EVN", "PID", "PV1", "TXA", "OBX"]
    assert not any(ch in message for ch in "\n\x0b\x1c"), "nothing in the message may break MLLP framing"

    # hl7apy: every element STRICT (with the payload shortened, see _short_payload), and the whole
    # message with its real payload validated structurally.
    strict = parse_message(_short_payload(message), validation_level=VALIDATION_LEVEL.STRICT)
    assert strict.validate() is True
    assert strict.name == "MDM_T02" and strict.msh.msh_12.to_er7() == "2.5"
    whole = parse_message(message, validation_level=VALIDATION_LEVEL.TOLERANT)
    assert whole.validate() is True
    assert whole.pid.pid_3.to_er7() == "A-1001^^^RIVERSIDE-MRN^MR"
    assert whole.pid.pid_5.to_er7() == "Doe^Jane"

    # python-hl7
    h = hl7.parse(message)
    assert str(h.segment("MSH")[9]) == "MDM^T02^MDM_T02" and str(h.segment("MSH")[10]) == "KC0000000000001ABC"
    assert [str(h.segment("MSH")[i]) for i in (3, 4, 5, 6, 11, 18)] == \
        ["KNEECHECK", "RIVERSIDE", "RIS", "HOSP", "P", "UNICODE UTF-8"]
    assert str(h.segment("MSH")[7]) == "20261123143005+0000" == str(h.segment("EVN")[2])
    pid = h.segment("PID")
    assert str(pid[3]) == "A-1001^^^RIVERSIDE-MRN^MR"
    assert str(pid[5]) == "Doe^Jane" and str(pid[7]) == "19610402" and str(pid[8]) == "F"
    assert str(h.segment("PV1")[2]) == "O"
    txa = h.segment("TXA")
    assert str(txa[2]) == "KNEE-SUMMARY" and str(txa[4]) == case["encounter"]["date"].replace("-", "")
    assert str(txa[9]) == "^Dr Test" and str(txa[12]) == "42-3^RIVERSIDE"
    assert (str(txa[17]), str(txa[19])) == ("AU", "AV")
    assert str(txa[22]) == "^Dr Final" + "^" * 13 + "20261123143005+0000"
    obx = h.segment("OBX")
    assert (str(obx[2]), str(obx[3]), str(obx[11])) == ("ED", "PDF^Knee encounter summary^L", "F")
    assert str(obx[17]) == "2027.1^KneeCheck rule set^L"

    decoded = extract_pdf(h)
    assert decoded == pdf and decoded.startswith(b"%PDF-") and decoded.rstrip().endswith(b"%%EOF")
    # The same record rendered again (invariant) is the same PDF: the message carries the summary itself.
    assert decoded == encounter_summary(case, assess(parse_case(case)).to_dict(), invariant=True)
    assert base64.b64decode(str(obx[5][0][4])) == pdf


@pytest.mark.parametrize(("sex", "code"), [("female", "F"), ("male", "M"), ("other", "O"), ("unknown", "U")])
def test_sex_follows_hl7_table_0001(sex: str, code: str) -> None:
    message, _ = _message(_case(sex=sex), pdf=b"%PDF-1.7\n%%EOF\n")
    assert str(hl7.parse(message).segment("PID")[8]) == code


def test_a_draft_is_in_progress_and_an_amendment_names_its_parent() -> None:
    message, _ = _message(_case(), final=False, pdf=b"%PDF-1.7\n%%EOF\n")
    h = hl7.parse(message)
    txa, obx = h.segment("TXA"), h.segment("OBX")
    assert (str(txa[17]), str(txa[19]), str(obx[11])) == ("IP", "UN", "P")
    assert str(txa[13]) == "" and len(txa) == 20  # no parent, nobody authenticated it (TXA-22)
    amended, _ = _message(_case(), pdf=b"%PDF-1.7\n%%EOF\n", parent=(41, 5), parent_document="urn:uuid:0f0e-41",
                          document="urn:uuid:0f0e-42")
    replacement = hl7.parse(amended)
    assert str(replacement.segment("MSH")[9]) == "MDM^T10^MDM_T02"  # a replacement names the document it replaces
    assert str(replacement.segment("TXA")[12]) == "0f0e-42^RIVERSIDE"
    assert str(replacement.segment("TXA")[13]) == "0f0e-41^RIVERSIDE"
    unreplaced, _ = _message(_case(), pdf=b"%PDF-1.7\n%%EOF\n", parent=(41, 5))  # no parent document: T02
    assert str(hl7.parse(unreplaced).segment("MSH")[9]) == "MDM^T02^MDM_T02"
    assert str(hl7.parse(unreplaced).segment("TXA")[13]) == ""


@pytest.mark.parametrize("name", HOSTILE)
def test_names_with_hl7_separators_are_escaped_and_read_back_exactly(name: str) -> None:
    case = _case(family_name=name, given_name=name[::-1])
    case["encounter"]["clinician"] = f"Dr {name}"
    message, _ = _message(case, pdf=b"%PDF-1.7\n%%EOF\n")
    pid_line = message.split("\r")[2]
    assert pid_line.count("|") == 8, pid_line  # no field was split or added
    h = hl7.parse(message)
    pid = h.segment("PID")
    assert len(pid[5][0]) == 2, "family^given: exactly two components"
    assert h.unescape(str(pid[5][0][0])) == name and unescape(str(pid[5][0][0])) == name
    assert h.unescape(str(pid[5][0][1])) == name[::-1]
    assert str(pid[8]) == "U" and str(pid[7]) == "19700101"  # the fields after the name are where they belong
    assert unescape(str(h.segment("TXA")[9][0][1])) == f"Dr {name}"
    strict = parse_message(_short_payload(message), validation_level=VALIDATION_LEVEL.STRICT)
    assert strict.validate() is True
    assert unescape(strict.pid.pid_5.xpn_1.to_er7()) == name


def test_what_hl7_cannot_carry_is_refused_without_quoting_the_patient() -> None:
    long_name = "Ab^" * 66  # 198 characters, 264 once escaped
    with pytest.raises(Hl7Error) as err:
        _message(_case(family_name=long_name), pdf=b"%PDF-1.7\n%%EOF\n")
    assert "patient.family_name" in str(err.value) and "Ab" not in str(err.value)
    with pytest.raises(Hl7Error, match="not a PDF"):
        _message(_case(), pdf=b"not a pdf")
    with pytest.raises(Hl7Error, match="facility"):
        mdm_t02(_case(), {}, DocumentMeta(1, 1, False), b"%PDF-1.7\n", sending_facility="A|B",
                assigning_authority="X", control_id="C1", when=WHEN)


def test_control_ids_are_twenty_characters_and_unique() -> None:
    ids = {new_control_id() for _ in range(200)}
    assert len(ids) == 200 and all(len(i) == 20 and i.isalnum() for i in ids)


def test_acks_are_read_with_their_codes_and_texts() -> None:
    msh = "MSH|^~\\&|RIS|HOSP|KNEECHECK|RIVERSIDE|20261123||ACK^T02^ACK|R1|P|2.5\r"
    ok = parse_ack(f"{msh}MSA|AA|KC1\r".encode())
    assert (ok.code, ok.control_id, ok.text, ok.accepted) == ("AA", "KC1", "", True)
    assert parse_ack(f"{msh}MSA|CA|KC1\r".encode()).accepted
    refused = parse_ack(f"{msh}MSA|AE|KC1|Unknown patient\r".encode())
    assert (refused.code, refused.text, refused.accepted) == ("AE", "Unknown patient", False)
    from_err = parse_ack(f"{msh}MSA|AR|KC1\rERR|||207^Application internal error^HL70357|E||||Store down\r".encode())
    assert (from_err.code, from_err.text) == ("AR", "Store down")
    coded = parse_ack(f"{msh}MSA|CR|KC1\rERR|||204^Unknown key identifier^HL70357|E\r".encode())
    assert coded.text == "Unknown key identifier"
    hostile = parse_ack(f"{msh}MSA|AE|KC1|bad \x1b[31mred\x1b[0m \\F\\ text\r".encode())
    assert hostile.text == "bad [31mred [0m | text"  # no terminal escapes reach the screen
    for junk in (b"", b"hello", f"{msh}".encode(), f"{msh}MSA|XX|KC1\r".encode()):
        with pytest.raises(Hl7Error):
            parse_ack(junk)


# --- the command line against a local MLLP listener -------------------------------------------


def kneecheck(db: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "KNEECHECK_CLINICIAN": "Dr Script"}
    for name in ("KNEECHECK_DB", "KNEECHECK_FACILITY", "KNEECHECK_MRN_AUTHORITY"):
        env.pop(name, None)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", db, *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=ROOT, timeout=timeout)


def one_line(result: subprocess.CompletedProcess[str], status: int, *words: str) -> str:
    assert result.returncode == status, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


class Listener:
    """One MLLP connection on 127.0.0.1: read the message, then answer as ``mode`` says.

    aa: an AA ACK (sent in two pieces, a moment apart); ae: an AE ACK with a text; other: an AA
    for a different control id; close: hang up without answering; silent: keep the connection
    open and say nothing. ``sent_rows`` is the audit actions in the database when the message arrived.
    """

    def __init__(self, mode: str, db_file: Path) -> None:
        self.mode, self.db_file = mode, db_file
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(60)
        self.port = self.server.getsockname()[1]
        self.received: bytes | None = None
        self.sent_rows: list[str] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        try:
            conn, _ = self.server.accept()
        except OSError:
            return
        with conn:
            conn.settimeout(30)
            data = b""
            try:
                while b"\x1c\r" not in data:
                    chunk = conn.recv(65536)
                    if not chunk:
                        return
                    data += chunk
            except OSError:
                return
            with sqlite3.connect(self.db_file) as db:
                self.sent_rows = [r[0] for r in db.execute("SELECT action FROM audit_event ORDER BY id")]
            self.received = data
            message = data.split(b"\x1c\r")[0].lstrip(b"\x0b").decode("utf-8")
            control_id = str(hl7.parse(message).segment("MSH")[10])
            msh = "MSH|^~\\&|RIS|HOSP|KNEECHECK|RIVERSIDE|20261123||ACK^T02^ACK|R1|P|2.5\r"
            if self.mode == "aa":
                ack = f"\x0b{msh}MSA|AA|{control_id}|Filed as DOC-7\r\x1c\r".encode()
                conn.sendall(ack[:20])
                time.sleep(0.2)  # python-hl7's own client would return these 20 bytes as "the ACK"
                conn.sendall(ack[20:])
            elif self.mode == "ae":
                conn.sendall(f"\x0b{msh}MSA|AE|{control_id}|Patient Doe unknown here\r\x1c\r".encode())
            elif self.mode == "other":
                conn.sendall(f"\x0b{msh}MSA|AA|KC999\r\x1c\r".encode())
            elif self.mode == "silent":
                self.stop.wait(30)
            # "close": hang up without a word

    def close(self) -> None:
        self.stop.set()
        self.server.close()
        self.thread.join(timeout=35)
        assert not self.thread.is_alive()


@pytest.fixture
def imported_db(tmp_path: Path) -> tuple[str, Path, int]:
    """A SQLite database with one imported encounter whose patient has a hostile name."""
    path = tmp_path / "kc.db"
    url = f"sqlite:///{path}"
    case = json.loads((CASES_DIR / "cauda_equina.json").read_text(encoding="utf-8"))
    case["patient"]["family_name"] = "O'Brien^|~&\\Жу"
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(case), encoding="utf-8")
    result = kneecheck(url, "import", str(case_file))
    assert result.returncode == 0, result.stderr
    return url, path, int(result.stdout.strip())


@pytest.fixture
def listener(request: pytest.FixtureRequest, imported_db: tuple[str, Path, int]) -> Iterator[Listener]:
    server = Listener(request.param, imported_db[1])
    yield server
    server.close()


def actions(url: str) -> list[tuple[str, str]]:
    with Store.open(url) as store:
        return [(e["action"], e["detail"]) for e in store.audit_events()]


@pytest.mark.parametrize("listener", ["aa"], indirect=True)
def test_send_delivers_the_message_and_reports_the_ack(imported_db: tuple[str, Path, int], listener: Listener) -> None:
    url, _, encounter = imported_db
    before = actions(url)
    result = kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{listener.port}", "--timeout", "20",
                       "--facility", "RIVERSIDE")
    assert result.returncode == 0, result.stderr
    assert listener.received is not None and listener.received.startswith(b"\x0bMSH|")
    assert listener.received.endswith(b"\x1c\r")
    message = listener.received[1:-2].decode("utf-8")
    h = hl7.parse(message)
    control_id = str(h.segment("MSH")[10])
    assert result.stdout == f"encounter {encounter} sent to 127.0.0.1:{listener.port}: accepted (AA), " \
                            f"control id {control_id}: Filed as DOC-7\n"
    assert str(h.segment("MSH")[4]) == "RIVERSIDE" and str(h.segment("PID")[3]).endswith("^^^RIVERSIDE^MR")
    assert h.unescape(str(h.segment("PID")[5][0][0])) == "O'Brien^|~&\\Жу"
    pdf = extract_pdf(h)
    assert pdf.startswith(b"%PDF-")
    assert parse_message(_short_payload(message), validation_level=VALIDATION_LEVEL.STRICT).validate()

    after = actions(url)
    new = after[len(before):]
    assert [a for a, _ in new] == ["sent", "send_accepted"]
    assert new[0][1] == f"hl7 MDM^T02 to 127.0.0.1:{listener.port}, control id {control_id}"
    assert new[1][1] == f"hl7 MDM^T02 to 127.0.0.1:{listener.port}, control id {control_id}: AA"
    assert listener.sent_rows[-1] == "sent", "the audit row is written before the message leaves"


@pytest.mark.parametrize(("listener", "words"), [
    ("ae", ["refused (AE)", "Patient Doe unknown here"]),
    ("other", ["ACK is for another message"]),
    ("close", ["closed the connection before it acknowledged"]),
], indirect=["listener"])
def test_a_refusal_or_a_hang_up_is_one_line_exit_1_and_audited(imported_db: tuple[str, Path, int], listener: Listener,
                                                               words: list[str]) -> None:
    url, _, encounter = imported_db
    before = actions(url)
    result = kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{listener.port}", "--timeout", "20")
    line = one_line(result, 1, f"encounter {encounter} to 127.0.0.1:{listener.port}", *words)
    assert listener.received is not None
    new = actions(url)[len(before):]
    assert [a for a, _ in new] == ["sent", "send_failed"]
    assert new[1][1].startswith(new[0][1] + ": ")
    assert "Doe" not in new[1][1] and "Brien" not in new[1][1], "the receiver's words stay out of the audit trail"
    assert "Traceback" not in line


@pytest.mark.parametrize("listener", ["silent"], indirect=True)
def test_no_ack_within_the_timeout_is_exit_1(imported_db: tuple[str, Path, int], listener: Listener) -> None:
    url, _, encounter = imported_db
    started = time.monotonic()
    result = kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{listener.port}", "--timeout", "1.5",
                       timeout=60)
    elapsed = time.monotonic() - started
    one_line(result, 1, "no ACK within 1.5 s")
    assert elapsed < 12, elapsed  # start-up plus 1.5 s, not the listener's 30 s
    assert [a for a, _ in actions(url)][-2:] == ["sent", "send_failed"]


def test_nothing_listening_is_exit_1_and_audited(imported_db: tuple[str, Path, int]) -> None:
    url, _, encounter = imported_db
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]  # free once closed
    result = kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{port}", "--timeout", "5")
    one_line(result, 1, "connection refused")
    assert [a for a, _ in actions(url)][-2:] == ["sent", "send_failed"]


@pytest.mark.parametrize("destination", ["127.0.0.1", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:http", ":2575",
                                         "my host:2575"])
def test_a_bad_destination_is_exit_2_and_nothing_is_written(imported_db: tuple[str, Path, int], destination: str) -> None:
    url, _, encounter = imported_db
    before = actions(url)
    one_line(kneecheck(url, "send", str(encounter), "--mllp", destination), 2, "--mllp", "HOST:PORT")
    assert actions(url) == before


def test_bad_input_is_exit_2_and_nothing_is_written(imported_db: tuple[str, Path, int], tmp_path: Path) -> None:
    url, _, encounter = imported_db
    before = actions(url)
    with socket.create_server(("127.0.0.1", 0)) as server:  # would accept, if anything tried
        server.settimeout(0.1)
        port = server.getsockname()[1]
        one_line(kneecheck(url, "send", "999", "--mllp", f"127.0.0.1:{port}"), 2, "no encounter with id 999")
        one_line(kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{port}", "--facility", "A^B"), 2,
                 "--facility")
        one_line(kneecheck(url, "send", str(encounter), "--mllp", f"127.0.0.1:{port}", "--timeout", "0"), 2,
                 "--timeout")
        with pytest.raises(TimeoutError):
            server.accept()  # nobody connected
    one_line(kneecheck(url, "export", "999", "--hl7"), 2, "no encounter with id 999")
    existing = tmp_path / "taken.hl7"
    existing.write_bytes(b"keep me")
    one_line(kneecheck(url, "export", str(encounter), "--hl7", "-o", str(existing)), 2, "already exists")
    assert existing.read_bytes() == b"keep me"
    one_line(kneecheck(url, "export", str(encounter), "--hl7", "-o", str(tmp_path / "x.pdf")), 2, "not a PDF")
    one_line(kneecheck(url, "export", str(encounter), "--hl7", "--json"), 2, "--json")
    assert not (tmp_path / "x.pdf").exists()
    assert actions(url) == before


def test_export_hl7_writes_a_new_owner_only_file_or_stdout(imported_db: tuple[str, Path, int], tmp_path: Path) -> None:
    url, _, encounter = imported_db
    out = tmp_path / "summary.hl7"
    result = kneecheck(url, "export", str(encounter), "--hl7", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert os.stat(out).st_mode & 0o777 == 0o600
    message = out.read_bytes().decode("utf-8")
    h = hl7.parse(message)
    assert str(h.segment("MSH")[4]) == "KNEECHECK"  # the documented default facility
    assert str(h.segment("TXA")[17]) == "IP"  # an imported encounter is a draft
    assert extract_pdf(h).startswith(b"%PDF-")
    control_id = str(h.segment("MSH")[10])

    env = {**os.environ, "KNEECHECK_CLINICIAN": "Dr Script", "KNEECHECK_FACILITY": "RIVERSIDE",
           "KNEECHECK_MRN_AUTHORITY": "MPI"}
    printed = subprocess.run([sys.executable, str(ROOT / "main.py"), "--db", url, "export", str(encounter), "--hl7"],
                             capture_output=True, env=env, cwd=ROOT, timeout=120)  # bytes: segments end in CR
    assert printed.returncode == 0, printed.stderr
    assert printed.stdout.endswith(b"\r") and b"\n" not in printed.stdout
    h2 = hl7.parse(printed.stdout.decode("utf-8"))
    assert str(h2.segment("MSH")[4]) == "RIVERSIDE"
    assert str(h2.segment("PID")[3]).endswith("^^^MPI^MR") and str(h2.segment("MSH")[10]) != control_id
    rows = [r for r in actions(url) if r[0] == "exported"]
    assert rows[-2:] == [("exported", f"hl7 MDM^T02, control id {control_id}"),
                         ("exported", f"hl7 MDM^T02, control id {h2.segment('MSH')[10]}")]


def test_a_finalized_encounter_and_its_amendment_travel_with_their_status(imported_db: tuple[str, Path, int],
                                                                           tmp_path: Path) -> None:
    from models.store import Actor

    url, _, encounter = imported_db
    actor = Actor("Dr Signer", "tester", "host")
    with Store.open(url) as store:
        final = store.finalize(encounter, store.load_encounter(encounter).version, actor)
        amendment = store.amend(encounter, "wrong knee", actor)
    assert final.finalized_at is not None

    from models.fhir_terms import DEFAULT_MRN_SYSTEM
    from reports.fhir import document_uuid

    def document(record: Any) -> str:  # TXA-12: the FHIR DocumentReference's identifier too
        return document_uuid(DEFAULT_MRN_SYSTEM, record.patient.mrn, record.id,
                             record.created_at.isoformat()).removeprefix("urn:uuid:")

    def exported(encounter_id: int, name: str) -> Any:
        path = tmp_path / name
        assert kneecheck(url, "export", str(encounter_id), "--hl7", "-o", str(path)).returncode == 0
        return hl7.parse(path.read_bytes().decode("utf-8"))

    # While the amendment is a draft the signed document stays available, and the draft replaces nothing.
    h = exported(encounter, "final.hl7")
    txa, obx = h.segment("TXA"), h.segment("OBX")
    assert str(h.segment("MSH")[9]) == "MDM^T02^MDM_T02"
    assert (str(txa[12]), str(txa[17]), str(txa[19]), str(obx[11])) == (f"{document(final)}^KNEECHECK", "AU", "AV", "F")
    assert str(txa[22]) == "^Dr Signer" + "^" * 13 + final.finalized_at.astimezone(dt.UTC).strftime("%Y%m%d%H%M%S+0000")
    draft = exported(amendment.id, "amendment-draft.hl7")
    assert str(draft.segment("MSH")[9]) == "MDM^T02^MDM_T02" and str(draft.segment("TXA")[13]) == ""
    assert (str(draft.segment("TXA")[12]), str(draft.segment("TXA")[17])) == (f"{document(amendment)}^KNEECHECK", "IP")

    # Finalized, the amendment replaces the signed document (T10, TXA-13), which becomes obsolete.
    with Store.open(url) as store:
        signed = store.finalize(amendment.id, store.load_encounter(amendment.id).version, actor)
    replacement = exported(signed.id, "amendment.hl7")
    txa = replacement.segment("TXA")
    assert str(replacement.segment("MSH")[9]) == "MDM^T10^MDM_T02" and str(replacement.segment("EVN")[1]) == "T10"
    assert (str(txa[12]), str(txa[13]), str(txa[17]), str(txa[19])) == \
        (f"{document(signed)}^KNEECHECK", f"{document(final)}^KNEECHECK", "AU", "AV")
    old = exported(encounter, "final-again.hl7").segment("TXA")
    assert (str(old[12]), str(old[19])) == (f"{document(final)}^KNEECHECK", "OB")
