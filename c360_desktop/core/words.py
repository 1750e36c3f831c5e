"""Counts, sizes and scores in words, as every face of c360 (app, command line, receipts) says them."""

from __future__ import annotations

import math


def plural(count: int, word: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,204 entries`` (with ``many``): a count and its noun."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def file_size(size_in_bytes: int) -> str:
    """``812.3 KB``, ``1.4 GB``: a file's size as a person reads it (decimal units, as file managers show them)."""
    size = float(size_in_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if round(size, 1) < 1000 or unit == "GB":   # 999,960 bytes is 1.0 MB, not "1,000.0 KB"
            break
        size /= 1000
    return plural(size_in_bytes, "byte") if unit == "bytes" else f"{size:,.1f} {unit}"


def score_text(probability: float) -> str:
    """A probability as a percentage that never rounds a doubtful pair up to 100 %."""
    if probability >= 0.99:
        return f"{math.floor(probability * 1000) / 10:.1f}%"
    return f"{math.floor(probability * 100):.0f}%"
