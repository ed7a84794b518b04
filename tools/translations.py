"""KneeCheck's translations: extract, build, check and make the pseudo language.

    python -m tools.translations extract   # refresh the sources from the code and the rule sets
    python -m tools.translations build     # .ts -> .qm (pyside6-lrelease), .po -> .mo (Babel)
    python -m tools.translations check     # extract afresh into a temporary folder; fail on any
                                           # missing, unfinished, obsolete or broken entry
    python -m tools.translations pseudo DIR  # a pseudo language "xx" into DIR (for the tests)

Two pipelines, because models/ and reports/ never import Qt:
- The window: ``pyside6-lupdate`` reads ui/*.py (literal ``translate("Context", ...)`` calls and
  ``QT_TRANSLATE_NOOP``) into resources/translations/kneecheck_<lang>.ts.
- The rule sets' wording (both rule sets), the answers' words and every label of the summary:
  Babel extracts ``_``, ``N_``, ``pgettext`` and ``ngettext`` from models/ and reports/ and the
  wording keys of resources/rulesets/*.json into resources/locale/kneecheck.pot, merged into
  resources/locale/<lang>/LC_MESSAGES/kneecheck.po.

The built .qm and .mo files are not committed; ``make translations`` (part of set-up) builds them.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import string
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
LOCALE_DIR = ROOT / "resources" / "locale"
RULESET_DIR = ROOT / "resources" / "rulesets"
POT = LOCALE_DIR / "kneecheck.pot"
DOMAIN = "kneecheck"
LANGUAGES = ("de", "fr", "es")
PSEUDO = "xx"
KEYWORDS = {"_": None, "N_": None, "gettext_in": (2,), "pgettext": ((1, "c"), 2), "pgettext_in": ((2, "c"), 3),
            "ngettext": (1, 2)}
COMMENT_TAGS = ["Translators:"]


def _qt_tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    if found.exists():
        return str(found)
    which = shutil.which(name)
    if which is None:
        raise SystemExit(f"{name} not found: it comes with PySide6 (run make venv)")
    return which


def ui_sources() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "ui").glob("*.py"))


# ---- gettext: the rule sets and the summary -------------------------------------------------

def template():  # -> babel.messages.catalog.Catalog
    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    sys.path.insert(0, str(ROOT))
    from models.catalogue import wording

    catalog = Catalog(project="KneeCheck", domain=DOMAIN, fuzzy=False, charset="utf-8")
    for folder in ("models", "reports"):
        for filename, lineno, message, comments, context in extract_from_dir(
                ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=COMMENT_TAGS,
                strip_comment_tags=True):
            catalog.add(message, None, [(f"{folder}/{filename}", lineno)], auto_comments=comments, context=context)
    for path in sorted(RULESET_DIR.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if "ruleset" not in data:
            continue
        where = f"resources/rulesets/{path.name}"
        for text in wording(data):
            catalog.add(text, None, [(where, 0)], auto_comments=_placeholder_note(text))
        for item in data.get("items", []):
            values = item.get("values") or (["yes", "no"] if item.get("type") == "yesno" else [])
            for value in values:
                catalog.add(value[:1].upper() + value[1:], None, [(where, 0)], context="answer",
                            auto_comments=[f"An answer to: {item.get('short', item.get('id'))}"])
        for tier in [t["id"] for t in data.get("tiers", [])] + ["routine"]:
            catalog.add(tier, None, [(where, 0)], context="urgency",
                        auto_comments=["An urgency as printed after 'Urgency:' (lower case)"])
        for target in data.get("targets", []):
            catalog.add(target["id"], None, [(where, 0)], context="score",
                        auto_comments=["A score's name in a tally such as 'spinal 5, local 2, hip 0'"])
    return catalog


def _placeholder_note(text: str) -> list[str]:
    names = sorted({name for _, name, _, _ in string.Formatter().parse(text) if name})
    return [f"Keep the placeholders exactly: {', '.join('{' + n + '}' for n in names)}"] if names else []


def _po_path(lang: str, base: Path = LOCALE_DIR) -> Path:
    return base / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def _read_po(path: Path, lang: str):
    from babel.messages.pofile import read_po

    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def _write_po(path: Path, catalog, **options) -> None:
    from babel.messages.pofile import write_po

    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        write_po(handle, catalog, width=100, **options)


def extract_gettext(base: Path = LOCALE_DIR, languages: Iterable[str] = LANGUAGES) -> None:
    from babel.messages.catalog import Catalog

    pot = template()
    _write_po(base / f"{DOMAIN}.pot", pot, omit_header=False)
    for lang in languages:
        path = _po_path(lang, base)
        catalog = _read_po(path, lang) if path.exists() else Catalog(locale=lang, domain=DOMAIN)
        catalog.update(pot, update_header_comment=False, no_fuzzy_matching=True)
        catalog.fuzzy = False
        catalog.project, catalog.version = "KneeCheck", ""
        catalog.language_team = f"KneeCheck translators ({lang})"
        catalog.msgid_bugs_address = ""
        catalog.header_comment = (f"# KneeCheck: the rule sets' wording and the printed summary, in {lang}.\n"
                                  "# Source: python -m tools.translations extract; see README, Languages.")
        _write_po(path, catalog, ignore_obsolete=False)


# ---- Qt: the window ---------------------------------------------------------------------------

def _ts_path(lang: str, base: Path = TS_DIR) -> Path:
    return base / f"kneecheck_{lang}.ts"


def extract_qt(base: Path = TS_DIR, languages: Iterable[str] = LANGUAGES) -> None:
    base.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        path = _ts_path(lang, base)
        subprocess.run([_qt_tool("pyside6-lupdate"), *ui_sources(), "-source-language", "en", "-target-language", lang,
                        "-locations", "relative", "-ts", str(path)], cwd=ROOT, check=True, capture_output=True)


# ---- build ------------------------------------------------------------------------------------

def build(ts_dir: Path = TS_DIR, locale_dir: Path = LOCALE_DIR, out_qm: Path | None = None,
          out_mo: Path | None = None) -> list[Path]:
    """Every .ts into .qm and every .po into .mo, beside their sources unless told otherwise."""
    from babel.messages.mofile import write_mo

    made = []
    for ts in sorted(ts_dir.glob("kneecheck_*.ts")):
        qm = (out_qm or ts_dir) / (ts.stem + ".qm")
        qm.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run([_qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(qm)], check=True)
        made.append(qm)
    for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        lang = po.parent.parent.name
        mo = (out_mo or locale_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo.parent.mkdir(parents=True, exist_ok=True)
        catalog = _read_po(po, lang)
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        made.append(mo)
    return made


# ---- check ------------------------------------------------------------------------------------

_QT_PLACEHOLDER = re.compile(r"%n|%\d+|\{[a-z_0-9]*\}")


def _placeholders(text: str) -> list[str]:
    return sorted(_QT_PLACEHOLDER.findall(text))


def check_ts(path: Path) -> list[str]:
    problems = []
    tree = ET.parse(path)
    for context in tree.getroot().iter("context"):
        name = context.findtext("name")
        for message in context.iter("message"):
            source = message.findtext("source") or ""
            tr = message.find("translation")
            kind = tr.get("type") if tr is not None else "missing"
            forms = [f.text or "" for f in tr.iter("numerusform")] if tr is not None else []
            text = (tr.text or "") if tr is not None and not forms else ""
            where = f"{path.name}: {name}: {source[:60]!r}"
            if kind in ("obsolete", "vanished"):
                problems.append(f"{where}: obsolete (no longer in the code)")
            elif kind == "unfinished" or not (text.strip() or any(f.strip() for f in forms)):
                problems.append(f"{where}: untranslated")
            else:
                for form in (forms or [text]):
                    if _placeholders(form) != _placeholders(source) and not (forms and "%n" in source):
                        problems.append(f"{where}: placeholders differ ({_placeholders(form)} vs {_placeholders(source)})")
                if source.count("&") == 1 and source.find("&") < len(source) - 1 and text.count("&") != 1:
                    problems.append(f"{where}: the shortcut letter (&) is missing")
    return problems


def check_po(path: Path, lang: str) -> list[str]:
    problems = []
    catalog = _read_po(path, lang)
    for message in catalog:
        if not message.id:
            continue
        where = f"{path.parent.parent.name}/{path.name}: {message.id[:60] if isinstance(message.id, str) else message.id[0][:60]!r}"
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy:
            problems.append(f"{where}: fuzzy")
        if not all(s and s.strip() for s in strings):
            problems.append(f"{where}: untranslated")
            continue
        source = message.id if isinstance(message.id, str) else message.id[0]
        want = sorted(name for _, name, _, _ in string.Formatter().parse(source) if name)
        for s in strings:
            got = sorted(name for _, name, _, _ in string.Formatter().parse(s) if name)
            if got != want:
                problems.append(f"{where}: placeholders differ ({got} vs {want})")
    for message in catalog.obsolete.values():
        problems.append(f"{path.parent.parent.name}/{path.name}: {str(message.id)[:60]!r}: obsolete (no longer extracted)")
    return problems


def check(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Extract afresh (into a temporary copy of the sources) and report every entry that is missing,
    unfinished, fuzzy, obsolete or whose placeholders differ; then load each rule set in each
    language (a template a translation broke is refused there too)."""
    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        ts_copy, po_copy = Path(tmp) / "ts", Path(tmp) / "locale"
        ts_copy.mkdir()
        for lang in languages:
            src = _ts_path(lang)
            if not src.exists():
                problems.append(f"{src.relative_to(ROOT)}: missing")
                continue
            shutil.copy(src, _ts_path(lang, ts_copy))
            po = _po_path(lang)
            if not po.exists():
                problems.append(f"{po.relative_to(ROOT)}: missing")
                continue
            _po_path(lang, po_copy).parent.mkdir(parents=True)
            shutil.copy(po, _po_path(lang, po_copy))
        present = [lang for lang in languages if _ts_path(lang, ts_copy).exists() and _po_path(lang, po_copy).exists()]
        extract_qt(ts_copy, present)
        extract_gettext(po_copy, present)
        for lang in present:
            problems += check_ts(_ts_path(lang, ts_copy))
            problems += check_po(_po_path(lang, po_copy), lang)
        if not problems:
            problems += _check_rule_sets(present, po_copy)
    return problems


def _check_rule_sets(languages: Iterable[str], po_dir: Path) -> list[str]:
    import gettext

    from babel.messages.mofile import write_mo

    sys.path.insert(0, str(ROOT))
    from models.catalogue import CatalogueError, parse_catalogue, translate_wording

    problems = []
    for lang in languages:
        mo = po_dir / f"{lang}.mo"
        with mo.open("wb") as handle:
            write_mo(handle, _read_po(_po_path(lang, po_dir), lang))
        with mo.open("rb") as handle:
            translation = gettext.GNUTranslations(handle)
        for path in sorted(RULESET_DIR.glob("*.json")):
            data = json.loads(path.read_text(encoding="utf-8"))
            if "ruleset" not in data:
                continue
            try:
                parse_catalogue(translate_wording(data, translation.gettext))
            except CatalogueError as exc:
                problems.append(f"{lang}: rule set {path.stem} does not load translated: {exc}")
    return problems


# ---- the pseudo language ----------------------------------------------------------------------

# Qt's own texts the window shows (the standard dialog buttons), which qtbase_<lang>.qm from the
# PySide6 wheel translates in a real language: the pseudo language has them too.
QT_OWN = {"QPlatformTheme": ["OK", "Save", "Save All", "Open", "&Yes", "Yes to &All", "&No", "N&o to All", "Abort",
                             "Retry", "Ignore", "Close", "Cancel", "Discard", "Help", "Apply", "Reset",
                             "Restore Defaults", "Don't Save", "Close without Saving"]}

_ACCENTED = str.maketrans("AEIOUYaeiouycnsz", "ÀÉÎÕÜÝàéîõüýçñšž")
_KEEP = re.compile(r"(\{[^{}]*\}|%n|%\d+|&(?=\w)|<[^>]+>|&[a-z]+;|\n)")
OPEN, CLOSE = "\u27e6", "\u27e7"   # ⟦ ⟧


def pseudo(text: str) -> str:
    """``text`` bracketed and a third longer, with placeholders, shortcut markers, tags and line
    breaks kept: "Save {n}" -> "⟦Sàvé {n}~~⟧"."""
    if not text.strip():
        return text
    parts = _KEEP.split(text)
    out = "".join(p if _KEEP.fullmatch(p or "x") else p.translate(_ACCENTED) for p in parts)
    visible = sum(len(p) for p in parts if not _KEEP.fullmatch(p or "x"))
    lines = out.split("\n")
    count = max(1, round(visible / 3 / max(1, len(lines))))
    pad = " ".join("~" * min(4, count - n) for n in range(0, count, 4))  # words, as a longer text has
    return "\n".join(f"{OPEN}{line}{pad}{CLOSE}" if line.strip() else line for line in lines)


def make_pseudo(out: Path) -> Path:
    """A pseudo language ``xx`` into ``out``: kneecheck_xx.qm and xx/LC_MESSAGES/kneecheck.mo, made
    from a fresh extraction, every entry pseudo-translated."""
    from babel.messages.catalog import Catalog

    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ts = Path(tmp) / f"kneecheck_{PSEUDO}.ts"
        subprocess.run([_qt_tool("pyside6-lupdate"), *ui_sources(), "-ts", str(ts)], cwd=ROOT, check=True,
                       capture_output=True)
        tree = ET.parse(ts)
        for message in tree.getroot().iter("message"):
            source = message.findtext("source") or ""
            tr = message.find("translation")
            assert tr is not None
            tr.attrib.pop("type", None)
            forms = list(tr.iter("numerusform"))
            if forms:
                for form in forms:
                    form.text = pseudo(source)
            else:
                tr.text = pseudo(source)
        root = tree.getroot()
        for context, sources in QT_OWN.items():  # what qtbase_<lang>.qm translates in a real language
            ctx = ET.SubElement(root, "context")
            ET.SubElement(ctx, "name").text = context
            for source in sources:
                message = ET.SubElement(ctx, "message")
                ET.SubElement(message, "source").text = source
                ET.SubElement(message, "translation").text = pseudo(source)
        tree.write(ts, encoding="utf-8", xml_declaration=True)
        subprocess.run([_qt_tool("pyside6-lrelease"), "-silent", str(ts), "-qm", str(out / f"kneecheck_{PSEUDO}.qm")],
                       check=True)
    pot = template()
    catalog = Catalog(locale=None, domain=DOMAIN)
    for message in pot:
        if message.id:
            catalog.add(message.id, pseudo(message.id) if isinstance(message.id, str)
                        else tuple(pseudo(m) for m in message.id), context=message.context)
    from babel.messages.mofile import write_mo

    mo = out / PSEUDO / "LC_MESSAGES" / f"{DOMAIN}.mo"
    mo.parent.mkdir(parents=True, exist_ok=True)
    with mo.open("wb") as handle:
        write_mo(handle, catalog)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.translations", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("extract", help="refresh the .ts and .po sources from the code and the rule sets")
    sub.add_parser("build", help="build the .qm and .mo files beside their sources")
    c = sub.add_parser("check", help="fail on any untranslated, obsolete or broken entry (extracts afresh)")
    c.add_argument("languages", nargs="*", default=list(LANGUAGES), help="only these (default: all)")
    p = sub.add_parser("pseudo", help="write the pseudo language xx into a folder")
    p.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "extract":
        extract_qt()
        extract_gettext()
    elif args.command == "build":
        made = build()
        print(f"built {len(made)} translation files")
    elif args.command == "check":
        problems = check(args.languages)
        for line in problems:
            print(line)
        if problems:
            print(f"{len(problems)} translation problems", file=sys.stderr)
            return 1
        print("translations complete: " + ", ".join(args.languages))
    elif args.command == "pseudo":
        print(make_pseudo(args.folder))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
