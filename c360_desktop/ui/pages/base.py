"""What every page has: a title block, a body, and the unlock/lock hooks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from .. import icons
from ..widgets import Card, label, page_header


class Page(QWidget):
    key = ""
    title = ""
    subtitle = ""
    icon_name = ""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(f"page-{self.key}")
        header, self.subtitle_label = page_header(self.title, self.subtitle)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(36, 28, 36, 24)
        self.body.setSpacing(16)
        self.body.addWidget(header)

    def on_unlocked(self, vault) -> None:
        """The vault is open: load what this page shows."""

    def on_locked(self) -> None:
        """The vault was locked: drop everything loaded from it."""


class EmptyState(Card):
    """A calm dashed card that says what will appear here, and optionally the one button that gets it there.

    ``say(heading, text)`` rewords it when what is missing changes (no records yet, or records not matched yet).
    """

    def __init__(self, icon_name: str, heading: str, text: str, points: tuple[str, ...] = (),
                 action: QPushButton | None = None):
        super().__init__(name="EmptyState")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 24)
        column = QWidget()
        column.setMaximumWidth(540)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(10)
        layout.addStretch(1)
        picture = QLabel()
        picture.setPixmap(icons.line_icon(icon_name, size=40).pixmap(40, 40))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(picture)
        self.heading = label(heading, "SectionTitle")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.heading)
        self.text = label(text, "Muted", wrap=True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.text)
        if points:
            listing = label("\n".join(f"•  {p}" for p in points), "Muted")
            listing.setContentsMargins(0, 6, 0, 0)
            layout.addWidget(listing, 0, Qt.AlignmentFlag.AlignHCenter)
        if action is not None:
            layout.addSpacing(6)
            layout.addWidget(action, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        outer.addStretch(1)
        outer.addWidget(column, 4)
        outer.addStretch(1)

    def say(self, heading: str, text: str) -> None:
        self.heading.setText(heading)
        self.text.setText(text)
