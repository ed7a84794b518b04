"""KneeCheck in the clinic's language: the translations complete, the pseudo language over the whole
window and the summary, and German chosen the way a clinic chooses it.

- Completeness: ``tools.translations.check`` extracts every string afresh (pyside6-lupdate over ui/,
  Babel over models/, reports/ and both rule sets) and fails on any entry of de, fr or es that is
  missing, unfinished, fuzzy, obsolete, or whose placeholders differ; each rule set must load
  translated.
- The pseudo language ``xx`` (tools.translations.pseudo: every string bracketed ⟦…⟧ and a third
  longer) is made from a fresh extraction. The real window under Xvfb and openbox at 1366x768
  (tests/i18n_child.py) is opened on every page and dialog a visit reaches; any visible text with
  words outside the brackets that are not data (the patient, the clinician, the clinic, names of
  libraries and fonts) is English left on screen, and a label, button or box title narrower than
  its text is cut off. The summary read back from its PDF (pdftotext) in ``xx`` likewise: no
  English outside brackets but data and the cited literature, every bracket closed.
- German: LANG=de_DE.UTF-8 gives a German window (texts from kneecheck_de.ts, read here, never
  typed in the test), and a summary printed in German carries the .po's German headings and no
  English ones, while the stored assessment stays the rule set's own.

The window test skips without Xvfb or openbox, and the PDF tests without poppler; under CI=true
they fail instead.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.xserver import x_display

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
OPEN, CLOSE = "\u27e6", "\u27e7"

# Names that are not English wording: the product, languages by their own names, and Qt's key names
# in shortcuts (those come from qtbase's own catalogue, which has no pseudo language).
DATA_WORDS = {"KneeCheck", "Deutsch", "English", "Fran\u00e7ais", "Espa\u00f1ol", "xx", "UTC"}


def checked_text(shown: dict[str, Any]) -> str:
    """The part of a shown text that is wording. In "Who saw this patient" the audit rows' own
    values (workstation, OS user, the action's id, the detail) are data: only the kind of access
    before ": " is the window's word."""
    if shown["widget"] == "QTableView" and shown["name"] == "access_table" and shown["column"] is not None:
        return shown["text"].split(": ")[0] if shown["column"] == 4 else ""
    return str(shown["text"])
KEY_NAMES = {"Ctrl", "Shift", "Alt", "Meta", "Del", "Delete", "Esc", "PgUp", "PgDown", "Return", "Enter", "Tab",
             "Backspace", "Space", "Home", "End", "Ins", "Print", "Up", "Down", "Left", "Right", "or"}
KEY_SEQUENCE = re.compile(r"^[A-Za-z0-9]+(\+[A-Za-z0-9]+)*( ⟦õr~⟧ [A-Za-z0-9]+(\+[A-Za-z0-9]+)*)*$")
LEVEL = re.compile(r"^(L[1-5]|S[1-2])$")
# The pseudo language writes every vowel accented (tools.translations.pseudo): a word with a plain
# vowel is not from a translation, wherever it stands, inside a translated template's brackets too
# (English put into a translated "Why: {reason}" is English on screen).
PLAIN_VOWEL = re.compile(r"[AEIOUYaeiouy]")


def strip_brackets(text: str) -> str:
    """``text`` without its bracketed (translated) pieces, innermost first."""
    inner = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")
    while True:
        shorter = inner.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def english_left(text: str, data: set[str]) -> list[str]:
    """The words of ``text`` that no translation made and that are not data: a word with a plain
    vowel anywhere, or any word outside the brackets."""
    if KEY_SEQUENCE.match(text.strip()) and all(k in KEY_NAMES or len(k) <= 3 for k in re.findall(r"[A-Za-z]{2,}", text)):
        return []  # a shortcut as Qt names it: "Ctrl+Shift+F"
    rest = text
    for value in sorted(data, key=len, reverse=True):
        if value:
            rest = rest.replace(value, " ")
    outside = set(re.findall(r"[^\W\d_]{2,}", strip_brackets(rest)))
    return [w for w in re.findall(r"[^\W\d_]{2,}", rest)
            if w not in DATA_WORDS and not LEVEL.match(w) and (w in outside or PLAIN_VOWEL.search(w))]


@pytest.fixture(scope="session")
def pseudo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tools.translations import make_pseudo

    return make_pseudo(tmp_path_factory.mktemp("pseudo"))


def need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{', '.join(missing)} missing under CI (make test installs them)")
        pytest.skip(f"{', '.join(missing)} not installed")


# --- completeness ------------------------------------------------------------------------------------

def test_every_language_is_complete_and_current() -> None:
    from tools.translations import check

    problems = check()
    assert problems == [], "\n".join(problems[:40]) + (f"\n... and {len(problems) - 40} more" if len(problems) > 40 else "")


def test_the_pseudo_check_finds_english_inside_and_outside_brackets() -> None:
    """Review finding: English put into a translated template, or plain UI words, passed."""
    from tools.translations import pseudo

    assert english_left(pseudo("Why: {reason}").format(reason="The spinal findings lead"), set()) != []
    assert english_left("Left Right Print Test Home End", set()) != []
    assert english_left(pseudo("Why: {reason}").format(reason=pseudo("The spinal findings lead")), set()) == []
    assert english_left("Ctrl+Shift+F", set()) == []


def test_the_check_finds_an_unfinished_window_string(tmp_path: Path) -> None:
    from tools import translations

    ts = tmp_path / "kneecheck_de.ts"
    text = translations._ts_path("de").read_text(encoding="utf-8")
    ts.write_text(text.replace("<translation>", '<translation type="unfinished">', 1), encoding="utf-8")
    assert any("untranslated" in p for p in translations.check_ts(ts))
    ts.write_text(text.replace("{", "{x", 1) if "{" in text else text, encoding="utf-8")


def test_the_check_fails_on_an_untranslated_and_a_broken_entry(tmp_path: Path) -> None:
    """The completeness check can fail: an emptied entry and a changed placeholder are both found."""
    from tools import translations

    po = translations._read_po(translations._po_path("de"), "de")
    entries = [m for m in po if m.id and isinstance(m.id, str) and "{" in m.id and m.string]
    target = entries[0]
    plain = next(m for m in po if m.id and isinstance(m.id, str) and "{" not in m.id and m.string)
    target.string = target.string.replace("{", "{x")
    plain.string = ""
    path = tmp_path / "kneecheck.po"
    translations._write_po(path, po)
    found = translations.check_po(path, "de")
    assert any("placeholders differ" in p for p in found), found
    assert any("untranslated" in p for p in found), found


# --- the summary in the pseudo language --------------------------------------------------------------

def summary_text(case_name: str, language: str, tmp_path: Path, **status: Any) -> tuple[str, dict[str, Any]]:
    from models.assessment import assess
    from models.case import parse_case
    from reports.summary import render_summary

    case = parse_case(json.loads((CASES / f"{case_name}.json").read_text(encoding="utf-8")))
    assessment = assess(case).to_dict()
    pdf = render_summary(case.to_dict(), assessment, language=language,
                         status={"state": "final", "finalized_by": "Dr Ada Example",
                                 "finalized_at": "2026-12-01T10:00:00+00:00", "fingerprint": "ABCD-EF01-2345-6789",
                                 **status})
    path = tmp_path / f"{case_name}-{language}.pdf"
    path.write_bytes(pdf)
    run = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return run.stdout, {"case": case, "assessment": assessment}


@pytest.fixture
def pseudo_language(pseudo_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    from models import i18n
    from models.catalogue import _loaded

    monkeypatch.setenv(i18n.EXTRA_DIR_VARIABLE, str(pseudo_dir))
    i18n.translation.cache_clear()
    yield "xx"
    i18n.translation.cache_clear()
    for key in [k for k in _loaded if "@" in k]:
        del _loaded[key]


@pytest.mark.parametrize("case_name", ["cauda_equina", "knee_and_hip_mixed", "incomplete_exam"])
def test_the_summary_in_the_pseudo_language_has_no_english_left(pseudo_language: str, case_name: str,
                                                                tmp_path: Path) -> None:
    need("pdftotext")
    from models.catalogue import load_catalogue

    text, made = summary_text(case_name, pseudo_language, tmp_path)
    case = made["case"]
    data = {case.patient.family_name, case.patient.given_name, case.patient.mrn, case.encounter.clinician,
            "Dr Ada Example", "ABCD-EF01-2345-6789", "kneecheck verify --fingerprint", case.notes or ""}
    data |= set(load_catalogue().references.values())  # cited literature is printed as published
    flat = " ".join(text.split())
    data = {" ".join(d.split()) for d in data}
    left = english_left(flat, data)
    assert left == [], f"English left on the summary: {sorted(set(left))}"
    assert flat.count(OPEN) == flat.count(CLOSE), "a bracketed text is cut off"
    assert re.search(f"{OPEN}Pàgé 1 õf \\d~+{CLOSE}", flat), "the page label is not whole"


# --- the window in the pseudo language ---------------------------------------------------------------

def test_the_whole_window_in_the_pseudo_language(pseudo_dir: Path, tmp_path: Path) -> None:
    """Every page and dialog a visit reaches, at 1366x768: no English on screen, nothing cut off."""
    out = tmp_path / "texts.json"
    with x_display(1366, 768) as env:
        env = dict(env, XDG_CONFIG_HOME=str(tmp_path / "settings"), LANGUAGE="xx", LC_ALL="C.UTF-8", LANG="C.UTF-8",
                   KNEECHECK_TRANSLATIONS=str(pseudo_dir))
        run = subprocess.run([sys.executable, "-m", "tests.i18n_child", f"sqlite:///{tmp_path / 'k.db'}", str(out)],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["language"] == "xx"
    texts = result["texts"]
    assert len({t["where"] for t in texts}) >= 15, sorted({t["where"] for t in texts})
    data = {"Example, Kim", "Example", "Kim", "K-0001", "1961-03-04", "Dr Ada Example", "Test Clinic", "1 Test Road",
            "2027.1", "tester", "exam-room-1", "sqlite:///" + str(tmp_path / "k.db"), "k.db",
            "Straight leg raise", "Positive", "Negative",  # the conflict dialog's rows are data
            "Letter"}  # the paper sizes by their names (A4, Letter)
    data |= _about_data()
    english = [f"{t['where']}: {t['widget']} {t['name']}: {t['text']!r} ({', '.join(english_left(checked_text(t), data))})"
               for t in texts if english_left(checked_text(t), data)]
    assert english == [], "English left on screen:\n" + "\n".join(english)
    cut = [f"{t['where']}: {t['widget']} {t['name']}: {t['text']!r}" for t in texts if not t["whole"]]
    assert cut == [], "cut off:\n" + "\n".join(cut)


def _about_data() -> set[str]:
    """About lists libraries and fonts by their names, versions and licences: data, not wording."""
    from ui.help import font_licences, library_licences

    out: set[str] = set()
    for lib in library_licences():
        out |= {lib.name, lib.version, lib.licence}
    for font in font_licences():
        out |= {font.name, font.licence, font.role}
    import PySide6

    out |= {PySide6.__version__, "Qt"}
    return out


# --- German, as a clinic chooses it ----------------------------------------------------------------

def ts_translation(lang: str, context: str, source: str) -> str:
    tree = ET.parse(ROOT / "resources" / "translations" / f"kneecheck_{lang}.ts")
    for ctx in tree.getroot().iter("context"):
        if ctx.findtext("name") == context:
            for message in ctx.iter("message"):
                if message.findtext("source") == source:
                    return message.findtext("translation") or ""
    raise AssertionError(f"{context}: {source!r} is not in kneecheck_{lang}.ts")


def po_translation(lang: str, msgid: str) -> str:
    from tools import translations

    catalog = translations._read_po(translations._po_path(lang), lang)
    message = catalog.get(msgid)
    assert message is not None and message.string, f"{msgid!r} has no {lang} translation"
    return str(message.string)


def test_lang_de_starts_a_german_window(tmp_path: Path) -> None:
    out = tmp_path / "texts.json"
    with x_display(1366, 768) as env:
        env = dict(env, XDG_CONFIG_HOME=str(tmp_path / "settings"), LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG="de_DE.UTF-8")
        env.pop("KNEECHECK_TRANSLATIONS", None)
        run = subprocess.run([sys.executable, "-m", "tests.i18n_child", f"sqlite:///{tmp_path / 'k.db'}", str(out)],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["language"] == "de"
    shown = {t["text"] for t in result["texts"]}
    for context, source in (("MainWindow", "&Encounter"), ("MainWindow", "&Save"), ("SignInPage", "Create the first clinician account")):
        german = ts_translation("de", context, source)
        assert german and german != source
        assert german in shown, f"{german!r} (for {source!r}) not on screen"
    assert po_translation("de", "Straight leg raise") + " *" in shown  # a key item's label, from the .po
    assert "&Encounter" not in shown and "Create the first clinician account" not in shown


def test_the_settings_choice_wins_over_the_locale(tmp_path: Path) -> None:
    """A workstation set to French in Settings opens in French even where LANG says German."""
    from models.settings import Settings, save_settings

    settings_dir = tmp_path / "settings"
    (settings_dir / "KneeCheck").mkdir(parents=True)
    save_settings(Settings(language="fr"), settings_dir / "KneeCheck" / "KneeCheck.conf")
    out = tmp_path / "texts.json"
    with x_display(1366, 768) as env:
        env = dict(env, XDG_CONFIG_HOME=str(settings_dir), LANGUAGE="", LC_ALL="", LC_MESSAGES="", LANG="de_DE.UTF-8")
        env.pop("KNEECHECK_TRANSLATIONS", None)
        run = subprocess.run([sys.executable, "-m", "tests.i18n_child", f"sqlite:///{tmp_path / 'k.db'}", str(out)],
                             env=env, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert run.returncode == 0, run.stderr[-3000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["language"] == "fr"
    assert ts_translation("fr", "MainWindow", "&Encounter") in {t["text"] for t in result["texts"]}


def test_a_summary_printed_in_german_keeps_the_stored_assessment(tmp_path: Path) -> None:
    need("pdftotext")
    text, made = summary_text("cauda_equina", "de", tmp_path)
    flat = " ".join(text.split())
    for heading in ("Suggested direction", "Next steps", "Signature and status", "Findings, in checklist order"):
        assert po_translation("de", heading) in flat
        assert heading not in flat
    assert po_translation("de", "Straight leg raise") in flat
    # Stored data stays the rule set's own: the assessment handed in is not changed by printing.
    assert made["assessment"]["reason"].startswith("The ")


def test_a_stored_assessment_that_differs_is_printed_in_its_own_words(tmp_path: Path) -> None:
    """worded_in rewords only what decides the same: a stored assessment whose scores do not follow
    from its findings (an older or a tampered one) is printed as stored, never reworded."""
    from models.assessment import assess, worded_in
    from models.case import parse_case

    case = parse_case(json.loads((CASES / "cauda_equina.json").read_text(encoding="utf-8")))
    stored = assess(case).to_dict()
    worded = worded_in(stored, case.findings, case.age_years, case.encounter.knee, "de")
    assert worded is not None and worded["reason"] != stored["reason"]
    assert {k: worded[k] for k in ("direction", "scores", "levels")} == {k: stored[k] for k in ("direction", "scores", "levels")}
    changed = dict(stored, scores={**stored["scores"], "hip": stored["scores"]["hip"] + 1})
    assert worded_in(changed, case.findings, case.age_years, case.encounter.knee, "de") is None
    # Review finding: the same decisions with other words (an older engine's, or altered) are not reworded.
    reworded = dict(stored, next_steps=["Something else entirely."] * len(stored["next_steps"]))
    assert worded_in(reworded, case.findings, case.age_years, case.encounter.knee, "de") is None
    retold = dict(stored, reason="Another reason.")
    assert worded_in(retold, case.findings, case.age_years, case.encounter.knee, "de") is None


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_two_alt_keys_are_the_same_in_each_language(qtbot, store, isolated_settings, language: str,  # type: ignore[no-untyped-def]
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """The translators chose the & letters: the window's clash check, in each language."""
    from PySide6.QtWidgets import QMessageBox

    from tests.test_ui_keyboard import check_alt_keys, open_new

    # Closing the window at the end asks about the new encounter: answered Discard, never left waiting.
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *_a, **_k: QMessageBox.StandardButton.Discard))
    from tests.ui_helpers import make_window
    from ui.i18n import install

    assert install(language) == language
    try:
        window = make_window(qtbot, store)
        open_new(qtbot, window, store)
        assert ts_translation(language, "MainWindow", "&Encounter") in [a.text() for a in window.menuBar().actions()]
        check_alt_keys(window)
    finally:
        install("en")
