"""The checklist's two panes: the scrolling items above, the red flags below in a pane of their own
that shrinks or scrolls on a low screen so the checklist keeps most of the height."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QSplitter,
    QWidget,
)

QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget size (qwidget.h)


class ChecklistSplitter(QSplitter):
    """The checklist above, the red-flag pane below. The pane is never taller than its content nor
    than :data:`RED_FLAGS_MOST` of the height, so on a low screen (1366x768, 1024x768) the checklist
    keeps at least half of it and the pane scrolls; by default it takes at most
    :data:`RED_FLAGS_DEFAULT`. A share the clinician dragged (or that was stored for this
    workstation) is kept as the window is resized, within the same limits. The red flags stand in
    two columns when the pane is wide enough for both, else in one (a 1024-pixel screen); the
    checklist's long item labels wrap when its rows would not fit its width (:meth:`fit_labels`)."""

    RED_FLAGS_DEFAULT = 0.45
    RED_FLAGS_MOST = 0.5

    LABEL_NARROW = 140  # the widest a checklist label is, wrapped, when the rows do not fit

    def __init__(self, checklist: QScrollArea, red_flags: QScrollArea, group: QGroupBox,
                 labels: list[QLabel]) -> None:
        super().__init__(Qt.Orientation.Vertical)
        self.setObjectName("checklist_splitter")
        self.checklist, self.labels = checklist, labels  # the scrolling checklist and its item labels
        self.red_flags, self.group = red_flags, group  # the pane, and the red flags in it
        self._wide_width: int | None = None  # the checklist's width with its labels on one line
        checklist.viewport().installEventFilter(self)  # its width decides whether labels wrap
        self.addWidget(checklist)
        self.addWidget(red_flags)
        self.setStretchFactor(0, 1)
        self.setStretchFactor(1, 0)
        self.setChildrenCollapsible(False)
        self.red_flag_share: float | None = None  # None: the default
        self._two_columns_width: int | None = None  # the red flags' width side by side
        self.splitterMoved.connect(self._moved)
        red_flags.viewport().installEventFilter(self)  # its width decides one column or two

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.red_flags.viewport() and event.type() == QEvent.Type.Resize and self._fit_columns():
            self.fit()  # one column is taller than two: the pane's height again
        if watched is self.checklist.viewport() and event.type() == QEvent.Type.Resize:
            self.fit_labels()
        return False

    def fit_labels(self) -> None:
        """Long item labels ("Pain radiating below the knee") wrap onto two lines when the rows
        would not fit the checklist's width on one (1280 and 1366 pixel screens), so the answers
        are not cut at the right; on a wide screen they stay on one line."""
        body = self.checklist.widget()
        if body is None or not self.labels:
            return
        wrapped = self.labels[0].wordWrap()
        if not wrapped:
            self._wide_width = body.minimumSizeHint().width()
        narrow = self._wide_width is not None and self.checklist.viewport().width() < self._wide_width
        if narrow == wrapped:
            return
        for label in self.labels:
            one_line = label.sizeHint().width() if not wrapped else label.minimumWidth()
            label.setWordWrap(narrow)
            # Wrapped, a label takes its one-line width up to LABEL_NARROW (a grid squeezes wrapped labels).
            label.setMinimumWidth(min(one_line, self.LABEL_NARROW) if narrow else 0)
            label.setMaximumWidth(self.LABEL_NARROW if narrow else QWIDGETSIZE_MAX)

    def _moved(self, _pos: int, _index: int) -> None:
        self._remember_share(self.sizes())
        self.fit()  # dragged past the limits: back within them

    def _remember_share(self, sizes: list[int]) -> None:
        if len(sizes) == 2 and sum(sizes) > 0:
            self.red_flag_share = sizes[1] / sum(sizes)

    def setSizes(self, sizes: Sequence[int]) -> None:
        self._remember_share(list(sizes))
        super().setSizes(sizes)
        self.fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()

    def fit(self) -> None:
        """Give the red-flag pane its share of the height, within the limits above."""
        self._fit_columns()
        total = sum(self.sizes())
        if total <= 0:
            return
        content = self.group.sizeHint().height() + 2 * self.red_flags.frameWidth()
        share = self.RED_FLAGS_DEFAULT if self.red_flag_share is None else self.red_flag_share
        pane = max(self.red_flags.minimumSizeHint().height(),
                   min(content, round(total * share), int(total * self.RED_FLAGS_MOST)))
        if self.sizes()[1] != pane:
            super().setSizes([total - pane, pane])

    def _fit_columns(self) -> bool:
        """Red flags side by side in two columns when the pane is wide enough for both, else one
        below the other (the pane then scrolls): never cut off at the right on a narrow screen.
        True if it changed the columns."""
        group, grid = self.group, self.group.layout()
        if not isinstance(grid, QGridLayout):
            return False
        cells: list[tuple[tuple[int, int], QWidget, QWidget]] = []  # (column, row), label, answer
        for index in range(grid.count()):
            position: tuple[int, int, int, int] = grid.getItemPosition(index)  # type: ignore[assignment]
            row, column, _rows, columns = position
            item, beside = grid.itemAt(index), grid.itemAtPosition(row, column + 1)
            label = item.widget() if item is not None else None
            control = beside.widget() if beside is not None else None
            if label is not None and control is not None and columns == 1 and column % 2 == 0:
                cells.append(((column // 2, row), label, control))
        if not cells:
            return False
        now = 1 + max(position[0] for position, _, _ in cells)
        if self._two_columns_width is None and now == 2:
            # Each answer row on one line (its size hint; its minimum is a wrapped row): what two columns need.
            self._two_columns_width = group.sizeHint().width()
        if self._two_columns_width is None:
            return False
        wanted = 2 if self.red_flags.viewport().width() >= self._two_columns_width else 1
        if wanted == now:
            return False
        cells.sort(key=lambda cell: cell[0])
        first_row = min(position[1] for position, _, _ in cells)
        per_column = -(-len(cells) // wanted)
        for _, label, control in cells:
            grid.removeWidget(label)
            grid.removeWidget(control)
        for n, (_, label, control) in enumerate(cells):
            column, row = divmod(n, per_column)
            grid.addWidget(label, first_row + row, 2 * column)
            grid.addWidget(control, first_row + row, 2 * column + 1)
        grid.setColumnStretch(3, 1 if wanted == 2 else 0)
        group.adjustSize()
        return True
