"""``c360 gdpr``: find, export, erase, restrict, object and the requests register, through the real CLI."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.vault import Vault
from tests.conftest import GOOD_PASSPHRASE, run_cli
from tests.identity.helpers import import_people

from .world import CANARY_EMAIL, CANARY_PHONE, CONTROL_EMAIL, write_exports

ENV = {"C360_PASSPHRASE": GOOD_PASSPHRASE}


def c360(vault_path, *args, expect: int = 0):
    result = run_cli("--vault", str(vault_path), "--json", *args, env=ENV)
    assert result.returncode == expect, result.stderr
    assert "Traceback" not in result.stderr
    return result


def as_json(result):
    return json.loads(result.stdout)


@pytest.fixture
def world_vault(vault_path, tmp_path):
    c360(vault_path, "init")
    files = write_exports(tmp_path)
    c360(vault_path, "import", *map(str, files))
    c360(vault_path, "match")
    return files


def _canary_id(vault_path) -> int:
    (candidate,) = as_json(c360(vault_path, "gdpr", "find", "--email", CANARY_EMAIL))
    return candidate["profile_id"]


def test_find_masks_unless_revealed_and_reveal_is_audited(vault_path, world_vault):
    result = c360(vault_path, "gdpr", "find", "--email", CANARY_EMAIL, "--phone", "+1 415 555 4410")
    found = as_json(result)
    assert [c["matched_on"] for c in found] == [["email"], ["phone"]]
    assert CANARY_EMAIL not in result.stdout and CANARY_PHONE not in result.stdout
    assert found[0]["primary_email"] == "z•••@e•••.org" and found[0]["primary_phone"] == "•••• 7731"
    by_name = as_json(c360(vault_path, "gdpr", "find", "--name", "zqworthington"))
    assert [c["profile_id"] for c in by_name] == [found[0]["profile_id"]]
    revealed = as_json(c360(vault_path, "gdpr", "find", "--email", CANARY_EMAIL, "--reveal"))
    assert revealed[0]["primary_email"] == CANARY_EMAIL
    entries = as_json(c360(vault_path, "audit", "list", "--action", "values_revealed"))
    assert entries and CANARY_EMAIL not in json.dumps(entries)
    nothing = run_cli("--vault", str(vault_path), "gdpr", "find", env=ENV)
    assert nothing.returncode == 1 and nothing.stderr.count("\n") == 1


def test_export_then_erase_with_a_preview_first(vault_path, world_vault, tmp_path):
    out = tmp_path / "answer.zip"
    exported = as_json(c360(vault_path, "gdpr", "export", "--email", CANARY_EMAIL, "--out", str(out)))
    assert out.exists() and exported["counts"]["source_records"] == 1 and "data.json" in exported["files"]

    preview = c360(vault_path, "gdpr", "erase", "--email", CANARY_EMAIL, expect=1)
    assert as_json(preview)["would_erase"]["events"] == 2 and "--yes" in preview.stderr
    assert preview.stderr.count("\n") == 1 and CANARY_EMAIL not in preview.stdout + preview.stderr

    erased = as_json(c360(vault_path, "gdpr", "erase", "--email", CANARY_EMAIL, "--yes", "--reference", "T-77"))
    assert erased["erased"] and erased["receipt"]["reference"] == "T-77"
    assert as_json(c360(vault_path, "gdpr", "receipts"))[0]["id"] == erased["receipt"]["id"]
    clusters = tmp_path / "clusters.csv"
    c360(vault_path, "clusters", "--out", str(clusters))
    with open(clusters, newline="", encoding="utf-8") as handle:
        assert "9000000007731" not in {row["source_record_id"] for row in csv.DictReader(handle)}
    again = [json.loads(line) for line in c360(vault_path, "import", *map(str, world_vault)).stdout.splitlines()]
    assert [r["suppressed"] for r in again] == [1, 2]
    gone = run_cli("--vault", str(vault_path), "gdpr", "export", "--email", CANARY_EMAIL, "--out", str(out), env=ENV)
    assert gone.returncode == 1 and "No profile" in gone.stderr


def test_an_email_shared_by_several_profiles_is_refused_with_their_ids(vault_path, tmp_path):
    vault, _ = Vault.create(vault_path, GOOD_PASSPHRASE)
    shared = "family@example.net"
    ids = import_people(vault, tmp_path, "family", [
        {"id": "a", "first": "Ada", "last": "Quill", "email": shared, "birth": "1950-01-01", "city": "Leeds"},
        {"id": "b", "first": "Tom", "last": "Marsh", "email": shared, "birth": "1990-06-06", "city": "York"}])
    run_match(vault)
    profiles = sorted({vault.conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?",
                                          (rid,)).fetchone()[0] for rid in ids.values()})
    vault.close()
    assert len(profiles) == 2
    for command in (("export", "--out", str(tmp_path / "x.zip")), ("erase", "--yes")):
        result = run_cli("--vault", str(vault_path), "gdpr", command[0], "--email", shared, *command[1:], env=ENV)
        assert result.returncode == 1 and result.stderr.count("\n") == 1
        assert all(str(p) in result.stderr for p in profiles) and shared not in result.stderr
    assert not (tmp_path / "x.zip").exists()


def test_restrict_and_object(vault_path, world_vault):
    profile_id = _canary_id(vault_path)
    restricted = as_json(c360(vault_path, "gdpr", "restrict", str(profile_id), "--reason", "contests accuracy"))
    objected = as_json(c360(vault_path, "gdpr", "object", str(profile_id), "--reason", "no more newsletters"))
    assert restricted["kind"] == "restrict" and objected["kind"] == "object"
    with Vault.open(vault_path, GOOD_PASSPHRASE) as vault:
        assert vault.conn.execute("SELECT restricted, consent_email, consent_sms FROM profiles WHERE id = ?",
                                  (profile_id,)).fetchone() == (1, "withdrawn", "withdrawn")
    c360(vault_path, "gdpr", "lift", str(restricted["restriction_id"]), "--reason", "corrected")
    with Vault.open(vault_path, GOOD_PASSPHRASE) as vault:
        assert vault.conn.execute("SELECT restricted FROM profiles WHERE id = ?", (profile_id,)).fetchone() == (0,)
    missing = run_cli("--vault", str(vault_path), "gdpr", "restrict", "999", "--reason", "x", env=ENV)
    assert missing.returncode == 1 and missing.stderr.count("\n") == 1


def test_the_requests_register(vault_path, world_vault):
    profile_id = _canary_id(vault_path)
    opened = as_json(c360(vault_path, "gdpr", "requests", "open", "erasure", "LETTER-3", "--profile",
                          str(profile_id), "--received", "2024-01-31"))
    assert (opened["due_at"], opened["overdue"], opened["profile_ids"]) == ("2024-02-29", True, [profile_id])
    today = as_json(c360(vault_path, "gdpr", "requests", "open", "access", "MAIL-4"))
    assert today["received_at"] == date.today().isoformat() and not today["overdue"] and today["days_left"] >= 28
    extended = as_json(c360(vault_path, "gdpr", "requests", "extend", str(opened["id"]), "--reason", "many files"))
    assert extended["due_at"] == "2024-04-30"
    c360(vault_path, "gdpr", "requests", "extend", str(opened["id"]), "--reason", "again", expect=1)
    c360(vault_path, "gdpr", "erase", str(profile_id), "--yes", "--request", str(opened["id"]))
    c360(vault_path, "gdpr", "requests", "close", str(opened["id"]))
    listed = as_json(c360(vault_path, "gdpr", "requests", "list"))
    assert [r["id"] for r in listed] == [today["id"], opened["id"]]
    assert [a["action"] for a in listed[1]["actions"]] == ["opened", "extended", "erased", "closed"]
    assert as_json(c360(vault_path, "gdpr", "requests", "list", "--status", "done"))[0]["status"] == "done"
    refused = run_cli("--vault", str(vault_path), "gdpr", "requests", "close", str(today["id"]), "--refused", env=ENV)
    assert refused.returncode == 1 and "why" in refused.stderr
    c360(vault_path, "gdpr", "find", "--email", CONTROL_EMAIL)
