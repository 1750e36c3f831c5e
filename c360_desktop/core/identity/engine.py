"""Running identity resolution: block, compare, score, decide, cluster, and write profiles.

Incremental by default: only records that are new or changed since they were
last matched are compared (against everything). ``full=True`` compares every
candidate pair again. Both score with the same stored model, so both give the
same links; the model is re-estimated when there is none yet, when the vault
has grown by a fifth since, when the owner has made enough new decisions to
learn from, or on request (``retrain=True``) — and then every pair is scored again.

Clustering always starts from all stored links and decisions, so the
profiles do not depend on the order in which files were imported or matched.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from typing import Callable

import numpy as np

from .. import audit
from ..bulk import gc_paused, indexes_rebuilt
from ..errors import C360Error
from ..schema import SUMMARY_INDEX
from .blocking import candidate_pairs
from .cluster import cluster
from .compare import (
    ADDRESS, BIRTH, COMPANY, COMPARISONS, EMAIL, FIRST, LAST, LOCATION, MISSING, PHONE, compare, compare_all,
    birth_level, compare_address, compare_emails, compare_names, compare_phones,
)
from .model import MatchModel, TermFrequencies, name_tf_bits, probability, shared_value, tf_correction, train
from .records import MatchRecords, MatchRules, load_records

MODEL_SETTING = "match_model"
RETRAIN_GROWTH = 1.2
RETRAIN_DECISIONS = 10
STORE_FLOOR = 0.2  # pairs scoring at least this are kept, so moving a threshold needs no re-scoring


class MatchCancelled(C360Error):
    def __init__(self):
        super().__init__("Matching cancelled: the profiles are exactly as they were.")


@dataclass
class MatchSettings:
    auto_threshold: float = 0.97
    review_threshold: float = 0.60
    rules: MatchRules = field(default_factory=MatchRules)

    @classmethod
    def load(cls, vault) -> "MatchSettings":
        stored = vault.setting("match_settings", {})
        return cls(auto_threshold=float(stored.get("auto", cls.auto_threshold)),
                   review_threshold=float(stored.get("review", cls.review_threshold)),
                   rules=MatchRules(**stored.get("rules", {})))

    def save(self, vault) -> None:
        if not 0 < self.review_threshold < self.auto_threshold <= 1:
            raise C360Error("The review threshold must be above 0 and below the auto-merge threshold (at most 1).")
        vault.set_setting("match_settings", {"auto": self.auto_threshold, "review": self.review_threshold,
                                             "rules": asdict(self.rules)})


@dataclass
class MatchResult:
    auto_merged: int = 0
    queued: int = 0
    profiles: int = 0
    compared_pairs: int = 0
    records: int = 0
    retrained: bool = False
    oversized_blocks: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"auto_merged": self.auto_merged, "queued": self.queued, "profiles": self.profiles,
                "compared_pairs": self.compared_pairs, "records": self.records, "retrained": self.retrained,
                "oversized_blocks": self.oversized_blocks}


@dataclass
class ScoredPair:
    i: int
    j: int
    levels: tuple[int, ...]
    weight: float
    probability: float
    guard: str | None  # why this pair may not be merged automatically, whatever its score
    tf_bits: float = 0.0


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


# Nothing but a name in common: not merged, and not queued either — the owner would see no more than a
# name, and common names would flood the queue. Such pairs stay stored (status 'below') with their score.
NAMES_ONLY = "only the names agree"
# Evidence of two people and nothing strong in common (same surname in the same town): not worth asking.
APART = "different people: nothing strong in common"
NOT_ASKED = (NAMES_ONLY, APART)
TOGETHER_ANYWAY = "in one profile through other links"


def hard_conflict(levels: tuple[int, ...]) -> str | None:
    """Evidence of two different people: it keeps a record out of a group whatever links it (chaining guard)."""
    if levels[FIRST] == 5:
        return "different first names"
    if levels[BIRTH] == 3:
        return "different birth dates"
    return None


TWO_ACCOUNTS = "two customers of one tool: another email, and another phone or street"
ONE_GENERATION = "Jr./Sr. written in one name only: a father and son share the rest of it"
ACCOUNTS_CONFLICT = "two customers of one tool (another email, and another phone or street)"


def two_accounts(levels: tuple[int, ...]) -> bool:
    """Two customers of one tool (two accounts) with another email and another phone or street: namesakes
    next door, or a father and son under one roof, far more often than one person who changed both. (Across
    tools another email and phone is how one person usually looks.)"""
    return levels[EMAIL] == 3 and (levels[PHONE] == 3 or levels[ADDRESS] == 3) and levels[BIRTH] != 1


def guard_reason(levels: tuple[int, ...], shared_email: bool, shared_phone: bool,
                 same_tool: bool = False, one_generation: bool = False, name_in_common: bool = True) -> str | None:
    """Why a pair must reach a person whatever its score: households, twins, shared mailboxes, namesakes.

    Merging automatically needs either an email or phone that agrees and is not shared by several
    people, or names that agree backed by a postal code, street address, birth date or company.
    """
    conflict = hard_conflict(levels)
    if conflict == "different first names" and levels[LAST] == 3 and not name_in_common:
        return APART   # Stephanie Anderson and Christine Jackson on one phone: housemates, a salon's number
    if conflict:
        shared_something = levels[EMAIL] == 1 or levels[PHONE] == 1 or levels[ADDRESS] in (1, 2) or (
            levels[BIRTH] == 1 and conflict != "different birth dates")
        return conflict if shared_something else APART
    # A mailbox several people use (a family's, an office's) still tells one of them from the others by the
    # whole name: the same first name (or its nickname) and last name on it is its one user, not the rest.
    one_user_of_shared = shared_email and levels[FIRST] in (1, 2) and levels[LAST] == 1 and not one_generation
    own_email = levels[EMAIL] == 1 and (not shared_email or one_user_of_shared)
    # A father and son share the home's landline: with "Jr." in one name only, the phone does not say which.
    own_phone = levels[PHONE] == 1 and not shared_phone and not (one_generation and levels[BIRTH] != 1)
    names_agree = levels[FIRST] in (1, 2, 3, 4) and levels[LAST] in (1, 2)
    if own_email or own_phone:
        names_unknown = levels[FIRST] == 0 or levels[LAST] == 0
        if names_unknown and (levels[EMAIL] == 3 or levels[PHONE] == 3):
            return "one contact detail agrees, another differs, and a name is missing"
        return None
    # A street backs the names only in the same place: "141 Main St" is in every town.
    same_street = levels[ADDRESS] in (1, 2) and levels[LOCATION] != 3
    if names_agree and (levels[LOCATION] == 1 or same_street or levels[BIRTH] == 1 or levels[COMPANY] == 1):
        # "Robert Lee Jr." and "Robert Lee" at one address: the son without his suffix, or his father, who
        # rarely writes "Sr.". Only a contact detail of their own (above) tells.
        if one_generation and levels[BIRTH] != 1:
            return ONE_GENERATION
        if same_tool and two_accounts(levels):
            return TWO_ACCOUNTS
        return None
    if names_agree and one_generation and levels[PHONE] == 1 and levels[BIRTH] != 1:
        return ONE_GENERATION   # the home's landline, not a number several people use
    if levels[EMAIL] == 1 or levels[PHONE] == 1:
        return "an email or phone several people use"
    # Same name and the same town, a birth date one part off, a phone with the same last digits: that is how
    # namesakes look too, and at a million records there are hundreds of thousands. Only the same email name
    # at another provider makes it a question worth the owner's time.
    weaker = levels[EMAIL] == 2
    return NAMES_ONLY if names_agree and not weaker else "not enough independent evidence"


def conflict_reason(records: MatchRecords, i: int, j: int) -> str | None:
    """``hard_conflict`` of a pair, or two accounts of one tool (``two_accounts``), working out only the
    comparisons they read: the chaining guard asks this of every record of one group against every record of
    the other, so that Thomas Müller of a newsletter sheet does not join two Shopify customers of that name
    in his postcode into one."""
    levels = [MISSING] * len(COMPARISONS)
    levels[FIRST] = compare_names(records.first[i], records.last[i], records.first[j], records.last[j])[0]
    levels[BIRTH] = birth_level(records, i, j)
    conflict = hard_conflict(tuple(levels))
    emails_i, emails_j = records.emails[i], records.emails[j]
    # Cheapest first: most records of one tool in a group share an email (a customer and their orders).
    if conflict or records.source[i] != records.source[j] or not emails_i or not emails_j or (
            not set(emails_i).isdisjoint(emails_j)):
        return conflict
    levels[PHONE] = compare_phones(records.phones[i], records.phones[j])
    if levels[PHONE] != 3:
        levels[ADDRESS] = compare_address(records.address[i], records.address[j])
    levels[EMAIL] = compare_emails(emails_i, emails_j) if levels[PHONE] == 3 or levels[ADDRESS] == 3 else MISSING
    return ACCOUNTS_CONFLICT if two_accounts(tuple(levels)) else None


class Scorer:
    def __init__(self, model: MatchModel, records: MatchRecords, tf: TermFrequencies):
        self.model, self.records, self.tf = model, records, tf
        self.tables = model.log_ratio_table()

    def score(self, i: int, j: int, levels: tuple[int, ...] | None = None) -> ScoredPair:
        levels = levels or compare(self.records, i, j)
        tf_bits = tf_correction(self.model, self.tf, self.records, i, j, levels)
        weight = self.model.prior_weight + sum(float(self.tables[c][level]) for c, level in enumerate(levels)) + tf_bits
        guard = guard_reason(levels, self._shared(EMAIL, i, j, levels), self._shared(PHONE, i, j, levels),
                             *self._kinship(i, j))
        return ScoredPair(i, j, levels, weight, probability(weight), guard, tf_bits)

    def keep_worth_storing(self, ordered: list[tuple[int, int]], levels: np.ndarray, floor: float,
                           decided: dict) -> list[ScoredPair]:
        """``score`` for every compared pair, keeping those worth storing (at least ``floor`` and not a kind
        never asked about, or decided by the owner). Level weights and name frequencies are summed for all
        pairs at once; email and phone frequencies and the guards only where they can matter."""
        if not ordered:
            return []
        left = np.fromiter((i for i, _ in ordered), dtype=np.int64, count=len(ordered))
        weights = self.model.prior_weight + sum(self.tables[c][levels[:, c]] for c in range(levels.shape[1]))
        name_bits = np.zeros(len(ordered))
        for comparison, names in ((FIRST, self.records.first), (LAST, self.records.last)):
            agree = levels[:, comparison] == 1
            name_bits[agree] += name_tf_bits(self.model, self.tf, names, comparison)[left[agree]]
        contact = (levels[:, EMAIL] == 1) | (levels[:, PHONE] == 1)
        floor_weight = math.log2(floor / (1 - floor)) if 0 < floor < 1 else -math.inf
        may_pass = (weights + name_bits >= floor_weight) | contact
        if decided:
            may_pass |= np.fromiter((pair in decided for pair in ordered), dtype=bool, count=len(ordered))
        kept = []
        for k in np.flatnonzero(may_pass):
            i, j = ordered[k]
            pair_levels = tuple(levels[k].tolist())
            tf_bits = float(name_bits[k]) + (
                tf_correction(self.model, self.tf, self.records, i, j, pair_levels, (EMAIL, PHONE)) if contact[k] else 0.0)
            weight = float(weights[k]) + tf_bits
            chance = probability(weight)
            if chance < floor and (i, j) not in decided:
                continue
            guard = guard_reason(pair_levels, self._shared(EMAIL, i, j, pair_levels),
                                 self._shared(PHONE, i, j, pair_levels), *self._kinship(i, j))
            if guard in NOT_ASKED and (i, j) not in decided:
                continue
            kept.append(ScoredPair(i, j, pair_levels, weight, chance, guard, tf_bits))
        return kept

    def _kinship(self, i: int, j: int) -> tuple[bool, bool, bool]:
        """(same tool, Jr./Sr. written in one of the two names only, a word of the names in common: "Smith
        Lauren" and "Lauren Williams" may be one woman, names swapped and married): see ``guard_reason``."""
        records = self.records
        words_i = {*records.first[i].split(), *records.last[i].split()}
        return (records.source[i] == records.source[j], bool(records.generation[i]) != bool(records.generation[j]),
                not words_i.isdisjoint((*records.first[j].split(), *records.last[j].split())))

    def _shared(self, comparison: int, i: int, j: int, levels: tuple[int, ...]) -> bool:
        if levels[comparison] != 1:
            return False
        value = shared_value(self.records, comparison, i, j)
        return self.tf.is_shared(comparison, value)


# ---------------------------------------------------------------------------- the run

def run_match(vault, *, full: bool = False, retrain: bool = False, conn=None,
              progress: Callable[[str, int, int], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> MatchResult:
    """Compare, score and group the records: everything after a training or with ``full``, else only what
    changed since the last run. One transaction; Cancel leaves the profiles as they were."""
    with gc_paused():
        return _match(vault, full, retrain, conn or vault.conn, progress, cancelled)


def _match(vault, full: bool, retrain: bool, conn, progress, cancelled) -> MatchResult:
    read_version = vault.data_version(conn)   # before anything is read: see Vault.bulk_transaction
    settings = MatchSettings.load(vault)
    records = load_records(conn, rules=settings.rules)
    result = MatchResult(records=len(records))
    decisions = _decisions(conn, records)
    model = _stored_model(vault)
    previous = {rid: (pid, digest) for rid, pid, digest in
                conn.execute("SELECT record_id, profile_id, matched_hash FROM profile_members")}
    training = model is None or retrain or _needs_training(model, records, decisions, settings.rules)
    full = full or training
    dirty = None if full else [p for p, rid in enumerate(records.ids)
                               if previous.get(rid, (None, None))[1] != records.content_hash[p]]
    pairs, report = candidate_pairs(records, dirty)
    result.oversized_blocks = report.oversized
    ordered = sorted(pairs | set(decisions.by_pair)) if training else sorted(pairs)
    total = len(ordered)
    try:
        levels = compare_all(records, ordered, lambda done: progress and progress("comparing", done, total), cancelled)
    except InterruptedError:
        raise MatchCancelled() from None
    if training:
        labels = np.array([{"merge": 1, "reject": 0}.get(decisions.by_pair.get(p, ""), -1) for p in ordered])
        model = train(records, levels, labels, len(decisions.by_pair))
        model.rules = asdict(settings.rules)
        result.retrained = True
    scorer = Scorer(model, records, TermFrequencies.of(records))
    floor = min(STORE_FLOOR, settings.review_threshold)
    scored = scorer.keep_worth_storing(ordered, levels, floor, decisions.by_pair)
    result.compared_pairs = total
    del levels, ordered, pairs
    if cancelled and cancelled():
        raise MatchCancelled()
    with vault.bulk_transaction(conn, read_version, lambda tx: _still_there(tx, records, previous)):
        if result.retrained:
            vault.set_setting(MODEL_SETTING, model.to_json())
        if dirty is None:
            tally = _replace_all_pairs(conn, records, scored, decisions, settings, previous)
        else:
            _store_new_pairs(conn, records, scored, decisions, dirty, settings)
            tally = recluster(conn, records, settings, decisions, previous)
        result.auto_merged, result.queued = tally["auto_merged"], tally["queued"]
        result.profiles = conn.execute("SELECT count(*) FROM profiles").fetchone()[0]
        audit.append(conn, "match_run", {"full": dirty is None, "records": result.records,
                                         "compared_pairs": result.compared_pairs, "auto_merged": result.auto_merged,
                                         "queued": result.queued, "profiles": result.profiles,
                                         "retrained": result.retrained})
    if progress:
        progress("done", 1, 1)
    return result


def _still_there(conn, records: MatchRecords, previous: dict) -> bool:
    """Every record this run read, and every profile it may keep, still exists (another connection
    committed meanwhile: most often an audit entry or a note, rarely an undo or an erasure)."""
    existing = {record_id for record_id, in conn.execute(f"SELECT id FROM source_records {SUMMARY_INDEX}")}
    profiles = {profile_id for profile_id, in conn.execute("SELECT id FROM profiles")}
    return existing.issuperset(records.ids) and profiles.issuperset(pid for pid, _ in previous.values())


@dataclass
class Decisions:
    by_pair: dict[tuple[int, int], str]  # positions (i < j) -> merge | reject

    @property
    def merges(self) -> list[tuple[int, int]]:
        return [pair for pair, decision in self.by_pair.items() if decision == "merge"]

    @property
    def rejects(self) -> list[tuple[int, int]]:
        return [pair for pair, decision in self.by_pair.items() if decision == "reject"]


def _decisions(conn, records: MatchRecords) -> Decisions:
    """The latest standing decision per pair (an undone decision no longer counts)."""
    by_pair: dict[tuple[int, int], str] = {}
    for left, right, decision in conn.execute(
        "SELECT left_id, right_id, decision FROM match_decisions WHERE undone_at IS NULL ORDER BY id"):
        i, j = records.position.get(left), records.position.get(right)
        if i is not None and j is not None:
            by_pair[(min(i, j), max(i, j))] = decision
    return Decisions(by_pair)


def _stored_model(vault) -> MatchModel | None:
    stored = vault.setting(MODEL_SETTING)
    return MatchModel.from_json(stored) if stored else None


def _needs_training(model: MatchModel, records: MatchRecords, decisions: Decisions, rules: MatchRules) -> bool:
    grew = len(records) > max(model.trained_records, 1) * RETRAIN_GROWTH
    learned = len(decisions.by_pair) >= model.trained_decisions + RETRAIN_DECISIONS
    return grew or learned or model.rules != asdict(rules)


def threshold_preview(conn, auto_threshold: float, review_threshold: float) -> dict:
    """How many undecided pairs each band would hold with these thresholds, by score and guard alone (for the
    Settings slider). The review queue can end up shorter: a pair already joined through other links, or
    whose records the chaining guard keeps apart, is not asked about."""
    auto, review, separate = conn.execute(
        "SELECT coalesce(sum(probability >= ? AND guard IS NULL), 0),"
        " coalesce(sum(probability >= ? AND NOT (probability >= ? AND guard IS NULL)"
        "              AND coalesce(guard, '') NOT IN (?, ?)), 0),"
        " coalesce(sum(probability < ? OR guard IN (?, ?)), 0)"
        " FROM match_pairs WHERE status IN ('linked', 'pending', 'below')",
        (auto_threshold, review_threshold, auto_threshold, *NOT_ASKED, review_threshold, *NOT_ASKED)).fetchone()
    return {"auto_merge": auto, "review": review, "separate": separate}


def apply_thresholds(vault, settings: MatchSettings) -> dict:
    """Save new thresholds and move the stored pairs between the bands at once (no re-scoring)."""
    settings.save(vault)
    conn = vault.conn
    with vault.transaction(conn):
        records = load_records(conn, rules=settings.rules)
        previous = {rid: (pid, digest) for rid, pid, digest in
                    conn.execute("SELECT record_id, profile_id, matched_hash FROM profile_members")}
        recluster(conn, records, settings, _decisions(conn, records), previous)
        audit.append(conn, "match_thresholds_changed", {"auto": settings.auto_threshold,
                                                        "review": settings.review_threshold})
    return threshold_preview(conn, settings.auto_threshold, settings.review_threshold)


# ---------------------------------------------------------------------------- storing

def band(probability: float, guard: str | None, settings: MatchSettings) -> str:
    """The status a pair's score and guard give it, before the chaining guard has its say."""
    if probability >= settings.auto_threshold and guard is None:
        return "linked"
    if probability < settings.review_threshold or guard in NOT_ASKED:
        return "below"
    return "pending"


# What json.dumps({comparison: level, ..., "_tf": bits}) writes, as one format string: ~800,000 pairs at 1M.
LEVELS_JSON = "{" + ", ".join(f'"{c.name}": %d' for c in COMPARISONS) + ', "_tf": %r}'


_INSERT_PAIR = ("INSERT INTO match_pairs(id, left_id, right_id, probability, weight, levels, guard, status, reason,"
                " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)")
UNDECIDED = ("linked", "pending", "below")   # statuses the algorithm sets; merged and rejected are the owner's


def _initial_status(pair: ScoredPair, decisions: Decisions, settings: MatchSettings) -> str:
    decision = decisions.by_pair.get((pair.i, pair.j))
    return {"merge": "merged", "reject": "rejected"}.get(decision) or band(pair.probability, pair.guard, settings)


def _pair_row(pair_id, records: MatchRecords, pair: ScoredPair, status: str, reason: str | None, now: str) -> tuple:
    levels = LEVELS_JSON % (*pair.levels, round(pair.tf_bits, 3))
    return (pair_id, records.ids[pair.i], records.ids[pair.j], pair.probability, pair.weight, levels, pair.guard,
            status, reason, now)


def _replace_all_pairs(conn, records: MatchRecords, scored: list[ScoredPair], decisions: Decisions,
                       settings: MatchSettings, previous: dict) -> Counter:
    """A full run: every pair is settled in memory (bands, the owner's decisions, the chaining guard) and
    written once with its final status, instead of written, read back and updated."""
    statuses = [_initial_status(pair, decisions, settings) for pair in scored]
    undecided = [(n + 1, records.ids[pair.i], records.ids[pair.j], pair.probability, pair.guard, statuses[n], None)
                 for n, pair in enumerate(scored) if statuses[n] in UNDECIDED]   # ids as they will be written
    settled = _settle(undecided, records, settings, decisions)
    now = _now()
    conn.execute("DELETE FROM match_pairs")
    with indexes_rebuilt(conn, "match_pairs"):
        conn.executemany(_INSERT_PAIR, (
            _pair_row(n + 1, records, pair, *settled.changes.get(n + 1, (statuses[n], None)), now)
            for n, pair in enumerate(scored)))
    _write_profiles(conn, records, settled.groups, previous)
    return settled.tally


def _store_new_pairs(conn, records: MatchRecords, scored: list[ScoredPair], decisions: Decisions,
                     dirty: list[int], settings: MatchSettings) -> None:
    """An incremental run: the changed records' pairs replace the ones they had; ``recluster`` follows."""
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS dirty_records (id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM dirty_records")
    conn.executemany("INSERT INTO dirty_records(id) VALUES (?)", [(records.ids[p],) for p in dirty])
    conn.execute("DELETE FROM match_pairs WHERE left_id IN (SELECT id FROM dirty_records)"
                 " OR right_id IN (SELECT id FROM dirty_records)")
    now = _now()
    conn.executemany(_INSERT_PAIR, (_pair_row(None, records, pair, _initial_status(pair, decisions, settings),
                                              None, now) for pair in scored))


@dataclass
class Settled:
    changes: dict      # pair id -> (status, reason) where the chaining guard or the groups change the band's say
    groups: list       # lists of record positions: the profiles
    tally: Counter     # "auto_merged" and "queued" among the settled pairs


def _settle(rows, records: MatchRecords, settings: MatchSettings, decisions: Decisions) -> Settled:
    """Every undecided pair's final status, from (id, left_id, right_id, probability, guard, status, reason)
    rows: pairs above the auto-merge threshold without guard evidence are links, which the clustering may
    still refuse (the pair then waits for review, with the reason); a pair waiting for review whose records
    end up together anyway needs no decision."""
    position, content = records.position, records.content_hash
    # Strongest first; equal scores in the order of the records' content, not of their ids (which depend on
    # the order the files were imported in), so that the chaining guard refuses the same links either way.
    candidates = sorted((row for row in rows if band(row[3], row[4], settings) == "linked"),
                        key=lambda row: (-row[3], *sorted((content[position[row[1]]], content[position[row[2]]]))))
    clustering = cluster(len(records), decisions.merges, decisions.rejects,
                         [(position[row[1]], position[row[2]]) for row in candidates],
                         lambda i, j: conflict_reason(records, i, j))
    refused = {(records.ids[i], records.ids[j]): reason for i, j, reason in clustering.refused}
    groups = clustering.groups()
    group_of = {records.ids[p]: n for n, group in enumerate(groups) for p in group}
    changes, tally = {}, Counter()
    for pair_id, left, right, score, guard, status, reason in rows:
        new_status, new_reason = band(score, guard, settings), None
        if (left, right) in refused:
            new_status, new_reason = "pending", refused[(left, right)]
        if new_status == "pending" and group_of[left] == group_of[right]:
            new_status, new_reason = "linked", TOGETHER_ANYWAY  # joined through other links: nothing to decide
        if (new_status, new_reason) != (status, reason):
            changes[pair_id] = (new_status, new_reason)
        tally["auto_merged"] += new_status == "linked" and new_reason is None
        tally["queued"] += new_status == "pending"
    return Settled(changes, groups, tally)


def recluster(conn, records: MatchRecords, settings: MatchSettings, decisions: Decisions, previous: dict,
              scope: str = "") -> Counter:
    """Settle the stored undecided pairs again (``_settle``), write what changed, then the profiles.
    ``scope`` (an SQL condition) limits the work to the pairs of a few profiles after a decision. Returns
    the tally of the pairs read (all undecided pairs when unscoped)."""
    rows = conn.execute(
        "SELECT id, left_id, right_id, probability, guard, status, reason FROM match_pairs"
        " WHERE status IN ('linked', 'pending', 'below')" + scope).fetchall()
    settled = _settle(rows, records, settings, decisions)
    conn.executemany("UPDATE match_pairs SET status = ?, reason = ? WHERE id = ?",
                     [(status, reason, pair_id) for pair_id, (status, reason) in settled.changes.items()])
    _write_profiles(conn, records, settled.groups, previous)
    return settled.tally


def _write_profiles(conn, records: MatchRecords, groups: list[list[int]], previous: dict) -> None:
    """Keep profile ids stable: a group keeps the id most of its records already had."""
    now = _now()
    claimed: set[int] = set()
    assignment: dict[int, int] = {}
    next_id = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM profiles").fetchone()[0]
    new_profiles = []
    for group in sorted(groups, key=lambda g: (-len(g), g[0])):
        votes = Counter(previous[records.ids[p]][0] for p in group if records.ids[p] in previous) if previous else {}
        profile_id = next((pid for pid, _ in sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
                           if pid not in claimed), None)
        if profile_id is None:
            profile_id, next_id = next_id, next_id + 1
            new_profiles.append((profile_id, now, now))
        claimed.add(profile_id)
        for p in group:
            assignment[p] = profile_id
    conn.executemany("INSERT INTO profiles(id, created_at, updated_at) VALUES (?,?,?)", new_profiles)
    changed = [(records.ids[p], pid, records.content_hash[p]) for p, pid in sorted(assignment.items())  # record order
               if previous.get(records.ids[p]) != (pid, records.content_hash[p])]
    touched = {pid for _, pid, _ in changed} | {previous[rid][0] for rid, _, _ in changed if rid in previous}
    conn.executemany(
        "INSERT INTO profile_members(record_id, profile_id, matched_hash) VALUES (?,?,?) ON CONFLICT(record_id)"
        " DO UPDATE SET profile_id = excluded.profile_id, matched_hash = excluded.matched_hash", changed)
    conn.execute("DELETE FROM profiles WHERE id NOT IN (SELECT DISTINCT profile_id FROM profile_members)")
    refresh_profiles(conn, touched, now)


def refresh_profiles(conn, profile_ids, now: str | None = None) -> None:
    """Recompute the cached summary columns of these profiles from their records and events."""
    from ..profiles.summary import refresh_summaries

    refresh_summaries(conn, profile_ids, now or _now())
