"""Where vaults live by default: the platform's per-user application-data folder."""

from __future__ import annotations

from pathlib import Path

from platformdirs import user_data_dir

DEFAULT_VAULT_NAME = "vault.c360"


def app_data_dir() -> Path:
    return Path(user_data_dir("c360", appauthor=False))


def default_vault_path() -> Path:
    return app_data_dir() / DEFAULT_VAULT_NAME
