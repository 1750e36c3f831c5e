"""Settings: the redaction policy, the golden record rules and the erasure setting, saved and audited."""

from __future__ import annotations

import json

import pytest

from c360_desktop.core import audit
from c360_desktop.core.privacy.policy import CATEGORIES, RedactionPolicy
from c360_desktop.core.profiles.golden import GOLDEN_FIELDS, Survivorship
from c360_desktop.core.words import file_size
from c360_desktop.ui.models.customers import COLUMNS, CustomersModel
from c360_desktop.ui.pages.privacy_settings import SAMPLES
from c360_desktop.ui.pages.settings import SettingsPage

from .privacy_world import ANN, build_shop, page_on

EMAIL_COLUMN = next(i for i, c in enumerate(COLUMNS) if "email" in c.key)


def _emails_on_list(vault) -> list[str]:
    model = CustomersModel()
    model.set_vault(vault)
    return [model.index(row, EMAIL_COLUMN).data() for row in range(model.rowCount())]


def _entries(vault, action: str) -> list[audit.AuditEntry]:
    return audit.entries(vault.conn, 50, action)


def test_redaction_email_shown_then_masked_again(qtbot, vault, tmp_path):
    build_shop(vault, tmp_path)
    page = page_on(qtbot, SettingsPage, vault)
    section = page.redaction
    changes = []
    page.display_changed.connect(lambda: changes.append(True))
    assert section.combos["email"].currentData() == "mask"
    assert ANN["email"] not in _emails_on_list(vault)

    assert section.set_mode("email", "show")
    assert RedactionPolicy.from_vault(vault).mode("email") == "show"
    assert vault.setting("redaction_policy")["email"] == "show"
    assert ANN["email"] in _emails_on_list(vault)
    assert section.examples["email"].text() == SAMPLES["email"]

    assert section.set_mode("email", "mask")
    assert RedactionPolicy.from_vault(vault).mode("email") == "mask"
    listed = _emails_on_list(vault)
    assert ANN["email"] not in listed and "a•••@e•••.org" in listed
    assert section.examples["email"].text() == "s•••@e•••.com"
    assert len(changes) == 2

    logged = _entries(vault, "redaction_policy_changed")
    assert len(logged) == 2 and logged[0].details["modes"]["email"] == "mask"
    assert "example" not in json.dumps([e.details for e in logged])


def test_redaction_examples_follow_each_mode_and_defaults_mask_sensitive(qtbot, vault):
    page = page_on(qtbot, SettingsPage, vault)
    section = page.redaction
    assert {c for c, combo in section.combos.items() if combo.currentData() == "mask"} >= {
        "email", "phone", "address", "birth_date"}
    assert section.examples["phone"].text() == "•••• 0101"
    assert section.examples["payment"].text() == "(hidden)"
    section.set_mode("payment", "mask")
    assert section.examples["payment"].text() == "•••• 0101"
    section.set_mode("phone", "hide")
    assert section.examples["phone"].text() == "(hidden)"
    assert section.restore_defaults()
    assert RedactionPolicy.from_vault(vault).modes == RedactionPolicy().modes
    assert set(section.combos) == set(CATEGORIES)


def test_survivorship_rules_and_source_priority_are_saved_and_audited(qtbot, vault, tmp_path):
    build_shop(vault, tmp_path)
    page = page_on(qtbot, SettingsPage, vault)
    section = page.survivorship
    assert set(section.combos) == set(GOLDEN_FIELDS)
    assert section.source_order() == ["sheet:crm", "sheet:shop"]

    section.combos["email"].setCurrentIndex(section.combos["email"].findData("source_priority"))
    section.sources.setCurrentRow(1)
    assert section.move_source(-1)
    assert section.source_order() == ["sheet:shop", "sheet:crm"]
    assert not section.up_button.isEnabled() and section.down_button.isEnabled()

    survivorship = Survivorship.from_settings(vault)
    assert survivorship.rules["email"] == "source_priority"
    assert survivorship.source_order == ("sheet:shop", "sheet:crm")
    logged = _entries(vault, "survivorship_changed")
    assert len(logged) == 2
    assert logged[0].details == {"rules": survivorship.rules, "sources": 2}

    reopened = page_on(qtbot, SettingsPage, vault)
    assert reopened.survivorship.combos["email"].currentData() == "source_priority"
    assert reopened.survivorship.source_order() == ["sheet:shop", "sheet:crm"]


def test_keep_invoices_setting(qtbot, vault):
    page = page_on(qtbot, SettingsPage, vault)
    box = page.erasure.keep_invoices
    assert not box.isChecked() and vault.setting("erasure_keep_invoices", False) is False
    box.setChecked(True)
    assert vault.setting("erasure_keep_invoices") is True
    assert _entries(vault, "erasure_setting_changed")[0].details == {"keep_invoices": True}
    assert "keep invoices" in page.erasure.message.text()
    reopened = page_on(qtbot, SettingsPage, vault)
    assert reopened.erasure.keep_invoices.isChecked()


def test_sections_are_emptied_on_lock(qtbot, vault, tmp_path):
    build_shop(vault, tmp_path)
    page = page_on(qtbot, SettingsPage, vault)
    page.on_locked()
    assert page.survivorship.sources.count() == 0
    assert not page.redaction.set_mode("email", "show")


def test_the_shop_adds_and_removes_its_own_consent_purpose(qtbot, vault):
    from c360_desktop.core.privacy.consent import purposes

    page = page_on(qtbot, SettingsPage, vault)
    section = page.purposes
    assert section.list.count() == 4 and not section.remove_button.isEnabled()
    assert section.add("Loyalty  programme")
    assert purposes(vault)["loyalty_programme"] == "Loyalty programme"
    assert not section.add("loyalty programme")   # already there: said, not duplicated
    section.list.setCurrentRow(4)
    assert section.remove_button.isEnabled() and section.remove_selected()
    assert "loyalty_programme" not in purposes(vault)
    actions = [row[0] for row in vault.conn.execute("SELECT action FROM audit_log")]
    assert "consent_purpose_added" in actions and "consent_purpose_removed" in actions


def test_the_vault_card_gives_the_file_size_not_the_schema_version(qtbot, vault):
    page = page_on(qtbot, SettingsPage, vault)
    text = page.size_label.text()
    assert text.endswith((" KB", " MB")) and str(vault.schema_version) != text
    page.on_locked()
    assert page.size_label.text() == ""


@pytest.mark.parametrize("size, words", [(0, "0 bytes"), (999, "999 bytes"), (1_000, "1.0 KB"),
                                         (812_345, "812.3 KB"), (999_960, "1.0 MB"), (1_400_000_000, "1.4 GB"), (5 * 10**12, "5,000.0 GB")])
def test_file_sizes_read_as_a_file_manager_shows_them(size, words):
    assert file_size(size) == words


def test_the_shops_country_is_chosen_in_settings_and_kept(qtbot, vault):
    from c360_desktop.core.ingest.regions import shop_region

    page = page_on(qtbot, SettingsPage, vault)
    combo = page.region_combo
    assert combo.currentData() == "US" and page.region_hint.text().startswith("Not chosen yet")
    combo.setCurrentIndex(combo.findData("GB"))
    combo.activated.emit(combo.currentIndex())
    assert shop_region(vault) == "GB" and page.region_hint.text() == ""
    assert page_on(qtbot, SettingsPage, vault).region_combo.currentText() == "United Kingdom (GB)"
