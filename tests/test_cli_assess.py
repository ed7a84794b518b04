"""The command line as a user or a script sees it: output, exit status, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import CASE_NAMES, CASE_NAMES_2026_1, CASES_DIR, load_example, make_case

ROOT = Path(__file__).resolve().parent.parent


def run_main(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONIOENCODING": "ascii"}
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          encoding="utf-8", env=env, cwd=cwd or ROOT, timeout=60)


def assert_user_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0]


FIELDS_2026_1 = {"ruleset", "direction", "urgency", "scores", "alerts", "levels", "contributions", "not_assessed",
                 "reason", "next_steps"}


def _matches(out: dict, expected: dict) -> None:
    for key, value in expected.items():
        assert (sorted(a["id"] for a in out["alerts"]) if key == "alerts" else out[key]) == value, key
    assert all(set(a) == {"id", "tier", "text"} and a["text"] for a in out["alerts"])
    assert out["next_steps"] and out["reason"]


@pytest.mark.parametrize("name", CASE_NAMES)
def test_assess_prints_the_expected_json(name: str) -> None:
    result = run_main("assess", str(CASES_DIR / f"{name}.json"))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    _, expected = load_example(name)
    assert set(out) == FIELDS_2026_1 | {"sources", "spinal_unexamined"}
    assert out["ruleset"] == "2027.1"
    _matches(out, expected)


@pytest.mark.parametrize("name", CASE_NAMES_2026_1)
def test_assess_under_2026_1_prints_its_expected_json(name: str) -> None:
    result = run_main("assess", "--ruleset", "2026.1", str(CASES_DIR / f"{name}.json"))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    _, expected = load_example(name, "2026.1")
    assert set(out) == FIELDS_2026_1
    assert out["ruleset"] == "2026.1"
    _matches(out, expected)


def test_a_new_item_is_bad_input_under_2026_1() -> None:
    result = run_main("assess", "--ruleset", "2026.1", str(CASES_DIR / "teen_limp.json"))
    assert_user_error(result, "findings.limp", "unknown checklist item", "2026.1")


@pytest.mark.parametrize("command", ["assess", "report"])
def test_unknown_ruleset_names_the_known_ones(command: str, tmp_path: Path) -> None:
    extra = ["-o", str(tmp_path / "out.pdf")] if command == "report" else []
    result = run_main(command, "--ruleset", "2025.9", str(CASES_DIR / "l3_radiculopathy.json"), *extra)
    assert_user_error(result, "2025.9", "2026.1", "2027.1")
    assert not (tmp_path / "out.pdf").exists()


def test_non_latin_output_survives_an_ascii_terminal(tmp_path: Path) -> None:
    case = tmp_path / "c.json"
    case.write_text(json.dumps(make_case({"slr": "positive"}, patient={"family_name": "Ηλίας"})), encoding="utf-8")
    result = run_main("assess", str(case))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("content", "words"), [
    (json.dumps(make_case({"slr": "maybe"})), ("findings.slr", "positive, negative")),
    (json.dumps(make_case(patient={"sex": "F"})), ("patient.sex", "female")),
    (json.dumps({**make_case(), "extra": 1}), ("extra", "unknown field")),
    ("{not json", ("not valid JSON", "line 1")),
])
def test_bad_case_exits_2_with_one_line(tmp_path: Path, content: str, words: tuple[str, ...]) -> None:
    case = tmp_path / "bad.json"
    case.write_text(content, encoding="utf-8")
    assert_user_error(run_main("assess", str(case)), "bad.json", *words)


def test_missing_file(tmp_path: Path) -> None:
    assert_user_error(run_main("assess", str(tmp_path / "nope.json")), "nope.json", "no such file")


def test_directory(tmp_path: Path) -> None:
    assert_user_error(run_main("assess", str(tmp_path)), "folder")


def test_not_utf8(tmp_path: Path) -> None:
    case = tmp_path / "latin1.json"
    case.write_bytes(b'{"format": "\xe9"}')
    assert_user_error(run_main("assess", str(case)), "UTF-8")


def test_unreadable_file(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads files whatever their mode")
    case = tmp_path / "locked.json"
    case.write_text("{}")
    case.chmod(0)
    assert_user_error(run_main("assess", str(case)), "cannot be read")


def test_usage_errors_are_one_line() -> None:
    assert_user_error(run_main("assess"), "CASE.json")
    assert_user_error(run_main("frobnicate"), "invalid choice")


@pytest.mark.parametrize("args", [("--help",), ("assess", "--help")])
def test_help(args: tuple[str, ...]) -> None:
    result = run_main(*args)
    assert result.returncode == 0
    assert "usage:" in result.stdout and "assess" in result.stdout
