"""`python -m benchmarks [--only NAME[,NAME]] [--sizes 10000,100000,1000000] [--rows N] [--quick]`

Benchmarks (each measurement is its own child process, so wall time and peak memory are its alone):

  import   N generated customer rows (20 columns; 1,000,000, or 100,000 with --quick) through
           `c360 import`, against a plain executemany of the same rows into SQLCipher
  unlock   Vault.open with the real key derivation, median of 5 fresh processes
  match    the identity-resolution hook (benchmarks/match.py) on synthetic worlds of --sizes records
           (10,000 with --quick)
  profiles the customer list (first rows, scrolling, sorting, search as you type) and opening profiles
           on a vault of --profiles profiles (1,000,000, or 100,000 with --quick)

Prints a table per benchmark and writes bench-results/results.json (machine facts included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from .runner import REPO, machine_facts

BENCHMARKS = ("import", "unlock", "match", "profiles")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--only", help="comma-separated: " + ", ".join(BENCHMARKS))
    parser.add_argument("--sizes", help="match: world sizes in records (default 10000,100000,1000000; --quick 10000)")
    parser.add_argument("--rows", type=int, help="import: rows (default 1000000; --quick 100000)")
    parser.add_argument("--profiles", type=int, help="profiles: vault size (default 1000000; --quick 100000)")
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a check in a few minutes")
    parser.add_argument("--workdir", help="where generated files and vaults go (default: a temporary folder)")
    parser.add_argument("--keep", action="store_true", help="keep the working folder")
    parser.add_argument("--out", default=str(REPO / "bench-results" / "results.json"), help="results JSON file")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in (args.only or ",".join(BENCHMARKS)).split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    args.only = chosen
    args.rows = args.rows or (100_000 if args.quick else 1_000_000)
    args.profiles = args.profiles or (100_000 if args.quick else 1_000_000)
    args.sizes = [int(s.replace("_", "")) for s in (args.sizes or ("10000" if args.quick else "10000,100000,1000000"))
                  .split(",") if s.strip()]
    return args


def header(facts: dict) -> str:
    return (f"c360 benchmarks — {dt.datetime.now().isoformat(timespec='seconds')}\n"
            f"machine: {facts.get('cpu')}, {facts.get('cores')} cores, {facts.get('ram_gb')} GB RAM, {facts.get('os')}\n"
            f"python {facts.get('python')}; SQLCipher {facts.get('sqlcipher')} ({facts.get('crypto_provider')}),"
            f" SQLite {facts.get('sqlite')}; c360 {facts.get('c360')}")


def main(argv=None) -> int:
    args = parse_args(argv if argv is not None else sys.argv[1:])
    facts = machine_facts()
    print(header(facts), flush=True)
    workdir = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="c360-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    results = {"started_at": dt.datetime.now().isoformat(timespec="seconds"), "machine": facts,
               "arguments": {"only": args.only, "rows": args.rows, "sizes": args.sizes, "profiles": args.profiles,
                             "quick": args.quick},
               "results": {}}
    failed = False
    try:
        for name in args.only:
            print(f"\n== {name}", flush=True)
            started = time.perf_counter()
            try:
                if name == "import":
                    from .import_bench import bench_import, format_import

                    result = bench_import(args.rows, workdir / "import")
                    print(format_import(result))
                elif name == "unlock":
                    from .unlock import bench_unlock, format_unlock

                    result = bench_unlock(workdir / "unlock")
                    print(format_unlock(result))
                elif name == "profiles":
                    from .profiles_bench import bench_profiles, format_profiles

                    result = bench_profiles(args.profiles, workdir / "profiles")
                    print(format_profiles(result))
                else:
                    from .match import bench_match, format_match

                    result = []
                    for size in args.sizes:
                        item = bench_match([size], workdir / "match", log=lambda m: print(m, flush=True))[0]
                        print(format_match(item), flush=True)
                        result.append(item)
            except Exception as error:  # one broken benchmark must not hide the others' figures
                failed = True
                result = {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()}
                print(f"{name}: FAILED — {type(error).__name__}: {error}")
            results["results"][name] = result
            print(f"({name} took {time.perf_counter() - started:.1f} s)", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        else:
            print(f"\nworking folder kept: {workdir}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    results["finished_at"] = dt.datetime.now().isoformat(timespec="seconds")
    text = json.dumps(results, indent=2, default=str) + "\n"
    out.write_text(text, encoding="utf-8")
    stamped = out.with_name(f"{out.stem}-{results['started_at'].replace(':', '')}{out.suffix}")
    stamped.write_text(text, encoding="utf-8")  # results.json is the latest run; each run also keeps its own
    print(f"\nresults: {out} (and {stamped.name})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
