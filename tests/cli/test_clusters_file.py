"""``c360 clusters --out`` writes record keys (``email:…``): the file is created readable by the owner only."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from tests.conftest import GOOD_PASSPHRASE, run_cli

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
ENV = {"C360_PASSPHRASE": GOOD_PASSPHRASE}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_clusters_file_is_private(vault_path, tmp_path):
    previous = os.umask(0o022)
    try:
        for args in (("init",), ("import", str(EXPORTS / "stripe_payments.csv")), ("match",)):
            assert run_cli("--vault", str(vault_path), *args, env=ENV).returncode == 0
        out = tmp_path / "clusters.csv"
        stale = tmp_path / "stale.csv"
        stale.write_text("old\n")
        stale.chmod(0o644)  # an existing file the user writes over also ends up private
        for target in (out, stale):
            result = run_cli("--vault", str(vault_path), "clusters", "--out", str(target), env=ENV)
            assert result.returncode == 0, "clusters failed"
            assert stat.S_IMODE(target.stat().st_mode) == 0o600
            assert target.read_text(encoding="utf-8").startswith("file,row,source,source_record_id,profile_id")
    finally:
        os.umask(previous)
