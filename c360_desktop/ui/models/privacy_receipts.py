"""Erasure receipts as a table, and as the JSON or text file the owner keeps. They hold no personal data:
when, under which reference, and how many of each kind of data were removed or kept anonymised."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from .audit_log import local_time
from .privacy_requests import plural
from .privacy_table import RowsModel

RECEIPT_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Erased", "Reference", "Removed", "Kept")
KEPT_KINDS = ("kept_invoices", "shared_identifiers_left_out")  # reported apart, not under "removed"

# kind -> (one, many) as an owner reads them; unknown kinds fall back to their key.
COUNT_LABELS = {
    "profiles": ("customer profile", "customer profiles"),
    "source_records": ("imported record", "imported records"),
    "events": ("order, payment or ticket", "orders, payments and tickets"),
    "consents": ("consent statement", "consent statements"),
    "consent_statements": ("consent statement", "consent statements"),
    "file_rows": ("file row", "file rows"),
    "decisions": ("match decision", "match decisions"),
    "pairs": ("candidate pair", "candidate pairs"),
    "search_terms": ("search-index entry", "search-index entries"),
    "notes": ("note or tag", "notes and tags"),
    "corrections": ("correction", "corrections"),
    "restrictions": ("restriction", "restrictions"),
    "history_versions": ("earlier version of a record", "earlier versions of records"),
    "suppressed_identifiers": ("identifier kept only as a keyed hash", "identifiers kept only as keyed hashes"),
    "shared_identifiers_left_out": ("identifier other customers share", "identifiers other customers share"),
    "kept_invoices": ("order kept anonymised", "orders kept anonymised"),
    "orders": ("order", "orders"),
    "safety_copies": ("safety copy of the vault made before an update", "safety copies of the vault made before updates"),
}


def count_text(kind: str, count: int) -> str:
    one, many = COUNT_LABELS.get(kind, (kind.replace("_", " "), kind.replace("_", " ")))
    return plural(int(count), one, many)


def counts_summary(counts: dict | None) -> str:
    """``12 imported records; 30 orders, payments and tickets`` — the non-zero kinds."""
    parts = [count_text(k, v) for k, v in (counts or {}).items() if isinstance(v, int) and v and k not in KEPT_KINDS]
    return "; ".join(parts) or "nothing"


def removed_summary(counts: dict | None) -> str:
    """The table's short form: records and events, the rest is in the receipt."""
    counts = counts or {}
    return f"{plural(int(counts.get('source_records', 0)), 'record')}, {plural(int(counts.get('events', 0)), 'event')}"


def receipt_text(receipt: dict) -> str:
    """The receipt as a plain text the owner can file away."""
    lines = [
        "c360 erasure receipt",
        f"Receipt number: {receipt.get('id', '')}",
        f"Erased at: {local_time(str(receipt.get('erased_at', '')))}",
        f"Request reference: {receipt.get('reference') or '(none)'}",
        "",
        "Removed:",
    ]
    counts = receipt.get("counts") or {}
    lines += [f"  - {count_text(k, v)}" for k, v in counts.items()
              if isinstance(v, int) and v and k not in KEPT_KINDS] or ["  - nothing"]
    kept = receipt.get("kept") or {}
    lines += ["", "Kept anonymised (required by law):"]
    lines += [f"  - {count_text(k, v)}" for k, v in kept.items() if isinstance(v, int) and v] or ["  - nothing"]
    if isinstance(kept.get("why"), str):
        lines.append(f"    ({kept['why']})")
    shared = counts.get("shared_identifiers_left_out")
    if isinstance(shared, int) and shared:
        lines += ["", f"Left off the suppression list: {count_text('shared_identifiers_left_out', shared)} (their rows"
                      " still import)."]
    lines += ["", "This receipt holds no personal data of the erased person."]
    return "\n".join(lines) + "\n"


def write_receipt(receipt: dict, path: Path) -> Path:
    """``.json`` writes the receipt as JSON, anything else as text; returns the path written."""
    if path.suffix.lower() == ".json":
        text = json.dumps(receipt, indent=2, sort_keys=True, ensure_ascii=False, default=str) + "\n"
    else:
        text = receipt_text(receipt)
    path.write_text(text, encoding="utf-8")
    return path


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
                summary = counts_summary(receipt.get("counts"))
                return summary if role == Qt.ItemDataRole.ToolTipRole else removed_summary(receipt.get("counts"))
            kept = counts_summary(receipt.get("kept"))
            return "—" if kept == "nothing" else kept
        if role == RECEIPT_ID_ROLE:
            return receipt.get("id")
        return None
