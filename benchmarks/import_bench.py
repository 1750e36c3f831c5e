"""Import benchmark: N generated customer rows (20 columns) through `c360 import`, against a plain executemany."""

from __future__ import annotations

from pathlib import Path

from .runner import bench_env, c360, init_vault, python, run_measured, table, verdict

BUDGET_SECONDS_PER_MILLION = 20.0
BUDGET_PEAK_BYTES = 1.5 * 1024 ** 3


def bench_import(rows: int, workdir: Path) -> dict:
    workdir.mkdir(parents=True, exist_ok=True)
    env = bench_env(workdir / "home")
    csv_path = workdir / f"customers_{rows}.csv"
    generated = run_measured([python(), "-m", "benchmarks.generate", csv_path, rows], env=env)
    if not generated.ok:
        raise RuntimeError(f"generating the import file failed: {generated.first_error_line()}")

    vault = workdir / "import.c360"
    init_vault(vault, env)
    imported = run_measured(c360() + ["--vault", vault, "import", csv_path, "--json"], env=env)
    report = next((line for line in imported.json_lines() if isinstance(line, dict)), {})

    reference = run_measured([python(), "-m", "benchmarks.reference", csv_path, workdir / "reference.db"], env=env)
    ref = next(iter(reference.json_lines()), {})

    budget_seconds = BUDGET_SECONDS_PER_MILLION * rows / 1_000_000
    result = {
        "rows": rows, "file_bytes": csv_path.stat().st_size, "generate_seconds": round(generated.seconds, 2),
        "importer": {
            "ok": imported.ok, "error": None if imported.ok else imported.first_error_line(),
            "seconds": round(imported.seconds, 2), "cpu_seconds": round(imported.user_seconds + imported.system_seconds, 2),
            "rows_per_second": round(rows / imported.seconds) if imported.seconds else None,
            "peak_mb": round(imported.peak_mb, 1), "preset": report.get("preset"), "inserted": report.get("inserted"),
            "rejected": report.get("rejected"), "warnings": report.get("warning_count"),
            "vault_bytes": vault.stat().st_size if vault.exists() else None,
        },
        "reference": {
            "ok": reference.ok, "error": None if reference.ok else reference.first_error_line(),
            "seconds": round(reference.seconds, 2), "seconds_in_process": ref.get("seconds"),
            "rows": ref.get("rows"), "peak_mb": round(reference.peak_mb, 1), "db_bytes": ref.get("bytes"),
        },
        "budget": {"seconds": budget_seconds, "scaled_from_1M": rows != 1_000_000, "peak_mb": BUDGET_PEAK_BYTES / 1024 ** 2},
    }
    result["ratio"] = round(imported.seconds / reference.seconds, 2) if reference.ok and reference.seconds else None
    result["time_pass"] = imported.ok and imported.seconds < budget_seconds and report.get("inserted") == rows
    result["memory_pass"] = imported.ok and imported.peak_bytes < BUDGET_PEAK_BYTES
    return result


def format_import(r: dict) -> str:
    imp, ref, budget = r["importer"], r["reference"], r["budget"]
    scaled = " (20 s per 1M, scaled)" if budget["scaled_from_1M"] else ""
    rows = [
        ["c360 import", f"{imp['seconds']:.2f} s", f"{imp['rows_per_second'] or 0:,}", f"{imp['peak_mb']:,.0f} MB",
         f"{verdict(r['time_pass'])} time < {budget['seconds']:g} s{scaled}; "
         f"{verdict(r['memory_pass'])} peak < {budget['peak_mb']:,.0f} MB"],
        ["plain executemany", f"{ref['seconds']:.2f} s",
         f"{round(r['rows'] / ref['seconds']):,}" if ref["seconds"] else "-", f"{ref['peak_mb']:,.0f} MB",
         f"{ref['seconds_in_process']} s open-to-commit in process" if ref["ok"] else f"failed: {ref['error']}"],
    ]
    lines = [f"import: {r['rows']:,} customer rows, 20 columns ({r['file_bytes'] / 1024 ** 2:,.0f} MB CSV)",
             table(rows, ["", "wall", "rows/s", "peak RSS", ""])]
    lines.append(f"ratio importer / executemany: {r['ratio']}x   (preset {imp['preset']}, inserted {imp['inserted']},"
                 f" rejected {imp['rejected']}, warnings {imp['warnings']})")
    if not imp["ok"]:
        lines.append(f"c360 import failed: {imp['error']}")
    return "\n".join(lines)
