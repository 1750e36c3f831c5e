"""Spreadsheet-safe CSV cells: a cell a spreadsheet would run as a formula gets a leading apostrophe.

Excel, LibreOffice and Sheets execute cells starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return (OWASP "CSV injection"); quoting does not prevent it. Used by every CSV c360 writes for a person
to open (import reports, access exports). JSON exports stay unaltered.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\0")


def protect_cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
