"""benchmarks/splink_bench.py: the Splink input frame and the record -> file-row mapping, on a tiny vault.

Skipped when Splink (a benchmark-only dependency: pip install '.[bench]') is not installed.
"""

from __future__ import annotations

import csv
import math

import pytest

pytest.importorskip("splink")
pytest.importorskip("duckdb")

from benchmarks import splink_bench as sb  # noqa: E402
from benchmarks.match import _load_clusters  # noqa: E402

NOW = "2026-01-01T00:00:00+00:00"


def _record(conn, import_id, record_id, file_name, row_number, **fields):
    columns = ["id", "source", "source_record_id", "origin", "import_id", "last_import_id", "file_name",
               "row_number", "raw", "norm", "content_hash", "created_at", "updated_at", *fields]
    values = [record_id, "shop", f"c{record_id}", "customer", import_id, import_id, file_name, row_number, "{}",
              "[]", f"h{record_id}", NOW, NOW, *fields.values()]
    conn.execute(f"INSERT INTO source_records({', '.join(columns)}) VALUES ({', '.join('?' * len(values))})", values)


@pytest.fixture
def filled(vault):
    """Three records: one with everything (two emails, two phones), one with almost nothing, and one
    read from two files; an order with two line rows for record 2 and an order with no customer."""
    with vault.transaction() as conn:
        conn.execute("INSERT INTO imports(id, file_name, file_sha256, source, started_at) VALUES (1, 'a.csv', 'x',"
                     " 'shop', ?)", (NOW,))
        _record(conn, 1, 1, "a.csv", 1, first_name="José María", last_name="Núñez-Ortiz",
                email="J.Doe+shop@Gmail.com", phone="+14155550199", postal_code="94107-1234", city="São Paulo",
                birth_date="1980-02-03", address_key="12 main st")
        _record(conn, 1, 2, "a.csv", 2, first_name="", last_name=None)
        _record(conn, 1, 3, "a.csv", 3, first_name="ANN", last_name="Lee", postal_code="sw1a 1aa")
        conn.executemany("INSERT INTO record_keys(kind, key, record_id) VALUES (?, ?, ?)", [
            ("email", "jdoe@gmail.com", 1), ("email", "a@example.com", 1), ("email_exact", "j.doe+shop@gmail.com", 1),
            ("phone", "+14155550100", 1), ("phone", "+14155550199", 1),
            ("email", "zed@example.com", 2), ("email", "bob@example.com", 2), ("email_exact", "Bob@example.com", 2),
        ])
        conn.executemany("INSERT INTO record_rows(record_id, import_id, file_name, row_number) VALUES (?, 1, ?, ?)",
                         [(1, "a.csv", 1), (2, "a.csv", 2), (3, "a.csv", 3), (3, "b.csv", 7)])
        conn.executemany("INSERT INTO events(id, kind, source, source_event_id, record_id, import_id, last_import_id,"
                         " data, raw, content_hash) VALUES (?, 'order', 'shop', ?, ?, 1, 1, '{}', '[]', ?)",
                         [(10, "#1001", 2, "e10"), (11, "#1002", None, "e11")])
        conn.executemany("INSERT INTO event_rows(event_id, import_id, file_name, row_number) VALUES (?, 1, ?, ?)",
                         [(10, "orders.csv", 1), (10, "orders.csv", 2), (11, "orders.csv", 3)])
    return vault


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_input_frame_is_the_normalised_record(filled):
    frame = sb.load_frame(filled.conn)
    assert tuple(frame.columns) == sb.FRAME_COLUMNS
    assert frame["unique_id"].tolist() == [1, 2, 3]
    one, two, three = (row for _, row in frame.iterrows())
    # names folded (lower-case, accents out), first name to its first token; the record's own email's
    # canonical key (not merely the first key in sort order) and its own phone; postcode and city as c360 keys them
    assert (one.first_name, one.last_name) == ("jose", "nunez ortiz")
    assert one.email == "jdoe@gmail.com"
    assert one.phone == "+14155550199"
    assert (one.postal_code, one.city, one.birth_date, one.address_key) == ("94107", "sao paulo", "1980-02-03",
                                                                           "12 main st")
    # no email column: the first canonical key; nothing else: nulls, never empty strings
    assert two.email == "bob@example.com"
    assert all(_missing(two[c]) for c in ("first_name", "last_name", "phone", "postal_code", "city", "birth_date",
                                          "address_key"))
    assert (three.first_name, three.last_name, three.postal_code) == ("ann", "lee", "SW1A1AA")
    assert _missing(three.email) and _missing(three.phone)


def test_every_file_row_maps_to_its_record(filled):
    rows = sb.row_map(filled.conn)
    assert [(f, r, rid) for f, r, _, _, rid in rows] == [
        ("a.csv", 1, 1), ("a.csv", 2, 2), ("a.csv", 3, 3), ("b.csv", 7, 3),
        ("orders.csv", 1, 2), ("orders.csv", 2, 2),  # order lines go to the order's customer record
    ]  # an order with no customer record is left out, as `c360 clusters` leaves it out
    assert rows[0][2:4] == ("shop", "c1")


def test_clusters_csv_has_the_columns_of_c360_clusters(filled, tmp_path):
    from c360_desktop.core.identity.clusters import CLUSTER_COLUMNS

    rows = sb.row_map(filled.conn)
    out = tmp_path / "splink.csv"
    assert sb.write_clusters(rows, {1: 5, 2: 5}, out) == len(rows)
    with open(out, newline="", encoding="utf-8") as handle:
        written = list(csv.reader(handle))
    assert tuple(written[0]) == CLUSTER_COLUMNS == sb.CLUSTER_COLUMNS
    profile = {(f, int(r)): p for f, r, _, _, p in written[1:]}
    assert profile[("a.csv", 1)] == profile[("a.csv", 2)] == profile[("orders.csv", 2)] == "5"
    assert profile[("a.csv", 3)] == profile[("b.csv", 7)] == "r3"  # left out by Splink: its own cluster
    # match.py reads it with the same code as c360's clusters file
    keys = [("a.csv", 1), ("a.csv", 2), ("b.csv", 7), ("orders.csv", 3)]
    predicted, missing = _load_clusters(out, {"keys": lambda: iter(keys)})
    assert predicted[:3] == ["5", "5", "r3"] and missing == 1


@pytest.mark.parametrize("model", ["tuned", "docs"])
def test_settings_fit_the_frame(filled, model):
    from splink import DuckDBAPI, Linker

    frame = sb.load_frame(filled.conn)
    db_api = DuckDBAPI()
    Linker(db_api.register(frame), sb.splink_settings(model))  # validates every column the model names
    with pytest.raises(ValueError):
        sb.splink_settings("nonsense")
