"""Splink (DuckDB backend) on the records of a c360 vault: the "leading open-source linker" of issue 4.

    python -m benchmarks.splink_bench --vault V --out clusters.csv [--threshold 0.95]

Run by benchmarks/match.py in its own process (runner.run_measured gives its peak memory) after
``c360 import`` has filled the vault. Fairness: Splink gets the SAME normalised data c360 matches on,
read from the same vault, one row per source record:

    first_name   first token of the folded first name (lower-case, accents folded: normalise.fold)
    last_name    folded last name
    email        the record's canonical email key (record_keys kind 'email'; the key of its first email
                 when it has several)
    phone        its E.164 number (record_keys kind 'phone'; the first phone when it has several)
    postal_code  spaces and hyphens out, upper-case, ZIP+4 cut to 5 digits (as c360 compares it)
    city         folded city
    birth_date   YYYY-MM-DD
    address_key  c360's normalised street-address key

The model follows Splink's documentation for person data (Jaro-Winkler name comparisons with
term-frequency adjustments, exact phone with TF, DateOfBirthComparison; blocking on email, phone,
last name + postcode, first + last name, last name + birth date; the prior from deterministic rules,
u by random sampling, m by EM on two blocking rules), with email and location reshaped so that the
comparisons stay conditionally independent (see splink_settings; ``--model docs`` runs the
documentation's column-by-column setup). Predict and cluster (connected components) at match
probability 0.95, the threshold of Splink's own examples, fixed before looking at any score.

Only Splink's own work (model set-up, training, predict, clustering) is timed inside; reading the vault
and writing the CSV are timed apart. Clusters are mapped back to every file row through record_rows and
event_rows -> events.record_id, and written with the columns of ``c360 clusters``
(file,row,source,source_record_id,profile_id), so that match.py scores them with the same code.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import csv
import inspect
import json
import logging
import os
import sys
import time
from pathlib import Path

from c360_desktop.core.identity.records import postal_key  # the postcode key c360 compares
from c360_desktop.core.ingest.normalise import canonical_email, fold

CLUSTER_COLUMNS = ("file", "row", "source", "source_record_id", "profile_id")
FRAME_COLUMNS = ("unique_id", "first_name", "last_name", "email", "phone", "postal_code", "city", "birth_date",
                 "address_key")
# The threshold of Splink's own examples (19:1 that a pair is a match). On the 10k world F1 is flat from 0.8
# to 0.95 (within 0.01), precision rises with it, recall falls; clusters are connected components, so a
# lower threshold chains households and shared mailboxes together.
THRESHOLD = 0.95
U_MAX_PAIRS = 5e6  # Splink suggests 1e6 for a first model, 1e7+ for a final one
PRIOR_RECALL = 0.7  # assumed recall of the deterministic rules that estimate the prior
SEED = 42

_RECORDS_SQL = ("SELECT id, first_name, last_name, email, phone, postal_code, city, birth_date, address_key"
                " FROM source_records ORDER BY id")
_KEYS_SQL = ("SELECT record_id, kind, key FROM record_keys WHERE kind IN ('email', 'phone')"
             " ORDER BY record_id, kind, key")
# Every imported row -> its record: the rows a record was read from, and the order/payment/ticket rows of its events.
_ROWS_SQL = """
    SELECT rr.file_name, rr.row_number, r.source, r.source_record_id, r.id
    FROM record_rows rr JOIN source_records r ON r.id = rr.record_id
    UNION
    SELECT er.file_name, er.row_number, r.source, r.source_record_id, r.id
    FROM event_rows er JOIN events e ON e.id = er.event_id JOIN source_records r ON r.id = e.record_id
    ORDER BY 1, 2
"""


# ----------------------------------------------------------------------------- the input frame

def _first_of(keys: list[str], preferred: str | None) -> str | None:
    """The record's own first value when it is one of its keys, else the first key (sorted); None if none."""
    if not keys:
        return None
    return preferred if preferred in keys else keys[0]


def _none_if_empty(text: str | None) -> str | None:
    return text if text else None


def load_frame(conn):
    """One row per source record, columns FRAME_COLUMNS; missing values are None (Splink's null level)."""
    import pandas as pd

    emails: dict[int, list[str]] = {}
    phones: dict[int, list[str]] = {}
    for record_id, kind, key in conn.execute(_KEYS_SQL):
        (emails if kind == "email" else phones).setdefault(record_id, []).append(key)
    folded: dict[str, str] = {}

    def folded_key(text: str | None) -> str | None:
        if not text:
            return None
        value = folded.get(text)
        if value is None:
            value = folded[text] = fold(text)
        return value or None

    columns: dict[str, list] = {name: [] for name in FRAME_COLUMNS}
    for record_id, first, last, email, phone, postal, city, birth, address in conn.execute(_RECORDS_SQL):
        first_key = folded_key(first)
        columns["unique_id"].append(record_id)
        columns["first_name"].append(first_key.split(" ", 1)[0] if first_key else None)
        columns["last_name"].append(folded_key(last))
        primary = canonical_email(email.strip().lower()) if email else None
        columns["email"].append(_first_of(emails.get(record_id, []), primary))
        columns["phone"].append(_first_of(phones.get(record_id, []), phone))
        columns["postal_code"].append(_none_if_empty(postal_key(postal)))
        columns["city"].append(folded_key(city))
        columns["birth_date"].append(_none_if_empty((birth or "")[:10]))
        columns["address_key"].append(_none_if_empty(address))
    frame = pd.DataFrame(columns, columns=list(FRAME_COLUMNS))
    frame["unique_id"] = frame["unique_id"].astype("int64")
    return frame


def row_map(conn) -> list[tuple]:
    """(file, row, source, source_record_id, record_id) for every imported row, in file/row order."""
    return list(conn.execute(_ROWS_SQL))


def write_clusters(rows: list[tuple], cluster_of: dict[int, object], path: Path) -> int:
    """The clusters CSV of ``c360 clusters``: each row's profile_id is its record's Splink cluster
    (the record's own id when Splink left it out)."""
    count = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(CLUSTER_COLUMNS)
        for file_name, row_number, source, source_record_id, record_id in rows:
            writer.writerow((file_name, row_number, source, source_record_id,
                             cluster_of.get(record_id, f"r{record_id}")))
            count += 1
    return count


# ----------------------------------------------------------------------------- the Splink model

def splink_settings(model: str = "tuned"):
    """The Splink model. "docs": the person-data setup of Splink's documentation, column by column.
    "tuned" (the default, what the benchmark reports) departs from it in two places, both by Splink's own
    advice that comparisons be conditionally independent:

    * email: exact match only. EmailComparison's Jaro-Winkler levels (full address and user name) reward
      two namesakes whose addresses are both built from the same name (patriciabaker87@gmail.com vs
      patricia.baker@yahoo.com), evidence already counted by the name comparisons;
    * location: one comparison, address > postcode > city, instead of three exact matches that all agree
      for every pair living at one address (households then got three Bayes factors for one fact).

    On the 10k world this moved pairwise precision at 0.95 from 0.83 to 0.97 (F1 on linkable pairs
    0.86 -> 0.92); the threshold stayed at the documentation's 0.95.
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    names = [cl.NameComparison("first_name").configure(term_frequency_adjustments=True),
             cl.NameComparison("last_name").configure(term_frequency_adjustments=True)]
    phone = cl.ExactMatch("phone").configure(term_frequency_adjustments=True)
    birth = cl.DateOfBirthComparison("birth_date", input_is_string=True, datetime_format="%Y-%m-%d")
    if model == "docs":
        comparisons = names + [cl.EmailComparison("email"), phone] + [
            cl.ExactMatch(column).configure(term_frequency_adjustments=True)
            for column in ("postal_code", "city", "address_key")] + [birth]
    elif model == "tuned":
        email = cl.CustomComparison(output_column_name="email", comparison_levels=[
            cll.NullLevel("email"), cll.ExactMatchLevel("email"), cll.ElseLevel()])
        location = cl.CustomComparison(output_column_name="location", comparison_levels=[
            cll.And(cll.NullLevel("address_key"), cll.NullLevel("postal_code"), cll.NullLevel("city")),
            cll.ExactMatchLevel("address_key", term_frequency_adjustments=True),
            cll.ExactMatchLevel("postal_code", term_frequency_adjustments=True),
            cll.ExactMatchLevel("city", term_frequency_adjustments=True),
            cll.ElseLevel()])
        comparisons = names + [email, phone, location, birth]
    else:
        raise ValueError(f"unknown model {model!r} (docs or tuned)")
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[
            block_on("email"),
            block_on("phone"),
            block_on("last_name", "postal_code"),
            block_on("first_name", "last_name"),
            block_on("last_name", "birth_date"),
        ],
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def run_splink(frame, threshold: float = THRESHOLD, u_max_pairs: float = U_MAX_PAIRS,
               model: str = "tuned") -> tuple[dict, dict]:
    """Train, predict and cluster; returns ({record_id: cluster_id}, facts with the timings)."""
    import duckdb
    from splink import DuckDBAPI, Linker, block_on

    timings: dict = {}
    started = time.perf_counter()
    db_api = DuckDBAPI()
    if "db_api" in inspect.signature(Linker).parameters:  # Splink 4: Linker(table, settings, db_api)
        linker = Linker(frame, splink_settings(model), db_api)
    else:  # Splink 5: tables are registered with the backend first
        linker = Linker(db_api.register(frame, dataset_display_name="records"), splink_settings(model))
    logging.getLogger("splink").setLevel(logging.WARNING)  # the Linker sets INFO: no per-iteration chatter
    linker.training.estimate_probability_two_random_records_match(
        [block_on("email"), block_on("phone", "last_name"), block_on("first_name", "last_name", "postal_code"),
         block_on("first_name", "last_name", "birth_date")],
        recall=PRIOR_RECALL)
    linker.training.estimate_u_using_random_sampling(max_pairs=u_max_pairs, seed=SEED)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("first_name", "last_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("email"))
    timings["train_seconds"] = time.perf_counter() - started

    mark = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    timings["predict_seconds"] = time.perf_counter() - mark

    mark = time.perf_counter()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, threshold)
    relation = clusters.as_duckdbpyrelation().select("unique_id, cluster_id")
    cluster_of = dict(relation.fetchall())
    timings["cluster_seconds"] = time.perf_counter() - mark
    timings["seconds"] = time.perf_counter() - started

    facts = {key: round(value, 3) for key, value in timings.items()}
    facts["pairs_above_threshold"] = predictions.as_duckdbpyrelation().aggregate("count(*)").fetchall()[0][0]
    facts["clusters"] = len(set(cluster_of.values()))
    facts["prior"] = getattr(linker._settings_obj, "_probability_two_random_records_match", None)
    facts["threads"] = db_api.duckdb_con.execute("SELECT current_setting('threads')").fetchone()[0]
    facts["duckdb"] = duckdb.__version__
    return cluster_of, facts


# ----------------------------------------------------------------------------- the command

def _open_vault(path: Path):
    from c360_desktop.core.vault import Vault

    from .runner import PASSPHRASE

    return Vault.open(path, os.environ.get("C360_PASSPHRASE") or PASSPHRASE)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.splink_bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--vault", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path, help="clusters CSV (the columns of `c360 clusters`)")
    parser.add_argument("--threshold", type=float, default=THRESHOLD, help="match probability (default %(default)s)")
    parser.add_argument("--u-max-pairs", type=float, default=U_MAX_PAIRS)
    parser.add_argument("--model", choices=("tuned", "docs"), default="tuned",
                        help="tuned (default) or the documentation's column-by-column setup")
    args = parser.parse_args(argv)

    import splink

    started = time.perf_counter()
    vault = _open_vault(args.vault)
    try:
        frame = load_frame(vault.conn)
        rows = row_map(vault.conn)
    finally:
        vault.close()
    load_seconds = time.perf_counter() - started

    cluster_of, facts = run_splink(frame, args.threshold, args.u_max_pairs, args.model)

    mark = time.perf_counter()
    written = write_clusters(rows, cluster_of, args.out)
    result = {"records": len(frame), "rows": written, "model": args.model, "threshold": args.threshold,
              "u_max_pairs": args.u_max_pairs, "splink": splink.__version__, **facts,
              "load_seconds": round(load_seconds, 3),
              "write_seconds": round(time.perf_counter() - mark, 3)}
    print(json.dumps(result, default=str), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
