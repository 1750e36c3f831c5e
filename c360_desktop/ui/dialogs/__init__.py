"""Vault dialogs: unlock, create, recovery key, passphrase."""

from .create import CreateVaultDialog
from .passphrase import ChangePassphraseDialog, ConfirmPassphraseDialog
from .recovery import RecoverVaultDialog, RecoveryKeyDialog, RecoveryKeyWidget
from .unlock import UnlockDialog, UnlockPanel

__all__ = [
    "ChangePassphraseDialog",
    "ConfirmPassphraseDialog",
    "CreateVaultDialog",
    "RecoverVaultDialog",
    "RecoveryKeyDialog",
    "RecoveryKeyWidget",
    "UnlockDialog",
    "UnlockPanel",
]
