"""The Fellegi-Sunter model: m and u probabilities per comparison level, estimated from the data.

* u (how often two *different* people agree at a level) comes from random
  pairs of records, which are almost all non-matches.
* m (how often the *same* person agrees at a level) and the prior come from
  expectation-maximisation over the candidate pairs, unsupervised; the
  owner's review decisions enter as pairs whose answer is known, and the
  rejected ones also teach u what different people in this shop share.
* Agreeing on a common value counts less than on a rare one: for exact
  agreement on names, email and phone, u is replaced by the value's own
  frequency (term-frequency adjustment), so "Smith" weighs less than
  "Okonkwo-Hale" and a shared office mailbox less than a personal address.

A pair's match weight is the prior log-odds plus the sum of log2(m/u) over
its comparisons; its probability is 1 / (1 + 2^-weight).
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from .compare import COMPARISONS, EMAIL, FIRST, LAST, MISSING, PHONE, compare_all, different_people
from .roles import is_role_address
from .records import MatchRecords

U_SAMPLE_PAIRS = 150_000
EM_ITERATIONS = 40
MAX_PRIOR = 0.5  # never presume that a candidate pair is more likely the same person than not
PSEUDO_PAIRS = 100.0  # how strongly the neutral start holds a level the data says little about
# How strongly the starting prior holds against few candidate pairs: a small shop's first file has a handful,
# which would otherwise all "prove" each other (30 customers, 2 pairs: both merged at p 0.999998).
PRIOR_PSEUDO_PAIRS = 100.0
# u's prior: strangers rarely agree exactly, sometimes partly, mostly not at all. Worth this many random
# pairs: negligible beside the 150,000 sampled in a real vault, decisive in a first import of a few rows,
# where the random pairs are too few to say anything (two records: the one "random" pair is the match).
U_PRIOR_PAIRS = 1000.0
# Below this many people a value's frequency says nothing (in a first file of two rows every value is
# "used by everyone"): term-frequency adjustments wait until the vault knows enough people.
TF_MIN_PEOPLE = 50
U_PRIOR_EXACT = 0.001
U_PRIOR_PARTIAL = 0.01
TF_FIELDS = (FIRST, LAST, EMAIL, PHONE)
MIN_PROBABILITY = 1e-6


def _initial_m(levels: int) -> list[float]:
    """A neutral start for EM: the best level likely, the worst unlikely, the rest in between."""
    if levels == 3:
        return [0.0, 0.9, 0.1]
    middle = [0.08 / (levels - 3)] * (levels - 3)
    return [0.0, 0.9] + middle + [0.02]


@dataclass
class MatchModel:
    m: list[list[float]]
    u: list[list[float]]
    prior: float  # probability that a candidate pair is a match
    trained_records: int = 0
    trained_decisions: int = 0
    trained_at: str = ""
    candidate_pairs: int = 0
    rules: dict = field(default_factory=dict)  # the MatchRules the model was trained under

    @classmethod
    def untrained(cls) -> "MatchModel":
        m = [_initial_m(len(c.levels)) for c in COMPARISONS]
        u = [[0.0] + [1.0 / (len(c.levels) - 1)] * (len(c.levels) - 1) for c in COMPARISONS]
        return cls(m=m, u=u, prior=0.1)

    def log_ratio_table(self) -> list[np.ndarray]:
        """log2(m/u) per comparison and level; 0 for 'missing'."""
        tables = []
        for m_levels, u_levels in zip(self.m, self.u):
            table = np.zeros(len(m_levels))
            for level in range(1, len(m_levels)):
                table[level] = math.log2(max(m_levels[level], MIN_PROBABILITY) / max(u_levels[level], MIN_PROBABILITY))
            tables.append(table)
        return tables

    @property
    def prior_weight(self) -> float:
        prior = min(max(self.prior, MIN_PROBABILITY), 1 - MIN_PROBABILITY)
        return math.log2(prior / (1 - prior))

    def to_json(self) -> dict:
        return {"m": self.m, "u": self.u, "prior": self.prior, "trained_records": self.trained_records,
                "trained_decisions": self.trained_decisions, "trained_at": self.trained_at,
                "candidate_pairs": self.candidate_pairs, "rules": self.rules}

    @classmethod
    def from_json(cls, data: dict) -> "MatchModel":
        return cls(**data)


@dataclass
class TermFrequencies:
    """How many different people carry each first name, last name, email and phone.

    Records are counted as people, not rows. A name is counted once per
    distinct (first name, last name, contact) where the contact is the first
    email, else phone, else postal code; an email or phone once per distinct
    first name using it (records without a first name say nothing about
    that). One customer present in six tools does not make her name or email
    look common; thirty different Pat Smiths, or a mailbox shared by a family
    under several first names, do.
    """

    counts: list[Counter] = field(default_factory=lambda: [Counter() for _ in COMPARISONS])
    totals: list[int] = field(default_factory=lambda: [0] * len(COMPARISONS))
    users: dict[int, dict[str, set[tuple[str, str]]]] = field(default_factory=dict)  # email/phone -> names using it
    _shared: dict[tuple[int, str], bool] = field(default_factory=dict)

    @classmethod
    def of(cls, records: MatchRecords) -> "TermFrequencies":
        tf = cls()
        contacts = ((e[0] if e else p[0] if p else z) for e, p, z in zip(records.emails, records.phones, records.postal))
        people = set(zip(records.first, records.last, contacts))
        tf.counts[FIRST] = Counter(first for first, _, _ in people if first)
        tf.counts[LAST] = Counter(last for _, last, _ in people if last)
        for index, column in ((EMAIL, records.emails), (PHONE, records.phones)):
            users: dict[str, set[tuple[str, str]]] = {}
            for values, first, last in zip(column, records.first, records.last):
                if first:
                    for value in values:
                        users.setdefault(value, set()).add((first, last))
            tf.users[index] = users
            tf.counts[index] = Counter({value: len(names) for value, names in users.items()})
        tf.totals = [sum(counter.values()) for counter in tf.counts]
        return tf

    def is_shared(self, comparison: int, value: str) -> bool:
        """True when people with clearly different first names use this email or phone (a family or
        office mailbox); a nickname, an initial or a typo of the same first name does not count."""
        key = (comparison, value)
        if key not in self._shared:
            names = sorted(self.users.get(comparison, {}).get(value, ()))
            self._shared[key] = (comparison == EMAIL and is_role_address(value)) or any(
                different_people(a, b) for n, a in enumerate(names) for b in names[n + 1:])
        return self._shared[key]

    def frequency(self, comparison: int, value: str) -> float:
        total = self.totals[comparison]
        return max(self.counts[comparison].get(value, 1), 1) / total if total else 1.0


def shared_value(records: MatchRecords, comparison: int, i: int, j: int) -> str:
    """The value two records agree on exactly (the rarest one when several emails or phones are shared)."""
    if comparison == FIRST:
        return records.first[i]
    if comparison == LAST:
        return records.last[i]
    column = records.emails if comparison == EMAIL else records.phones
    return min(set(column[i]) & set(column[j]), default="")


def tf_correction(model: MatchModel, tf: TermFrequencies, records: MatchRecords, i: int, j: int,
                  levels: tuple[int, ...], fields: tuple[int, ...] = TF_FIELDS) -> float:
    """Bits to add to the level weight for agreeing on this particular value rather than an average one."""
    correction = 0.0
    for comparison in fields:
        if levels[comparison] != 1 or tf.totals[comparison] < TF_MIN_PEOPLE:
            continue
        value = shared_value(records, comparison, i, j)
        if not value:
            continue
        frequency = max(tf.frequency(comparison, value), MIN_PROBABILITY)
        correction += math.log2(max(model.u[comparison][1], MIN_PROBABILITY) / frequency)
    return correction


def name_tf_bits(model: MatchModel, tf: TermFrequencies, names: list[str], comparison: int) -> np.ndarray:
    """Per record, the term-frequency bits its first (or last) name adds when a pair agrees on it exactly:
    what ``tf_correction`` adds for that field, computed once per distinct name for a vectorised scoring."""
    bits = np.zeros(len(names))
    if tf.totals[comparison] < TF_MIN_PEOPLE:
        return bits
    u = max(model.u[comparison][1], MIN_PROBABILITY)
    by_name: dict[str, float] = {}
    for position, name in enumerate(names):
        if name:
            if name not in by_name:
                by_name[name] = math.log2(u / max(tf.frequency(comparison, name), MIN_PROBABILITY))
            bits[position] = by_name[name]
    return bits


# ---------------------------------------------------------------------------- training

def estimate_u(records: MatchRecords, seed: int = 1729) -> list[list[float]]:
    """u per level from random record pairs: a deterministic sample over the records ordered by content, so
    that the same data imported in another order (other record ids) gives the same u."""
    n = len(records)
    counts = [[0] * len(c.levels) for c in COMPARISONS]
    if n >= 2:
        rng = random.Random(seed)
        canonical = sorted(range(n), key=lambda p: (records.content_hash[p], records.source[p]))
        sample = [(canonical[i], canonical[j]) for i, j in ((rng.randrange(n), rng.randrange(n))
                  for _ in range(min(U_SAMPLE_PAIRS, n * (n - 1) // 2))) if i != j]
        levels = compare_all(records, sample)
        for comparison in range(len(COMPARISONS)):
            for level, count in enumerate(np.bincount(levels[:, comparison], minlength=len(counts[comparison]))):
                counts[comparison][level] = int(count)
    u = []
    for comparison, level_counts in zip(COMPARISONS, counts):
        observed = sum(level_counts[1:])
        prior = _u_prior(len(comparison.levels))
        u.append([0.0] + [(level_counts[l] + U_PRIOR_PAIRS * prior[l]) / (observed + U_PRIOR_PAIRS)
                          for l in range(1, len(comparison.levels))])
    return u


def _u_prior(levels: int) -> list[float]:
    """Level 1 is exact agreement, the last is disagreement, the ones between are partial."""
    partial = [U_PRIOR_PARTIAL] * (levels - 3)
    return [0.0, U_PRIOR_EXACT] + partial + [1.0 - U_PRIOR_EXACT - sum(partial)]


def estimate_m(levels: np.ndarray, u: list[list[float]], labels: np.ndarray | None = None,
               start: MatchModel | None = None) -> tuple[list[list[float]], float]:
    """EM over candidate pairs (rows of ``levels``); ``labels`` is 1/0 for decided pairs, -1 otherwise.

    Undecided pairs with the same levels in every comparison have the same posterior, so EM runs over the
    distinct agreement patterns weighted by how many pairs show each (a few thousand, for ~1.7 million
    pairs at 1M records); the owner's decided pairs are kept as they are, with their label as posterior."""
    model = start or MatchModel.untrained()
    m = [list(row) for row in model.m]
    neutral = [list(row) for row in MatchModel.untrained().m]
    prior = start_prior = model.prior
    if len(levels) == 0:
        return m, prior
    labels = labels if labels is not None else np.full(len(levels), -1)
    known = labels >= 0
    patterns, weights = _agreement_patterns(levels[~known])
    rows = np.concatenate([patterns, levels[known]])
    weights = np.concatenate([weights, np.ones(int(known.sum()))])
    fixed = np.concatenate([np.full(len(patterns), -1.0), labels[known].astype(float)])
    decided = fixed >= 0
    log_u = [np.log(np.maximum(np.array(row), MIN_PROBABILITY)) for row in u]
    for _ in range(EM_ITERATIONS):
        log_ratio = np.zeros(len(rows))
        for c in range(len(COMPARISONS)):
            log_m = np.log(np.maximum(np.array(m[c]), MIN_PROBABILITY))
            table = log_m - log_u[c]
            table[MISSING] = 0.0
            log_ratio += table[rows[:, c]]
        odds = np.exp(np.clip(log_ratio + math.log(prior / (1 - prior)), -60, 60))
        posterior = odds / (1 + odds)
        posterior[decided] = fixed[decided]
        undecided = ~decided if (~decided).any() else np.ones(len(rows), dtype=bool)
        matched = float(np.sum(posterior[undecided] * weights[undecided]))
        prior = float(np.clip((matched + PRIOR_PSEUDO_PAIRS * start_prior) / (weights[undecided].sum() + PRIOR_PSEUDO_PAIRS),
                              1e-4, MAX_PRIOR))
        for c, comparison in enumerate(COMPARISONS):
            mass = np.bincount(rows[:, c], weights=posterior * weights, minlength=len(comparison.levels))
            total = mass.sum() - mass[MISSING]
            m[c] = [0.0] + [float((mass[l] + PSEUDO_PAIRS * neutral[c][l]) / (total + PSEUDO_PAIRS))
                            for l in range(1, len(comparison.levels))]
    return m, prior


def _agreement_patterns(levels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``levels`` and how many times each occurs (rows packed into one integer each, four
    bits per level: sorting integers is much faster than sorting rows)."""
    if len(levels) == 0:
        return levels.reshape(0, len(COMPARISONS)), np.zeros(0)
    assert levels.shape[1] <= 15 and levels.max() < 16, "levels no longer fit four bits each"
    shifts = np.arange(levels.shape[1], dtype=np.int64) * 4
    packed = (levels.astype(np.int64) << shifts).sum(axis=1)
    distinct, counts = np.unique(packed, return_counts=True)
    patterns = ((distinct[:, None] >> shifts) & 0xF).astype(levels.dtype)
    return patterns, counts.astype(float)


def learn_u_from_rejections(u: list[list[float]], levels: np.ndarray, labels: np.ndarray | None) -> list[list[float]]:
    """Mix the owner's "not the same person" pairs into u.

    Random pairs say how often strangers agree; the pairs the owner rejected say how often the people
    *this shop's* review shows agree while being different (same name, same email name at another
    provider…). Their weight grows with their number, up to half."""
    if labels is None or not (labels == 0).any():
        return u
    rejected = levels[labels == 0]
    share = 0.5 * len(rejected) / (len(rejected) + 50)
    mixed = []
    for c, comparison in enumerate(COMPARISONS):
        column = rejected[:, c]
        present = column[column != MISSING]
        if len(present) == 0:
            mixed.append(u[c])
            continue
        observed = np.bincount(present, minlength=len(comparison.levels)) / len(present)
        mixed.append([0.0] + [(1 - share) * u[c][l] + share * float(observed[l])
                              for l in range(1, len(comparison.levels))])
    return mixed


def train(records: MatchRecords, candidate_levels: np.ndarray, labels: np.ndarray | None,
          decisions: int) -> MatchModel:
    u = learn_u_from_rejections(estimate_u(records), candidate_levels, labels)
    m, prior = estimate_m(candidate_levels, u, labels)
    return MatchModel(m=m, u=u, prior=prior, trained_records=len(records), trained_decisions=decisions,
                      trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                      candidate_pairs=int(len(candidate_levels)))


def probability(weight: float) -> float:
    return 1.0 / (1.0 + 2.0 ** (-max(min(weight, 60.0), -60.0)))
