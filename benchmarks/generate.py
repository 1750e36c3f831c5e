"""A deterministic customer export of N rows and 20 columns, in Shopify's layout, for the import benchmark.

`write_customers(path, n)` (or `python -m benchmarks.generate FILE N`). The identity-resolution world,
several tools' exports with a ground truth, is benchmarks/world.py.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

FIRST = ["Ann", "Bob", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivan", "Jo", "Kim", "Lee", "Mia", "Ned", "Ola",
         "Pia", "Raj", "Sue", "Tom", "Uma", "Vic", "Wes", "Xia", "Yuri", "Zoë", "José", "Ægir", "Chloé"]
LAST = ["Smith", "Jones", "Lee", "Brown", "García", "Müller", "Nguyen", "Kowalski", "Rossi", "Dubois", "Khan",
        "O'Neil", "Silva", "Novak", "Tanaka", "Okafor", "Ivanova", "Hansen", "Cohen", "Singh"]
CITIES = [("Boston", "MA", "02134"), ("Austin", "TX", "78701"), ("Denver", "CO", "80202"), ("Seattle", "WA", "98101"),
          ("Miami", "FL", "33101"), ("Portland", "OR", "97201"), ("Chicago", "IL", "60601")]
HEADER = ["Customer ID", "First Name", "Last Name", "Email", "Accepts Email Marketing", "Default Address Company",
          "Default Address Address1", "Default Address Address2", "Default Address City",
          "Default Address Province Code", "Default Address Country Code", "Default Address Zip",
          "Default Address Phone", "Phone", "Accepts SMS Marketing", "Total Spent", "Total Orders", "Note",
          "Tax Exempt", "Tags"]


def customer_rows(count: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(count):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        city, region, zip_code = rng.choice(CITIES)
        phone = f"+1 {rng.randint(201, 989)} 555 {rng.randint(0, 9999):04d}"
        yield [
            f"'{6000000000000 + i}", first, last, f"{first.lower()}.{last.lower()}{i}@example.com".replace("'", ""),
            rng.choice(["yes", "no"]), rng.choice(["", "", "Acme Inc", "Blue Ltd"]),
            f"{rng.randint(1, 9999)} {rng.choice(['Main St', 'Oak Avenue', 'Elm Rd', 'Pine Street'])}",
            rng.choice(["", "", "Apt 2"]), city, region, "US", f"'{zip_code}", phone,
            phone if rng.random() < 0.5 else f"({phone[3:6]}) 555-{phone[-4:]}", rng.choice(["yes", "no"]),
            f"{rng.randint(0, 90000) / 100:.2f}", str(rng.randint(0, 20)), "", "no", rng.choice(["", "VIP", "wholesale"]),
        ]


def write_customers(path: Path, count: int) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(customer_rows(count))
    return path


def main(argv=None) -> int:
    """python -m benchmarks.generate FILE ROWS: write the import benchmark's file."""
    import sys

    args = argv or sys.argv[1:]
    if len(args) != 2:
        print("usage: python -m benchmarks.generate FILE ROWS", file=sys.stderr)
        return 2
    write_customers(Path(args[0]), int(args[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
