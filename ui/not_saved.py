"""What could not be saved, kept in sight until it is put right.

A save refused for the encounter header (no knee chosen, a date in the future or before the birth
date) marks the field: a sign before its label and the message as its accessible description, never
colour alone. The "Not saved" banner (ui.work_area) stays until the problem is corrected or a save
lands; its frame and text take the palette's own colours, so dark and high-contrast palettes keep it
legible. The messages name fields by their labels (ui.messages.reason), never by a path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from ui import messages

if TYPE_CHECKING:
    from ui.work_area import WorkArea

MARK = "\u26a0 "
# The header widget (objectName) a validation path is corrected in: a birth date after the
# encounter is put right in the encounter's date.
FIELD_WIDGETS = {"encounter.date": "encounter_date", "patient.birth_date": "encounter_date",
                 "encounter.knee": "knee", "encounter.clinician": "clinician"}


class NotSaved:
    def __init__(self, area: WorkArea) -> None:
        self.area = area
        self.kind: str | None = None
        """Why the banner shows ("incomplete": the header; "refused": the store said no), or None."""
        self.field: str | None = None
        """The validation path of the header field marked, or None."""

    def mark(self, exc: Exception | None) -> None:
        """Mark the header field ``exc`` (a CaseError) is about; None clears the mark."""
        self.field = getattr(exc, "field", None) if exc is not None else None
        target = FIELD_WIDGETS.get(self.field or "")
        for name, label in self.area.header_labels.items():
            invalid = name == target
            text = label.text().removeprefix(MARK)
            label.setText(MARK + text if invalid else text)
            widget = label.buddy()
            if widget is not None:
                widget.setProperty("invalid", invalid)
                widget.setAccessibleDescription(messages.reason(exc) if invalid and exc is not None else "")

    def invalid_field(self) -> str | None:
        """The objectName of the header field marked as wrong, or None."""
        return next((name for name, label in self.area.header_labels.items() if label.text().startswith(MARK)), None)

    def show(self, kind: str, reason: str) -> None:
        banner = self.area.save_banner
        self.kind = kind
        banner.setText(MARK + messages.NOT_SAVED.format(reason=reason.rstrip("."))[1])
        banner.setAccessibleDescription(banner.text())
        banner.show()

    def clear(self) -> None:
        self.kind = None
        self.area.save_banner.hide()
        self.area.save_banner.clear()
        self.mark(None)

    def recheck(self, validate: Callable[[], object]) -> None:
        """A header field changed while a problem is shown: ``validate()`` (raises CaseError) says
        whether it is right now; what is right is cleared, what is still wrong is said anew."""
        from models.case import CaseError

        if self.field is None and self.kind != "incomplete":
            return
        try:
            validate()
        except CaseError as exc:
            self.mark(exc)
            if self.kind is not None:
                self.show(self.kind, messages.reason(exc))
            return
        self.mark(None)
        if self.kind == "incomplete":
            self.clear()  # corrected: the autosave this change starts stores it
