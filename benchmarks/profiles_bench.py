"""Customer list, search as you type, and opening a profile, on a vault of N profiles.

The vault is filled by ``benchmarks.profiles_fill`` in one child process; a second child
(``python -m benchmarks.profiles_bench probe VAULT``) opens it and measures, with the Qt list
model itself (offscreen), what a shop owner waits for: the first rows of the list, each keystroke
of a search, scrolling, sorting, and opening profiles.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from .runner import bench_env, init_vault, python, run_measured, table, verdict

BUDGETS = {"first_rows_seconds": 0.5, "search_ms": 100.0, "open_profile_ms": 150.0}
TYPED = ("m", "ma", "mar", "mari", "maria", "maria ", "maria g", "maria ga", "maria gar", "maria garc")
LOOKUPS = ("(212) 555-0042", "212 555", "+1 415 555 01", "smith", "Zoë", "zoe", "anna.smith", "#1042", "1042",
           "sanchez-12", "o'brien", "nobody-zzqx")


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, (time.perf_counter() - started)


def _stats(values_ms: list[float]) -> dict:
    ordered = sorted(values_ms)
    return {"median_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 2), "max_ms": round(ordered[-1], 2),
            "count": len(ordered)}


def probe(vault_path: str) -> dict:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from c360_desktop.core.profiles.profile import load_profile
    from c360_desktop.core.profiles.search import search_profiles
    from c360_desktop.core.profiles.timeline import timeline
    from c360_desktop.core.vault import Vault
    from c360_desktop.ui.models.customers import CustomersModel

    app = QApplication.instance() or QApplication([])
    vault = Vault.open(vault_path, os.environ["C360_PASSPHRASE"])
    model = CustomersModel()
    _, first_rows = _timed(model.set_vault, vault)
    scroll = [_timed(model.fetchMore)[1] * 1000 for _ in range(50)]
    sorts = {}
    for column in range(model.columnCount()):
        _, seconds = _timed(model.sort, column)
        sorts[model.headerData(column, Qt.Orientation.Horizontal)] = round(seconds * 1000, 1)
    model.sort(0)
    keystrokes = [_timed(model.set_query, text)[1] * 1000 for text in TYPED]
    lookups = {text: round(_timed(model.set_query, text)[1] * 1000, 2) for text in LOOKUPS}
    core_search = [_timed(search_profiles, vault.conn, text)[1] * 1000 for text in TYPED + LOOKUPS]
    model.set_query("")
    total = vault.conn.execute("SELECT max(id) FROM profiles").fetchone()[0]
    rng = random.Random(5)
    opens, timelines = [], []
    for profile_id in rng.sample(range(1, total + 1), 200):
        view, seconds = _timed(load_profile, vault.conn, profile_id)
        opens.append(seconds * 1000)
        timelines.append(_timed(timeline, vault.conn, view.record_ids)[1] * 1000)
    vault.close()
    del app
    return {"first_rows_seconds": round(first_rows, 3), "rows_after_open": 200, "scroll_page": _stats(scroll),
            "sort_first_page_ms": sorts, "search_keystroke_model": _stats(keystrokes), "search_lookups_model_ms": lookups,
            "search_core": _stats(core_search), "open_profile": _stats(opens), "timeline": _stats(timelines)}


def bench_profiles(count: int, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_env(workdir / "home")
    vault = workdir / f"profiles-{count}.c360"
    for stale in workdir.glob(f"profiles-{count}.c360*"):
        stale.unlink()
    init_vault(vault, env)
    filled = run_measured([python(), "-m", "benchmarks.profiles_fill", vault, count], env=env)
    if not filled.ok:
        raise RuntimeError(f"filling the vault failed: {filled.first_error_line()}")
    measured = run_measured([python(), "-m", "benchmarks.profiles_bench", "probe", vault], env=env)
    if not measured.ok:
        raise RuntimeError(f"the probe failed: {measured.first_error_line()}")
    result = {"profiles": count, **filled.json_lines()[0], **measured.json_lines()[0],
              "probe_peak_mb": round(measured.peak_mb, 1), "vault_mb": round(vault.stat().st_size / 2**20, 1),
              "budgets": BUDGETS}
    result["pass"] = {
        "first_rows": result["first_rows_seconds"] < BUDGETS["first_rows_seconds"],
        "search": result["search_keystroke_model"]["max_ms"] < BUDGETS["search_ms"]
        and max(result["search_lookups_model_ms"].values()) < BUDGETS["search_ms"],
        "open_profile": result["open_profile"]["p95_ms"] < BUDGETS["open_profile_ms"],
    }
    return result


def format_profiles(r: dict) -> str:
    ok = r["pass"]
    rows = [
        ["customer list: first rows (model open, count included)", f"{r['first_rows_seconds'] * 1000:.0f} ms",
         f"{verdict(ok['first_rows'])} < {BUDGETS['first_rows_seconds'] * 1000:.0f} ms"],
        ["scroll: next page of 200 (median / max)", f"{r['scroll_page']['median_ms']} / {r['scroll_page']['max_ms']} ms", ""],
        ["search as you type, per keystroke (median / max)",
         f"{r['search_keystroke_model']['median_ms']} / {r['search_keystroke_model']['max_ms']} ms",
         f"{verdict(ok['search'])} < {BUDGETS['search_ms']:.0f} ms"],
        ["search: phone formats, names, emails, order ids (max)", f"{max(r['search_lookups_model_ms'].values())} ms", ""],
        ["open a profile (median / p95 of 200)", f"{r['open_profile']['median_ms']} / {r['open_profile']['p95_ms']} ms",
         f"{verdict(ok['open_profile'])} < {BUDGETS['open_profile_ms']:.0f} ms"],
        ["its timeline (median / p95)", f"{r['timeline']['median_ms']} / {r['timeline']['p95_ms']} ms", ""],
        ["sort by a column, first page (slowest)", f"{max(r['sort_first_page_ms'].values())} ms", ""],
    ]
    return (f"profiles: {r['profiles']:,} profiles, {r['records']:,} source records, {r['events']:,} orders"
            f" (vault {r['vault_mb']} MB, filled in {r['fill_seconds']} s; probe peak {r['probe_peak_mb']} MB)\n"
            + table(rows, ["", "measured", "budget"]) + "\nsearch lookups: "
            + ", ".join(f"{k!r} {v} ms" for k, v in r["search_lookups_model_ms"].items()))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "probe":
        print(json.dumps(probe(sys.argv[2])))
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
