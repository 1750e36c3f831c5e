"""The Imports page: history of every import, its report, Undo, and the watched folders."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core.ingest.history import import_issues, undo_import, undo_preview
from ...core.ingest.watch import set_watched_folders, watched_folders
from ...core.privacy.cells import protect_cell
from ...core.words import plural
from .. import theme
from ..dialogs.common import short_path, user_message
from ..import_jobs import run_job
from ..models.imports import (
    IMPORT_ID_ROLE,
    ImportsModel,
    IssuesModel,
    issue_field_label,
    local_time,
    tool_label,
)
from ..watcher import FolderWatcher, Notifier, WatchOutcome
from ..widgets import BusyBar, Card, ElasticColumn, MessageLabel, label, list_table
from .base import EmptyState, Page

MAX_ACTIVITY = 50
FILE_MINIMUM_WIDTH = 200


def write_report_csv(path: Path, file_name: str, issues: list[dict]) -> int:
    """The issues of one import as CSV (file, row, kind, column, reason); returns how many rows were written."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "row", "kind", "column", "reason"])
        for issue in issues:
            writer.writerow([protect_cell(cell) for cell in (
                file_name, issue.get("row"), issue.get("severity"), issue_field_label(issue.get("field")),
                issue.get("reason"))])
    return len(issues)


# Module functions so tests can replace the native dialogs.
def choose_report_path(parent: QWidget | None, suggested: Path) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Export the import report", str(suggested), "CSV files (*.csv)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".csv")


def choose_watch_folder(parent: QWidget | None) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, "Choose a folder to watch", str(Path.home()))
    return Path(name) if name else None


REMOVED = (("records_removed", "record"), ("events_removed", "event"))
RESTORED = (("records_restored", "record"), ("events_restored", "event"))


def counted(counts: dict, kinds: tuple[tuple[str, str], ...]) -> str:
    """``9 records and 10 events`` from an undo's counts; empty when there are none of these kinds."""
    return " and ".join(plural(counts[key], noun) for key, noun in kinds if counts.get(key))


def _restores_one(counts: dict) -> bool:
    return sum(counts.get(key, 0) for key, _noun in RESTORED) == 1


def _card(title: str) -> tuple[Card, QVBoxLayout, QHBoxLayout]:
    card = Card()
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 14)
    layout.setSpacing(8)
    heading = QHBoxLayout()
    heading.setSpacing(8)
    heading.addWidget(label(title, "SectionTitle"))
    heading.addStretch(1)
    layout.addLayout(heading)
    return card, layout, heading


class ImportsPage(Page):
    key, title, icon_name = "imports", "Imports", "nav-imports.svg"
    subtitle = "Import history: every file brought into this vault."

    import_requested = Signal()
    data_changed = Signal()  # an import was undone or a watched folder imported something

    def __init__(self, parent=None):
        super().__init__(parent)
        self._vault = None
        self._undoing = False
        self.watcher = FolderWatcher(self)
        self.watcher.outcomes.connect(self._on_watch_outcomes)
        self.watcher.status_changed.connect(self._on_watch_status)
        self.notifier = Notifier(self, self)

        self.import_button = theme.mark_primary(QPushButton("Import files…"))
        self.import_button.setObjectName("ImportFilesButton")
        self.import_button.setToolTip("Choose exports to import (Ctrl+I), or drop them anywhere on this window")
        self.import_button.clicked.connect(lambda: self.import_requested.emit())
        # The title block shares its row with the button, so the history gets the height.
        title_item = self.body.takeAt(0)
        top = QHBoxLayout()
        top.addWidget(title_item.widget(), 1)
        top.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignBottom)
        self.body.insertLayout(0, top)

        # History --------------------------------------------------------------------------
        self.model = ImportsModel(self)
        self.table = list_table("ImportsTable")
        self.table.setModel(self.model)
        header = self.table.horizontalHeader()
        bold = QFont(header.font())
        bold.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(bold)
        for column in range(self.model.columnCount()):
            text = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            header.resizeSection(column, max(64, metrics.horizontalAdvance(text) + 24))
        header.resizeSection(1, 144)  # "QuickBooks Online"
        header.resizeSection(2, 132)  # "2026-11-29 16:52"
        header.resizeSection(self.model.columnCount() - 1, 84)  # "Imported", "Undone"
        self.file_column = ElasticColumn(self.table, 0, FILE_MINIMUM_WIDTH)
        self.table.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # a file name keeps its end: "….csv"
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.empty = EmptyState(
            self.icon_name,
            "No imports yet",
            "Drop exports from Shopify, WooCommerce, Square, Stripe, Mailchimp, HubSpot, Zendesk, QuickBooks and "
            "other tools (CSV, XLSX, XLS, ODS) on this window, or use the Import files… button above. The tool is "
            "recognised from the columns.",
            ("Rows added, updated and rejected, with reasons", "Undo an import"),
        )
        self.views = QStackedWidget()
        self.views.addWidget(self.empty)
        self.views.addWidget(self.table)

        # Report of the selected import ----------------------------------------------------------
        report_card, report_layout, report_heading = _card("Report")
        self.report_title = report_heading.itemAt(0).widget()
        self.export_button = QPushButton("Export report…")
        self.export_button.setObjectName("ExportReportButton")
        self.export_button.clicked.connect(self.export_report)
        self.undo_button = QPushButton("Undo import…")
        self.undo_button.setObjectName("UndoImportButton")
        self.undo_button.clicked.connect(self.undo_selected)
        report_heading.addWidget(self.export_button)
        report_heading.addWidget(self.undo_button)
        self.report_summary = label("Select an import above to see its report.", "Muted", wrap=True)
        self.report_summary.setObjectName("ReportSummary")
        report_layout.addWidget(self.report_summary)
        self.issues = IssuesModel(self)
        self.issues_table = list_table("IssuesTable")
        self.issues_table.setModel(self.issues)
        issues_header = self.issues_table.horizontalHeader()
        for column, width in enumerate((56, 80, 110)):
            issues_header.resizeSection(column, width)
        issues_header.setStretchLastSection(True)
        # "What is wrong" wraps rather than being cut: a row is as tall as its reason needs.
        self.issues_table.setWordWrap(True)
        self.issues_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        report_layout.addWidget(self.issues_table, 1)
        self.report_spacer = QWidget()
        self.report_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        report_layout.addWidget(self.report_spacer, 1)
        self.undo_busy = BusyBar()
        report_layout.addWidget(self.undo_busy)
        self.message = MessageLabel()
        self.message.setObjectName("ImportsMessage")
        report_layout.addWidget(self.message)

        # Watched folders ------------------------------------------------------------------------
        watch_card, watch_layout, _watch_heading = _card("Watched folders")
        self.add_folder_button = QPushButton("Add folder…")
        self.add_folder_button.setObjectName("AddWatchedFolder")
        self.add_folder_button.clicked.connect(self.add_folder)
        self.remove_folder_button = QPushButton("Remove")
        self.remove_folder_button.setObjectName("RemoveWatchedFolder")
        self.remove_folder_button.clicked.connect(self.remove_folder)
        self.folders = QListWidget()
        self.folders.setObjectName("WatchedFolders")
        self.folders.setMaximumHeight(84)
        self.folders.itemSelectionChanged.connect(self._update_buttons)
        watch_layout.addWidget(self.folders)
        self.watch_status = label("", "Muted", wrap=True)
        self.watch_status.setObjectName("WatchStatus")
        watch_layout.addWidget(self.watch_status)
        self.activity_title = label("Recent activity", "Faint")
        watch_layout.addWidget(self.activity_title)
        self.activity = QListWidget()
        self.activity.setObjectName("WatchActivity")
        self.activity.setWordWrap(True)
        watch_layout.addWidget(self.activity, 1)
        self.watch_spacer = QWidget()
        self.watch_spacer.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        watch_layout.addWidget(self.watch_spacer, 1)
        folder_buttons = QHBoxLayout()
        folder_buttons.setSpacing(8)
        folder_buttons.addWidget(self.add_folder_button)
        folder_buttons.addWidget(self.remove_folder_button)
        folder_buttons.addStretch(1)
        watch_layout.addLayout(folder_buttons)

        # The report gets the width its reasons need; the watched folders are set up once and glanced at.
        lower = QSplitter(Qt.Orientation.Horizontal)
        lower.setChildrenCollapsible(False)
        lower.addWidget(report_card)
        lower.addWidget(watch_card)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 1)
        lower.setSizes([740, 260])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("ImportsSplitter")
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.views)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([400, 220])
        splitter.setHandleWidth(14)
        lower.setHandleWidth(14)
        self.body.addWidget(splitter, 1)
        self._show_report(None)
        self._refresh_views()

    # ------------------------------------------------------------------ lifecycle

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.refresh()
        self._load_folders()
        self.watcher.start(vault)
        self._on_watch_status(self.watcher.status_text())

    def on_locked(self) -> None:
        self.watcher.stop()
        self.notifier.hide()
        self._vault = None
        self._undoing = False
        self.undo_busy.stop()
        self.model.clear()
        self.issues.clear()
        self.folders.clear()
        self.activity.clear()
        self._update_lists()
        self.watch_status.setText("")
        self.message.clear()
        self._show_report(None)
        self._refresh_views()

    # ------------------------------------------------------------------ history

    def refresh(self, select_id: int | None = None) -> None:
        """Reload the history, keeping (or choosing) the selected import."""
        if self._vault is None or not self._vault.is_open:
            return
        keep = select_id if select_id is not None else self.selected_id()
        self.model.set_vault(self._vault)
        self._refresh_views()
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row >= 0:
            self.table.selectionModel().select(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self._show_report(None)

    def _refresh_views(self) -> None:
        count = self.model.rowCount()
        self.views.setCurrentWidget(self.table if count else self.empty)
        if count:
            self.subtitle_label.setText(f"Import history: {plural(count, 'file')} brought into this vault. Drop "
                                        "export files anywhere on this window to import more.")
        else:
            self.subtitle_label.setText(self.subtitle)

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not rows:
            return None
        return self.model.data(rows[0], IMPORT_ID_ROLE)

    def selected_summary(self):
        rows = self.table.selectionModel().selectedRows()
        return self.model.summary(rows[0].row()) if rows else None

    def _on_selection(self, *_args) -> None:
        self.message.clear()
        self._show_report(self.selected_summary())

    def _show_report(self, summary) -> None:
        if summary is None or self._vault is None:
            self.report_title.setText("Report")
            self.report_summary.setText("Select an import above to see its report.")
            self.issues.clear()
            self.issues_table.hide()
            self.report_spacer.show()
        else:
            self.report_title.setText(summary.file_name)
            try:
                issues = import_issues(self._vault.conn, summary.id)
            except Exception as exc:  # noqa: BLE001
                issues = []
                self.message.show_error(user_message(exc))
            self.issues.set_issues(issues)
            self.issues_table.setVisible(bool(issues))
            self.report_spacer.setVisible(not issues)
            status = "undone" if summary.status == "undone" else "imported"
            text = (f"{tool_label(summary.preset, summary.source)}, {status} {local_time(summary.started_at)}. "
                    f"{plural(summary.rows, 'row')}: {summary.inserted:,} added, {summary.updated:,} updated, "
                    f"{summary.unchanged:,} unchanged, {summary.rejected:,} rejected, "
                    f"{summary.suppressed:,} suppressed; {plural(summary.warnings, 'warning')}.")
            if not issues:
                text += " No row had a problem."
            self.report_summary.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        summary = self.selected_summary() if self._vault is not None else None
        self.export_button.setEnabled(summary is not None and self.issues.total > 0)
        self.undo_button.setEnabled(summary is not None and summary.status != "undone" and not self._undoing)
        self.remove_folder_button.setEnabled(self._vault is not None and bool(self.folders.selectedItems()))
        self.add_folder_button.setEnabled(self._vault is not None)
        self.import_button.setEnabled(self._vault is not None)

    # ------------------------------------------------------------------ report export

    def export_report(self) -> Path | None:
        summary = self.selected_summary()
        if summary is None or self._vault is None:
            return None
        suggested = Path.home() / f"{Path(summary.file_name).stem}-import-{summary.id}-report.csv"
        path = choose_report_path(self, suggested)
        if path is None:
            return None
        try:
            count = write_report_csv(path, summary.file_name, import_issues(self._vault.conn, summary.id))
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return None
        self.message.show_success(f"Report saved: {plural(count, 'row')} in {path.name}.")
        return path

    # ------------------------------------------------------------------ undo

    def undo_text(self, summary, counts: dict) -> str:
        """The confirmation, with what the undo will really remove and restore (``undo_preview``)."""
        removed, restored = counted(counts, REMOVED), counted(counts, RESTORED)
        if removed:
            effect = f"{removed} it added will be removed, with everything derived from them."
        else:
            effect = "Nothing will be removed: it added nothing that no other import delivered too."
        if restored:
            effect += f" {restored} it changed {'gets its' if _restores_one(counts) else 'get their'} previous " \
                      "values back."
        return (f"Undo the import of {summary.file_name} ({local_time(summary.started_at)})?\n\n{effect}\n\n"
                "The undo is recorded in the audit log.")

    def undo_selected(self) -> bool:
        """Count what undoing the selected import changes (in the background), then ask, then undo.

        False when nothing was started."""
        summary = self.selected_summary()
        vault = self._vault
        if summary is None or vault is None or summary.status == "undone" or self._undoing:
            return False
        self._undoing = True
        self.undo_busy.start()
        self.message.show_info(f"Counting what undoing the import of {summary.file_name} changes…")
        self._update_buttons()
        import_id = summary.id
        run_job(vault, lambda conn, _flag: undo_preview(conn, import_id),
                lambda counts: self._confirm_undo(summary, counts), self._on_undo_failed)
        return True

    def _confirm_undo(self, summary, counts: dict) -> None:
        self.undo_busy.stop()
        vault = self._vault
        if vault is None:
            self._undoing = False
            return
        answer = QMessageBox.question(
            self, "Undo import", self.undo_text(summary, counts),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Cancel)
        if answer != QMessageBox.StandardButton.Yes or self._vault is None:
            self._undoing = False
            self.message.clear()
            self._update_buttons()
            return
        self.undo_busy.start()
        self.message.show_info(f"Undoing the import of {summary.file_name}…")
        import_id, file_name = summary.id, summary.file_name
        run_job(vault, lambda conn, _flag: undo_import(vault.view(conn), import_id),
                lambda done: self._on_undone(import_id, file_name, done), self._on_undo_failed)

    def _on_undone(self, import_id: int, file_name: str, counts: dict) -> None:
        self._undoing = False
        self.undo_busy.stop()
        if self._vault is None:
            return
        self.refresh(select_id=import_id)
        text = f"Import of {file_name} undone: {counted(counts, REMOVED) or 'nothing'} removed."
        restored = counted(counts, RESTORED)
        if restored:
            text += f" {restored} got {'its' if _restores_one(counts) else 'their'} previous values back."
        self.message.show_success(text)
        self.data_changed.emit()

    def _on_undo_failed(self, exc: BaseException) -> None:
        self._undoing = False
        self.undo_busy.stop()
        if self._vault is None:
            return
        self.message.show_error(user_message(exc))
        self.refresh()

    # ------------------------------------------------------------------ watched folders

    def _load_folders(self) -> None:
        self.folders.clear()
        try:
            folders = watched_folders(self._vault)
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            folders = []
        for folder in folders:
            item = QListWidgetItem(short_path(Path(folder)))
            item.setData(Qt.ItemDataRole.UserRole, folder)
            item.setToolTip(folder)
            self.folders.addItem(item)
        self._update_lists()
        self._update_buttons()

    def _update_lists(self) -> None:
        """Empty lists are hidden; the status line says what is (not) watched."""
        self.folders.setVisible(self.folders.count() > 0)
        has_activity = self.activity.count() > 0
        self.activity.setVisible(has_activity)
        self.activity_title.setVisible(has_activity)
        self.watch_spacer.setVisible(not has_activity)

    def folder_paths(self) -> list[str]:
        return [self.folders.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.folders.count())]

    def add_folder(self, folder: Path | None = None) -> bool:
        if self._vault is None:
            return False
        folder = folder or choose_watch_folder(self)
        if folder is None:
            return False
        folder = Path(folder).expanduser().resolve()
        if not folder.is_dir():
            self.message.show_error(f"{folder.name} is not a folder.")
            return False
        return self._save_folders(self.folder_paths() + [str(folder)],
                                  f"Watching {short_path(folder)}: exports saved there are imported while c360 is "
                                  "open.")

    def remove_folder(self) -> bool:
        items = self.folders.selectedItems()
        if not items or self._vault is None:
            return False
        gone = items[0].data(Qt.ItemDataRole.UserRole)
        return self._save_folders([f for f in self.folder_paths() if f != gone],
                                  f"No longer watching {short_path(Path(gone))}.")

    def _save_folders(self, folders: list[str], success: str) -> bool:
        try:
            set_watched_folders(self._vault, folders)
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return False
        self._load_folders()
        self.message.show_success(success)
        self.watcher.check_now()
        return True

    def _on_watch_status(self, text: str) -> None:
        if not text and self._vault is not None and not self.folder_paths():
            text = ("No folder is watched. Add the folder where a tool saves its scheduled exports, and c360 imports "
                    "each new or changed file while it is open.")
        self.watch_status.setText(text)

    def _on_watch_outcomes(self, outcomes: list[WatchOutcome]) -> None:
        if self._vault is None:
            return
        imported = [o for o in outcomes if o.report is not None]
        for outcome in outcomes:
            self.add_activity(outcome.message())
        if imported:
            newest = max(o.report.import_id or 0 for o in imported)
            self.refresh(select_id=newest or None)
            self.data_changed.emit()
        if len(outcomes) == 1:
            text = outcomes[0].message()
        else:
            added = sum(o.report.inserted for o in imported)
            updated = sum(o.report.updated for o in imported)
            text = (f"Imported {len(imported)} of {len(outcomes)} files from watched folders: {added:,} added, "
                    f"{updated:,} updated.")
        self.notifier.notify("c360: watched folder", text)

    def add_activity(self, text: str) -> None:
        item = QListWidgetItem(f"{datetime.now().strftime('%H:%M')}  {text}")
        item.setToolTip(text)
        self.activity.insertItem(0, item)
        while self.activity.count() > MAX_ACTIVITY:
            self.activity.takeItem(self.activity.count() - 1)
        self._update_lists()
