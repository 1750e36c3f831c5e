"""No customer data in plaintext outside the vault and the files the owner chose: import, match, find,
restrict, export and erase canary customers through the CLI with home, data, config, cache, state and
temp folders of its own, then search every file there (the vault, its WAL and key file included)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.conftest import GOOD_PASSPHRASE, run_cli

from .world import CANARIES, CANARY_EMAIL, CANARY_STREET, write_exports

SHOWN_ON_SCREEN = (CANARY_EMAIL, "4155557731", "415 555 7731", CANARY_STREET)  # names follow the policy: shown


def _environment(root: Path) -> dict[str, str]:
    home = root / "home"
    folders = {"HOME": home, "XDG_DATA_HOME": home / ".local" / "share", "XDG_CONFIG_HOME": home / ".config",
               "XDG_CACHE_HOME": home / ".cache", "XDG_STATE_HOME": home / ".local" / "state",
               "TMPDIR": root / "tmp", "TMP": root / "tmp", "TEMP": root / "tmp"}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {**{k: str(v) for k, v in folders.items()}, "C360_PASSPHRASE": GOOD_PASSPHRASE}


def _files_holding(folders, values, skip: set[Path]) -> dict[str, set[str]]:
    found = {}
    for folder in folders:
        for path in Path(folder).rglob("*"):
            if path.is_file() and path not in skip:
                data = path.read_bytes().lower()
                hits = {v for v in values if v.lower().encode("utf-8") in data}
                if hits:
                    found[str(path)] = hits
    return found


def test_no_canary_in_any_file_of_the_app_after_import_match_export_and_erase(tmp_path):
    env = _environment(tmp_path / "machine")
    inputs, chosen = tmp_path / "owner-files", tmp_path / "owner-chosen"
    inputs.mkdir()
    chosen.mkdir()
    files = [str(p) for p in write_exports(inputs)]
    outputs = []

    def c360(*args, expect=0):
        result = run_cli("--json", *args, env=env)
        assert result.returncode == expect, result.stderr
        outputs.append(result.stdout + result.stderr)
        return result

    c360("init")
    c360("import", *files)
    c360("match")
    (candidate,) = json.loads(c360("gdpr", "find", "--email", CANARY_EMAIL).stdout)
    profile = str(candidate["profile_id"])
    c360("gdpr", "restrict", profile, "--reason", "checking the data")
    c360("gdpr", "object", profile, "--reason", "no marketing")
    export = chosen / "answer.zip"
    c360("gdpr", "export", profile, "--out", str(export))
    c360("gdpr", "erase", profile, expect=1)
    c360("gdpr", "erase", profile, "--yes", "--reference", "REQ-1")
    c360("import", *files)
    c360("info")
    c360("audit", "verify")

    vault = Path(env["XDG_DATA_HOME"]) / "c360" / "vault.c360"
    assert vault.exists() and vault.with_name("vault.c360.key").exists() and export.exists()
    assert _files_holding([inputs], [CANARY_EMAIL], skip=set()), "the search finds a canary where it is"
    assert _files_holding([tmp_path / "machine"], CANARIES, skip={export}) == {}
    assert not [text for text in outputs if any(value in text for value in SHOWN_ON_SCREEN)]
    assert sorted(os.listdir(chosen)) == ["answer.zip"], "no temporary file left beside the export"
