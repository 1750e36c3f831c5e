"""Every imported row of every file, mapped to the profile it ended in (``c360 clusters``)."""

from __future__ import annotations

import csv
from pathlib import Path

CLUSTER_COLUMNS = ("file", "row", "source", "source_record_id", "profile_id")

_ROWS_SQL = """
    SELECT rr.file_name, rr.row_number, r.source, r.source_record_id, m.profile_id
    FROM record_rows rr JOIN source_records r ON r.id = rr.record_id
    LEFT JOIN profile_members m ON m.record_id = r.id
    UNION
    SELECT er.file_name, er.row_number, r.source, r.source_record_id, m.profile_id
    FROM event_rows er JOIN events e ON e.id = er.event_id JOIN source_records r ON r.id = e.record_id
    LEFT JOIN profile_members m ON m.record_id = r.id
    ORDER BY 1, 2
"""


def cluster_rows(conn):
    return conn.execute(_ROWS_SQL)


def write_clusters(conn, path: Path) -> int:
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLUSTER_COLUMNS)
        for row in cluster_rows(conn):
            writer.writerow(row)
            count += 1
    return count
