"""Settings > Matching (thresholds with a live preview, rule switches) and Run matching with progress and Cancel."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from c360_desktop.core import audit
from c360_desktop.core.identity.engine import MatchSettings, threshold_preview
from c360_desktop.core.identity.engine import run_match as real_run_match
from c360_desktop.core.identity.review import count_pending
from c360_desktop.ui import matching as matching_module

from .reviewing import (  # noqa: F401 - fixtures
    TIMEOUT,
    copy_vault,
    matched_template,
    open_review,
    unmatched_template,
)


@pytest.fixture
def matched(qtbot, controller_factory, matched_template, vault_path):  # noqa: F811
    controller, window, page = open_review(qtbot, controller_factory, copy_vault(matched_template, vault_path))
    return controller.session.vault, window


def _section(qtbot, window):
    window.show_page(window.pages.index(window.settings_page))
    section = window.settings_page.matching
    qtbot.waitUntil(lambda: section.previews >= 1 and not section._preview_running, timeout=TIMEOUT)
    return section


def _counts(section) -> dict:
    return {key: int(tile.count.text().replace(",", "")) for key, tile in section.tiles.items()}


def _moved(before: dict, after: dict) -> dict:
    return {band: after[band] - before[band] for band in before}


def test_the_preview_follows_the_sliders_and_apply_moves_pairs(qtbot, matched):
    vault, window = matched
    section = _section(qtbot, window)
    assert section.thresholds() == (0.97, 0.6)
    start = _counts(section)
    assert start["review"] == count_pending(vault.conn)  # the queue itself
    assert not section.apply_button.isEnabled()  # nothing to apply yet

    seen = section.previews
    section.auto_slider.setValue(999)  # merge automatically only at 99.9 %
    qtbot.waitUntil(lambda: section.previews > seen, timeout=TIMEOUT)
    stricter = _counts(section)
    assert _moved(start, stricter) == _moved(threshold_preview(vault.conn, 0.97, 0.6),
                                             threshold_preview(vault.conn, 0.999, 0.6))
    assert stricter["auto_merge"] < start["auto_merge"] and stricter["review"] > start["review"]
    moved = start["auto_merge"] - stricter["auto_merge"]
    assert section.tiles["auto_merge"].change.text() == f"−{moved:,} pairs"
    assert section.auto_value.text() == "99.9%"

    seen = section.previews
    section.review_slider.setValue(900)
    qtbot.waitUntil(lambda: section.previews > seen, timeout=TIMEOUT)
    assert _moved(start, _counts(section)) == _moved(threshold_preview(vault.conn, 0.97, 0.6),
                                                     threshold_preview(vault.conn, 0.999, 0.9))
    assert _counts(section)["separate"] > start["separate"]
    assert vault.conn.execute("SELECT count(*) FROM match_pairs WHERE status = 'pending'").fetchone()[0] \
        == count_pending(vault.conn)  # nothing moved before Apply
    assert MatchSettings.load(vault).auto_threshold == 0.97

    preview = _counts(section)
    assert section.apply_button.isEnabled()
    with qtbot.waitSignal(section.changed, timeout=TIMEOUT):
        qtbot.mouseClick(section.apply_button, Qt.MouseButton.LeftButton)
    saved = MatchSettings.load(vault)
    assert (saved.auto_threshold, saved.review_threshold) == (0.999, 0.9)
    queued = count_pending(vault.conn)
    assert 0 < queued <= preview["review"]  # pairs already joined through other links are not asked about
    assert "Thresholds saved" in section.message.text()
    qtbot.waitUntil(lambda: window.review_page.model.total == queued, timeout=TIMEOUT)
    assert f"{queued:,} waiting for your review" in section.message.text()
    qtbot.waitUntil(lambda: _counts(section)["review"] == queued, timeout=TIMEOUT)
    assert "match_thresholds_changed" in [e.action for e in audit.entries(vault.conn, 20)]


def test_settings_the_status_bar_and_the_queue_count_the_same_waiting_pairs(qtbot, matched):
    """A merge joins two profiles: pairs between them no longer wait, others now do. The band preview counts
    by score alone; Settings must show what the queue holds."""
    vault, window = matched
    page = window.review_page
    window.show_page(window.pages.index(page))
    with qtbot.waitSignal(page.data_changed, timeout=TIMEOUT):
        assert page.decide_current("merge")
    waiting = count_pending(vault.conn)
    assert waiting != threshold_preview(vault.conn, 0.97, 0.6)["review"], "the case this test is about"

    section = _section(qtbot, window)
    assert _counts(section)["review"] == waiting == page.model.total
    assert f"{waiting:,} pending reviews" in window.counts_label.text()
    assert all(tile.change.text() == "" for tile in section.tiles.values())  # the sliders did not move


def test_the_review_threshold_stays_below_the_auto_merge_one(qtbot, matched):
    vault, window = matched
    section = _section(qtbot, window)
    section.auto_slider.setValue(700)
    section.review_slider.setValue(900)
    auto, review = section.thresholds()
    assert review < auto and auto == 0.91
    section.restore_defaults()
    assert section.thresholds() == (0.97, 0.6)


def test_rule_switches_are_saved_for_the_next_run(qtbot, matched):
    vault, window = matched
    section = _section(qtbot, window)
    assert section.rule_phone.isChecked() and section.rule_email.isChecked() and section.rule_gmail.isChecked()
    with qtbot.waitSignal(section.changed, timeout=TIMEOUT):
        section.rule_phone.setChecked(False)
    assert MatchSettings.load(vault).rules.phone is False
    assert MatchSettings.load(vault).auto_threshold == 0.97
    with qtbot.waitSignal(section.changed, timeout=TIMEOUT):
        section.rule_email.setChecked(False)
    assert not section.rule_gmail.isEnabled()
    assert MatchSettings.load(vault).rules.email is False


def test_run_matching_from_the_menu_fills_the_queue(qtbot, controller_factory, unmatched_template, vault_path):  # noqa: F811
    controller, window, page = open_review(qtbot, controller_factory, copy_vault(unmatched_template, vault_path))
    vault = controller.session.vault
    assert page.views.currentWidget() is page.nothing and page.model.total == 0
    assert window.action_run_matching.shortcut().toString() == "Ctrl+M"
    with qtbot.waitSignal(window.match_runner.finished, timeout=TIMEOUT):
        window.action_run_matching.trigger()
        assert window.match_runner.busy and page.progress.isVisible() and not page.run_button.isEnabled()
    qtbot.wait(20)
    assert not page.progress.isVisible()
    pending = count_pending(vault.conn)
    assert pending > 0 and page.model.total == pending and page.current_pair is not None
    assert "Matching done" in page.message.text() and f"{pending:,} pairs wait" in page.message.text()
    assert f"{pending:,} pending reviews" in window.counts_label.text()
    assert vault.count("profiles") > 0


def test_cancel_leaves_the_vault_unchanged(qtbot, controller_factory, matched_template, vault_path, monkeypatch, tmp_path):  # noqa: F811
    from tests.identity.helpers import import_people

    controller, window, page = open_review(qtbot, controller_factory, copy_vault(matched_template, vault_path))
    vault = controller.session.vault
    import_people(vault, tmp_path, "late", [{"id": "l1", "first": "Kate", "last": "Wren", "phone": "512-555-0100"}])
    reached, resume = threading.Event(), threading.Event()

    def paused_run_match(*args, progress=None, **kwargs):
        def report(stage, done, total):
            if stage == "comparing" and not reached.is_set():
                reached.set()
                resume.wait(10)
            if progress:
                progress(stage, done, total)
        return real_run_match(*args, progress=report, **kwargs)

    monkeypatch.setattr(matching_module, "run_match", paused_run_match)

    def snapshot():
        conn = vault.conn
        return (conn.execute("SELECT * FROM match_pairs ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM profile_members ORDER BY record_id").fetchall(),
                conn.execute("SELECT * FROM profiles ORDER BY id").fetchall(),
                conn.execute("SELECT value FROM settings WHERE key = 'match_model'").fetchall(),
                [e.action for e in audit.entries(conn, 10_000)])

    before = snapshot()
    settings_progress = window.settings_page.matching.progress
    qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=TIMEOUT)
    assert page.progress.isVisible() and settings_progress.runner is window.match_runner
    assert not page.merge_button.isEnabled()  # no decisions while matching
    with qtbot.waitSignal(window.match_runner.cancelled, timeout=TIMEOUT):
        qtbot.mouseClick(page.progress.cancel_button, Qt.MouseButton.LeftButton)
        assert page.progress.cancel_button.text() == "Cancelling…"
        resume.set()
    qtbot.wait(20)
    assert snapshot() == before
    assert not page.progress.isVisible() and "cancelled" in page.message.text()
    assert page.merge_button.isEnabled() and page.run_button.isEnabled()
