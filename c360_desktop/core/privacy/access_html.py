"""The readable page of an access export: one self-contained HTML file (no scripts, no remote resources)
that a shop owner can send as is. Every value is escaped.

It speaks to the customer, not to a program: tools by the names the presets give them (``Zendesk Support``,
not ``zendesk_support``), days as words (``26 January 2024``, the day the tool wrote), kinds and statuses
capitalised. ``data.json`` and the CSV files keep the machine-readable keys and ISO times.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime
from functools import lru_cache
from html import escape

from ..ingest.dates import readable_date
from ..ingest.presets import all_presets

STYLE = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d2733;line-height:1.45}h1{font-size:1.6rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde3ea}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eef1f4;vertical-align:top}th{color:#5b6875;font-weight:600}.muted{color:#5b6875}"""


OWNER_SOURCE = "manual"   # statements and corrections the shop entered itself
EVENT_KINDS = {"order": "Order", "payment": "Payment", "refund": "Refund", "ticket": "Support ticket",
               "subscription": "Subscription", "attendance": "Event attended"}
STATUS_WORDS = {"granted": "Given", "denied": "Refused", "withdrawn": "Withdrawn", "unknown": "Not known",
                "contract": "Contract (needed for your orders)"}


@lru_cache(maxsize=1)
def _tool_names() -> dict[str, str]:
    return {preset.source: preset.tool for preset in all_presets()}


def tool_label(source: str | None) -> str:
    """A tool's name as the presets give it, short (``Outlook.com`` for ``Outlook.com / new Outlook / …``);
    a spreadsheet without a tool is "Spreadsheet", the shop's own entries are "Us (the shop)"."""
    if not source:
        return ""
    if source == OWNER_SOURCE:
        return "Us (the shop)"
    if source.startswith("sheet:"):
        return "Spreadsheet"
    name = _tool_names().get(source) or source.replace("_", " ").title()
    return name.split(" (")[0].split(" / ")[0]


def readable_day(value: str | None) -> str:
    """``2024-01-26T23:13:36-08:00`` -> ``26 January 2024``: the day as the tool wrote it (not moved to another
    time zone); a birthday without its year as ``14 June (year not given)``; anything else as it is."""
    if not value:
        return ""
    if value.startswith("--"):
        return readable_date(value) or value
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def _local(at: str) -> str:
    """A UTC time of c360's own (the export's) in the computer's time zone, so its day is the owner's day."""
    try:
        return datetime.fromisoformat(at).astimezone().isoformat()
    except ValueError:
        return at


def _capitalised(text: str | None) -> str:
    return (text or "")[:1].upper() + (text or "")[1:]


def _cell(value) -> str:
    return escape("" if value is None else str(value))


def _table(header: list[str], rows: list[list]) -> str:
    if not rows:
        return '<p class="muted">None.</p>'
    head = "".join(f"<th>{_cell(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{_cell(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(title: str, content: str) -> str:
    return f"<h2>{_cell(title)}</h2>{content}"


def _where(origin: dict | None) -> str:
    if not origin:
        return ""
    if origin.get("manual"):
        return "entered by the shop"
    return f"{tool_label(origin['tool'])}, {origin['file']} row {origin['row']}"


def _status(status: str | None) -> str:
    return STATUS_WORDS.get(status or "", _capitalised(status))


LIMIT_KINDS = {"restrict": "Restriction of processing (Art. 18)", "object": "Objection to direct marketing (Art. 21)"}
EVIDENCE_WORDS = {"tool_status": "the tool said", "evidence": "recorded with", "reason": "reason", "ground": "ground"}


def _what(event: dict) -> str:
    """The event's title, with the items of an order."""
    items = ", ".join(filter(None, (str(item.get("name") or "") for item in event["data"].get("items") or [])))
    title = event["title"] or event["id"]
    return f"{title}: {items}" if items else title


def _evidence(statement: dict | None) -> str:
    if not statement:
        return ""
    evidence = statement.get("evidence") or {}
    stated = f"stated {readable_day(statement['stated_at'])}" if statement.get("stated_at") else ""
    words = [f"{EVIDENCE_WORDS[key]} {value}" for key, value in evidence.items()
             if key in EVIDENCE_WORDS and value not in (None, "")]
    return "; ".join(filter(None, [stated, *words]))


def _sources(document: dict) -> list[list]:
    """Every file a row of the person came from, with those rows' numbers: their records' rows (which may
    come from several exports of one tool) and their orders', payments' and tickets'."""
    rows: dict[tuple[str, str], list[int]] = {}
    for record in document["source_records"]:
        for row in record["rows"]:
            rows.setdefault((record["tool"], row["file"]), []).append(row["row"])
    for event in document["events"]:
        for row in event["rows"]:
            rows.setdefault((event["tool"], row["file"]), []).append(row["row"])
    return [[tool_label(tool), file_name, ", ".join(str(n) for n in sorted(set(numbers)))]
            for (tool, file_name), numbers in sorted(rows.items())]


def summary_html(document: dict) -> str:
    processing = document["processing"]
    golden = [[g["label"], readable_day(g["value"]) if key == "birth_date" else g["value"], _where(g["from"])]
              for key, g in document["golden_record"].items()]
    events = [[readable_day(e["occurred_at"]), EVENT_KINDS.get(e["kind"], _capitalised(e["kind"])),
               _what(e), " ".join(filter(None, (e["amount"], e["currency"]))), _capitalised(e["status"]),
               tool_label(e["tool"])] for e in document["events"]]
    consent = [[c["label"], _status(c["status"]), tool_label(c["current"]["source"]) if c.get("current") else "",
                _evidence(c.get("current"))] for c in document["consent"].values()]
    purposes = [[p["label"], _status(p["status"])] for p in processing["purposes"]]
    notes = [[_capitalised(n["kind"]), n["text"], n.get("reason") or "", readable_day(n["created_at"])]
             for n in document["notes"]]
    notes += [[f"Correction of {c['field'].replace('_', ' ')}", c["value"], c.get("reason") or "",
               readable_day(c["edited_at"]) + (" (withdrawn)" if c.get("withdrawn_at") else "")]
              for c in document["corrections"]]
    limits = [[LIMIT_KINDS.get(r["kind"], _capitalised(r["kind"])), r.get("reason") or "", readable_day(r["created_at"]),
               readable_day(r["lifted_at"]) if r["lifted_at"] else "still in force"] for r in document["restrictions"]]
    parts = [
        (f"<h1>The personal data we hold about you</h1><p class=\"muted\">Exported "
         f"{_cell(readable_day(_local(document['exported_at'])))}."
         " The file data.json holds all of it in a machine-readable form, and the CSV files the same as tables.</p>"),
        _section("Your details", _table(["Field", "Value", "Where it came from"], golden)),
        _section("Orders, payments, tickets and events", _table(["Date", "Kind", "What", "Amount", "Status", "Tool"],
                                                                events)),
        _section("Your choices about marketing", _table(["Purpose", "Status", "Stated by", "Evidence"], consent)),
        _section("Notes and corrections the shop made", _table(["What", "Text", "Why", "When"], notes)),
        _section("Limits you asked for", _table(["What", "Why", "Since", "Until"], limits)),
        _section("Where your data came from", _table(["Tool", "File", "Rows"], _sources(document))),
        _section("What kinds of data these are", f"<p>{_cell(', '.join(processing['categories']))}.</p>"),
        _section("Why we use it", _table(["Purpose", "Basis or status"], purposes)),
        _section("Automated decisions", f"<p>{_cell(processing['automated_decisions'])}</p>"),
        _section("Who receives it", f"<p>{_cell(processing['recipients'])}</p>"),
        _section("How long we keep it", f"<p>{_cell(processing['retention'])}</p>"),
        _section("Your rights", f"<p>{_cell(processing['rights'])}</p>"),
    ]
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your personal data</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")
