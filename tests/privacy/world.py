"""A small world of customers with canary values, written as real Shopify exports, for the erasure and
leak tests. Canary strings occur nowhere else, so finding one anywhere means the person's data is there."""

from __future__ import annotations

import csv
from pathlib import Path

from c360_desktop.core.identity.engine import run_match
from c360_desktop.core.ingest.importer import run_import
from c360_desktop.core.ingest.plan import ImportOptions, plan_import

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
NOT_EXPORTS = {"garbage.bin", "empty.csv", "ground_truth.csv"}

CANARY_EMAIL = "zq-canary-7731@example.org"
CANARY_SURNAME = "Zqworthington"
CANARY_PHONE = "+14155557731"
CANARY_STREET = "77 Zqcanary Lane"
CANARY_NOTE = "zq-note-canary-7731"
CANARY_ORDER = "#ZQ7731"
CANARIES = (CANARY_EMAIL, CANARY_SURNAME, CANARY_SURNAME.lower(), "4155557731", "415 555 7731", CANARY_STREET,
            "zqcanary", CANARY_NOTE)
CONTROL_EMAIL = "zq-control-4410@example.org"
CONTROL_SURNAME = "Zqlivingstone"

PEOPLE = [
    {"id": "'9000000007731", "first": "Petra", "last": CANARY_SURNAME, "email": CANARY_EMAIL,
     "phone": "+1 415 555 7731", "street": CANARY_STREET, "zip": "94110", "city": "San Francisco",
     "note": CANARY_NOTE},
    {"id": "'9000000004410", "first": "Oskar", "last": CONTROL_SURNAME, "email": CONTROL_EMAIL,
     "phone": "+1 415 555 4410", "street": "10 Control Road", "zip": "94103", "city": "San Francisco",
     "note": "regular"},
    {"id": "'9000000005520", "first": "Lena", "last": "Brightwater", "email": "lena.brightwater@example.net",
     "phone": "+1 212 555 5520", "street": "5 Elm Street", "zip": "10001", "city": "New York", "note": ""},
]
ORDERS = [("#ZQ7731", 0, "41.50"), ("#ZQ7732", 0, "12.00"), ("#ZQ4410", 1, "99.00"), ("#ZQ5520", 2, "7.25")]


def _header(name: str) -> list[str]:
    with open(EXPORTS / name, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def _write(path: Path, header: list[str], rows: list[dict]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, header, restval="")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_exports(folder: Path) -> list[Path]:
    """``canary_customers.csv`` and ``canary_orders.csv`` in Shopify's export format."""
    customers = [{"Customer ID": p["id"], "First Name": p["first"], "Last Name": p["last"], "Email": p["email"],
                  "Accepts Email Marketing": "yes", "Default Address Address1": p["street"],
                  "Default Address City": p["city"], "Default Address Country Code": "US",
                  "Default Address Zip": p["zip"], "Phone": p["phone"], "Note": p["note"]} for p in PEOPLE]
    orders = [{"Name": number, "Email": PEOPLE[who]["email"], "Financial Status": "paid", "Currency": "USD",
               "Total": total, "Subtotal": total, "Created at": f"2024-03-0{n + 1} 10:00:00 -0800",
               "Lineitem quantity": "1", "Lineitem name": "Candle", "Lineitem price": total,
               "Billing Name": f"{PEOPLE[who]['first']} {PEOPLE[who]['last']}",
               "Billing Address1": PEOPLE[who]["street"], "Billing Phone": PEOPLE[who]["phone"],
               "Shipping Name": f"{PEOPLE[who]['first']} {PEOPLE[who]['last']}", "Id": f"55{n}7731"}
              for n, (number, who, total) in enumerate(ORDERS)]
    return [_write(folder / "canary_customers.csv", _header("shopify_customers.csv"), customers),
            _write(folder / "canary_orders.csv", _header("shopify_orders.csv"), orders)]


def fixture_exports() -> list[Path]:
    return [p for p in sorted(EXPORTS.iterdir()) if p.name not in NOT_EXPORTS]


def import_files(vault, paths) -> list:
    return [run_import(vault, plan_import(path, ImportOptions(), vault.conn)) for path in paths]


def build_world(vault, folder: Path, *, with_fixtures: bool = True) -> list[Path]:
    """Every fixture export (optional) and the canary exports, imported and matched; returns the canary files."""
    files = write_exports(folder)
    import_files(vault, (fixture_exports() if with_fixtures else []) + files)
    run_match(vault)
    return files
