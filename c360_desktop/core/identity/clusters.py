"""Every imported row of every file, mapped to the profile it ended in (``c360 clusters``)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..keys import write_atomically

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
    """The rows hold record keys (``email:…``): written like every c360 file, readable by the owner only."""
    count = 0
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(CLUSTER_COLUMNS)
    for row in cluster_rows(conn):
        writer.writerow(row)
        count += 1
    write_atomically(Path(path), buffer.getvalue().encode("utf-8"))
    return count
