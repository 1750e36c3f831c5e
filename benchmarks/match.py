"""Identity-resolution benchmark (issue 4) — HOOK: `bench_match(sizes, workdir)`.

For each size (about that many data rows in all):

1. generate the synthetic world (benchmarks/world.py: several tools' exports + ground_truth.csv);
2. `c360 init`, then `c360 import <every file> --json` (checks each file was detected as its preset);
3. `c360 match --json` (time, peak memory, auto-merged / queued / profiles) and
   `c360 clusters --out FILE.csv`, scored against the ground truth: pairwise precision / recall / F1
   (recall also against the pairs evidence can connect) and B-cubed, with review-queue pairs counted
   as not merged (they are not merged in the clusters file);
4. the naive baseline "same lower-cased email", computed here from the generated files;
5. Splink (DuckDB backend; benchmarks/splink_bench.py, a benchmark-only dependency: `pip install '.[bench]'`)
   on the same normalised records read from the same vault, in its own process, scored with the same code.

`c360 match` and `c360 clusters` may not exist yet: then the step prints
"match: not available yet (c360 match is not implemented)" and the rest goes on.
"""

from __future__ import annotations

import csv
import json
import time
from array import array
from pathlib import Path

from .metrics import evaluate, false_merge_clusters
from .runner import REPO, bench_env, c360, init_vault, python, run_measured, table, verdict
from .world import WorldSummary, people_for_records, read_table

NOT_AVAILABLE = "match: not available yet (c360 match is not implemented)"
SPLINK_MISSING = "splink: not installed (benchmark-only dependency: pip install '.[bench]', or make bench)"
BUDGET_SECONDS_PER_MILLION = 120.0
TARGET_PRECISION = 0.99
TARGET_F1 = 0.97


def bench_match(sizes, workdir: Path | None = None, seed: int = 42, log=print) -> list[dict]:
    """The identity-resolution benchmark at each size (records); returns one result dict per size."""
    import tempfile

    workdir = Path(workdir or tempfile.mkdtemp(prefix="c360-match-"))
    return [_one_size(int(size), workdir / f"match_{size}", seed, log) for size in sizes]


def _one_size(records: int, folder: Path, seed: int, log) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    env = bench_env(folder / "home")
    world_dir = folder / "world"
    people = people_for_records(records)
    result: dict = {"target_records": records, "people": people, "seed": seed}

    generated = run_measured([python(), "-m", "benchmarks.world", world_dir, "--people", people, "--seed", seed],
                             env=env)
    if not generated.ok:
        raise RuntimeError(f"generating the world failed: {generated.first_error_line()}")
    summary = WorldSummary(**generated.json_lines()[-1])
    result["world"] = {k: v for k, v in summary.__dict__.items() if k not in ("presets", "email_columns", "folder")}
    result["world"]["process_seconds"] = round(generated.seconds, 2)
    result["world"]["peak_mb"] = round(generated.peak_mb, 1)

    vault = folder / "world.c360"
    init_vault(vault, env)
    imported = run_measured(c360() + ["--vault", vault, "import", *summary.data_files, "--json"], env=env)
    files = []
    reports = {line.get("file"): line for line in imported.json_lines() if isinstance(line, dict)}
    for name, rows in summary.files.items():
        report = reports.get(name, {})
        expected = summary.presets[name]
        reasons: dict = {}
        for rejection in report.get("rejections", []):
            reasons[rejection["reason"]] = reasons.get(rejection["reason"], 0) + 1
        files.append({"file": name, "rows": rows, "expected_preset": expected, "preset": report.get("preset"),
                      "detected": report.get("preset") == expected, "imported_rows": report.get("rows"),
                      "inserted": report.get("inserted"), "rejected": report.get("rejected"),
                      "rejection_reasons": reasons, "warnings": report.get("warning_count"),
                      "events": report.get("events"), "error": report.get("error")})
    result["import"] = {"ok": imported.ok, "seconds": round(imported.seconds, 2), "peak_mb": round(imported.peak_mb, 1),
                        "files": files, "all_detected": all(f["detected"] for f in files),
                        "rejected": sum(f["rejected"] or 0 for f in files),
                        "error": None if imported.ok else imported.first_error_line()}

    truth = _load_truth(summary.ground_truth)
    result["match"] = _run_match(vault, folder, env, truth, records, log)
    started = time.perf_counter()
    result["baseline_email"] = evaluate(_email_baseline(summary, truth), truth["person"], truth["group"])
    result["baseline_email"]["seconds"] = round(time.perf_counter() - started, 2)
    result["splink"] = _run_splink(vault, folder, env, truth, log)
    return result


# ----------------------------------------------------------------------------- c360 match / clusters

def _run_match(vault: Path, folder: Path, env: dict, truth: dict, records: int, log) -> dict:
    matched = run_measured(c360() + ["--vault", vault, "match", "--json"], env=env)
    if not matched.ok:
        missing = "invalid choice" in matched.stderr and "match" in matched.stderr
        message = NOT_AVAILABLE if missing else f"match: failed ({matched.first_error_line()})"
        log(message)
        return {"available": False, "message": message}
    counts = next((line for line in matched.json_lines() if isinstance(line, dict)), {})
    out = {"available": True, "seconds": round(matched.seconds, 2), "peak_mb": round(matched.peak_mb, 1),
           "auto_merged": counts.get("auto_merged"), "queued": counts.get("queued"), "profiles": counts.get("profiles"),
           "budget_seconds": BUDGET_SECONDS_PER_MILLION * records / 1_000_000}
    clusters_file = folder / "clusters.csv"
    clustered = run_measured(c360() + ["--vault", vault, "clusters", "--out", clusters_file], env=env)
    if not clustered.ok or not clusters_file.exists():
        missing = "invalid choice" in clustered.stderr
        out["message"] = ("match: clusters not available yet (c360 clusters is not implemented)" if missing
                          else f"match: c360 clusters failed ({clustered.first_error_line()})")
        log(out["message"])
        return out
    predicted, missing_rows = _load_clusters(clusters_file, truth)
    out["rows_missing_from_clusters"] = missing_rows
    out["scores"] = evaluate(predicted, truth["person"], truth["group"])
    out["worst_clusters"] = false_merge_clusters(predicted, truth["person"])
    return out


def _load_clusters(path: Path, truth: dict) -> tuple[list, int]:
    """Predicted label per ground-truth row (a singleton label for rows c360 did not place)."""
    profile: dict = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            try:
                profile[(row["file"], int(row["row"]))] = row["profile_id"]
            except (KeyError, ValueError):
                continue
    predicted, missing = [], 0
    for i, key in enumerate(truth["keys"]()):
        label = profile.get(key)
        if label is None:
            missing += 1
            label = ("missing", i)
        predicted.append(label)
    return predicted, missing


# ----------------------------------------------------------------------------- Splink

def _run_splink(vault: Path, folder: Path, env: dict, truth: dict, log) -> dict:
    """Splink in its own process (peak memory its own); seconds = Splink's training + predict + clustering."""
    clusters_file = folder / "splink_clusters.csv"
    ran = run_measured([python(), "-m", "benchmarks.splink_bench", "--vault", vault, "--out", clusters_file],
                       env=env, cwd=REPO)
    if not ran.ok or not clusters_file.exists():
        missing = "No module named 'splink'" in ran.stderr or "No module named 'duckdb'" in ran.stderr
        message = (SPLINK_MISSING if missing else f"splink: failed ({ran.first_error_line()})")
        log(message)
        return {"available": False, "message": message}
    facts = next((line for line in reversed(ran.json_lines()) if isinstance(line, dict)), {})
    out = {"available": True, **facts, "process_seconds": round(ran.seconds, 2), "peak_mb": round(ran.peak_mb, 1),
           "cpu_seconds": round(ran.user_seconds + ran.system_seconds, 2)}
    predicted, missing_rows = _load_clusters(clusters_file, truth)
    out["rows_missing_from_clusters"] = missing_rows
    out["scores"] = evaluate(predicted, truth["person"], truth["group"])
    out["worst_clusters"] = false_merge_clusters(predicted, truth["person"])
    return out


# ----------------------------------------------------------------------------- truth and the baseline

def _load_truth(path: Path) -> dict:
    """Ground truth as compact aligned arrays (one entry per data row, in ground_truth.csv order)."""
    files: list[str] = []
    file_index: dict[str, int] = {}
    file_of, row_of = array("i"), array("l")
    person, group, linkable = array("l"), array("l"), array("b")
    person_ids: dict[str, int] = {}
    group_ids: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        for name, row, pid, link, link_group in reader:
            if name not in file_index:
                file_index[name] = len(files)
                files.append(name)
            file_of.append(file_index[name])
            row_of.append(int(row))
            person.append(person_ids.setdefault(pid, len(person_ids)))
            group.append(group_ids.setdefault(link_group, len(group_ids)))
            linkable.append(int(link))

    def keys():
        for f, r in zip(file_of, row_of):
            yield files[f], r

    return {"files": files, "file_of": file_of, "row_of": row_of, "person": person, "group": group,
            "linkable": linkable, "keys": keys}


def _email_baseline(summary: WorldSummary, truth: dict) -> list:
    """The naive rule: rows with the same trimmed, lower-cased email are one person; no email, alone."""
    emails: dict[str, list] = {}
    for name in summary.files:
        column = summary.email_columns[name]
        emails[name] = [(row.get(column) or "").strip().lower() for row in read_table(Path(summary.folder) / name)]
    predicted = []
    for i, (f, r) in enumerate(zip(truth["file_of"], truth["row_of"])):
        email = emails[truth["files"][f]][r - 1]
        predicted.append(email or i)
    return predicted


# ----------------------------------------------------------------------------- printing

def _score_row(name: str, s: dict, seconds: float | None = None, peak_mb: float | None = None) -> list:
    p, b = s["pairwise"], s["bcubed"]
    return [name, f"{p['precision']:.4f}", f"{p['recall']:.4f}", f"{p.get('recall_linkable', 0):.4f}",
            f"{p['f1']:.4f}", f"{p.get('f1_linkable', 0):.4f}", f"{b['precision']:.4f}", f"{b['recall']:.4f}",
            f"{b['f1']:.4f}", f"{p['predicted_clusters']:,}", "-" if seconds is None else f"{seconds:.1f}",
            "-" if peak_mb is None else f"{peak_mb:,.0f}"]


def format_match(r: dict) -> str:
    w, imp = r["world"], r["import"]
    lines = [f"match: world of {w['records']:,} rows ({w['customer_records']:,} customer/contact, {w['event_records']:,}"
             f" order lines/payments/tickets), {w['people']:,} people; generated in {w['seconds']:.1f} s"
             f" (peak {w['peak_mb']:,.0f} MB)",
             f"  hard negatives: {w['households']:,} households ({w['household_people']:,} people),"
             f" {w['twin_pairs']:,} twin pairs, {w['namesakes']:,} namesakes, {w['shared_mailbox_rows']:,} shared-mailbox"
             f" rows; true pairs {w['true_pairs']:,}, linkable {w['linkable_pairs']:,}"]
    bad = [f for f in imp["files"] if not f["detected"] or f["rejected"] or f["error"]]
    lines.append(f"  import: {imp['seconds']:.1f} s, peak {imp['peak_mb']:,.0f} MB; presets "
                 f"{'all detected' if imp['all_detected'] else 'NOT all detected'}; rejected rows {imp['rejected']:,}")
    for f in bad:
        lines.append(f"    {f['file']}: preset {f['preset']} (expected {f['expected_preset']}), rejected {f['rejected']}"
                     f" {f['rejection_reasons'] or ''} {f['error'] or ''}".rstrip())
    rows = []
    m = r["match"]
    if m.get("available"):
        budget = (f"{verdict(m['seconds'] < m['budget_seconds'])} < {m['budget_seconds']:g} s"
                  if r["target_records"] >= 1_000_000 else f"budget {BUDGET_SECONDS_PER_MILLION:g} s applies at 1M")
        lines.append(f"  c360 match: {m['seconds']:.1f} s ({budget}), peak"
                     f" {m['peak_mb']:,.0f} MB; auto-merged {m['auto_merged']}, review queue {m['queued']},"
                     f" profiles {m['profiles']}")
        if "scores" in m:
            rows.append(_score_row("c360", m["scores"], m["seconds"], m["peak_mb"]))
            p = m["scores"]["pairwise"]
            worst = ", ".join(f"{c['size']} rows/{c['people']} people" for c in m.get("worst_clusters", [])[:3])
            if worst:
                lines.append(f"  clusters with most false pairs: {worst}")
            lines.append(f"  targets: pairwise precision {p['precision']:.4f} {verdict(p['precision'] >= TARGET_PRECISION)}"
                         f" >= {TARGET_PRECISION}; F1 (linkable recall) {p['f1_linkable']:.4f}"
                         f" {verdict(p['f1_linkable'] >= TARGET_F1)} >= {TARGET_F1}")
        else:
            lines.append("  " + m.get("message", ""))
    else:
        lines.append("  " + m["message"])
    rows.append(_score_row("same lower-cased email", r["baseline_email"], r["baseline_email"].get("seconds")))
    sp = r.get("splink") or {"message": "splink: not run"}
    if sp.get("available"):
        rows.append(_score_row("Splink", sp["scores"], sp["seconds"], sp["peak_mb"]))
        lines.append(f"  Splink {sp.get('splink')} (DuckDB {sp.get('duckdb')}, {sp.get('threads')} threads), model"
                     f" {sp.get('model')}, threshold {sp.get('threshold')}: {sp['seconds']:.1f} s (train"
                     f" {sp.get('train_seconds', 0):.1f}, predict {sp.get('predict_seconds', 0):.1f}, cluster"
                     f" {sp.get('cluster_seconds', 0):.1f}); process {sp['process_seconds']:.1f} s with reading the"
                     f" vault ({sp.get('load_seconds', 0):.1f} s), peak {sp['peak_mb']:,.0f} MB;"
                     f" {sp.get('records', 0):,} records, {sp.get('pairs_above_threshold', 0):,} pairs >= threshold")
    else:
        lines.append("  " + sp.get("message", "splink: not available"))
    lines.append(table(rows, ["method", "pair P", "pair R", "R link", "pair F1", "F1 link", "B3 P", "B3 R", "B3 F1",
                              "clusters", "seconds", "peak MB"]))
    lines.append("  seconds: c360 = its `c360 match` process; email baseline = in-process (no peak of its own);"
                 " Splink = train + predict + cluster, peak = its process")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m benchmarks.match 10000 [100000 ...]
    import sys

    for item in bench_match([int(a) for a in sys.argv[1:]] or [10_000]):
        print(format_match(item))
        print(json.dumps(item["match"], default=str)[:2000])
