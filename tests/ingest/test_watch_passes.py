"""Watched-folder passes that meet trouble: an interrupted match, a file that vanishes, is unreadable, changes
while the pass runs or has an unknown layout, a name that is not UTF-8, an undone import, a full disk."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from c360_desktop.core.errors import StorageFailed
from c360_desktop.core.identity import engine
from c360_desktop.core.ingest import watch as watch_module
from c360_desktop.core.ingest.history import undo_import
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import plan_import
from c360_desktop.core.ingest.watch import (
    NEEDS_MAPPING,
    FolderWatch,
    WatchedFolderError,
    has_unmatched_records,
)

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
SHOPIFY = EXPORTS / "shopify_customers.csv"
STRIPE = EXPORTS / "stripe_customers.csv"
ZENDESK = EXPORTS / "zendesk_users.csv"
START = 1_000_000.0


class FakeClock:
    def __init__(self, start: float = START):
        self.now = start

    def __call__(self) -> float:
        return self.now


def drop(folder: Path, source: Path, name: str, at: float = START - 60) -> Path:
    """Copy an export into the folder with a modification time well before the watch's clock."""
    target = folder / name
    shutil.copy(source, target)
    os.utime(target, (at, at))
    return target


def records_without_profile(vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM source_records WHERE id NOT IN"
                              " (SELECT record_id FROM profile_members)").fetchone()[0]


@pytest.fixture
def folder(tmp_path) -> Path:
    made = tmp_path / "drop"
    made.mkdir()
    return made


@pytest.fixture
def watch(folder) -> FolderWatch:
    return FolderWatch(folder, settle_seconds=5, clock=FakeClock())


def _disk_full(*args, **kwargs):
    raise StorageFailed("The disk is full: nothing was changed.")


# ---------------------------------------------------------------------------- 1. an interrupted match

def test_records_a_killed_pass_left_unmatched_are_matched_by_the_next_run(vault, folder):
    drop(folder, SHOPIFY, "shopify.csv")
    FolderWatch(folder, clock=FakeClock()).import_settled(vault, match=False)  # killed as matching began
    assert records_without_profile(vault) == 14 and has_unmatched_records(vault.conn)

    assert FolderWatch(folder, clock=FakeClock()).import_settled(vault) == []  # the next scheduled run
    assert records_without_profile(vault) == 0 and not has_unmatched_records(vault.conn)


def test_a_match_that_failed_is_said_once_and_run_again_at_the_next_pass(vault, folder, watch, monkeypatch):
    drop(folder, SHOPIFY, "shopify.csv")
    real_match = engine.run_match

    monkeypatch.setattr(engine, "run_match", _disk_full)
    first = watch.import_settled(vault)
    assert [r.file for r in first] == ["shopify.csv", None]
    assert first[1].error.startswith("Matching did not finish: The disk is full")
    assert watch.import_settled(vault) == []  # said once
    monkeypatch.setattr(engine, "run_match", real_match)
    watch.import_settled(vault)
    assert records_without_profile(vault) == 0


# ---------------------------------------------------------------------------- 2. one bad file, not the pass

def test_a_file_removed_during_the_pass_is_named_and_the_others_are_imported_and_matched(
        vault, folder, watch, monkeypatch):
    drop(folder, SHOPIFY, "a_shopify.csv")
    doomed = drop(folder, STRIPE, "b_stripe.csv")
    drop(folder, ZENDESK, "c_zendesk.csv")
    real_import = watch_module.run_import

    def import_then_remove(vault, plan, **kwargs):
        if doomed.exists():
            doomed.unlink()  # a sync client tidies up while the first file is imported
        return real_import(vault, plan, **kwargs)

    monkeypatch.setattr(watch_module, "run_import", import_then_remove)
    results = watch.import_settled(vault)
    assert [(r.file, r.error) for r in results] == [
        ("a_shopify.csv", None), ("b_stripe.csv", "it was removed before it could be imported."),
        ("c_zendesk.csv", None)]
    assert records_without_profile(vault) == 0 and vault.count("profiles") > 0


def deny_reading(monkeypatch, file_name: str) -> None:
    """Reading ``file_name`` fails as a file without read permission does (also when the tests run as root)."""
    real_plan = watch_module.plan_import

    def denied(path, *args, **kwargs):
        if Path(path).name == file_name:
            raise PermissionError(13, "Permission denied", str(path))
        return real_plan(path, *args, **kwargs)

    monkeypatch.setattr(watch_module, "plan_import", denied)


def test_an_unreadable_file_is_named_once_tried_again_and_does_not_stop_the_pass(vault, folder, watch, monkeypatch):
    drop(folder, SHOPIFY, "a_shopify.csv")
    drop(folder, STRIPE, "b_private.csv")
    drop(folder, ZENDESK, "c_zendesk.csv")
    deny_reading(monkeypatch, "b_private.csv")
    results = watch.import_settled(vault)
    assert [r.file for r in results] == ["a_shopify.csv", "b_private.csv", "c_zendesk.csv"]
    problem = results[1].error
    assert "not allowed to read it" in problem and "Error" not in problem and "\n" not in problem
    assert records_without_profile(vault) == 0 and vault.count("imports") == 2
    assert watch.import_settled(vault) == []  # the same problem is not said at every pass
    monkeypatch.undo()  # the owner fixed the permissions
    assert [r.file for r in watch.import_settled(vault) if r.report] == ["b_private.csv"]


def test_an_unreadable_folder_is_a_folder_problem_that_names_it(folder, monkeypatch):
    def denied(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", denied)
    with pytest.raises(WatchedFolderError) as caught:
        FolderWatch(folder).candidates()
    assert str(folder) in str(caught.value) and "permission denied" in str(caught.value)


# ---------------------------------------------------------------------------- 3. changed while the pass runs

def test_a_file_rewritten_while_an_earlier_file_is_imported_waits_to_settle_again(vault, folder, watch, monkeypatch):
    drop(folder, SHOPIFY, "a_shopify.csv")
    later = drop(folder, STRIPE, "b_stripe.csv")
    content = STRIPE.read_bytes()
    real_import = watch_module.run_import

    def import_while_the_tool_rewrites(vault, plan, **kwargs):
        if plan.table.file_name == "a_shopify.csv":
            later.write_bytes(content[:400])  # the tool starts overwriting it in place
            os.utime(later, (watch.clock(), watch.clock()))
        return real_import(vault, plan, **kwargs)

    monkeypatch.setattr(watch_module, "run_import", import_while_the_tool_rewrites)
    assert [r.file for r in watch.import_settled(vault)] == ["a_shopify.csv"]
    assert [r.file for r in watch.still_waiting()] == ["b_stripe.csv"]  # a run ending now names it
    later.write_bytes(content)
    os.utime(later, (watch.clock(), watch.clock()))
    watch.clock.now += 6
    (result,) = watch.import_settled(vault)
    assert result.file == "b_stripe.csv" and result.report.rows == 8


def test_a_file_written_to_while_it_is_read_is_rolled_back_and_read_again_when_still(vault, folder, watch):
    target = drop(folder, STRIPE, "stripe.csv")
    content = STRIPE.read_bytes()
    target.write_bytes(content[:400])
    os.utime(target, (START - 60, START - 60))
    appended = []

    def tool_finishes_writing() -> bool:  # the owner's cancel, asked while the file is read
        if not appended:
            target.write_bytes(content)
            os.utime(target, (watch.clock(), watch.clock()))
            appended.append(True)
        return False

    assert watch.import_settled(vault, cancelled=tool_finishes_writing) == []
    assert vault.count("imports") == 0 and vault.count("source_records") == 0
    assert [r.file for r in watch.still_waiting()] == ["stripe.csv"]
    watch.clock.now += 6
    (result,) = watch.import_settled(vault)
    assert result.report.rows == 8


# ---------------------------------------------------------------------------- 4. a name that is not UTF-8

def test_a_file_name_that_is_not_utf8_is_imported_under_a_readable_name(vault, folder, watch):
    raw = os.path.join(os.fsencode(folder), b"Kunden_M\xe4rz.csv")
    with open(raw, "wb") as handle:
        handle.write(STRIPE.read_bytes())
    os.utime(raw, (START - 60, START - 60))
    (result,) = watch.import_settled(vault)
    assert result.file == "Kunden_März.csv" and result.report.inserted == 8
    names = {row[0] for row in vault.conn.execute("SELECT file_name FROM imports UNION SELECT file_name"
                                                    " FROM source_records")}
    assert names == {"Kunden_März.csv"}


# ---------------------------------------------------------------------------- 5. an undo sticks

def test_an_undone_watched_import_stays_undone_until_the_file_changes(vault, folder):
    target = drop(folder, STRIPE, "stripe.csv")
    (result,) = FolderWatch(folder, clock=FakeClock()).import_settled(vault)
    undo_import(vault, result.report.import_id)
    assert FolderWatch(folder, clock=FakeClock()).import_settled(vault) == []  # the next scheduled run
    assert vault.count("source_records") == 0
    with open(target, "a", encoding="utf-8") as handle:
        handle.write(STRIPE.read_text(encoding="utf-8").splitlines()[1].replace("cus_", "cus_X") + "\n")
    os.utime(target, (START - 30, START - 30))
    (again,) = FolderWatch(folder, clock=FakeClock()).import_settled(vault)
    assert again.report.inserted == 9


# ---------------------------------------------------------------------------- 7. a passing failure is retried

def test_an_import_stopped_by_a_full_disk_is_tried_again_at_the_next_pass(vault, folder, watch, monkeypatch):
    drop(folder, STRIPE, "stripe.csv")
    real_import = watch_module.run_import

    monkeypatch.setattr(watch_module, "run_import", _disk_full)
    (failed,) = watch.import_settled(vault)
    assert failed.file == "stripe.csv" and failed.error.startswith("The disk is full")
    assert watch.import_settled(vault) == []  # still full: tried, not said again
    monkeypatch.setattr(watch_module, "run_import", real_import)  # space freed
    (result,) = watch.import_settled(vault)
    assert result.report.inserted == 8


# ---------------------------------------------------------------------------- 9. a time in the future

def test_a_file_dated_in_the_future_is_imported_once_unchanged_for_the_settle_time(vault, folder, watch):
    drop(folder, STRIPE, "stripe.csv", at=START + 7200)  # a clock two hours ahead wrote it
    assert watch.import_settled(vault) == []
    assert [r.file for r in watch.still_waiting()] == ["stripe.csv"]
    watch.clock.now += 5
    (result,) = watch.import_settled(vault)
    assert result.report.inserted == 8 and watch.still_waiting() == []


# ---------------------------------------------------------------------------- 10. only confirmed mappings

UNKNOWN_LAYOUT = ("Member,Reach,Since\n"
                  "Dana Whitfield,dana.w@example.com,2021-04-01\n"
                  "Maya Okafor,maya@example.com,2022-01-09\n")


def test_an_unknown_layout_is_reported_not_imported_on_a_guess(vault, folder, watch):
    target = folder / "members.csv"
    target.write_text(UNKNOWN_LAYOUT, encoding="utf-8")
    os.utime(target, (START - 60, START - 60))
    (result,) = watch.import_settled(vault)
    assert result.file == "members.csv" and result.error == NEEDS_MAPPING and result.report is None
    assert vault.count("imports") == 0 and vault.conn.execute("SELECT count(*) FROM mappings").fetchone()[0] == 0
    assert watch.import_settled(vault) == []  # said once while the file is unchanged

    run_import(vault, plan_import(target, conn=vault.conn))  # the owner imports it by hand once
    later = folder / "members_june.csv"
    later.write_text(UNKNOWN_LAYOUT.replace("Dana Whitfield", "Dana Whitfield-Ross"), encoding="utf-8")
    os.utime(later, (START - 60, START - 60))
    (imported,) = watch.import_settled(vault)
    assert imported.file == "members_june.csv" and imported.report.rows == 2
