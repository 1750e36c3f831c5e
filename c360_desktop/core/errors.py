"""Errors a user can cause, each with a message fit to show as is.

Messages never contain customer data: they name files, counts and actions only.
"""


class C360Error(Exception):
    """Base class: ``str(error)`` is a one-line message for the user."""


class VaultNotFound(C360Error):
    pass


class NotAVault(C360Error):
    pass


class KeyFileMissing(C360Error):
    pass


class KeyFileDamaged(C360Error):
    pass


class WrongPassphrase(C360Error):
    def __init__(self, message: str, retry_after: float = 0.0):
        super().__init__(message)
        self.retry_after = retry_after


class TooManyAttempts(C360Error):
    def __init__(self, message: str, retry_after: float):
        super().__init__(message)
        self.retry_after = retry_after


class WrongRecoveryKey(C360Error):
    pass


class VaultDamaged(C360Error):
    pass


class VaultTooNew(C360Error):
    pass


class VaultInUse(C360Error):
    pass


class VaultExists(C360Error):
    pass


class VaultChanged(C360Error):
    """Rows a long job read were removed by another connection before it could write: its bulk write would
    point at nothing."""

    def __init__(self):
        super().__init__("Records or profiles were removed while this ran (an undo or an erasure meanwhile): "
                         "nothing was written; run it again.")


class VaultLocked(C360Error):
    """An operation was attempted on a vault that has been locked or closed."""


class WeakPassphrase(C360Error):
    pass


class AuditError(C360Error):
    pass
