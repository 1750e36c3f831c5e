"""Shared fixtures: real vaults in temp folders, with a fast key derivation for speed."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

# The suite never touches the user's real application-data or settings folders.
os.environ.setdefault("C360_INSECURE_FAST_KDF", "1")

GOOD_PASSPHRASE = "orbit-cactus-lantern-97"
OTHER_PASSPHRASE = "velvet-harbour-quartz-12"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("C360_INSECURE_FAST_KDF", "1")
    yield home


@pytest.fixture
def vault_path(tmp_path) -> Path:
    return tmp_path / "shop.c360"


@pytest.fixture
def vault(vault_path):
    from c360_desktop.core.vault import Vault

    opened, _recovery = Vault.create(vault_path, GOOD_PASSPHRASE)
    yield opened
    opened.close()


def run_cli(*args, env=None, cwd=None, stdin=None):
    """Run the real console script in a subprocess; returns CompletedProcess."""
    import subprocess

    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "c360_desktop.cli", *args],
        capture_output=True, text=True, env=full_env, cwd=cwd, input=stdin, timeout=120,
    )
