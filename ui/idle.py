"""Noticing that nobody has used the workstation for a while (automatic logoff, HIPAA 164.312).

:class:`IdleWatch` filters every event of the application: keyboard, mouse, wheel, touch and
tablet input restart a single-shot timer; when it runs out, :attr:`IdleWatch.idle` is emitted and
the window locks itself. Only input counts: a repaint, an autosave or a timer is not a person.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

if TYPE_CHECKING:
    from PySide6.QtCore import QEvent


@cache
def input_events() -> frozenset[QEvent.Type]:
    """The event types that mean a person is at the workstation. Built on first start, not at
    import: PySide takes ~3 ms to create QEvent.Type's 179 members, and the window imports this
    module before its first frame, when nobody is signed in and nothing is watched yet."""
    from PySide6.QtCore import QEvent

    kind = QEvent.Type
    return frozenset({
        kind.KeyPress, kind.KeyRelease, kind.ShortcutOverride,
        kind.MouseButtonPress, kind.MouseButtonRelease, kind.MouseButtonDblClick,
        kind.MouseMove, kind.Wheel, kind.InputMethod,
        kind.TouchBegin, kind.TouchUpdate, kind.TabletPress, kind.TabletMove,
    })


class IdleWatch(QObject):
    idle = Signal()
    """No keyboard or mouse input anywhere in the application for the whole timeout."""

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True, interval=max(1, int(timeout_ms)))
        self.timer.timeout.connect(self.idle)
        self._app: QApplication | None = None
        self._input_events: frozenset[QEvent.Type] = frozenset()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self.timer.setInterval(max(1, int(timeout_ms)))
        if self.timer.isActive():
            self.timer.start()

    def start(self) -> None:
        """Watch from now on (after a sign-in or unlock)."""
        self._input_events = input_events()
        app = QApplication.instance()
        if self._app is None and isinstance(app, QApplication):
            app.installEventFilter(self)
            self._app = app
        self.timer.start()

    def stop(self) -> None:
        """While locked, or once the window closes: no timer, no filter."""
        self.timer.stop()
        if self._app is not None:
            self._app.removeEventFilter(self)
            self._app = None

    def is_watching(self) -> bool:
        return self._app is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._input_events:
            self.timer.start()  # restart: the clinician is here
        return False  # never swallow the event
