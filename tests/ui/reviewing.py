"""Helpers of the review GUI tests: a matched vault built once from the fixture exports, then copied per test.

The fixture exports hold namesakes, households and shared mailboxes, so the
queue is never empty. Two more records make a realistic doubtful pair: a typo
in the surname, a nickname, the same phone written two ways, and different
birth dates (which always waits for a person, whatever the score).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import PASSPHRASE, unlock_with

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
NOT_EXPORTS = {"garbage.bin", "empty.csv", "ground_truth.csv"}
TIMEOUT = 20_000

KATHERINE = {"id": "k1", "first": "Katherine", "last": "Wrenn", "email": "kate.wren@example.com",
             "phone": "(512) 555-0100", "zip": "73301", "city": "Austin", "birth": "1986-04-12"}
KATE = {"id": "c1", "first": "Kate", "last": "Wren", "email": "k.wren@example.org", "phone": "+1 512.555.0100",
        "zip": "73301", "city": "Austin", "birth": "1968-11-02"}


def import_exports(vault, folder: Path, *, match: bool = True) -> tuple[int, int]:
    """Every fixture export and the Kate pair into ``vault``; returns the two Kate record ids."""
    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import plan_import
    from tests.identity.helpers import import_people

    for path in sorted(EXPORTS.iterdir()):
        if path.name not in NOT_EXPORTS:
            run_import(vault, plan_import(path, conn=vault.conn))
    katherine = import_people(vault, folder, "shop_extra", [KATHERINE])["k1"]
    kate = import_people(vault, folder, "crm", [KATE])["c1"]
    if match:
        run_match(vault)
    return katherine, kate


def _build(folder: Path, match: bool) -> Path:
    from c360_desktop.core.vault import Vault

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "shop.c360"
    vault, _key = Vault.create(path, PASSPHRASE)
    try:
        import_exports(vault, folder, match=match)
    finally:
        vault.close()
    return path


@pytest.fixture(scope="session")
def matched_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("review-template"), match=True)


@pytest.fixture(scope="session")
def unmatched_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("unmatched-template"), match=False)


def copy_vault(template: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", ".key"):
        source = Path(str(template) + suffix)
        if source.exists():
            shutil.copyfile(source, Path(str(target) + suffix))
    return target


def kate_ids(vault) -> tuple[int, int]:
    rows = dict(vault.conn.execute("SELECT source, id FROM source_records WHERE source IN ('sheet:shop_extra',"
                                   " 'sheet:crm')").fetchall())
    return rows["sheet:shop_extra"], rows["sheet:crm"]


def open_review(qtbot, controller_factory, path: Path):
    """Start the app on ``path``, unlock it, show the Review page with the keyboard focus in the queue."""
    controller = controller_factory(path)
    controller.start()
    unlock_with(qtbot, controller.unlock_dialog.panel, PASSPHRASE)
    qtbot.waitUntil(lambda: controller.window is not None and controller.window.isVisible(), timeout=5000)
    window = controller.window
    window.page_actions[1].trigger()
    page = window.review_page
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow(), timeout=2000)
    page.focus_queue()
    return controller, window, page


def select_pair(page, pair_id: int) -> None:
    row = page.model.row_of(pair_id)
    while row < 0 and page.model.canFetchMore():
        page.model.fetchMore()
        row = page.model.row_of(pair_id)
    assert row >= 0, pair_id
    page._select_row(row)
    assert page.current_pair.id == pair_id


def wait_idle(qtbot, page) -> None:
    from c360_desktop.ui import tasks

    qtbot.waitUntil(lambda: page.jobs_in_flight == 0, timeout=TIMEOUT)
    tasks.wait_for_all(TIMEOUT)
    qtbot.wait(20)


def standing_decisions(vault) -> list[tuple[int, int, str, str]]:
    """The owner's standing decisions, without the follow-ons a "not the same person" decided with them."""
    return vault.conn.execute("SELECT left_id, right_id, decision, origin FROM match_decisions"
                              " WHERE undone_at IS NULL AND with_decision IS NULL ORDER BY id").fetchall()


def profile_of(vault, record_id: int) -> int | None:
    row = vault.conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()
    return row[0] if row else None
