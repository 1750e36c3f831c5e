"""Watched folders while the app runs: a new export is imported, announced and listed; lock stops the watch."""

from __future__ import annotations

import shutil

from c360_desktop.core.ingest.history import list_imports

from .conftest import PASSPHRASE, unlock_with
from .importing import SHOPIFY


def test_a_file_copied_into_a_watched_folder_is_imported_and_announced(qtbot, unlocked_window, tmp_path):
    controller, window = unlocked_window(profiles=0)
    page = window.imports_page
    watcher = page.watcher
    watcher.set_interval_ms(100)
    watcher.settle_seconds = 0.2
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
