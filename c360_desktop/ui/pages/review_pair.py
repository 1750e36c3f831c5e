"""The widgets that show one candidate pair: the side-by-side comparison, the evidence, the keep choices.

They only display what the page gives them (record cards, ``explain_pair``,
contexts) and say what the user asked for through signals; the page does the
vault work. Masked values stay masked until the page confirms a reveal.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from .. import theme
from ..models.review import (
    AGREE,
    CONFLICT,
    INFO,
    ONE_SIDED,
    SIMILAR,
    SUBTITLE_ROLE,
    ComparisonRow,
    evidence_lines,
    source_label,
)
from ..widgets import Card, ElidedLabel, _eye_icon, label
from .profile_widgets import FlowLayout

REVEAL_SECONDS = 30
ZERO_WIDTH_SPACE = "\u200b"
_LONG_RUN = re.compile(r"\S{17,}")            # longer than a column is narrow
_AFTER_MARK = re.compile(r"[:@/]")             # email:…, name@…, a/b: natural places to wrap
_CHUNK = re.compile(r"[^\s:@/\u200b]{16}(?=[^\s:@/\u200b])")  # what is still too long, every 16 characters
CHOOSABLE = {"name": "name", "email": "email", "phone": "phone"}  # rows whose winner can be picked -> field

MARKS = {AGREE: ("=", theme.SUCCESS, "The same on both sides"),
         SIMILAR: ("≈", theme.WARNING, "Close but not the same"),
         CONFLICT: ("≠", theme.DANGER, "Different"),
         ONE_SIDED: ("", theme.FAINT, "Only one side has it"),
         INFO: ("", theme.FAINT, "")}

STYLE = f"""
QLabel[cell="agree"] {{ background: {theme.SUCCESS_SOFT}; color: {theme.SUCCESS}; border-radius: 4px; padding: 2px 6px; }}
QLabel[cell="conflict"] {{ background: {theme.DANGER_SOFT}; color: {theme.DANGER}; border-radius: 4px; padding: 2px 6px; }}
QLabel[cell="similar"] {{ background: #FEF6E7; color: {theme.WARNING}; border-radius: 4px; padding: 2px 6px; }}
QLabel[cell="plain"] {{ padding: 2px 6px; }}
QLabel[cell="empty"] {{ color: {theme.FAINT}; padding: 2px 6px; }}
QLabel#FieldName {{ color: {theme.MUTED}; }}
QLabel#FieldNote {{ color: {theme.FAINT}; font-size: 8.5pt; }}
QLabel#SideTitle {{ font-weight: 600; }}
QLabel#ScoreBig {{ font-size: 20pt; font-weight: 700; }}
QLabel#Mark {{ font-size: 13pt; font-weight: 700; }}
QFrame#RowLine {{ background: {theme.SURFACE_HOVER}; max-height: 1px; min-height: 1px; border: none; }}
QToolButton#Reveal {{ border: none; border-radius: 4px; padding: 2px; }}
QToolButton#Reveal:hover {{ background: {theme.SURFACE_HOVER}; }}
QToolButton#Reveal:checked {{ background: {theme.ACCENT_SOFT}; }}
QLabel[strength="strong"], QLabel[strength="for"] {{ color: {theme.SUCCESS}; font-weight: 600; }}
QLabel[strength="weak"], QLabel[strength="cannot tell"] {{ color: {theme.MUTED}; font-weight: 600; }}
QLabel[strength="against"] {{ color: {theme.DANGER}; font-weight: 600; }}
QFrame#KeepStrip {{ background: {theme.BACKGROUND}; border: 1px solid {theme.BORDER}; border-radius: 8px; }}
"""



def _clear_layout(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget()
        if widget is not None:
            widget.hide()
            widget.setParent(None)
            widget.deleteLater()
        elif item.layout() is not None:
            _clear_layout(item.layout())


def breakable(text: str) -> str:
    """``text`` with zero-width spaces where a long id or address may wrap: a label wraps only between words,
    so one unbroken 26-character id would make its column, and the whole comparison, wider than the window."""
    return _LONG_RUN.sub(lambda run: _wrap_points(run.group()), text)


def _wrap_points(run: str) -> str:
    marked = _AFTER_MARK.sub(lambda mark: mark.group() + ZERO_WIDTH_SPACE, run)
    return _CHUNK.sub(lambda chunk: chunk.group() + ZERO_WIDTH_SPACE, marked)


def _cell_label(text: str, state: str, tooltip: str = "") -> QLabel:
    widget = QLabel(breakable(text))
    widget.setProperty("cell", state)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    widget.setWordWrap(True)
    widget.setToolTip(tooltip)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return widget


class QueueDelegate(QStyledItemDelegate):
    """The pair column in two lines: the names, then the tools and why the pair is here (faint)."""

    def paint(self, painter, option, index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        names, subtitle = opt.text, index.data(SUBTITLE_ROLE) or ""
        opt.text = ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = opt.rect.adjusted(8, 4, -6, -4)
        half = rect.height() // 2
        painter.save()
        painter.setPen(opt.palette.color(QPalette.ColorRole.Text))
        metrics = opt.fontMetrics
        top = rect.adjusted(0, 0, 0, -half)
        painter.drawText(top, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         metrics.elidedText(names, Qt.TextElideMode.ElideRight, top.width()))
        font = painter.font()
        font.setPointSizeF(font.pointSizeF() * 0.88)
        painter.setFont(font)
        painter.setPen(QColor(theme.MUTED))
        bottom = rect.adjusted(0, half, 0, 0)
        small = painter.fontMetrics()
        painter.drawText(bottom, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         small.elidedText(subtitle, Qt.TextElideMode.ElideRight, bottom.width()))
        painter.restore()


class ComparisonPanel(Card):
    """Both records aligned field by field; agreeing values green, conflicting ones red, similar amber."""

    reveal_requested = Signal(str)  # row key
    hide_requested = Signal(str)

    COLUMNS = (0, 1, 2, 3, 4)  # field | left | mark | right | eye
    EVIDENCE_MINIMUM = 96

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self.rows: list[ComparisonRow] = []
        self.revealed: set[str] = set()
        self.cells: dict[tuple[str, str], QWidget] = {}  # (row key, side) -> cell widget
        self.eyes: dict[str, QToolButton] = {}
        self.evidence_cells: list[QWidget] = []  # the evidence column: its title and each field's contribution
        self.available_width: int | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(16, 12, 16, 12)
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(5)
        self.grid.setColumnStretch(1, 1)
        self.grid.setColumnStretch(3, 1)
        self.grid.setColumnMinimumWidth(0, 92)
        self.grid.setColumnMinimumWidth(2, 18)
        self.grid.setColumnMinimumWidth(4, 26)
        self.grid.setColumnMinimumWidth(5, self.EVIDENCE_MINIMUM)

    def show_pair(self, left: dict, right: dict, rows: list[ComparisonRow]) -> None:
        self.rows = rows
        self.revealed = set()
        if rows:
            self._build(left, right)
        else:
            _clear_layout(self.grid)
            self.cells, self.eyes, self.evidence_cells = {}, {}, []

    def fit_width(self, width: int) -> None:
        """Show the evidence column only when both records still fit beside it at ``width``.

        On a narrow window the two records matter more; "Evidence in words" below says the same in full.
        """
        self.available_width = width
        if not self.evidence_cells:
            return
        shown = self.evidence_cells[0].isVisibleTo(self)
        evidence = max(cell.minimumSizeHint().width() for cell in self.evidence_cells)
        evidence = max(evidence, self.EVIDENCE_MINIMUM) + self.grid.horizontalSpacing()
        without = self.minimumSizeHint().width() - (evidence if shown else 0)
        show = without + evidence <= width
        if show == shown:
            return
        self.grid.setColumnMinimumWidth(5, self.EVIDENCE_MINIMUM if show else 0)
        for cell in self.evidence_cells:
            cell.setVisible(show)

    @property
    def evidence_shown(self) -> bool:
        return bool(self.evidence_cells) and self.evidence_cells[0].isVisibleTo(self)

    def set_revealed(self, key: str, revealed: bool) -> None:
        if revealed:
            self.revealed.add(key)
        else:
            self.revealed.discard(key)
        row = next((r for r in self.rows if r.key == key), None)
        if row is not None:
            self._fill(row, "left")
            self._fill(row, "right")
        eye = self.eyes.get(key)
        if eye is not None:
            eye.blockSignals(True)
            eye.setChecked(revealed)
            eye.setIcon(_eye_icon(revealed))
            eye.setToolTip(("Hide again" if revealed else f"Show for {REVEAL_SECONDS} seconds (recorded in the audit log)"))
            eye.blockSignals(False)

    def cell_texts(self, key: str, side: str) -> list[str]:
        """What a cell shows now (tests and screenshots read it)."""
        cell = self.cells.get((key, side))
        if cell is None:
            return []
        texts = (w.text().replace(ZERO_WIDTH_SPACE, "") for w in cell.findChildren(QLabel))
        return [text for text in texts if text != "—"]

    def cell_tooltips(self, key: str, side: str) -> list[str]:
        cell = self.cells.get((key, side))
        return [w.toolTip() for w in cell.findChildren(QLabel)] if cell is not None else []

    # ------------------------------------------------------------------ building

    def _build(self, left: dict, right: dict) -> None:
        _clear_layout(self.grid)
        self.cells, self.eyes, self.evidence_cells = {}, {}, []
        self.grid.setColumnMinimumWidth(5, self.EVIDENCE_MINIMUM)
        line = 0
        for side, card, column in (("left", left, 1), ("right", right, 3)):
            box = QVBoxLayout()
            box.setSpacing(0)
            title = label(source_label(card.get("source")), "SideTitle")
            title.setWordWrap(True)
            box.addWidget(title)
            rows = card.get("rows") or []
            where = f"{card.get('file_name')}, row {card.get('row_number')}"
            if len(rows) > 1:
                where += f" (+{len(rows) - 1})"
            box.addWidget(ElidedLabel(where, "Faint"))
            self.grid.addLayout(box, line, column)
        evidence_title = label("Evidence", "Faint")
        evidence_title.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.evidence_cells.append(evidence_title)
        self.grid.addWidget(evidence_title, line, 5, Qt.AlignmentFlag.AlignBottom)
        line += 1
        section = "record"
        for row in self.rows:
            if row.section != section:
                section = row.section
                rule = QFrame()
                rule.setObjectName("RowLine")
                self.grid.addWidget(rule, line, 0, 1, 6)
                line += 1
            names = QVBoxLayout()
            names.setSpacing(0)
            field_label = label(row.label, "FieldName")
            names.addWidget(field_label)
            if row.note:
                note = label(row.note, "FieldNote")
                note.setWordWrap(True)
                names.addWidget(note)
            names.addStretch(1)
            self.grid.addLayout(names, line, 0)
            for side, column in (("left", 1), ("right", 3)):
                cell = QWidget()
                cell.setObjectName(f"cell-{row.key}-{side}")
                layout = QVBoxLayout(cell)
                layout.setContentsMargins(0, 0, 0, 0)
                layout.setSpacing(2)
                self.cells[(row.key, side)] = cell
                self._fill(row, side)
                self.grid.addWidget(cell, line, column, Qt.AlignmentFlag.AlignTop)
            glyph, colour, meaning = MARKS[row.status]
            mark = label(glyph, "Mark")
            mark.setStyleSheet(f"color: {colour};")
            mark.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
            mark.setToolTip(meaning + (f": {row.note}" if row.note and meaning else ""))
            self.grid.addWidget(mark, line, 2, Qt.AlignmentFlag.AlignTop)
            if row.maskable and (row.left or row.right):
                eye = QToolButton()
                eye.setObjectName("Reveal")
                eye.setAccessibleName(f"Show {row.label.lower()}")
                eye.setCheckable(True)
                eye.setIcon(_eye_icon(False))
                eye.setToolTip(f"Show for {REVEAL_SECONDS} seconds (recorded in the audit log)")
                eye.setCursor(Qt.CursorShape.PointingHandCursor)
                eye.toggled.connect(lambda on, key=row.key: self._on_eye(key, on))
                self.eyes[row.key] = eye
                self.grid.addWidget(eye, line, 4, Qt.AlignmentFlag.AlignTop)
            if row.strength:
                contribution = self._contribution(row)
                self.evidence_cells.append(contribution)
                self.grid.addWidget(contribution, line, 5, Qt.AlignmentFlag.AlignTop)
            line += 1
        self.grid.setRowStretch(line, 1)
        if self.available_width is not None:
            self.fit_width(self.available_width)

    @staticmethod
    def _contribution(row: ComparisonRow) -> QWidget:
        cell = QWidget()
        box = QHBoxLayout(cell)
        box.setContentsMargins(0, 3, 0, 0)
        box.setSpacing(6)
        words = label(row.strength)
        words.setProperty("strength", row.strength)
        words.setToolTip(f"This field's contribution: {row.weight:+.1f} (weight of evidence, in bits)")
        box.addWidget(words)
        if row.strength != "cannot tell":
            bar = _WeightBar(row.weight, 8.0, width=44)
            bar.setToolTip(words.toolTip())
            box.addWidget(bar, 0, Qt.AlignmentFlag.AlignVCenter)
        box.addStretch(1)
        return cell

    def _on_eye(self, key: str, on: bool) -> None:
        eye = self.eyes[key]
        eye.blockSignals(True)
        eye.setChecked(key in self.revealed)  # the page confirms (after the audit entry is written)
        eye.blockSignals(False)
        (self.reveal_requested if on else self.hide_requested).emit(key)

    def _fill(self, row: ComparisonRow, side: str) -> None:
        cell = self.cells.get((row.key, side))
        if cell is None:
            return
        layout = cell.layout()
        _clear_layout(layout)
        values = row.left if side == "left" else row.right
        revealed = row.key in self.revealed or not row.maskable
        if not values:
            layout.addWidget(_cell_label("—", "empty"))
            return
        for value in values:
            if row.status == AGREE and len(values) > 1:
                state = "agree" if value.shared else "plain"
            elif row.status in (AGREE, CONFLICT, SIMILAR):
                state = {AGREE: "agree", CONFLICT: "conflict", SIMILAR: "similar"}[row.status]
            else:
                state = "plain"
            if row.key in ("email", "phone") and value.shared:
                state = "agree"
            layout.addWidget(_cell_label(value.shown(revealed), state, value.tooltip(revealed, row.mask)))


class EvidencePanel(Card):
    """The probability and each field's contribution, in words, strongest first."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(16, 12, 16, 12)
        self.layout_.setSpacing(4)
        self.lines: list[str] = []

    def show_evidence(self, explained: dict, left: dict, right: dict) -> None:
        _clear_layout(self.layout_)
        lines, missing = evidence_lines(explained, left, right)
        self.lines = [line.words for line in lines]
        self.layout_.addWidget(label("Evidence in words", "SectionTitle"))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(0, 1)
        biggest = max([abs(line.weight) for line in lines] + [1.0])
        for n, line in enumerate(lines):
            words = label(line.words)
            words.setTextFormat(Qt.TextFormat.PlainText)
            words.setWordWrap(True)
            grid.addWidget(words, n, 0)
            strength = label(line.strength)
            strength.setProperty("strength", line.strength)
            grid.addWidget(strength, n, 1)
            bar = _WeightBar(line.weight, biggest)
            bar.setToolTip(f"{line.weight:+.1f} (weight of evidence, in bits)")
            grid.addWidget(bar, n, 2)
        self.layout_.addLayout(grid)
        if missing:
            self.layout_.addWidget(label("Not compared (missing on one side): " + ", ".join(missing) + ".",
                                         "Faint", wrap=True))


class _WeightBar(QWidget):
    """A small two-sided bar: green to the right for evidence for, red to the left against."""

    def __init__(self, weight: float, biggest: float, parent: QWidget | None = None, width: int = 90):
        super().__init__(parent)
        self.weight, self.biggest = weight, biggest
        self.setFixedSize(width, 10)

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(theme.SURFACE_HOVER))
        painter.drawRoundedRect(0, 2, self.width(), 6, 3, 3)
        middle = self.width() / 2
        length = middle * min(1.0, abs(self.weight) / self.biggest)
        painter.setBrush(QColor(theme.SUCCESS if self.weight >= 0 else theme.DANGER))
        if self.weight >= 0:
            painter.drawRoundedRect(int(middle), 2, max(2, int(length)), 6, 3, 3)
        else:
            painter.drawRoundedRect(int(middle - length), 2, max(2, int(length)), 6, 3, 3)
        painter.setBrush(QColor(theme.BORDER_STRONG))
        painter.drawRect(int(middle), 0, 1, 10)
        painter.end()


class KeepStrip(QFrame):
    """Before merging: which side's name / email / phone wins (else the survivorship rules decide).

    The choices wrap onto a second line on a narrow window rather than being cut.
    """

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("KeepStrip")
        self.combos: dict[str, QComboBox] = {}
        choices = QWidget()
        self.layout_ = FlowLayout(choices, spacing=8)
        frame = QVBoxLayout(self)
        frame.setContentsMargins(12, 6, 12, 6)
        frame.addWidget(choices)
        self.hide()

    def show_choices(self, rows: list[ComparisonRow], left_id: int, right_id: int) -> None:
        _clear_layout(self.layout_)
        self.combos = {}
        keep = label("When merging, keep:", "Muted")
        self.layout_.addWidget(keep)
        for row in rows:
            field_name = CHOOSABLE.get(row.key)
            if field_name is None or row.status not in (CONFLICT, SIMILAR) or not row.left or not row.right:
                continue
            combo = QComboBox()
            combo.setObjectName(f"keep-{field_name}")
            combo.setToolTip(f"Which {row.label.lower().rstrip('s')} the merged profile shows")
            combo.addItem(f"{row.label.rstrip('s')}: automatic", None)
            combo.addItem(f"{row.left[0].masked}  (left)", left_id)
            combo.addItem(f"{row.right[0].masked}  (right)", right_id)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            self.combos[field_name] = combo
            self.layout_.addWidget(combo)
        if self.combos:
            keep.setMinimumHeight(combo.sizeHint().height())  # level with the drop-downs beside it
        self.setVisible(bool(self.combos))

    def winners(self) -> dict[str, int]:
        """field -> record id whose value wins, for the fields the owner chose."""
        return {name: combo.currentData() for name, combo in self.combos.items() if combo.currentData() is not None}
