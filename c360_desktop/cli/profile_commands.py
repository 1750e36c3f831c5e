"""``c360 profile show``: one unified profile, redacted by the vault's policy unless ``--reveal`` (audited)."""

from __future__ import annotations

from ..core.errors import C360Error
from ..core.ingest.regions import shop_region
from ..core.privacy.consent import purposes
from ..core.privacy.policy import RedactionPolicy
from ..core.profiles.golden import Survivorship
from ..core.profiles.present import profile_document
from ..core.profiles.profile import load_profile, profiles_by_email, profiles_by_phone
from .context import CommandContext


class ProfileLookupError(C360Error):
    pass


def register(subparsers) -> None:
    profile = subparsers.add_parser("profile", help="unified customer profiles")
    profile_sub = profile.add_subparsers(dest="profile_command", required=True)
    show = profile_sub.add_parser("show", help="one profile: golden record, sources, metrics, consent")
    which = show.add_mutually_exclusive_group(required=True)
    which.add_argument("profile_id", nargs="?", type=int, metavar="ID")
    which.add_argument("--email", metavar="E")
    which.add_argument("--phone", metavar="P")
    show.add_argument("--region", default=None, help="default country for a phone without +code (e.g. GB)")
    show.add_argument("--reveal", action="store_true", help="show every value unmasked (audited)")
    show.set_defaults(handler=cmd_profile_show)


def resolve_profile(conn, args, region: str) -> int:
    """The one profile an id, ``--email`` or ``--phone`` names; several or none is an error that says so."""
    if args.profile_id is not None:
        return args.profile_id
    found = profiles_by_email(conn, args.email) if args.email else profiles_by_phone(conn, args.phone, region)
    what = "email" if args.email else "phone"
    if not found:
        raise ProfileLookupError(f"No profile has that {what}.")
    if len(found) > 1:
        raise ProfileLookupError(f"Several profiles have that {what}: {', '.join(map(str, found))}. Give the id.")
    return found[0]


def cmd_profile_show(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        region = ctx.args.region or shop_region(vault)
        profile_id = resolve_profile(vault.conn, ctx.args, region)
        view = load_profile(vault.conn, profile_id, survivorship=Survivorship.from_settings(vault),
                            known_purposes=purposes(vault))
        policy = RedactionPolicy.reveal_all() if ctx.args.reveal else RedactionPolicy.from_vault(vault)
        document = profile_document(vault.conn, view, policy)
        if ctx.args.reveal:
            vault.audit("values_revealed", {"surface": "cli profile show", "profile_id": profile_id})
    ctx.emit(document, _human(document))
    return 0


def _human(doc: dict) -> str:
    metrics = doc["metrics"]
    lines = [f"Profile {doc['id']}: {doc['display_name']}" + ("  [processing restricted]" if doc["restricted"] else ""),
             f"Seen in: {', '.join(doc['tools'])}", ""]
    for key, item in doc["golden"].items():
        origin = item["from"] or {}
        lines.append(f"  {key:<11} {item['value']:<40} {origin.get('source', '')} {origin.get('file', '')}"
                     f"{':' + str(origin['row']) if origin.get('row') else ''} ({item['decided_by']})")
    spent = f"{metrics['total_spent']} {metrics['currency'] or ''}".strip() if metrics["total_spent"] else "-"
    lines += ["", f"  Orders {metrics['order_count']}, spent {spent}, tickets {metrics['tickets_open']} open of"
                  f" {metrics['tickets_total']}, last activity {metrics['last_activity_at'] or '-'}", ""]
    for item in doc["consent"].values():
        conflict = "  (tools disagree)" if item["conflict"] else ""
        lines.append(f"  {item['label']:<22} {item['status']:<10} {item['source'] or ''}{conflict}")
    lines += ["", f"  {len(doc['sources'])} source records:"]
    lines += [f"    {s['source']:<24} {s['file']}:{s['row']}" for s in doc["sources"]]
    return "\n".join(lines)
