"""A profile as a document for a terminal, a script or a redacted export: every personal value passed
through the redaction policy by its privacy category."""

from __future__ import annotations

from ..privacy.policy import RedactionPolicy, category_of, column_categories
from .golden import GOLDEN_FIELDS
from .profile import ProfileView


def _candidate(candidate, category: str, show) -> dict:
    return {"value": show(category, candidate.value), "source": candidate.source, "file": candidate.file_name,
            "row": candidate.row_number, "seen_at": candidate.seen_at, "manual": candidate.manual}


def profile_document(conn, view: ProfileView, policy: RedactionPolicy) -> dict:
    show = policy.apply
    golden = {}
    for key, item in view.golden.items():
        if item.value is None:
            continue
        golden[key] = {"value": show(item.category, item.value), "decided_by": item.decided_by,
                       "from": _candidate(item.winner, item.category, show) if item.winner else None,
                       "others": [_candidate(c, item.category, show) for c in item.others]}
    categories: dict[int, dict[str, str]] = {}
    sources = []
    for record in view.sources:
        columns = categories.setdefault(record.import_id, column_categories(conn, record.import_id))
        sources.append({"record_id": record.id, "source": record.source,
                        "source_record_id": policy.source_id(record.source_record_id), "file": record.file_name,
                        "row": record.row_number, "imported_at": record.imported_at, "rows": record.rows,
                        "raw": policy.redact_raw(record.raw, columns)})
    consent = {purpose: {"label": item.label, "status": item.status, "conflict": item.conflict,
                         "source": item.current.source if item.current else None,
                         "stated_at": item.current.stated_at if item.current else None,
                         "statements": len(item.history)}
               for purpose, item in view.consent.items()}
    return {"id": view.id, "display_name": show("name", view.display_name), "tools": view.tools,
            "restricted": view.restricted, "golden": golden, "metrics": view.metrics.to_json(), "consent": consent,
            "sources": sources,
            "notes": [{"kind": n["kind"], "text": show("notes", n["text"]), "created_at": n["created_at"]}
                      for n in view.notes],
            "corrections": [{"field": e["field"], "value": show(category_of_golden(e["field"]), e["value"]),
                             "edited_at": e["edited_at"], "withdrawn_at": e["withdrawn_at"]} for e in view.edits]}


def category_of_golden(key: str) -> str:
    return GOLDEN_FIELDS[key][2] if key in GOLDEN_FIELDS else category_of(key)
