"""The floor the importer is measured against: a plain executemany of a CSV into a fresh SQLCipher file.

    python -m benchmarks.reference FILE.csv DB_PATH

Reads the file with csv (every column as TEXT, one table), keys a new SQLCipher database with a raw
256-bit key (``PRAGMA key = "x'<64 hex>'"``, so no key derivation is timed) and inserts every row with
one executemany in one transaction. Prints one JSON line: rows, seconds (open to commit), bytes.
"""

from __future__ import annotations

import csv
import json
import secrets
import sys
import time
from pathlib import Path


def main(argv=None) -> int:
    source, target = (argv or sys.argv[1:])[:2]
    import sqlcipher3

    started = time.perf_counter()
    conn = sqlcipher3.connect(target, isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{secrets.token_hex(32)}'\"")
    with open(source, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        columns = ", ".join(f'"c{i}" TEXT' for i in range(len(header)))
        conn.execute(f"CREATE TABLE customers ({columns})")
        conn.execute("BEGIN")
        conn.executemany(f"INSERT INTO customers VALUES ({', '.join('?' * len(header))})", reader)
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    rows = conn.execute("SELECT count(*) FROM customers").fetchone()[0]
    conn.close()
    print(json.dumps({"rows": rows, "columns": len(header), "seconds": round(seconds, 3),
                      "bytes": Path(target).stat().st_size}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
