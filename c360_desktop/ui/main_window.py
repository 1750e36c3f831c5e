"""The main window: navigation rail, pages, status bar, menus, auto-lock and the lock screen."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedLayout,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..core.profiles.edits import take_unsaved_edit
from ..core.words import plural
from .. import LICENSE_NAME, __version__
from . import icons, import_jobs, theme
from .autolock import DEFAULT_MINUTES, IdleWatcher
from .dialogs.common import short_path
from .dialogs.import_wizard import ImportWizard, choose_import_files, dropped_files
from .dialogs.unlock import UnlockPanel
from .matching import MatchRunner
from .pages import AnalyticsPage, CustomersPage, ImportsPage, Page, PrivacyPage, ReviewPage, SettingsPage
from .session import VaultSession
from .settings import RecentVaults
from .widgets import Card

PAGE_CLASSES: tuple[type[Page], ...] = (CustomersPage, ReviewPage, ImportsPage, AnalyticsPage, PrivacyPage, SettingsPage)

LOCK_SUBTITLES = {
    "auto_lock": "Locked after a while without activity. Enter your passphrase to continue.",
    "user": "You locked the vault. Enter your passphrase to continue.",
    "switch": "Enter the passphrase of this vault to open it.",
}


class NavRail(QFrame):
    """A column of icon-over-text buttons, one per page, and Lock at the bottom."""

    current_changed = Signal(int)

    def __init__(self, pages: list[Page], lock_action: QAction, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("NavRail")
        self.setFixedWidth(104)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.buttons: list[QToolButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 14, 0, 12)
        layout.setSpacing(2)
        logo = QLabel()
        logo.setPixmap(icons.app_pixmap(34))
        logo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        logo.setToolTip("c360")
        layout.addWidget(logo)
        layout.addSpacing(14)
        for index, page in enumerate(pages):
            button = self._button(page.title, icons.line_icon(page.icon_name))
            button.setObjectName(f"nav-{page.key}")
            button.setCheckable(True)
            button.setToolTip(f"{page.title} (Ctrl+{index + 1})")
            self.group.addButton(button, index)
            self.buttons.append(button)
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.lock_button = self._button("Lock", icons.line_icon("lock.svg"))
        self.lock_button.setObjectName("nav-lock")
        self.lock_button.setToolTip("Lock now (Ctrl+L)")
        self.lock_button.clicked.connect(lock_action.trigger)
        layout.addWidget(self.lock_button, 0, Qt.AlignmentFlag.AlignHCenter)
        self.group.idClicked.connect(self.current_changed)

    @staticmethod
    def _button(text: str, icon) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIcon(icon)
        button.setIconSize(QSize(24, 24))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextUnderIcon)
        button.setFixedWidth(88)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        return button

    def set_current(self, index: int) -> None:
        button = self.group.button(index)
        if button is not None:
            button.setChecked(True)


class LockScreen(QWidget):
    """Covers the whole window while the vault is locked: a centred card with the unlock panel."""

    def __init__(self, recent: RecentVaults, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("LockScreen")
        self.setAutoFillBackground(True)
        self.panel = UnlockPanel(None, title="c360 is locked", subtitle="", recent=recent)
        card = Card()
        card.setMaximumWidth(560)
        card.setMinimumWidth(480)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(30, 26, 30, 24)
        inner.addWidget(self.panel)
        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(card, 3)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

    def prepare(self, path: Path | None, reason: str) -> None:
        subtitle = LOCK_SUBTITLES.get(reason, "Enter your passphrase to open your customer data.")
        self.panel.reset(path, subtitle)


class MainWindow(QMainWindow):
    """Listens to the session: fills every page on unlock, clears them all on lock.

    ``idle_ms`` overrides the auto-lock setting (tests use a few hundred ms).
    """

    new_vault_requested = Signal()
    open_vault_requested = Signal()
    open_recent_requested = Signal(object)  # Path
    closing = Signal()

    def __init__(
        self,
        session: VaultSession,
        *,
        recent: RecentVaults | None = None,
        idle_ms: int | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.session = session
        self.recent = recent or RecentVaults()
        self._idle_override = idle_ms
        self.setWindowIcon(icons.app_icon())
        self.setMinimumSize(980, 620)
        self.resize(1180, 740)

        self._create_actions()
        self.pages: list[Page] = [cls() for cls in PAGE_CLASSES]
        self.page_by_key = {page.key: page for page in self.pages}
        self.stack = QStackedWidget()
        self.stack.setObjectName("Pages")
        for page in self.pages:
            self.stack.addWidget(page)
        self.rail = NavRail(self.pages, self.action_lock)
        self.rail.current_changed.connect(self.show_page)

        shell = QWidget()
        shell_layout = QHBoxLayout(shell)
        shell_layout.setContentsMargins(0, 0, 0, 0)
        shell_layout.setSpacing(0)
        shell_layout.addWidget(self.rail)
        shell_layout.addWidget(self.stack, 1)
        self.shell = shell
        self.lock_screen = LockScreen(self.recent)
        central = QWidget()
        self.central_stack = QStackedLayout(central)
        self.central_stack.addWidget(shell)
        self.central_stack.addWidget(self.lock_screen)
        self.setCentralWidget(central)

        self._create_menus()
        self._create_status_bar()
        self.settings_page.auto_lock_changed.connect(self._on_auto_lock_minutes)
        self.import_wizard: ImportWizard | None = None
        self.imports_page.import_requested.connect(self.open_import_wizard)
        self.imports_page.data_changed.connect(self._on_data_changed)
        self.match_runner = MatchRunner(self)
        self.review_page.set_match_runner(self.match_runner)
        self.settings_page.set_match_runner(self.match_runner)
        self.customers_page.set_match_runner(self.match_runner)
        self.review_page.data_changed.connect(self._on_matching_changed)
        self.customers_page.data_changed.connect(lambda: (self.review_page.refresh(), self.update_status()))
        self.settings_page.matching_changed.connect(lambda: self._on_matching_changed(refresh_review=True))
        self.settings_page.display_changed.connect(self._on_data_changed)
        self.privacy_page.data_changed.connect(self._on_data_changed)
        self.match_runner.finished.connect(lambda _result: self._on_matching_changed())
        self.setAcceptDrops(True)

        self.idle_watcher = IdleWatcher(idle_ms or DEFAULT_MINUTES * 60_000, self)
        self.idle_watcher.idle.connect(lambda: self.lock("auto_lock"))
        session.unlocked.connect(self._on_unlocked)
        session.about_to_lock.connect(lambda vault: self.customers_page.profile.keep_draft_on_lock(vault))
        session.locked.connect(self._on_locked)
        self.show_page(0)
        if session.is_unlocked:
            self._on_unlocked()
        else:
            self._on_locked(session.last_lock_reason or "switch")

    # ------------------------------------------------------------------ building

    def _action(self, text: str, name: str, shortcut=None, slot=None) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        if slot is not None:
            action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.action_new_vault = self._action("&New vault…", "action_new_vault", QKeySequence.StandardKey.New,
                                             lambda: self.new_vault_requested.emit())
        self.action_open_vault = self._action("&Open vault…", "action_open_vault", QKeySequence.StandardKey.Open,
                                              lambda: self.open_vault_requested.emit())
        self.action_lock = self._action("&Lock now", "action_lock", "Ctrl+L", lambda: self.lock("user"))
        self.action_import = self._action("&Import…", "action_import", "Ctrl+I", lambda: self.open_import_wizard())
        self.action_run_matching = self._action("Run &matching", "action_run_matching", "Ctrl+M",
                                                lambda: self.run_matching())
        self.action_quit = self._action("&Quit", "action_quit", "Ctrl+Q", self.close)
        self.action_quit.setMenuRole(QAction.MenuRole.QuitRole)
        self.action_refresh = self._action("&Refresh", "action_refresh", QKeySequence.StandardKey.Refresh,
                                           self.refresh)
        self.action_about = self._action("&About c360", "action_about", None, self.show_about)
        self.action_about.setMenuRole(QAction.MenuRole.AboutRole)
        self.page_actions: list[QAction] = []
        for index, cls in enumerate(PAGE_CLASSES):
            action = self._action(f"&{cls.title}", f"action_page_{cls.key}", f"Ctrl+{index + 1}",
                                  lambda _checked=False, i=index: self.show_page(i))
            self.page_actions.append(action)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addAction(self.action_new_vault)
        file_menu.addAction(self.action_open_vault)
        file_menu.addAction(self.action_import)
        file_menu.addAction(self.action_run_matching)
        self.recent_menu = file_menu.addMenu("Recent &vaults")
        self.recent_menu.setObjectName("menu_recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.action_lock)
        file_menu.addSeparator()
        file_menu.addAction(self.action_quit)
        view_menu = bar.addMenu("&View")
        for action in self.page_actions:
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self.action_refresh)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self.action_about)

    def _create_status_bar(self) -> None:
        status = self.statusBar()
        status.setSizeGripEnabled(False)
        self.lock_chip = QLabel()
        self.lock_chip.setObjectName("LockChip")
        self.vault_label = QLabel()
        self.vault_label.setObjectName("VaultName")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("Counts")
        status.addWidget(self.lock_chip)
        status.addWidget(self.vault_label)
        status.addPermanentWidget(self.counts_label)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        paths = self.recent.existing()
        for path in paths:
            action = self.recent_menu.addAction(f"{path.name}   ({short_path(path.parent)})")
            action.triggered.connect(lambda _checked=False, p=path: self.open_recent_requested.emit(p))
        if not paths:
            empty = self.recent_menu.addAction("No recent vaults")
            empty.setEnabled(False)

    # ------------------------------------------------------------------ pages

    @property
    def customers_page(self) -> CustomersPage:
        return self.page_by_key["customers"]  # type: ignore[return-value]

    @property
    def customers_model(self):
        return self.customers_page.model

    @property
    def privacy_page(self) -> PrivacyPage:
        return self.page_by_key["privacy"]  # type: ignore[return-value]

    @property
    def imports_page(self) -> ImportsPage:
        return self.page_by_key["imports"]  # type: ignore[return-value]

    @property
    def review_page(self) -> ReviewPage:
        return self.page_by_key["review"]  # type: ignore[return-value]

    @property
    def settings_page(self) -> SettingsPage:
        return self.page_by_key["settings"]  # type: ignore[return-value]

    def show_page(self, index: int) -> None:
        if not 0 <= index < len(self.pages):
            return
        self.stack.setCurrentIndex(index)
        self.rail.set_current(index)

    def current_page(self) -> Page:
        return self.stack.currentWidget()  # type: ignore[return-value]

    # ------------------------------------------------------------------ lock and unlock

    @property
    def is_locked(self) -> bool:
        return self.central_stack.currentWidget() is self.lock_screen

    def lock(self, reason: str = "user") -> None:
        if self.session.is_unlocked:
            import_jobs.stop_all()  # cancel (and roll back) imports before their connections close
            self.session.lock(reason)

    def _on_unlocked(self) -> None:
        vault = self.session.vault
        for page in self.pages:
            page.setEnabled(True)
            page.on_unlocked(vault)
        self._set_unlocked_ui(True)
        self.central_stack.setCurrentWidget(self.shell)
        minutes = self.settings_page.auto_lock_minutes()
        self.idle_watcher.set_interval_ms(self._idle_override or minutes * 60_000)
        self.idle_watcher.start()
        self.update_status()
        self.current_page().setFocus()
        self._reopen_unsaved_edit(vault)

    def _reopen_unsaved_edit(self, vault) -> None:
        """A note (tag, correction, consent statement) being typed when the vault locked opens again."""
        edit = take_unsaved_edit(vault.conn)
        if edit is None:
            return
        page = self.customers_page
        self.show_page(self.pages.index(page))
        if edit.profile_id is not None and page.open_profile(edit.profile_id):
            if page.profile.reopen_edit(edit.kind, edit.fields) is None:
                page.profile.message.show_error("The consent statement you were typing when c360 locked could not be "
                                                "opened again: its consent purpose no longer exists.")
        else:
            page.message.show_error("What you were typing when c360 locked is gone with the customer it was about: "
                                    "they were erased, or the import that brought them was undone, meanwhile.")

    def _on_locked(self, reason: str) -> None:
        self.idle_watcher.stop()
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        for page in self.pages:
            page.on_locked()
            page.setEnabled(False)
        self._set_unlocked_ui(False)
        self.lock_screen.prepare(self.session.path, reason)
        self.central_stack.setCurrentWidget(self.lock_screen)
        self.update_status()
        self.lock_screen.panel.passphrase.setFocus()

    def _set_unlocked_ui(self, unlocked: bool) -> None:
        self.rail.setEnabled(unlocked)
        for action in (*self.page_actions, self.action_lock, self.action_refresh, self.action_import,
                       self.action_run_matching):
            action.setEnabled(unlocked)

    def _on_auto_lock_minutes(self, minutes: int) -> None:
        if self._idle_override is None:
            self.idle_watcher.set_interval_ms(minutes * 60_000)

    def refresh(self) -> None:
        if self.session.is_unlocked:
            for page in self.pages:
                page.on_unlocked(self.session.vault)
            self.update_status()

    # ------------------------------------------------------------------ importing

    def open_import_wizard(self, paths: list[Path] | None = None) -> ImportWizard | None:
        """File > Import…, the Imports page button, or files dropped on the window."""
        if not self.session.is_unlocked:
            return None
        if paths is None:
            paths = choose_import_files(self)
        if not paths:
            return None
        wizard = self.import_wizard
        if wizard is not None and wizard.isVisible():
            wizard.add_files(paths)
            wizard.raise_()
            return wizard
        if wizard is not None and not wizard.busy:
            wizard.deleteLater()
        wizard = ImportWizard(self.session.vault, paths, self)
        wizard.imported.connect(lambda _report: self._on_data_changed(select_newest=True))
        wizard.match_requested.connect(self.run_matching)
        self.import_wizard = wizard
        wizard.open()
        wizard.start()
        return wizard

    def _on_data_changed(self, select_newest: bool = False) -> None:
        if self.session.is_unlocked:
            if select_newest:
                self.imports_page.refresh(select_id=-1)
            self.customers_page.on_unlocked(self.session.vault)
            self.review_page.refresh()
            self.update_status()

    # ------------------------------------------------------------------ matching and review

    def run_matching(self) -> bool:
        """File > Run matching: show the Review page and match in the background (progress and Cancel there)."""
        if not self.session.is_unlocked:
            return False
        self.show_page(self.pages.index(self.review_page))
        return self.review_page.run_matching()

    def _on_matching_changed(self, refresh_review: bool = False) -> None:
        if self.session.is_unlocked:
            if refresh_review:
                self.review_page.refresh()
            self.customers_page.on_unlocked(self.session.vault)
            self.update_status()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.session.is_unlocked and dropped_files(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = dropped_files(event.mimeData())
        if not self.session.is_unlocked or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_import_wizard(paths)

    # ------------------------------------------------------------------ status, about, close

    def update_status(self) -> None:
        path = self.session.path
        name = path.name if path else "no vault"
        if self.session.is_unlocked:
            self.setWindowTitle(f"{name} – c360")
            self.lock_chip.setText("●  Unlocked")
            self.lock_chip.setStyleSheet(f"color: {theme.ACCENT};")
            self.vault_label.setText(name)
            self.vault_label.setToolTip(str(path))
            try:
                info = self.session.vault.info()
            except Exception:  # noqa: BLE001 - counts are a courtesy
                info = {}
            self.counts_label.setText("   ·   ".join((
                plural(info.get("records", 0), "record"), plural(info.get("profiles", 0), "profile"),
                plural(info.get("pending_reviews", 0), "pending review"))))
        else:
            self.setWindowTitle("Locked – c360")
            self.lock_chip.setText("●  Locked")
            self.lock_chip.setStyleSheet(f"color: {theme.MUTED};")
            self.vault_label.setText(name)
            self.vault_label.setToolTip(str(path) if path else "")
            self.counts_label.setText("")

    def about_text(self) -> str:
        path = self.session.path
        where = html.escape(str(path)) if path else "no vault open"
        return (
            f"<h3>c360 {__version__}</h3>"
            "<p>A privacy-first Customer 360 for small businesses. "
            "Your customer data stays on this computer, encrypted.</p>"
            f"<p>License: {LICENSE_NAME}</p>"
            f"<p>Vault: <code>{where}</code></p>"
        )

    def show_about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.NoIcon, "About c360", self.about_text(), QMessageBox.StandardButton.Ok, self)
        box.setIconPixmap(icons.app_pixmap(64))
        box.setTextFormat(Qt.TextFormat.RichText)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.idle_watcher.stop()
        if self.session.is_unlocked:
            import_jobs.stop_all()
            self.session.lock("quit")
        self.closing.emit()
        event.accept()
