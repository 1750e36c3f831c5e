"""Commands of identity resolution: match, review, clusters."""

from __future__ import annotations

from pathlib import Path

from ..core.identity.clusters import write_clusters
from ..core.identity.engine import run_match
from ..core.identity.explain import explain_pair
from ..core.identity.review import decide, pending_pairs, undo_last_decision
from ..core.privacy.policy import RedactionPolicy, category_of
from ..core.words import plural, score_text
from .context import CommandContext


def register(subparsers) -> None:
    match = subparsers.add_parser("match", help="resolve identities: link records into profiles")
    match.add_argument("--full", action="store_true", help="compare every candidate pair again, not only new records")
    match.add_argument("--retrain", action="store_true", help="re-estimate the model's weights from the data first")
    match.set_defaults(handler=cmd_match)

    review = subparsers.add_parser("review", help="the review queue of doubtful pairs")
    review_sub = review.add_subparsers(dest="review_command", required=True)
    listing = review_sub.add_parser("list", help="pending pairs, most uncertain first")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--order", choices=("useful", "score", "recent"), default="useful")
    listing.add_argument("--reveal", action="store_true", help="show emails and phones unmasked (audited)")
    listing.set_defaults(handler=cmd_review_list)
    for name, help_text in (("merge", "these two records are the same person"),
                            ("reject", "these two records are different people")):
        command = review_sub.add_parser(name, help=help_text)
        command.add_argument("pair_id", type=int, metavar="ID")
        command.set_defaults(handler=cmd_review_decide, decision=name)
    review_sub.add_parser("undo", help="take back the last decision").set_defaults(handler=cmd_review_undo)

    clusters = subparsers.add_parser("clusters", help="write every imported row with its profile id as CSV")
    clusters.add_argument("--out", required=True, metavar="FILE.csv")
    clusters.set_defaults(handler=cmd_clusters)


def cmd_match(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        result = run_match(vault, full=ctx.args.full, retrain=ctx.args.retrain)
    waiting = f"{plural(result.queued, 'pair')} {'waits' if result.queued == 1 else 'wait'} for your review"
    ctx.emit(result.to_json(),
             f"Matched: {plural(result.records, 'record')} in {plural(result.profiles, 'profile')};"
             f" {plural(result.auto_merged, 'automatic link')} in force, {waiting}"
             f" ({plural(result.compared_pairs, 'pair')} compared this run"
             f"{', model re-estimated' if result.retrained else ''}).")
    return 0


def _display(vault, reveal: bool):
    """Values as the vault's redaction policy shows them, or all in clear with ``--reveal`` (audited)."""
    policy = RedactionPolicy.reveal_all() if reveal else RedactionPolicy.from_vault(vault)
    categories = {"address_key": "address", "name": "name"}

    def display(field, value):
        if field == "source_record_id":
            return policy.source_id(value)
        return policy.apply(categories.get(field) or category_of(field), value)
    return display


def _summary(conn, record_id: int, display) -> dict:
    row = conn.execute("SELECT source, source_record_id, display_name, email, phone, city FROM source_records"
                       " WHERE id = ?", (record_id,)).fetchone()
    return {"record_id": record_id, "source": row[0], "source_record_id": display("source_record_id", row[1]), "name": display("name", row[2]),
            "email": display("email", row[3]), "phone": display("phone", row[4]), "city": display("city", row[5])}


def _named(side: dict) -> str:
    """A record in a review line: its name, or (without one) its email or phone, and its tool."""
    return f"{side['name'] or side['email'] or side['phone'] or '(no name)'} ({side['source']})"


def cmd_review_list(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        display = _display(vault, ctx.args.reveal)
        pairs = pending_pairs(vault.conn, limit=ctx.args.limit, order=ctx.args.order)
        payload = []
        for pair in pairs:
            explained = explain_pair(vault, pair.left_id, pair.right_id, display)
            payload.append({"id": pair.id, "score": round(pair.probability, 4), "reason": pair.reason,
                            "left": _summary(vault.conn, pair.left_id, display),
                            "right": _summary(vault.conn, pair.right_id, display),
                            "evidence": [e["words"] for e in explained["evidence"] if e["level"]]})
        if ctx.args.reveal and pairs:
            vault.audit("values_revealed", {"surface": "cli review list", "pairs": len(pairs)})
    lines = []
    for item in payload:
        left, right = item["left"], item["right"]
        standing = f"held for your decision: {item['reason']}" if item["reason"] else score_text(item["score"])
        lines.append(f"#{item['id']}  {standing}  {_named(left)} ~ {_named(right)}")
        lines += [f"      {words}" for words in item["evidence"]]
    ctx.emit(payload, "\n".join(lines) or "Nothing to review.")
    return 0


def cmd_review_decide(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        placed = decide(vault, ctx.args.pair_id, ctx.args.decision)
    verb = "merged" if ctx.args.decision == "merge" else "kept apart"
    ctx.emit({"pair": ctx.args.pair_id, "decision": ctx.args.decision, "profiles": placed},
             f"Pair #{ctx.args.pair_id} {verb}; profiles now: {sorted(set(placed.values()))}")
    return 0


def cmd_review_undo(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        placed = undo_last_decision(vault)
    ctx.emit({"undone": placed is not None, "profiles": placed or {}},
             "Last decision undone." if placed is not None else "There is no decision to undo.")
    return 0


def cmd_clusters(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        count = write_clusters(vault.conn, Path(ctx.args.out))
        vault.audit("clusters_exported", {"rows": count})   # record keys can be emails: a file of personal data
    ctx.emit({"rows": count, "out": ctx.args.out}, f"Wrote {count} rows to {ctx.args.out}.")
    return 0
