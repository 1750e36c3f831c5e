"""Erasure receipts as a table, in the receipt's own words (``core.privacy.erasure_words``). They hold no
personal data: when, under which reference, and how many of each kind of data were removed or kept."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...core.privacy.erasure_words import HASHED_TITLE, KEPT_TITLE, kept_orders, receipt_sections, removed_lines
from .audit_log import local_time
from .privacy_table import RowsModel

RECEIPT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Erased", "Reference", "Removed", "Kept")
KEPT_HOW = {KEPT_TITLE: " anonymised", HASHED_TITLE: " as keyed hashes"}


class ReceiptsModel(RowsModel):
    """``set_receipts(erasure_receipts(conn))``, newest first."""

    HEADERS = HEADERS

    def set_receipts(self, receipts: list[dict]) -> None:
        self.set_rows(sorted(receipts, key=lambda r: (str(r.get("erased_at", "")), r.get("id", 0)), reverse=True))

    def receipt(self, row: int) -> dict | None:
        return self.row_item(row)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        receipt = self.receipt(index.row()) if index.isValid() else None
        if receipt is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return local_time(str(receipt.get("erased_at", "")))[:16]
            if column == 1:
                return receipt.get("reference") or "—"
            if column == 2:
                if role == Qt.ItemDataRole.DisplayRole:
                    return next(iter(removed_lines(receipt.get("counts"))), "nothing")
                return "\n".join(f"{section.title}: {', '.join(section.lines)}"
                                  for section in receipt_sections(receipt.get("counts"), kept_orders(receipt))
                                  if section.lines)
            kept = [", ".join(section.lines) + KEPT_HOW.get(section.title, "")
                    for section in receipt_sections(receipt.get("counts"), kept_orders(receipt))
                    if section.lines and section.title in KEPT_HOW]
            return "; ".join(kept) or "—"
        if role == RECEIPT_ID_ROLE:
            return receipt.get("id")
        return None
