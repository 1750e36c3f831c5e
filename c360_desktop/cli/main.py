"""Entry point of the ``c360`` console script."""

from __future__ import annotations

import argparse
import os
import sys

from .. import __version__
from ..core.errors import C360Error, storage_error
from ..core.ingest.readers import readable_text
from . import identity_commands, import_commands, privacy_commands, profile_commands, vault_commands
from .context import CommandContext, exit_code_for

COMMAND_MODULES = (vault_commands, import_commands, identity_commands, profile_commands, privacy_commands)


def _add_global_options(parser, default) -> None:
    parser.add_argument("--vault", default=default, help="vault file (default: the vault in your application-data folder)")
    parser.add_argument("--json", action="store_true", default=default or False, help="print machine-readable JSON")
    parser.add_argument("--passphrase-file", default=default, help="read the passphrase from FILE (or set C360_PASSPHRASE)")


class _SubcommandsAcceptGlobalOptions(argparse._SubParsersAction):
    """Lets ``--json`` and friends stand after the command too (``c360 import f.csv --json``)."""

    def add_parser(self, name, **kwargs):
        parser = super().add_parser(name, **kwargs)
        _add_global_options(parser, argparse.SUPPRESS)
        parser.register("action", "parsers", _SubcommandsAcceptGlobalOptions)
        return parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c360", description="c360: your customers, one profile each, on your machine.")
    parser.register("action", "parsers", _SubcommandsAcceptGlobalOptions)
    parser.add_argument("--version", action="version", version=f"c360 {__version__}")
    _add_global_options(parser, None)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


SIGPIPE_EXIT = 141  # 128 + SIGPIPE: what a shell reports for a command whose reader went away


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        code = args.handler(CommandContext(args))
        sys.stdout.flush()  # here, where a reader that went away can be handled, not at exit
        return code
    except BrokenPipeError:  # ``c360 info | head -1``: the reader had what it wanted
        _discard_stdout()
        return SIGPIPE_EXIT
    except C360Error as error:
        print(f"c360: {readable_text(str(error))}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        print("c360: cancelled; nothing was changed.", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"c360: {error.strerror or 'input/output error'} ({type(error).__name__}).", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: say so in one line; the message itself may quote data, so it is not shown
        storage = storage_error(error)
        if storage is not None:
            print(f"c360: {storage}", file=sys.stderr)
            return exit_code_for(storage)
        if os.environ.get("C360_DEBUG") == "1":
            raise
        print(f"c360: unexpected internal error ({type(error).__name__}); the command was rolled back."
              " Run again with C360_DEBUG=1 to see details.", file=sys.stderr)
        return 70


def _discard_stdout() -> None:
    """Point stdout at the null device, so that Python's last flush at exit does not fail on the closed pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
