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


class StorageFailed(C360Error):
    """The vault file could not be written: the drive is full, read-only or failing, or the file is busy."""


# SQLite's own wording (its messages never quote data) -> what the user is told. Each failing write is rolled
# back whole, so "nothing was changed" holds.
STORAGE_PROBLEMS = (
    ("disk is full", "The disk is full: nothing was changed. Free some space on the drive that holds the vault "
                     "and try again."),
    ("readonly", "The vault file is read-only: nothing was changed. Check that the drive is writable and that "
                 "the vault file may be changed."),
    ("disk i/o error", "The drive reported an error while writing the vault: nothing was changed. Check the drive "
                       "(or copy the vault to another one) and try again."),
    ("database is locked", "The vault is busy with another task: nothing was changed. Try again when it has "
                           "finished."),
)


def storage_error(error: BaseException) -> StorageFailed | None:
    """The user's words for a SQLite error that comes from the drive or the file rather than from c360
    (a full disk above all); None for any other error."""
    if not type(error).__module__.startswith(("sqlcipher3", "sqlite3")):
        return None
    text = str(error).lower()
    return next((StorageFailed(message) for fragment, message in STORAGE_PROBLEMS if fragment in text), None)
