"""Settings sections about personal data: the redaction policy, golden record rules, and erasure.

Each choice is saved in the vault as soon as it is made, and audited without any customer value.
The redaction examples are computed from fixed made-up samples, never from customer data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core.privacy.consent import PURPOSES, add_purpose, purposes, remove_purpose
from ...core.privacy.erasure import SETTING_KEEP_INVOICES
from ...core.privacy.policy import CATEGORIES, DEFAULT_POLICY, MODE_LABELS, MODES, RedactionPolicy
from ...core.profiles.golden import (
    DEFAULT_RULES,
    GOLDEN_FIELDS,
    RULE_LABELS,
    RULES,
    SETTING_RULES,
    SETTING_SOURCE_ORDER,
    Survivorship,
)
from .. import theme
from ..dialogs.common import user_message
from ..models.review import source_label
from ..widgets import Card, MessageLabel, label

SOURCE_ROLE = Qt.ItemDataRole.UserRole + 1

# Made-up values that show what each mode does; never a customer's.
SAMPLES = {
    "name": "Sam Example", "email": "sam@example.com", "phone": "+1 415 555 0101",
    "address": "12 Sample Street, Springfield", "birth_date": "1984-06-12", "notes": "Prefers morning delivery",
    "custom": "Loyalty tier: gold", "payment": "4242 4242 4242 0101", "id": "cus_0042",
}


def section_layout(card: Card, title: str, text: str = "") -> QVBoxLayout:
    """A settings card's layout: a title, one muted paragraph, then room for the controls."""
    layout = QVBoxLayout(card)
    layout.setContentsMargins(22, 18, 22, 18)
    layout.setSpacing(10)
    layout.addWidget(label(title, "SectionTitle"))
    if text:
        layout.addWidget(label(text, "Muted", wrap=True))
    return layout


def section_card(title: str, text: str = "") -> tuple[Card, QVBoxLayout]:
    card = Card()
    return card, section_layout(card, title, text)


def _combo(name: str, choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    for key, text in choices.items():
        combo.addItem(text, key)
    combo.setMinimumWidth(170)
    return combo


def _select(combo: QComboBox, key: str) -> None:
    combo.blockSignals(True)
    combo.setCurrentIndex(max(0, combo.findData(key)))
    combo.blockSignals(False)


def _buttons_row(*buttons: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    return row


class _VaultSection(Card):
    """A settings card bound to the open vault: ``on_unlocked`` loads it, ``on_locked`` forgets it."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._vault = None
        self.content = section_layout(self, title, text)
        self.message = MessageLabel()

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.message.clear()
        self.load()

    def on_locked(self) -> None:
        self._vault = None
        self.message.clear()

    def load(self) -> None:
        """Show the vault's saved choices."""

    def _save(self, write, success: str) -> bool:
        """Run ``write(vault)`` in one transaction; say so, or show why it failed."""
        vault = self._vault
        if vault is None or not vault.is_open:
            return False
        try:
            with vault.transaction():
                write(vault)
        except Exception as exc:  # noqa: BLE001
            self.message.show_error(user_message(exc))
            self.load()
            return False
        self.message.show_success(success)
        return True


class RedactionSection(_VaultSection):
    """Show / partially mask / hide per privacy category, with a live example of each choice."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Redaction policy",
            "How personal values appear in lists, search results, review, profiles, tooltips and exports marked "
            "“redacted”. You can still reveal one field of one customer for a short time; each reveal is audited.",
            parent)
        self.combos: dict[str, QComboBox] = {}
        self.examples: dict[str, QWidget] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        grid.addWidget(label("Category", "Faint"), 0, 0)
        grid.addWidget(label("On screen", "Faint"), 0, 1)
        grid.addWidget(label("Example", "Faint"), 0, 2)
        for row, (category, caption) in enumerate(CATEGORIES.items(), start=1):
            combo = _combo(f"Redaction-{category}", MODE_LABELS)
            combo.currentIndexChanged.connect(lambda _i, c=category: self._on_mode_chosen(c))
            example = label("")
            example.setObjectName(f"RedactionExample-{category}")
            example.setMinimumWidth(200)
            grid.addWidget(label(caption), row, 0)
            grid.addWidget(combo, row, 1)
            grid.addWidget(example, row, 2)
            self.combos[category], self.examples[category] = combo, example
        grid.setColumnStretch(2, 1)
        self.content.addLayout(grid)
        self.defaults_button = QPushButton("Restore defaults")
        self.defaults_button.setObjectName("RedactionDefaults")
        self.defaults_button.clicked.connect(self.restore_defaults)
        self.content.addLayout(_buttons_row(self.defaults_button))
        self.content.addWidget(self.message)
        self._show_examples()

    def policy(self) -> RedactionPolicy:
        """The policy the combo boxes show."""
        return RedactionPolicy({category: combo.currentData() for category, combo in self.combos.items()})

    def load(self) -> None:
        policy = RedactionPolicy.from_vault(self._vault) if self._vault is not None else RedactionPolicy()
        for category, combo in self.combos.items():
            _select(combo, policy.mode(category))
        self._show_examples()

    def set_mode(self, category: str, mode: str) -> bool:
        """Choose a mode for a category and save the policy (as a user's click does)."""
        if mode not in MODES or category not in self.combos:
            return False
        _select(self.combos[category], mode)
        return self._on_mode_chosen(category)

    def restore_defaults(self) -> bool:
        for category, combo in self.combos.items():
            _select(combo, DEFAULT_POLICY.get(category, "mask"))
        return self._apply("Default redaction restored: sensitive details are masked.")

    def _on_mode_chosen(self, category: str) -> bool:
        mode = self.combos[category].currentData()
        return self._apply(f"Saved: {CATEGORIES[category].lower()} are now "
                           f"{'shown' if mode == 'show' else 'hidden' if mode == 'hide' else 'partially masked'}.")

    def _apply(self, success: str) -> bool:
        self._show_examples()
        policy = self.policy()
        saved = self._save(policy.save, success)
        if saved:
            self.changed.emit()
        return saved

    def _show_examples(self) -> None:
        policy = self.policy()
        for category, example in self.examples.items():
            example.setText(policy.apply(category, SAMPLES.get(category, "Sample")))
            example.setObjectName("Muted" if policy.mode(category) == "hide" else "")
            example.style().unpolish(example)
            example.style().polish(example)


class SurvivorshipSection(_VaultSection):
    """Which value wins on the golden record, per field, and the order of trust between the tools."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Golden record rules",
            "When a customer's records disagree, this rule picks the value shown on the profile. Your corrections "
            "and the values you chose while merging always win; every other value stays visible with its source.",
            parent)
        self.combos: dict[str, QComboBox] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        half = (len(GOLDEN_FIELDS) + 1) // 2
        for index, (key, (caption, _fields, _category)) in enumerate(GOLDEN_FIELDS.items()):
            combo = _combo(f"Rule-{key}", RULE_LABELS)
            combo.currentIndexChanged.connect(lambda _i: self.save_rules())
            row, column = index % half, (index // half) * 2
            grid.addWidget(label(caption), row, column)
            grid.addWidget(combo, row, column + 1)
            self.combos[key] = combo
        grid.setColumnMinimumWidth(2, 110)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self.content.addLayout(grid)

        self.content.addSpacing(6)
        self.content.addWidget(label("Source priority", "SectionTitle"))
        self.content.addWidget(label("Used by the “Source priority” rule: the tool higher in the list wins. "
                                     "Only the tools this vault has imported from are listed.", "Muted", wrap=True))
        self.sources = QListWidget()
        self.sources.setObjectName("SourcePriority")
        self.sources.setMaximumHeight(200)
        self.sources.setStyleSheet(
            f"QListWidget#SourcePriority {{ border: 1px solid {theme.BORDER}; border-radius: 8px; padding: 4px; }}"
            f"QListWidget#SourcePriority::item {{ padding: 4px 6px; border-radius: 4px; }}"
            f"QListWidget#SourcePriority::item:selected {{ background: {theme.ACCENT_SOFT}; color: {theme.TEXT}; }}")
        self.sources.currentRowChanged.connect(lambda _row: self._update_buttons())
        self.up_button = QPushButton("Move up")
        self.up_button.setObjectName("SourceUp")
        self.up_button.clicked.connect(lambda: self.move_source(-1))
        self.down_button = QPushButton("Move down")
        self.down_button.setObjectName("SourceDown")
        self.down_button.clicked.connect(lambda: self.move_source(1))
        buttons = QVBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.sources, 1)
        row.addLayout(buttons)
        self.content.addLayout(row)
        self.content.addWidget(self.message)
        self._update_buttons()

    def rules(self) -> dict[str, str]:
        return {key: combo.currentData() for key, combo in self.combos.items()}

    def source_order(self) -> list[str]:
        return [self.sources.item(row).data(SOURCE_ROLE) for row in range(self.sources.count())]

    def load(self) -> None:
        vault = self._vault
        survivorship = Survivorship.from_settings(vault) if vault is not None else Survivorship.default()
        for key, combo in self.combos.items():
            _select(combo, survivorship.rules.get(key, DEFAULT_RULES.get(key, RULES[0])))
        present = self._present_sources()
        ordered = [s for s in survivorship.source_order if s in present]
        ordered += sorted((s for s in present if s not in ordered), key=lambda s: source_label(s).lower())
        self.sources.clear()
        for source in ordered:
            item = QListWidgetItem()
            item.setData(SOURCE_ROLE, source)
            self.sources.addItem(item)
        self._number_sources()
        self.sources.setCurrentRow(0 if ordered else -1)
        self._update_buttons()

    def _number_sources(self) -> None:
        for row in range(self.sources.count()):
            item = self.sources.item(row)
            item.setText(f"{row + 1}.  {source_label(item.data(SOURCE_ROLE))}")

    def _present_sources(self) -> set[str]:
        if self._vault is None:
            return set()
        try:
            return {s for (s,) in self._vault.conn.execute("SELECT DISTINCT source FROM source_records")}
        except Exception:  # noqa: BLE001 - an unreadable list is shown empty
            return set()

    def on_locked(self) -> None:
        super().on_locked()
        self.sources.clear()
        self._update_buttons()

    def move_source(self, step: int) -> bool:
        row = self.sources.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.sources.count():
            return False
        item = self.sources.takeItem(row)
        self.sources.insertItem(target, item)
        self._number_sources()
        self.sources.setCurrentRow(target)
        return self.save_rules()

    def save_rules(self) -> bool:
        rules, order = self.rules(), self.source_order()
        vault = self._vault
        if vault is None:
            return False
        kept = [s for s in (vault.setting(SETTING_SOURCE_ORDER, []) or []) if s not in order]

        def write(target) -> None:
            target.set_setting(SETTING_RULES, rules)
            target.set_setting(SETTING_SOURCE_ORDER, order + kept)
            target.audit("survivorship_changed", {"rules": rules, "sources": len(order)})

        saved = self._save(write, "Saved. Profiles show their golden record with these rules from now on.")
        if saved:
            self.changed.emit()
        return saved

    def _update_buttons(self) -> None:
        row = self.sources.currentRow()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < self.sources.count() - 1)


class ErasureSection(_VaultSection):
    """Whether erasing a customer keeps their invoices, anonymised, for the tax records."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Erasure",
            "Erasing a customer deletes every record, event, consent statement and match decision of theirs "
            "and keeps only keyed hashes, so an old export cannot bring them back.",
            parent)
        self.keep_invoices = QCheckBox("Keep invoices anonymised when erasing a customer (tax law)")
        self.keep_invoices.setObjectName("KeepInvoices")
        self.keep_invoices.toggled.connect(self.save)
        self.content.addWidget(self.keep_invoices)
        self.content.addWidget(label(
            "Orders stay with amount, date, order number and items, but nothing that points to the person; "
            "the erasure receipt says how many were kept.", "Faint", wrap=True))
        self.content.addWidget(self.message)

    def load(self) -> None:
        keep = bool(self._vault.setting(SETTING_KEEP_INVOICES, False)) if self._vault is not None else False
        self.keep_invoices.blockSignals(True)
        self.keep_invoices.setChecked(keep)
        self.keep_invoices.blockSignals(False)

    def save(self, keep: bool) -> bool:
        def write(vault) -> None:
            vault.set_setting(SETTING_KEEP_INVOICES, bool(keep))
            vault.audit("erasure_setting_changed", {"keep_invoices": bool(keep)})

        return self._save(write, "Saved. Later erasures keep invoices anonymised." if keep
                          else "Saved. Later erasures delete invoices with everything else.")


class PurposesSection(_VaultSection):
    """The purposes consent is recorded for: the four standard ones and the shop's own."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(
            "Consent purposes",
            "Consent is recorded per purpose. Email, SMS and postal marketing and profiling are always there; "
            "add the shop's own (a loyalty programme, a newsletter for trade customers…).", parent)
        self.list = QListWidget()
        self.list.setObjectName("ConsentPurposes")
        self.list.setMaximumHeight(150)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.new_label = QLineEdit()
        self.new_label.setPlaceholderText("New purpose, e.g. Loyalty programme")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(lambda: self.add(self.new_label.text()))
        self.remove_button = QPushButton("Remove")
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addWidget(self.new_label, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        self.content.addWidget(self.list)
        self.content.addLayout(row)
        self.content.addWidget(self.message)
        self._update_buttons()

    def load(self) -> None:
        self.list.clear()
        for key, text in purposes(self._vault).items():
            item = QListWidgetItem(text if key not in PURPOSES else f"{text}  (standard)")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.list.addItem(item)
        self._update_buttons()

    def on_locked(self) -> None:
        super().on_locked()
        self.list.clear()

    def add(self, text: str) -> bool:
        added = self._save(lambda vault: add_purpose(vault, text), f"Added “{' '.join(text.split())}”.")
        if added:
            self.new_label.clear()
            self.load()
        return added

    def remove_selected(self) -> bool:
        item = self.list.currentItem()
        if item is None:
            return False
        removed = self._save(lambda vault: remove_purpose(vault, item.data(Qt.ItemDataRole.UserRole)),
                             "Removed. Statements already recorded for it are kept.")
        self.load()
        return removed

    def _update_buttons(self) -> None:
        item = self.list.currentItem()
        self.remove_button.setEnabled(item is not None and item.data(Qt.ItemDataRole.UserRole) not in PURPOSES)
