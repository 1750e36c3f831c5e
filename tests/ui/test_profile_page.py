"""The profile inside the Customers page: sources, split, reveal and copy, corrections, notes, consent, timeline."""

from __future__ import annotations

import json
import sys
import time

import pytest
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPlainTextEdit

from c360_desktop.core import audit
from c360_desktop.core.privacy.policy import Reveals
from c360_desktop.core.profiles.edits import add_note
from c360_desktop.ui.dialogs import profile_edit
from c360_desktop.ui.pages import profile as profile_module

from .profile_world import (
    CANARY_DIGITS,
    CANARY_EMAIL,
    build_world,
    customers_page,
    list_texts,
    search,
    settle,
)


@pytest.fixture
def world(open_vault, tmp_path):
    return build_world(open_vault, tmp_path)


def _open(qtbot, vault, profile_id):
    page = customers_page(qtbot, vault)
    assert page.open_profile(profile_id)
    return page, page.profile


def _submit(qtbot, dialog, reason: str, **texts) -> None:
    """Fill a profile dialog's text inputs and reason, press its button, let the vault worker answer."""
    for key, text in texts.items():
        widget = dialog.inputs[key]
        (widget.setPlainText if isinstance(widget, QPlainTextEdit) else widget.setText)(text)
    dialog.reason.setText(reason)
    dialog.ok_button.click()
    settle(qtbot)


def _leaks(texts, *secrets) -> list[str]:
    return [t for t in texts if t and any(s in t for s in secrets)]


def test_a_profile_from_several_tools_shows_every_source_record(qtbot, open_vault, world):
    _page, panel = _open(qtbot, open_vault, world["zoe"])
    assert panel.name_label.text() == "Zoë Müller"
    listed = [panel.sources.list.topLevelItem(i).text(0) for i in range(panel.sources.list.topLevelItemCount())]
    assert sorted(listed) == ["Spreadsheet", "Spreadsheet", "Spreadsheet"]
    files = sorted(panel.sources.list.topLevelItem(i).text(1) for i in range(3))
    assert files == ["crm.csv", "newsletter.csv", "shop.csv"]
    assert panel.tabs.tabText(1) == "Sources  3"
    for record_id in world["zoe_records"]:
        assert panel.sources.select_record(record_id)
        assert "Import batch #" in panel.sources.meta.text()
        raw = panel.sources.raw_texts()
        assert "first" in raw and "Zoë" in raw   # the raw columns, names shown by the default policy
        assert "zoe.mueller@example.org" not in raw
    tools = [w.text() for w in panel.tools_box.findChildren(type(panel.name_label))]
    assert len(tools) == 3


def test_opening_a_profile_is_fast(qtbot, open_vault, world):
    page = customers_page(qtbot, open_vault)
    started = time.perf_counter()
    page.open_profile(world["zoe"])
    assert time.perf_counter() - started < 0.5   # the budget is 150 ms on the bench; loose here


def test_split_from_profile_moves_the_record_out_and_is_audited(qtbot, open_vault, world, monkeypatch):
    asked = []
    monkeypatch.setattr(profile_edit, "confirm", lambda parent, title, text, ok: asked.append(text) or True)
    page, panel = _open(qtbot, open_vault, world["zoe"])
    changed = []
    page.data_changed.connect(lambda: changed.append(True))
    newsletter = world["zoe_records"][2]
    assert panel.sources.select_record(newsletter)
    panel.sources.split_button.click()
    settle(qtbot)
    assert asked and "newsletter.csv" in asked[0]
    assert newsletter not in panel.view.record_ids and len(panel.view.sources) == 2
    new_profile = open_vault.conn.execute(
        "SELECT profile_id FROM profile_members WHERE record_id = ?", (newsletter,)).fetchone()[0]
    assert new_profile != world["zoe"]
    assert f"profile {new_profile}" in panel.message.text()
    entries = [e for e in audit.entries(open_vault.conn, 20) if e.action == "record_split"]
    assert entries and entries[0].details["record_id"] == newsletter
    assert changed
    page.show_list()
    search(qtbot, page, "zoe muller")
    assert page.model.rowCount() == 2    # the split record is a customer of its own now


def test_split_asks_first_and_a_refusal_changes_nothing(qtbot, open_vault, world, monkeypatch):
    monkeypatch.setattr(profile_edit, "confirm", lambda *a: False)
    _page, panel = _open(qtbot, open_vault, world["zoe"])
    panel.sources.split_button.click()
    settle(qtbot)
    assert len(panel.view.sources) == 3


def test_split_of_the_last_record_is_not_offered(qtbot, open_vault, world, monkeypatch):
    monkeypatch.setattr(profile_edit, "confirm", lambda *a: True)
    _page, panel = _open(qtbot, open_vault, world["carla"])
    panel.split(world["carla_records"][0])
    settle(qtbot)
    assert len(panel.view.sources) == 1 and not panel.sources.split_button.isEnabled()


def test_masked_by_default_then_revealed_for_a_while_and_audited(qtbot, open_vault, world):
    page, panel = _open(qtbot, open_vault, world["carla"])
    window_titles = [page.window().windowTitle()]
    assert not _leaks(panel.shown_texts() + window_titles, CANARY_EMAIL, CANARY_DIGITS, "555 0173")
    email_item = panel.overview.items["email"][0]
    assert email_item.text(1) != CANARY_EMAIL and email_item.text(1).endswith(".net")

    page.reveals = Reveals(seconds=1)
    panel.reveals = page.reveals
    panel.overview.eyes["email"].click()
    settle(qtbot)
    assert email_item.text(1) == CANARY_EMAIL
    assert panel.overview.copies["email"].isEnabled()
    assert not _leaks([page.window().windowTitle()], CANARY_EMAIL)
    assert not _leaks([w.toolTip() for w in panel.findChildren(type(panel))] +
                      [email_item.toolTip(c) for c in range(5)], CANARY_EMAIL)
    qtbot.waitUntil(lambda: email_item.text(1) != CANARY_EMAIL, timeout=3000)
    assert not panel.overview.eyes["email"].isChecked()
    assert not panel.overview.copies["email"].isEnabled()

    reveal = [e for e in audit.entries(open_vault.conn, 20) if e.action == "field_revealed"]
    assert reveal and reveal[0].details["field"] == "email" and reveal[0].details["profile_id"] == world["carla"]
    assert CANARY_EMAIL not in json.dumps([e.details for e in audit.entries(open_vault.conn, 200)])


def test_copy_puts_the_revealed_value_on_the_clipboard_and_clears_it(qtbot, open_vault, world, monkeypatch):
    monkeypatch.setattr(profile_module, "CLIPBOARD_CLEAR_SECONDS", 1)
    _page, panel = _open(qtbot, open_vault, world["carla"])
    assert not panel.copy_value("phone")             # not revealed: nothing copied
    panel.reveal("phone")
    settle(qtbot)
    assert panel.copy_value("phone")
    clipboard = QGuiApplication.clipboard()
    assert CANARY_DIGITS in clipboard.text().replace(" ", "")
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)


def test_rectifying_the_name_shows_it_in_the_profile_and_the_list(qtbot, open_vault, world):
    page, panel = _open(qtbot, open_vault, world["carla"])
    dialog = panel.open_correction("name")
    assert dialog.inputs["field"].currentData() == "name"
    dialog.inputs["value"].setText("Carla Canari-Diaz")
    dialog.ok_button.click()
    assert "reason" in dialog.message.text().lower()          # the reason is required
    dialog.reason.setText("She married; told us in the shop")
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    dialog.ok_button.click()
    settle(qtbot)
    assert accepted
    assert panel.name_label.text() == "Carla Canari-Diaz"
    name_item = panel.overview.items["name"][0]
    assert name_item.text(1) == "Carla Canari-Diaz" and name_item.text(3) == "Your correction"
    assert panel.notes.corrections.topLevelItem(0).text(4) == "in force"
    page.show_list()
    search(qtbot, page, "canari")
    assert [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())] == ["Carla Canari-Diaz"]
    actions = [e.action for e in audit.entries(open_vault.conn, 20)]
    assert "profile_rectified" in actions

    page.open_profile(world["carla"])
    panel.withdraw("name")
    settle(qtbot)
    assert panel.name_label.text() == "Carla Canary"


def test_a_refused_correction_is_explained_in_the_dialog(qtbot, open_vault, world):
    _page, panel = _open(qtbot, open_vault, world["carla"])
    dialog = panel.open_correction("email")
    _submit(qtbot, dialog, "typo", value="not an email")
    assert dialog.isVisible() and "not a valid email" in dialog.message.text()
    dialog.reject()


def test_notes_and_tags_are_added_shown_masked_and_removed(qtbot, open_vault, world):
    _page, panel = _open(qtbot, open_vault, world["zoe"])
    _submit(qtbot, panel.open_note("tag"), "buys for her café", text="Wholesale")
    assert "wholesale" in [w.text() for w in panel.marks_box.findChildren(type(panel.name_label))]
    _submit(qtbot, panel.open_note("note"), "asked on the phone", text="Prefers calls after 5 pm")
    texts = [panel.notes.notes.topLevelItem(i).text(1) for i in range(panel.notes.notes.topLevelItemCount())]
    assert "wholesale" in texts and "Prefers calls after 5 pm" not in texts   # notes are masked by default
    panel.reveal("notes")
    settle(qtbot)
    texts = [panel.notes.notes.topLevelItem(i).text(1) for i in range(panel.notes.notes.topLevelItemCount())]
    assert "Prefers calls after 5 pm" in texts
    tag_id = next(n["id"] for n in panel.view.notes if n["kind"] == "tag")
    panel.remove_note(tag_id)
    settle(qtbot)
    assert all(n["kind"] != "tag" for n in panel.view.notes)
    actions = [e.action for e in audit.entries(open_vault.conn, 20)]
    assert {"profile_tag_added", "profile_note_added", "profile_tag_removed"} <= set(actions)


def test_changing_consent_records_a_statement_on_the_anchor_and_updates_the_list(qtbot, open_vault, world):
    page, panel = _open(qtbot, open_vault, world["zoe"])
    dialog = panel.open_consent_change("email_marketing")
    dialog.inputs["status"].setCurrentIndex(dialog.inputs["status"].findData("granted"))
    dialog.reason.setText("Signed up at the counter")
    dialog.ok_button.click()
    settle(qtbot)
    status = panel.view.consent["email_marketing"]
    assert status.status == "granted" and status.current.source == "manual"
    assert status.current.record_id == min(world["zoe_records"])
    item = panel.consent.tree.topLevelItem(0)
    assert "Granted" in item.text(1) and item.text(2) == "You"
    page.show_list()
    search(qtbot, page, "zoe")
    consent = page.model.data(page.model.index(0, 7))
    assert consent.startswith("Email ✓")
    assert "consent_recorded" in [e.action for e in audit.entries(open_vault.conn, 10)]


def test_the_timeline_loads_when_its_tab_is_shown_and_filters_by_kind(qtbot, open_vault, world):
    _page, panel = _open(qtbot, open_vault, world["zoe"])
    assert panel.timeline.entries is None
    panel.tabs.setCurrentWidget(panel.timeline)
    assert panel.timeline.entries is not None
    kinds = {e.kind for e in panel.timeline.entries}
    assert "import" in kinds
    panel.timeline.toggle_kind("import")
    shown = panel.timeline.shown_entries()
    assert len(shown) == 3 and all(e.kind == "import" for e in shown)
    assert panel.timeline.tree.topLevelItemCount() == 3
    everything = panel.timeline.chips.buttons()[0]
    assert everything.text().startswith("All") and not everything.isChecked()
    panel.timeline.toggle_kind(None)
    assert len(panel.timeline.shown_entries()) == len(panel.timeline.entries)
    dated = [e.at for e in panel.timeline.entries if e.at]
    assert dated == sorted(dated, reverse=True)


def test_orders_show_their_items_with_amounts_on_the_right(qtbot, open_vault):
    from PySide6.QtCore import Qt

    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import ImportOptions, plan_import

    from .importing import EXPORTS

    for name in ("shopify_customers.csv", "shopify_orders.csv"):
        run_import(open_vault, plan_import(EXPORTS / name, ImportOptions(), open_vault.conn))
    run_match(open_vault)
    dana = open_vault.conn.execute("SELECT id FROM profiles WHERE display_name = 'Dana Whitfield'").fetchone()[0]
    _page, panel = _open(qtbot, open_vault, dana)
    panel.tabs.setCurrentWidget(panel.timeline)
    assert {e.kind for e in panel.timeline.shown_entries()} >= {"order"}   # the customer's activity first,
    assert "import" not in {e.kind for e in panel.timeline.shown_entries()}   # c360's own entries under "All"
    panel.timeline.toggle_kind(None)
    panel.timeline.toggle_kind("order")
    tree = panel.timeline.tree
    order = next(tree.topLevelItem(i) for i in range(tree.topLevelItemCount())
                 if tree.topLevelItem(i).text(1) == "Order #1002")
    assert order.text(4) == "77.28 USD" and order.textAlignment(4) & Qt.AlignmentFlag.AlignRight
    items = [order.child(i).text(1) for i in range(order.childCount())]
    assert items == ["2 × Speckled Mug - Blue", "1 × Linen Tea Towel"]
    assert order.child(0).text(4) == "24.00 each"


def _shown_kinds(panel) -> set[str]:
    panel.tabs.setCurrentWidget(panel.timeline)
    return {e.kind for e in panel.timeline.shown_entries()}


def test_each_profile_s_timeline_starts_from_its_own_activity(qtbot, open_vault):
    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import ImportOptions, plan_import

    from .importing import EXPORTS

    for name in ("shopify_customers.csv", "shopify_orders.csv"):
        run_import(open_vault, plan_import(EXPORTS / name, ImportOptions(), open_vault.conn))
    run_match(open_vault)
    buyer = open_vault.conn.execute("SELECT id FROM profiles WHERE display_name = 'Dana Whitfield'").fetchone()[0]
    browser = open_vault.conn.execute("SELECT id FROM profiles WHERE order_count = 0 ORDER BY id").fetchone()[0]
    page, panel = _open(qtbot, open_vault, buyer)
    first_look = _shown_kinds(panel)
    assert "order" in first_look and "import" not in first_look
    for profile_id in (browser, buyer):   # browsing a customer without orders must not narrow the next one
        page.show_list()
        assert page.open_profile(profile_id)
        shown = _shown_kinds(panel)
    assert shown == first_look

    panel.timeline.toggle_kind(None)
    panel.timeline.toggle_kind("import")
    assert panel.reload() and _shown_kinds(panel) == {"import"}   # the owner's choice holds while they stay
    page.show_list()
    assert page.open_profile(browser) and "import" not in _shown_kinds(panel)


def test_privacy_actions_use_the_privacy_dialogs_or_say_they_are_not_available(qtbot, open_vault, world,
                                                                               monkeypatch):
    told = []
    monkeypatch.setattr(profile_edit, "inform", lambda parent, title, text: told.append(title))
    import c360_desktop.ui.dialogs as dialogs_package

    monkeypatch.setitem(sys.modules, "c360_desktop.ui.dialogs.privacy_actions", None)
    monkeypatch.delattr(dialogs_package, "privacy_actions", raising=False)
    page, panel = _open(qtbot, open_vault, world["zoe"])
    panel.export_button.click()
    assert told == ["Not available"]

    calls = []

    class FakeActions:
        @staticmethod
        def export_profile_dialog(parent, vault, profile_id):
            calls.append(("export", profile_id))

        @staticmethod
        def erase_profile_dialog(parent, vault, profile_id):
            calls.append(("erase", profile_id))
            return True

        @staticmethod
        def restrict_profile_dialog(parent, vault, profile_id, kind):
            calls.append((kind, profile_id))
            return False

    monkeypatch.setitem(sys.modules, "c360_desktop.ui.dialogs.privacy_actions", FakeActions)
    monkeypatch.setattr(dialogs_package, "privacy_actions", FakeActions, raising=False)
    panel.export_button.click()
    panel.restrict_button.click()
    panel.object_button.click()
    assert page.views.currentWidget() is page.profile
    panel.erase_button.click()
    assert calls == [("export", world["zoe"]), ("restrict", world["zoe"]), ("object", world["zoe"]),
                     ("erase", world["zoe"])]
    assert page.views.currentWidget() is page.list_view and "erased" in page.message.text()


def test_a_restricted_profile_is_marked_in_the_list_and_the_profile(qtbot, open_vault, world):
    from c360_desktop.core.privacy.restriction import restrict_processing

    restrict_processing(open_vault, world["carla"], "disputes the data")
    page, panel = _open(qtbot, open_vault, world["carla"])
    assert "Restricted" in [w.text() for w in panel.marks_box.findChildren(type(panel.name_label))]
    page.show_list()
    page.restricted_check.setChecked(True)
    assert [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())] == ["Carla Canary"]
    assert not _leaks(list_texts(page.model), CANARY_EMAIL)


def _answer_lift_dialog(reason: str) -> list[str]:
    """Fill and apply the lift dialog as soon as it opens; returns the list its message is put in."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from c360_desktop.ui.dialogs.privacy_actions import LiftDialog

    said = []

    def answer():
        dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, LiftDialog) and w.isVisible())
        dialog.reason.setText(reason)
        assert dialog.apply()
        said.append(dialog.message.text())
        dialog.accept()

    QTimer.singleShot(0, answer)
    return said


def test_a_restriction_and_an_objection_are_lifted_from_the_profile(qtbot, open_vault, world):
    from c360_desktop.core.privacy.restriction import (
        is_restricted,
        object_to_marketing,
        restrict_processing,
    )

    carla = world["carla"]
    restrict_processing(open_vault, carla, "disputes the data")
    object_to_marketing(open_vault, carla, "phoned to stop mailings")
    _page, panel = _open(qtbot, open_vault, carla)
    marks = lambda: [w.text() for w in panel.marks_box.findChildren(type(panel.name_label)) if w.isVisibleTo(panel)]
    assert {"Restricted", "Objected to marketing"} <= set(marks())
    assert panel.restrict_button.text() == "Lift restriction…"
    assert panel.object_button.text() == "Withdraw objection…"

    said = _answer_lift_dialog("data checked, customer told")
    panel.restrict_button.click()
    assert said and "lifted" in said[0]
    assert not is_restricted(open_vault.conn, carla) and "Restricted" not in marks()
    assert panel.restrict_button.text() == "Restrict processing…"

    said = _answer_lift_dialog("customer phoned: no longer objects")
    panel.object_button.click()
    assert said and "stays withdrawn" in said[0]
    assert "Objected to marketing" not in marks() and panel.object_button.text() == "Object to marketing…"
    assert panel.view.consent["email_marketing"].status == "withdrawn"   # only a new opt-in gives it back
    lifted = [e.action for e in audit.entries(open_vault.conn, 5)]
    assert "restriction_lifted" in lifted and "objection_withdrawn" in lifted
    assert not _leaks([json.dumps(e.details) for e in audit.entries(open_vault.conn, 5)], "customer phoned")


def test_the_owner_s_objection_is_no_tool_disagreeing_and_a_real_disagreement_shows_in_full(qtbot, open_vault,
                                                                                            tmp_path):
    import csv

    from c360_desktop.core.identity.engine import run_match
    from c360_desktop.core.ingest.importer import run_import
    from c360_desktop.core.ingest.plan import ImportOptions, plan_import
    from c360_desktop.core.privacy.restriction import object_to_marketing
    from c360_desktop.core.profiles.profile import profiles_by_email

    files = {"mailchimp_unsubscribed.csv": (
        ["Email Address", "First Name", "Last Name", "OPTIN_TIME", "CONFIRM_TIME", "UNSUB_TIME", "UNSUB_REASON",
         "LEID", "EUID"],
        [["ines.barros@example.pt", "Inês", "Barros", "2021-02-01 10:00:00", "2021-02-01 10:05:00",
          "2024-05-02 09:00:00", "Too many emails", "1", "a1"]]), "shopify_customers.csv": (
        ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Total Spent", "Total Orders"],
        [["7001", "Inês", "Barros", "ines.barros@example.pt", "yes", "10.00", "1"],
         ["7002", "Olga", "Prentice", "olga.prentice@example.org", "yes", "12.00", "1"]])}
    for name, (header, rows) in files.items():
        with open(tmp_path / name, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
        run_import(open_vault, plan_import(tmp_path / name, ImportOptions(), open_vault.conn))
    run_match(open_vault)
    [ines] = profiles_by_email(open_vault.conn, "ines.barros@example.pt")
    [olga] = profiles_by_email(open_vault.conn, "olga.prentice@example.org")
    object_to_marketing(open_vault, olga, "asked by letter")

    page, panel = _open(qtbot, open_vault, olga)
    panel.tabs.setCurrentWidget(panel.consent)
    tree = panel.consent.tree
    statuses = [tree.topLevelItem(i).text(1) for i in range(tree.topLevelItemCount())]
    assert statuses[0].startswith("✗  Withdrawn") and not [s for s in statuses if "disagree" in s]
    assert not [w.text() for w in panel.metrics.consent_box.findChildren(type(panel.name_label)) if "⚠" in w.text()]

    page.show_list()
    assert page.open_profile(ines)
    panel.tabs.setCurrentWidget(panel.consent)
    assert tree.topLevelItem(0).text(1).endswith("⚠ tools disagree")
    assert tree.header().sectionSize(1) >= tree.sizeHintForColumn(1)   # nothing cut off


def test_a_profile_that_went_away_takes_the_owner_back_to_the_list(qtbot, open_vault, world):
    page, _panel = _open(qtbot, open_vault, world["carla"])
    add_note(open_vault, world["carla"], "note", "x", "y")
    with open_vault.transaction() as tx:
        tx.execute("DELETE FROM profile_members WHERE profile_id = ?", (world["carla"],))
    page.on_unlocked(open_vault)
    assert page.views.currentWidget() is page.list_view
    assert "no longer exists" in page.message.text()
