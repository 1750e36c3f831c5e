"""Small pieces the customer list and the profile share: chips, a wrapping row, and the list's delegates."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLayout,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from .. import theme
from ..models.customers import CONSENT_ROLE, TOOLS_ROLE, consent_mark

CHIP_COLOURS = {  # kind -> (background, text)
    "tool": ("#EEF2F6", "#344054"),
    "tag": (theme.ACCENT_SOFT, theme.ACCENT),
    "good": (theme.SUCCESS_SOFT, theme.SUCCESS),
    "bad": (theme.DANGER_SOFT, theme.DANGER),
    "warn": ("#FEF6E7", theme.WARNING),
    "plain": (theme.BACKGROUND, theme.MUTED),
}

STYLE = "\n".join(
    f'QLabel[chip="{kind}"] {{ background: {bg}; color: {fg}; border-radius: 9px; padding: 2px 9px; }}'
    for kind, (bg, fg) in CHIP_COLOURS.items()
) + f"""
QLabel[chip="small"] {{ background: #EEF2F6; color: #344054; border-radius: 8px; padding: 1px 8px; font-size: 9pt; }}
QLabel#MetricLabel {{ color: {theme.MUTED}; font-size: 8.5pt; }}
QLabel#MetricValue {{ font-size: 12.5pt; font-weight: 600; }}
QLabel#ProfileName {{ font-size: 17pt; font-weight: 600; }}
QFrame#MetricsCard {{ background: {theme.SURFACE}; border: 1px solid {theme.BORDER}; border-radius: 12px; }}
QPushButton#EraseButton {{ color: {theme.DANGER}; }}
QFrame#MetricRule {{ background: {theme.SURFACE_HOVER}; max-height: 1px; min-height: 1px; border: none; }}
QFrame#MetricDivider {{ background: {theme.BORDER}; max-width: 1px; min-width: 1px; border: none; }}
QTabWidget::pane {{ border: 1px solid {theme.BORDER}; border-radius: 8px; background: {theme.SURFACE}; top: -1px; }}
QTabBar::tab {{
    background: transparent; color: {theme.MUTED}; padding: 7px 16px; border: none;
    border-bottom: 2px solid transparent; margin-right: 2px;
}}
QTabBar::tab:selected {{ color: {theme.ACCENT}; border-bottom: 2px solid {theme.ACCENT}; font-weight: 600; }}
QTabBar::tab:hover:!selected {{ color: {theme.TEXT}; }}
QTreeWidget {{
    background: {theme.SURFACE}; border: none; alternate-background-color: #FAFBFC;
    selection-background-color: {theme.ACCENT_SOFT}; selection-color: {theme.TEXT};
}}
QTreeWidget::item {{ padding: 3px 2px; }}
QPushButton[chipButton="true"] {{
    border: 1px solid {theme.BORDER}; border-radius: 11px; padding: 2px 11px; min-height: 16px;
    background: {theme.SURFACE}; color: {theme.MUTED}; font-size: 9pt;
}}
QPushButton[chipButton="true"]:hover {{ background: {theme.SURFACE_HOVER}; }}
QPushButton[chipButton="true"]:checked {{ background: {theme.ACCENT_SOFT}; color: {theme.ACCENT};
    border-color: {theme.ACCENT}; }}
QTreeWidget QPushButton[link="true"] {{ padding: 0px 2px; }}
QToolButton#Reveal, QToolButton#Copy {{ border: none; border-radius: 4px; padding: 2px; }}
QToolButton#Reveal:hover, QToolButton#Copy:hover {{ background: {theme.SURFACE_HOVER}; }}
QToolButton#Reveal:checked {{ background: {theme.ACCENT_SOFT}; }}
"""


def chip(text: str, kind: str = "tool", tooltip: str = "") -> QLabel:
    """A small rounded label: a tool, a tag, a status."""
    widget = QLabel(text)
    widget.setProperty("chip", kind)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setToolTip(tooltip)
    return widget


class FlowLayout(QLayout):
    """Lays widgets out left to right and wraps them onto the next line (tool badges, tags)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # noqa: N802
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        return self.minimumSize()

    def minimumSize(self) -> QSize:  # noqa: N802
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def clear(self) -> None:
        while self._items:
            widget = self._items.pop().widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


def _pill(painter: QPainter, metrics: QFontMetrics, x: float, top: float, height: float, text: str,
          background: str, foreground: str) -> float:
    width = metrics.horizontalAdvance(text) + 12
    rect = QRectF(x, top, width, height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(background))
    painter.drawRoundedRect(rect, height / 2, height / 2)
    painter.setPen(QColor(foreground))
    painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), text)
    return width


class _PaintedCell(QStyledItemDelegate):
    """A cell drawn by hand over the view's own background and selection."""

    def background(self, painter: QPainter, option, index) -> QStyleOptionViewItem:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        return opt


class ToolBadgesDelegate(_PaintedCell):
    """The tools a profile was seen in as small rounded labels; "+N" when they do not all fit."""

    def paint(self, painter: QPainter, option, index) -> None:
        opt = self.background(painter, option, index)
        tools = index.data(TOOLS_ROLE) or []
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.86)
        painter.setFont(font)
        metrics = QFontMetrics(font)
        height = metrics.height() + 4
        top = opt.rect.top() + (opt.rect.height() - height) / 2
        x, right = opt.rect.left() + 6.0, opt.rect.right() - 4.0
        background, foreground = CHIP_COLOURS["tool"]
        for position, tool in enumerate(tools):
            rest = len(tools) - position - 1
            needed = metrics.horizontalAdvance(tool) + 12 + (metrics.horizontalAdvance(f"+{rest}") + 16 if rest else 0)
            if x + needed > right:
                _pill(painter, metrics, x, top, height, f"+{len(tools) - position}", *CHIP_COLOURS["plain"])
                break
            x += _pill(painter, metrics, x, top, height, tool, background, foreground) + 4
        painter.restore()


class ConsentDelegate(_PaintedCell):
    """Email and SMS marketing consent as two marks: ✓ granted, ✗ denied or withdrawn, · unknown."""

    def paint(self, painter: QPainter, option, index) -> None:
        opt = self.background(painter, option, index)
        statuses = index.data(CONSENT_ROLE) or (None, None)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = QFontMetrics(painter.font())
        x = opt.rect.left() + 8.0
        plain = painter.font()
        bold = painter.font()
        bold.setBold(True)
        bold.setPointSizeF(plain.pointSizeF() * 1.1)
        for name, status in zip(("Email", "SMS"), statuses):
            mark, colour, _words = consent_mark(status)
            painter.setFont(plain)
            painter.setPen(QColor(theme.MUTED))
            width = metrics.horizontalAdvance(name) + 5
            painter.drawText(QRectF(x, opt.rect.top(), width, opt.rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), name)
            painter.setFont(bold)
            painter.setPen(QColor(colour))
            painter.drawText(QRectF(x + width, opt.rect.top(), 14, opt.rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), mark)
            x += width + 22
        painter.restore()
