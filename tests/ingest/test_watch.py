"""Watched folders: new and changed exports are imported once, half-written ones wait."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from c360_desktop.core.ingest.watch import FolderWatch
from tests.conftest import GOOD_PASSPHRASE, run_cli

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"


class FakeClock:
    def __init__(self, start: float):
        self.now = start

    def __call__(self) -> float:
        return self.now


def _drop_folder(tmp_path, start: float) -> tuple:
    """A watched folder with a clock the test moves: (folder, clock, watch)."""
    folder = tmp_path / "drop"
    folder.mkdir()
    clock = FakeClock(start)
    return folder, clock, FolderWatch(folder, settle_seconds=5, clock=clock)


def _written(path, content: bytes, when: float) -> None:
    path.write_bytes(content)
    os.utime(path, (when, when))


def test_new_file_waits_until_it_stops_changing_then_imports_once(vault, tmp_path):
    folder, clock, watch = _drop_folder(tmp_path, 1_000_000.0)
    target = folder / "customers_export.csv"
    shutil.copy(EXPORTS / "shopify_customers.csv", target)
    os.utime(target, (clock.now, clock.now))  # just written
    assert watch.import_settled(vault) == []
    clock.now += 6
    results = watch.import_settled(vault)
    assert [r.file for r in results] == ["customers_export.csv"] and results[0].report.inserted == 14
    assert vault.count("profiles") > 0  # matched right after the import
    clock.now += 6
    assert watch.import_settled(vault) == []  # not again


def test_growing_file_is_not_read_and_identical_copy_is_skipped(vault, tmp_path):
    folder, clock, watch = _drop_folder(tmp_path, 2_000_000.0)
    target = folder / "orders.csv"
    content = (EXPORTS / "shopify_orders.csv").read_bytes()
    _written(target, content[: len(content) // 2], clock.now)
    watch.import_settled(vault)
    clock.now += 3
    _written(target, content, clock.now)
    assert watch.import_settled(vault) == []  # it changed: the clock starts again
    clock.now += 6
    assert [r.report.rows for r in watch.import_settled(vault)] == [12]
    copy = folder / "orders copy.csv"
    _written(copy, content, clock.now - 60)
    assert watch.import_settled(vault) == []  # same content as an import already in the vault


def test_office_lock_and_hidden_files_are_ignored(tmp_path):
    (tmp_path / "~$book.xlsx").write_bytes(b"x")
    (tmp_path / ".hidden.csv").write_bytes(b"x")
    (tmp_path / "notes.pdf").write_bytes(b"x")
    assert FolderWatch(tmp_path).candidates() == []


def test_cli_watch_once_imports_the_folder(vault_path, tmp_path):
    env = {"C360_PASSPHRASE": GOOD_PASSPHRASE}
    assert run_cli("--vault", str(vault_path), "init", env=env).returncode == 0
    folder = tmp_path / "drop"
    folder.mkdir()
    for name in ("shopify_customers.csv", "klaviyo_profiles.csv"):
        shutil.copy(EXPORTS / name, folder / name)
        os.utime(folder / name, (1_000_000, 1_000_000))
    result = run_cli("--vault", str(vault_path), "--json", "import", "--watch", str(folder), "--once",
                     "--interval", "1", env=env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert sorted(line["preset"] for line in lines) == ["klaviyo_profiles", "shopify_customers"]
    again = run_cli("--vault", str(vault_path), "--json", "import", "--watch", str(folder), "--once", env=env)
    assert again.returncode == 0 and again.stdout == ""


def test_a_file_cut_off_mid_line_waits_a_minute_of_quiet_before_it_is_read(vault, tmp_path):
    """A writer that pauses longer than the settle time mid-line leaves a file without a final line break."""
    folder, clock, watch = _drop_folder(tmp_path, 3_000_000.0)
    target = folder / "customers_export.csv"
    content = (EXPORTS / "shopify_customers.csv").read_bytes()
    cut = content.rindex(b"\n", 0, len(content) // 2) + 20  # in the middle of a row
    _written(target, content[:cut], clock.now)
    clock.now += 6
    assert watch.import_settled(vault) == [] and vault.count("source_records") == 0
    assert "no line break" in watch.still_waiting()[0].waiting
    clock.now += 20
    _written(target, content, clock.now)  # the writer goes on and finishes
    clock.now += 6
    assert [r.report.inserted for r in watch.import_settled(vault)] == [14]


def test_a_finished_file_without_a_final_line_break_is_imported_after_a_minute(vault, tmp_path):
    folder, clock, watch = _drop_folder(tmp_path, 4_000_000.0)
    fresh, old = folder / "fresh.csv", folder / "old.csv"
    content = (EXPORTS / "shopify_customers.csv").read_bytes().rstrip(b"\r\n")
    _written(fresh, content, clock.now)
    _written(old, content[:content.rindex(b"\n")], clock.now - 3600)  # other content, still for an hour
    assert [r.file for r in watch.import_settled(vault)] == ["old.csv"]
    clock.now += 30
    assert watch.import_settled(vault) == []
    clock.now += 31
    assert [r.file for r in watch.import_settled(vault)] == ["fresh.csv"]


def test_only_a_line_break_as_the_last_character_marks_a_finished_text_file(tmp_path):
    from c360_desktop.core.ingest.watch import ends_mid_line

    cases = {"done.csv": b"a,b\nAnn,1\n", "cut.csv": b"a,b\nAnn,1\nb", "cr.csv": b"a,b\rAnn,1\r",
             "u16.csv": "a,b\nAnn,1\n".encode("utf-16"), "u16cut.csv": "a,b\nAnn,\u010a".encode("utf-16"),
             "u16be.csv": "a,b\nAnn,1\n".encode("utf-16-be").join([b"\xfe\xff", b""]), "book.xlsx": b"PK\x03\x04"}
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    cut = {name for name in cases if ends_mid_line(tmp_path / name)}
    assert cut == {"cut.csv", "u16cut.csv"}
