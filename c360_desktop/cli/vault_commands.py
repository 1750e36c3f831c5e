"""Commands about the vault itself: init, info, change-passphrase, recover, audit."""

from __future__ import annotations

from ..core import audit
from ..core.vault import Vault
from .context import NEW_PASSPHRASE_ENV, CommandContext, read_secret_file


def register(subparsers) -> None:
    init = subparsers.add_parser("init", help="create a vault")
    init.set_defaults(handler=cmd_init)

    info = subparsers.add_parser("info", help="counts: records, profiles, pending reviews, suppressed")
    info.set_defaults(handler=cmd_info)

    change = subparsers.add_parser("change-passphrase", help="change the vault's passphrase")
    change.add_argument("--new-passphrase-file", help=f"read the new passphrase from FILE (or set {NEW_PASSPHRASE_ENV})")
    change.set_defaults(handler=cmd_change_passphrase)

    recover = subparsers.add_parser("recover", help="open with the recovery key and set a new passphrase")
    recover.add_argument("--recovery-key-file", required=True, help="file holding the printed recovery key")
    recover.add_argument("--new-passphrase-file", help=f"read the new passphrase from FILE (or set {NEW_PASSPHRASE_ENV})")
    recover.set_defaults(handler=cmd_recover)

    audit_parser = subparsers.add_parser("audit", help="the tamper-evident audit log")
    audit_sub = audit_parser.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="check the hash chain")
    verify.set_defaults(handler=cmd_audit_verify)
    listing = audit_sub.add_parser("list", help="latest entries")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--action", help="only entries of this action")
    listing.set_defaults(handler=cmd_audit_list)


def cmd_init(ctx: CommandContext) -> int:
    passphrase = ctx.new_passphrase(ctx.args.passphrase_file, "C360_PASSPHRASE", "New passphrase: ")
    vault, recovery_key = Vault.create(ctx.vault_path, passphrase)
    vault.close()
    ctx.emit(
        {"vault": str(ctx.vault_path), "key_file": str(ctx.vault_path) + ".key", "recovery_key": recovery_key},
        f"Created the vault {ctx.vault_path}\n"
        f"Its key file is {ctx.vault_path}.key: keep the two together (and in your backups).\n\n"
        f"Recovery key (write it down and keep it somewhere safe; it opens the vault if the passphrase\n"
        f"is forgotten or the key file is lost, and it will not be shown again unasked):\n\n    {recovery_key}\n",
    )
    return 0


def cmd_info(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        counts = vault.info()
    human = "\n".join(f"{key.replace('_', ' ')}: {value}" for key, value in counts.items())
    ctx.emit(counts, human)
    return 0


def cmd_change_passphrase(ctx: CommandContext) -> int:
    old = ctx.passphrase("Current passphrase: ")
    vault = Vault.open(ctx.vault_path, old)
    try:
        new = ctx.new_passphrase(ctx.args.new_passphrase_file, NEW_PASSPHRASE_ENV, "New passphrase: ")
        vault.change_passphrase(old, new)
    finally:
        vault.close()
    ctx.emit({"changed": True}, "Passphrase changed. The old passphrase no longer opens this vault.")
    return 0


def cmd_recover(ctx: CommandContext) -> int:
    recovery_key = read_secret_file(ctx.args.recovery_key_file)
    new = ctx.new_passphrase(ctx.args.new_passphrase_file, NEW_PASSPHRASE_ENV, "New passphrase: ")
    Vault.recover(ctx.vault_path, recovery_key, new).close()
    ctx.emit({"recovered": True}, "Vault recovered: a new key file was written for the new passphrase.")
    return 0


def cmd_audit_verify(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        report = audit.verify(vault.conn)
    payload = {"ok": report.ok, "entries": report.entries, "first_broken": report.first_broken_seq,
               "problem": report.problem}
    if report.ok:
        ctx.emit(payload, f"Audit log intact: {report.entries} entries, chain verified.")
        return 0
    ctx.emit(payload, f"Audit log BROKEN at entry {report.first_broken_seq}: {report.problem}.")
    return 4


def cmd_audit_list(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        items = audit.entries(vault.conn, limit=ctx.args.limit, action=ctx.args.action)
    payload = [{"seq": e.seq, "at": e.at, "actor": e.actor, "action": e.action, "details": e.details}
               for e in items]
    human = "\n".join(f"{e.seq:>6}  {e.at}  {e.action:<22} {e.details}" for e in items) or "(empty)"
    ctx.emit(payload, human)
    return 0
