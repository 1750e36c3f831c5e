"""A vault holding N customers for the list, search and profile benchmarks, written straight into the schema.

Importing and matching a million rows is measured by the import and match benchmarks; this one needs
the end state (N profiles, each with source records from two tools, orders, tickets, consent and the
search index) quickly, so it writes the same rows the importer and the matcher would write: norm items
through ``encode_norm_item``, search terms through ``record_terms`` logic, summaries through the same
columns. Run in a child process: ``python -m benchmarks.profiles_fill VAULT N``.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
import time
import unicodedata

from c360_desktop.core.ingest.rows import encode_norm_item
from c360_desktop.core.profiles.search import name_terms, phrase_terms
from c360_desktop.core.vault import Vault

from .names import CITIES, FEMALE, MALE, SURNAMES_COMMON

CHUNK = 20_000
TOOLS = (("shopify", "shopify_customers.csv"), ("zendesk_support", "zendesk_users.csv"))


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _person(n: int, rng: random.Random) -> dict:
    first = rng.choice(FEMALE if n % 2 else MALE)
    last = rng.choice(SURNAMES_COMMON) if rng.random() < 0.7 else f"{rng.choice(SURNAMES_COMMON)}-{n % 997}"
    city_name = rng.choice(CITIES)[0]
    email = f"{_ascii(first)}.{_ascii(last).replace(' ', '')}{n}@example.com"
    phone = f"+1{rng.randint(201, 989)}555{n % 10_000:04d}"
    return {"first": first, "last": last, "email": email, "phone": phone, "city": city_name,
            "postal": f"{rng.randint(1000, 99999):05d}", "street": f"{rng.randint(1, 999)} Main St"}


def _record(record_id: int, n: int, person: dict, import_id: int, tool: str, file_name: str, now: str) -> tuple:
    raw = {"First Name": person["first"], "Last Name": person["last"], "Email": person["email"],
           "Phone": person["phone"], "Address1": person["street"], "City": person["city"], "Zip": person["postal"]}
    norm = [encode_norm_item("first_name", person["first"], person["first"], _ascii(person["first"]), "ok", None),
            encode_norm_item("last_name", person["last"], person["last"], _ascii(person["last"]), "ok", None),
            encode_norm_item("email", person["email"], person["email"], person["email"], "ok", None),
            encode_norm_item("phone", person["phone"], person["phone"], None, "ok", None),
            encode_norm_item("address_line1", person["street"], person["street"], person["street"].lower(), "ok", None),
            encode_norm_item("city", person["city"], person["city"], None, "ok", None),
            encode_norm_item("postal_code", person["postal"], person["postal"], None, "ok", None)]
    raw_json = json.dumps(raw, ensure_ascii=False)
    name = f"{person['first']} {person['last']}"
    return (record_id, tool, f"{tool[:2]}{n}", "customer", import_id, import_id, file_name, n + 1, raw_json,
            json.dumps(norm, ensure_ascii=False, separators=(",", ":")), hashlib.sha256(raw_json.encode()).hexdigest(),
            name, person["first"], person["last"], person["email"], person["phone"], person["postal"], person["city"],
            "US", None, None, person["street"].lower(), now, now)


def fill(vault_path: str, count: int, seed: int = 11) -> dict:
    rng = random.Random(seed)
    vault = Vault.open(vault_path, os.environ["C360_PASSPHRASE"])
    conn = vault.conn
    now = "2026-01-01T00:00:00+00:00"
    started = time.perf_counter()
    conn.execute("BEGIN")
    for import_id, (tool, file_name) in enumerate(TOOLS, start=1):
        conn.execute("INSERT INTO imports(id, file_name, file_sha256, source, started_at, finished_at, rows)"
                     " VALUES (?,?,?,?,?,?,?)", (import_id, file_name, "0" * 64, tool, now, now, count))
    record_id = event_id = 0
    for start in range(0, count, CHUNK):
        batch = {name: [] for name in ("records", "keys", "rows", "profiles", "members", "events", "terms", "consents")}
        for n in range(start, min(count, start + CHUNK)):
            person = _person(n, rng)
            profile_id = n + 1
            orders = rng.choice((0, 1, 1, 2, 3))
            spent = 0.0
            last = None
            for tool_index, (tool, file_name) in enumerate(TOOLS if n % 3 else TOOLS[:1]):
                record_id += 1
                record = _record(record_id, n, person, tool_index + 1, tool, file_name, now)
                batch["records"].append(record)
                batch["keys"] += [("email", person["email"], record_id), ("email_exact", person["email"], record_id),
                                  ("phone", person["phone"], record_id)]
                batch["rows"].append((record_id, tool_index + 1, file_name, n + 1))
                batch["members"].append((record_id, profile_id, record[10]))
                terms = name_terms(record[11]) | phrase_terms(record[11]) | {person["email"], person["phone"].lstrip("+"), record[2]}
                batch["terms"] += [(term, record_id) for term in terms]
                if tool_index == 0:
                    for k in range(orders):
                        event_id += 1
                        amount = round(rng.uniform(8, 240), 2)
                        spent += amount
                        last = f"2025-{1 + (n + k) % 12:02d}-{1 + k * 9:02d}T10:00:00"
                        data = json.dumps({"order_total": f"{amount:.2f}", "items": [{"name": "Speckled Mug", "quantity": "1"}]})
                        batch["events"].append((event_id, "order", tool, f"#{1000 + event_id}", record_id, 1, 1, last,
                                                f"{amount:.2f}", "USD", "paid", f"#{1000 + event_id}", data, "[]", "h"))
                        batch["terms"].append((str(1000 + event_id), record_id))
                    batch["consents"].append((record_id, "email_marketing", "granted" if n % 4 else "withdrawn",
                                              "2024-05-01T00:00:00", tool, 1, "{}", now))
            batch["profiles"].append((profile_id, f"{person['first']} {person['last']}", person["email"],
                                      person["phone"], ", ".join(t for t, _ in (TOOLS if n % 3 else TOOLS[:1])),
                                      2 if n % 3 else 1, orders, f"{spent:.2f}" if orders else None, last, now, now,
                                      "granted" if n % 4 else "withdrawn"))
        _write(conn, batch)
        conn.execute("COMMIT")
        conn.execute("BEGIN")
    conn.execute("COMMIT")
    filled = time.perf_counter() - started
    conn.execute("ANALYZE")
    vault.close()
    return {"profiles": count, "records": record_id, "events": event_id, "fill_seconds": round(filled, 1)}


def _write(conn, batch: dict) -> None:
    conn.executemany(f"INSERT INTO source_records VALUES ({','.join('?' * 24)})", batch["records"])
    conn.executemany("INSERT OR IGNORE INTO record_keys(kind, key, record_id) VALUES (?,?,?)", batch["keys"])
    conn.executemany("INSERT INTO record_rows(record_id, import_id, file_name, row_number) VALUES (?,?,?,?)", batch["rows"])
    conn.executemany(
        "INSERT INTO profiles(id, display_name, primary_email, primary_phone, sources, record_count, order_count,"
        " total_spent, last_activity_at, created_at, updated_at, consent_email) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        batch["profiles"])
    conn.executemany("INSERT INTO profile_members(record_id, profile_id, matched_hash) VALUES (?,?,?)", batch["members"])
    conn.executemany(
        "INSERT INTO events(id, kind, source, source_event_id, record_id, import_id, last_import_id, occurred_at, amount,"
        " currency, status, title, data, raw, content_hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", batch["events"])
    conn.executemany("INSERT OR IGNORE INTO search_terms(term, record_id) VALUES (?,?)", batch["terms"])
    conn.executemany(
        "INSERT INTO consents(record_id, purpose, status, stated_at, source, import_id, evidence, recorded_at)"
        " VALUES (?,?,?,?,?,?,?,?)", batch["consents"])


if __name__ == "__main__":
    print(json.dumps(fill(sys.argv[1], int(sys.argv[2]))))
