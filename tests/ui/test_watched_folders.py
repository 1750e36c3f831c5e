"""Watched folders while the app runs: a new export is imported, announced and listed; lock stops the watch."""

from __future__ import annotations

import os
import shutil
import time

from c360_desktop.core.identity import engine
from c360_desktop.core.identity.engine import MatchCancelled
from c360_desktop.core.ingest.history import list_imports

from tests.ingest.test_watch_passes import deny_reading

from .conftest import PASSPHRASE, unlock_with
from .importing import EXPORTS, SHOPIFY


def _fast_watcher(window):
    """The Imports page and its watcher, scanning every 0.1 s and taking a file still for 0.2 s as settled."""
    page = window.imports_page
    page.watcher.set_interval_ms(100)
    page.watcher.settle_seconds = 0.2
    return page, page.watcher


def test_a_file_copied_into_a_watched_folder_is_imported_and_announced(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    page, watcher = _fast_watcher(window)
    folder = tmp_path / "exports"
    folder.mkdir()
    assert page.add_folder(folder)
    assert watcher.running

    shutil.copy(SHOPIFY, folder / "shopify_customers.csv")
    (folder / "~$lock.csv").write_text("x", encoding="utf-8")  # an Office lock file is not an export
    qtbot.waitUntil(lambda: page.model.rowCount() == 1, timeout=15_000)
    vault = controller.session.vault
    assert vault.count("source_records") == 14
    assert [s.file_name for s in list_imports(vault.conn)] == ["shopify_customers.csv"]
    assert page.model.data(page.model.index(0, 0)) == "shopify_customers.csv"
    # Announced: a notification (tray) or, without a tray, the status bar and the page's activity list.
    message = page.notifier.last_message
    assert message.startswith("Imported shopify_customers.csv") and "14 added" in message
    assert "@" not in message
    assert page.activity.count() == 1 and "14 added" in page.activity.item(0).text()
    assert "Watching 1 folder" in page.watch_status.text()
    assert "14 records" in window.counts_label.text()

    # The same content is not imported twice.
    qtbot.wait(600)
    assert vault.count("imports") == 1

    # Locking stops the watch; unlocking resumes it.
    window.lock("user")
    assert not watcher.running and page.activity.count() == 0
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: controller.session.is_unlocked, timeout=5000)
    assert watcher.running
    shutil.copy(SHOPIFY, folder / "second.csv")
    with open(folder / "second.csv", "a", encoding="utf-8") as handle:
        handle.write("'9999999999999,New,Person,new.person@example.com,no,,,,,,,,,,no,0.00,0,,no,\n")
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=15_000)
    assert controller.session.vault.count("source_records") == 15
    assert "second.csv" in page.notifier.last_message and "1 added" in page.notifier.last_message


def test_a_missing_watched_folder_is_reported_once(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    page = window.imports_page
    watcher = page.watcher
    watcher.set_interval_ms(50)
    folder = tmp_path / "soon-gone"
    folder.mkdir()
    assert page.add_folder(folder)
    folder.rmdir()
    qtbot.waitUntil(lambda: page.activity.count() == 1, timeout=10_000)
    assert "does not exist" in page.activity.item(0).text()
    qtbot.wait(400)
    assert page.activity.count() == 1, "said once, not at every tick"
    assert "a problem" in page.watch_status.text()


def _records_without_profile(vault) -> int:
    return vault.conn.execute("SELECT count(*) FROM source_records WHERE id NOT IN"
                              " (SELECT record_id FROM profile_members)").fetchone()[0]


def test_records_a_cancelled_match_left_unmatched_are_matched_after_unlock(qtbot, unlocked_window, tmp_path,
                                                                          monkeypatch):
    controller, window = unlocked_window(profiles=0)
    page, watcher = _fast_watcher(window)
    real_match = engine.run_match
    cancelled = []

    def cancelled_by_a_lock(*args, **kwargs):
        if not cancelled:
            cancelled.append(True)
            raise MatchCancelled()
        return real_match(*args, **kwargs)

    monkeypatch.setattr(engine, "run_match", cancelled_by_a_lock)
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SHOPIFY, folder / "shopify_customers.csv")
    assert page.add_folder(folder)
    qtbot.waitUntil(lambda: bool(cancelled), timeout=15_000)
    assert _records_without_profile(controller.session.vault) == 14
    window.lock("user")
    unlock_with(qtbot, window.lock_screen.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: controller.session.is_unlocked, timeout=5000)
    qtbot.waitUntil(lambda: _records_without_profile(controller.session.vault) == 0, timeout=15_000)
    assert controller.session.vault.count("imports") == 1


def test_an_unreadable_file_is_announced_by_name_and_the_others_are_imported(qtbot, unlocked_window, tmp_path,
                                                                            monkeypatch):
    controller, window = unlocked_window(profiles=0)
    page, watcher = _fast_watcher(window)
    deny_reading(monkeypatch, "b_private.csv")
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(SHOPIFY, folder / "a_shopify.csv")
    shutil.copy(EXPORTS / "stripe_customers.csv", folder / "b_private.csv")
    old = time.time() - 60
    for name in ("a_shopify.csv", "b_private.csv"):
        os.utime(folder / name, (old, old))
    assert page.add_folder(folder)
    qtbot.waitUntil(lambda: page.activity.count() == 2, timeout=15_000)
    said = sorted(page.activity.item(i).text() for i in range(2))
    assert "Imported a_shopify.csv" in said[0] and "14 added" in said[0]
    assert "b_private.csv" in said[1] and "not allowed to read it" in said[1] and "Error" not in said[1]
    vault = controller.session.vault
    assert vault.count("imports") == 1 and _records_without_profile(vault) == 0
    qtbot.wait(500)
    assert page.activity.count() == 2, "the same problem is said once"
