"""Access and portability export (Art. 15 and 20): one ZIP with everything held about one person.

* ``data.json``: the golden record with provenance, every source record raw and normalised with its tool,
  file and row and the earlier values later imports replaced, events (with theirs), consent history, the
  match decisions and pairs that concern their records,
  notes, corrections, restrictions, and the purposes, sources and retention of the processing;
* one CSV per kind, cells protected against formula injection (``cells.protect_cell``);
* ``summary.html``: a readable, self-contained page the owner can send as is.

Nothing of another person goes in: match pairs with another profile's record name only the person's
side. The ZIP is written to a temporary file beside the target and renamed, so a cancelled or failed
export leaves nothing behind. Audited with ids and counts only.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from .. import audit
from ..errors import C360Error
from ..profiles.golden import Survivorship
from ..profiles.present import category_of_golden
from ..profiles.profile import load_profile
from .access_html import summary_html
from .cells import protect_cell
from .consent import purposes
from .policy import RedactionPolicy, category_of, column_categories
from .requests import add_action, get_request

FORMAT_VERSION = 1
SETTING_RETENTION = "retention_statement"
DEFAULT_RETENTION = ("Customer data is kept while the customer relationship lasts and for as long as the law "
                     "requires records of sales to be kept; it is erased on request unless a law requires it "
                     "to be kept, in which case it is kept anonymised.")
RIGHTS = ("You may ask for a copy of your data, its correction or erasure, the restriction of its processing, "
          "and object to direct marketing at any time. You may complain to your data protection authority.")
RECIPIENTS = "None: this data is kept on the shop's own computer in an encrypted file and not shared."
AUTOMATED_DECISIONS = ("No decision about you is made by automated means alone. The shop's customer file compares "
                       "records from its tools to recognise the same customer (matching); doubtful matches are "
                       "decided by a person, and no decision with legal or similar effects on you is based on it.")
# Art. 15(1)(b): the categories of personal data, named by what the export holds.
GOLDEN_CATEGORIES = {"name": "Name", "first_name": "Name", "last_name": "Name", "email": "Contact details",
                     "phone": "Contact details", "address": "Postal address", "birth_date": "Birth date",
                     "company": "Work details", "job_title": "Work details", "language": "Language"}
EVENT_CATEGORIES = {"order": "Orders and purchases", "payment": "Payments", "refund": "Payments",
                    "ticket": "Support requests", "subscription": "Subscriptions", "attendance": "Events attended"}


class ExportCancelled(C360Error):
    def __init__(self):
        super().__init__("Export cancelled: no file was written.")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _marks(ids) -> str:
    return ",".join("?" * len(ids))


# ----------------------------------------------------------------------------- the document

class _Redactor:
    """Applies the vault's policy (redacted exports) or shows everything; raw rows by their file's columns."""

    def __init__(self, vault, conn, redacted: bool):
        self.policy = RedactionPolicy.from_vault(vault) if redacted else RedactionPolicy.reveal_all()
        self.conn = conn
        self._columns: dict[int, dict[str, str]] = {}

    def show(self, category: str, value):
        return self.policy.apply(category, value) if value not in (None, "") else value

    def source_id(self, value: str | None):
        return self.policy.source_id(value) if value else value

    def raw(self, row: dict, import_id: int) -> dict:
        if import_id not in self._columns:
            self._columns[import_id] = column_categories(self.conn, import_id)
        return self.policy.redact_raw(row, self._columns[import_id])


def _origin(candidate) -> dict:
    return {"tool": candidate.source, "file": candidate.file_name, "row": candidate.row_number,
            "seen_at": candidate.seen_at, "manual": candidate.manual}


def _golden(view, red: _Redactor) -> dict:
    found = {}
    for key, item in view.golden.items():
        if item.value is None:
            continue
        found[key] = {"label": item.label, "value": red.show(item.category, item.value),
                      "decided_by": item.decided_by, "from": _origin(item.winner) if item.winner else None,
                      "other_values": [{"value": red.show(item.category, c.value), **_origin(c)} for c in item.others]}
    return found


def _earlier_versions(conn, history: str, key: str, item_id: int, red: _Redactor) -> list[dict]:
    """The values a later import replaced, as they were (``record_history`` / ``event_history``)."""
    versions = []
    for replaced_at, previous_json in conn.execute(
            f"SELECT replaced_at, previous FROM {history} WHERE {key} = ? ORDER BY id", (item_id,)):
        previous = json.loads(previous_json)
        raw = json.loads(previous["raw"])
        import_id = previous["last_import_id"]
        versions.append({"replaced_at": replaced_at, "file": previous.get("file_name"), "row": previous.get("row_number"),
                         "raw": [red.raw(r, import_id) for r in raw] if isinstance(raw, list) else red.raw(raw, import_id)})
    return versions


def _source_records(conn, view, red: _Redactor) -> list[dict]:
    return [{"record_id": s.id, "tool": s.source, "source_record_id": red.source_id(s.source_record_id),
             "file": s.file_name, "row": s.row_number, "imported_at": s.imported_at,
             "rows": [{"file": r["file_name"], "row": r["row_number"]} for r in s.rows],
             "earlier_versions": _earlier_versions(conn, "record_history", "record_id", s.id, red),
             "raw": red.raw(s.raw, s.import_id),
             "normalised": [{"field": v["field"], "raw": red.show(category_of(v["field"]), v["raw"]),
                             "value": red.show(category_of(v["field"]), v["value"]), "quality": v["quality"]}
                            for v in s.values]}
            for s in view.sources]


def _events(conn, ids: list[int], red: _Redactor) -> list[dict]:
    events = []
    for (event_id, kind, source, source_event_id, at, amount, currency, status, title, data, raw,
         import_id) in conn.execute(
            f"SELECT id, kind, source, source_event_id, occurred_at, amount, currency, status, title, data, raw,"
            f" last_import_id FROM events WHERE record_id IN ({_marks(ids)}) ORDER BY occurred_at, id", ids):
        rows = [{"file": f, "row": n} for f, n in conn.execute(
            "SELECT file_name, row_number FROM event_rows WHERE event_id = ? ORDER BY file_name, row_number",
            (event_id,))]
        data = {k: (v if k == "items" else red.show(category_of(k), v)) for k, v in json.loads(data).items()}
        events.append({"event_id": event_id, "kind": kind, "tool": source, "id": source_event_id,
                       "occurred_at": at, "amount": amount, "currency": currency, "status": status,
                       "title": title, "rows": rows, "data": data,
                       "raw": [red.raw(r, import_id) for r in json.loads(raw)],
                       "earlier_versions": _earlier_versions(conn, "event_history", "event_id", event_id, red)})
    return events


def _consent(view, red: _Redactor) -> dict:
    """Each purpose's status, the statement in force (the newest may not be: an undated "yes" does not undo
    an unsubscribe), and every statement."""
    def entry(statement) -> dict:
        shown = statement.to_json()
        shown["evidence"] = {k: red.show("id", v) if k == "evidence" else v for k, v in statement.evidence.items()}
        return shown

    return {purpose: {"label": item.label, "status": item.status, "conflict": item.conflict,
                      "current": entry(item.current) if item.current else None,
                      "history": [entry(statement) for statement in item.history]}
            for purpose, item in view.consent.items()}


def _matching(conn, ids: list[int]) -> dict:
    """Pairs and decisions touching the person's records. A comparison with another customer's record is
    only counted: its score, levels and reason would tell what someone else shares with them (the same phone,
    another first name)."""
    own = set(ids)
    marks = _marks(ids)

    def sides(left, right) -> dict:
        return {"records": sorted({left, right} & own), "with_another_customer": not {left, right} <= own}

    rows = conn.execute(f"SELECT id, left_id, right_id, probability, status, reason, levels FROM match_pairs"
                        f" WHERE left_id IN ({marks}) OR right_id IN ({marks})", ids + ids).fetchall()
    pairs = [{"pair_id": i, "records": sorted({l, r}), "probability": round(p, 4), "status": s, "reason": reason,
              "comparison_levels": json.loads(levels)}
             for i, l, r, p, s, reason, levels in rows if {l, r} <= own]
    decisions = [{"decision_id": i, **sides(l, r), "decision": d, "origin": o, "decided_at": at, "undone_at": u}
                 for i, l, r, d, o, at, u in conn.execute(
                     f"SELECT id, left_id, right_id, decision, origin, decided_at, undone_at FROM match_decisions"
                     f" WHERE left_id IN ({marks}) OR right_id IN ({marks})", ids + ids)]
    return {"pairs": pairs, "compared_with_other_customers": len(rows) - len(pairs), "decisions": decisions}


def _restrictions(conn, ids: list[int]) -> list[dict]:
    keys = ("id", "kind", "reason", "request_id", "created_at", "lifted_at")
    return [dict(zip(keys, row)) for row in conn.execute(
        f"SELECT {', '.join(keys)} FROM restrictions WHERE record_id IN ({_marks(ids)}) ORDER BY created_at", ids)]


def _unsaved_edits(conn, ids: list[int], red) -> list[dict]:
    """What the owner was typing about the person when the vault locked (kept until the next unlock reopens it):
    held about them, so it is in their copy, as not saved yet, each value redacted by its own category."""
    return [{"kind": f"{kind.split(':')[0].replace('consent', 'consent statement')} (being written, not saved)",
             "text": _unsaved_text(kind, values, red), "reason": red.show("notes", values.get("reason") or "") or None,
             "created_at": kept_at}
            for kind, values, kept_at in ((kind, json.loads(fields), kept_at) for kind, fields, kept_at in conn.execute(
                f"SELECT kind, fields, kept_at FROM unsaved_edits WHERE record_id IN ({_marks(ids)})", ids))]


def _unsaved_text(kind: str, values: dict, red) -> str:
    if kind == "correction":
        field = str(values.get("field") or "")
        return f"{field.replace('_', ' ')}: {red.show(category_of_golden(field), values.get('value') or '')}"
    if kind.startswith("consent:"):
        return f"{kind.split(':', 1)[1].replace('_', ' ')}: {values.get('status') or ''}"
    return red.show("notes", values.get("text") or "")


def _categories(view, events: list[dict]) -> list[str]:
    found = [GOLDEN_CATEGORIES.get(key, "Other details") for key, item in view.golden.items() if item.value is not None]
    found += [EVENT_CATEGORIES.get(e["kind"], "Other activity") for e in events]
    if view.consent:
        found.append("Marketing choices")
    if view.notes or view.edits:
        found.append("Notes and corrections by the shop")
    return list(dict.fromkeys(found))


def _processing(vault, view, events: list[dict]) -> dict:
    files = {(s.source, r["file_name"]) for s in view.sources for r in s.rows}
    files |= {(e["tool"], r["file"]) for e in events for r in e["rows"]}
    known = purposes(vault)
    return {"purposes": [{"purpose": p, "label": label, "status": view.consent[p].status if p in view.consent
                          else "unknown"} for p, label in known.items()]
            + [{"purpose": "customer_service", "label": "Selling to you and serving you", "status": "contract"}],
            "sources": [{"tool": tool, "file": name} for tool, name in sorted(files)],
            "categories": _categories(view, events),
            "automated_decisions": AUTOMATED_DECISIONS,
            "recipients": RECIPIENTS,
            "retention": vault.setting(SETTING_RETENTION, None) or DEFAULT_RETENTION,
            "rights": RIGHTS}


def access_document(vault, profile_id: int, *, redacted: bool = False) -> dict:
    """Everything held about one person, as the ``data.json`` of the access export."""
    conn = vault.conn
    view = load_profile(conn, profile_id, survivorship=Survivorship.from_settings(vault),
                        known_purposes=purposes(vault))
    red = _Redactor(vault, conn, redacted)
    events = _events(conn, view.record_ids, red)
    return {"format": "c360-access-export", "version": FORMAT_VERSION, "exported_at": _now(),
            "profile_id": profile_id, "redacted": redacted,
            "display_name": red.show("name", view.display_name), "golden_record": _golden(view, red),
            "metrics": view.metrics.to_json(), "source_records": _source_records(conn, view, red), "events": events,
            "consent": _consent(view, red), "matching": _matching(conn, view.record_ids),
            "notes": [{**n, "text": red.show("notes", n["text"])} for n in view.notes]
            + _unsaved_edits(conn, view.record_ids, red),
            "corrections": [{**e, "value": red.show(category_of_golden(e["field"]), e["value"])} for e in view.edits],
            "restrictions": _restrictions(conn, view.record_ids),
            "processing": _processing(vault, view, events)}


# ----------------------------------------------------------------------------- CSV files

def csv_tables(document: dict) -> dict[str, tuple[list[str], list[list]]]:
    """One table per kind: file name -> (header, rows)."""
    sources = document["source_records"]
    return {
        "golden_record.csv": (["field", "label", "value", "decided_by", "tool", "file", "row"], [
            [key, g["label"], g["value"], g["decided_by"], *((g["from"] or {}).get(k) for k in ("tool", "file", "row"))]
            for key, g in document["golden_record"].items()]),
        "source_rows.csv": (["record_id", "tool", "file", "row", "column", "value"], [
            [s["record_id"], s["tool"], s["file"], s["row"], column, value]
            for s in sources for column, value in s["raw"].items()]),
        "normalised_values.csv": (["record_id", "tool", "field", "raw", "value", "quality"], [
            [s["record_id"], s["tool"], v["field"], v["raw"], v["value"], v["quality"]]
            for s in sources for v in s["normalised"]]),
        "file_rows.csv": (["kind", "id", "tool", "file", "row"], [
            ["record", s["record_id"], s["tool"], r["file"], r["row"]] for s in sources for r in s["rows"]] + [
            ["event", e["event_id"], e["tool"], r["file"], r["row"]] for e in document["events"] for r in e["rows"]]),
        "events.csv": (["event_id", "kind", "tool", "id", "occurred_at", "amount", "currency", "status", "title",
                        "items"], [
            [e["event_id"], e["kind"], e["tool"], e["id"], e["occurred_at"], e["amount"], e["currency"], e["status"],
             e["title"], json.dumps(e["data"].get("items", []), ensure_ascii=False)] for e in document["events"]]),
        "consent.csv": (["purpose", "status", "legal_basis", "stated_at", "source", "evidence"], [
            [p, s["status"], s["legal_basis"], s["stated_at"], s["source"],
             json.dumps(s["evidence"], ensure_ascii=False)]
            for p, c in document["consent"].items() for s in c["history"]]),
        "notes.csv": (["kind", "text", "reason", "created_at"], [[n["kind"], n["text"], n.get("reason"),
                                                                  n["created_at"]] for n in document["notes"]]),
        "corrections.csv": (["field", "value", "reason", "edited_at", "withdrawn_at"], [
            [e["field"], e["value"], e["reason"], e["edited_at"], e["withdrawn_at"]] for e in document["corrections"]]),
        "earlier_versions.csv": (["kind", "id", "replaced_at", "file", "row", "column", "value"], [
            [kind, item_id, v["replaced_at"], v["file"], v["row"], column, value]
            for kind, item_id, v in _all_earlier_versions(document)
            for raw in (v["raw"] if isinstance(v["raw"], list) else [v["raw"]]) for column, value in raw.items()]),
        "restrictions.csv": (["kind", "reason", "created_at", "lifted_at"], [
            [r["kind"], r["reason"], r["created_at"], r["lifted_at"]] for r in document["restrictions"]]),
    }


def _all_earlier_versions(document: dict):
    for s in document["source_records"]:
        for version in s["earlier_versions"]:
            yield "record", s["record_id"], version
    for e in document["events"]:
        for version in e["earlier_versions"]:
            yield "event", e["event_id"], version


def _csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([protect_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


# ----------------------------------------------------------------------------- the ZIP

def _entries(document: dict) -> list[tuple[str, Callable[[], str]]]:
    entries = [("data.json", lambda: json.dumps(document, ensure_ascii=False, indent=2))]
    entries += [(name, lambda table=table: _csv_text(*table)) for name, table in csv_tables(document).items()]
    entries.append(("summary.html", lambda: summary_html(document)))
    return entries


def _write_zip(out: Path, entries, progress, cancelled) -> None:
    """Write to a temp file beside ``out`` and rename it into place; any failure or cancel removes it."""
    handle, temp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as raw, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
            for done, (name, text) in enumerate(entries, start=1):
                if cancelled and cancelled():
                    raise ExportCancelled()
                archive.writestr(name, text())
                if progress:
                    progress(done, len(entries))
        with open(temp_name, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp_name, out)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def export_profile(vault, profile_id: int, out_path, *, request_id: int | None = None, redacted: bool = False,
                   progress=None, cancelled=None) -> dict:
    """Write the access export of one profile to ``out_path`` (a ZIP); returns path, files and counts."""
    out = Path(out_path)
    if not out.parent.is_dir():
        raise C360Error(f"The folder {out.parent} does not exist; choose another place for the export.")
    if request_id is not None:
        get_request(vault.conn, request_id)
    document = access_document(vault, profile_id, redacted=redacted)
    entries = _entries(document)
    _write_zip(out, entries, progress, cancelled)
    counts = {"source_records": len(document["source_records"]), "events": len(document["events"]),
              "consent_statements": sum(len(c["history"]) for c in document["consent"].values()),
              "file_rows": sum(len(s["rows"]) for s in document["source_records"])
              + sum(len(e["rows"]) for e in document["events"])}
    with vault.transaction() as conn:
        if request_id is not None:
            add_action(conn, request_id, "exported", {"profile_id": profile_id, "redacted": redacted})
        audit.append(conn, "access_exported", {"profile_id": profile_id, "request_id": request_id,
                                               "redacted": redacted, "counts": counts})
    return {"path": str(out), "files": [name for name, _ in entries], "counts": counts}
