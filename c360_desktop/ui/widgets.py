"""Small widgets shared by dialogs and pages."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QLocale, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QPainter, QPainterPath
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..core.passphrase import Strength, assess
from . import theme


def label(text: str = "", name: str | None = None, *, wrap: bool = False) -> QLabel:
    widget = QLabel(text)
    if name:
        widget.setObjectName(name)
    widget.setWordWrap(wrap)
    return widget


class ElidedLabel(QLabel):
    """One line that shortens itself with "…" when its column is narrow, the whole text in the tooltip.

    A plain label asks for its whole width, so a long file name would push a grid wider than the window.
    """

    def __init__(self, text: str = "", name: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel API
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, super().minimumSizeHint().height())

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        area = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideMiddle, area.width())
        painter.drawText(area, int(self.alignment()), shown)
        painter.end()


class MessageLabel(QLabel):
    """A message area that is hidden while empty: ``show_error`` / ``show_success`` / ``clear``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()

    def _show(self, text: str, kind: str) -> None:
        self.setObjectName(kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setText(text)
        self.setVisible(bool(text))

    def show_error(self, text: str) -> None:
        self._show(text, "Error")

    def show_success(self, text: str) -> None:
        self._show(text, "Success")

    def show_info(self, text: str) -> None:
        self._show(text, "Muted")

    def clear(self) -> None:  # noqa: D401 - QLabel API
        super().clear()
        self.hide()


class BusyBar(QProgressBar):
    """A thin indeterminate bar; ``start(text)`` / ``stop()``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Busy")
        self.setRange(0, 0)
        self.setTextVisible(False)
        self.setFixedHeight(4)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setVisible(False)

    def start(self) -> None:
        self.setVisible(True)

    def stop(self) -> None:
        self.setVisible(False)


class PassphraseEdit(QLineEdit):
    """A password field with a show/hide toggle; ``wipe()`` clears it."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setEchoMode(QLineEdit.EchoMode.Password)
        self.setPlaceholderText(placeholder)
        self.setClearButtonEnabled(False)
        self.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self._toggle = QAction("Show", self)
        self._toggle.setToolTip("Show or hide what you type")
        self._toggle.setCheckable(True)
        self._toggle.toggled.connect(self._on_toggled)
        self.addAction(self._toggle, QLineEdit.ActionPosition.TrailingPosition)
        self._toggle.setIcon(_eye_icon(False))

    def _on_toggled(self, shown: bool) -> None:
        self.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self._toggle.setIcon(_eye_icon(shown))

    def wipe(self) -> None:
        self.clear()
        self._toggle.setChecked(False)


def _eye_icon(crossed: bool):
    from PySide6.QtGui import QIcon, QPen, QPixmap

    size = 36
    pixmap = QPixmap(size, size)
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor(theme.MUTED), 1.4)
    painter.setPen(pen)
    path = QPainterPath()
    path.moveTo(2, 9)
    path.quadTo(9, 1.5, 16, 9)
    path.quadTo(9, 16.5, 2, 9)
    painter.drawPath(path)
    painter.drawEllipse(QRectF(6.6, 6.6, 4.8, 4.8))
    if crossed:
        painter.drawLine(3, 15, 15, 3)
    painter.end()
    return QIcon(pixmap)


class _StrengthBar(QWidget):
    SEGMENTS = 4

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.score = -1
        self.setFixedHeight(6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(200, 6)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        gap = 4.0
        width = (self.width() - gap * (self.SEGMENTS - 1)) / self.SEGMENTS
        filled = 0 if self.score < 0 else max(1, self.score)
        colour = QColor(theme.STRENGTH_COLOURS[max(0, self.score)])
        for i in range(self.SEGMENTS):
            rect = QRectF(i * (width + gap), 0, width, self.height())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour if i < filled else QColor(theme.BORDER))
            painter.drawRoundedRect(rect, 3, 3)
        painter.end()


class StrengthMeter(QWidget):
    """Live passphrase strength: four segments, a label ("Strong") and advice, from ``core.passphrase.assess``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.strength: Strength | None = None
        self.bar = _StrengthBar(self)
        self.label = QLabel(self)
        self.label.setObjectName("SectionTitle")
        self.advice = QLabel(self)
        self.advice.setObjectName("Muted")
        self.advice.setWordWrap(True)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.bar, 1)
        top.addSpacing(10)
        top.addWidget(self.label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.advice)
        # zxcvbn takes a few ms; assess after a short pause in typing, not on every key.
        self._pending = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(lambda: self.assess_now(self._pending))
        self.assess_now("")

    def update_for(self, text: str) -> None:
        self._pending = text
        self._timer.start()

    def assess_now(self, text: str) -> Strength:
        self._timer.stop()
        self._pending = text
        strength = assess(text)
        self.strength = strength
        self.bar.score = strength.score if text else -1
        self.bar.update()
        self.label.setText(strength.label if text else "")
        colour = theme.STRENGTH_COLOURS[strength.score]
        self.label.setStyleSheet(f"color: {colour};" if text else "")
        self.advice.setText(strength.advice)
        return strength

    def current(self, text: str) -> Strength:
        """The assessment of ``text``, computed now if the pending one is stale."""
        if self.strength is None or self._pending != text or self._timer.isActive():
            return self.assess_now(text)
        return self.strength


class Card(QFrame):
    """A white rounded surface."""

    def __init__(self, parent: QWidget | None = None, name: str = "Card"):
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.NoFrame)


def page_header(title: str, subtitle: str = "") -> tuple[QWidget, QLabel]:
    """The title block at the top of a page; returns it and its subtitle label (for live counts)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(label(title, "PageTitle"))
    sub = label(subtitle, "Muted", wrap=True)
    layout.addWidget(sub)
    return box, sub


class ElasticColumn(QObject):
    """One column of a table takes the width the others leave, but never less than ``floor``.

    Qt's stretched column shrinks to nothing when the others fill the table (a tool badge or a file name
    becomes unreadable); below the floor the table scrolls sideways instead.
    """

    def __init__(self, table: QTableView, column: int, floor: int):
        super().__init__(table)
        self.table, self.column, self.floor = table, column, floor
        header = table.horizontalHeader()
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
        header.sectionResized.connect(self._on_section_resized)
        table.viewport().installEventFilter(self)
        self.fit()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _on_section_resized(self, index: int, _old: int, _new: int) -> None:
        if index != self.column:
            self.fit()

    def fit(self) -> None:
        header = self.table.horizontalHeader()
        others = sum(header.sectionSize(i) for i in range(header.count()) if i != self.column)
        header.resizeSection(self.column, max(self.floor, self.table.viewport().width() - others))


def list_table(name: str, model=None, row_height: int = 30) -> QTableView:
    """A read-only table of rows, one selectable at a time: the look every list in c360 shares."""
    table = QTableView()
    table.setObjectName(name)
    if model is not None:
        table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(row_height)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    return table


def region_choices() -> list[tuple[str, str]]:
    """Every region phone numbers can be read for, as (code, "Germany (DE)"), sorted by name."""
    import phonenumbers

    choices = []
    for code in phonenumbers.SUPPORTED_REGIONS:
        territory = QLocale.codeToTerritory(code)
        name = QLocale.territoryToString(territory) if territory != QLocale.Country.AnyTerritory else code
        choices.append((code, f"{name} ({code})"))
    return sorted(choices, key=lambda item: item[1].casefold())
