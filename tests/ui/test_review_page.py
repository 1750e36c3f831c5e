"""The Review page driven from the keyboard, with the vault checked after every decision."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from c360_desktop.core import audit
from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.identity.review import ReviewError, count_pending, pair_between, pending_pairs
from c360_desktop.ui import tasks
from c360_desktop.ui.pages import review as review_module
from c360_desktop.ui.pages import review_pair

from .reviewing import (  # noqa: F401 - fixtures
    TIMEOUT,
    kate_ids,
    matched_template,
    copy_vault,
    open_review,
    profile_of,
    select_pair,
    standing_decisions,
    wait_idle,
)


@pytest.fixture
def review(qtbot, controller_factory, matched_template, vault_path):  # noqa: F811
    path = copy_vault(matched_template, vault_path)
    controller, window, page = open_review(qtbot, controller_factory, path)
    return controller.session.vault, window, page


def key(qtbot, page, k, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(page.queue, k, modifier)


def test_the_queue_opens_on_the_most_useful_pair_with_counts(review):
    vault, window, page = review
    pending = count_pending(vault.conn)
    assert pending > 0
    assert page.views.currentWidget() is page.splitter
    assert page.model.total == pending
    assert page.current_pair == pending_pairs(vault.conn, limit=1)[0]
    assert f"{pending:,} left" in page.subtitle_label.text() and "0 decided today" in page.subtitle_label.text()
    assert page.position_label.text() == f"Pair 1 of {pending:,}"


def test_merge_with_m_reject_with_n_skip_with_s_undo_with_ctrl_z(qtbot, review):
    vault, window, page = review
    first = page.current_pair
    key(qtbot, page, Qt.Key.Key_S)  # skip: nothing is decided, the next pair is shown
    assert page.current_pair is not None and page.current_pair.id != first.id
    assert standing_decisions(vault) == []

    to_merge = page.current_pair
    key(qtbot, page, Qt.Key.Key_M)
    assert page.current_pair is not None and page.current_pair.id != to_merge.id  # at once, before the worker ends
    assert page.model.row_of(to_merge.id) == -1
    wait_idle(qtbot, page)
    assert standing_decisions(vault) == [(to_merge.left_id, to_merge.right_id, "merge", "review")]
    assert profile_of(vault, to_merge.left_id) == profile_of(vault, to_merge.right_id)
    assert vault.conn.execute("SELECT status FROM match_pairs WHERE id = ?", (to_merge.id,)).fetchone()[0] == "merged"

    to_reject = page.current_pair
    key(qtbot, page, Qt.Key.Key_N)
    wait_idle(qtbot, page)
    assert standing_decisions(vault)[-1] == (to_reject.left_id, to_reject.right_id, "reject", "review")
    assert profile_of(vault, to_reject.left_id) != profile_of(vault, to_reject.right_id)
    assert "1 decided today" not in page.subtitle_label.text() and "2 decided today" in page.subtitle_label.text()

    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # takes back the reject
    wait_idle(qtbot, page)
    assert standing_decisions(vault) == [(to_merge.left_id, to_merge.right_id, "merge", "review")]
    assert page.current_pair is not None and page.current_pair.id == to_reject.id  # back, and shown
    assert "Undone" in page.message.text()

    key(qtbot, page, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # and the merge
    wait_idle(qtbot, page)
    assert standing_decisions(vault) == []
    assert profile_of(vault, to_merge.left_id) != profile_of(vault, to_merge.right_id)
    actions = [e.action for e in audit.entries(vault.conn, 50) if e.action.startswith("review_")]
    assert actions.count("review_undone") == 2 and "review_merge" in actions and "review_reject" in actions


def test_a_keyboard_only_user_clears_a_filtered_queue(qtbot, review):
    vault, window, page = review
    combo = page.source_combo
    index = combo.findData("sheet:crm")
    assert index > 0
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    total = page.model.total
    assert 0 < total == count_pending(vault.conn, source="sheet:crm")
    page.focus_queue()
    for _ in range(total):
        key(qtbot, page, Qt.Key.Key_N)
    wait_idle(qtbot, page)
    assert page.model.rowCount() == 0 and page.current_pair is None
    assert count_pending(vault.conn, source="sheet:crm") == 0
    assert len(standing_decisions(vault)) == total
    assert page.views.currentWidget() is page.filtered_out
    assert not page.merge_button.isEnabled()


def test_choose_which_name_wins_before_merging(qtbot, review):
    vault, window, page = review
    katherine, kate = kate_ids(vault)
    pair = pair_between(vault.conn, katherine, kate)
    select_pair(page, pair.id)
    assert page.verdict_label.text() == "Held for your decision"   # not "probably the same person"
    assert page.reason_label.text().startswith("Different birth dates. The score (")
    combo = page.keep.combos["name"]
    assert page.keep.isVisible()
    combo.setCurrentIndex(combo.findData(kate))
    key(qtbot, page, Qt.Key.Key_M)
    wait_idle(qtbot, page)
    assert profile_of(vault, katherine) == profile_of(vault, kate)
    assert vault.conn.execute("SELECT record_id, field FROM field_preferences").fetchall() == [(kate, "name")]


def test_comparison_and_evidence_of_a_realistic_pair(review):
    vault, window, page = review
    katherine, kate = kate_ids(vault)
    select_pair(page, pair_between(vault.conn, katherine, kate).id)
    comparison = page.comparison
    statuses = {row.key: row.status for row in comparison.rows}
    assert statuses["name"] == "similar" and statuses["phone"] == "agree" and statuses["birth_date"] == "conflict"
    names = {row.key: row.note for row in comparison.rows}["name"]
    assert "nickname" in names and "similar spelling" in names
    assert comparison.cell_texts("name", "left") == ["Katherine Wrenn"]
    assert comparison.cell_texts("name", "right") == ["Kate Wren"]
    words = " | ".join(page.evidence.lines)
    assert "First names Katherine / Kate: nickname" in words
    assert "Same phone •••• 0100" in words
    assert "Birth dates: different" in words
    strengths = {row.key: row.strength for row in comparison.rows}
    assert strengths["phone"] in ("strong", "for") and strengths["birth_date"] == "against"
    history = {row.key: row.left[0].text for row in comparison.rows if row.section == "history"}
    assert history["orders"] == "No orders"


def _fits_in_view(page) -> bool:
    """The pair's detail is no wider than its scroll area (which never scrolls sideways, so wider is cut)."""
    viewport = page.scroll.viewport()
    position = page.position_label.mapTo(viewport, page.position_label.rect().topRight())
    return page.scroll.widget().width() <= viewport.width() and position.x() <= viewport.width()


@pytest.mark.parametrize("size", [(1180, 740), (1024, 700)])
def test_the_comparison_fits_the_window_with_its_position(qtbot, review, size):
    vault, window, page = review
    window.resize(*size)
    for _pair in range(6):  # pairs from files with long names among them
        qtbot.wait(30)
        assert _fits_in_view(page), (page.current_pair.id, page.scroll.widget().width(), page.scroll.viewport().width())
        assert page.position_label.isVisible() and page.position_label.text().startswith("Pair ")
        for combo in page.keep.combos.values():   # the "keep" choices wrap rather than being squeezed
            assert combo.width() >= combo.sizeHint().width()
            assert combo.mapTo(page, combo.rect().topRight()).x() <= page.width()
        if size[0] >= 1180:
            assert page.comparison.evidence_shown, "at the default size the evidence column has room"
        page.skip()
    window.resize(1440, 900)
    qtbot.wait(30)
    assert _fits_in_view(page) and page.comparison.evidence_shown


def test_a_long_file_name_is_shortened_in_the_comparison_with_the_whole_name_in_its_tooltip(review):
    vault, window, page = review
    titles = [label for label in page.comparison.findChildren(review_pair.ElidedLabel) if ", row " in label.text()]
    assert len(titles) == 2
    for title in titles:
        assert title.toolTip() == title.text()
        assert title.minimumSizeHint().width() < title.fontMetrics().horizontalAdvance(title.text())


def test_values_are_masked_by_default_and_reveal_is_audited(qtbot, review, monkeypatch):
    vault, window, page = review
    katherine, kate = kate_ids(vault)
    select_pair(page, pair_between(vault.conn, katherine, kate).id)
    comparison = page.comparison
    assert comparison.cell_texts("phone", "left") == ["•••• 0100"]
    assert comparison.cell_texts("email", "right") == ["k•••@e•••.org"]
    assert comparison.cell_texts("birth_date", "left") == ["1•••"]
    tips = " ".join(comparison.cell_tooltips("phone", "left") + comparison.cell_tooltips("email", "right"))
    assert "555" not in tips and "wren" not in tips and "shop_extra.csv, row 1" in tips
    before = len(audit.entries(vault.conn, 10_000))

    monkeypatch.setattr(review_pair, "REVEAL_SECONDS", 1)
    comparison.eyes["phone"].click()
    qtbot.waitUntil(lambda: "phone" in comparison.revealed, timeout=TIMEOUT)
    assert comparison.cell_texts("phone", "left") == ["(512) 555-0100"]  # as written, marked as the same number
    assert comparison.cell_texts("phone", "right") == ["+1 512.555.0100"]
    assert "Read as +15125550100" in " ".join(comparison.cell_tooltips("phone", "right"))
    assert comparison.cell_texts("email", "right") == ["k•••@e•••.org"]  # only that field
    entries = audit.entries(vault.conn, 10_000)
    revealed = [e for e in entries if e.action == "value_revealed"]
    assert len(entries) == before + 2
    assert sorted(e.details["record_id"] for e in revealed) == sorted([katherine, kate])
    for entry in revealed:
        assert entry.details == {"surface": "review", "record_id": entry.details["record_id"], "field": "phone"}
    qtbot.waitUntil(lambda: "phone" not in comparison.revealed, timeout=5000)  # masked again after a while
    assert comparison.cell_texts("phone", "left") == ["•••• 0100"]


def test_bulk_merge_above_a_score_with_confirmation(qtbot, review, monkeypatch):
    vault, window, page = review
    asked = []

    def answer(choice):
        def question(*args, **_kwargs):
            asked.append(args[2])
            return choice
        return question

    dialog = page.open_bulk()
    dialog.merge_score.setValue(95.0)
    expected, held = count_pending(vault.conn, 0.95, 1.0, held=False), count_pending(vault.conn, 0.95, 1.0, held=True)
    assert expected > 0 and held > 0   # Tom and Emily Fairweather score 98-99.9 %, held: different first names
    assert dialog.preview_count() == expected and f"{expected:,} pair" in dialog.count_label.text()
    assert f"{held:,} pairs in this range are held for your decision" in dialog.scope_label.text()
    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer(QMessageBox.StandardButton.Cancel)))
    assert not dialog.confirm_and_apply()
    assert standing_decisions(vault) == [] and asked and f"Merge {expected:,}" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", staticmethod(answer(QMessageBox.StandardButton.Yes)))
    chosen = {(p.left_id, p.right_id) for p in pending_pairs(vault.conn, limit=10_000, min_score=0.95, held=False)}
    with qtbot.waitSignal(dialog.applied, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    qtbot.wait(20)
    decided = standing_decisions(vault)
    assert len(decided) == expected and {d[2] for d in decided} == {"merge"} and {d[3] for d in decided} == {"bulk"}
    assert {(d[0], d[1]) for d in decided} == chosen
    assert all(profile_of(vault, left) == profile_of(vault, right) for left, right in chosen)
    assert count_pending(vault.conn, 0.95, 1.0, held=True) >= held   # none of the held pairs was merged
    # merging regroups profiles, which may send other pairs to review: the page shows the vault's count
    assert page.model.total == count_pending(vault.conn)
    assert not chosen & {(p.left_id, p.right_id) for p in pending_pairs(vault.conn, limit=10_000)}
    assert f"{expected:,} pair" in page.message.text()


def test_bulk_reject_below_a_score_stays_inside_the_current_filter(qtbot, review, monkeypatch):
    vault, window, page = review
    index = page.source_combo.findData("sheet:crm")
    page.source_combo.setCurrentIndex(index)
    page.source_combo.activated.emit(index)
    in_filter = count_pending(vault.conn, source="sheet:crm")
    others = count_pending(vault.conn) - in_filter
    dialog = page.open_bulk()
    dialog.reject_score.setValue(100.0)
    assert dialog.decision() == "reject" and dialog.preview_count() == in_filter
    monkeypatch.setattr(QMessageBox, "question", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(dialog.applied, timeout=TIMEOUT):
        assert dialog.confirm_and_apply()
    assert count_pending(vault.conn, source="sheet:crm") == 0
    decided = standing_decisions(vault)
    assert len(decided) == in_filter and {d[2] for d in decided} == {"reject"}
    assert count_pending(vault.conn) >= others  # nothing outside the filter was decided


def test_a_rejected_pair_is_never_shown_again_after_a_full_rematch(qtbot, review):
    vault, window, page = review
    katherine, kate = kate_ids(vault)
    pair = pair_between(vault.conn, katherine, kate)
    select_pair(page, pair.id)
    key(qtbot, page, Qt.Key.Key_N)
    wait_idle(qtbot, page)
    run_match(vault, full=True)
    page.refresh()
    while page.model.canFetchMore():
        page.model.fetchMore()
    shown = {(p.left_id, p.right_id) for p in map(page.model.pair_at, range(page.model.rowCount()))}
    assert (pair.left_id, pair.right_id) not in shown
    assert pair_between(vault.conn, katherine, kate) is None
    assert profile_of(vault, katherine) != profile_of(vault, kate)


def test_the_history_dialog_undoes_any_decision(qtbot, review):
    vault, window, page = review
    first = page.current_pair
    key(qtbot, page, Qt.Key.Key_M)
    second = page.current_pair
    key(qtbot, page, Qt.Key.Key_N)
    wait_idle(qtbot, page)
    dialog = page.open_history()
    assert dialog.model.rowCount() == 2
    assert dialog.model.data(dialog.model.index(0, 1)) == "Not the same person"
    assert dialog.model.data(dialog.model.index(1, 1)) == "Merged"
    dialog.table.selectRow(1)  # the older one: the merge
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert standing_decisions(vault) == [(second.left_id, second.right_id, "reject", "review")]
    assert dialog.model.data(dialog.model.index(1, 4)).startswith("Undone")
    assert not dialog.undo_button.isEnabled()  # the selected decision is already undone
    assert page.model.row_of(first.id) >= 0 or pair_between(vault.conn, first.left_id, first.right_id) is not None
    dialog.accept()


def test_a_failed_decision_is_shown_plainly_and_the_queue_reloaded(qtbot, review, monkeypatch):
    vault, window, page = review

    def broken(*_args, **_kwargs):
        raise ReviewError("There is no candidate pair number 5 (it may have been decided or re-matched).")

    monkeypatch.setattr(review_module, "decide", broken)
    pair = page.current_pair
    key(qtbot, page, Qt.Key.Key_M)
    wait_idle(qtbot, page)
    assert page.message.objectName() == "Error"
    assert "no candidate pair number 5" in page.message.text() and "Traceback" not in page.message.text()
    assert page.model.row_of(pair.id) >= 0  # reloaded: it is still pending
    assert standing_decisions(vault) == []


def test_the_queue_stays_lazy_and_quick_with_10000_pending_pairs(qtbot, review, qtmodeltester):
    vault, window, page = review
    ids = [r for r, in vault.conn.execute("SELECT id FROM source_records ORDER BY id")]
    existing = {(a, b) for a, b in vault.conn.execute("SELECT left_id, right_id FROM match_pairs")}
    rows = []
    for i, left in enumerate(ids):
        for right in ids[i + 1:]:
            if (left, right) not in existing and len(rows) < 10_000:
                rows.append((left, right, 0.6 + (len(rows) % 300) / 1000, 1.0, "{}", None, "pending", "2026-01-01"))
    assert len(rows) == 10_000
    with vault.transaction() as conn:
        conn.executemany("INSERT INTO match_pairs(left_id, right_id, probability, weight, levels, guard, status,"
                         " updated_at) VALUES (?,?,?,?,?,?,?,?)", rows)
    started = time.perf_counter()
    page.refresh(keep_pair=False)
    elapsed = time.perf_counter() - started
    assert page.model.total >= 10_000
    assert page.model.rowCount() == page.model.PAGE_SIZE == 100 and page.model.fetches == 1
    assert elapsed < 2.0, elapsed
    page.queue.scrollToBottom()
    qtbot.waitUntil(lambda: page.model.rowCount() >= 200, timeout=5000)
    assert page.model.rowCount() < 1000  # pages follow the scrolling, never the whole queue
    qtmodeltester.check(page.model)
    started = time.perf_counter()
    key(qtbot, page, Qt.Key.Key_S)
    key(qtbot, page, Qt.Key.Key_S)
    assert time.perf_counter() - started < 1.0
    tasks.wait_for_all(TIMEOUT)


def test_decisions_waiting_for_a_busy_worker_never_come_back_into_the_queue(qtbot, review):
    import threading

    from c360_desktop.ui.tasks import run_in_background

    vault, window, page = review
    page.model.PAGE_SIZE = 5
    page.refresh(keep_pair=False)
    gate = threading.Event()
    run_in_background(lambda: gate.wait(10), lambda _r: None, lambda _e: None)  # the worker is busy elsewhere
    decided = []
    for _ in range(7):
        decided.append(page.current_pair.id)
        key(qtbot, page, Qt.Key.Key_N)
        assert page.current_pair is not None and page.current_pair.id not in decided  # the next one, at once
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert not set(decided) & set(page.model.pair_ids())
    assert standing_decisions(vault) == []  # nothing written yet
    gate.set()
    wait_idle(qtbot, page)
    statuses = {vault.conn.execute("SELECT status FROM match_pairs WHERE id = ?", (pair_id,)).fetchone()[0]
                for pair_id in decided}
    assert statuses == {"rejected"} and not page.model.in_flight   # some as follow-ons of an earlier one
    assert "no longer waits" not in page.message.text()


def test_a_merge_takes_the_pairs_it_settled_out_of_the_queue(qtbot, review):
    """The nameless Mailchimp record pairs with each of Sofia's records: merging one joins it to all."""
    vault, window, page = review
    nameless = vault.conn.execute("SELECT id FROM source_records WHERE file_name = 'mailchimp_cleaned.csv'"
                                  " AND row_number = 6").fetchone()[0]
    pairs = [p.id for p in pending_pairs(vault.conn, limit=1000) if nameless in (p.left_id, p.right_id)]
    assert len(pairs) >= 2
    for pair_id in pairs:
        select_pair(page, pair_id)   # loads every page up to it
    select_pair(page, pairs[0])
    key(qtbot, page, Qt.Key.Key_M)
    wait_idle(qtbot, page)
    assert not [pair_id for pair_id in pairs if page.model.row_of(pair_id) >= 0]
    assert page.current_pair is not None and page.current_pair.id not in pairs
    assert page.model.total == count_pending(vault.conn)

