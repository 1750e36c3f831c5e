"""The readable page of an access export: one self-contained HTML file (no scripts, no remote resources)
that a shop owner can send as is. Every value is escaped."""

from __future__ import annotations

from html import escape

from ..ingest.dates import readable_date

STYLE = """body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;max-width:60rem;margin:2rem auto;
padding:0 1rem;color:#1d2733;line-height:1.45}h1{font-size:1.6rem}
h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #dde3ea}
table{border-collapse:collapse;width:100%;font-size:.92rem}th,td{text-align:left;padding:.3rem .5rem;
border-bottom:1px solid #eef1f4;vertical-align:top}th{color:#5b6875;font-weight:600}.muted{color:#5b6875}"""


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
    return "entered by the shop" if origin.get("manual") else f"{origin['tool']}, {origin['file']} row {origin['row']}"


def summary_html(document: dict) -> str:
    processing = document["processing"]
    golden = [[g["label"], readable_date(g["value"]) if key == "birth_date" else g["value"], _where(g["from"])]
              for key, g in document["golden_record"].items()]
    events = [[e["occurred_at"], e["kind"], e["title"] or e["id"], " ".join(filter(None, (e["amount"], e["currency"]))),
               e["status"], e["tool"]] for e in document["events"]]
    consent = [[c["label"], c["status"], c["current"]["source"] if c.get("current") else ""]
               for c in document["consent"].values()]
    sources = [[s["tool"], s["file"], ", ".join(str(r["row"]) for r in s["rows"])] for s in document["source_records"]]
    purposes = [[p["label"], p["status"]] for p in processing["purposes"]]
    parts = [
        (f"<h1>The personal data we hold about you</h1><p class=\"muted\">Exported {_cell(document['exported_at'])}."
         " The file data.json holds all of it in a machine-readable form, and the CSV files the same as tables.</p>"),
        _section("Your details", _table(["Field", "Value", "Where it came from"], golden)),
        _section("Orders, payments, tickets and events", _table(["Date", "Kind", "What", "Amount", "Status", "Tool"],
                                                                events)),
        _section("Your choices about marketing", _table(["Purpose", "Status", "Stated by"], consent)),
        _section("Where your data came from", _table(["Tool", "File", "Rows"], sources)),
        _section("Why we use it", _table(["Purpose", "Basis or status"], purposes)),
        _section("Who receives it", f"<p>{_cell(processing['recipients'])}</p>"),
        _section("How long we keep it", f"<p>{_cell(processing['retention'])}</p>"),
        _section("Your rights", f"<p>{_cell(processing['rights'])}</p>"),
    ]
    return (f"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Your personal data</title>"
            f"<style>{STYLE}</style></head><body>{''.join(parts)}</body></html>")
