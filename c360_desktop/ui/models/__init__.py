"""Qt models over vault queries. Each has ``set_vault(vault)`` and ``clear()`` (called on lock)."""

from .audit_log import AuditLogModel
from .customers import CustomersModel

__all__ = ["AuditLogModel", "CustomersModel"]
