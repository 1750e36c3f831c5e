"""Privacy operations; for now the audit log and its integrity check."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QPushButton

from ...core import audit
from ..models.audit_log import AuditLogModel
from ..widgets import MessageLabel, label, list_table
from .base import Page


class PrivacyPage(Page):
    key, title, icon_name = "privacy", "Privacy", "nav-privacy.svg"
    subtitle = "Consent, access and erasure requests, and the audit log."

    def __init__(self, parent=None):
        super().__init__(parent)
        self._vault = None
        self.body.addWidget(
            label(
                "Consent records, answering “send me my data” and “delete me” requests, and erasure "
                "will live here. Every security-relevant event is already written to the audit log below: "
                "it holds no customer data, and each entry is chained to the previous one so that "
                "any change is detectable.",
                "Muted",
                wrap=True,
            )
        )
        self.verify_button = QPushButton("Verify integrity")
        self.verify_button.setObjectName("VerifyAuditButton")
        self.verify_button.clicked.connect(self.verify)
        self.result = MessageLabel()
        heading = QHBoxLayout()
        heading.addWidget(label("Audit log", "SectionTitle"))
        heading.addStretch(1)
        heading.addWidget(self.verify_button)
        self.body.addLayout(heading)
        self.body.addWidget(self.result)

        self.model = AuditLogModel(self)
        self.table = list_table("AuditTable", self.model)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 190, 200)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.body.addWidget(self.table, 1)

    def on_unlocked(self, vault) -> None:
        self._vault = vault
        self.result.clear()
        self.model.set_vault(vault)

    def on_locked(self) -> None:
        self._vault = None
        self.result.clear()
        self.model.clear()

    def verify(self) -> audit.ChainReport | None:
        if self._vault is None or not self._vault.is_open:
            return None
        report = audit.verify(self._vault.conn)
        if report.ok:
            self.result.show_success(f"The audit log is intact: all {report.entries} entries check out.")
        else:
            self.result.show_error(
                f"The audit log has been tampered with: {report.problem} (first broken entry: "
                f"#{report.first_broken_seq})."
            )
        self.model.set_vault(self._vault)
        return report
