"""Pages whose features arrive with later issues; each says what it will hold."""

from __future__ import annotations

from .base import EmptyState, Page


class AnalyticsPage(Page):
    key, title, icon_name = "analytics", "Analytics", "nav-analytics.svg"
    subtitle = "Segments, customer lifetime value and churn risk."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.body.addWidget(
            EmptyState(
                self.icon_name,
                "Insights appear after your first import",
                "Computed on this computer from your own data; nothing is sent anywhere.",
                ("Segments you can export to your email tool", "Lifetime value per customer", "Who may be about to leave"),
            )
        )
        self.body.addStretch(1)
