"""From accepted links to groups of records, guarded against chaining.

Links are applied strongest first. Two groups are joined only if no record of
one clearly conflicts with a record of the other (different birth dates,
clearly different first names, or an owner's "not the same person"), so
A~B and B~C cannot pull in a C that contradicts A. The owner's merges are
applied first and are never refused for a conflict the algorithm sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Iterable

MAX_CHECKED_PAIRS = 2500  # beyond this, two groups are too big to verify and are not joined automatically


@dataclass
class Clustering:
    parent: list[int]
    members: dict[int, list[int]] = field(default_factory=dict)
    refused: list[tuple[int, int, str]] = field(default_factory=list)  # auto links refused, with the reason

    @classmethod
    def singletons(cls, size: int) -> "Clustering":
        return cls(parent=list(range(size)), members={i: [i] for i in range(size)})

    def find(self, i: int) -> int:
        root = i
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[i] != root:
            self.parent[i], i = root, self.parent[i]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))

    def groups(self) -> list[list[int]]:
        return [sorted(group) for group in self.members.values()]


def cluster(size: int, must_link: Iterable[tuple[int, int]], cannot_link: Iterable[tuple[int, int]],
            links: Iterable[tuple[int, int]], conflicts: Callable[[int, int], str | None]) -> Clustering:
    """``links`` must come strongest first; ``conflicts(i, j)`` returns a reason or None."""
    clustering = Clustering.singletons(size)
    forbidden: dict[int, set[int]] = {}
    for a, b in cannot_link:
        forbidden.setdefault(a, set()).add(b)
        forbidden.setdefault(b, set()).add(a)

    def blocked_by_owner(ra: int, rb: int) -> bool:
        other = set(clustering.members[rb])
        return any(forbidden.get(a, set()) & other for a in clustering.members[ra])

    for a, b in must_link:
        ra, rb = clustering.find(a), clustering.find(b)
        if ra != rb and not blocked_by_owner(ra, rb):
            clustering.union(a, b)
    for a, b in links:
        ra, rb = clustering.find(a), clustering.find(b)
        if ra == rb:
            continue
        if blocked_by_owner(ra, rb):
            said_of_these = b in forbidden.get(a, set())
            clustering.refused.append((a, b, "you said these are not the same person" if said_of_these else
                                       "you said a record of one profile is not the same person as one of the other"))
            continue
        group_a, group_b = clustering.members[ra], clustering.members[rb]
        if len(group_a) * len(group_b) > MAX_CHECKED_PAIRS:
            clustering.refused.append((a, b, "joining two large groups needs your review"))
            continue
        conflict = next(((x, y, r) for x in group_a for y in group_b for r in (conflicts(x, y),) if r), None)
        if conflict:
            clustering.refused.append((a, b, _refusal(a, b, *conflict)))
            continue
        clustering.union(a, b)
    return clustering


def _refusal(a: int, b: int, x: int, y: int, reason: str) -> str:
    """The chaining guard's reason, said of the pair it holds: the conflict may be between two other records
    of the profiles the link would join (Emily ~ Emily is held because the other profile holds Tom)."""
    if {x, y} == {a, b}:
        return reason
    if reason.startswith("two "):   # "two customers of one tool (…)"
        return f"joining them would put {reason} in one profile"
    return f"joining them would put two records with {reason} in one profile"
