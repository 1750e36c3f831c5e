"""Entry point of the ``c360`` console script."""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..core.errors import C360Error
from . import vault_commands
from .context import CommandContext, exit_code_for

COMMAND_MODULES = (vault_commands,)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="c360", description="c360: your customers, one profile each, on your machine.")
    parser.add_argument("--version", action="version", version=f"c360 {__version__}")
    parser.add_argument("--vault", help="vault file (default: the vault in your application-data folder)")
    parser.add_argument("--json", action="store_true", help="print machine-readable JSON")
    parser.add_argument("--passphrase-file", help="read the passphrase from FILE (or set C360_PASSPHRASE)")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(CommandContext(args))
    except C360Error as error:
        print(f"c360: {error}", file=sys.stderr)
        return exit_code_for(error)
    except KeyboardInterrupt:
        print("c360: cancelled; nothing was changed.", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"c360: {error.strerror or 'input/output error'} ({type(error).__name__}).", file=sys.stderr)
        return 1

