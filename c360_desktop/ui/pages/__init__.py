"""The pages behind the navigation rail. Each has ``on_unlocked(vault)`` and ``on_locked()``."""

from .base import Page
from .customers import CustomersPage
from .imports import ImportsPage
from .placeholder import AnalyticsPage
from .privacy import PrivacyPage
from .review import ReviewPage
from .settings import SettingsPage

__all__ = ["AnalyticsPage", "CustomersPage", "ImportsPage", "Page", "PrivacyPage", "ReviewPage", "SettingsPage"]
