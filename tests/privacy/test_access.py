"""Access export (Art. 15/20): every source row of the person and nothing of anyone else, checked
against the fixture exports' ground truth; CSV cells safe from formulas; atomic; audited; fast."""

from __future__ import annotations

import csv
import io
import json
import re
import time
import zipfile
from collections import defaultdict

import pytest

from c360_desktop.core import audit
from c360_desktop.core.identity.clusters import cluster_rows
from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.privacy.access import ExportCancelled, export_profile
from c360_desktop.core.privacy.requests import get_request, open_request
from c360_desktop.core.profiles.profile import profiles_by_email
from tests.identity.helpers import import_people, profile_of

from .world import CANARY_EMAIL, EXPORTS, build_world, fixture_exports, import_files

FORMULAS = ('=HYPERLINK("http://evil.example","click")', "+SUM(1)", "-1+1", "@A1")


def read_zip(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def exported_rows(document: dict) -> set[tuple[str, int]]:
    rows = {(r["file"], r["row"]) for s in document["source_records"] for r in s["rows"]}
    return rows | {(r["file"], r["row"]) for e in document["events"] for r in e["rows"]}


def _truth() -> dict[tuple[str, int], str]:
    with open(EXPORTS / "ground_truth.csv", newline="", encoding="utf-8") as handle:
        return {(r["file"], int(r["row"])): r["person_id"] for r in csv.DictReader(handle)}


def _emails_by_person(conn, truth) -> dict[str, set[str]]:
    found = defaultdict(set)
    for file_name, row, email in conn.execute(
            "SELECT rr.file_name, rr.row_number, r.email FROM record_rows rr JOIN source_records r"
            " ON r.id = rr.record_id WHERE r.email IS NOT NULL"):
        person = truth.get((file_name, row))
        if person:
            found[person].add(email)
    return found


@pytest.fixture
def matched(vault):
    import_files(vault, fixture_exports())
    run_match(vault)
    return vault


def test_each_export_holds_every_row_of_the_person_and_nothing_of_anyone_else(matched, tmp_path):
    vault, truth = matched, _truth()
    rows_by_profile = defaultdict(set)
    for file_name, row, _source, _sid, profile_id in cluster_rows(vault.conn):
        rows_by_profile[profile_id].add((file_name, row))
    emails = _emails_by_person(vault.conn, truth)
    people_seen = set()
    for profile_id, rows in rows_by_profile.items():
        out = tmp_path / f"p{profile_id}.zip"
        export_profile(vault, profile_id, out)
        files = read_zip(out)
        assert exported_rows(json.loads(files["data.json"])) == rows, "every row that landed in the profile"
        present = {truth.get(row) for row in rows} - {None, ""}
        people_seen |= present
        everything = "\n".join(files.values()).lower()
        own = set().union(*(emails[p] for p in present)) if present else set()
        others = set().union(*(e for p, e in emails.items() if p not in present)) - own
        assert not [email for email in others if email in everything], f"profile {profile_id} leaks"
    assert people_seen == set(truth.values()) - {""}, "every fixture person was exported"


def test_the_zip_has_json_csv_files_and_a_readable_summary(matched, tmp_path):
    vault = matched
    profile_id = max(rows for rows in vault.conn.execute(
        "SELECT profile_id FROM profile_members GROUP BY profile_id ORDER BY count(*) DESC LIMIT 1"))[0]
    started = time.perf_counter()
    result = export_profile(vault, profile_id, tmp_path / "biggest.zip")
    assert time.perf_counter() - started < 2.0
    files = read_zip(tmp_path / "biggest.zip")
    assert {"data.json", "summary.html", "golden_record.csv", "source_rows.csv", "events.csv", "consent.csv",
            "file_rows.csv"} <= set(files) and sorted(files) == sorted(result["files"])
    document = json.loads(files["data.json"])
    assert {"golden_record", "source_records", "events", "consent", "matching", "processing", "notes",
            "corrections", "restrictions"} <= set(document)
    assert document["processing"]["retention"] and document["processing"]["sources"]
    assert all(s["raw"] and s["normalised"] and s["tool"] for s in document["source_records"])
    assert result["counts"]["source_records"] == len(document["source_records"])
    assert "<script" not in files["summary.html"] and "http" not in files["summary.html"]
    entry = audit.entries(vault.conn, limit=1, action="access_exported")[0]
    assert entry.details["profile_id"] == profile_id and entry.details["counts"] == result["counts"]


def test_the_summary_speaks_to_the_customer_and_the_data_files_stay_machine_readable(matched, tmp_path):
    vault = matched
    profile_id = vault.conn.execute(
        "SELECT profile_id FROM profile_members GROUP BY profile_id ORDER BY count(*) DESC LIMIT 1").fetchone()[0]
    export_profile(vault, profile_id, tmp_path / "biggest.zip")
    files = read_zip(tmp_path / "biggest.zip")
    document, page = json.loads(files["data.json"]), files["summary.html"]
    keys = {s["tool"] for s in document["source_records"]} | {e["tool"] for e in document["events"]}
    assert {"zendesk_support", "quickbooks_online", "outlook_com_new_outlook_microsoft_365"} <= keys
    words = re.sub(r"[\w.-]+\.(csv|xlsx|xls|ods|txt)", "", page)   # file names may hold a tool's key
    assert not [key for key in keys if "_" in key and key in words]
    for name in ("Zendesk Support", "QuickBooks Online", "Outlook.com", "Shopify"):
        assert f"<td>{name}</td>" in page
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d:", page), "no raw timestamps"
    assert re.search(r"Exported \d{1,2} [A-Z][a-z]+ 20\d\d\.", page)
    kinds = {e["kind"] for e in document["events"]}
    assert {"order", "payment"} <= kinds
    assert "<td>Order</td>" in page and "<td>Payment</td>" in page and "<td>order</td>" not in page
    first = min(e["occurred_at"] for e in document["events"] if e["occurred_at"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:]+([+-]\d\d:\d\d)?", first)   # data.json keeps ISO times
    assert "zendesk_support" in files["events.csv"] + files["source_rows.csv"]


def test_the_summary_holds_notes_limits_items_every_file_and_what_art_15_asks(vault, tmp_path):
    from c360_desktop.core.privacy.restriction import object_to_marketing
    from c360_desktop.core.profiles.edits import add_note

    zed = {"id": "z1", "first": "Zed", "last": "Quixley", "email": "zed@example.org", "city": "Oldmarket"}
    record_id = import_people(vault, tmp_path, "customers", [zed])["z1"]
    run_match(vault)
    profile_id = profile_of(vault, record_id)
    add_note(vault, profile_id, "note", "QXNOTE allergic to lavender", "he asked us to remember")
    object_to_marketing(vault, profile_id, "letter of 3 May")
    export_profile(vault, profile_id, tmp_path / "z.zip")
    files = read_zip(tmp_path / "z.zip")
    page, processing = files["summary.html"], json.loads(files["data.json"])["processing"]
    assert "QXNOTE allergic to lavender" in page and "he asked us to remember" in page
    assert "he asked us to remember" in files["notes.csv"]
    assert "Objection to direct marketing (Art. 21)" in page and "still in force" in page
    assert "letter of 3 May" in page
    assert "Name" in processing["categories"] and "Automated decisions" in page
    assert "no decision" in processing["automated_decisions"].lower()


def test_the_summary_lists_each_file_a_row_came_from(matched, tmp_path):
    [dana] = profiles_by_email(matched.conn, "dana.w@example.com")
    export_profile(matched, dana, tmp_path / "d.zip")
    files = read_zip(tmp_path / "d.zip")
    document = json.loads(files["data.json"])
    wanted = {r["file"] for e in document["events"] for r in e["rows"]}
    wanted |= {r["file"] for s in document["source_records"] for r in s["rows"]}
    assert wanted and all(f"<td>{name}</td>" in files["summary.html"] for name in wanted)


def test_csv_cells_are_protected_against_formulas_and_html_is_escaped(vault, tmp_path):
    people = [{"id": "f1", "first": FORMULAS[0], "last": "<script>alert(1)</script>", "email": "f1@example.net",
               "city": FORMULAS[1], "zip": FORMULAS[3], "phone": "+1 212 555 0199"}]
    record_id = import_people(vault, tmp_path, "formulas", people)["f1"]
    run_match(vault)
    export_profile(vault, profile_of(vault, record_id), tmp_path / "f.zip")
    files = read_zip(tmp_path / "f.zip")
    cells = [cell for name, text in files.items() if name.endswith(".csv")
             for row in csv.reader(io.StringIO(text.lstrip("\ufeff"))) for cell in row]
    assert "'" + FORMULAS[0] in cells and "'+SUM(1)" in cells and "'@A1" in cells
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert FORMULAS[0] in json.loads(files["data.json"])["source_records"][0]["raw"].values()
    assert "<script>" not in files["summary.html"] and "&lt;script&gt;" in files["summary.html"]


def test_a_birthday_without_its_year_reads_as_a_day_and_month_in_the_summary(vault, tmp_path):
    people = [{"id": "b1", "first": "Ines", "last": "Duarte", "email": "ines@example.net", "birth": "--06-14"}]
    record_id = import_people(vault, tmp_path, "birthdays", people)["b1"]
    run_match(vault)
    export_profile(vault, profile_of(vault, record_id), tmp_path / "b.zip")
    files = read_zip(tmp_path / "b.zip")
    assert json.loads(files["data.json"])["golden_record"]["birth_date"]["value"] == "--06-14"
    assert "14 June (year not given)" in files["summary.html"]


def test_values_a_later_import_replaced_are_in_the_export(vault, tmp_path):
    zed = {"id": "z1", "first": "Zed", "last": "Quixley", "email": "zed@example.org", "city": "Oldmarket"}
    import_people(vault, tmp_path, "shop", [zed])
    record_id = import_people(vault, tmp_path, "shop", [dict(zed, city="Newtown")])["z1"]
    run_match(vault)
    export_profile(vault, profile_of(vault, record_id), tmp_path / "z.zip")
    files = read_zip(tmp_path / "z.zip")
    record = json.loads(files["data.json"])["source_records"][0]
    assert record["raw"]["city"] == "Newtown"
    assert [v["raw"]["city"] for v in record["earlier_versions"]] == ["Oldmarket"]
    assert "Oldmarket" in files["earlier_versions.csv"]


def test_comparisons_with_other_customers_are_counted_not_described(vault, tmp_path):
    ids = import_people(vault, tmp_path, "shop", [
        {"id": "a", "first": "Emily", "last": "Fairweather", "phone": "+1 617 555 0148", "zip": "02134"},
        {"id": "b", "first": "Tom", "last": "Fairweather", "phone": "+1 617 555 0148", "zip": "02134"}])
    run_match(vault)
    assert profile_of(vault, ids["a"]) != profile_of(vault, ids["b"])
    export_profile(vault, profile_of(vault, ids["a"]), tmp_path / "e.zip")
    matching = json.loads(read_zip(tmp_path / "e.zip")["data.json"])["matching"]
    assert matching["pairs"] == [] and matching["compared_with_other_customers"] == 1


def test_a_redacted_export_masks_a_record_key_made_from_an_email(vault, tmp_path):
    record_id = import_people(vault, tmp_path, "list", [{"first": "Zed", "email": "zed.quixley@example.org"}])
    record_id = next(iter(record_id.values()))
    run_match(vault)
    export_profile(vault, profile_of(vault, record_id), tmp_path / "r.zip", redacted=True)
    assert "zed.quixley@example.org" not in read_zip(tmp_path / "r.zip")["data.json"]


def test_a_correction_being_written_at_a_lock_is_in_the_export_masked_as_its_field(vault, tmp_path):
    from c360_desktop.core.profiles.edits import keep_unsaved_edit

    record_id = next(iter(import_people(vault, tmp_path, "list", [{"first": "Zed", "email": "zed@example.org"}]).values()))
    run_match(vault)
    profile_id = profile_of(vault, record_id)
    keep_unsaved_edit(vault.conn, profile_id, "correction", {"field": "email", "value": "zed.new@example.org",
                                                             "reason": "asked by phone"})
    export_profile(vault, profile_id, tmp_path / "r.zip", redacted=True)
    document = json.loads(read_zip(tmp_path / "r.zip")["data.json"])
    [kept] = [n for n in document["notes"] if n["kind"] == "correction (being written, not saved)"]
    assert kept["text"].startswith("email: ") and "zed.new@example.org" not in kept["text"]


def test_a_cancelled_export_leaves_nothing_and_a_redacted_one_masks(vault, tmp_path):
    build_world(vault, tmp_path, with_fixtures=False)
    (profile_id,) = profiles_by_email(vault.conn, CANARY_EMAIL)
    folder = tmp_path / "out"
    folder.mkdir()
    seen = []
    with pytest.raises(ExportCancelled):
        export_profile(vault, profile_id, folder / "x.zip", progress=lambda done, total: seen.append(done),
                       cancelled=lambda: len(seen) >= 2)
    assert list(folder.iterdir()) == [] and seen == [1, 2]
    export_profile(vault, profile_id, folder / "r.zip", redacted=True)
    text = "\n".join(read_zip(folder / "r.zip").values())
    assert CANARY_EMAIL not in text and "z•••@e•••.org" in text


def test_an_export_for_a_request_is_noted_on_it(vault, tmp_path):
    build_world(vault, tmp_path, with_fixtures=False)
    (profile_id,) = profiles_by_email(vault.conn, CANARY_EMAIL)
    request_id = open_request(vault, "access", "SAR-9")
    export_profile(vault, profile_id, tmp_path / "sar.zip", request_id=request_id)
    request = get_request(vault.conn, request_id)
    assert request.profile_ids == [profile_id] and [a["action"] for a in request.actions] == ["opened", "exported"]
