"""Helpers of the import GUI tests: fixture files, waiting for wizard pages, counting rows in the vault."""

from __future__ import annotations

from pathlib import Path

EXPORTS = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
SHOPIFY = EXPORTS / "shopify_customers.csv"
GENERIC_DE = EXPORTS / "generic_de_semicolon.csv"
GARBAGE = EXPORTS / "garbage.bin"
TIMEOUT = 20_000


def counts(vault) -> tuple[int, int]:
    """(source records, imports) in the vault."""
    return vault.count("source_records"), vault.count("imports")


def wait_for_page(qtbot, wizard, page, timeout: int = TIMEOUT) -> None:
    qtbot.waitUntil(lambda: wizard.stack.currentWidget() is page and not wizard.busy, timeout=timeout)


def open_wizard(qtbot, window, *paths: Path):
    wizard = window.open_import_wizard(list(paths))
    assert wizard is not None
    qtbot.waitUntil(lambda: not wizard.busy, timeout=TIMEOUT)
    return wizard


def column_of(wizard, header: str) -> int:
    return wizard.plan.table.header.index(header)


def choose(combo, data) -> None:
    """Pick the entry whose data is ``data`` as a user would (``activated`` is emitted)."""
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def shopify_header() -> str:
    return SHOPIFY.read_text(encoding="utf-8").splitlines()[0]


def write_big_shopify_csv(path: Path, rows: int) -> Path:
    """A Shopify customers export of made-up people, ``rows`` long."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(shopify_header() + "\n")
        for i in range(rows):
            handle.write(f"{2_000_000 + i},First{i},Last{i},user{i}@example.com,yes,,{i} Main St,,Austin,TX,US,"
                         f"78701,,+1512555{i % 10000:04d},no,10.00,1,,no,\n")
    return path
