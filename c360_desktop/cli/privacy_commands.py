"""``c360 gdpr``: data-subject requests from the terminal — find, export, erase, restrict, object, requests.

Output names profiles by id and counts; only ``find`` shows personal values, masked by the vault's
redaction policy unless ``--reveal`` (audited).
"""

from __future__ import annotations

import argparse
import sys

from ..core.ingest.regions import shop_region
from ..core.privacy.access import export_profile
from ..core.privacy.erasure import (
    erase_profile,
    erasure_receipts,
    keeps_invoices,
    preview_with_copies,
)
from ..core.privacy.erasure_words import kept_orders, receipt_sections, removed_lines, section_sentence
from ..core.privacy.find import find_candidates
from ..core.privacy.policy import RedactionPolicy
from ..core.privacy.requests import (
    REQUEST_KINDS,
    close_request,
    extend_request,
    get_request,
    list_requests,
    open_request,
)
from ..core.privacy.restriction import (
    lift_restriction,
    object_to_marketing,
    restrict_processing,
)
from .context import CommandContext
from .profile_commands import resolve_profile

REGION_HELP = "default country for a phone without +code (e.g. GB)"


def register(subparsers) -> None:
    gdpr = subparsers.add_parser("gdpr", help="data-subject requests: find, export, erase, restrict, object")
    sub = gdpr.add_subparsers(dest="gdpr_command", required=True)
    _register_find(sub)
    _register_export(sub)
    _register_erase(sub)
    _register_restrictions(sub)
    _register_requests(sub)
    sub.add_parser("receipts", help="erasure receipts (no personal data)").set_defaults(handler=cmd_receipts)


def _profile_argument(parser) -> None:
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("profile_id", nargs="?", type=int, metavar="ID")
    which.add_argument("--email", metavar="E")
    which.add_argument("--phone", metavar="P")
    parser.add_argument("--region", default=None, help=REGION_HELP)
    parser.add_argument("--request", type=int, metavar="N", help="the request this answers (noted on it)")


def _register_find(sub) -> None:
    find = sub.add_parser("find", help="every candidate profile for an email, phone or name a person gave")
    find.add_argument("--email", metavar="E")
    find.add_argument("--phone", metavar="P")
    find.add_argument("--name", metavar="N")
    find.add_argument("--region", default=None, help=REGION_HELP)
    find.add_argument("--reveal", action="store_true", help="show emails and phones unmasked (audited)")
    find.set_defaults(handler=cmd_find)


def _register_export(sub) -> None:
    export = sub.add_parser("export", help="the access export of one profile: a ZIP of JSON, CSV and HTML")
    _profile_argument(export)
    export.add_argument("--out", required=True, metavar="FILE.zip")
    export.add_argument("--redacted", action="store_true", help="mask values by the redaction policy")
    export.set_defaults(handler=cmd_export)


def _register_erase(sub) -> None:
    erase = sub.add_parser("erase", help="erase one profile for good (without --yes: show what would go)")
    _profile_argument(erase)
    erase.add_argument("--yes", action="store_true", help="really erase")
    erase.add_argument("--reference", metavar="TEXT", help="the request's reference, kept on the receipt")
    erase.add_argument("--keep-invoices", action=argparse.BooleanOptionalAction, default=None,
                       help="keep orders anonymised for the accounts (default: the vault's setting)")
    erase.set_defaults(handler=cmd_erase)


def _register_restrictions(sub) -> None:
    for name, help_text in (("restrict", "restrict processing of a profile (Art. 18)"),
                            ("object", "record an objection to direct marketing (Art. 21)")):
        command = sub.add_parser(name, help=help_text)
        command.add_argument("profile_id", type=int, metavar="ID")
        command.add_argument("--reason", required=True)
        command.add_argument("--request", type=int, metavar="N")
        command.set_defaults(handler=cmd_restrict, kind=name)
    lift = sub.add_parser("lift", help="lift a restriction or objection")
    lift.add_argument("restriction_id", type=int, metavar="ID")
    lift.add_argument("--reason", required=True)
    lift.set_defaults(handler=cmd_lift)


def _register_requests(sub) -> None:
    requests = sub.add_parser("requests", help="the register of data-subject requests and their deadlines")
    actions = requests.add_subparsers(dest="requests_command", required=True)
    listing = actions.add_parser("list", help="requests, open ones first by due date")
    listing.add_argument("--status", choices=("open", "done", "refused"))
    listing.set_defaults(handler=cmd_requests_list)
    opened = actions.add_parser("open", help="register a request (due one month after receipt)")
    opened.add_argument("kind", choices=sorted(REQUEST_KINDS))
    opened.add_argument("reference", help="your ticket or letter number (no personal data)")
    opened.add_argument("--profile", type=int, action="append", default=[], metavar="ID")
    opened.add_argument("--received", metavar="YYYY-MM-DD", help="when it arrived (default: today)")
    opened.set_defaults(handler=cmd_requests_open)
    extend = actions.add_parser("extend", help="two further months, with the reason told to the person")
    extend.add_argument("request_id", type=int, metavar="ID")
    extend.add_argument("--reason", required=True)
    extend.set_defaults(handler=cmd_requests_extend)
    close = actions.add_parser("close", help="close a request as done (or refused, with a note)")
    close.add_argument("request_id", type=int, metavar="ID")
    close.add_argument("--refused", action="store_true")
    close.add_argument("--note", default="")
    close.set_defaults(handler=cmd_requests_close)


# ----------------------------------------------------------------------------- find

def _masked(candidate: dict, policy: RedactionPolicy) -> dict:
    return {**candidate, "display_name": policy.apply("name", candidate["display_name"]),
            "primary_email": policy.apply("email", candidate["primary_email"]),
            "primary_phone": policy.apply("phone", candidate["primary_phone"])}


def cmd_find(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.open_vault() as vault:
        region = args.region or shop_region(vault)
        found = find_candidates(vault.conn, email=args.email, phone=args.phone, name=args.name, region=region)
        policy = RedactionPolicy.reveal_all() if args.reveal else RedactionPolicy.from_vault(vault)
        if args.reveal and found:
            vault.audit("values_revealed", {"surface": "cli gdpr find", "profiles": len(found)})
    shown = [_masked(c, policy) for c in found]
    lines = [f"#{c['profile_id']}  {c['display_name'] or '(no name)'}  {c['primary_email'] or '-'}"
             f"  {c['primary_phone'] or '-'}  {c['record_count']} records from {c['sources'] or '-'}"
             f"  (matched on {', '.join(c['matched_on'])})" for c in shown]
    ctx.emit(shown, "\n".join(lines) or "No profile matches.")
    return 0


# ----------------------------------------------------------------------------- export and erase

def _region(ctx: CommandContext, vault) -> str:
    return ctx.args.region or shop_region(vault)


def cmd_export(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        profile_id = resolve_profile(vault.conn, ctx.args, _region(ctx, vault))
        result = export_profile(vault, profile_id, ctx.args.out, request_id=ctx.args.request,
                                redacted=ctx.args.redacted)
    counts = result["counts"]
    ctx.emit({"profile_id": profile_id, **result},
             f"Wrote the access export of profile {profile_id} to {result['path']}: {counts['source_records']}"
             f" source records, {counts['events']} events, {counts['file_rows']} file rows.")
    return 0


def cmd_erase(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.open_vault() as vault:
        profile_id = resolve_profile(vault.conn, args, _region(ctx, vault))
        if not args.yes:
            preview = preview_with_copies(vault, profile_id, keeps_invoices(vault, args.keep_invoices))
        else:
            receipt = erase_profile(vault, profile_id, reference=args.reference, request_id=args.request,
                                    keep_invoices=args.keep_invoices)
    if not args.yes:
        sections = receipt_sections(preview, preview.get("kept_invoices", 0))
        ctx.emit({"profile_id": profile_id, "erased": False, "would_erase": preview},
                 f"Erasing profile {profile_id} would do this. " + _sentences(sections))
        print(f"c360: nothing was erased; add --yes to erase profile {profile_id}.", file=sys.stderr)
        return 1
    sections = receipt_sections(receipt["counts"], kept_orders(receipt))
    ctx.emit({"profile_id": profile_id, "erased": True, "receipt": receipt},
             f"Erased profile {profile_id} (receipt {receipt['id']}). " + _sentences(sections))
    return 0


def _sentences(sections) -> str:
    return " ".join(section_sentence(section) for section in sections)


def cmd_receipts(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        receipts = erasure_receipts(vault.conn)
    lines = [f"#{r['id']}  {r['erased_at']}  {r['reference'] or '-'}  "
             + "; ".join(removed_lines(r["counts"]) or ["nothing"])
             + ("  (orders kept anonymised)" if r["kept"] else "") for r in receipts]
    ctx.emit(receipts, "\n".join(lines) or "No erasure yet.")
    return 0


# ----------------------------------------------------------------------------- restriction and objection

def cmd_restrict(ctx: CommandContext) -> int:
    args = ctx.args
    action = restrict_processing if args.kind == "restrict" else object_to_marketing
    with ctx.open_vault() as vault:
        restriction_id = action(vault, args.profile_id, args.reason, request_id=args.request)
    done = "Processing restricted" if args.kind == "restrict" else "Objection to direct marketing recorded"
    ctx.emit({"profile_id": args.profile_id, "kind": args.kind, "restriction_id": restriction_id},
             f"{done} for profile {args.profile_id} (restriction {restriction_id}).")
    return 0


def cmd_lift(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        lift_restriction(vault, ctx.args.restriction_id, ctx.args.reason)
    ctx.emit({"restriction_id": ctx.args.restriction_id, "lifted": True},
             f"Restriction {ctx.args.restriction_id} lifted.")
    return 0


# ----------------------------------------------------------------------------- requests

def cmd_requests_list(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        requests = list_requests(vault.conn, ctx.args.status)
    lines = [f"#{r.id}  {r.label:<24} {r.reference:<16} received {r.received_at}  due {r.due_at}  {r.status}"
             + ("  OVERDUE" if r.overdue else f"  ({r.days_left} days left)" if r.status == "open" else "")
             + (f"  profiles {', '.join(map(str, r.profile_ids))}" if r.profile_ids else "") for r in requests]
    ctx.emit([r.to_json() for r in requests], "\n".join(lines) or "No requests.")
    return 0


def cmd_requests_open(ctx: CommandContext) -> int:
    args = ctx.args
    with ctx.open_vault() as vault:
        request_id = open_request(vault, args.kind, args.reference, received_at=args.received,
                                  profile_ids=args.profile)
        request = get_request(vault.conn, request_id)
    ctx.emit(request.to_json(), f"Request {request_id} registered ({request.label}); due {request.due_at}.")
    return 0


def cmd_requests_extend(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        due = extend_request(vault, ctx.args.request_id, ctx.args.reason)
    ctx.emit({"request_id": ctx.args.request_id, "due_at": due},
             f"Request {ctx.args.request_id} extended; now due {due}. Tell the person why within the first month.")
    return 0


def cmd_requests_close(ctx: CommandContext) -> int:
    status = "refused" if ctx.args.refused else "done"
    with ctx.open_vault() as vault:
        close_request(vault, ctx.args.request_id, status, ctx.args.note)
    ctx.emit({"request_id": ctx.args.request_id, "status": status}, f"Request {ctx.args.request_id} closed ({status}).")
    return 0
