"""Blocking: which pairs are worth comparing, so the cost grows with the data, not its square.

Two records become a candidate pair when they share any blocking key. Keys
that are strong identifiers (email, phone) never lose a pair unless a block
is absurdly large; name-based keys are capped, and an oversized block is not
expanded into pairs (it is counted and reported instead) — its members still
meet through their other keys.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Iterable, Iterator

import jellyfish

from .records import MatchRecords
from .roles import is_role_address

MAX_BLOCK = 60  # a name-like key shared by more records than this says little
MAX_NAME_BLOCK = 20  # a bare full name: its pairs need other evidence, which other keys find
MAX_IDENTIFIER_BLOCK = 400  # an email or phone shared this widely is a shop's own or a placeholder


@dataclass
class BlockingReport:
    keys: int = 0
    oversized: dict[str, int] = field(default_factory=dict)  # key kind -> blocks skipped
    pairs: int = 0


def _phonetic(name: str) -> str:
    head = name.split(" ", 1)[0]
    return jellyfish.metaphone(head) if head.isascii() and head.isalpha() else head


def record_keys(records: MatchRecords, i: int) -> Iterator[tuple[str, str]]:
    """(kind, key) pairs of one record."""
    first, last = records.first[i], records.last[i]
    for email in records.emails[i]:
        yield "email", email
        local = email.split("@", 1)[0]
        if len(local) >= 6 and not is_role_address(email):
            yield "email_local", local
    for phone in records.phones[i]:
        yield "phone", phone
    if last:
        code = _phonetic(last)
        if records.postal[i]:
            yield "surname_postal", f"{code}|{records.postal[i]}"
        if first and records.birth[i] and not records.birth[i].startswith("--"):   # "--MM-DD": no year
            yield "initial_surname_year", f"{first[0]}|{last}|{records.birth[i][:4]}"
        if first and records.city[i]:
            yield "initial_surname_city", f"{first[0]}|{code}|{records.city[i]}"
        if first:
            yield "full_name", f"{first}|{last}"
            yield "swapped_name", "|".join(sorted((first, last.split(" ", 1)[0])))
    if records.address[i] and records.postal[i]:
        yield "address", f"{records.address[i]}|{records.postal[i]}"


def candidate_pairs(records: MatchRecords, dirty: Iterable[int] | None = None) -> tuple[set[tuple[int, int]], BlockingReport]:
    """Positions (i, j), i < j, sharing a key; with ``dirty``, only pairs touching a dirty position."""
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i in range(len(records)):
        for key in set(record_keys(records, i)):
            blocks[key].append(i)
    report = BlockingReport(keys=len(blocks))
    dirty_set = set(dirty) if dirty is not None else None
    pairs: set[tuple[int, int]] = set()
    for (kind, _), members in blocks.items():
        if len(members) < 2:
            continue
        limit = {"email": MAX_IDENTIFIER_BLOCK, "phone": MAX_IDENTIFIER_BLOCK, "full_name": MAX_NAME_BLOCK,
                 "swapped_name": MAX_NAME_BLOCK}.get(kind, MAX_BLOCK)
        if len(members) > limit:
            report.oversized[kind] = report.oversized.get(kind, 0) + 1
            continue
        if dirty_set is None:
            pairs.update(combinations(members, 2))   # members are in ascending order: each pair comes as (i < j)
        else:
            touched = [m for m in members if m in dirty_set]
            for d in touched:
                for other in members:
                    if other != d:
                        pairs.add((d, other) if d < other else (other, d))
    report.pairs = len(pairs)
    return pairs, report
