"""The nickname table (``resources/nicknames.csv``): Bob ~ Robert, Liz ~ Elizabeth, Sasha ~ Alexander."""

from __future__ import annotations

import csv
from functools import lru_cache

from ..resources import resource_path


@lru_cache(maxsize=1)
def _groups() -> dict[str, frozenset[str]]:
    """Each name -> every name it can stand for: its formal names, their nicknames, and itself."""
    formal_of: dict[str, set[str]] = {}
    nicknames_of: dict[str, set[str]] = {}
    with open(resource_path("nicknames.csv"), newline="", encoding="utf-8") as handle:
        rows = csv.reader(line for line in handle if not line.startswith("#"))
        next(rows, None)
        for name, nickname in rows:
            nicknames_of.setdefault(name, set()).add(nickname)
            formal_of.setdefault(nickname, set()).add(name)
    groups: dict[str, frozenset[str]] = {}
    for name in set(formal_of) | set(nicknames_of):
        related = {name} | nicknames_of.get(name, set())
        for formal in formal_of.get(name, set()):
            related |= {formal} | nicknames_of.get(formal, set())
        groups[name] = frozenset(related)
    return groups


def are_nicknames(a: str, b: str) -> bool:
    """True when one first name is a known nickname of the other, or both of the same formal name."""
    if not a or not b or a == b:
        return False
    return b in _groups().get(a, ())


def is_known_name(name: str) -> bool:
    """Whether the table knows this first name (as a formal name or a nickname)."""
    return name in _groups()
