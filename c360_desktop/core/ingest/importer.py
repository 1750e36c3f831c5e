"""Running an import: one transaction per file, every row accounted for.

Each data row ends as exactly one of inserted, updated, unchanged, rejected or
suppressed. Records are keyed by (tool, the tool's id) or, without an id, by
the email or a stable fingerprint, so re-importing a file or a later export
that overlaps it creates no duplicates; a changed row keeps its previous
values in ``record_history``. Cancel, an error or a killed process roll the
whole file back.
"""

from __future__ import annotations

import hashlib
import json
import marshal
from collections import deque
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from operator import itemgetter
from typing import Callable

from .. import audit, parallel
from ..bulk import gc_paused
from ..errors import C360Error, storage_error
from ..identity.compare import LAST_DIFFERS, compare_last, different_people
from ..privacy.suppression import Suppressor
from ..profiles.search import id_term, index_records
from .fields import EVENT_ID_FIELDS
from .normalise import fold, is_company_name
from .plan import ImportPlan, remember_mapping
from .presets import header_key
from .rows import InterpretedRow, PreparedRow, RowInterpreter, fingerprint

PROGRESS_EVERY = 2000
SUMMARY_COLUMNS = ("display_name", "first_name", "last_name", "email", "phone", "postal_code", "city", "country",
                   "birth_date", "company", "address_key")
RECORD_STATE_COLUMNS = ("raw", "norm", "content_hash", "file_name", "row_number", "last_import_id") + SUMMARY_COLUMNS
BATCH_ROWS = 5000
_BATCH_SQL = {
    "records": "INSERT INTO source_records(id, source, source_record_id, origin, import_id, last_import_id, file_name,"
               " row_number, raw, norm, content_hash, created_at, updated_at, " + ", ".join(SUMMARY_COLUMNS) + ")"
               " VALUES (" + ", ".join("?" * (13 + len(SUMMARY_COLUMNS))) + ")",
    "keys": "INSERT OR IGNORE INTO record_keys(kind, key, record_id) VALUES (?,?,?)",
    "record_rows": "INSERT OR IGNORE INTO record_rows(record_id, import_id, file_name, row_number) VALUES (?,?,?,?)",
    "consents": "INSERT OR IGNORE INTO consents(record_id, purpose, status, stated_at, source, import_id, evidence,"
                " recorded_at) VALUES (?,?,?,?,?,?,?,?)",
    "terms": "INSERT OR IGNORE INTO search_terms(term, record_id) VALUES (?,?)",
}
MAX_LISTED_ISSUES = 1000
FILE_ROW = 0   # the row number of an issue with the whole file (bytes its encoding cannot read)
DERIVED_KEY_PREFIXES = ("email:", "fp:")   # record keys made by c360 when a row has no id of its tool
MAX_FOOTER_ROWS = 20   # single-cell rows after a blank line held as a possible footer; more are data
MAX_EVIDENCE_HEADS = 10_000
# Matching keys and search terms arrive in random key order, so each lands on a random page of an index that
# outgrows a small page cache (at 1M rows, 3M keys and 8M terms: over half the import's time with 64 MiB).
IMPORT_CACHE_SIZE = -384 * 1024   # KiB
ROLLBACK_JOURNAL_MIN_ROWS = 20_000   # see Vault.rollback_journal: at 1M rows 18 s of 177 s were the checkpoint


class ImportCancelled(C360Error):
    def __init__(self):
        super().__init__("Import cancelled: the vault is exactly as it was before.")


@dataclass
class ImportReport:
    file: str
    preset: str | None
    source: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    suppressed: int = 0
    events: int = 0
    consents: int = 0
    rejections: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)
    warning_count: int = 0
    import_id: int | None = None
    dry_run: bool = False
    detected: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "file": self.file, "preset": self.preset, "source": self.source, "rows": self.rows,
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": self.rejected, "suppressed": self.suppressed, "events": self.events,
            "consents": self.consents, "rejections": self.rejections, "warnings": self.warnings,
            "warning_count": self.warning_count, "import_id": self.import_id, "dry_run": self.dry_run,
            "detected": self.detected,
        }

    def count(self, outcome: str, rows: int = 1) -> None:
        setattr(self, outcome, getattr(self, outcome) + rows)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def file_sha256(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def run_import(vault, plan: ImportPlan, *, conn=None, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> ImportReport:
    """Import one planned file in one transaction; ``dry_run`` does all the work then rolls back."""
    conn = conn or vault.conn
    total = _estimate_rows(plan)
    bulk = total >= ROLLBACK_JOURNAL_MIN_ROWS and not dry_run
    try:
        with gc_paused(), vault.rollback_journal(conn) if bulk else nullcontext():
            return _import(plan, conn, total, dry_run, progress, cancelled)
    except Exception as error:
        storage = storage_error(error)   # a full disk above all: the whole file was rolled back
        if storage is None:
            raise
        raise storage from None


def _import(plan: ImportPlan, conn, total: int, dry_run: bool, progress, cancelled) -> ImportReport:
    report = ImportReport(file=plan.table.file_name, preset=plan.preset.name if plan.preset else None,
                          source=plan.source, dry_run=dry_run, detected=plan.describe())
    with _bulk_write_settings(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            writer = _Writer(conn, plan, report)
            for number, cells, prepared in _interpreted_rows(writer, total):
                if prepared is None:
                    writer.add_row(number, cells)
                else:
                    writer.add_customer(number, cells, prepared)
                if number % PROGRESS_EVERY == 0:
                    if cancelled and cancelled():
                        raise ImportCancelled()
                    if progress:
                        progress(number, max(total, number))
            writer.finish()
            if cancelled and cancelled():
                raise ImportCancelled()
            if dry_run:
                conn.execute("ROLLBACK")
            else:
                remember_mapping(conn, plan, _now())
                audit.append(conn, "import_finished", {
                    "import_id": report.import_id, "preset": report.preset, "rows": report.rows,
                    "inserted": report.inserted, "updated": report.updated, "rejected": report.rejected,
                    "suppressed": report.suppressed,
                })
                conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:   # SQLite has already rolled back after some errors (a full disk)
                conn.execute("ROLLBACK")
            raise
    if dry_run:
        report.import_id = None
    if progress:
        progress(report.rows, report.rows)
    return report


@contextmanager
def _bulk_write_settings(conn):
    """For the import's transaction: no per-row foreign-key checks (every reference an import writes is to a
    row it inserted or read under its own write lock, so each check — a lookup in every child table for each
    record inserted — only costs time), and a larger page cache (see IMPORT_CACHE_SIZE). Restored after."""
    cache = conn.execute("PRAGMA cache_size").fetchone()[0]
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"PRAGMA cache_size = {IMPORT_CACHE_SIZE}")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute(f"PRAGMA cache_size = {cache}")


PARALLEL_CHUNK = 4000
PARALLEL_MIN_ROWS = 20_000


def _prepare_rows(shared: tuple, chunk: list[tuple[int, list[str]]]) -> list[PreparedRow]:
    interpreter, source = shared
    return [interpreter.interpret(cells).prepared(source) for _, cells in chunk]


def _prepare_marshalled(shared: tuple, chunk: list[tuple[int, list[str]]]) -> bytes:
    """``_prepare_rows`` in a worker, serialised there as plain tuples with ``marshal``: the pool's result
    thread then only passes bytes on, instead of rebuilding objects while holding the interpreter lock the
    writer needs between its SQLite calls, and the writer reads a chunk back in under half the time pickled
    objects took (4 against 10 µs a row)."""
    with gc_paused():
        return marshal.dumps([tuple(row) for row in _prepare_rows(shared, chunk)])


_SUMMARY_NAMES = itemgetter(0, 1, 2, 9)   # display name, first name, last name, company of the summary columns
# Who an order is billed to when it is no person: "Accounts Payable", "Purchasing", "Buchhaltung".
_DEPARTMENTS = frozenset(("accounts", "accounting", "billing", "finance", "purchasing", "procurement", "office",
                          "admin", "administration", "reception", "orders", "sales", "team", "info", "buchhaltung",
                          "einkauf", "comptabilite", "facturation", "boekhouding", "inkoop", "administratie"))


def _person_names(display: str | None, first: str | None, last: str | None, company: str | None) -> tuple[str, str]:
    """(first token of the first name, last name), folded as matching compares them; empty when the name is a
    company's ("Café Beacon" billed as company Café Beacon) or a department's, which says nothing about who."""
    folded_first = fold(first or "").split(" ", 1)[0]
    if folded_first in _DEPARTMENTS or is_company_name(display or "") or (
            company and fold(company).startswith(fold(display or "") or "\0")):
        return "", ""
    return folded_first, fold(last or "")


def _email_keys(email_key: str):
    """``email:…``, ``email:…#2``, …: the keys of the people known by one email and no id in a tool."""
    yield "email:" + email_key
    occurrence = 2
    while True:
        yield f"email:{email_key}#{occurrence}"
        occurrence += 1


def _unmarshalled(data: bytes) -> list[PreparedRow]:
    return [PreparedRow._make(row) for row in marshal.loads(data)]


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _interpreted_rows(writer: "_Writer", total: int):
    """(number, cells, PreparedRow or None). Customer rows are interpreted in worker processes when the machine
    has several cores and the file has ``total`` rows enough to pay for them (see ``parallel``); event rows
    are grouped in order, so they stay here."""
    rows = writer.plan.table.data_rows()
    if writer.kind is not None:
        for number, cells in rows:
            yield number, cells, None
        return
    shared = (writer.interpreter, writer.source)
    sent: deque = deque()   # the chunks in flight, in order: their cells stay here, only results come back

    def chunks():
        for chunk in _chunks(rows, PARALLEL_CHUNK):
            sent.append(chunk)
            yield chunk

    if total >= PARALLEL_MIN_ROWS and parallel.workers_available():
        prepared_chunks = map(_unmarshalled, parallel.ordered_map(_prepare_marshalled, chunks(), shared=shared))
    else:
        prepared_chunks = (_prepare_rows(shared, chunk) for chunk in chunks())
    for prepared in prepared_chunks:
        for (number, cells), row in zip(sent.popleft(), prepared):
            yield number, cells, row


def _estimate_rows(plan: ImportPlan) -> int:
    if plan.table.format != "csv":
        return 0
    with open(plan.table.path, "rb") as handle:
        newlines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    header_lines = plan.table.header_index + (0 if plan.table.headerless else 1)
    return max(0, newlines - header_lines) // (2 if "16" in (plan.table.encoding or "") else 1)


class _Writer:
    """Turns interpreted rows into records, events and consents, keeping caches of what exists."""

    def __init__(self, conn, plan: ImportPlan, report: ImportReport):
        self.conn = conn
        self.plan = plan
        self.report = report
        self.source = plan.source
        self.kind = plan.event_kind
        self.now = _now()
        self.suppressor = Suppressor(conn)
        preset = plan.preset
        self.interpreter = RowInterpreter(
            plan.table.header, plan.mapping, region=plan.region, default_region=plan.phone_region.default,
            row_regions=plan.phone_region.grounds != "chosen", date_order=plan.date_order.order,
            decimal_comma=plan.decimal_comma, constants=preset.constants if preset else {},
            vocabularies=preset.values if preset else {},
            multi_value_separator=preset.multi_value_separator if preset else None,
            join=preset.join if preset else {},
            is_event=self.kind is not None, source=self.source,
            name_columns=tuple(index for index, header in enumerate(plan.table.header)
                               if preset and header_key(header) in preset.name_when_missing),
        )
        self.import_id = conn.execute(
            "INSERT INTO imports(file_name, file_sha256, preset, source, started_at, options) VALUES (?,?,?,?,?,?)",
            (plan.table.file_name, file_sha256(plan.table.path), report.preset, self.source, self.now,
             json.dumps(plan.describe())),
        ).lastrowid
        report.import_id = self.import_id
        for warning in plan.table.file_warnings:
            self._issue(FILE_ROW, "warning", None, warning)
        self.readings = {import_id: json.loads(options).get("reading") for import_id, options in conn.execute(
            "SELECT id, options FROM imports WHERE source = ?", (self.source,))}
        self.records = {sid: (rid, digest, last_import) for sid, rid, digest, last_import in conn.execute(
            "SELECT source_record_id, id, content_hash, last_import_id FROM source_records WHERE source = ?",
            (self.source,))}
        # The tool's records by email, oldest first, for order rows without a customer id (event files only).
        self.records_by_email: dict[str, list[int]] = {}
        if self.kind is not None:
            for rid, key in conn.execute("SELECT r.id, k.key FROM record_keys k JOIN source_records r"
                                         " ON r.id = k.record_id WHERE r.source = ? AND k.kind = 'email'"
                                         " ORDER BY r.id", (self.source,)):
                self.records_by_email.setdefault(key, []).append(rid)
        self.next_record_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM source_records").fetchone()[0]
        self.pending: dict[str, list] = {name: [] for name in _BATCH_SQL}
        self.reindex: set[int] = set()   # records an update changed: their terms are rebuilt at the end
        self.group: list[tuple[int, InterpretedRow]] = []
        self.group_key: str | None = None
        self.events_written: dict[str, int] = {}
        self.event_updates: dict[int, int] = {}   # stored event -> rows counted "updated" (see _settle_events)
        self.evidence_heads: dict[tuple, str] = {}
        self.after_blank = False
        self.header_cells = [cell.strip() for cell in plan.table.header]
        self.contacts_in_file: set[int] = set()   # records this file's rows keyed by email or details wrote
        # Customers this file made from an order line without the buyer's name (a sheet sorted by product puts
        # an order's other lines first): the order's first line, with the name, completes them when it comes.
        self.unnamed_event_records: dict[int, str] = {}
        # (first name, last name) of records, folded, as this import met them: an order row gives its email to
        # the customer of that email, and a later export's row updates the record of its email, only when its
        # name is not clearly someone else's.
        self.customer_names: dict[int, tuple[str, str]] = {}
        self.held_footer: list[tuple] = []   # (write, number, row) of single-cell rows after a blank line

    # ------------------------------------------------------------------------ rows

    def add_row(self, number: int, cells: list[str]) -> None:
        """An event row (orders, payments, tickets…): grouped, then written with its customer."""
        if self._header_again(number, cells):
            return
        row = self.interpreter.interpret(cells)
        if not self._held_as_footer(number, cells, row.rejected, (self._event_row, number, row)):
            self._event_row(number, row)

    def add_customer(self, number: int, cells: list[str], prepared: PreparedRow) -> None:
        """A customer row, already interpreted (maybe by a worker process)."""
        if self._header_again(number, cells):
            return
        if not self._held_as_footer(number, cells, prepared.rejected, (self._customer_row_accepted, number, prepared)):
            self._customer_row_accepted(number, prepared)

    def _header_again(self, number: int, cells: list[str]) -> bool:
        """Two exports pasted into one file bring the header row again: it is no customer (nor order)."""
        header = self.header_cells
        if not cells or cells[0].strip() != header[0] or [c.strip() for c in cells[:len(header)]] != header \
                or any(c.strip() for c in cells[len(header):]):
            return False
        self.report.rows += 1
        self._reject(number, "the header row again (two exports pasted into one file?): skipped")
        return True

    def _event_row(self, number: int, row: InterpretedRow) -> None:
        if not self._accept(number, row.rejected, [(i.field, i.reason) for i in row.issues]):
            return
        key = self._event_id(number, row)
        if self.group and key != self.group_key:
            self._flush_group()
        self.group_key = key
        self.group.append((number, row))

    def _customer_row_accepted(self, number: int, prepared: PreparedRow) -> None:
        if self._accept(number, prepared.rejected, prepared.issues):
            self._customer_row(number, prepared)

    def _held_as_footer(self, number: int, cells: list[str], rejected: str | None, work: tuple) -> bool:
        """Reports end with notes after a blank line (a timestamp, "Confidential", a copyright), one filled
        cell each. Such a row waits: at the end of the file it is a footer, left out with a warning (neither a
        row nor a rejection: it was never a customer); when a fuller row follows, the held rows were data after
        all (an email-only contact) and go in first, in file order."""
        if rejected == "empty row":
            self.after_blank = True
            return False
        if self.after_blank and len(self.plan.table.header) >= 3 and len(self.held_footer) < MAX_FOOTER_ROWS \
                and sum(1 for c in cells if c.strip()) == 1:
            self.held_footer.append(work)
            return True
        self.after_blank = False
        held, self.held_footer = self.held_footer, []
        for write, held_number, row in held:
            write(held_number, row)
        return False

    def _reject_footer(self) -> None:
        for _write, number, _row in self.held_footer:
            self._issue(number, "warning", None, "a single cell after a blank line at the end: a report footer "
                                                 "or note, not a data row, so not imported")
        self.held_footer = []

    def _accept(self, number: int, rejected: str | None, issues) -> bool:
        """Counts the row and files its issues; False when it goes no further."""
        if rejected == "empty row":
            return False
        self.report.rows += 1
        for field_name, reason in issues:
            self._issue(number, "warning", field_name, reason)
        if rejected:
            self._reject(number, rejected)
            return False
        if len(self.pending["records"]) >= BATCH_ROWS:
            self._flush_pending()
        return True

    def finish(self) -> None:
        self._reject_footer()
        if self.group:
            self._flush_group()
        self._settle_events()
        self._flush_pending()
        index_records(self.conn, self.reindex)
        report = self.report
        report.consents = self.conn.execute("SELECT count(*) FROM consents WHERE import_id = ?",
                                            (self.import_id,)).fetchone()[0]
        self.conn.execute(
            "UPDATE imports SET finished_at=?, rows=?, inserted=?, updated=?, unchanged=?, rejected=?, suppressed=?,"
            " warnings=? WHERE id=?",
            (_now(), report.rows, report.inserted, report.updated, report.unchanged, report.rejected,
             report.suppressed, report.warning_count, self.import_id),
        )

    def _flush_pending(self) -> None:
        self.pending["terms"].sort()   # in index order: neighbouring B-tree pages, not a random walk
        for name, rows in self.pending.items():
            if rows:
                self.conn.executemany(_BATCH_SQL[name], rows)
                rows.clear()

    def _issue(self, number: int, severity: str, field_name: str | None, reason: str) -> None:
        self.conn.execute(
            "INSERT INTO import_issues(import_id, row_number, severity, field, reason) VALUES (?,?,?,?,?)",
            (self.import_id, number, severity, field_name, reason))
        if severity == "warning":
            self.report.warning_count += 1
            if len(self.report.warnings) < MAX_LISTED_ISSUES:
                self.report.warnings.append({"row": number or None, "field": field_name, "reason": reason})

    def _reject(self, number: int, reason: str) -> None:
        self.report.rejected += 1
        self.report.rejections.append({"row": number, "reason": reason})
        self._issue(number, "rejected", None, reason)

    # ------------------------------------------------------------------------ customers

    def _customer_row(self, number: int, row: PreparedRow) -> None:
        key = self._record_key(row)
        if self.suppressor.is_suppressed(self._identifiers(row, key)):
            self.report.suppressed += 1
            return
        if key is None:
            self._reject(number, "nothing identifies a person on this row (no name, email, phone or id)")
            return
        derived = key.startswith(DERIVED_KEY_PREFIXES)
        if derived:
            key = self._contact_key(key, row)
        outcome, record_id = self._upsert_record(key, "customer", number, row)
        if derived:
            self.contacts_in_file.add(record_id)
        self.report.count(outcome)
        self._consents(record_id, number, row)

    def _contact_key(self, key: str, row: PreparedRow) -> str:
        """Without the tool's id, two different rows with the same email (or the same details) in one file are
        two contacts of the tool — Google and Outlook keep duplicates — not one record whose later row replaces
        the earlier: the second is keyed ``email:…#2``, which the same file gives again on a re-import. The
        same row twice is one record. A row of a later file updates the record of its email unless it names
        someone else (another first name, not a nickname, initial or typo of it): a wife who shops from her
        husband's email is a record of her own, not a new name on his record and his orders. A new surname
        with the same first name is the same customer, married."""
        candidate, occurrence = key, 1
        while True:
            known = self.records.get(candidate)
            if known is None or known[1] == row.digest or (
                    known[0] not in self.contacts_in_file and not self._names_someone_else(known[0], row)):
                return candidate
            occurrence += 1
            candidate = f"{key}#{occurrence}"

    def _names_someone_else(self, record_id: int, row: PreparedRow) -> bool:
        mine, theirs = _person_names(*_SUMMARY_NAMES(row.summary)), self._stored_names(record_id)
        return bool(mine[0] and theirs[0]) and different_people(theirs, mine)

    def _identifiers(self, row: PreparedRow, key: str | None) -> list[tuple[str, str]]:
        """What the suppression list is checked against: emails, phones, the tool's id, and the record key, so
        that an erased person known only by name (a ``fp:`` key) does not come back either."""
        key = key if key is not None else self._record_key(row)
        return row.identifiers + ([("id", f"{self.source}:{key}")] if key else [])

    def _record_key(self, row: PreparedRow) -> str | None:
        sid = row.sid if self.kind is None else row.ref
        if sid:
            return sid
        if row.email_key:
            return "email:" + row.email_key
        if not row.name and not row.phone:
            return None
        return "fp:" + fingerprint(row.name, row.phone, row.postal_key, row.address_key, row.company)

    def _upsert_record(self, key: str, origin: str, number: int, row: PreparedRow) -> tuple[str, int]:
        known = self.records.get(key)
        file_name = self.plan.table.file_name
        if known is None:
            record_id = self.next_record_id
            self.next_record_id += 1
            self.pending["records"].append(
                (record_id, self.source, key, origin, self.import_id, self.import_id, file_name, number, row.raw_json,
                 row.norm_json, row.digest, self.now, self.now) + row.summary)
            outcome = "inserted"
            self.pending["terms"].extend((term, record_id) for term in self._terms(row, key))
        elif known[1] == row.digest and self._read_alike(known, row):
            record_id, outcome = known[0], "unchanged"
        else:
            record_id = known[0]
            self._flush_pending()
            self._save_history(record_id)
            state = (row.raw_json, row.norm_json, row.digest, file_name, number, self.import_id) + row.summary
            assignments = ", ".join(f"{column} = ?" for column in RECORD_STATE_COLUMNS)
            self.conn.execute(
                f"UPDATE source_records SET {assignments}, updated_at = ?,"
                " origin = CASE WHEN ? = 'customer' THEN 'customer' ELSE origin END WHERE id = ?",
                state + (self.now, origin, record_id))
            self.conn.execute("DELETE FROM record_keys WHERE record_id = ?", (record_id,))
            self.reindex.add(record_id)   # its old names and keys leave the index at the end
            outcome = "updated"
        if outcome != "unchanged":
            self.pending["keys"].extend((kind, value, record_id) for kind, value in row.keys)
        self.records[key] = (record_id, row.digest, known[2] if outcome == "unchanged" else self.import_id)
        if self.kind is not None:
            for kind, value in row.keys:
                holders = self.records_by_email.setdefault(value, []) if kind == "email" else None
                if holders is not None and record_id not in holders:
                    holders.append(record_id)
            self.customer_names[record_id] = _person_names(*_SUMMARY_NAMES(row.summary))
        self.pending["record_rows"].append((record_id, self.import_id, file_name, number))
        return outcome, record_id

    def _read_alike(self, known: tuple, row: PreparedRow) -> bool:
        """Whether unchanged cells also give unchanged values: read as the import that last wrote the record
        read them, or, read differently (another region or date order, a newer c360), to the same values and
        the same name to show ("Robert Lee Jr." from a Suffix column)."""
        record_id, _digest, last_import = known
        if self.readings.get(last_import) == self.plan.reading:
            return True
        stored = self.conn.execute("SELECT norm, display_name FROM source_records WHERE id = ?", (record_id,)).fetchone()
        return stored == (row.norm_json, row.summary[0])

    @staticmethod
    def _terms(row: PreparedRow, key: str) -> set[str]:
        term = id_term(key)
        return row.terms | {term} if term else row.terms

    def _save_history(self, record_id: int) -> None:
        state = self.conn.execute(f"SELECT {', '.join(RECORD_STATE_COLUMNS)} FROM source_records WHERE id = ?",
                                  (record_id,)).fetchone()
        self.conn.execute(
            "INSERT INTO record_history(record_id, import_id, replaced_at, previous) VALUES (?,?,?,?)",
            (record_id, self.import_id, self.now, json.dumps(dict(zip(RECORD_STATE_COLUMNS, state)), ensure_ascii=False)))

    def _consents(self, record_id: int, number: int, row: PreparedRow) -> None:
        for purpose, status, stated_at, evidence in row.consents:
            self.pending["consents"].append(
                (record_id, purpose, status, stated_at, self.source, self.import_id,
                 self._evidence_json(evidence, number), self.now))

    def _evidence_json(self, evidence: dict, number: int) -> str:
        """The statement's evidence with its file and row, as JSON. The tool's part repeats from row to row
        (``{"tool_status": "yes"}``): its encoding is remembered and only the row number is written each time
        (two statements a row on most customer exports)."""
        known = tuple(evidence.items())
        head = self.evidence_heads.get(known)
        if head is None:
            encoded = json.dumps(dict(evidence, file=self.plan.table.file_name, row=0), ensure_ascii=False)
            if not encoded.endswith(' "row": 0}'):   # "row" not last: the tool's own evidence had one
                return json.dumps(dict(evidence, file=self.plan.table.file_name, row=number), ensure_ascii=False)
            if len(self.evidence_heads) >= MAX_EVIDENCE_HEADS:
                self.evidence_heads.clear()
            head = self.evidence_heads[known] = encoded[:-2]
        return f"{head}{number}}}"

    # ------------------------------------------------------------------------ events

    def _event_id(self, number: int, row: InterpretedRow) -> str:
        """The tool's own grouping field first (Shopify repeats the order Name on every line, the Id only on
        the first), then the kind's usual id fields, then a fingerprint of the row."""
        group_by = self.plan.preset.group_by if self.plan.preset else None
        for name in ((group_by,) if group_by else ()) + EVENT_ID_FIELDS.get(self.kind, ()):
            value = row.first(name)
            if value:
                return value
        if self.kind == "attendance":
            ref = row.first("source_record_id")
            if ref:
                return ref
        return "row:" + row.content_hash()[:24]

    def _flush_group(self) -> None:
        rows, key = self.group, self.group_key
        self.group, self.group_key = [], None
        head = rows[0][1]
        identifiers = [i for _, r in rows for i in r.identifiers(self.source)]
        if self.suppressor.is_suppressed(identifiers + self._identifiers(head.prepared(self.source), None)):
            self.report.suppressed += len(rows)
            return
        record_id = self._customer_of_known_event(key, head) or self._customer_for_event(rows[0][0], head)
        if record_id is None:
            for number, _ in rows:
                self._reject(number, f"no customer on this {self.kind} row (no customer id, email or name)")
            return
        outcome = self._upsert_event(key, record_id, rows)
        self.report.count(outcome, len(rows))
        if outcome == "updated":
            event_id = self.events_written[key]
            self.event_updates[event_id] = self.event_updates.get(event_id, 0) + len(rows)
        for number, row in rows:
            self._consents(record_id, number, row.prepared(self.source))

    def _customer_of_known_event(self, event_key: str, row: InterpretedRow) -> int | None:
        """The customer an already known order has, for a row of another export of it that names the buyer but
        carries no id or email of theirs (Etsy's order items: the buyer's name only). Without this the name
        alone made a second record of the same buyer."""
        prepared = row.prepared(self.source)
        if prepared.ref or prepared.email_key:
            return None
        known = self.conn.execute(
            "SELECT r.id, r.display_name FROM events e JOIN source_records r ON r.id = e.record_id"
            " WHERE e.source = ? AND e.kind = ? AND e.source_event_id = ?", (self.source, self.kind, event_key)).fetchone()
        if known is None or (prepared.name and fold(prepared.name) != fold(known[1] or "")):
            return None
        return known[0]

    def _customer_for_event(self, number: int, row: InterpretedRow) -> int | None:
        prepared = row.prepared(self.source)
        record_id = self._known_customer(prepared)
        if record_id is not None:
            if record_id in self.unnamed_event_records and prepared.name:
                self._upsert_record(self.unnamed_event_records.pop(record_id), "event", number, prepared)
            return record_id
        key = self._record_key(prepared)
        if key is None:
            return None
        if not prepared.ref and prepared.email_key:
            key = next(k for k in _email_keys(prepared.email_key) if k not in self.records)
        _, record_id = self._upsert_record(key, "event", number, prepared)
        if not prepared.name:
            self.unnamed_event_records[record_id] = key
        return record_id

    def _known_customer(self, prepared: PreparedRow) -> int | None:
        if prepared.ref:
            known = self.records.get(prepared.ref)
            return known[0] if known is not None else None
        if prepared.email_key:
            return self._customer_by_email(prepared)
        key = self._record_key(prepared)
        return self.records[key][0] if key is not None and key in self.records else None

    def _customer_by_email(self, prepared: PreparedRow) -> int | None:
        """The customer of an order row that has an email but no customer id: the tool's customer with that
        email, unless the row names clearly someone else: another first name, or the same one with another
        surname (Orla Nolan on Orla Ó Ceallaigh's order). A guest on the buyer's Eventbrite order, or a spouse
        ordering from the family address, is then a record of their own (``email:…#2``), which matching
        compares with the others; keyed by the email alone they were one record from the start, which no
        review could take apart."""
        mine = _person_names(*_SUMMARY_NAMES(prepared.summary))
        holders = self.records_by_email.get(prepared.email_key, [])
        return next((record_id for record_id in holders if self._same_person(record_id, mine)), None)

    def _same_person(self, record_id: int, mine: tuple[str, str]) -> bool:
        if not mine[0]:
            return True   # no person's name on the row: nothing says it is someone else
        theirs = self._stored_names(record_id)
        if not theirs[0]:
            return True
        return not different_people(theirs, mine) and compare_last(theirs[1], mine[1]) != LAST_DIFFERS

    def _stored_names(self, record_id: int) -> tuple[str, str]:
        """(first name, last name) of a stored record, as ``_person_names`` folds them."""
        theirs = self.customer_names.get(record_id)
        if theirs is None:
            stored = self.conn.execute("SELECT display_name, first_name, last_name, company FROM source_records"
                                       " WHERE id = ?", (record_id,)).fetchone() or ("", "", "", "")
            theirs = self.customer_names[record_id] = _person_names(*stored)
        return theirs

    def _upsert_event(self, event_key: str, record_id: int, rows: list[tuple[int, InterpretedRow]]) -> str:
        if event_key in self.events_written:
            return self._extend_event(self.events_written[event_key], rows)
        digest = _rows_digest(rows)
        existing = self.conn.execute(
            f"SELECT id, {', '.join(EVENT_STATE_COLUMNS)} FROM events"
            " WHERE source = ? AND kind = ? AND source_event_id = ?", (self.source, self.kind, event_key)).fetchone()
        previous = dict(zip(EVENT_STATE_COLUMNS, existing[1:])) if existing else None
        if previous and previous["content_hash"] == digest:
            self.events_written[event_key] = existing[0]
            self._event_rows(existing[0], rows)
            return "unchanged"
        data = _event_data(rows)
        if previous:
            data = _merged(json.loads(previous["data"]), data)
        summary = _event_summary(data)
        state = (record_id, self.import_id, summary["occurred_at"], summary["amount"], summary["currency"],
                 summary["status"], summary["title"], json.dumps(data, ensure_ascii=False),
                 json.dumps([r.raw for _, r in rows], ensure_ascii=False), digest)
        if previous is None:
            event_id = self.conn.execute(
                f"INSERT INTO events({', '.join(EVENT_STATE_COLUMNS)}, kind, source, source_event_id, import_id)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", state + (self.kind, self.source, event_key, self.import_id),
            ).lastrowid
            outcome = "inserted"
            self.report.events += 1
        else:
            event_id = existing[0]
            self.conn.execute("INSERT INTO event_history(event_id, import_id, replaced_at, previous) VALUES (?,?,?,?)",
                              (event_id, self.import_id, self.now, json.dumps(previous, ensure_ascii=False)))
            assignments = ", ".join(f"{column} = ?" for column in EVENT_STATE_COLUMNS)
            self.conn.execute(f"UPDATE events SET {assignments} WHERE id = ?", state + (event_id,))
            outcome = "updated"
        self.events_written[event_key] = event_id
        self._event_rows(event_id, rows)
        term = id_term(event_key)
        if term:
            self.pending["terms"].append((term, record_id))
        return outcome

    def _extend_event(self, event_id: int, rows: list[tuple[int, InterpretedRow]]) -> str:
        """The same order again further down the same file (a sheet sorted by product): the event is rebuilt
        from all its rows in this file — those stored so far and these — so that the total, date and status
        come from whichever row has them and no line is counted twice when the file comes again. A row exactly
        like one already there (two exports pasted into one file) adds nothing."""
        stored = self.conn.execute(f"SELECT {', '.join(EVENT_STATE_COLUMNS)} FROM events WHERE id = ?",
                                   (event_id,)).fetchone()
        previous = dict(zip(EVENT_STATE_COLUMNS, stored))
        created_here = self.conn.execute("SELECT import_id FROM events WHERE id = ?", (event_id,)).fetchone()[0] \
            == self.import_id
        if previous["last_import_id"] != self.import_id:   # unchanged until now: its state before this import
            self.conn.execute("INSERT INTO event_history(event_id, import_id, replaced_at, previous) VALUES (?,?,?,?)",
                              (event_id, self.import_id, self.now, json.dumps(previous, ensure_ascii=False)))
        earlier = json.loads(previous["raw"])
        all_rows = [(0, self._reinterpreted(raw)) for raw in earlier] + [(n, r) for n, r in rows if r.raw not in earlier]
        data = _event_data(all_rows)
        before = self.conn.execute("SELECT previous FROM event_history WHERE event_id = ? AND import_id = ?"
                                   " ORDER BY id LIMIT 1", (event_id, self.import_id)).fetchone()
        if before:
            data = _merged(json.loads(json.loads(before[0])["data"]), data)
        summary = _event_summary(data)
        self.conn.execute(
            "UPDATE events SET last_import_id = ?, occurred_at = ?, amount = ?, currency = ?, status = ?, title = ?,"
            " data = ?, raw = ?, content_hash = ? WHERE id = ?",
            (self.import_id, summary["occurred_at"], summary["amount"], summary["currency"], summary["status"],
             summary["title"], json.dumps(data, ensure_ascii=False),
             json.dumps([r.raw for _, r in all_rows], ensure_ascii=False), _rows_digest(all_rows), event_id))
        self._event_rows(event_id, rows)
        return "inserted" if created_here else "updated"

    def _settle_events(self) -> None:
        """An order met in pieces (a sheet sorted by product) is "updated" when its first lines differ from the
        whole stored order; once the file is read, an order made of exactly the rows it had before is put back
        as it was, with no history entry, and its rows count as unchanged."""
        for event_id, rows in self.event_updates.items():
            before = self.conn.execute("SELECT min(id), previous FROM event_history WHERE event_id = ? AND import_id = ?",
                                       (event_id, self.import_id)).fetchone()
            if before[0] is None:
                continue
            previous = json.loads(before[1])
            raw = self.conn.execute("SELECT raw FROM events WHERE id = ?", (event_id,)).fetchone()[0]
            if _row_multiset(raw) != _row_multiset(previous["raw"]):
                continue
            assignments = ", ".join(f"{column} = ?" for column in previous)
            self.conn.execute(f"UPDATE events SET {assignments} WHERE id = ?", (*previous.values(), event_id))
            self.conn.execute("DELETE FROM event_history WHERE event_id = ? AND import_id = ?", (event_id, self.import_id))
            self.report.count("updated", -rows)
            self.report.count("unchanged", rows)

    def _reinterpreted(self, raw: dict) -> InterpretedRow:
        """A stored row interpreted again, its raw cells kept exactly as stored."""
        row = self.interpreter.interpret([raw.get(name, "") for name in self.interpreter.headers])
        row.raw = raw
        return row

    def _event_rows(self, event_id: int, rows) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO event_rows(event_id, import_id, file_name, row_number) VALUES (?,?,?,?)",
            [(event_id, self.import_id, self.plan.table.file_name, number) for number, _ in rows])


EVENT_STATE_COLUMNS = ("record_id", "last_import_id", "occurred_at", "amount", "currency", "status", "title", "data",
                       "raw", "content_hash")
ITEM_FIELDS = ("line_item_name", "line_item_sku", "line_item_quantity", "line_item_price")
SUMMARY_FIELDS = {
    "occurred_at": ("order_date", "payment_date", "ticket_created_at", "event_date"),
    "amount": ("order_total", "payment_amount", "total_spent"),
    "currency": ("order_currency", "payment_currency"),
    "status": ("financial_status", "order_status", "payment_status", "ticket_status", "fulfillment_status"),
    "title": ("order_number", "ticket_subject", "event_name", "order_id", "payment_id", "ticket_id"),
}
EVENT_FIELD_GROUPS = ("order", "payment", "ticket", "engagement")


def _rows_digest(rows) -> str:
    return hashlib.sha256(json.dumps([r.raw for _, r in rows], sort_keys=True).encode()).hexdigest()


def _row_multiset(raw_json: str) -> list[str]:
    """An event's stored raw rows, in an order that does not depend on the file's."""
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(raw_json))


def _event_data(rows) -> dict:
    """Order/payment/ticket fields from the first row that has each; one item per line row."""
    from .fields import BY_NAME

    data: dict = {}
    items = []
    for _, row in rows:
        item = {}
        for value in row.values:
            group = BY_NAME[value.field].group if value.field in BY_NAME else ""
            if value.field in ITEM_FIELDS:
                item[value.field.removeprefix("line_item_")] = value.result.value or value.raw
            elif group in EVENT_FIELD_GROUPS and value.result.value is not None:
                data.setdefault(value.field, value.result.value)
                currency = value.result.detail.get("currency")
                if currency:
                    data.setdefault("currency_from_amount", currency)
        if item:
            items.append(item)
    data["items"] = items
    return data


def _merged(old: dict, new: dict) -> dict:
    """Two exports of the same order (Etsy orders and order items): keep what only the old one knew."""
    merged = dict(old)
    merged.update({key: value for key, value in new.items() if value not in (None, "", [])})
    return merged


def _event_summary(data: dict) -> dict:
    summary = {}
    for key, names in SUMMARY_FIELDS.items():
        summary[key] = next((data[n] for n in names if data.get(n)), None)
    summary["currency"] = (summary["currency"] or data.get("currency_from_amount") or "").upper() or None
    return summary
