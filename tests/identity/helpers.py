"""Small worlds of people imported into a real vault for identity tests."""

from __future__ import annotations

import csv

from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import

COLUMNS = ["id", "first", "last", "email", "phone", "zip", "city", "birth", "street"]
MAPPING = ["source_record_id", "first_name", "last_name", "email", "phone", "postal_code", "city", "birth_date",
           "address_line1"]


def import_people(vault, tmp_path, name: str, people: list[dict]) -> dict[str, int]:
    """Write ``people`` (dicts with COLUMNS keys) as ``name``.csv, import it, return id -> record id."""
    path = tmp_path / f"{name}.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for person in people:
            writer.writerow([person.get(column, "") for column in COLUMNS])
    run_import(vault, plan_import(path, ImportOptions(mapping=MAPPING), vault.conn))
    source = "sheet:" + name
    return {sid: rid for sid, rid in vault.conn.execute(
        "SELECT source_record_id, id FROM source_records WHERE source = ?", (source,))}


def profile_of(vault, record_id: int) -> int:
    return vault.conn.execute("SELECT profile_id FROM profile_members WHERE record_id = ?", (record_id,)).fetchone()[0]


def partition(vault) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for record_id, profile_id in vault.conn.execute("SELECT record_id, profile_id FROM profile_members"):
        groups.setdefault(profile_id, set()).add(record_id)
    return {frozenset(g) for g in groups.values()}


def background(count: int, prefix: str = "bg") -> list[dict]:
    """Unrelated people, so the model has non-matches to learn from."""
    first = ["Ann", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kim", "Lee", "Mia", "Ned"]
    last = ["Abbott", "Baker", "Chen", "Diaz", "Evans", "Fox", "Gray", "Hill", "Ito", "Jain", "Khan", "Lund"]
    return [{"id": f"{prefix}{n}", "first": first[n % len(first)], "last": last[(n * 7) % len(last)] + str(n // 50),
             "email": f"{prefix}{n}@example.net", "phone": f"+1 212 555 {n:04d}", "zip": f"{10000 + n % 90:05d}",
             "city": "Springfield", "birth": f"19{50 + n % 40}-0{1 + n % 9}-1{n % 10}"} for n in range(count)]
