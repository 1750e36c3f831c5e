"""Unlock benchmark: a vault with the real (calibrated, slow on purpose) KDF, opened in fresh processes."""

from __future__ import annotations

import statistics
from pathlib import Path

from .runner import bench_env, init_vault, python, run_measured, table, verdict

BUDGET_SECONDS = 1.5


def bench_unlock(workdir: Path, repeats: int = 5) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_env(workdir / "home", fast_kdf=False)  # the real key derivation, as users get it
    vault = workdir / "unlock.c360"
    created = init_vault(vault, env)
    opens, walls = [], []
    for _ in range(repeats):
        probe = run_measured([python(), "-m", "benchmarks.probes", "unlock", vault], env=env)
        if not probe.ok:
            raise RuntimeError(f"opening the vault failed: {probe.first_error_line()}")
        opens.append(probe.json_lines()[0]["seconds"])
        walls.append(probe.seconds)
    median = statistics.median(opens)
    return {"repeats": repeats, "open_seconds": opens, "median_seconds": round(median, 3),
            "median_process_seconds": round(statistics.median(walls), 3), "init_seconds": round(created.seconds, 2),
            "budget_seconds": BUDGET_SECONDS, "pass": median < BUDGET_SECONDS}


def format_unlock(r: dict) -> str:
    rows = [["Vault.open (median of %d fresh processes)" % r["repeats"], f"{r['median_seconds']:.3f} s",
             f"{verdict(r['pass'])} < {r['budget_seconds']} s"],
            ["whole probe process (interpreter + imports + open)", f"{r['median_process_seconds']:.3f} s", ""],
            ["c360 init (KDF calibration included)", f"{r['init_seconds']:.2f} s", ""]]
    return "unlock: real key derivation (no C360_INSECURE_FAST_KDF)\n" + table(rows, ["", "time", ""]) + \
        "\nruns: " + ", ".join(f"{s:.3f}" for s in r["open_seconds"])
