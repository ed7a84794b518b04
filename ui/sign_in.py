"""The sign-in page: first account, sign-in, and unlocking after the idle lock.

It takes the place of the window's whole working area (a page of the central stack), so while it
shows, no patient data is on screen, and no modal dialog holds up the event loop (autosave and
the database keep working behind it). The page only collects a name and a password and emits
them; the window asks the store and calls :meth:`SignInPage.show_error` when refused. Passwords
are cleared from the fields after every attempt and never leave the page except in the signal.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.i18n import QT_TRANSLATE_NOOP
from ui.palette import error_text_style, follow_palette


def tr(text: str) -> str:
    return QCoreApplication.translate("SignInPage", text)


translate = QCoreApplication.translate


OPENING, FIRST_ACCOUNT, SIGN_IN, LOCKED = "opening", "first_account", "sign_in", "locked"

_TEXTS = {
    OPENING: (QT_TRANSLATE_NOOP("SignInPage", "Opening the database\u2026"), QT_TRANSLATE_NOOP("SignInPage", "Sign-in is possible as soon as the database is open.")),
    FIRST_ACCOUNT: (QT_TRANSLATE_NOOP("SignInPage", "Create the first clinician account"),
                    QT_TRANSLATE_NOOP("SignInPage", "This database has no clinician accounts yet. Create yours: every change and every "
                    "printed or exported summary will be recorded under this name. The password needs at "
                    "least 8 characters.")),
    SIGN_IN: (QT_TRANSLATE_NOOP("SignInPage", "Sign in"), QT_TRANSLATE_NOOP("SignInPage", "Sign in with your clinician account.")),
    LOCKED: (QT_TRANSLATE_NOOP("SignInPage", "Locked"), QT_TRANSLATE_NOOP("SignInPage", "KneeCheck was locked {why}; patient data is hidden. Sign in again to continue: "
                       "unsaved entries are kept. Another clinician may sign in here instead.")),
}


class SignInPage(QWidget):
    sign_in_requested = Signal(str, str)
    """Name and password for signing in or unlocking."""
    create_requested = Signal(str, str)
    """Name and password (typed twice, the same) for the first account."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sign_in_page")
        self.mode = OPENING
        box = QFrame()
        box.setObjectName("sign_in_box")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        box.setMinimumWidth(420)
        box.setMaximumWidth(520)
        self.title = QLabel()
        self.title.setObjectName("sign_in_title")
        self.title.setStyleSheet("font-size: 14pt; font-weight: bold;")
        self.title.setWordWrap(True)  # a long title in a language wraps inside the box
        self.explanation = QLabel()
        self.explanation.setObjectName("sign_in_explanation")
        self.explanation.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setObjectName("sign_in_name")
        self.name.setMaxLength(200)
        self.password = self._password_field("sign_in_password")
        self.password_again = self._password_field("sign_in_password_again")
        self.error = QLabel()
        self.error.setObjectName("sign_in_error")
        self.error.setWordWrap(True)
        follow_palette(self.error, error_text_style)
        self.button = QPushButton()
        self.button.setObjectName("sign_in_button")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)

        form = QFormLayout()
        self._again_label = QLabel(translate("SignInPage", "Password &again"))
        for text, field in ((translate("SignInPage", "&Name"), self.name), (translate("SignInPage", "&Password"), self.password)):
            label = QLabel(text)
            label.setBuddy(field)
            field.setAccessibleName(text.replace("&", ""))
            form.addRow(label, field)
        self._again_label.setBuddy(self.password_again)
        self.password_again.setAccessibleName(translate("SignInPage", "Password again"))
        form.addRow(self._again_label, self.password_again)
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.explanation)
        inner.addLayout(form)
        inner.addWidget(self.error)
        # Stretches, not alignment flags, place the button and the box: this page is the first
        # frame, and PySide takes ~25 ms to create the Qt namespace the flags live in.
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.button)
        inner.addLayout(button_row)
        centred = QHBoxLayout()
        centred.addStretch(1)
        centred.addWidget(box)
        centred.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(centred)
        outer.addStretch(2)
        for field in (self.name, self.password, self.password_again):
            field.returnPressed.connect(self.submit)
        self.set_mode(OPENING)

    def _password_field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setObjectName(name)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setMaxLength(256)
        return field

    def set_mode(self, mode: str, name: str = "", why: str = "") -> None:
        """Show the page for ``mode`` with ``name`` prefilled; passwords and errors cleared."""
        self.mode = mode
        title, text = _TEXTS[mode]
        self.title.setText(tr(title))
        self.explanation.setText(tr(text).format(why=why or translate("SignInPage", "by hand")))
        self.button.setText(translate("SignInPage", "&Create account and sign in") if mode == FIRST_ACCOUNT
                            else translate("SignInPage", "&Unlock") if mode == LOCKED else translate("SignInPage", "&Sign in"))
        self.button.setAccessibleName(self.button.text().replace("&", ""))
        first = mode == FIRST_ACCOUNT
        self._again_label.setVisible(first)
        self.password_again.setVisible(first)
        for widget in (self.name, self.password, self.password_again, self.button):
            widget.setEnabled(mode != OPENING)
        if name or mode != LOCKED:
            self.name.setText(name)
        self.clear_passwords()
        self.error.clear()
        self.focus()

    def focus(self) -> None:
        (self.password if self.name.text() else self.name).setFocus()  # Qt's OtherFocusReason

    def clear_passwords(self) -> None:
        self.password.clear()
        self.password_again.clear()

    def show_error(self, text: str) -> None:
        from PySide6.QtCore import Qt

        # Said in words and in bold, not by colour alone; plain text, never markup, whatever was typed.
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setText("\u26a0 " + text)
        self.clear_passwords()
        self.password.setFocus()

    def submit(self) -> None:
        if self.mode == OPENING:
            return
        name, password = self.name.text().strip(), self.password.text()
        if not name:
            self.show_error(translate("SignInPage", "Type your name."))
            self.name.setFocus()
            return
        if self.mode == FIRST_ACCOUNT:
            if password != self.password_again.text():
                self.show_error(translate("SignInPage", "The two passwords differ; type them again."))
                return
            self.create_requested.emit(name, password)
        else:
            self.sign_in_requested.emit(name, password)
