"""Candidate profiles for a data-subject request, with contact details always at least masked.

A request ("send me my data", "delete me") may match several profiles, so every candidate from
``find_candidates`` is listed; the owner ticks the ones that are the person. Emails and phones are
masked even when the redaction policy shows them elsewhere: the person typed them, the owner only
needs to tell the candidates apart.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from ...core.privacy.policy import RedactionPolicy
from .privacy_table import RowsModel
from .review import source_label

PROFILE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
HEADERS = ("Customer", "Email", "Phone", "Sources", "Records", "Matched on")
CONTACT_CATEGORIES = ("email", "phone")
MATCHED_LABELS = {"email": "email", "phone": "phone", "name": "name"}


def masked_policy(policy: RedactionPolicy) -> RedactionPolicy:
    """The policy with contact details at least partially masked (hidden stays hidden)."""
    modes = dict(policy.modes)
    for category in CONTACT_CATEGORIES:
        if policy.mode(category) == "show":
            modes[category] = "mask"
    return RedactionPolicy(modes)


def sources_text(sources) -> str:
    if isinstance(sources, str):
        sources = [s.strip() for s in sources.replace(";", ",").split(",")]
    names = [source_label(s, short=True) for s in sources or () if s]
    return ", ".join(dict.fromkeys(names))


class CandidatesModel(RowsModel):
    """``set_candidates(list of dicts, policy)``; ``checkable=True`` adds a tick box per row."""

    HEADERS = HEADERS

    def __init__(self, parent=None, *, checkable: bool = False):
        super().__init__(parent)
        self.checkable = checkable
        self._checked: set[int] = set()
        self._policy = masked_policy(RedactionPolicy())

    def set_candidates(self, candidates: list[dict], policy: RedactionPolicy | None = None) -> None:
        self._policy = masked_policy(policy or RedactionPolicy())
        alone = self.checkable and len(candidates) == 1
        self._checked = {candidates[0]["profile_id"]} if alone else set()
        self.set_rows(candidates)

    def candidate(self, row: int) -> dict | None:
        return self.row_item(row)

    def checked_ids(self) -> list[int]:
        return [c["profile_id"] for c in self._rows if c["profile_id"] in self._checked]

    def set_checked(self, profile_id: int, checked: bool = True) -> None:
        (self._checked.add if checked else self._checked.discard)(profile_id)
        row = next((i for i, c in enumerate(self._rows) if c["profile_id"] == profile_id), -1)
        if row >= 0:
            self.dataChanged.emit(self.index(row, 0), self.index(row, 0), [Qt.ItemDataRole.CheckStateRole])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if role == Qt.ItemDataRole.TextAlignmentRole and orientation == Qt.Orientation.Horizontal and section == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().headerData(section, orientation, role)

    def _display(self, candidate: dict, column: int) -> str:
        show = self._policy.apply
        if column == 0:
            name = show("name", candidate.get("display_name")) or "(no name)"
            return f"{name}  ·  #{candidate['profile_id']}"
        if column == 1:
            return show("email", candidate.get("primary_email"))
        if column == 2:
            return show("phone", candidate.get("primary_phone"))
        if column == 3:
            return sources_text(candidate.get("sources"))
        if column == 4:
            return f"{int(candidate.get('record_count') or 0):,}"
        return ", ".join(MATCHED_LABELS.get(m, m) for m in candidate.get("matched_on") or ())

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        candidate = self.candidate(index.row()) if index.isValid() else None
        if candidate is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._display(candidate, index.column())
        if role == Qt.ItemDataRole.CheckStateRole and self.checkable and index.column() == 0:
            checked = candidate["profile_id"] in self._checked
            return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 4:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == PROFILE_ID_ROLE:
            return candidate["profile_id"]
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        candidate = self.candidate(index.row()) if index.isValid() else None
        if candidate is None or role != Qt.ItemDataRole.CheckStateRole or not self.checkable:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked if not isinstance(value, bool) else value
        self.set_checked(candidate["profile_id"], checked)
        return True

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.checkable and index.column() == 0:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags
