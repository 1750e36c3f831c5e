"""The command-line contract of match, review and clusters, on the fixture exports."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from tests.conftest import GOOD_PASSPHRASE, run_cli

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
ENV = {"C360_PASSPHRASE": GOOD_PASSPHRASE}


def c360(vault_path, *args):
    result = run_cli("--vault", str(vault_path), "--json", *args, env=ENV)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_match_review_and_clusters_contract(vault_path, tmp_path):
    c360(vault_path, "init")
    files = [str(p) for p in sorted(EXPORTS.iterdir()) if p.name not in
             {"ground_truth.csv", "garbage.bin", "empty.csv"}]
    lines = c360(vault_path, "import", *files).splitlines()
    assert len(lines) == len(files)
    match = json.loads(c360(vault_path, "match"))
    assert {"auto_merged", "queued", "profiles"} <= set(match) and match["profiles"] > 0
    info = json.loads(c360(vault_path, "info"))
    assert info["profiles"] == match["profiles"] and info["pending_reviews"] == match["queued"]
    pending = json.loads(c360(vault_path, "review", "list", "--limit", "5"))
    assert pending, "the fixtures have doubtful pairs (namesakes, households)"
    _assert_held_pairs_read_as_held(vault_path)
    first = pending[0]
    assert {"id", "score", "left", "right"} <= set(first) and 0 <= first["score"] <= 1
    for side in (first["left"], first["right"]):  # masked unless --reveal
        assert side["email"] == "" or "•••" in side["email"]
        assert side["phone"] == "" or side["phone"].startswith("••••")
    c360(vault_path, "review", "reject", str(first["id"]))
    c360(vault_path, "match", "--full")
    rejected = (first["left"]["record_id"], first["right"]["record_id"])
    remaining = {(p["left"]["record_id"], p["right"]["record_id"])
                 for p in json.loads(c360(vault_path, "review", "list", "--limit", "1000"))}
    assert rejected not in remaining
    out = tmp_path / "clusters.csv"
    c360(vault_path, "clusters", "--out", str(out))
    with open(out, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["file", "row", "source", "source_record_id", "profile_id"]
    truth = {(r["file"], r["row"]) for r in csv.DictReader(open(EXPORTS / "ground_truth.csv")) if r["person_id"]}
    assert truth <= {(r["file"], r["row"]) for r in rows}
    assert all(r["profile_id"] for r in rows)


def test_review_of_an_unknown_pair_is_a_clean_error(vault_path):
    c360(vault_path, "init")
    result = run_cli("--vault", str(vault_path), "review", "merge", "999", env=ENV)
    assert result.returncode == 1 and "no candidate pair" in result.stderr and "Traceback" not in result.stderr


def _assert_held_pairs_read_as_held(vault_path):
    """A pair a guard holds says so instead of a score that reads like a verdict ("1.00")."""
    result = run_cli("--vault", str(vault_path), "review", "list", "--limit", "1000", env=ENV)
    heads = [line for line in result.stdout.splitlines() if line.startswith("#")]
    held = [line for line in heads if "held for your decision: " in line]
    assert held and len(held) < len(heads)
    assert all("%" in line.split()[1] for line in heads if line not in held)
    assert not any("%" in line.split("~")[0] for line in held)
