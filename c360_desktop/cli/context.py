"""What every command needs: the vault path, the passphrase, and how to print results."""

from __future__ import annotations

import getpass
import json
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from ..core.errors import C360Error, WrongPassphrase
from ..core.ingest.readers import readable_text
from ..core.paths import default_vault_path
from ..core.vault import Vault

PASSPHRASE_ENV = "C360_PASSPHRASE"
NEW_PASSPHRASE_ENV = "C360_NEW_PASSPHRASE"


class UsageError(C360Error):
    pass


class BadArguments(UsageError):
    """Options that do not go together or a value no option takes: bad usage (exit 2, as argparse's own)."""


class CommandContext:
    def __init__(self, args):
        self.args = args
        self.json = bool(args.json)
        self.vault_path = Path(args.vault).expanduser() if args.vault else default_vault_path()

    @property
    def interactive(self) -> bool:
        return bool(sys.stdin and sys.stdin.isatty())

    # ---------------------------------------------------------------- passphrases

    def passphrase(self, prompt: str = "Passphrase: ") -> str:
        if self.args.passphrase_file:
            return read_secret_file(self.args.passphrase_file)
        if os.environ.get(PASSPHRASE_ENV):
            return os.environ[PASSPHRASE_ENV]
        return _prompt(prompt)

    def new_passphrase(self, file_option: str | None, env_name: str, prompt: str) -> str:
        """A passphrase being set: from a file, the environment, or typed twice."""
        if file_option:
            return read_secret_file(file_option)
        if os.environ.get(env_name):
            return os.environ[env_name]
        first = _prompt(prompt)
        if _prompt("Repeat it: ") != first:
            raise UsageError("The two passphrases do not match; nothing was changed.")
        return first

    # ---------------------------------------------------------------- vault

    @contextmanager
    def open_vault(self):
        vault = Vault.open(self.vault_path, self.passphrase())
        try:
            yield vault
        finally:
            vault.close()

    # ---------------------------------------------------------------- output

    def emit(self, payload, human: str) -> None:
        if self.json:
            print(readable_text(json.dumps(payload, ensure_ascii=False)))
        else:
            print(readable_text(human))

    def emit_lines(self, payloads: list, human: str) -> None:
        if self.json:
            for payload in payloads:
                print(readable_text(json.dumps(payload, ensure_ascii=False)))
        else:
            print(readable_text(human))


def read_secret_file(name: str) -> str:
    try:
        text = Path(name).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"Cannot read the passphrase file {name}: {exc.strerror}.") from None
    return text.rstrip("\r\n")


def _prompt(prompt: str) -> str:
    if not sys.stdin or not sys.stdin.isatty():
        raise UsageError(
            f"No passphrase given: use --passphrase-file FILE or set {PASSPHRASE_ENV} when not typing at a terminal."
        )
    return getpass.getpass(prompt)


def exit_code_for(error: C360Error) -> int:
    if isinstance(error, BadArguments):
        return 2
    return 3 if isinstance(error, WrongPassphrase) else 1
