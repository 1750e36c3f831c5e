"""The import wizard: one file after another, read → columns → check → import.

For each file: what c360 recognised and how it read the file (with overrides
that re-read it), a preview whose column headers each carry a mapping
drop-down, then a dry run of the whole file (the validation summary: nothing
is written), then the import itself with progress and Cancel. Reading,
checking and importing all run off the GUI thread on their own connection.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...core.ingest.fields import CUSTOM, FIELDS, IGNORE
from ...core.ingest.importer import ImportCancelled, run_import
from ...core.ingest.plan import ImportOptions, ImportPlan, plan_import
from ...core.ingest.regions import shop_region
from ...core.words import plural
from .. import icons, theme
from ..import_jobs import CancelFlag, Progress, run_job
from ..models.customers import records_to_match
from ..models.imports import IssuesModel, PreviewModel, report_issues
from ..widgets import BusyBar, Card, MessageLabel, label, list_table, region_choices
from .common import user_message

IMPORT_FILTER = "Exports (*.csv *.tsv *.txt *.xlsx *.xlsm *.xls *.ods);;All files (*)"

GROUP_TITLES = (
    ("identity", "Person"),
    ("address", "Address"),
    ("consent", "Consent"),
    ("link", "Links an event to its customer"),
    ("order", "Order"),
    ("payment", "Payment"),
    ("ticket", "Support ticket"),
    ("engagement", "Engagement"),
    ("meta", "Dates of the record"),
)
INDENT_ROLE = Qt.ItemDataRole.UserRole + 2
CUSTOM_TEXT = "Keep as custom attribute"
IGNORE_TEXT = "Ignore this column"

ENCODINGS = (
    ("utf-8", "UTF-8"),
    ("utf-8-sig", "UTF-8 with BOM"),
    ("utf-16-le", "UTF-16 LE (Excel “Unicode text”)"),
    ("utf-16-be", "UTF-16 BE"),
    ("cp1252", "Windows-1252 (Western)"),
    ("latin-1", "ISO-8859-1 (Latin-1)"),
    ("iso8859-15", "ISO-8859-15 (Latin-9)"),
    ("mac_roman", "Mac Roman"),
)
DELIMITERS = ((",", "Comma  ,"), (";", "Semicolon  ;"), ("\t", "Tab"), ("|", "Pipe  |"))
DATE_ORDERS = (("MDY", "Month first (MM/DD/YYYY)"), ("DMY", "Day first (DD/MM/YYYY)"))


def choose_import_files(parent: QWidget | None) -> list[Path]:
    """A native file chooser; a module function so tests can replace it."""
    names, _ = QFileDialog.getOpenFileNames(parent, "Import exports", str(Path.home()), IMPORT_FILTER)
    return [Path(name) for name in names]


def dropped_files(mime) -> list[Path]:
    """The local files (not folders) of a drag-and-drop, in the order given."""
    if mime is None or not mime.hasUrls():
        return []
    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [path for path in paths if path.is_file()]


def percent(confidence: float) -> str:
    return f"{round(max(0.0, min(1.0, confidence)) * 100)}%"


def _added_columns_note(headers: list[str], tool: str) -> str:
    """" Postcode is not one of Eventbrite's own columns: …" for the columns mapped by their names alone."""
    if not headers:
        return ""
    if len(headers) == 1:
        return f" {headers[0]} is not one of {tool}'s own columns: it is mapped by its name; check it before importing."
    names = ", ".join(headers[:-1]) + " and " + headers[-1]
    return f" {names} are not {tool}'s own columns: they are mapped by their names; check them before importing."


# ---------------------------------------------------------------------------- the mapping drop-downs

def field_choices_model(parent=None) -> QStandardItemModel:
    """Keep / Ignore, then the canonical fields under their group titles (titles cannot be chosen)."""
    model = QStandardItemModel(parent)
    for value, text in ((CUSTOM, CUSTOM_TEXT), (IGNORE, IGNORE_TEXT)):
        item = QStandardItem(text)
        item.setData(value, Qt.ItemDataRole.UserRole)
        model.appendRow(item)
    bold = QFont()
    bold.setBold(True)
    for group, title in GROUP_TITLES:
        fields = [f for f in FIELDS if f.group == group]
        if not fields:
            continue
        heading = QStandardItem(title)
        heading.setFlags(Qt.ItemFlag.NoItemFlags)
        heading.setFont(bold)
        heading.setForeground(QColor(theme.MUTED))
        model.appendRow(heading)
        for f in fields:
            item = QStandardItem(f.label)
            item.setData(f.name, Qt.ItemDataRole.UserRole)
            item.setData(True, INDENT_ROLE)
            item.setToolTip(f.label)
            model.appendRow(item)
    return model


class _IndentDelegate(QStyledItemDelegate):
    """Fields sit indented under their group title in the open drop-down."""

    def paint(self, painter, option, index) -> None:
        if index.data(INDENT_ROLE):
            option = QStyleOptionViewItem(option)
            option.rect = option.rect.adjusted(18, 0, 0, 0)
        super().paint(painter, option, index)

    def sizeHint(self, option, index) -> QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        hint.setHeight(max(hint.height(), 24))
        if index.data(INDENT_ROLE):
            hint.setWidth(hint.width() + 18)
        return hint


class FieldCombo(QComboBox):
    """One column's mapping: ``field()`` / ``set_field(name)``."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setModel(field_choices_model(self))
        self.setItemDelegate(_IndentDelegate(self))
        self.setMaxVisibleItems(22)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def field(self) -> str:
        return self.currentData(Qt.ItemDataRole.UserRole) or CUSTOM

    def set_field(self, name: str) -> None:
        index = self.findData(name, Qt.ItemDataRole.UserRole)
        self.setCurrentIndex(index if index >= 0 else 0)

    def wheelEvent(self, event) -> None:  # noqa: N802 - scrolling the preview must not change mappings
        event.ignore()


class MappingHeader(QHeaderView):
    """The preview's column headers: the file's column name, and below it a ``FieldCombo``."""

    mapping_changed = Signal(int, str)

    PAD = 6

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setHighlightSections(False)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.setMinimumSectionSize(120)
        self.combos: list[FieldCombo] = []
        self.sectionResized.connect(self._place)
        self.sectionMoved.connect(self._place)
        self.geometriesChanged.connect(self._place)

    def _text_height(self) -> int:
        return self.fontMetrics().height() + 14

    def _combo_height(self) -> int:
        return max((c.sizeHint().height() for c in self.combos), default=34)

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        hint.setHeight(self._text_height() + self._combo_height() + self.PAD + 2)
        return hint

    def set_mapping(self, mapping: list[str], reasons: list[str]) -> None:
        for combo in self.combos:
            combo.deleteLater()
        self.combos = []
        for column, name in enumerate(mapping):
            combo = FieldCombo(self.viewport())
            combo.setObjectName(f"mapping-{column}")
            combo.set_field(name)
            reason = reasons[column] if column < len(reasons) else ""
            combo.setToolTip(f"Why: {reason}" if reason else "")
            combo.currentIndexChanged.connect(lambda _i, c=column, box=combo: self._changed(c, box))
            combo.show()
            self.combos.append(combo)
        self.updateGeometry()
        self._place()

    def mapping(self) -> list[str]:
        return [combo.field() for combo in self.combos]

    def _changed(self, column: int, combo: FieldCombo) -> None:
        combo.setToolTip("Why: chosen by you")
        self.mapping_changed.emit(column, combo.field())

    def _place(self, *_args) -> None:
        top = self._text_height()
        height = self._combo_height()
        for logical, combo in enumerate(self.combos):
            if logical >= self.count() or self.isSectionHidden(logical):
                combo.hide()
                continue
            x = self.sectionViewportPosition(logical)
            combo.setGeometry(x + 4, top, max(40, self.sectionSize(logical) - 8), height)
            combo.show()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._place()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place()

    def paintSection(self, painter, rect: QRect, logical: int) -> None:  # noqa: N802
        painter.save()
        painter.fillRect(rect, QColor(theme.SURFACE))
        painter.setPen(QColor(theme.BORDER))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomRight())
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor(theme.TEXT))
        text = str(self.model().headerData(logical, Qt.Orientation.Horizontal) or "") if self.model() else ""
        text_rect = QRect(rect.x() + 9, rect.y() + 2, rect.width() - 18, self._text_height() - 2)
        painter.drawText(text_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, text_rect.width()))
        painter.restore()


# ---------------------------------------------------------------------------- small pieces

def _button(text: str, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    if primary:
        theme.mark_primary(button)
    else:
        button.setAutoDefault(False)
    return button


class Stats(QWidget):
    """A row of numbers with their captions (rows, added, updated…)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(10)
        self.values: dict[str, QLabel] = {}

    def set_numbers(self, items: list[tuple[str, int, str]]) -> None:
        """``(caption, number, tone)``; tone is "", "danger", "warning" or "muted"."""
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.values = {}
        for column, (caption, number, tone) in enumerate(items):
            card = Card()
            inner = QVBoxLayout(card)
            inner.setContentsMargins(14, 10, 14, 10)
            inner.setSpacing(0)
            value = label(f"{number:,}")
            value.setObjectName("StatValue")
            colour = {"danger": theme.DANGER, "warning": theme.WARNING, "muted": theme.MUTED}.get(tone, theme.TEXT)
            value.setStyleSheet(f"font-size: 16pt; font-weight: 600; color: {colour if number else theme.TEXT};")
            inner.addWidget(value)
            inner.addWidget(label(caption, "Muted"))
            self.grid.addWidget(card, 0, column)
            self.values[caption] = value


def _issues_table(model: IssuesModel) -> QTableView:
    table = list_table("IssuesTable", model, row_height=28)
    header = table.horizontalHeader()
    for column, width in enumerate((70, 90, 170)):
        header.resizeSection(column, width)
    header.setStretchLastSection(True)
    return table


def import_button_text(report) -> str:
    """What Import would change (a dry-run report), not how many rows the file has."""
    added, updated = report.inserted, report.updated
    if added and updated:
        return f"Import: add {added:,}, update {plural(updated, 'row')}"
    if added:
        return f"Import: add {plural(added, 'row')}"
    if updated:
        return f"Import: update {plural(updated, 'row')}"
    return "Import (nothing changes)" if report.unchanged else "Import"


def describe_report(report, *, dry_run: bool) -> list[tuple[str, int, str]]:
    verb = "Would add" if dry_run else "Added"
    items = [
        ("Rows", report.rows, ""),
        (verb, report.inserted, ""),
        ("Would update" if dry_run else "Updated", report.updated, ""),
        ("Unchanged", report.unchanged, "muted"),
        ("Rejected", report.rejected, "danger"),
        ("Warnings", report.warning_count, "warning"),
    ]
    if report.suppressed:
        items.insert(5, ("Suppressed", report.suppressed, "muted"))
    if report.events:
        items.insert(2, ("Events", report.events, ""))
    return items


# ---------------------------------------------------------------------------- the wizard

class ImportWizard(QDialog):
    """Imports ``paths`` one after another. ``imported`` carries each finished ``ImportReport``.

    ``outcomes`` lists, per file, ``(file name, report or None, message)``.
    """

    imported = Signal(object)  # ImportReport
    all_done = Signal()
    match_requested = Signal()  # "Run matching" on the last result page: the wizard closes, matching starts

    def __init__(self, vault, paths: list[Path], parent: QWidget | None = None, *, region: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import – c360")
        self.setWindowIcon(icons.app_icon())
        self.setObjectName("ImportWizard")
        # Drop-downs open as a scrolling list below the box, not as a screen-high menu.
        self.setStyleSheet("QComboBox { combobox-popup: 0; }")
        self.vault = vault
        self.queue: list[Path] = [Path(p) for p in paths]
        self.index = -1
        self.default_region = (region or self._vault_region()).upper()
        self.plan: ImportPlan | None = None
        self.first_plan: ImportPlan | None = None
        self.options = ImportOptions(region=self.default_region)
        self.mapping_edited = False
        self.checked: tuple[ImportPlan, object] | None = None  # (plan, dry-run report)
        self.report = None
        self.to_match = 0  # records new or changed since the last matching run, counted after each import
        self.outcomes: list[tuple[str, object, str]] = []
        self._flag: CancelFlag | None = None
        self._job = ""  # "plan" | "check" | "import"
        self._close_when_idle = False
        self._closed = False
        self.progress = Progress(self)
        self.progress.changed.connect(self._on_progress)

        self.title = label("Import", "DialogTitle")
        self.step = label("", "Muted")
        heading = QHBoxLayout()
        heading.addWidget(self.title, 1)
        heading.addWidget(self.step)

        self.stack = QStackedWidget()
        self._build_loading_page()
        self._build_error_page()
        self._build_mapping_page()
        self._build_check_page()
        self._build_progress_page()
        self._build_result_page()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(26, 20, 26, 18)
        layout.setSpacing(12)
        layout.addLayout(heading)
        layout.addWidget(self.stack, 1)
        self.setMinimumSize(920, 600)
        self.resize(1080, 700)

    # ------------------------------------------------------------------ pages

    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.stack.addWidget(page)
        return page, layout

    @staticmethod
    def _buttons(layout: QVBoxLayout, left: list[QPushButton], right: list[QPushButton]) -> None:
        row = QHBoxLayout()
        for button in left:
            row.addWidget(button)
        row.addStretch(1)
        for button in right:
            row.addWidget(button)
        layout.addLayout(row)

    def _build_loading_page(self) -> None:
        self.loading_page, layout = self._page()
        self.loading_label = label("Reading the file…", "Muted")
        self.loading_busy = BusyBar()
        layout.addStretch(1)
        layout.addWidget(self.loading_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.loading_busy)
        layout.addStretch(2)
        self.loading_cancel = _button("Cancel", "LoadingCancel")
        self.loading_cancel.clicked.connect(self.reject)
        self._buttons(layout, [], [self.loading_cancel])

    def _build_error_page(self) -> None:
        self.error_page, layout = self._page()
        self.error_message = MessageLabel()
        self.error_message.setObjectName("FileError")
        layout.addWidget(label("This file cannot be imported", "SectionTitle"))
        layout.addWidget(self.error_message)
        layout.addWidget(label("Nothing was read into the vault. Check that it is a CSV, TSV, TXT, XLSX, XLS or ODS "
                               "export from your tool, then try again.", "Muted", wrap=True))
        layout.addStretch(1)
        self.error_close = _button("Close", "ErrorClose")
        self.error_close.clicked.connect(self.reject)
        self.error_next = _button("Next file", "ErrorNext", primary=True)
        self.error_next.clicked.connect(self.next_file)
        self._buttons(layout, [], [self.error_close, self.error_next])

    def _build_mapping_page(self) -> None:
        self.mapping_page, layout = self._page()
        layout.setSpacing(10)
        self.detected_label = label("", "SectionTitle")
        self.detected_label.setObjectName("Detected")
        self.origin_label = label("", "Muted", wrap=True)
        layout.addWidget(self.detected_label)
        layout.addWidget(self.origin_label)

        card = Card()
        grid = QGridLayout(card)
        grid.setContentsMargins(16, 12, 16, 12)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(6)
        self.read_label = label("", "Muted", wrap=True)
        self.read_label.setObjectName("ReadAs")
        grid.addWidget(self.read_label, 0, 0, 1, 10)
        self.encoding_combo = QComboBox()
        self.encoding_combo.setObjectName("EncodingCombo")
        self.delimiter_combo = QComboBox()
        self.delimiter_combo.setObjectName("DelimiterCombo")
        for value, text in DELIMITERS:
            self.delimiter_combo.addItem(text, value)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("SheetCombo")
        self.date_combo = QComboBox()
        self.date_combo.setObjectName("DateOrderCombo")
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("RegionCombo")
        self.region_combo.setMaxVisibleItems(18)
        self.region_combo.addItem("Automatic", "")
        for code, text in region_choices():
            self.region_combo.addItem(text, code)
        self.override_labels: dict[str, QLabel] = {}
        column = 0
        for key, caption, combo in (("encoding", "Encoding", self.encoding_combo),
                                    ("delimiter", "Separator", self.delimiter_combo),
                                    ("sheet", "Sheet", self.sheet_combo),
                                    ("dates", "Dates", self.date_combo),
                                    ("region", "Phone region", self.region_combo)):
            caption_label = label(caption, "Muted")
            self.override_labels[key] = caption_label
            grid.addWidget(caption_label, 1, column)
            grid.addWidget(combo, 2, column)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            column += 1
        grid.setColumnStretch(column, 1)
        self.region_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.region_combo.setMinimumContentsLength(20)
        for combo in (self.encoding_combo, self.delimiter_combo, self.sheet_combo):
            combo.activated.connect(lambda _i: self.replan(reread=True))
        for combo in (self.date_combo, self.region_combo):
            combo.activated.connect(lambda _i: self.replan(reread=False))
        layout.addWidget(card)

        columns_row = QHBoxLayout()
        columns_row.addWidget(label("Columns", "SectionTitle"))
        hint = label("Choose what each column holds; the first rows of the file are shown below.", "Muted")
        columns_row.addWidget(hint, 1)
        self.show_values = QCheckBox("Show values")
        self.show_values.setObjectName("ShowValues")
        self.show_values.setToolTip("Personal values are masked on screen unless you choose to see them.")
        self.show_values.toggled.connect(lambda shown: self.preview_model.set_masked(not shown))
        columns_row.addWidget(self.show_values)
        layout.addLayout(columns_row)

        self.preview_model = PreviewModel(self)
        self.preview = QTableView()
        self.preview.setObjectName("PreviewTable")
        self.mapping_header = MappingHeader(self.preview)
        self.preview.setHorizontalHeader(self.mapping_header)
        self.preview.setModel(self.preview_model)
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setShowGrid(True)
        self.preview.setWordWrap(False)
        self.preview.setAlternatingRowColors(True)
        self.preview.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.preview.verticalHeader().setDefaultSectionSize(28)
        self.preview.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.preview.horizontalScrollBar().valueChanged.connect(self.mapping_header._place)
        self.mapping_header.mapping_changed.connect(self._on_mapping_changed)
        layout.addWidget(self.preview, 1)

        self.mapping_busy = BusyBar()
        self.mapping_message = MessageLabel()
        layout.addWidget(self.mapping_busy)
        layout.addWidget(self.mapping_message)
        self.skip_button = _button("Skip this file", "SkipFile")
        self.skip_button.clicked.connect(self.skip_file)
        self.mapping_cancel = _button("Cancel", "MappingCancel")
        self.mapping_cancel.clicked.connect(self.cancel_by_user)
        self.check_button = _button("Check rows", "CheckRows", primary=True)
        self.check_button.setToolTip("Reads the whole file and shows what would be imported; nothing is written yet.")
        self.check_button.clicked.connect(self.check)
        self._buttons(layout, [self.skip_button], [self.mapping_cancel, self.check_button])

    def _build_check_page(self) -> None:
        self.check_page, layout = self._page()
        self.check_title = label("Check before importing", "SectionTitle")
        layout.addWidget(self.check_title)
        self.check_summary = label("", "Muted", wrap=True)
        self.check_summary.setObjectName("CheckSummary")
        layout.addWidget(self.check_summary)
        self.check_stats = Stats()
        layout.addWidget(self.check_stats)
        self.check_note = MessageLabel()
        layout.addWidget(self.check_note)
        self.check_issues_title = label("Rows with problems", "SectionTitle")
        layout.addWidget(self.check_issues_title)
        self.check_issues = IssuesModel(self)
        self.check_table = _issues_table(self.check_issues)
        self.check_table.setObjectName("CheckIssues")
        layout.addWidget(self.check_table, 1)
        self.check_spacer = QWidget()
        self.check_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        layout.addWidget(self.check_spacer)
        self.back_button = _button("Back to the columns", "BackToColumns")
        self.back_button.clicked.connect(self.back_to_mapping)
        self.check_cancel = _button("Cancel", "CheckCancel")
        self.check_cancel.clicked.connect(self.cancel_by_user)
        self.import_button = _button("Import", "ImportButton", primary=True)
        self.import_button.clicked.connect(self.start_import)
        self._buttons(layout, [self.back_button], [self.check_cancel, self.import_button])

    def _build_progress_page(self) -> None:
        self.progress_page, layout = self._page()
        layout.addStretch(1)
        self.progress_title = label("", "SectionTitle")
        self.progress_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.progress_title)
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("ImportProgress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedHeight(10)
        self.progress_bar.setStyleSheet(
            f"QProgressBar {{ border: none; background: {theme.SURFACE_HOVER}; border-radius: 5px; }}"
            f"QProgressBar::chunk {{ background: {theme.ACCENT}; border-radius: 5px; }}")
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.progress_bar, 6)
        row.addStretch(1)
        layout.addLayout(row)
        self.progress_label = label("", "Muted")
        self.progress_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.progress_label)
        self.progress_note = label("", "Faint", wrap=True)
        self.progress_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.progress_note)
        layout.addStretch(2)
        self.cancel_button = _button("Cancel", "CancelImport")
        self.cancel_button.clicked.connect(self.cancel_job)
        self._buttons(layout, [], [self.cancel_button])

    def _build_result_page(self) -> None:
        self.result_page, layout = self._page()
        self.result_message = MessageLabel()
        self.result_message.setObjectName("ResultMessage")
        layout.addWidget(self.result_message)
        self.result_stats = Stats()
        layout.addWidget(self.result_stats)
        self.result_note = label("", "Muted", wrap=True)
        layout.addWidget(self.result_note)
        self.outcomes_label = label("", wrap=True)
        self.outcomes_label.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.outcomes_label)
        self.match_hint = MessageLabel()
        self.match_hint.setObjectName("MatchHint")
        layout.addWidget(self.match_hint)
        layout.addStretch(1)
        self.result_match = _button("Run matching", "ResultRunMatching")
        self.result_match.setToolTip("Close this window and build the customer profiles (Ctrl+M)")
        self.result_match.clicked.connect(self.run_matching)
        self.result_close = _button("Close", "ResultClose")
        self.result_close.clicked.connect(self.accept)
        self.result_next = _button("Next file", "ResultNext", primary=True)
        self.result_next.clicked.connect(self.next_file)
        self._buttons(layout, [self.result_match], [self.result_close, self.result_next])

    # ------------------------------------------------------------------ files

    def _vault_region(self) -> str:
        try:
            return shop_region(self.vault)
        except Exception:  # noqa: BLE001
            return "US"

    @property
    def path(self) -> Path | None:
        return self.queue[self.index] if 0 <= self.index < len(self.queue) else None

    @property
    def busy(self) -> bool:
        return self._flag is not None

    def add_files(self, paths: list[Path]) -> None:
        """More files (dropped while the wizard is open) join the end of the queue."""
        self.queue.extend(Path(p) for p in paths)
        self._update_step()
        if self.stack.currentWidget() is self.result_page:
            self._show_result_buttons()
        elif self.stack.currentWidget() is self.error_page:
            self.error_next.setVisible(True)
            self.error_close.setText("Stop here")

    def start(self) -> None:
        self.next_file()

    def next_file(self) -> None:
        if self.busy:
            return
        self.index += 1
        if self.index >= len(self.queue):
            self.accept()
            return
        self.plan = self.first_plan = None
        self.checked = None
        self.report = None
        self.mapping_edited = False
        self.options = ImportOptions(region=self.default_region)
        self.show_values.setChecked(False)
        self._update_step()
        self.loading_label.setText(f"Reading {self.path.name}…")
        self.loading_busy.start()
        self.stack.setCurrentWidget(self.loading_page)
        self._plan(self.options, first=True)

    def skip_file(self) -> None:
        if self.busy:
            return
        self.outcomes.append((self.path.name, None, "skipped"))
        if self.index + 1 >= len(self.queue):
            self._show_final()
        else:
            self.next_file()

    def _update_step(self) -> None:
        path = self.path
        self.title.setText(f"Import {path.name}" if path else "Import")
        count = len(self.queue)
        self.step.setText(f"File {self.index + 1} of {count}" if count > 1 and path else "")

    # ------------------------------------------------------------------ reading (planning)

    def _plan(self, options: ImportOptions, *, first: bool = False) -> None:
        path = self.path
        self._job = "plan"
        self._flag = run_job(self.vault, lambda conn, _flag: plan_import(path, options, conn),
                             lambda plan: self._on_planned(plan, options, first),
                             lambda exc: self._on_plan_failed(exc, first))

    def _finish_job(self) -> bool:
        """Clear the job; True when the dialog is closing and the result should be dropped."""
        self._flag = None
        self._job = ""
        if self._close_when_idle:
            self._close_when_idle = False
            super().reject()
            return True
        return self._closed

    def _on_planned(self, plan: ImportPlan, options: ImportOptions, first: bool) -> None:
        self.loading_busy.stop()
        self.mapping_busy.stop()
        if self._finish_job():
            return
        self.plan = plan
        self.options = options
        self.checked = None
        if first:
            self.first_plan = plan
        if options.mapping is None:
            self.mapping_edited = False
        self._fill_mapping_page(plan)
        self._set_mapping_enabled(True)
        self.mapping_message.clear()
        self.stack.setCurrentWidget(self.mapping_page)
        self.check_button.setFocus()

    def _on_plan_failed(self, exc: BaseException, first: bool) -> None:
        self.loading_busy.stop()
        self.mapping_busy.stop()
        if self._finish_job():
            return
        message = user_message(exc)
        if first or self.plan is None:
            self.outcomes.append((self.path.name, None, message))
            self.error_message.show_error(message)
            last = self.index + 1 >= len(self.queue)
            self.error_next.setVisible(not last)
            self.error_close.setText("Close" if last else "Stop here")
            if last:
                theme.mark_primary(self.error_close)
            self.stack.setCurrentWidget(self.error_page)
        else:
            self._set_mapping_enabled(True)
            self._fill_overrides(self.plan)  # the controls go back to what is shown
            self.mapping_message.show_error(message)

    def current_options(self, *, reread: bool) -> ImportOptions:
        """The overrides as chosen in the combos; the user's mapping is kept unless the file is re-read."""
        plan = self.plan
        table = plan.table if plan else None
        options = replace(self.options)
        if table is not None and table.format == "csv":
            options.encoding = self.encoding_combo.currentData()
            options.delimiter = self.delimiter_combo.currentData()
        if table is not None and len(table.sheets) > 1:
            options.sheet = self.sheet_combo.currentData()
        options.date_order = self.date_combo.currentData() or None
        options.phone_region = self.region_combo.currentData() or None
        options.mapping = None if reread else (self.mapping_header.mapping() if self.mapping_edited else None)
        return options

    def replan(self, *, reread: bool) -> None:
        """Read the file again with the overrides (encoding, separator, sheet, dates, region)."""
        if self.busy or self.plan is None:
            return
        options = self.current_options(reread=reread)
        table = self.plan.table
        if reread and (options.encoding or table.encoding, options.delimiter or table.delimiter,
                       options.sheet or table.sheet) == (table.encoding, table.delimiter, table.sheet):
            return  # the same choice again
        self._set_mapping_enabled(False)
        self.mapping_busy.start()
        self.mapping_message.show_info("Reading the file again…")
        self._plan(options)

    def _set_mapping_enabled(self, enabled: bool) -> None:
        for widget in (self.encoding_combo, self.delimiter_combo, self.sheet_combo, self.date_combo,
                       self.region_combo, self.preview, self.check_button, self.skip_button):
            widget.setEnabled(enabled)

    # ------------------------------------------------------------------ the mapping page

    def _fill_mapping_page(self, plan: ImportPlan) -> None:
        first = self.first_plan or plan
        if first.preset is not None:
            self.detected_label.setText(f"Recognised: {first.preset.label} (confidence {percent(first.confidence)})")
        else:
            self.detected_label.setText(
                f"Not recognised: best guess from the column names and values (confidence {percent(first.confidence)})")
        self.origin_label.setText(self._origin_text(plan))
        self._fill_overrides(plan)
        self.preview_model.set_preview(plan.table.header, plan.preview, plan.mapping)
        self.mapping_header.set_mapping(plan.mapping, plan.reasons)
        fm = self.preview.fontMetrics()
        for column, header in enumerate(plan.table.header):
            self.preview.setColumnWidth(column, max(236, min(320, fm.horizontalAdvance(header) + 40)))
        self.preview.horizontalScrollBar().setValue(0)
        self.mapping_header._place()

    def _origin_text(self, plan: ImportPlan) -> str:
        rows = len(plan.preview)
        if rows:
            shown = "The first row is shown." if rows == 1 else f"The first {rows:,} rows are shown."
        else:
            shown = "The file has a header but no data rows."
        origin = plan.mapping_origin
        if origin == "remembered" and not self.mapping_edited:
            text = "The columns are mapped as you mapped them last time for a file with these columns."
        elif origin == "preset" and not self.mapping_edited:
            text = f"The columns are mapped the way {plan.preset.tool} exports them."
            text += _added_columns_note(plan.added_columns, plan.preset.tool)
        elif self.mapping_edited or origin == "user":
            text = "The columns are mapped as you chose."
        else:
            text = "c360 guessed each column from its name and values: check the drop-downs before importing."
        return f"{text} {shown}"

    def _fill_overrides(self, plan: ImportPlan) -> None:
        table = plan.table
        is_text = table.format == "csv"
        for combo in (self.encoding_combo, self.delimiter_combo, self.sheet_combo, self.date_combo, self.region_combo):
            combo.blockSignals(True)
        self.encoding_combo.clear()
        known = dict(ENCODINGS)
        if table.encoding and table.encoding not in known:
            self.encoding_combo.addItem(table.encoding, table.encoding)
        for value, text in ENCODINGS:
            self.encoding_combo.addItem(text, value)
        if table.encoding:
            self.encoding_combo.setCurrentIndex(max(0, self.encoding_combo.findData(table.encoding)))
        if table.delimiter:
            self.delimiter_combo.setCurrentIndex(max(0, self.delimiter_combo.findData(table.delimiter)))
        self.sheet_combo.clear()
        for sheet in table.sheets:
            self.sheet_combo.addItem(sheet, sheet)
        if table.sheet:
            self.sheet_combo.setCurrentIndex(max(0, self.sheet_combo.findData(table.sheet)))
        self.date_combo.clear()
        automatic = (self.first_plan or plan).date_order if self.options.date_order else plan.date_order
        words = {"MDY": "month first", "DMY": "day first"}[automatic.order]
        self.date_combo.addItem("Automatic" if automatic.grounds == "none" else f"Automatic ({words})", "")
        self.date_combo.setItemData(0, automatic.describe(), Qt.ItemDataRole.ToolTipRole)
        for value, text in DATE_ORDERS:
            self.date_combo.addItem(text, value)
        self.date_combo.setCurrentIndex(max(0, self.date_combo.findData(self.options.date_order or "")))
        self.date_combo.setToolTip(plan.date_order.describe())
        self._fill_region(plan)
        for key, visible in (("encoding", is_text), ("delimiter", is_text), ("sheet", len(table.sheets) > 1)):
            self.override_labels[key].setVisible(visible)
            {"encoding": self.encoding_combo, "delimiter": self.delimiter_combo,
             "sheet": self.sheet_combo}[key].setVisible(visible)
        for combo in (self.encoding_combo, self.delimiter_combo, self.sheet_combo, self.date_combo, self.region_combo):
            combo.blockSignals(False)
        self.read_label.setText(self._read_text(plan))

    def _fill_region(self, plan: ImportPlan) -> None:
        """"Automatic (France)" with why as its tooltip, then every region; the file's choice selected."""
        automatic = (self.first_plan or plan).phone_region if self.options.phone_region else plan.phone_region
        if self.region_combo.findData(automatic.region) < 0:
            self.region_combo.addItem(automatic.region, automatic.region)
        name = self.region_combo.itemText(self.region_combo.findData(automatic.region))
        self.region_combo.setItemText(0, f"Automatic: {name}")
        self.region_combo.setItemData(0, automatic.describe(), Qt.ItemDataRole.ToolTipRole)
        chosen = self.options.phone_region or ""
        if chosen and self.region_combo.findData(chosen) < 0:
            self.region_combo.addItem(chosen, chosen)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(chosen)))
        self.region_combo.setToolTip(plan.phone_region.describe())

    def _read_text(self, plan: ImportPlan) -> str:
        table = plan.table
        parts = []
        if table.format == "csv":
            delimiter = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}.get(table.delimiter or "",
                                                                                  repr(table.delimiter))
            encoding = dict(ENCODINGS).get(table.encoding or "", table.encoding or "?")
            parts.append(f"Read as text: {encoding}, {delimiter}-separated")
        else:
            sheets = f", sheet “{table.sheet}”" + (f" of {len(table.sheets)}" if len(table.sheets) > 1 else "")
            parts.append(f"Read as a {table.format.upper()} workbook{sheets}")
        if table.header_index:
            parts.append(f"header on row {table.header_index + 1}")
        text = ", ".join(parts) + "."
        if self.options.date_order:
            text += f" Dates: {dict(DATE_ORDERS)[self.options.date_order].lower()}, as you chose."
        else:
            text += f" Dates: {plan.date_order.describe()}."
        if plan.decimal_comma:
            text += " Amounts use a decimal comma."
        if plan.phone_region.grounds in ("data", "unfit"):
            phones = plan.phone_region.describe()
            text += f" {phones[:1].upper()}{phones[1:]}."
        return text

    def _on_mapping_changed(self, _column: int, _field: str) -> None:
        self.mapping_edited = True
        self.checked = None
        mapping = self.mapping_header.mapping()
        self.preview_model.set_mapping(mapping)
        if self.plan is not None:
            self.origin_label.setText(self._origin_text(self.plan))

    def mapping(self) -> list[str]:
        return self.mapping_header.mapping()

    def set_column_field(self, column: int, field_name: str) -> None:
        """Choose ``field_name`` for ``column`` as the user would with its drop-down."""
        self.mapping_header.combos[column].set_field(field_name)

    # ------------------------------------------------------------------ checking (dry run)

    def check(self) -> None:
        """Read the whole file as the import would and roll back: the validation summary."""
        if self.busy or self.plan is None:
            return
        options = self.current_options(reread=False)
        reuse = options.mapping is None and options.date_order == self.options.date_order \
            and options.phone_region == self.options.phone_region
        plan = self.plan if reuse else None
        path, vault, progress = self.path, self.vault, self.progress

        def work(conn, flag):
            chosen = plan or plan_import(path, options, conn)
            report = run_import(vault, chosen, conn=conn, dry_run=True, progress=progress.report,
                                cancelled=flag.is_set)
            return chosen, report

        self._show_progress("check")
        self._job = "check"
        self._flag = run_job(self.vault, work, self._on_checked, self._on_check_failed)

    def _on_checked(self, result) -> None:
        if self._finish_job():
            return
        plan, report = result
        self.plan = plan
        self.checked = (plan, report)
        self._fill_check_page(report)
        self.stack.setCurrentWidget(self.check_page)
        self.import_button.setFocus()

    def _on_check_failed(self, exc: BaseException) -> None:
        if self._finish_job():
            return
        self.stack.setCurrentWidget(self.mapping_page)
        if isinstance(exc, ImportCancelled):
            self.mapping_message.show_info("Check stopped. Nothing was written.")
        else:
            self.mapping_message.show_error(user_message(exc))

    def _fill_check_page(self, report) -> None:
        self.check_summary.setText(
            f"{plural(report.rows, 'row')} read from {report.file}. Nothing has been written yet: this is what "
            "Import would do.")
        self.check_stats.set_numbers(describe_report(report, dry_run=True))
        issues = report_issues(report)
        self.check_issues.set_issues(issues)
        has_issues = bool(issues)
        self.check_issues_title.setVisible(has_issues)
        self.check_table.setVisible(has_issues)
        self.check_spacer.setVisible(not has_issues)
        notes = [f"About the whole file: {w['reason']}." for w in report.warnings if w["row"] is None]
        if report.unchanged and not report.inserted and not report.updated:
            notes.append(f"Nothing would change: {plural(report.unchanged, 'row')} "
                         f"{'is' if report.unchanged == 1 else 'are'} already in the vault exactly as in this file.")
        importable = report.inserted + report.updated + report.unchanged
        if report.rejected and not importable:
            notes.append("Nothing in this file can be imported: every row would be kept out (the reasons are below). "
                         "Is it an export of customers? If so, go back and map the columns that hold names, emails "
                         "or phones.")
        elif report.rejected:
            notes.append(f"{plural(report.rejected, 'row')} will be kept out of the vault; the reasons stay in the "
                         "import report.")
        if report.warning_count:
            notes.append(f"{plural(report.warning_count, 'warning')} (listed below): the rows concerned are imported "
                         "all the same, every cell kept as read, unless the warning says otherwise (a report footer is "
                         "left out).")
            if report.warning_count > len(report.warnings):
                notes.append(f"The first {plural(len(report.warnings), 'warning')} are listed.")
        if report.suppressed:
            notes.append(f"{plural(report.suppressed, 'row')} "
                         f"{'belongs to a person' if report.suppressed == 1 else 'belong to people'} who asked to be "
                         "erased and will not be imported.")
        if notes:
            self.check_note.show_info(" ".join(notes))
        elif report.rows:
            self.check_note.show_success("Every row can be imported.")
        else:
            self.check_note.show_info("The file has no data rows.")
        self.import_button.setText(import_button_text(report))
        self.import_button.setEnabled(importable > 0)

    def back_to_mapping(self) -> None:
        if not self.busy:
            self.stack.setCurrentWidget(self.mapping_page)

    # ------------------------------------------------------------------ importing

    def start_import(self) -> None:
        if self.busy or self.checked is None:
            return
        plan, _dry = self.checked
        vault, progress = self.vault, self.progress

        def work(conn, flag):
            report = run_import(vault, plan, conn=conn, progress=progress.report, cancelled=flag.is_set)
            return report, records_to_match(conn)

        self._show_progress("import")
        self._job = "import"
        self._flag = run_job(self.vault, work, self._on_imported, self._on_import_failed)

    def _show_progress(self, kind: str) -> None:
        name = self.path.name if self.path else ""
        self.progress_title.setText(f"Checking {name}…" if kind == "check" else f"Importing {name}…")
        self.progress_note.setText(
            "Nothing is written while checking." if kind == "check"
            else "The import is one transaction: if you cancel, nothing is changed.")
        self.progress_bar.setRange(0, 0)
        self.progress_label.setText("Starting…")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.stack.setCurrentWidget(self.progress_page)

    def _on_progress(self, done: int, total: int) -> None:
        if not self.busy:
            return
        if total > done:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            self.progress_label.setText(f"{done:,} of about {plural(total, 'row')}")
        else:
            self.progress_bar.setRange(0, 0)
            self.progress_label.setText(f"{plural(done, 'row')} read")

    def cancel_job(self) -> None:
        if self._flag is None:
            return
        self._flag.set()
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.progress_label.setText("Stopping and putting everything back as it was…")

    def _on_imported(self, result) -> None:
        report, self.to_match = result
        self.report = report
        self.outcomes.append((report.file, report, "imported"))
        self.imported.emit(report)
        if self._finish_job():
            return
        self.result_message.show_success(
            f"Imported {report.file}: {report.inserted:,} added, {report.updated:,} updated, "
            f"{report.unchanged:,} unchanged, {report.rejected:,} rejected.")
        self.result_stats.set_numbers(describe_report(report, dry_run=False))
        self.result_stats.show()
        self.result_note.setText("The full report, with every rejected row and warning, is on the Imports page, "
                                 "where the import can also be undone.")
        self._show_result()

    def _on_import_failed(self, exc: BaseException) -> None:
        cancelled = isinstance(exc, ImportCancelled)
        name = self.path.name if self.path else ""
        self.outcomes.append((name, None, "cancelled" if cancelled else user_message(exc)))
        if self._finish_job():
            return
        if cancelled:
            self.result_message.show_info("Import cancelled. Nothing was changed: the vault is exactly as it was "
                                          "before.")
        else:
            message = user_message(exc)
            said = "nothing was changed" in message.lower()
            self.result_message.show_error(message if said else message + " Nothing was changed.")
        self.result_stats.hide()
        self.result_note.setText("")
        self._show_result()

    def _show_result(self) -> None:
        self._show_result_buttons()
        last = self.index + 1 >= len(self.queue)
        self.outcomes_label.setText(self._outcomes_text() if last and len(self.queue) > 1 else "")
        self.stack.setCurrentWidget(self.result_page)

    def _show_match_hint(self, last: bool) -> None:
        """After the last file, when the profiles lag behind the records: say so, with the button."""
        if not last or not self.to_match:
            self.match_hint.clear()
            return
        self.match_hint.show_info(
            f"{plural(self.to_match, 'record')} {'is' if self.to_match == 1 else 'are'} new or changed since the "
            "last matching run. Run matching to bring the customer profiles up to date.")

    def run_matching(self) -> None:
        self.match_requested.emit()
        self.accept()

    def _show_result_buttons(self) -> None:
        last = self.index + 1 >= len(self.queue)
        self._show_match_hint(last)
        self.result_match.setVisible(last and self.to_match > 0)
        self.result_next.setVisible(not last)
        self.result_close.setText("Done" if last else "Stop here")
        if last:
            theme.mark_primary(self.result_close)
            self.result_close.setFocus()
        else:
            self.result_close.setProperty("primary", False)
            self.result_next.setFocus()
        self.result_close.style().unpolish(self.result_close)
        self.result_close.style().polish(self.result_close)

    def _show_final(self) -> None:
        self.result_message.show_info("No more files.")
        self.result_stats.hide()
        self.result_note.setText("")
        self._show_result()

    def _outcomes_text(self) -> str:
        lines = ["All files:"]
        for name, report, message in self.outcomes:
            if report is not None:
                lines.append(f"•  {name}: {report.inserted:,} added, {report.updated:,} updated, "
                             f"{report.rejected:,} rejected")
            else:
                lines.append(f"•  {name}: {message}")
        return "\n".join(lines)

    # ------------------------------------------------------------------ closing

    def cancel_by_user(self) -> None:
        """Cancel, Esc or the window's close button: after the owner chose what some columns hold, ask before
        throwing that away (closing for a lock does not ask: ``reject``)."""
        if self.mapping_edited and self._flag is None and self.stack.currentWidget() in (self.mapping_page,
                                                                                         self.check_page):
            answer = QMessageBox.question(
                self, "Close the import?", "You chose what some columns hold. Close without importing? Those "
                "choices are remembered only when the file is imported.",
                QMessageBox.StandardButton.Close | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Close:
                return
        self.reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_by_user()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._closed and self.isVisible():
            event.ignore()
            self.cancel_by_user()
            return
        super().closeEvent(event)

    def reject(self) -> None:  # noqa: D401 - QDialog API
        """Close; a running import is cancelled first (and rolled back), then the dialog closes."""
        vault_open = getattr(self.vault, "is_open", False)
        if self._flag is not None and vault_open:
            self._flag.set()
            if self._job == "import":
                self.cancel_job()
                self._close_when_idle = True
                return
        elif self._flag is not None:
            self._flag.set()
        super().reject()

    def done(self, result: int) -> None:  # noqa: D401 - QDialog API
        self._closed = True
        super().done(result)
        self.all_done.emit()
