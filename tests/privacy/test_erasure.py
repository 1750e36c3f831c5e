"""Erasure (Art. 17): nothing of the person stays on any page, old exports cannot bring them back,
everyone else is untouched, invoices can be kept anonymised, and it is fast."""

from __future__ import annotations

import json
import time

import pytest

from c360_desktop.core import audit
from c360_desktop.core.identity.clusters import cluster_rows
from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.privacy.access import access_document, export_profile
from c360_desktop.core.privacy.erasure import (
    ErasureError,
    erase_profile,
    erasure_counts,
    erasure_preview,
    erasure_receipts,
    preview_with_copies,
    scrub_freed_pages,
)
from c360_desktop.core.privacy.erasure_words import receipt_sections, receipt_text
from c360_desktop.core.privacy.requests import get_request, open_request
from c360_desktop.core.privacy.restriction import restrict_processing
from c360_desktop.core.profiles.edits import add_note, keep_unsaved_edit, rectify, take_unsaved_edit
from c360_desktop.core.profiles.profile import ProfileNotFound, profiles_by_email

from .pages import decrypted_files, decrypted_vault, found_in
from .world import (
    CANARIES,
    CANARY_EMAIL,
    CANARY_SURNAME,
    CONTROL_EMAIL,
    CONTROL_SURNAME,
    PEOPLE,
    build_world,
    fixture_exports,
    import_files,
    write_exports,
)


def canary_profile(vault) -> int:
    (profile_id,) = profiles_by_email(vault.conn, CANARY_EMAIL)
    return profile_id


def _rows_of_others(conn, erased_files=("canary_customers.csv", "canary_orders.csv")) -> set[tuple]:
    return {row[:4] for row in cluster_rows(conn) if row[0] not in erased_files or row[3] != "9000000007731"}


def _with_history(vault, tmp_path) -> None:
    """The canary person moved house: the old address lives on in the record's history."""
    moved = tmp_path / "moved"
    moved.mkdir()
    PEOPLE[0]["street"], original = "78 Zqcanary Lane", PEOPLE[0]["street"]
    try:
        import_files(vault, write_exports(moved)[:1])
    finally:
        PEOPLE[0]["street"] = original


@pytest.fixture
def world(vault, tmp_path):
    return build_world(vault, tmp_path)


def test_the_erased_person_is_on_no_page_of_the_vault_or_its_wal(vault, world, tmp_path):
    _with_history(vault, tmp_path)
    profile_id = canary_profile(vault)
    add_note(vault, profile_id, "note", "Called about zqcanary candles", "phone call")
    add_note(vault, profile_id, "tag", "zqcanary-vip")
    rectify(vault, profile_id, "name", f"Petra {CANARY_SURNAME}-Ruiz", "customer asked")
    restrict_processing(vault, profile_id, "contests the data")
    keep_unsaved_edit(vault.conn, profile_id, "note", {"text": "Half-typed: zqcanary gift", "reason": ""})
    export_profile(vault, profile_id, tmp_path / "before.zip")
    kept = [n for n in access_document(vault, profile_id)["notes"] if n["kind"] == "note (being written, not saved)"]
    assert [n["text"] for n in kept] == ["Half-typed: zqcanary gift"]   # held about them: in their copy
    before = decrypted_vault(vault)
    assert found_in(before, CANARIES) == set(CANARIES), "the decoder sees every canary before erasure"

    receipt = erase_profile(vault, profile_id, reference="REQ-2024-0001")

    after = decrypted_vault(vault)
    assert found_in(after, [CONTROL_EMAIL, CONTROL_SURNAME]) == {CONTROL_EMAIL, CONTROL_SURNAME}
    assert found_in(after, CANARIES) == set()
    assert receipt["counts"]["history_versions"] >= 1 and receipt["counts"]["notes"] == 3   # two, one unsaved
    assert take_unsaved_edit(vault.conn).fields == {}  # what the owner was typing about them went with them
    key = bytes(vault._data_key)
    vault.close()
    assert found_in(decrypted_files(vault.path, key), CANARIES) == set(), "nor once the vault is locked"


def test_a_reader_still_on_an_older_snapshot_delays_the_scrub_until_it_is_done(vault, world):
    reader = vault.new_connection()
    cursor = reader.execute("SELECT id FROM source_records")
    cursor.fetchone()
    started = time.perf_counter()
    receipt = erase_profile(vault, canary_profile(vault))
    assert receipt["pages_scrubbed"] is False and time.perf_counter() - started < 2.0
    cursor.close()
    assert scrub_freed_pages(vault.conn) is True
    assert found_in(decrypted_vault(vault), CANARIES) == set()


def test_rows_leave_the_clusters_and_an_old_export_cannot_bring_them_back(vault, world):
    profile_id = canary_profile(vault)
    others_before = _rows_of_others(vault.conn)
    info_before = vault.info()
    erase_profile(vault, profile_id)

    rows = list(cluster_rows(vault.conn))
    assert not [r for r in rows if r[3] == "9000000007731" or r[0] == "canary_orders.csv" and r[1] in (1, 2)]
    reports = import_files(vault, fixture_exports() + world)
    run_match(vault)
    by_file = {r.file: r for r in reports}
    assert by_file["canary_customers.csv"].suppressed == 1
    assert by_file["canary_orders.csv"].suppressed == 2
    assert sum(r.suppressed for r in reports) == 3
    assert profiles_by_email(vault.conn, CANARY_EMAIL) == []
    assert _rows_of_others(vault.conn) == others_before
    info = vault.info()
    assert (info["records"], info["events"]) == (info_before["records"] - 1, info_before["events"] - 2)
    assert info["profiles"] == info_before["profiles"] - 1
    assert found_in(decrypted_vault(vault), CANARIES) == set()


def test_the_preview_names_what_goes_and_the_receipt_and_audit_hold_no_personal_data(vault, world):
    profile_id = canary_profile(vault)
    request_id = open_request(vault, "erasure", "LETTER-17")
    preview = erasure_preview(vault.conn, profile_id)
    assert preview["source_records"] == 1 and preview["events"] == 2 and preview["consents"] >= 1
    assert preview["search_terms"] > 0 and preview["kept_invoices"] == 0

    receipt = erase_profile(vault, profile_id, reference="LETTER-17", request_id=request_id, keep_invoices=False)

    assert {k: receipt["counts"][k] for k in preview} == preview
    assert receipt["counts"]["suppressed_identifiers"] >= 3 and receipt["kept"] == {}
    assert receipt.pop("pages_scrubbed") is True and erasure_receipts(vault.conn)[0] == receipt
    entry = audit.entries(vault.conn, limit=1, action="profile_erased")[0]
    assert entry.details["receipt_id"] == receipt["id"] and entry.details["counts"] == receipt["counts"]
    text = json.dumps([receipt, entry.details])
    assert not found_in(text.encode(), CANARIES + ("Petra",))
    assert audit.verify(vault.conn).ok
    request = get_request(vault.conn, request_id)
    assert request.profile_ids == [profile_id] and request.actions[-1]["action"] == "erased"
    with pytest.raises(ProfileNotFound):
        erasure_preview(vault.conn, profile_id)


def test_invoices_are_kept_anonymised_when_the_law_requires_it(vault, world):
    vault.set_setting("erasure_keep_invoices", True)
    profile_id = canary_profile(vault)
    receipt = erase_profile(vault, profile_id)

    assert receipt["kept"]["orders"] == 2 and "legal obligation" in receipt["kept"]["why"]
    assert (receipt["counts"]["events"], receipt["counts"]["kept_invoices"]) == (0, 2)
    kept = vault.conn.execute("SELECT record_id, amount, currency, occurred_at, raw, data, source_event_id FROM events"
                              " WHERE source_event_id IN ('#ZQ7731', '#ZQ7732') ORDER BY source_event_id").fetchall()
    assert [(k[0], k[1], k[2], k[6]) for k in kept] == [(None, "41.50", "USD", "#ZQ7731"),
                                                         (None, "12.00", "USD", "#ZQ7732")]
    assert all(k[3] and k[4] == "[]" for k in kept)
    assert json.loads(kept[0][5])["items"] == [{"name": "Candle", "quantity": "1", "price": "41.50"}]
    assert not [r for r in cluster_rows(vault.conn) if r[0] == "canary_orders.csv" and r[1] in (1, 2)]
    assert found_in(decrypted_vault(vault), CANARIES) == set()


@pytest.mark.parametrize("keep_invoices", [False, True])
def test_the_confirmation_counts_what_the_receipt_counts(vault, world, keep_invoices):
    profile_id = canary_profile(vault)
    shown = erasure_counts(vault, profile_id, keep_invoices)
    assert shown["orders"] == 2 and shown["suppressed_identifiers"] >= 3
    receipt = erase_profile(vault, profile_id, keep_invoices=keep_invoices)
    assert {kind: count for kind, count in shown.items() if kind != "orders"} == receipt["counts"]
    orders_kept = receipt["kept"].get("orders", 0)
    assert receipt_sections(shown, shown["kept_invoices"]) == receipt_sections(receipt["counts"], orders_kept)


def test_the_receipt_says_what_is_removed_and_what_is_kept_as_keyed_hashes(vault, world):
    receipt = erase_profile(vault, canary_profile(vault), keep_invoices=True)
    text = receipt_text(receipt)
    removed = text.split("Removed:\n")[1].split("\n\n")[0]
    assert "1 record imported from your tools" in removed and "email" not in removed
    hashed = receipt["counts"]["suppressed_identifiers"]
    assert f"Kept only as keyed hashes on the suppression list:\n  - {hashed} emails, phone numbers and tool ids" in text
    assert "Kept anonymised for the accounts (required by law):\n  - 2 orders" in text
    for internal in ("pairs", "search terms", "search-index", "candidate", "_"):
        assert internal not in text.split("Request reference")[1]


def test_a_reference_that_is_an_email_address_is_refused_and_nothing_changes(vault, world):
    profile_id = canary_profile(vault)
    with pytest.raises(ErasureError, match="email"):
        erase_profile(vault, profile_id, reference=CANARY_EMAIL)
    assert profiles_by_email(vault.conn, CANARY_EMAIL) == [profile_id]
    with pytest.raises(ProfileNotFound):
        erase_profile(vault, 999_999)


_BULK = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
_LARGE_WORLD = [
    "INSERT INTO imports(id, file_name, file_sha256, source, started_at) VALUES (9000, 'bulk.csv', '', 'bulk', 'now')",
    (_BULK + "INSERT INTO source_records(id, source, source_record_id, origin, import_id, last_import_id, file_name,"
     " row_number, raw, norm, content_hash, display_name, email, phone, created_at, updated_at)"
     " SELECT i, 'bulk', 'b' || i, 'customer', 9000, 9000, 'bulk.csv', i,"
     " json_object('Email', 'bulk' || i || '@x.net'),"
     " json_array(json_array('email', 'bulk' || i || '@x.net', 1, 1)), hex(randomblob(8)), 'Bulk Person ' || i,"
     " 'bulk' || i || '@x.net', '+1646' || printf('%07d', i), 'now', 'now' FROM n"),
    "INSERT INTO record_keys(kind, key, record_id) SELECT 'email', email, id FROM source_records",
    ("INSERT INTO record_rows(record_id, import_id, file_name, row_number) SELECT id, 9000, 'bulk.csv', id"
     " FROM source_records"),
    "INSERT INTO search_terms(term, record_id) SELECT email, id FROM source_records",
    ("INSERT INTO consents(record_id, purpose, status, source, recorded_at)"
     " SELECT id, 'email_marketing', 'granted', 'bulk', 'now' FROM source_records"),
    ("INSERT INTO events(kind, source, source_event_id, record_id, import_id, last_import_id, amount, data, raw,"
     " content_hash) SELECT 'order', 'bulk', 'o' || id, id, 9000, 9000, '10.00', '{}', '[]', '' FROM source_records"),
    "INSERT INTO event_rows(event_id, import_id, file_name, row_number) SELECT id, 9000, 'bulk.csv', id FROM events",
    ("INSERT INTO profiles(id, display_name, created_at, updated_at) SELECT id, display_name, 'now', 'now'"
     " FROM source_records"),
    "INSERT INTO profile_members(record_id, profile_id, matched_hash) SELECT id, id, content_hash FROM source_records",
    ("INSERT INTO match_pairs(left_id, right_id, probability, weight, levels, status, updated_at)"
     " SELECT id, id + 1, 0.5, 0, '{}', 'pending', 'now' FROM source_records WHERE id % 2 = 1 AND id < ?"),
]


def _large_world(vault, count: int) -> None:
    """``count`` customers, each with keys, search terms, consent, an order and a profile, written in SQL."""
    with vault.transaction() as conn:
        for statement in _LARGE_WORLD:
            conn.execute(statement, (count,) if "?" in statement else ())
    vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


def test_erasure_of_one_customer_in_a_large_vault_takes_under_two_seconds(vault):
    _large_world(vault, 300_000)
    profile_id = 154_321
    started = time.perf_counter()
    receipt = erase_profile(vault, profile_id)
    elapsed = time.perf_counter() - started
    assert receipt["counts"]["source_records"] == 1 and receipt["counts"]["pairs"] == 1
    assert elapsed < 2.0, f"erasure took {elapsed:.2f} s"
    assert found_in(decrypted_vault(vault), ["bulk154321@", "bulk154320@"]) == {"bulk154320@"}


def test_a_person_known_only_by_name_does_not_come_back_either(vault, tmp_path):
    sheet = tmp_path / "market_stall.csv"
    sheet.write_text("Name,City\nQuillon Zarbedian,Lyon\nAnne Other,Paris\n", encoding="utf-8")
    import_files(vault, [sheet])
    run_match(vault)
    quillon = vault.conn.execute(
        "SELECT m.profile_id FROM profile_members m JOIN source_records r ON r.id = m.record_id"
        " WHERE r.display_name = 'Quillon Zarbedian'").fetchone()[0]
    erase_profile(vault, quillon)

    [report] = import_files(vault, [sheet])
    assert (report.suppressed, report.unchanged) == (1, 1)
    names = {r[0] for r in vault.conn.execute("SELECT display_name FROM source_records")}
    assert names == {"Anne Other"}


def test_an_email_the_owner_corrected_does_not_bring_the_person_back(vault, tmp_path):
    first = tmp_path / "contacts.csv"
    first.write_text("Name,Email\nZed Quixley,zed.q@example.org\nAnne Other,anne@example.org\n", encoding="utf-8")
    import_files(vault, [first])
    run_match(vault)
    [zed] = profiles_by_email(vault.conn, "zed.q@example.org")
    rectify(vault, zed, "email", "Zed.Q.New@Example.org", "he told us his new address")
    erase_profile(vault, zed)

    later = tmp_path / "contacts_later.csv"   # the tool was updated with the corrected address
    later.write_text("Name,Email\nZed Quixley,zed.q.new@example.org\nAnne Other,anne@example.org\n",
                     encoding="utf-8")
    [report] = import_files(vault, [later])
    assert report.suppressed == 1
    assert {r[0] for r in vault.conn.execute("SELECT display_name FROM source_records")} == {"Anne Other"}


def test_safety_copies_made_before_a_migration_are_deleted_with_the_person(vault, world):
    vault._snapshot("before-schema-4")   # what an upgrade does: an encrypted copy of the vault, holding everyone
    assert len(vault.safety_copies()) == 1
    assert preview_with_copies(vault, canary_profile(vault))["safety_copies"] == 1
    receipt = erase_profile(vault, canary_profile(vault))
    assert receipt["counts"]["safety_copies"] == 1 and vault.safety_copies() == []
    assert not [p for p in vault.path.parent.iterdir() if "before-" in p.name]   # the copy's key file too
