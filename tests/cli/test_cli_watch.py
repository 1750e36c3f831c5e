"""`c360 import --watch FOLDER` headless: option checks, --once with files not yet settled, a folder that is
briefly gone, Ctrl-C, names that are not UTF-8; and two CLI manners (a closed pipe, undo's words)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from c360_desktop.cli.main import main
from c360_desktop.core.identity import engine
from c360_desktop.core.ingest import watch as watch_module
from tests.conftest import GOOD_PASSPHRASE, run_cli

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
STRIPE = EXPORTS / "stripe_customers.csv"
SHOPIFY = EXPORTS / "shopify_customers.csv"
ENV = {"C360_PASSPHRASE": GOOD_PASSPHRASE}
A_MINUTE_AGO = time.time() - 60


@pytest.fixture
def initialised(vault_path):
    assert run_cli("--vault", str(vault_path), "init", env=ENV).returncode == 0
    return vault_path


@pytest.fixture
def folder(tmp_path) -> Path:
    made = tmp_path / "drop"
    made.mkdir()
    return made


def drop(folder: Path, source: Path, name: str, at: float = A_MINUTE_AGO) -> Path:
    target = folder / name
    shutil.copy(source, target)
    os.utime(target, (at, at))
    return target


def count(vault_path: Path, what: str) -> int:
    return json.loads(run_cli("--vault", str(vault_path), "--json", "info", env=ENV).stdout)[what]


# ---------------------------------------------------------------------------- options

@pytest.mark.parametrize("interval", ["-1", "nan", "inf", "0", "0.5", "soon"])
def test_an_interval_that_is_not_at_least_a_second_is_a_usage_error(initialised, folder, interval):
    result = run_cli("--vault", str(initialised), "import", "--watch", str(folder), f"--interval={interval}", env=ENV)
    assert result.returncode == 2 and "--interval" in result.stderr and "internal error" not in result.stderr


def test_the_help_says_the_interval_is_also_how_long_a_file_must_be_still():
    text = " ".join(run_cli("import", "--help").stdout.split())
    assert "how long a file must be unchanged" in text


def test_dry_run_does_not_go_with_watch(initialised, folder):
    drop(folder, STRIPE, "stripe.csv")
    result = run_cli("--vault", str(initialised), "import", "--watch", str(folder), "--once", "--dry-run", env=ENV)
    assert result.returncode == 2 and "--dry-run" in result.stderr and len(result.stderr.splitlines()) == 1
    assert count(initialised, "records") == 0


# ---------------------------------------------------------------------------- --once

def test_once_imports_a_file_dated_in_the_future_after_looking_again(initialised, folder):
    drop(folder, STRIPE, "stripe.csv", at=time.time() + 7200)  # written by a clock two hours ahead
    result = run_cli("--vault", str(initialised), "--json", "import", "--watch", str(folder), "--once",
                     "--interval", "1", env=ENV)
    assert result.returncode == 0, result.stderr
    (line,) = [json.loads(text) for text in result.stdout.splitlines()]
    assert line["file"] == "stripe.csv" and line["inserted"] == 8


def test_once_names_an_empty_file_instead_of_skipping_it_silently(initialised, folder):
    (folder / "customers.csv").write_bytes(b"")
    result = run_cli("--vault", str(initialised), "import", "--watch", str(folder), "--once", "--interval", "1",
                     env=ENV)
    assert result.returncode == 0 and result.stdout.strip() == "customers.csv: it is empty: left for the next run."


def test_a_name_that_is_not_utf8_is_imported_by_watch_and_by_hand(initialised, folder, tmp_path):
    raw = os.path.join(os.fsencode(folder), b"Kunden_M\xe4rz.csv")
    shutil.copy(STRIPE, raw)
    os.utime(raw, (A_MINUTE_AGO, A_MINUTE_AGO))
    drop(folder, SHOPIFY, "shopify.csv")
    watched = run_cli("--vault", str(initialised), "import", "--watch", str(folder), "--once", env=ENV)
    assert watched.returncode == 0, watched.stderr
    assert "Kunden_März.csv: Stripe" in watched.stdout and "shopify.csv: Shopify" in watched.stdout

    by_hand = os.path.join(os.fsencode(tmp_path), b"Kunden_April_M\xe4rz.csv")
    shutil.copy(SHOPIFY, by_hand)
    result = subprocess.run([sys.executable, "-m", "c360_desktop.cli", "--vault", str(initialised), "import", by_hand],
                            capture_output=True, text=True, env={**os.environ, **ENV}, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Kunden_April_März.csv: Shopify")


def test_a_scheduled_run_says_why_an_unknown_layout_was_left(initialised, folder):
    (folder / "members.csv").write_text("Member,Reach\nDana Whitfield,dana.w@example.com\n", encoding="utf-8")
    os.utime(folder / "members.csv", (A_MINUTE_AGO, A_MINUTE_AGO))
    result = run_cli("--vault", str(initialised), "import", "--watch", str(folder), "--once", env=ENV)
    assert result.returncode == 1
    assert result.stdout.strip() == f"members.csv: {watch_module.NEEDS_MAPPING}"
    assert count(initialised, "imports") == 0


# ---------------------------------------------------------------------------- the long-running watcher

def test_the_watcher_keeps_watching_a_folder_that_is_briefly_gone_and_says_so_once(initialised, folder, tmp_path):
    out, err = tmp_path / "out.txt", tmp_path / "err.txt"
    with open(out, "w") as stdout, open(err, "w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "c360_desktop.cli", "--vault", str(initialised), "import", "--watch", str(folder),
             "--interval", "1"], stdout=stdout, stderr=stderr, env={**os.environ, **ENV})
    try:
        time.sleep(1.5)
        folder.rename(tmp_path / "away")
        time.sleep(3)
        (tmp_path / "away").rename(folder)
        drop(folder, STRIPE, "stripe.csv")
        deadline = time.time() + 30
        while time.time() < deadline and process.poll() is None and "import #" not in out.read_text():
            time.sleep(0.5)
        assert process.poll() is None, "the watcher exited"
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert "stripe.csv: Stripe" in out.read_text()
    said = err.read_text()
    assert said.count("does not exist") == 1 and "Still watching" in said


def _run_in_process(capsys, *args) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_ctrl_c_during_an_import_says_what_was_kept(initialised, folder, monkeypatch, capsys):
    monkeypatch.setenv("C360_PASSPHRASE", GOOD_PASSPHRASE)
    drop(folder, SHOPIFY, "a_shopify.csv")
    drop(folder, STRIPE, "b_stripe.csv")
    real_import = watch_module.run_import

    def interrupted_at_the_second(vault, plan, **kwargs):
        if plan.table.file_name == "b_stripe.csv":
            raise KeyboardInterrupt
        return real_import(vault, plan, **kwargs)

    monkeypatch.setattr(watch_module, "run_import", interrupted_at_the_second)
    code, out, err = _run_in_process(capsys, "--vault", str(initialised), "import", "--watch", str(folder))
    assert code == 130 and "a_shopify.csv: Shopify" in out
    assert err.strip() == ("c360: stopped watching: the file being imported was rolled back; it is imported at the "
                           "next run; the file imported before stays in the vault.")
    assert count(initialised, "records") == 14


def test_ctrl_c_during_matching_says_the_imports_stay(initialised, folder, monkeypatch, capsys):
    monkeypatch.setenv("C360_PASSPHRASE", GOOD_PASSPHRASE)
    drop(folder, SHOPIFY, "a_shopify.csv")
    drop(folder, STRIPE, "b_stripe.csv")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(engine, "run_match", interrupted)
    code, _out, err = _run_in_process(capsys, "--vault", str(initialised), "import", "--watch", str(folder), "--once")
    assert code == 130 and "nothing was changed" not in err
    assert "matching was stopped" in err and "the 2 files imported before stay in the vault" in err


# ---------------------------------------------------------------------------- CLI manners

def test_a_reader_that_closes_the_pipe_early_is_not_an_error(initialised):
    process = subprocess.Popen([sys.executable, "-m", "c360_desktop.cli", "--vault", str(initialised), "info"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, **ENV})
    process.stdout.close()  # `c360 info | head -0`
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141 and err == ""


def test_undo_says_what_it_did_in_words(initialised, folder):
    drop(folder, STRIPE, "stripe.csv")
    assert run_cli("--vault", str(initialised), "import", str(folder / "stripe.csv"), env=ENV).returncode == 0
    result = run_cli("--vault", str(initialised), "imports", "undo", "1", "--yes", env=ENV)
    assert result.returncode == 0 and "{" not in result.stdout
    assert result.stdout.startswith("Import #1 undone: 8 records removed, 0 records put back as they were")
