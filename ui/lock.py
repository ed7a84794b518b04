"""Signing in and the lock: who the window acts for, and when patient data is hidden.

The sign-in page (:mod:`ui.sign_in`) collects a name and a password; this controller asks the store
off the GUI thread (the argon2 hash takes a noticeable fraction of a second), shows the answer on the
page, and tells the window whom it now acts for. Until a clinician signs in (or creates the first
account) and whenever the window is locked, the page is shown instead of the working area. The
window locks after the workstation's idle time (:mod:`ui.idle`) or at once with Lock now: a dirty
draft's save is started first and lands behind the lock; whatever cannot be saved stays in the
editor, behind the lock, until a clinician unlocks. Any active clinician may unlock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QApplication, QDialog

from models.records import AccountError, Actor, SignInError, StoreError
from ui import messages
from ui.settings import last_clinician, set_last_clinician
from ui.sign_in import FIRST_ACCOUNT, LOCKED, OPENING, SIGN_IN, SignInPage

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


translate = QCoreApplication.translate


def sentence(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


class SignIn(QObject):
    signed_in = Signal(object)
    """An Actor: a clinician signed in or unlocked."""
    locked_changed = Signal(bool)
    signed_out = Signal(object)
    """The Actor who signed out (Sign out / switch clinician)."""

    def __init__(self, window: MainWindow, page: SignInPage, actor: Actor | None) -> None:
        super().__init__(window)
        self.w = window
        self.page = page
        self.actor: Actor | None = actor
        self.locked = False
        self.checking = False
        self._waiting: list[Callable[[], object]] = []
        page.sign_in_requested.connect(self._sign_in)
        page.create_requested.connect(self._create_first_account)
        self.signed_in.connect(self._entered)

    def is_unlocked(self) -> bool:
        return self.actor is not None and not self.locked

    def when_signed_in(self, callback: Callable[[], object]) -> None:
        if self.actor is not None:
            callback()
        else:
            self._waiting.append(callback)

    def offer(self) -> None:
        """The store is attached and nobody is signed in: ask whether any account exists (off the GUI thread)."""
        self.page.set_mode(OPENING)

        def answered(has_any: bool) -> None:
            if self.actor is None:
                self.page.set_mode(SIGN_IN if has_any else FIRST_ACCOUNT, name=last_clinician())

        def failed(exc: Exception) -> None:
            self.page.set_mode(OPENING)
            self.page.show_error(str(exc))

        self.w.ops.run("accounts", lambda store: store.has_clinicians(), success=answered, failure=failed, read=True)

    def _busy(self, busy: bool) -> None:
        self.checking = busy
        self.page.button.setEnabled(not busy)
        if busy:
            self.page.error.setText(translate("MainWindow", "Checking\u2026"))

    def _refused(self, exc: Exception) -> None:
        self._busy(False)
        if not isinstance(exc, StoreError):
            raise exc
        self.page.show_error(refusal_text(exc))

    def _sign_in(self, name: str, password: str) -> None:
        if self.checking:
            return  # the first attempt is still being checked
        unlock = self.locked
        self._busy(True)
        self.page.clear_passwords()
        self.w.ops.run("sign in", lambda store: store.authenticate(name, password, unlock=unlock),  # audits either way
                       success=self._accepted, failure=self._refused)

    def _create_first_account(self, name: str, password: str) -> None:
        if self.checking:
            return
        from models.case import CaseError

        self._busy(True)
        self.page.clear_passwords()

        def create(store: object) -> Actor:
            store.create_clinician(name, password, None)  # type: ignore[attr-defined]
            return store.authenticate(name, password)  # type: ignore[attr-defined, no-any-return]

        def refused(exc: Exception) -> None:
            self._busy(False)
            if isinstance(exc, CaseError):
                self.page.show_error(sentence(messages.reason(exc)))  # "Name: ...", never the field's path
            elif isinstance(exc, AccountError):  # another workstation created the first account meanwhile
                self.page.set_mode(SIGN_IN, name=name)
                self.page.show_error(translate("MainWindow", "Another workstation has just created the first account; sign in."))
            else:
                self._refused(exc)

        self.w.ops.run("create account", create, success=self._accepted, failure=refused)

    def _accepted(self, actor: Actor) -> None:
        self._busy(False)
        self.page.error.clear()
        self.accept(actor)

    def accept(self, actor: Actor) -> None:
        """``actor`` signed in (or unlocked): show the working area and act in their name."""
        self.actor = actor
        was_locked, self.locked = self.locked, False
        self.page.clear_passwords()
        set_last_clinician(actor.clinician)
        if was_locked:
            self.locked_changed.emit(False)
        waiting, self._waiting = self._waiting, []
        self.signed_in.emit(actor)
        for callback in waiting:
            callback()

    def _entered(self, actor: Actor) -> None:
        """Signed in or unlocked: the working area, in ``actor``'s name; what waited for it runs now."""
        w, s = self.w, self.w.session
        w.build_work_area()
        s.locked = False
        w.central.setCurrentWidget(w.area.page)
        w.setWindowTitle(translate("MainWindow", "KneeCheck \u2014 {name}").format(name=actor.clinician))
        w.user_label.setText(translate("MainWindow", "Signed in: {name}").format(name=actor.clinician))
        w.idle_watch.start()
        w.update_actions()
        if s.dirty and not s.held:
            s.autosave_timer.start()  # what could not be saved before the lock is saved now
        if w.has_store() and w.area.search.text().strip() and not w.area.patients.rowCount():
            w.patients_ctl.start_search()  # typed while the database opened
        w.clinician_signed_in.emit(actor.clinician)
        w.after_unlock()  # what the lock cancelled is said now, what it kept is shown (ui.asking)

    def lock(self, why: str, audit_detail: str) -> bool:
        """Hide every patient detail behind the sign-in page until a clinician signs in again; a
        dirty draft's save is started first and lands behind the lock. False when nobody was signed
        in or the window was locked already."""
        actor, w, s = self.actor, self.w, self.w.session
        if actor is None or self.locked:
            return False
        close_dialogs()
        if s.editing and s.dirty and not s.is_final() and not s.held and w.has_store():
            s.save(quiet=True)  # if it cannot be saved, the entries stay in the editor
        self.locked = s.locked = True
        self.page.set_mode(LOCKED, name=actor.clinician, why=why)
        w.idle_watch.stop()
        s.autosave_timer.stop()  # no save (and no conflict dialog) can pop up over the lock
        w.patients_ctl.search_timer.stop()
        w.central.setCurrentWidget(self.page)
        w.setWindowTitle(translate("MainWindow", "KneeCheck \u2014 locked"))
        w.update_actions()
        self.locked_changed.emit(True)
        if w.has_store():
            w.ops.run("audit lock", lambda store: store.record_event("locked", actor, detail=audit_detail),
                      failure=lambda _exc: None)  # locking must not fail because the database is away
        w.window_locked.emit()
        return True

    def sign_out(self) -> bool:
        """End the sign-in: the sign-in page, empty, for whoever signs in next (the window has left
        the open encounter first). False when nobody was signed in or the window is locked."""
        actor, w = self.actor, self.w
        if actor is None or self.locked:
            return False
        close_dialogs()
        self.actor = None
        w.idle_watch.stop()
        w.session.autosave_timer.stop()
        w.patients_ctl.search_timer.stop()
        self.page.set_mode(SIGN_IN)
        w.central.setCurrentWidget(self.page)
        w.setWindowTitle(translate("MainWindow", "KneeCheck"))
        w.user_label.setText("")
        w.update_actions()
        if w.has_store():
            w.ops.run("audit sign out", lambda store: store.record_event("signed_out", actor),
                      failure=lambda _exc: None)  # signing out must not fail because the database is away

            def answered(has_any: bool) -> None:
                if not has_any and self.actor is None:  # signed in without accounts (none created yet)
                    self.page.set_mode(FIRST_ACCOUNT)

            w.ops.run("accounts", lambda store: store.has_clinicians(), success=answered,
                      failure=lambda _exc: None, read=True)
        self.signed_out.emit(actor)
        return True


def refusal_text(exc: StoreError) -> str:
    """What the page says for a refused sign-in: a throttled one (models/sign_in_policy.py) says
    when the next attempt is checked; the store enforces the wait, the page only tells it."""
    if isinstance(exc, SignInError) and exc.retry_after:
        return translate("MainWindow", "The name or the password is not right; try again in {seconds} s").format(seconds=exc.retry_after)
    return sentence(str(exc))


def close_dialogs() -> None:
    """Cancel any dialog open over the window (a patient's details, a conflict, a question): nothing
    may stay on screen over the lock. Each one's caller sees a cancel and keeps the editor as it was."""
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.reject()
