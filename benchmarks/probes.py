"""Tiny programs the harness runs in fresh processes.

    python -m benchmarks.probes unlock VAULT   time Vault.open (passphrase from C360_PASSPHRASE)
"""

from __future__ import annotations

import json
import os
import sys
import time


def unlock(vault: str) -> dict:
    from c360_desktop.core.vault import Vault

    started = time.perf_counter()
    opened = Vault.open(vault, os.environ["C360_PASSPHRASE"])
    seconds = time.perf_counter() - started
    opened.close()
    return {"seconds": round(seconds, 4)}


def main(argv=None) -> int:
    argv = argv or sys.argv[1:]
    if len(argv) == 2 and argv[0] == "unlock":
        print(json.dumps(unlock(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
