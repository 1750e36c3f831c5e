"""Commands about imports: import, presets, imports list/show/undo."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..core.errors import C360Error
from ..core.ingest.history import import_issues, list_imports, undo_import
from ..core.ingest.importer import run_import
from ..core.ingest.plan import ImportOptions, plan_import
from ..core.ingest.presets import all_presets
from ..core.ingest.readers import checked_encoding, delimiter_from_option
from ..core.ingest.watch import FolderWatch
from .context import CommandContext, UsageError


def register(subparsers) -> None:
    command = subparsers.add_parser("import", help="import tool exports (CSV, TSV, XLSX, XLS, ODS)")
    command.add_argument("files", nargs="*", metavar="FILE")
    command.add_argument("--watch", metavar="FOLDER", help="import every new or changed export that lands in FOLDER")
    command.add_argument("--once", action="store_true", help="with --watch: one pass over the folder, then exit")
    command.add_argument("--interval", type=float, default=5.0, help="with --watch: seconds between scans")
    command.add_argument("--source", help="use this preset instead of detecting it (see `c360 presets`)")
    command.add_argument("--sheet", help="the sheet to read in a workbook")
    command.add_argument("--region", default=None, help="default country for phone numbers, e.g. US, GB, DE")
    command.add_argument("--encoding", help="override the detected text encoding, e.g. utf-8, cp1252, utf-16")
    command.add_argument("--delimiter", help="override the detected delimiter: comma, semicolon, tab or pipe")
    command.add_argument("--date-order", choices=("MDY", "DMY"), help="override the detected date order")
    command.add_argument("--dry-run", action="store_true", help="check everything, write nothing")
    command.set_defaults(handler=cmd_import)

    presets = subparsers.add_parser("presets", help="list the tool presets")
    presets.set_defaults(handler=cmd_presets)

    history = subparsers.add_parser("imports", help="import history")
    history_sub = history.add_subparsers(dest="imports_command", required=True)
    history_sub.add_parser("list", help="every import").set_defaults(handler=cmd_imports_list)
    show = history_sub.add_parser("show", help="one import's report: rejected rows and warnings")
    show.add_argument("import_id", type=int)
    show.set_defaults(handler=cmd_imports_show)
    undo = history_sub.add_parser("undo", help="undo an import")
    undo.add_argument("import_id", type=int)
    undo.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    undo.set_defaults(handler=cmd_imports_undo)


def cmd_import(ctx: CommandContext) -> int:
    args = ctx.args
    if bool(args.files) == bool(args.watch):
        raise UsageError("Give either files to import or --watch FOLDER.")
    encoding = checked_encoding(args.encoding) if args.encoding is not None else None  # before the passphrase
    delimiter = delimiter_from_option(args.delimiter) if args.delimiter is not None else None
    failures = 0
    with ctx.open_vault() as vault:
        region = args.region or vault.setting("default_region", "US")
        options = ImportOptions(preset=args.source, sheet=args.sheet, region=region, encoding=encoding,
                                delimiter=delimiter, date_order=args.date_order)
        if args.watch:
            return _watch(ctx, vault, options)
        for name in args.files:
            try:
                plan = plan_import(Path(name), options, vault.conn)
                report = run_import(vault, plan, dry_run=args.dry_run)
            except C360Error as error:
                failures += 1
                ctx.emit({"file": Path(name).name, "error": str(error)}, f"{Path(name).name}: {error}")
                continue
            ctx.emit(_import_json(report), _import_human(report))
    return 1 if failures else 0


def _watch(ctx: CommandContext, vault, options: ImportOptions) -> int:
    watch = FolderWatch(Path(ctx.args.watch).expanduser(), settle_seconds=ctx.args.interval)
    failures = 0
    while True:
        for result in watch.import_settled(vault, options):
            if result.error:
                failures += 1
                ctx.emit({"file": result.file, "error": result.error}, f"{result.file}: {result.error}")
            else:
                ctx.emit(_import_json(result.report), _import_human(result.report))
            sys.stdout.flush()
        if ctx.args.once:
            return 1 if failures else 0
        time.sleep(ctx.args.interval)


def _import_json(report) -> dict:
    payload = report.to_json()
    payload["rejections"] = [{"row": r["row"], "reason": r["reason"]} for r in report.rejections]
    return payload


def _where(row: int | None) -> str:
    return "the file" if row is None else f"row {row}"


def _sheet_words(detected: dict) -> str:
    others = [name for name in detected.get("sheets") or [] if name != detected.get("sheet")]
    if not others:
        return ""
    return f", sheet {detected['sheet']!r} (also in the workbook: {', '.join(map(repr, others))}; --sheet NAME)"


def _import_human(report) -> str:
    detected = report.detected
    tool = f"{detected.get('tool')} ({report.preset})" if report.preset else "no preset: guessed mapping"
    lines = [
        f"{report.file}: {tool}" + (" — dry run, nothing written" if report.dry_run else ""),
        f"  read as {detected.get('format')}"
        + (f", {detected.get('encoding')}, delimiter {detected.get('delimiter')!r}" if detected.get('encoding') else "")
        + _sheet_words(detected)
        + f"; dates {detected.get('date_order_grounds')}",
        f"  rows {report.rows}: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged},"
        f" rejected {report.rejected}, suppressed {report.suppressed}; events {report.events},"
        f" consent statements {report.consents}; warnings {report.warning_count}",
    ]
    lines += [f"  row {r['row']}: rejected, {r['reason']}" for r in report.rejections[:20]]
    lines += [f"  {_where(w['row'])}: {w['reason']}" for w in report.warnings[:20]]
    if report.import_id:
        lines.append(f"  import #{report.import_id}; `c360 imports show {report.import_id}` lists every issue")
    return "\n".join(lines)


def cmd_presets(ctx: CommandContext) -> int:
    presets = [{"name": p.name, "tool": p.tool, "label": p.label, "kind": p.record_kind} for p in all_presets()]
    ctx.emit(presets, "\n".join(f"{p['name']:<34} {p['label']}" for p in presets))
    return 0


def cmd_imports_list(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        imports = list_imports(vault.conn)
    payload = [i.to_json() for i in imports]
    human = "\n".join(
        f"#{i.id:<4} {i.started_at}  {i.status:<6} {i.file_name}  ({i.preset or 'guessed'}): rows {i.rows},"
        f" inserted {i.inserted}, updated {i.updated}, rejected {i.rejected}, suppressed {i.suppressed}"
        for i in imports) or "No imports yet."
    ctx.emit(payload, human)
    return 0


def cmd_imports_show(ctx: CommandContext) -> int:
    with ctx.open_vault() as vault:
        issues = import_issues(vault.conn, ctx.args.import_id)
    human = "\n".join(f"{_where(i['row'])}: {i['severity']}, {i['reason']}" for i in issues) or "No issues."
    ctx.emit(issues, human)
    return 0


def cmd_imports_undo(ctx: CommandContext) -> int:
    if not ctx.args.yes:
        answer = input(f"Undo import #{ctx.args.import_id} and remove what it added? [y/N] ") if ctx.interactive else "n"
        if answer.strip().lower() not in ("y", "yes"):
            ctx.emit({"undone": False}, "Nothing was changed (use --yes to confirm without a question).")
            return 1
    with ctx.open_vault() as vault:
        counts = undo_import(vault, ctx.args.import_id)
    ctx.emit({"undone": True, **counts}, f"Import #{ctx.args.import_id} undone: {counts}")
    return 0
