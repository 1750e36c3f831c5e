"""Settings of the open vault: auto-lock, matching, golden record rules, redaction, erasure, passphrase,
recovery key, where the file is."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...core.identity.engine import MatchSettings, apply_thresholds, threshold_preview
from ...core.identity.records import MatchRules
from ...core.ingest.regions import REGION_SETTING, shop_region
from ...core.words import file_size, plural
from .. import theme
from ..autolock import DEFAULT_MINUTES, SETTING_KEY
from ..dialogs.common import short_path, user_message
from ..dialogs.passphrase import ChangePassphraseDialog, ConfirmPassphraseDialog
from ..dialogs.recovery import RecoveryKeyDialog
from ..import_jobs import run_job
from ..matching import MatchProgress, MatchRunner, describe_result, start_matching
from ..widgets import Card, MessageLabel, label, region_choices
from .base import Page
from .privacy_settings import ErasureSection, PurposesSection, RedactionSection, SurvivorshipSection, section_card

MIN_MINUTES, MAX_MINUTES = 1, 240


# ---------------------------------------------------------------------------- matching

AUTO_RANGE = (500, 1000)  # per mille: 50.0 % … 100.0 %
REVIEW_RANGE = (200, 990)  # pairs scoring below 20 % are not stored, so the preview cannot go lower
MIN_GAP = 10  # the review threshold stays at least 1 % below the auto-merge one
BANDS = (("auto_merge", "Merged automatically", theme.SUCCESS),
         ("review", "Waiting for your review", theme.WARNING),
         ("separate", "Kept apart", theme.MUTED))
STANDING = {"linked": "auto_merge", "pending": "review", "below": "separate"}  # pair status -> band


def _per_mille(value: float) -> int:
    return int(round(value * 1000))


def _vault_size(path) -> str:
    """The vault file with its write-ahead log, which holds the latest changes until the next checkpoint."""
    total = 0
    for part in (path, path.with_name(path.name + "-wal")):
        try:
            total += part.stat().st_size
        except OSError:
            continue
    return file_size(total)


def standing_bands(conn) -> dict[str, int]:
    """How many pairs each band holds now, by the status matching gave them: "review" is the queue itself.

    ``threshold_preview`` counts by score and guard alone, so it also counts the pairs already joined through
    other links, which nobody is asked about.
    """
    counts = dict.fromkeys(STANDING.values(), 0)
    for status, count in conn.execute("SELECT status, count(*) FROM match_pairs WHERE status IN (?, ?, ?)"
                                      " GROUP BY status", tuple(STANDING)):
        counts[STANDING[status]] = count
    return counts


def previewed_bands(standing: dict, saved: dict, chosen: dict) -> dict[str, int]:
    """The bands at the chosen thresholds: today's counts moved by what the thresholds move (by score).

    At the saved thresholds this is exactly today's counts, so Settings, the status bar and the review queue
    say the same number.
    """
    return {band: max(0, standing[band] + int(chosen.get(band, 0)) - int(saved.get(band, 0))) for band in standing}


class _BandTile(QFrame):
    """One band of the live preview: how many pairs, and how many more or fewer than now."""

    def __init__(self, key: str, caption: str, colour: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"band-{key}")
        self.setStyleSheet(f"QFrame#band-{key} {{ background: {theme.BACKGROUND}; border-radius: 8px; }}")
        self.count = label("–")
        self.count.setObjectName(f"band-count-{key}")
        self.count.setStyleSheet(f"font-size: 16pt; font-weight: 700; color: {colour};")
        self.change = label("", "Faint")
        self.change.setObjectName(f"band-change-{key}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(0)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(self.count)
        top.addWidget(self.change, 0, Qt.AlignmentFlag.AlignBottom)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(label(caption, "Muted"))

    def show_count(self, count: int, baseline: int | None) -> None:
        self.count.setText(f"{count:,}")
        delta = 0 if baseline is None else count - baseline
        self.change.setText(f"{'+' if delta > 0 else '−'}{plural(abs(delta), 'pair')}" if delta else "")
        self.change.setStyleSheet(f"color: {theme.ACCENT}; font-weight: 600;" if delta else "")


class MatchingSection(Card):
    """Thresholds with a live preview of the three bands, the rule switches, and "Run matching now"."""

    changed = Signal()  # thresholds applied or rules saved: the review queue and the profiles may differ

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("Card")
        self._vault = None
        self.runner: MatchRunner | None = None
        self.saved = MatchSettings()
        self.counts: dict | None = None
        self.baseline: dict | None = None
        self._preview_running = False
        self._preview_again = False
        self.previews = 0  # finished previews (tests wait on it)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 18, 22, 18)
        layout.setSpacing(10)
        layout.addWidget(label("Matching", "SectionTitle"))
        layout.addWidget(label(
            "c360 merges two records by itself only when it is very sure they are the same person. Pairs between "
            "the two thresholds wait for you on the Review page; pairs below them stay apart.", "Muted", wrap=True))

        self.auto_slider = self._slider("AutoThreshold", AUTO_RANGE)
        self.review_slider = self._slider("ReviewThreshold", REVIEW_RANGE)
        self.auto_value = label("", "SectionTitle")
        self.review_value = label("", "SectionTitle")
        for value_label in (self.auto_value, self.review_value):
            value_label.setMinimumWidth(64)
            value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.addWidget(label("Merge automatically from"), 0, 0)
        grid.addWidget(self.auto_slider, 0, 1)
        grid.addWidget(self.auto_value, 0, 2)
        grid.addWidget(label("Ask me from"), 1, 0)
        grid.addWidget(self.review_slider, 1, 1)
        grid.addWidget(self.review_value, 1, 2)
        grid.setColumnStretch(1, 1)
        layout.addLayout(grid)

        self.tiles = {key: _BandTile(key, caption, colour) for key, caption, colour in BANDS}
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for tile in self.tiles.values():
            tiles.addWidget(tile, 1)
        layout.addLayout(tiles)
        self.preview_note = label("Moving a threshold shows at once how many candidate pairs change band; "
                                  "nothing changes until you apply.", "Faint", wrap=True)
        layout.addWidget(self.preview_note)

        self.apply_button = theme.mark_primary(QPushButton("Apply thresholds"))
        self.apply_button.setObjectName("ApplyThresholds")
        self.apply_button.clicked.connect(self.apply)
        self.defaults_button = QPushButton("Restore defaults")
        self.defaults_button.setObjectName("DefaultThresholds")
        self.defaults_button.clicked.connect(self.restore_defaults)
        buttons = QHBoxLayout()
        buttons.addWidget(self.apply_button)
        buttons.addWidget(self.defaults_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet(f"color: {theme.BORDER};")
        layout.addWidget(rule)
        layout.addWidget(label("Evidence c360 may use", "SectionTitle"))
        self.rule_email = QCheckBox("The same email address points to the same person")
        self.rule_email.setObjectName("RuleEmail")
        self.rule_gmail = QCheckBox("Gmail addresses: ignore dots and +tags (j.doe+shop@gmail.com is jdoe@gmail.com)")
        self.rule_gmail.setObjectName("RuleGmail")
        self.rule_phone = QCheckBox("The same phone number points to the same person")
        self.rule_phone.setObjectName("RulePhone")
        for box in (self.rule_email, self.rule_gmail, self.rule_phone):
            box.toggled.connect(lambda _on: self.save_rules())
            layout.addWidget(box)
        self.rule_email.toggled.connect(lambda on: self.rule_gmail.setEnabled(on))
        layout.addWidget(label("Rule changes take effect at the next matching run, which then re-learns its weights.",
                               "Faint", wrap=True))

        self.run_button = QPushButton("Run matching now")
        self.run_button.setObjectName("SettingsRunMatching")
        self.run_button.clicked.connect(self.run_matching)
        run_row = QHBoxLayout()
        run_row.addWidget(self.run_button)
        run_row.addStretch(1)
        layout.addLayout(run_row)
        self.progress = MatchProgress()
        layout.addWidget(self.progress)
        self.message = MessageLabel()
        self.message.setObjectName("MatchingMessage")
        layout.addWidget(self.message)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(120)
        self._timer.timeout.connect(self.preview)
        self.auto_slider.valueChanged.connect(self._on_auto_moved)
        self.review_slider.valueChanged.connect(self._on_review_moved)
        self._show_values()

    @staticmethod
    def _slider(name: str, bounds: tuple[int, int]) -> QSlider:
        slider = QSlider(Qt.Orientation.Horizontal)
        slider.setObjectName(name)
        slider.setRange(*bounds)
        slider.setSingleStep(5)
        slider.setPageStep(50)
        return slider

    # ------------------------------------------------------------------ lifecycle

    def set_runner(self, runner: MatchRunner) -> None:
        self.runner = runner
        self.progress.bind(runner)
        runner.started.connect(self._update_buttons)
        runner.finished.connect(self._on_matched)
        runner.failed.connect(lambda text: (self._update_buttons(), self.message.show_error(f"Matching failed: {text}")))
        runner.cancelled.connect(lambda: (self._update_buttons(), self.message.show_info(
            "Matching cancelled: the profiles are exactly as they were.")))

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.message.clear()
        try:
            self.saved = MatchSettings.load(vault)
        except Exception:  # noqa: BLE001 - unreadable settings: show the defaults
            self.saved = MatchSettings()
        self._set_sliders(self.saved.auto_threshold, self.saved.review_threshold)
        for box, on in ((self.rule_email, self.saved.rules.email), (self.rule_gmail, self.saved.rules.gmail_canonical),
                        (self.rule_phone, self.saved.rules.phone)):
            box.blockSignals(True)
            box.setChecked(on)
            box.blockSignals(False)
        self.rule_gmail.setEnabled(self.saved.rules.email)
        self.counts = self.baseline = None
        self.preview()
        self._update_buttons()

    def on_locked(self) -> None:
        self._vault = None
        self._timer.stop()
        self.counts = self.baseline = None
        self.message.clear()
        for tile in self.tiles.values():
            tile.count.setText("–")
            tile.change.setText("")

    # ------------------------------------------------------------------ thresholds

    def thresholds(self) -> tuple[float, float]:
        return self.auto_slider.value() / 1000, self.review_slider.value() / 1000

    def _set_sliders(self, auto: float, review: float) -> None:
        for slider, value in ((self.auto_slider, auto), (self.review_slider, review)):
            slider.blockSignals(True)
            slider.setValue(_per_mille(value))
            slider.blockSignals(False)
        self._show_values()

    def _on_auto_moved(self, value: int) -> None:
        if self.review_slider.value() > value - MIN_GAP:
            self.review_slider.blockSignals(True)
            self.review_slider.setValue(value - MIN_GAP)
            self.review_slider.blockSignals(False)
        self._moved()

    def _on_review_moved(self, value: int) -> None:
        if self.auto_slider.value() < value + MIN_GAP:
            self.auto_slider.blockSignals(True)
            self.auto_slider.setValue(value + MIN_GAP)
            self.auto_slider.blockSignals(False)
        self._moved()

    def _moved(self) -> None:
        self._show_values()
        self._update_buttons()
        self._timer.start()

    def _show_values(self) -> None:
        auto, review = self.thresholds()
        self.auto_value.setText(f"{auto:.1%}")
        self.review_value.setText(f"{review:.1%}")

    def dirty(self) -> bool:
        auto, review = self.thresholds()
        return (_per_mille(auto), _per_mille(review)) != (_per_mille(self.saved.auto_threshold),
                                                          _per_mille(self.saved.review_threshold))

    def restore_defaults(self) -> None:
        defaults = MatchSettings()
        self._set_sliders(defaults.auto_threshold, defaults.review_threshold)
        self._moved()

    def preview(self) -> None:
        """Count the pairs of each band at the chosen thresholds, on the vault worker (latest wins)."""
        vault = self._vault
        if vault is None:
            return
        if self._preview_running:
            self._preview_again = True
            return
        self._preview_running = True
        auto, review = self.thresholds()
        saved = (self.saved.auto_threshold, self.saved.review_threshold)

        def work(conn, _flag):
            standing = standing_bands(conn)
            moved = previewed_bands(standing, threshold_preview(conn, *saved), threshold_preview(conn, auto, review))
            return standing, moved

        run_job(vault, work, self._on_preview, self._on_preview_failed)

    def _on_preview(self, result) -> None:
        self._preview_running = False
        self.previews += 1
        if self._vault is None:
            return
        self.baseline, self.counts = result
        for key, tile in self.tiles.items():
            tile.show_count(int(self.counts.get(key, 0)), int(self.baseline.get(key, 0)))
        if self._preview_again:
            self._preview_again = False
            self.preview()

    def _on_preview_failed(self, exc: BaseException) -> None:
        self._preview_running = False
        self._preview_again = False
        if self._vault is not None:
            self.message.show_error(user_message(exc))

    def apply(self) -> bool:
        vault = self._vault
        if vault is None or (self.runner is not None and self.runner.busy):
            return False
        auto, review = self.thresholds()
        settings = MatchSettings(auto_threshold=auto, review_threshold=review, rules=self.saved.rules)
        self.apply_button.setEnabled(False)
        self.message.show_info("Moving pairs between the bands…")

        def work(conn, _flag):
            apply_thresholds(vault.view(conn), settings)
            return standing_bands(conn)

        run_job(vault, work, lambda counts: self._on_applied(settings, counts), self._on_failed)
        return True

    def _on_applied(self, settings: MatchSettings, counts: dict) -> None:
        if self._vault is None:
            return
        self.saved = settings
        self.message.show_success(
            f"Thresholds saved: {plural(counts['auto_merge'], 'pair')} merged automatically, "
            f"{counts['review']:,} waiting for your review, {counts['separate']:,} kept apart.")
        self.preview()
        self._update_buttons()
        self.changed.emit()

    def _on_failed(self, exc: BaseException) -> None:
        self._update_buttons()
        if self._vault is not None:
            self.message.show_error(user_message(exc))

    # ------------------------------------------------------------------ rules and running

    def rules(self) -> MatchRules:
        return MatchRules(email=self.rule_email.isChecked(), phone=self.rule_phone.isChecked(),
                          gmail_canonical=self.rule_gmail.isChecked())

    def save_rules(self) -> bool:
        vault = self._vault
        if vault is None:
            return False
        settings = MatchSettings(self.saved.auto_threshold, self.saved.review_threshold, self.rules())

        def work(conn, _flag):
            settings.save(vault.view(conn))

        def done(_result):
            self.saved = settings
            self.message.show_success("Saved. Run matching to use the new rules.")
            self.changed.emit()

        run_job(vault, work, done, self._on_failed)
        return True

    def run_matching(self) -> bool:
        return start_matching(self.runner, self._vault, self.message, self._update_buttons)

    def _on_matched(self, result) -> None:
        self._update_buttons()
        if self._vault is None:
            return
        self.message.show_success(describe_result(result))
        self.preview()

    def _update_buttons(self) -> None:
        matching = self.runner is not None and self.runner.busy
        unlocked = self._vault is not None
        self.apply_button.setEnabled(unlocked and not matching and self.dirty())
        self.run_button.setEnabled(unlocked and not matching)


class SettingsPage(Page):
    key, title, icon_name = "settings", "Settings", "nav-settings.svg"
    subtitle = "Security, storage, matching and privacy rules of this vault."

    auto_lock_changed = Signal(int)  # minutes
    matching_changed = Signal()
    display_changed = Signal()  # the redaction policy or the golden record rules changed what profiles show

    def __init__(self, parent=None):
        super().__init__(parent)
        self._vault = None
        self.matching = MatchingSection()
        self.matching.changed.connect(self.matching_changed)
        self.survivorship = SurvivorshipSection()
        self.redaction = RedactionSection()
        self.erasure = ErasureSection()
        self.purposes = PurposesSection()
        self.privacy_sections = (self.survivorship, self.redaction, self.purposes, self.erasure)
        self.survivorship.changed.connect(self.display_changed)
        self.redaction.changed.connect(self.display_changed)

        region_card, region_layout = section_card(
            "Your shop's country",
            "Phone numbers written without a country code, such as 07700 900123 or (415) 555-0101, are read as "
            "this country's numbers (unless a file clearly holds another country's), and searching by phone "
            "uses it too. Files imported already keep how they were read until they are imported again.",
        )
        self.region_combo = QComboBox()
        self.region_combo.setObjectName("ShopRegionCombo")
        self.region_combo.setMaxVisibleItems(18)
        for code, text in region_choices():
            self.region_combo.addItem(text, code)
        self.region_combo.activated.connect(self._on_region_chosen)
        row = QHBoxLayout()
        row.addWidget(label("Country"))
        row.addWidget(self.region_combo)
        row.addStretch(1)
        region_layout.addLayout(row)
        self.region_hint = label("", "Muted", wrap=True)
        self.region_hint.setObjectName("ShopRegionHint")
        region_layout.addWidget(self.region_hint)
        self.region_message = MessageLabel()
        region_layout.addWidget(self.region_message)

        lock_card, lock_layout = section_card(
            "Auto-lock", "When nobody uses c360 for a while, the vault is locked and the screen is cleared."
        )
        self.auto_lock_spin = QSpinBox()
        self.auto_lock_spin.setObjectName("AutoLockMinutes")
        self.auto_lock_spin.setRange(MIN_MINUTES, MAX_MINUTES)
        self.auto_lock_spin.setValue(DEFAULT_MINUTES)
        self.auto_lock_spin.setSuffix(" minutes")
        self.auto_lock_spin.setMinimumWidth(130)
        self.auto_lock_spin.valueChanged.connect(self._on_auto_lock_changed)
        row = QHBoxLayout()
        row.addWidget(label("Lock after"))
        row.addWidget(self.auto_lock_spin)
        row.addWidget(label("without activity"))
        row.addStretch(1)
        lock_layout.addLayout(row)

        key_card, key_layout = section_card(
            "Passphrase and recovery key",
            "Changing the passphrase rewrites only the small key file beside the vault. "
            "The recovery key opens the vault if the passphrase is forgotten.",
        )
        self.change_button = QPushButton("Change passphrase…")
        self.change_button.setObjectName("ChangePassphraseButton")
        self.change_button.clicked.connect(self.change_passphrase)
        self.recovery_button = QPushButton("Show recovery key…")
        self.recovery_button.setObjectName("ShowRecoveryKeyButton")
        self.recovery_button.clicked.connect(self.show_recovery_key)
        buttons = QHBoxLayout()
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.recovery_button)
        buttons.addStretch(1)
        key_layout.addLayout(buttons)
        self.message = MessageLabel()
        key_layout.addWidget(self.message)

        vault_card, vault_layout = section_card("This vault", "")
        self.location_label = label("", wrap=True)
        self.location_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.size_label = label("")
        self.created_label = label("")
        form = QFormLayout()
        form.setHorizontalSpacing(18)
        form.setVerticalSpacing(6)
        form.addRow(label("Location", "Muted"), self.location_label)
        form.addRow(label("Created", "Muted"), self.created_label)
        form.addRow(label("Size", "Muted"), self.size_label)
        vault_layout.addLayout(form)

        column = QWidget()
        column.setMaximumWidth(760)
        stack = QVBoxLayout(column)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(16)
        for card in (region_card, lock_card, self.matching, self.survivorship, self.redaction, self.purposes, self.erasure, key_card, vault_card):
            stack.addWidget(card)
        stack.addStretch(1)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("SettingsScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder_layout = QHBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 8, 0)
        holder_layout.addWidget(column)
        holder_layout.addStretch(1)
        self.scroll.setWidget(holder)
        self.body.addWidget(self.scroll, 1)

    # ------------------------------------------------------------------ lifecycle

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.message.clear()
        minutes = vault.setting(SETTING_KEY, DEFAULT_MINUTES)
        try:
            minutes = int(minutes)
        except (TypeError, ValueError):
            minutes = DEFAULT_MINUTES
        self.auto_lock_spin.blockSignals(True)
        self.auto_lock_spin.setValue(max(MIN_MINUTES, min(MAX_MINUTES, minutes)))
        self.auto_lock_spin.blockSignals(False)
        self.region_combo.setCurrentIndex(max(0, self.region_combo.findData(shop_region(vault))))
        self.region_hint.setText("" if vault.setting(REGION_SETTING) else
                                 "Not chosen yet: c360 uses the country your imports were read as, else the "
                                 "United States, until you choose one.")
        self.location_label.setText(short_path(vault.path))
        self.location_label.setToolTip(str(vault.path))
        self.size_label.setText(_vault_size(vault.path))
        created = vault.meta("created_at") or ""
        self.created_label.setText(created[:10])
        self.matching.on_unlocked(vault)
        for section in self.privacy_sections:
            section.on_unlocked(vault)

    def on_locked(self) -> None:
        self._vault = None
        self.message.clear()
        self.matching.on_locked()
        for section in self.privacy_sections:
            section.on_locked()
        for text_label in (self.location_label, self.size_label, self.created_label):
            text_label.clear()

    def set_match_runner(self, runner: MatchRunner) -> None:
        self.matching.set_runner(runner)

    def showEvent(self, event) -> None:  # noqa: N802
        """Count the bands again (review decisions made since moved pairs out of the queue) and the vault's size."""
        super().showEvent(event)
        if self._vault is not None:
            self.size_label.setText(_vault_size(self._vault.path))
        self.matching.preview()

    def auto_lock_minutes(self) -> int:
        return self.auto_lock_spin.value()

    def _on_auto_lock_changed(self, minutes: int) -> None:
        if self._vault is None or not self._vault.is_open:
            return
        try:
            self._vault.set_setting(SETTING_KEY, int(minutes))
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return
        self.auto_lock_changed.emit(int(minutes))

    def _on_region_chosen(self, _index: int) -> None:
        if self._vault is None or not self._vault.is_open:
            return
        try:
            self._vault.set_setting(REGION_SETTING, self.region_combo.currentData())
        except Exception as exc:  # noqa: BLE001
            self.region_message.show_error(user_message(exc))
            return
        self.region_hint.clear()

    # ------------------------------------------------------------------ passphrase and recovery key

    def change_passphrase(self) -> ChangePassphraseDialog | None:
        if self._vault is None:
            return None
        dialog = ChangePassphraseDialog(self._vault, self.window())
        dialog.accepted.connect(
            lambda: self.message.show_success("Passphrase changed. Use the new one the next time you unlock.")
        )
        dialog.open()
        return dialog

    def show_recovery_key(self) -> ConfirmPassphraseDialog | None:
        if self._vault is None:
            return None
        dialog = ConfirmPassphraseDialog(
            self._vault, "Type your passphrase to show the recovery key.", "Show recovery key", self.window()
        )
        dialog.accepted.connect(self._reveal_recovery_key)
        dialog.open()
        return dialog

    def _reveal_recovery_key(self) -> None:
        vault = self._vault
        if vault is None or not vault.is_open:
            return
        try:
            key = vault.recovery_key()
            vault.audit("recovery_key_shown", {})
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            return
        dialog = RecoveryKeyDialog(key, vault.path, self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
