"""Commands about imports: import, presets, imports list/show/undo."""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path
from typing import NoReturn

from ..core.errors import C360Error
from ..core.ingest.history import import_issues, list_imports, undo_import
from ..core.ingest.importer import run_import
from ..core.ingest.plan import ImportOptions, plan_import
from ..core.ingest.presets import all_presets
from ..core.ingest.readers import checked_encoding, delimiter_from_option, readable_text
from ..core.ingest.regions import is_phone_region, shop_region
from ..core.ingest.watch import (
    IMPORTING,
    MATCHING,
    FolderWatch,
    WatchedFolderError,
    WatchResult,
)
from .context import BadArguments, CommandContext

DEFAULT_INTERVAL = 5.0
MIN_INTERVAL = 1.0  # below it a scan busy-polls the folder, and "still for 0 s" lets half-written files in
MAX_INTERVAL = 86_400.0
ONCE_EXTRA_LOOKS = 3


def register(subparsers) -> None:
    command = subparsers.add_parser("import", help="import tool exports (CSV, TSV, XLSX, XLS, ODS)")
    command.add_argument("files", nargs="*", metavar="FILE")
    command.add_argument("--watch", metavar="FOLDER", help="import every new or changed export that lands in FOLDER")
    command.add_argument("--once", action="store_true",
                         help="with --watch: import what is in the folder, then exit (a file still being written is "
                              f"waited for, up to {ONCE_EXTRA_LOOKS} intervals)")
    command.add_argument("--interval", type=_interval, metavar="S",
                         help=f"with --watch: seconds between scans, from {MIN_INTERVAL:g} to {MAX_INTERVAL:g}"
                              f" (default {DEFAULT_INTERVAL:g}); also how long a file must be unchanged to be read")
    command.add_argument("--source", help="use this preset instead of detecting it (see `c360 presets`)")
    command.add_argument("--sheet", help="the sheet to read in a workbook")
    command.add_argument("--region", default=None,
                         help="default country for phone numbers without a country code, e.g. US, GB, DE (default:"
                              " the vault's setting); a file whose numbers fit one other country clearly better, say"
                              " French numbers in a German shop, is read as that country, and the output says so")
    command.add_argument("--phone-region", default=None, metavar="CC",
                         help="read every number without a country code in these files as CC's, whatever they look"
                              " like (a row's own country still counts)")
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
    _check_combination(args)
    encoding = checked_encoding(args.encoding) if args.encoding is not None else None  # before the passphrase
    delimiter = delimiter_from_option(args.delimiter) if args.delimiter is not None else None
    failures = 0
    with ctx.open_vault() as vault:
        region = args.region or shop_region(vault)
        options = ImportOptions(preset=args.source, sheet=args.sheet, region=region.upper(),
                                phone_region=args.phone_region and args.phone_region.upper(),
                                encoding=encoding, delimiter=delimiter,
                                date_order=args.date_order)
        if args.watch:
            return _watch(ctx, vault, options)
        for name in args.files:
            try:
                plan = plan_import(Path(name), options, vault.conn)
                report = run_import(vault, plan, dry_run=args.dry_run)
            except C360Error as error:
                failures += 1
                shown = readable_text(Path(name).name)
                ctx.emit({"file": shown, "error": str(error)}, f"{shown}: {error}")
                continue
            ctx.emit(_import_json(report), _import_human(report))
    return 1 if failures else 0


def _check_combination(args) -> None:
    """Options that go with files only or with --watch only (--dry-run is for files: a watched folder is
    imported for real, and what a dry run would check there is what `c360 import FILE --dry-run` checks)."""
    if bool(args.files) == bool(args.watch):
        raise BadArguments("Give either files to import or --watch FOLDER.")
    if args.watch and args.dry_run:
        raise BadArguments("--dry-run checks files given by name; it does not go with --watch."
                           " Check a file with `c360 import FILE --dry-run`.")
    if not args.watch and (args.once or args.interval is not None):
        raise BadArguments("--once and --interval go with --watch FOLDER.")
    for option, code in (("--region", args.region), ("--phone-region", args.phone_region)):
        if code is not None and not is_phone_region(code):
            raise BadArguments(f"{option} {code!r} is not a country code that phone numbers can be read for:"
                               " use two letters, e.g. US, GB, DE, FR.")


def _interval(text: str) -> float:
    """--interval: a number of seconds a scan can wait and a file can be still for."""
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not MIN_INTERVAL <= seconds <= MAX_INTERVAL:  # also refuses nan
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a number of seconds from {MIN_INTERVAL:g} to {MAX_INTERVAL:g}")
    return seconds


class _WatchOutput:
    """Prints each watched file's outcome as it happens, and counts what a stop leaves behind."""

    def __init__(self, ctx: CommandContext):
        self.ctx = ctx
        self.imported = 0
        self.failures = 0

    def __call__(self, result: WatchResult) -> None:
        if result.report is not None:
            self.imported += 1
            self.ctx.emit(_import_json(result.report), _import_human(result.report))
        elif result.error is not None:
            self.failures += 1
            self.ctx.emit({"file": result.file, "error": result.error}, _named(result.file, result.error))
        else:
            self.ctx.emit({"file": result.file, "waiting": result.waiting}, _named(result.file, result.waiting))
        sys.stdout.flush()

    def stopped(self, stage: str | None) -> str:
        """What Ctrl-C left: the files imported before stay; the work in progress was rolled back."""
        parts = []
        if stage == IMPORTING:
            parts.append("the file being imported was rolled back; it is imported at the next run")
        elif stage == MATCHING:
            parts.append("matching was stopped and rolled back; it runs at the next run (or `c360 match`)")
        if self.imported == 1:
            parts.append("the file imported before stays in the vault")
        elif self.imported:
            parts.append(f"the {self.imported} files imported before stay in the vault")
        return "stopped watching: " + ("; ".join(parts) or "nothing was changed") + "."


def _watch(ctx: CommandContext, vault, options: ImportOptions) -> int:
    interval = ctx.args.interval or DEFAULT_INTERVAL
    watch = FolderWatch(Path(ctx.args.watch).expanduser(), settle_seconds=interval)
    output = _WatchOutput(ctx)
    try:
        if ctx.args.once:
            return _watch_once(watch, vault, options, output)
        _watch_until_stopped(watch, vault, options, output)
    except KeyboardInterrupt:
        print(f"c360: {output.stopped(watch.stage)}", file=sys.stderr)
        return 130


def _watch_once(watch: FolderWatch, vault, options: ImportOptions, output: _WatchOutput) -> int:
    """One pass; a file still changing (or with a time in the future) is looked at again after an interval,
    and one that never settles is named, not skipped silently."""
    watch.import_settled(vault, options, on_result=output)
    for _ in range(ONCE_EXTRA_LOOKS):
        if not watch.still_waiting():
            break
        time.sleep(watch.settle_seconds)
        watch.import_settled(vault, options, on_result=output)
    for result in watch.still_waiting():
        output(result)
    return 1 if output.failures else 0


def _watch_until_stopped(watch: FolderWatch, vault, options: ImportOptions, output: _WatchOutput) -> NoReturn:
    """Scan every interval until Ctrl-C; a folder that is missing or unreadable for a while is said once."""
    folder_problem = None
    while True:
        try:
            watch.import_settled(vault, options, on_result=output)
            folder_problem = None
        except WatchedFolderError as error:
            if str(error) != folder_problem:
                print(f"c360: {error} Still watching: its files are imported when it is back.", file=sys.stderr)
                sys.stderr.flush()
                folder_problem = str(error)
        time.sleep(watch.settle_seconds)


def _named(file: str | None, text: str | None) -> str:
    return f"{file}: {text}" if file else str(text)


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
        *([f"  {detected['region_grounds']}"] if detected.get("region_decided") not in (None, "none") else []),
        f"  rows {report.rows}: inserted {report.inserted}, updated {report.updated}, unchanged {report.unchanged},"
        f" rejected {report.rejected}, suppressed {report.suppressed}; events {report.events},"
        f" consent statements {report.consents}; warnings {report.warning_count}",
    ]
    if report.rejected and not report.inserted + report.updated + report.unchanged:
        lines.append("  nothing in this file could be imported: every row was kept out. Is it an export of"
                     " customers? If so, check --delimiter, --encoding or the mapping.")
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
    ctx.emit({"undone": True, **counts}, f"Import #{ctx.args.import_id} undone: {_undo_words(counts)}.")
    return 0


UNDO_WORDS = (("records_removed", "record removed", "records removed"),
              ("records_restored", "record put back as it was", "records put back as they were"),
              ("events_removed", "event removed", "events removed"),
              ("events_restored", "event put back as it was", "events put back as they were"),
              ("consents_removed", "consent statement removed", "consent statements removed"))


def _undo_words(counts: dict) -> str:
    return ", ".join(f"{counts[key]:,} {one if counts[key] == 1 else many}" for key, one, many in UNDO_WORDS)
