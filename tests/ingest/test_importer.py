"""The importer against a real vault: idempotency, overlap, undo, cancel, kill, bad rows, suppression."""

from __future__ import annotations

import csv
import json
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from c360_desktop.core.errors import C360Error
from c360_desktop.core.ingest.history import list_imports, undo_import, undo_preview
from c360_desktop.core.ingest.guess import guess_mapping
from c360_desktop.core.ingest.importer import ImportCancelled, run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import
from c360_desktop.core.ingest.rows import norm_items
from c360_desktop.core.privacy.suppression import Suppressor
from c360_desktop.core.vault import Vault
from tests.conftest import GOOD_PASSPHRASE

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"

SHOPIFY_HEADER = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
                  "Default Address Address1", "Default Address City", "Default Address Province Code",
                  "Default Address Country Code", "Default Address Zip", "Phone", "Accepts SMS Marketing",
                  "Total Spent", "Total Orders", "Note", "Tax Exempt", "Tags"]


def shopify_row(cid, first, last, email, phone="", city="Boston", zip_code="02134", accepts="yes"):
    return [f"'{cid}", first, last, email, accepts, "", "1 Main St", city, "MA", "US", f"'{zip_code}",
            f"'{phone}" if phone else "", "no", "10.00", "1", "", "no", ""]


def write_csv(path, header, rows, delimiter=","):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def do_import(vault, path, **options):
    dry_run = options.pop("dry_run", False)
    plan = plan_import(path, ImportOptions(**options), vault.conn)
    return run_import(vault, plan, dry_run=dry_run)


def counts(vault) -> dict:
    return {t: vault.count(t) for t in ("source_records", "record_keys", "events", "consents", "record_rows")}


def normalised(vault, source_record_id) -> dict:
    norm, = vault.conn.execute("SELECT norm FROM source_records WHERE source_record_id = ?",
                               (source_record_id,)).fetchone()
    return {item[0]: item[2] for item in reversed(norm_items(norm))}


def all_values(vault, field) -> set:
    found = set()
    for norm, in vault.conn.execute("SELECT norm FROM source_records"):
        found |= {item[2] for item in norm_items(norm) if item[0] == field}
    return found


@pytest.fixture
def customers(tmp_path):
    rows = [shopify_row(7001 + i, f"First{i}", f"Last{i}", f"person{i}@example.org", f"+1 415 555 01{i:02d}")
            for i in range(5)]
    return write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows)


def test_import_detects_maps_and_keeps_raw_beside_normalised(vault, customers):
    report = do_import(vault, customers)
    assert (report.preset, report.rows, report.inserted, report.rejected) == ("shopify_customers", 5, 5, 0)
    raw, = vault.conn.execute("SELECT raw FROM source_records WHERE source_record_id = '7001'").fetchone()
    assert json.loads(raw)["Customer ID"] == "'7001"
    values = normalised(vault, "7001")
    assert values["email"] == "person0@example.org" and values["phone"] == "+14155550100"
    assert values["postal_code"] == "02134"
    consent = vault.conn.execute("SELECT purpose, status, source, evidence FROM consents ORDER BY id").fetchone()
    assert consent[:3] == ("email_marketing", "granted", "shopify")
    assert json.loads(consent[3])["row"] == 1


def test_reimporting_the_same_file_changes_nothing(vault, customers):
    do_import(vault, customers)
    before = counts(vault)
    again = do_import(vault, customers)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 5)
    assert counts(vault) == before


def test_overlapping_export_updates_and_keeps_history(vault, tmp_path):
    first = write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER,
                      [shopify_row(1, "Ann", "Lee", "ann@example.org"), shopify_row(2, "Bo", "Ng", "bo@example.org")])
    later = write_csv(tmp_path / "customers_export_2.csv", SHOPIFY_HEADER,
                      [shopify_row(2, "Bo", "Ng", "bo.ng@example.org"), shopify_row(3, "Cy", "Oh", "cy@example.org"),
                       shopify_row(1, "Ann", "Lee", "ann@example.org")])
    do_import(vault, first)
    report = do_import(vault, later)
    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    assert vault.count("source_records") == 3
    history = vault.conn.execute("SELECT previous FROM record_history").fetchall()
    assert len(history) == 1 and json.loads(json.loads(history[0][0])["raw"])["Email"] == "bo@example.org"
    undo_import(vault, report.import_id)
    assert all_values(vault, "email") == {"ann@example.org", "bo@example.org"}
    keys = {r[0] for r in vault.conn.execute("SELECT key FROM record_keys WHERE kind = 'email'")}
    assert keys == {"ann@example.org", "bo@example.org"}
    assert [i.status for i in list_imports(vault.conn)] == ["undone", "done"]


def test_undo_import_removes_everything_it_added(vault, customers):
    before = counts(vault)
    report = do_import(vault, customers)
    after = counts(vault)
    preview = undo_preview(vault.conn, report.import_id)   # what the confirmation says; changes nothing
    assert counts(vault) == after and [i.status for i in list_imports(vault.conn)] == ["done"]
    assert undo_import(vault, report.import_id) == preview
    assert counts(vault) == before
    with pytest.raises(C360Error, match="already undone"):
        undo_import(vault, report.import_id)


def test_dry_run_writes_nothing(vault, customers):
    report = do_import(vault, customers, dry_run=True)
    assert report.inserted == 5 and report.dry_run
    assert counts(vault)["source_records"] == 0 and vault.count("imports") == 0


def test_bad_rows_are_reported_with_row_numbers_and_do_not_abort(vault, tmp_path):
    rows = [shopify_row(1, "Ann", "Lee", "ann@example.org"),
            ["", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
            ["", "", "", "", "yes", "", "", "Paris", "", "", "", "", "", "", "", "", "", ""],
            shopify_row(4, "Di", "Ho", "not-an-email"),
            shopify_row(5, "Ed", "Yu", "ed@example.org", phone="4.15555E+09")]
    report = do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows))
    assert report.rows == 4  # the blank line is not a row of data
    assert report.rejections == [{"row": 3, "reason": "nothing identifies a person on this row (no name, email, phone or id)"}]
    assert {(w["row"], w["field"]) for w in report.warnings} == {(4, "email"), (5, "phone")}
    assert report.inserted == 3
    assert "not-an-email" not in json.dumps(report.to_json()["warnings"])


def test_multi_line_orders_become_one_order_with_items_linked_to_the_customer(vault, tmp_path):
    header = ["Name", "Email", "Financial Status", "Currency", "Total", "Created at", "Lineitem quantity",
              "Lineitem name", "Lineitem price", "Lineitem sku", "Billing Name", "Billing Zip", "Billing Country", "Id"]
    rows = [["#1001", "ann@example.org", "paid", "USD", "45.00", "2024-01-05 10:00:00 -0800", "1", "Mug", "15.00", "M1",
             "Ann Lee", "02134", "US", "5001"],
            ["#1001", "ann@example.org", "", "", "", "2024-01-05 10:00:00 -0800", "2", "Cup", "15.00", "C1", "", "", "",
             "5001"],
            ["#1002", "bo@example.org", "paid", "USD", "9.50", "2024-02-01 09:00:00 -0800", "1", "Tea", "9.50", "T1",
             "Bo Ng", "94107", "US", "5002"]]
    do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER,
                               [shopify_row(1, "Ann", "Lee", "ann@example.org")]))
    report = do_import(vault, write_csv(tmp_path / "orders_export_1.csv", header, rows))
    assert report.preset == "shopify_orders" and report.events == 2 and report.inserted == 3
    order = vault.conn.execute("SELECT amount, currency, occurred_at, data, record_id FROM events WHERE source_event_id = '#1001'").fetchone()
    assert order[:3] == ("45.00", "USD", "2024-01-05T10:00:00-08:00")
    assert [i["name"] for i in json.loads(order[3])["items"]] == ["Mug", "Cup"]
    linked = vault.conn.execute("SELECT source_record_id FROM source_records WHERE id = ?", (order[4],)).fetchone()[0]
    assert linked == "1"  # the existing customer record, found by email
    assert vault.count("source_records") == 2  # Bo had no customer record: one was made from the order row
    again = do_import(vault, tmp_path / "orders_export_1.csv")
    assert (again.unchanged, again.events) == (3, 0)


def test_suppressed_people_are_not_imported_again(vault, customers):
    Suppressor(vault.conn).add(vault.conn, [("email", "person1@example.org"), ("phone", "+14155550103")])
    report = do_import(vault, customers)
    assert (report.suppressed, report.inserted) == (2, 3)
    stored = {r[0] for r in vault.conn.execute("SELECT hash FROM suppression")}
    assert all("example.org" not in h for h in stored)


@pytest.mark.parametrize("in_workers", [False, True])
def test_cancel_mid_import_leaves_the_vault_as_it_was(vault, tmp_path, monkeypatch, in_workers):
    from c360_desktop.core.ingest import importer

    monkeypatch.setattr(importer, "PARALLEL_MIN_ROWS", 0 if in_workers else 10**9)
    rows = [shopify_row(i, "F", f"L{i}", f"p{i}@example.org") for i in range(5000)]
    path = write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows)
    before = counts(vault)
    plan = plan_import(path, ImportOptions(), vault.conn)
    seen = []
    with pytest.raises(ImportCancelled):
        run_import(vault, plan, progress=lambda done, total: seen.append(done), cancelled=lambda: bool(seen))
    assert seen and counts(vault) == before and vault.count("imports") == 0


@pytest.mark.parametrize("gui_reading", [False, True], ids=["rollback-journal", "wal"])
def test_a_killed_import_process_leaves_the_vault_unchanged(vault_path, tmp_path, gui_reading):
    """Alone on the vault a large import writes through a rollback journal, beside a reader through WAL:
    killed in either, the vault reopens as it was."""
    vault, _ = Vault.create(vault_path, GOOD_PASSPHRASE)
    vault.close()
    rows = [shopify_row(i, "F", f"L{i}", f"p{i}@example.org") for i in range(60000)]
    path = write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows)
    script = textwrap.dedent(f"""
        from c360_desktop.core.vault import Vault
        from c360_desktop.core.ingest.plan import plan_import, ImportOptions
        from c360_desktop.core.ingest.importer import run_import
        vault = Vault.open({str(vault_path)!r}, {GOOD_PASSPHRASE!r})
        reader = vault.new_connection() if {gui_reading!r} else None
        plan = plan_import({str(path)!r}, ImportOptions(), vault.conn)
        mode = lambda: vault.conn.execute("PRAGMA journal_mode").fetchone()[0]
        run_import(vault, plan, progress=lambda done, total: print("progress", done, mode(), flush=True))
    """)
    process = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        line = process.stdout.readline()
        if line.startswith("progress") and int(line.split()[1]) >= 10000:
            break
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert line.split()[2] == ("wal" if gui_reading else "delete")
    assert Path(f"{vault_path}-journal").exists() != gui_reading   # the journal a killed write leaves
    with Vault.open(vault_path, GOOD_PASSPHRASE) as reopened:
        assert reopened.count("source_records") == 0 and reopened.count("imports") == 0
        assert reopened.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_the_rollback_journal_of_a_large_import_holds_no_plaintext(vault, vault_path, tmp_path, monkeypatch):
    """The journal keeps the pages an import changes as they were, customers already in the vault on them:
    encrypted like the vault. WAL is back after."""
    from c360_desktop.core.ingest import importer

    monkeypatch.setattr(importer, "ROLLBACK_JOURNAL_MIN_ROWS", 0)
    do_import(vault, write_csv(tmp_path / "first.csv", SHOPIFY_HEADER,
                               [shopify_row(1, "Quillonby", "Zarathustrova", "quillonby@example.org")]))
    rows = [shopify_row(i, "Quillonby", f"Zarathustrov{i}", f"quillonby{i}@example.org") for i in range(2, 8000)]
    plan = plan_import(write_csv(tmp_path / "second.csv", SHOPIFY_HEADER, rows), ImportOptions(), vault.conn)
    journal = Path(f"{vault_path}-journal")
    seen = []

    def look(done, total):
        if done == 6000:
            seen.append((vault.conn.execute("PRAGMA journal_mode").fetchone()[0], journal.stat().st_size,
                         journal.stat().st_mode & 0o777,
                         b"Zarathustrova" in journal.read_bytes() or b"quillonby@" in journal.read_bytes()))

    run_import(vault, plan, progress=look)
    mode, size, permissions, plaintext = seen[0]
    assert mode == "delete" and size > 4096 and permissions == 0o600 and not plaintext
    assert not journal.exists() and vault.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert vault.count("source_records") == 7999


@pytest.mark.parametrize("journal_rows", [0, 10**9], ids=["rollback-journal", "wal"])
def test_a_full_disk_stops_an_import_with_a_clear_message_and_changes_nothing(vault, tmp_path, monkeypatch,
                                                                               journal_rows):
    """SQLite's "database or disk is full", reached here through a page limit on the connection."""
    from c360_desktop.core.errors import StorageFailed
    from c360_desktop.core.ingest import importer

    monkeypatch.setattr(importer, "ROLLBACK_JOURNAL_MIN_ROWS", journal_rows)
    do_import(vault, write_csv(tmp_path / "first.csv", SHOPIFY_HEADER, [shopify_row(1, "Ann", "Lee", "a@example.org")]))
    before = counts(vault)
    pages = vault.conn.execute("PRAGMA page_count").fetchone()[0]
    vault.conn.execute(f"PRAGMA max_page_count = {pages + 40}")
    rows = [shopify_row(i, "F", f"L{i}", f"p{i}@example.org") for i in range(2, 6000)]
    try:
        with pytest.raises(StorageFailed, match="^The disk is full: nothing was changed"):
            do_import(vault, write_csv(tmp_path / "second.csv", SHOPIFY_HEADER, rows))
    finally:
        vault.conn.execute("PRAGMA max_page_count = 1073741823")
    assert counts(vault) == before and vault.count("imports") == 1
    assert vault.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal" and not vault.conn.in_transaction
    assert do_import(vault, tmp_path / "second.csv").inserted == 5998   # with room again, it goes through


def test_unknown_file_gets_a_guessed_mapping_from_headers_and_values(vault, tmp_path):
    header = ["Vorname", "Nachname", "Kontakt", "Telefon", "PLZ", "Ort"]
    rows = [["Jürgen", "Müller", "j.mueller@example.de", "030 1234567", "10115", "Berlin"],
            ["Anna", "Schmidt", "anna@example.de", "+49 40 1234567", "20095", "Hamburg"]]
    path = write_csv(tmp_path / "kunden.csv", header, rows, delimiter=";")
    plan = plan_import(path, ImportOptions(region="DE"), vault.conn)
    assert plan.preset is None and plan.mapping_origin == "guessed"
    assert plan.mapping == ["first_name", "last_name", "email", "phone", "postal_code", "city"]
    assert 0 < plan.confidence <= 1
    report = run_import(vault, plan)
    assert report.inserted == 2
    assert all_values(vault, "phone") == {"+49301234567", "+49401234567"}


def test_a_norwegian_and_a_swedish_sheet_keep_their_surnames_towns_streets_and_birth_dates(vault, tmp_path):
    norwegian = ["Kundenr", "Fornavn", "Etternavn", "E-post", "Mobil", "Adresse", "Postnr", "Poststed", "Land",
                 "Fødselsdato", "Merknad"]
    rows = [["1001", "Kari", "Nordmann", "kari@example.no", "412 34 567", "Storgata 1", "0150", "Oslo", "Norge",
             "14.06.1985", ""], ["1002", "Ola", "Hansen", "ola@example.no", "922 11 333", "Kongens gate 2", "7011",
                                 "Trondheim", "Norge", "02.11.1979", "VIP"]]
    plan = plan_import(write_csv(tmp_path / "kunder_norge.csv", norwegian, rows, delimiter=";"),
                       ImportOptions(region="SE"), vault.conn)
    assert plan.mapping == ["source_record_id", "first_name", "last_name", "email", "phone_mobile", "address_line1",
                            "postal_code", "city", "country", "birth_date", "notes"]
    swedish = ["Förnamn", "Efternamn", "E-postadress", "Gatuadress", "Postnummer", "Ort", "Födelsedatum"]
    plan = plan_import(write_csv(tmp_path / "kundlista.csv", swedish, [["Anna", "Berg", "anna@example.se",
                                                                      "Storgatan 3", "114 55", "Stockholm", "1990-04-02"]]),
                       ImportOptions(region="SE"), vault.conn)
    assert plan.mapping == ["first_name", "last_name", "email", "address_line1", "postal_code", "city", "birth_date"]
    finnish = ["Nimi", "Sukunimi", "Sähköposti", "Puhelin", "Postinumero", "Postitoimipaikka", "By"]
    guesses, _ = guess_mapping(finnish, [["Aino", "Virtanen", "aino@example.fi", "040 123 4567", "00100", "Helsinki", ""]])
    assert [g.field for g in guesses] == ["first_name", "last_name", "email", "phone", "postal_code", "city", "custom"]


def test_a_remembered_mapping_is_used_for_the_same_headers(vault, tmp_path):
    header = ["Who", "Reach me"]
    path = write_csv(tmp_path / "list.csv", header, [["Ann Lee", "ann@example.org"], ["Bo Ng", "bo@example.org"]])
    plan = plan_import(path, ImportOptions(mapping=["full_name", "email"]), vault.conn)
    run_import(vault, plan)
    again = plan_import(write_csv(tmp_path / "list2.csv", header, [["Cy Oh", "cy@example.org"]]), ImportOptions(), vault.conn)
    assert again.mapping_origin == "remembered" and again.mapping == ["full_name", "email"]


def test_import_is_audited_without_personal_data(vault, customers):
    do_import(vault, customers)
    entry = vault.conn.execute("SELECT details FROM audit_log WHERE action = 'import_finished'").fetchone()[0]
    assert json.loads(entry)["inserted"] == 5 and "example.org" not in entry


def test_shopify_lines_without_the_order_id_stay_in_their_order(vault, tmp_path):
    header = ["Name", "Email", "Total", "Created at", "Lineitem quantity", "Lineitem name", "Lineitem price", "Id"]
    rows = [["#1001", "ann@example.org", "45.00", "2024-01-05 10:00:00 -0800", "1", "Mug", "15.00", "5001"],
            ["#1001", "ann@example.org", "", "2024-01-05 10:00:00 -0800", "2", "Cup", "15.00", ""],
            ["#1002", "ann@example.org", "9.50", "2024-02-01 09:00:00 -0800", "1", "Tea", "9.50", "5002"]]
    report = do_import(vault, write_csv(tmp_path / "orders_export_1.csv", header, rows))
    assert report.events == 2
    items = [len(json.loads(d)["items"]) for d, in vault.conn.execute("SELECT data FROM events ORDER BY id")]
    assert items == [2, 1]


def _stored_customers(vault) -> list[tuple]:
    return vault.conn.execute(
        "SELECT source_record_id, raw, norm, content_hash, display_name, email, phone FROM source_records"
        " ORDER BY source_record_id").fetchall()


def _import_in_thread(vault, path):
    """As the GUI runs an import: on a thread other than the main one, with a connection of its own."""
    result = {}

    def work():
        conn = vault.new_connection()
        try:
            result["report"] = run_import(vault, plan_import(path, ImportOptions(), conn), conn=conn)
        finally:
            conn.close()

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(120)
    return result["report"]


def test_workers_forked_from_the_main_thread_or_from_the_fork_server_store_the_same(tmp_path, monkeypatch):
    from c360_desktop.core import parallel
    from c360_desktop.core.ingest import importer

    rows = [shopify_row(i, f"F{i % 7}", f"L{i}", f"p{i}@example.org", f"+1 415 555 {i % 10000:04d}")
            for i in range(9000)]
    path = write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows)
    monkeypatch.setattr(importer, "PARALLEL_MIN_ROWS", 0)
    started = []
    real_pool = parallel._pool
    monkeypatch.setattr(parallel, "_pool", lambda method, shared: started.append(method) or real_pool(method, shared))
    stored = {}
    for how, run in (("fork", do_import), ("forkserver", _import_in_thread), ("in-process", do_import)):
        if how == "in-process":
            monkeypatch.setattr(parallel, "start_method", lambda: None)
        vault, _ = Vault.create(tmp_path / f"{how}.c360", GOOD_PASSPHRASE)
        assert run(vault, path).inserted == 9000
        stored[how] = _stored_customers(vault)
        vault.close()
    assert started == ["fork", "forkserver"]
    assert stored["fork"] == stored["forkserver"] == stored["in-process"]


def test_a_customer_twice_in_one_file_keeps_only_the_later_keys_and_terms(vault, tmp_path):
    from c360_desktop.core.profiles.search import record_terms

    rows = [shopify_row(7001, "Ann", "Old", "ann.old@example.org", "+1 415 555 0100"),
            shopify_row(7002, "Bob", "Other", "bob@example.org"),
            shopify_row(7001, "Ann", "New", "ann.new@example.org", "+1 415 555 0199")]
    report = do_import(vault, write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, rows))
    assert (report.inserted, report.updated) == (2, 1)
    record_id, = vault.conn.execute("SELECT id FROM source_records WHERE source_record_id = '7001'").fetchone()
    keys = {key for key, in vault.conn.execute("SELECT key FROM record_keys WHERE record_id = ?", (record_id,))}
    assert keys == {"ann.new@example.org", "+14155550199"}
    stored = {term for term, in vault.conn.execute("SELECT term FROM search_terms WHERE record_id = ?", (record_id,))}
    assert stored == {term for term, _ in record_terms(vault.conn, [record_id])}
    assert "old" not in stored and "new" in stored


def test_every_reference_an_import_writes_holds(vault):
    """Imports write without per-row foreign-key checks: the whole fixture set must still check clean."""
    for path in sorted(EXPORTS.glob("*.*")):
        if path.name not in ("ground_truth.csv", "empty.csv", "garbage.bin"):
            do_import(vault, path)
    assert vault.count("source_records") > 100 and vault.count("events") > 20
    assert vault.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert vault.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert vault.conn.execute("PRAGMA cache_size").fetchone()[0] == -65536   # the import's larger cache is gone
    evidence = [json.loads(e) for e, in vault.conn.execute("SELECT evidence FROM consents WHERE import_id IS NOT NULL")]
    assert len(evidence) > 100 and all(isinstance(e["row"], int) and e["file"] for e in evidence)
    assert any(e.get("evidence") for e in evidence) and any(e.get("reason") for e in evidence)


def test_consent_evidence_is_the_json_of_the_tools_part_with_file_and_row(vault, tmp_path):
    from c360_desktop.core.ingest import importer

    plan = plan_import(write_csv(tmp_path / "customers_export.csv", SHOPIFY_HEADER, []), ImportOptions(), vault.conn)
    vault.conn.execute("BEGIN")
    writer = importer._Writer(vault.conn, plan, importer.ImportReport("f", None, "shopify"))
    cases = [({"tool_status": "yes"}, 7), ({"tool_status": "yes"}, 8), ({"tool_status": "yes", "évidence": "ip 1"}, 9),
             ({}, 10), ({"row": 3, "tool_status": "no"}, 11)]
    for evidence, number in cases:
        expected = json.dumps(dict(evidence, file="customers_export.csv", row=number), ensure_ascii=False)
        assert writer._evidence_json(evidence, number) == expected
    vault.conn.execute("ROLLBACK")


def test_undo_after_matching_removes_the_profiles_it_made(vault, customers):
    from c360_desktop.core.identity.engine import run_match

    report = do_import(vault, customers)
    run_match(vault)
    assert vault.count("profiles") == 5
    undo_import(vault, report.import_id)
    assert vault.count("profiles") == 0 and vault.count("profile_members") == 0
