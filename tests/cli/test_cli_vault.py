"""The command-line contract for vault commands, run as a real subprocess."""

from __future__ import annotations

import json

from tests.conftest import GOOD_PASSPHRASE, OTHER_PASSPHRASE, run_cli


def _init(vault_path):
    result = run_cli("--vault", str(vault_path), "--json", "init", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_init_then_info_json_shape(vault_path):
    created = _init(vault_path)
    assert created["vault"] == str(vault_path) and len(created["recovery_key"].split("-")) == 11
    result = run_cli("--vault", str(vault_path), "--json", "info", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    for key in ("records", "events", "profiles", "pending_reviews", "suppressed", "imports"):
        assert info[key] == 0


def test_passphrase_file_is_accepted(vault_path, tmp_path):
    _init(vault_path)
    secret = tmp_path / "pass.txt"
    secret.write_text(GOOD_PASSPHRASE + "\n")
    result = run_cli("--vault", str(vault_path), "--passphrase-file", str(secret), "info")
    assert result.returncode == 0, result.stderr
    assert "records: 0" in result.stdout


def test_wrong_passphrase_is_one_clean_line(vault_path):
    _init(vault_path)
    result = run_cli("--vault", str(vault_path), "info", env={"C360_PASSPHRASE": OTHER_PASSPHRASE})
    assert result.returncode == 3
    assert "passphrase" in result.stderr.lower()
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_missing_vault_and_foreign_file(tmp_path):
    missing = run_cli("--vault", str(tmp_path / "none.c360"), "info", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert missing.returncode == 1 and "no vault" in missing.stderr.lower()
    foreign = tmp_path / "notes.txt"
    foreign.write_text("shopping list")
    result = run_cli("--vault", str(foreign), "info", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert result.returncode == 1 and "not a c360 vault" in result.stderr
    assert foreign.read_text() == "shopping list"


def test_no_passphrase_without_a_terminal_explains_itself(vault_path):
    _init(vault_path)
    result = run_cli("--vault", str(vault_path), "info", env={"C360_PASSPHRASE": ""})
    assert result.returncode == 1 and "--passphrase-file" in result.stderr


def test_weak_passphrase_refused_at_init(vault_path):
    result = run_cli("--vault", str(vault_path), "init", env={"C360_PASSPHRASE": "password1"})
    assert result.returncode == 1 and "weak" in result.stderr
    assert not vault_path.exists()


def test_change_passphrase_then_old_refused(vault_path):
    _init(vault_path)
    changed = run_cli("--vault", str(vault_path), "change-passphrase",
                      env={"C360_PASSPHRASE": GOOD_PASSPHRASE, "C360_NEW_PASSPHRASE": OTHER_PASSPHRASE})
    assert changed.returncode == 0, changed.stderr
    old = run_cli("--vault", str(vault_path), "info", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert old.returncode == 3
    new = run_cli("--vault", str(vault_path), "info", env={"C360_PASSPHRASE": OTHER_PASSPHRASE})
    assert new.returncode == 0


def test_recover_with_the_printed_key(vault_path, tmp_path):
    recovery = _init(vault_path)["recovery_key"]
    key_file = tmp_path / "recovery.txt"
    key_file.write_text(recovery)
    result = run_cli("--vault", str(vault_path), "recover", "--recovery-key-file", str(key_file),
                     env={"C360_NEW_PASSPHRASE": OTHER_PASSPHRASE})
    assert result.returncode == 0, result.stderr
    assert run_cli("--vault", str(vault_path), "info", env={"C360_PASSPHRASE": OTHER_PASSPHRASE}).returncode == 0


def test_audit_verify_and_list(vault_path):
    _init(vault_path)
    env = {"C360_PASSPHRASE": GOOD_PASSPHRASE}
    verified = run_cli("--vault", str(vault_path), "--json", "audit", "verify", env=env)
    assert verified.returncode == 0, verified.stderr
    assert json.loads(verified.stdout)["ok"] is True
    listed = run_cli("--vault", str(vault_path), "--json", "audit", "list", env=env)
    actions = [entry["action"] for entry in json.loads(listed.stdout)]
    assert "vault_created" in actions


def test_default_vault_lives_in_the_application_data_folder(_isolated_home):
    result = run_cli("--json", "init", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert result.returncode == 0, result.stderr
    path = json.loads(result.stdout)["vault"]
    assert path.startswith(str(_isolated_home)) and path.endswith("vault.c360")


def test_a_full_disk_is_one_clean_line_and_the_vault_keeps_what_it_had(vault_path, tmp_path):
    """The import's process may not grow any file past the vault's size plus 1 MB (as on a nearly full drive):
    the whole import is rolled back and said so in one line (the file's result line)."""
    import csv
    import os
    import resource
    import signal
    import subprocess
    import sys

    _init(vault_path)
    export = tmp_path / "customers_export.csv"
    with open(export, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Customer ID", "First Name", "Last Name", "Email", "Phone"])
        writer.writerows([str(i), "Ann", f"Lee{i}", f"ann{i}@example.org", ""] for i in range(30000))
    limit = vault_path.stat().st_size + (1 << 20)

    def nearly_full():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)   # a write past the limit then fails like one on a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = dict(os.environ, C360_PASSPHRASE=GOOD_PASSPHRASE)
    result = subprocess.run([sys.executable, "-m", "c360_desktop.cli", "--vault", str(vault_path), "import", str(export)],
                            capture_output=True, text=True, env=env, timeout=120, preexec_fn=nearly_full)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith(("customers_export.csv: The disk is full: nothing was changed.",
                                     "customers_export.csv: The drive reported an error while writing the vault: "
                                     "nothing was changed."))
    assert "Traceback" not in result.stdout and len(result.stdout.strip().splitlines()) == 1
    info = run_cli("--vault", str(vault_path), "--json", "info", env={"C360_PASSPHRASE": GOOD_PASSPHRASE})
    assert info.returncode == 0, info.stderr
    assert json.loads(info.stdout)["records"] == 0 and json.loads(info.stdout)["imports"] == 0
