"""Helpers for bulk work over hundreds of thousands of rows (a matching run, a large import)."""

from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def indexes_rebuilt(conn, table: str):
    """Drop the table's own indexes for a bulk write and build them again after: one sort each instead of
    hundreds of thousands of updates at random places (a full matching run at 1M). Inside the caller's
    transaction."""
    indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                           " AND sql IS NOT NULL", (table,)).fetchall()
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in indexes:
        conn.execute(sql)


@contextmanager
def gc_paused():
    """No cyclic garbage collection for the duration: bulk work builds millions of small objects and no
    cycles, and every full collection walks all of them (~7 % of a 1M matching run)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
