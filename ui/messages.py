"""Every error and warning the window shows, declared once with a name.

Widgets refer to ``messages.SAVE_CONFLICT`` etc. rather than writing QMessageBox strings inline,
so wording is reviewed and translated in one place. Texts never contain patient data; the
placeholders carry only counts, ids, field names or technical reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from ui.i18n import QT_TRANSLATE_NOOP


def tr(text: str) -> str:
    return QCoreApplication.translate("Messages", text)


@dataclass(frozen=True)
class Message:
    """A titled message; ``text`` may hold ``{placeholders}`` filled by :meth:`format`."""

    title: str
    text: str
    severity: str = "warning"  # "information" | "warning" | "critical" | "question"

    def format(self, **values: object) -> tuple[str, str]:
        return tr(self.title), tr(self.text).format(**values)


UNSAVED_CHANGES = Message(QT_TRANSLATE_NOOP("Messages", "Unsaved changes"), QT_TRANSLATE_NOOP("Messages", "This encounter has changes that are not saved yet. Save them now?"),
                          "question")
CONFIRM_FINALIZE = Message(
    QT_TRANSLATE_NOOP("Messages", "Finalize encounter"),
    QT_TRANSLATE_NOOP("Messages", "Finalize this encounter? It becomes read-only and is signed with your name and the time. "
    "Later changes need an amendment with a reason."), "question")
CONFIRM_FINALIZE_UNASKED = Message(
    QT_TRANSLATE_NOOP("Messages", "Finalize encounter"),
    QT_TRANSLATE_NOOP("Messages", "These red flags were never asked:\n{flags}\n\nFinalize anyway? The summary lists them as not asked. "
    "The encounter becomes read-only and is signed with your name and the time."), "question")
RED_FLAGS_NO = Message(
    QT_TRANSLATE_NOOP("Messages", "Red flags not asked"),
    QT_TRANSLATE_NOOP("Messages", "Record \u201cNo\u201d for each red flag not asked yet?\n{flags}\n\nOnly do this when you asked about each of them "
    "and the answer was no."), "question")
ALL_RED_FLAGS_ASKED = Message(QT_TRANSLATE_NOOP("Messages", "Red flags"), QT_TRANSLATE_NOOP("Messages", "Every red flag has an answer already."), "information")
NO_SUCH_FINDING = Message(QT_TRANSLATE_NOOP("Messages", "Go to finding"), QT_TRANSLATE_NOOP("Messages", "No finding of this checklist matches \u201c{text}\u201d."), "information")
RULESET_CHANGED = Message(
    QT_TRANSLATE_NOOP("Messages", "Rule set changed"),
    QT_TRANSLATE_NOOP("Messages", "This draft was assessed under rule set {old} when it was last saved. KneeCheck now uses rule set {new}: "
    "the panel shows the {new} assessment, and saving the draft stores it."), "information")
RULESET_UNKNOWN = Message(
    QT_TRANSLATE_NOOP("Messages", "Rule set not known here"),
    QT_TRANSLATE_NOOP("Messages", "This draft was assessed under rule set {old}, which this KneeCheck does not have (a newer release saved "
    "it). The panel shows rule set {new}; saving or finalizing it is refused until KneeCheck is updated on this "
    "workstation."), "warning")
NO_DESTINATION = Message(QT_TRANSLATE_NOOP("Messages", "No record system set"), QT_TRANSLATE_NOOP("Messages", "Set where records are sent (Settings: Send records to) first."),
                         "information")
SEND_FAILED = Message(QT_TRANSLATE_NOOP("Messages", "Not accepted"), QT_TRANSLATE_NOOP("Messages", "The record system did not confirm that it accepted the encounter: "
                      "{reason}.{said}\nWithout an answer it may still have received it. Nothing is lost; sending "
                      "again is safe (the message names the same document), or export it instead."), "critical")
FINALIZED_READ_ONLY = Message(QT_TRANSLATE_NOOP("Messages", "Encounter is final"), QT_TRANSLATE_NOOP("Messages", "This encounter is finalized and cannot be changed. "
                              "Use Amend to correct it."), "information")
SAVE_FAILED = Message(QT_TRANSLATE_NOOP("Messages", "Could not save"), QT_TRANSLATE_NOOP("Messages", "The encounter was not saved: {reason}\nYour entries are still in the window."),
                      "critical")
STORE_FAILED = Message(QT_TRANSLATE_NOOP("Messages", "Database problem"), QT_TRANSLATE_NOOP("Messages", "{reason}"), "critical")
NO_PATIENT = Message(QT_TRANSLATE_NOOP("Messages", "No patient selected"), QT_TRANSLATE_NOOP("Messages", "Find or create a patient first."), "information")
NO_ENCOUNTER = Message(QT_TRANSLATE_NOOP("Messages", "No encounter open"), QT_TRANSLATE_NOOP("Messages", "Open or start an encounter first."), "information")
RECOVER_DRAFT = Message(
    QT_TRANSLATE_NOOP("Messages", "Recover draft"), QT_TRANSLATE_NOOP("Messages", "KneeCheck was not closed normally. A draft encounter (number {encounter_id}) was open "
    "and is saved up to its last automatic save. Open it again?"), "question")
EXPORT_FAILED = Message(QT_TRANSLATE_NOOP("Messages", "Could not export"), QT_TRANSLATE_NOOP("Messages", "The summary was not written: {reason}"), "critical")
PRINT_FAILED = Message(QT_TRANSLATE_NOOP("Messages", "Could not print"), QT_TRANSLATE_NOOP("Messages", "The summary was not printed: {reason}"), "critical")
PRINTER_REFUSED = Message(QT_TRANSLATE_NOOP("Messages", "Not printed"), QT_TRANSLATE_NOOP("Messages", "Printer {name} did not take the job: {reason}.\nNothing is lost; "
                          "print again, or choose another printer."), "critical")
PDF_UNAVAILABLE = Message(QT_TRANSLATE_NOOP("Messages", "Summary not available"), QT_TRANSLATE_NOOP("Messages", "The summary could not be made: {reason}"), "critical")
UNEXPECTED_ERROR = Message(
    QT_TRANSLATE_NOOP("Messages", "Unexpected error"), QT_TRANSLATE_NOOP("Messages", "Something went wrong inside KneeCheck ({kind}). The window stays open and your "
    "entries are kept; save your work. Details were written to the log:\n{log}"), "critical")
INTEGRITY_FINAL = Message(
    QT_TRANSLATE_NOOP("Messages", "Integrity warning"), QT_TRANSLATE_NOOP("Messages", "This finalized encounter does not match its signed revision: it may have been altered "
    "outside KneeCheck. Run `verify` and tell IT."))
INTEGRITY_AMENDED = Message(
    QT_TRANSLATE_NOOP("Messages", "Integrity warning"), QT_TRANSLATE_NOOP("Messages", "The finalized encounter this draft amends does not match its signed revision: it may "
    "have been altered outside KneeCheck. Run `verify` and tell IT."))
NOT_SAVED = Message(QT_TRANSLATE_NOOP("Messages", "Not saved"), QT_TRANSLATE_NOOP("Messages", "Not saved: {reason}. Correct it; the encounter is saved as soon as it can be."))


# The words a field is called by on screen, for the dotted paths validation errors carry
# (models.case.CaseError.field): a message names the field as the clinician sees it, never
# "patient.mrn". A path not listed here is named by what it is about, never shown as it is.
# Translated where shown (tr() in field_label), like the Message texts above.
FIELD_LABELS: dict[str, str] = {
    "encounter.date": QT_TRANSLATE_NOOP("Messages", "Date"),
    "encounter.knee": QT_TRANSLATE_NOOP("Messages", "Knee"),
    "encounter.clinician": QT_TRANSLATE_NOOP("Messages", "Clinician"),
    "patient.mrn": QT_TRANSLATE_NOOP("Messages", "MRN"),
    "patient.family_name": QT_TRANSLATE_NOOP("Messages", "Family name"),
    "patient.given_name": QT_TRANSLATE_NOOP("Messages", "Given name"),
    "patient.birth_date": QT_TRANSLATE_NOOP("Messages", "Patient's birth date"),
    "patient.sex": QT_TRANSLATE_NOOP("Messages", "Sex"),
    "notes": QT_TRANSLATE_NOOP("Messages", "Notes"),
    "amend_reason": QT_TRANSLATE_NOOP("Messages", "Reason for the amendment"),
    "name": QT_TRANSLATE_NOOP("Messages", "Name"),
    "password": QT_TRANSLATE_NOOP("Messages", "Password"),
    "new_password": QT_TRANSLATE_NOOP("Messages", "New password"),
}
_GROUP_LABELS = {"patient": QT_TRANSLATE_NOOP("Messages", "Patient"),
                 "encounter": QT_TRANSLATE_NOOP("Messages", "Encounter"),
                 "findings": QT_TRANSLATE_NOOP("Messages", "Finding")}


def field_label(path: str) -> str:
    """What the window calls the field at ``path`` ("patient.mrn" -> "MRN"; "findings.slr" -> the
    item's short name in the current checklist)."""
    if path in FIELD_LABELS:
        return tr(FIELD_LABELS[path])
    group, _, rest = path.partition(".")
    if group == "findings" and rest:
        from ui.i18n import shown_catalogue

        try:
            return shown_catalogue().item(rest.partition(".")[0]).short
        except (KeyError, ValueError):
            pass
    return tr(_GROUP_LABELS.get(group, QT_TRANSLATE_NOOP("Messages", "Entry")))


def reason(exc: BaseException) -> str:
    """An error's words for the clinician: a validation error as "<field label>: <what is wrong>",
    never with its internal path; any other error as it says itself."""
    from models.case import CaseError

    if isinstance(exc, CaseError):
        return f"{field_label(exc.field)}: {exc.message}"
    return str(exc)
