"""Counts in words, as every face of c360 (app, command line, receipts) says them."""

from __future__ import annotations


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,204 entries`` (with ``many``): a count and its noun."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"
